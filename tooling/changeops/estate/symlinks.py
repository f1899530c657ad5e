"""No symbolic links in the estate's data folders.

A link can make ``changes/<ID>`` a record that lives anywhere (outside the reviewed diff), or make
a playbook or policy read a file nobody reviewed. Every link under these folders is an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity

GUARDED = ("changes", "policies", "playbooks", "inventory")


def symlinks_in(estate: Estate) -> list[str]:
    """Estate-relative paths of the symbolic links under the guarded folders of the working tree."""
    found = []
    for name in GUARDED:
        top = estate.root / name
        if top.is_symlink():
            found.append(name)
            continue
        for folder, dirs, files in os.walk(top, followlinks=False):
            for entry in (*dirs, *files):
                if (Path(folder) / entry).is_symlink():
                    found.append(estate.relative(Path(folder) / entry))
    return sorted(found)


def symlink_findings(paths: Iterable[str]) -> list[Finding]:
    """One error per symbolic link of ``paths`` (found in the working tree or in a git tree)."""
    return [Finding(path, 1, 1, "symlink", Severity.ERROR,
                    f"{path} is a symbolic link; records, policies, playbooks and inventory are real files",
                    "replace the link with the file or folder itself (git mode 100644 / a tree, not 120000)")
            for path in paths]
