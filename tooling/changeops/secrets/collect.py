"""Secrets a run must never write: collected before the run, masked in everything written, scanned for after.

Known secret *values* come from vault-encrypted files and ``!vault`` values (decrypted
with the run's vault password; every value a vault holds, whatever its key), variables
named like credentials in the inventories (the lab overlay included), the variables a
``no_log`` task refers to, the change's step variables and the environment variables the
policy names or that hold device credentials. Policy *patterns* and the configuration
grammar mask what matches them. The run directory is then scanned for every known value in
every spelling and for unmasked configuration secrets; a hit means nothing is committed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from changeops.secrets.config_grammar import MASK
from changeops.secrets.known_values import KnownValues
from changeops.secrets.masking import mask_data, mask_text
from changeops.secrets.scan import Finding, scan_run_folder
from changeops.secrets.sources import leaves, no_log_arguments, variables

__all__ = ["MASK", "Secrets", "VaultLoader", "collect_secrets", "vault_password", "yaml_files"]
SECRET_NAME = re.compile(r"(?i)(pass(word|wd|phrase)?|secret|token|community|private_key|api_?key)$")
VAULT_HEADER = "$ANSIBLE_VAULT"
MIN_LENGTH = 4  # shorter values would mask half the transcript; they are reported, never scanned for
NO_LOG_TEXT = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"


class VaultLoader(yaml.SafeLoader):
    """Plain YAML plus Ansible's ``!vault`` scalars (kept as ciphertext for decryption)."""


class VaultText(str):
    """An encrypted value as written in a YAML file."""


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    """A tagged scalar's text; a tagged mapping or list is an error, as Ansible has it."""
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(None, None, f"{node.tag} must tag a scalar", node.start_mark)
    return str(loader.construct_scalar(node))


def _vault_text(loader: yaml.SafeLoader, node: yaml.Node) -> VaultText:
    return VaultText(_scalar(loader, node))


VaultLoader.add_constructor("!vault", _vault_text)
VaultLoader.add_constructor("!unsafe", _scalar)


@dataclass
class Secrets:
    """What to mask: exact values and regular expressions."""

    values: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    too_short: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    _known: tuple[int, KnownValues] | None = field(default=None, repr=False, compare=False)

    def add(self, value: Any) -> None:
        if not isinstance(value, str) or not value.strip() or "{{" in value or "{%" in value:
            return
        value = value.strip()
        (self.values if len(value) >= MIN_LENGTH else self.too_short).add(value)
        for line in value.splitlines():  # a multi-line secret (a key) may be written line by line
            if len(line.strip()) >= 8:
                self.values.add(line.strip())

    def known(self) -> KnownValues:
        """The values in every spelling (raw, base64, URL, hex), rebuilt when a value was added."""
        if self._known is None or self._known[0] != len(self.values):
            self._known = (len(self.values), KnownValues(self.values))
        return self._known[1]

    def redact_text(self, text: str) -> str:
        """``text`` with every known value (any spelling), secret configuration line and pattern masked."""
        return mask_text(text, self.known(), self.patterns)

    def redact(self, data: Any) -> Any:
        """A copy of plain data (events, results) with secrets masked in keys' values and strings."""
        return mask_data(data, self.redact_text, _is_secret_name)

    def findings(self, folder: Path) -> list[Finding]:
        """Every secret the scan finds under ``folder``: known values in any spelling, configuration lines."""
        return scan_run_folder(folder, self.known(), self.patterns)

    def leaks(self, folder: Path) -> list[str]:
        """Files under ``folder`` that the scan finds a secret in (relative paths; never the value)."""
        return sorted({finding.file for finding in self.findings(folder)})


def _is_secret_name(name: Any) -> bool:
    return isinstance(name, str) and bool(SECRET_NAME.search(name))


def collect_secrets(*, files: Iterable[Path], step_vars: Iterable[dict[str, Any]], env_names: Iterable[str],
                    patterns: Iterable[str], env: dict[str, str], vault_password: str | None) -> Secrets:
    """Every secret the run could write: from inventory/playbook YAML files, step vars, env and policy."""
    secrets = Secrets()
    vault = _vault(vault_password)
    if vault_password:
        secrets.add(vault_password)
    known: dict[str, list[str]] = {}
    documents = [_from_file(path, secrets, vault) for path in files]
    for data in [*documents, *step_vars]:
        _walk(data, secrets)
        variables(data, known)
    for data in documents:  # after every file: a no_log task may refer to a variable defined anywhere
        for value in no_log_arguments(data, known):
            secrets.add(value)
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


def _from_file(path: Path, secrets: Secrets, vault: Any) -> Any:
    """A YAML file's data, vault content decrypted; everything a vault protected is added as a secret."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    whole_vault = text.startswith(VAULT_HEADER)
    if whole_vault:
        plain = _decrypt(vault, text, secrets, path)
        if plain is None:
            return None
        secrets.add(plain)
        text = plain
    try:
        data = _plain(yaml.load(text, Loader=VaultLoader), secrets, vault, path)
    except yaml.YAMLError:
        return None
    if whole_vault:  # a vault protects every value in it, whatever its key is called
        for value in leaves(data):
            secrets.add(value)
    return data


def _plain(data: Any, secrets: Secrets, vault: Any, path: Path | None) -> Any:
    """``data`` with every ``!vault`` value decrypted, each of them added as a secret."""
    if isinstance(data, VaultText):
        value = _decrypt(vault, data, secrets, path)
        secrets.add(value)
        return value
    if isinstance(data, dict):
        return {key: _plain(value, secrets, vault, path) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value, secrets, vault, path) for value in data]
    return data


def _walk(data: Any, secrets: Secrets) -> None:
    """Add the values of keys named like credentials (``ansible_password``, ``snmp_community``)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if _is_secret_name(key) and isinstance(value, (str, int)) and not isinstance(value, bool):
                secrets.add(str(value))
            else:
                _walk(value, secrets)
    elif isinstance(data, list):
        for value in data:
            _walk(value, secrets)


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
        return str(vault.decrypt(text.strip().encode()).decode("utf-8"))
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
