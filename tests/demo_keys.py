"""The demo approvers' private keys, as ssh-keygen will use them.

git does not keep file modes, so in a fresh clone the keys are world-readable and
`ssh-keygen -Y sign` refuses them. Tests sign with private copies (mode 0600).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

KEYS = Path(__file__).resolve().parent.parent / "demo" / "approver-keys"


@cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="changeops-demo-keys-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def demo_key(approver: str) -> Path:
    """A 0600 copy of the demo approver's private key (and its public half)."""
    copy = _folder() / approver
    if not copy.exists():
        copy.write_bytes((KEYS / approver).read_bytes())
        copy.chmod(0o600)
        (_folder() / f"{approver}.pub").write_bytes((KEYS / f"{approver}.pub").read_bytes())
    return copy
