"""A started lab as tests and the benchmark hold it: inventories, admin channel, session logs, playbooks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from changeops_lab.control import LabControl
from changeops_lab.lifecycle import LabInfo, StopReport, lab_down, lab_up
from changeops_lab.paths import LabPaths
from changeops_lab.playbooks import PlayResult, run_playbook
from changeops_lab.session_log import LogEntry, read_log, received_lines


@dataclass
class Lab:
    """A running lab; ``stop()`` ends it (the pytest fixture does this at the end of the session)."""

    info: LabInfo
    estate: Path | None
    artifacts: Path
    _runs: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    @property
    def state_dir(self) -> Path:
        return self.info.state_dir

    @property
    def paths(self) -> LabPaths:
        return LabPaths(self.info.state_dir)

    @property
    def control(self) -> LabControl:
        return LabControl(self.info.state_dir)

    @property
    def inventories(self) -> list[Path]:
        """``-i`` arguments: the real inventory (when serving one), then the lab overlay."""
        real = [self.estate / "inventory"] if self.estate else []
        return real + [self.info.overlay]

    def session_log(self, host: str) -> list[LogEntry]:
        return read_log(self.paths.session_log(host))

    def received(self, host: str) -> list[str]:
        """Every line ``host`` received so far (what Ansible sent it)."""
        return received_lines(self.paths.session_log(host))

    def run(self, playbook: Path | str, **options: Any) -> PlayResult:
        """Run a playbook file, or playbook YAML text, against the lab; artifacts in a fresh folder."""
        folder = self.artifacts / f"run-{next(self._runs):03d}"
        folder.mkdir(parents=True)
        if isinstance(playbook, str):
            text, playbook = playbook, folder / "play.yml"
            playbook.write_text(text, encoding="utf-8")
        return run_playbook(playbook, inventories=self.inventories, artifacts=folder, **options)

    def stop(self) -> StopReport:
        return lab_down(self.info.state_dir)


def start_lab(state_dir: Path, *, estate: Path | None = None, devices: int = 0, linux: bool = True,
              reload_seconds: float = 1.0, artifacts: Path | None = None) -> Lab:
    """Start a lab and wrap it; runner artifacts go to ``artifacts`` (default: ``<state>/runs``)."""
    info = lab_up(state_dir, estate=estate, devices=devices, linux=linux, reload_seconds=reload_seconds)
    return Lab(info, estate.resolve() if estate else None, artifacts or state_dir.resolve() / "runs")
