"""Secrets a run must never write: collected before the run, masked in everything written, scanned for after.

Known secret *values* come from vault-encrypted variables and files (decrypted with the
run's vault password), variables named like credentials in the inventories (the lab
overlay included), the change's step variables and the environment variables the policy
names. Policy *patterns* mask what matches them. The run directory is then scanned for
every known value; a hit means nothing is committed (fail closed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MASK = "********"
SECRET_NAME = re.compile(r"(?i)(pass(word|wd|phrase)?|secret|token|community|private_key|api_?key)$")
VAULT_HEADER = "$ANSIBLE_VAULT"
MIN_LENGTH = 4  # shorter values would mask half the transcript; they are reported, never scanned for
NO_LOG_TEXT = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"


class _VaultLoader(yaml.SafeLoader):
    """Plain YAML plus Ansible's ``!vault`` scalars (kept as ciphertext for decryption)."""


_VaultLoader.add_constructor("!vault", lambda loader, node: VaultText(loader.construct_scalar(node)))
_VaultLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


class VaultText(str):
    """An encrypted value as written in a YAML file."""


@dataclass
class Secrets:
    """What to mask: exact values and regular expressions."""

    values: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    too_short: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def add(self, value: Any) -> None:
        if not isinstance(value, str) or not value.strip() or "{{" in value or "{%" in value:
            return
        value = value.strip()
        (self.values if len(value) >= MIN_LENGTH else self.too_short).add(value)
        for line in value.splitlines():  # a multi-line secret (a key) may be written line by line
            if len(line.strip()) >= 8:
                self.values.add(line.strip())

    def redact_text(self, text: str) -> str:
        """``text`` with every known value and every pattern match masked."""
        for value in sorted(self.values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, MASK)
        for pattern in self.patterns:
            text = pattern.sub(_mask_match, text)
        return text

    def redact(self, data: Any) -> Any:
        """A copy of plain data (events, results) with secrets masked in keys' values and strings."""
        if isinstance(data, dict):
            return {k: (MASK if _is_secret_name(k) and isinstance(v, (str, int)) and v not in ("", None)
                        else self.redact(v)) for k, v in data.items()}
        if isinstance(data, list):
            return [self.redact(v) for v in data]
        if isinstance(data, str):
            return self.redact_text(data)
        return data

    def leaks(self, folder: Path) -> list[str]:
        """Files under ``folder`` that contain a known secret value (relative paths; never the value)."""
        found = []
        needles = [v.encode() for v in self.values]
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            content = path.read_bytes()
            if any(n in content for n in needles):
                found.append(path.relative_to(folder).as_posix())
        return found


def _mask_match(match: re.Match[str]) -> str:
    if not match.re.groups:
        return MASK
    text, start = match.group(0), match.start(0)
    pieces, at = [], 0
    for index in range(1, match.re.groups + 1):
        if match.start(index) < 0:
            continue
        begin, end = match.start(index) - start, match.end(index) - start
        pieces += [text[at:begin], MASK]
        at = end
    return "".join(pieces) + text[at:]


def _is_secret_name(name: Any) -> bool:
    return isinstance(name, str) and bool(SECRET_NAME.search(name))


def collect_secrets(*, files: Iterable[Path], step_vars: Iterable[dict[str, Any]], env_names: Iterable[str],
                    patterns: Iterable[str], env: dict[str, str], vault_password: str | None) -> Secrets:
    """Every secret the run could write: from inventory/playbook YAML files, step vars, env and policy."""
    secrets = Secrets()
    vault = _vault(vault_password)
    if vault_password:
        secrets.add(vault_password)
    for path in files:
        _from_file(path, secrets, vault)
    for variables in step_vars:
        _walk(variables, secrets, vault)
    for name in env_names:
        if env.get(name):
            secrets.add(env[name])
    for text in patterns:
        try:
            secrets.patterns.append(re.compile(text))
        except re.error as err:
            secrets.problems.append(f"redaction pattern {text!r} is not a regular expression: {err}")
    return secrets


def yaml_files(folder: Path) -> list[Path]:
    """YAML files under ``folder`` (inventories, group_vars, host_vars, playbooks, roles)."""
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml", ".json", ""))


def _from_file(path: Path, secrets: Secrets, vault: Any) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if text.startswith(VAULT_HEADER):
        plain = _decrypt(vault, text, secrets, path)
        if plain is None:
            return
        secrets.add(plain)  # the whole file is secret; its values too
        text = plain
    try:
        data = yaml.load(text, Loader=_VaultLoader)
    except yaml.YAMLError:
        return
    _walk(data, secrets, vault, path)


def _walk(data: Any, secrets: Secrets, vault: Any, path: Path | None = None) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, VaultText):
                secrets.add(_decrypt(vault, value, secrets, path))
            elif _is_secret_name(key) and isinstance(value, (str, int)):
                secrets.add(str(value))
            else:
                _walk(value, secrets, vault, path)
    elif isinstance(data, list):
        for value in data:
            _walk(value, secrets, vault, path)
    elif isinstance(data, VaultText):
        secrets.add(_decrypt(vault, data, secrets, path))


def _vault(password: str | None) -> Any:
    if not password:
        return None
    from ansible.parsing.vault import VaultLib, VaultSecret  # only when there is a vault password

    return VaultLib([("default", VaultSecret(password.encode()))])


def _decrypt(vault: Any, text: str, secrets: Secrets, path: Path | None) -> str | None:
    if vault is None:
        secrets.problems.append(f"{path}: vault-encrypted content but no vault password; it cannot be masked")
        return None
    try:
        return vault.decrypt(text.strip().encode()).decode("utf-8")
    except Exception as err:  # noqa: BLE001 - ansible raises several kinds; all mean "cannot decrypt"
        secrets.problems.append(f"{path}: vault content does not decrypt with the run's password ({err})")
        return None


def vault_password(env: dict[str, str]) -> str | None:
    """The vault password named by CHANGEOPS_VAULT_PASSWORD_FILE or ANSIBLE_VAULT_PASSWORD_FILE."""
    for name in ("CHANGEOPS_VAULT_PASSWORD_FILE", "ANSIBLE_VAULT_PASSWORD_FILE"):
        file = env.get(name) or os.environ.get(name)
        if file and Path(file).is_file():
            return Path(file).read_text(encoding="utf-8").strip()
    return None
