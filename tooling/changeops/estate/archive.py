"""The device configuration archive (设备档案): each device's sanitised running configuration and its history.

Layout, committed with the run that captured it and independent of git history (a site
built from a shallow clone shows the whole archive)::

    archive/<host>/captures/<time>-<stage>.yml   one file per capture, written once, never edited
    archive/<host>/configs/<time>.cfg            one file per distinct configuration (sanitised)

A capture names when it was taken, by what (a change and run, the stage ``before`` = the
backup stage, ``after`` = after the run's last stage; ``import`` = not taken by a run, with a
note), the configuration's digest and file, and the hardware parts ``show inventory`` listed.
A configuration file is written only when it differs from the device's latest capture, so an
unchanged device adds one small capture file per run. Captures are never rewritten: two
runners on different devices, or one after another, only ever add files, so their commits
rebase onto each other without conflicts.

The folder of capture files is the index: read oldest first (time, then before → after).
Nothing here masks secrets: the caller hands over text that went through the run's redaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, ValidationError

from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.records.fields import Aware, NonEmpty, Strict
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import load

ARCHIVE = "archive"
CAPTURES, CONFIGS = "captures", "configs"
Stage = Literal["before", "after", "import"]
STAGE_ORDER = {"before": 0, "after": 1, "import": 2}
HOST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
CONFIG_NAME = re.compile(r"^configs/[A-Za-z0-9][A-Za-z0-9_-]*\.cfg$")
# Lines of `show running-config` that are not configuration, or change on every read.
NOT_CONFIG = re.compile(r"^(Building configuration\.\.\.|Current configuration : \d+ bytes|"
                        r"! Last configuration change at .*|! NVRAM config last updated at .*)$")


class Part(Strict):
    """One entry of ``show inventory``: a chassis, module, power supply or transceiver."""

    name: str
    descr: str = ""
    pid: str = ""
    vid: str = ""
    serial: str = ""


class CaptureFile(Strict):
    """What a capture file holds."""

    host: NonEmpty
    time: Aware
    stage: Stage
    change: NonEmpty | None = None
    run: NonEmpty | None = None
    note: NonEmpty | None = None
    digest: NonEmpty
    config: NonEmpty
    parts: Annotated[tuple[Part, ...], Field(strict=False)] = ()


@dataclass(frozen=True)
class Capture:
    """A capture as read, with where it is (paths relative to the estate root)."""

    data: CaptureFile
    file: str
    config_file: str

    @property
    def time(self) -> datetime:
        return self.data.time.astimezone(UTC)

    @property
    def digest(self) -> str:
        return self.data.digest

    @property
    def source(self) -> str:
        """What took it: ``before, <change> <run>``, or ``import, <note>``."""
        names = " ".join(p for p in (self.data.change, self.data.run) if p) or (self.data.note or "")
        return f"{self.data.stage}, {names}" if names else self.data.stage

    @property
    def label(self) -> str:
        """How messages name the capture: its time and source."""
        return f"{stamp(self.time)} ({self.source})"


@dataclass
class DeviceArchive:
    """One device's captures, oldest first, and what was wrong with its files."""

    host: str
    captures: list[Capture] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def latest(self) -> Capture | None:
        return self.captures[-1] if self.captures else None

    def parts(self) -> tuple[Part, ...]:
        """The parts of the newest capture that listed any."""
        return next((c.data.parts for c in reversed(self.captures) if c.data.parts), ())


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def normalise(text: str) -> str:
    """The configuration part of ``show running-config`` output: header lines dropped, trailing blanks trimmed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    kept = [line for line in lines if not NOT_CONFIG.match(line)]
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def digest_of(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def archive_root(estate: Estate) -> Path:
    return estate.root / ARCHIVE


def archived_hosts(estate: Estate) -> list[str]:
    """The hosts with an archive folder, sorted."""
    root = archive_root(estate)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink()) if root.is_dir() else []


def read_archive(estate: Estate, host: str) -> DeviceArchive:
    """``host``'s captures, oldest first; a file that does not read is a finding, never an exception."""
    archive = DeviceArchive(host)
    folder = archive_root(estate) / host / CAPTURES
    if not HOST_NAME.match(host):
        archive.findings.append(_finding(estate.relative(folder.parent), 1, "archive-host", Severity.ERROR,
                                         f"{host!r} is not a host name", "name the folder after an inventory host"))
        return archive
    digests: dict[Path, str] = {}  # most captures share a configuration file: read each once
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        capture = _read_capture(estate, host, path, archive.findings, digests)
        if capture is not None:
            archive.captures.append(capture)
    archive.captures.sort(key=lambda c: (c.time, STAGE_ORDER[c.data.stage], c.file))
    return archive


