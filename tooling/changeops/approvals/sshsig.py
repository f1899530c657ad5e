"""SSH signatures through OpenSSH's own `ssh-keygen -Y sign / verify / find-principals`."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from changeops.errors import ChangeopsError

NAMESPACE = "changeops-approval"


class SigningError(ChangeopsError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __str__(self) -> str:
        return f"cannot sign the approval: {self.detail}"


@dataclass(frozen=True)
class Signer:
    """One line of an allowed-signers file: who, and the public key that speaks for them."""

    principal: str
    public_key: str


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise ChangeopsError("ssh-keygen (OpenSSH) is not installed: apt-get install openssh-client")
    return found


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": os.environ.get("HOME", "/")}
    if "SSH_AUTH_SOCK" in os.environ:
        env["SSH_AUTH_SOCK"] = os.environ["SSH_AUTH_SOCK"]
    return subprocess.run([_ssh_keygen(), *args], input=data, capture_output=True, env=env, check=False, timeout=60)


def public_key_of(private_key: Path) -> str:
    """The public key (type and base64) of a private key file."""
    sidecar = Path(f"{private_key}.pub")
    if sidecar.is_file():
        text = sidecar.read_text().split()
    else:
        with readable_by_ssh(private_key) as usable:
            result = _run(["-y", "-f", str(usable)], b"")
        if result.returncode != 0:
            raise SigningError(f"{private_key}: {result.stderr.decode(errors='replace').strip()}")
        text = result.stdout.decode().split()
    return " ".join(text[:2])


def sign(message: bytes, private_key: Path, namespace: str = NAMESPACE) -> str:
    """An armoured SSH signature of ``message`` in ``namespace`` (default: change approvals)."""
    with readable_by_ssh(private_key) as usable:
        result = _run(["-Y", "sign", "-f", str(usable), "-n", namespace, "-q"], message)
    if result.returncode != 0:
        raise SigningError(result.stderr.decode(errors="replace").strip() or "ssh-keygen -Y sign failed")
    return result.stdout.decode()


@contextmanager
def readable_by_ssh(private_key: Path) -> Iterator[Path]:
    """``private_key``, or a private 0600 copy of it when others may read it.

    ssh-keygen refuses a key that group or others can read ("UNPROTECTED PRIVATE KEY FILE"), and a
    git clone checks every file out 0644, the demo keys included. The copy lives in a 0700 temporary
    folder that is removed as soon as the caller is done; the original is never changed.
    """
    try:
        mode = private_key.stat().st_mode
    except OSError as problem:
        raise SigningError(f"{private_key}: {problem.strerror}") from None
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        yield private_key
        return
    with tempfile.TemporaryDirectory(prefix="changeops-key-") as folder:
        copy = Path(folder) / "key"
        descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_key.read_bytes())
        yield copy


def verify(message: bytes, signature: str, principal: str, signers: list[Signer],
           revoked: list[str], namespace: str = NAMESPACE) -> tuple[bool, str]:
    """Whether ``signature`` is ``principal``'s over ``message`` in ``namespace``; and OpenSSH's word on it."""
    with tempfile.TemporaryDirectory(prefix="changeops-verify-") as folder:
        allowed, sig, revocations = _files(Path(folder), signature, signers, revoked, namespace)
        args = ["-Y", "verify", "-f", str(allowed), "-I", principal, "-n", namespace, "-s", str(sig)]
        if revocations is not None:
            args += ["-r", str(revocations)]
        result = _run(args, message)
        said = (result.stdout + result.stderr).decode(errors="replace").strip()
        return result.returncode == 0, said


def principals_of(signature: str, signers: list[Signer]) -> list[str]:
    """Which of ``signers`` made ``signature`` (empty when the key is none of theirs)."""
    with tempfile.TemporaryDirectory(prefix="changeops-verify-") as folder:
        allowed, sig, _ = _files(Path(folder), signature, signers, [])
        result = _run(["-Y", "find-principals", "-f", str(allowed), "-s", str(sig)], b"")
        return result.stdout.decode().split() if result.returncode == 0 else []


def _files(folder: Path, signature: str, signers: list[Signer], revoked: list[str],
           namespace: str = NAMESPACE) -> tuple[Path, Path, Path | None]:
    allowed = folder / "allowed_signers"
    allowed.write_text("".join(f'{s.principal} namespaces="{namespace}" {s.public_key}\n' for s in signers))
    sig = folder / "statement.sig"
    sig.write_text(signature)
    revocations = None
    if revoked:
        revocations = folder / "revoked_keys"
        revocations.write_text("".join(f"{key}\n" for key in revoked))
    return allowed, sig, revocations
