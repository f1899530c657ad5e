"""Flash files, images and SMUs: what `dir`, `verify /md5`, `install` and `boot system` work on.

Image files are not stored; a lab image has a size and an MD5 only. The MD5 of
an image the lab put on flash itself is ``lab_md5(name)`` unless one was given
when the file was added. The version an image boots is taken from the lab's
image map, else from the file name (``isr4400-universalk9.17.12.04.SPA.bin``
boots 17.12.04).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

FLASH_TOTAL = 7_897_796_608
IMAGE_SIZE = 689_103_288
SMU_SIZE = 7_426_048
_VERSION_IN_NAME = re.compile(r"\.(\d{2}\.\d{2}\.\d{2}[a-z]?)\.")


@dataclass
class FlashFile:
    name: str
    size: int
    md5: str
    content: str | None = None
    modified: str = "Nov 26 2026 02:00:00 +00:00"


@dataclass
class Package:
    """An installed SMU; state as `show install summary` prints it (C, U, D or I)."""

    filename: str
    state: str


@dataclass
class Software:
    """The software side of one device: its flash, its SMUs, what it boots next."""

    flash: dict[str, FlashFile] = field(default_factory=dict)
    packages: list[Package] = field(default_factory=list)
    image_versions: dict[str, str] = field(default_factory=dict)

    def add_file(self, name: str, *, size: int | None = None, md5: str | None = None,
                 content: str | None = None, version: str | None = None) -> FlashFile:
        """Put a file on flash (replacing one of the same name)."""
        if content is not None:
            size = len(content.encode())
            md5 = md5 or hashlib.md5(content.encode()).hexdigest()
        flash_file = FlashFile(name, size if size is not None else _default_size(name), md5 or lab_md5(name), content)
        self.flash[name] = flash_file
        if version:
            self.image_versions[name] = version
        return flash_file

    def version_of(self, image: str) -> str | None:
        """The version ``image`` boots: from the image map, else from its name."""
        if image in self.image_versions:
            return self.image_versions[image]
        match = _VERSION_IN_NAME.search(image)
        return match.group(1) if match else None

    def free_bytes(self) -> int:
        return FLASH_TOTAL - sum(f.size for f in self.flash.values())

    def active_smus(self) -> list[Package]:
        return [p for p in self.packages if p.state in ("C", "U")]


def lab_md5(name: str) -> str:
    """The MD5 the lab reports for an image it made up (the MD5 of the file name)."""
    return hashlib.md5(name.encode()).hexdigest()


def is_smu(name: str) -> bool:
    return ".smu." in name.lower()


def flash_name(argument: str) -> str | None:
    """``flash:x.bin`` / ``bootflash:/x.bin`` → ``x.bin``; None when not on flash."""
    match = re.fullmatch(r"(?:boot)?flash:/?(\S*)", argument)
    return match.group(1) if match else None


def _default_size(name: str) -> int:
    return SMU_SIZE if is_smu(name) else IMAGE_SIZE


def short_version(version: str) -> str:
    """``17.09.04a`` → ``17.9`` (the `version` line of the running-config)."""
    parts = version.split(".")
    return f"{int(parts[0])}.{int(parts[1])}" if len(parts) > 1 and parts[1].isdigit() else version