def _read_capture(estate: Estate, host: str, path: Path, findings: list[Finding],
                  digests: dict[Path, str]) -> Capture | None:
    file = estate.relative(path)
    if path.is_symlink() or not path.is_file():
        findings.append(_finding(file, 1, "archive-file", Severity.ERROR, "a capture must be a regular file",
                                 "replace the link with the file it points to, or remove it"))
        return None
    doc = load(path.read_bytes())
    if doc.problem is not None:
        p = doc.problem
        findings.append(Finding(file, p.line, p.column, f"archive-{p.rule}", Severity.ERROR, p.message, p.hint))
        return None
    try:
        data = CaptureFile.model_validate(doc.data)
    except ValidationError as err:
        findings += [Finding(f.file, f.line, f.column, f.rule, Severity.ERROR, f.message, f.hint)
                     for f in schema_findings(err, doc, file, CaptureFile)]
        return None
    line, column = doc.locate(("host",))
    if data.host != host:
        findings.append(Finding(file, line, column, "archive-host", Severity.ERROR,
                                f"the capture names host {data.host} but lies in archive/{host}/",
                                f"move it to archive/{data.host}/captures/, or correct the host"))
        return None
    config = path.parent.parent / data.config
    if not CONFIG_NAME.match(data.config):
        findings.append(Finding(file, *doc.locate(("config",)), "archive-config", Severity.ERROR,
                                f"config {data.config!r} is not a file of archive/{host}/{CONFIGS}/",
                                f"name the configuration as {CONFIGS}/<time>.cfg"))
        return None
    if config.is_symlink() or not config.is_file():
        findings.append(Finding(file, *doc.locate(("config",)), "archive-config", Severity.ERROR,
                                f"the configuration file archive/{host}/{data.config} is missing",
                                "restore it from git, or remove the capture"))
        return None
    if config not in digests:
        digests[config] = digest_of(config.read_text(encoding="utf-8", errors="replace"))
    if digests[config] != data.digest:
        findings.append(Finding(file, *doc.locate(("digest",)), "archive-digest", Severity.ERROR,
                                f"archive/{host}/{data.config} does not match the capture's digest: it was edited",
                                "an archived configuration is what the device said; restore it from git"))
        return None
    return Capture(data, file, estate.relative(config))


def config_text(estate: Estate, capture: Capture) -> str:
    return (estate.root / capture.config_file).read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class NewCapture:
    """What a writer knows about one capture (``text`` already sanitised)."""

    host: str
    text: str
    time: datetime
    stage: Stage
    change: str | None = None
    run: str | None = None
    note: str | None = None
    parts: tuple[Part, ...] = ()


def store_capture(estate: Estate, new: NewCapture) -> list[Path]:
    """Write one capture (and its configuration when it differs from the latest); the files written."""
    if not HOST_NAME.match(new.host):
        raise ValueError(f"{new.host!r} is not a host name")
    folder = archive_root(estate) / new.host
    text = normalise(new.text)
    digest = digest_of(text)
    latest = read_archive(estate, new.host).latest
    written: list[Path] = []
    name = new.time.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if latest is not None and latest.digest == digest:
        config = latest.data.config
    else:
        path = _free(folder / CONFIGS, name, ".cfg")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
        config = f"{CONFIGS}/{path.name}"
    data = CaptureFile(host=new.host, time=new.time.astimezone(UTC), stage=new.stage, change=new.change,
                       run=new.run, note=new.note, digest=digest, config=config, parts=new.parts)
    path = _free(folder / CAPTURES, f"{name}-{new.stage}", ".yml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_capture_yaml(data), encoding="utf-8")
    return [*written, path]


def _free(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or the first ``stem-N.suffix`` not taken."""
    path, number = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}{suffix}", number + 1
    return path


def _capture_yaml(data: CaptureFile) -> str:
    body = data.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    body["time"] = stamp(data.time)
    body["parts"] = [p.model_dump() for p in data.parts]
    head = f"# {data.host}: one capture of the running configuration, written by changeops (never edited)\n"
    return head + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)


def parse_parts(show_inventory: str) -> tuple[Part, ...]:
    """The parts ``show inventory`` lists (parsed with ntc-templates); none when it cannot be parsed."""
    from ntc_templates.parse import parse_output  # type: ignore[import-untyped]

    try:
        rows = parse_output(platform="cisco_ios", command="show inventory", data=show_inventory)
    except Exception:  # noqa: BLE001 - textfsm raises its own error types for output it cannot parse
        return ()
    return tuple(Part(name=str(r.get("name", "")).strip(), descr=str(r.get("descr", "")).strip(),
                      pid=str(r.get("pid", "")).strip(), vid=str(r.get("vid", "")).strip(),
                      serial=str(r.get("sn", "")).strip()) for r in rows if isinstance(r, dict))


def _finding(file: str, line: int, rule: str, severity: Severity, message: str, hint: str) -> Finding:
    return Finding(file, line, 1, rule, severity, message, hint)
