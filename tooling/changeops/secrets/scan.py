"""The scan that fails closed: known values in any spelling and secret-shaped configuration lines.

The same scan guards a run's commit (:func:`scan_run_folder`) and audits a repository
(:func:`scan_repository`, ``changeops secrets scan``): the committed run records and device archive, or
with ``--history`` every blob git has ever stored. A JSON-lines file is scanned as the masking saw it, string by string
(:func:`changeops.secrets.masking.texts_of`), and reported by its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from changeops.secrets.config_grammar import config_findings
from changeops.secrets.known_values import KnownValues
from changeops.secrets.masking import pattern_hits, texts_of

if TYPE_CHECKING:
    from changeops.estate.layout import Estate
    from changeops.secrets.collect import Secrets

VALUE_HINT = "a known secret value; find the writer that missed it, and rotate the secret if it was pushed"
PATTERN_HINT = "matches a redaction pattern of policies/rules.yml and is not masked"
BINARY_SNIFF = 8000
ARCHIVE_PREFIX = "archive/"
"""The device archive (sanitised running configurations): scanned like the run records."""


@dataclass(frozen=True)
class Finding:
    """A secret in a file: where, which rule found it and what to do. Never the value itself."""

    file: str
    line: int
    rule: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.hint}"


@dataclass
class ScanReport:
    """What a repository scan looked at and found."""

    scanned: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be known (a vault without its password)

    @property
    def clean(self) -> bool:
        return not self.findings


def scan_text(name: str, text: str, values: KnownValues, patterns: list[re.Pattern[str]]) -> list[Finding]:
    """Findings in one file's text (JSON-lines files string by string)."""
    if not name.endswith(".jsonl"):
        return sorted(_scan_lines(name, text, values, patterns), key=lambda f: (f.line, f.rule))
    found: set[Finding] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        for _, needle in values.find(line):
            found.add(Finding(name, number, f"known-value ({needle.form})", VALUE_HINT))
        found |= _scan_json_line(name, number, line, values, patterns)
    return sorted(found, key=lambda f: (f.line, f.rule))


def _scan_json_line(name: str, number: int, line: str, values: KnownValues,
                    patterns: list[re.Pattern[str]]) -> set[Finding]:
    try:
        data = json.loads(line)
    except ValueError:
        return set()  # the raw line was searched for values; a cut-off last line holds no whole string
    found: set[Finding] = set()
    for text in texts_of(data):
        for finding in _scan_lines(name, text, values, patterns):
            found.add(Finding(name, number, finding.rule, finding.hint))
    return found


def _scan_lines(name: str, text: str, values: KnownValues, patterns: list[re.Pattern[str]]) -> set[Finding]:
    found = {Finding(name, f.line, f"config: {f.rule}", f.hint) for f in config_findings(text)}
    found |= {Finding(name, text.count("\n", 0, at) + 1, "policy-pattern", PATTERN_HINT)
              for at in pattern_hits(text, patterns)}
    found |= {Finding(name, text.count("\n", 0, at) + 1, f"known-value ({needle.form})", VALUE_HINT)
              for at, needle in values.find(text)}
    return found


def scan_run_folder(folder: Path, values: KnownValues, patterns: list[re.Pattern[str]]) -> list[Finding]:
    """Findings in every file under a run folder, named relative to it."""
    found: list[Finding] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found += scan_bytes(path.relative_to(folder).as_posix(), path.read_bytes(), values, patterns)
    return found


def scan_bytes(name: str, content: bytes, values: KnownValues, patterns: list[re.Pattern[str]]) -> list[Finding]:
    """Findings in a file's content; a binary file is searched for known values only."""
    text = content.decode("utf-8", "replace")
    if b"\0" in content[:BINARY_SNIFF]:
        return sorted({Finding(name, text.count("\n", 0, at) + 1, f"known-value ({needle.form})", VALUE_HINT)
                       for at, needle in values.find(text)}, key=lambda f: (f.line, f.rule))
    return scan_text(name, text, values, patterns)


def scan_repository(estate: Estate, *, history: bool, exclude: list[str]) -> ScanReport:
    """Scan the committed run records and device archive at HEAD, or with ``history`` every blob ever committed."""
    from changeops import git as gitops

    secrets = estate_secrets(estate)
    values = KnownValues(secrets.values)
    repo = gitops.open_repo(estate.root)
    report = ScanReport(problems=list(secrets.problems))
    for name, content in _blobs(repo, history=history):
        if any(fnmatch(name, pattern) for pattern in exclude):
            continue
        report.scanned += 1
        # Policy patterns were written to mask run output; on prose and code they would match every "password".
        patterns = secrets.patterns if "/runs/" in name or name.startswith(ARCHIVE_PREFIX) else []
        report.findings += scan_bytes(name, content, values, patterns)
    return report


def _blobs(repo: Any, *, history: bool) -> Iterator[tuple[str, bytes]]:
    from changeops import git as gitops

    if history:
        for sha, path, blob in gitops.history_blobs(repo):
            yield f"{path}@{sha[:10]}", blob
        return
    head = repo.head.commit
    paths = [p for p in gitops.files_under(head, "changes") if "/runs/" in p]
    paths += gitops.files_under(head, ARCHIVE_PREFIX.rstrip("/"))
    for path, content in gitops.read_files(head, paths).items():
        if content is not None:
            yield path, content


def estate_secrets(estate: Estate) -> Secrets:
    """The values and patterns a run of this estate would mask, without a change (for audits)."""
    import os

    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource
    from changeops.secrets.collect import collect_secrets, vault_password, yaml_files
    from changeops.secrets.sources import environment_credentials

    settings = read_policies(DirectorySource(estate.policies)).rules.redaction
    env = dict(os.environ)
    files = [f for source in (estate.inventory, estate.playbooks) for f in yaml_files(source)]
    names = [*settings.values_from_env, *environment_credentials(env)]
    return collect_secrets(files=files, step_vars=[], env_names=names, patterns=settings.patterns, env=env,
                           vault_password=vault_password(env))
