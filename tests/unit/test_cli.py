"""The CLI maps outcomes to exit codes and never shows a raw traceback by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops import cli
from changeops.validation import validate as validate_module


def test_internal_error_is_exit_3_with_a_short_message(estate_root: Path, monkeypatch, capsys) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(validate_module, "validate", broken)
    assert cli.main(["validate", "--repo", str(estate_root)]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: disk on fire" in err and "Traceback" not in err


def test_debug_shows_the_traceback(estate_root: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(validate_module, "validate", lambda *a, **k: 1 / 0)
    assert cli.main(["--debug", "validate", "--repo", str(estate_root)]) == 3
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "code"), [
    (["validate"], 0),
    (["show", "CHG-20990101-missing"], 2),
    (["new", "rebuild", "--id", "CHG-20261222-x-yz", "--targets", "core_routers"], 2),
])
def test_exit_codes(estate_root: Path, argv: list[str], code: int) -> None:
    assert cli.main([*argv, "--repo", str(estate_root)]) == code


def test_commands_on_an_invalid_record_are_usage_errors(estate_root: Path, capsys) -> None:
    record = estate_root / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
    record.write_text(record.read_text().replace("outage_minutes: 20", "outage_minutes: lots"))
    for command in ("digest", "approvals"):
        assert cli.main([command, "CHG-20261210-dl-edge-upgrade", "--repo", str(estate_root)]) == 2
        assert "is not a valid record" in capsys.readouterr().err
