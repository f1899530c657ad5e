"""Lab-only secrets: device login and enable passwords, SSH keys. Generated per lab, never committed."""

from __future__ import annotations

import getpass
import json
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from changeops_lab.errors import LabError
from changeops_lab.paths import LabPaths

DEVICE_USER = "netops"
SSH_KEYGEN = "/usr/bin/ssh-keygen"


@dataclass(frozen=True)
class DeviceCredentials:
    """The login and enable secrets every simulated device of one lab accepts."""

    user: str
    password: str
    enable: str


def prepare_secrets(paths: LabPaths) -> DeviceCredentials:
    """Create the lab's credentials and keys (kept when they already exist)."""
    paths.keys.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.keys, 0o700)
    if not paths.credentials.exists():
        data = {"user": DEVICE_USER, "password": secrets.token_urlsafe(12), "enable": secrets.token_urlsafe(12)}
        _write_private(paths.credentials, json.dumps(data, indent=1))
    if not paths.device_host_key.exists():
        key = asyncssh.generate_private_key("ssh-ed25519", comment="changeops-lab-device")
        _write_private(paths.device_host_key, key.export_private_key().decode())
    if not paths.client_key.exists():
        generate_ssh_key(paths, paths.client_key, "changeops-lab-client")
        paths.authorized_keys.write_text(paths.client_key.with_suffix(".pub").read_text(), encoding="utf-8")
    return device_credentials(paths)


def device_credentials(paths: LabPaths) -> DeviceCredentials:
    data = json.loads(paths.credentials.read_text(encoding="utf-8"))
    return DeviceCredentials(data["user"], data["password"], data["enable"])


def linux_user() -> str:
    """The account Ansible logs in as on the lab's Linux hosts (sshd runs as this user's machine)."""
    return getpass.getuser()


def generate_ssh_key(paths: LabPaths, path: Path, comment: str) -> None:
    """An ed25519 key pair without passphrase, made by OpenSSH's ssh-keygen."""
    result = subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                            env={"PATH": "/usr/bin:/bin", "LANG": "C"}, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LabError(paths.root, f"ssh-keygen failed for {path.name}: {result.stderr.strip()}",
                       "install openssh-client")


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
