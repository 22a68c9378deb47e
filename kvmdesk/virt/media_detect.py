"""Which operating system an install ISO holds, from its ISO 9660 header.

As libosinfo does for virt-manager: the primary volume descriptor (sector
16) names the volume, system, publisher and application; osinfo's database
gives patterns for them per OS (``OsRecord.media_ids``). Only the 2 KiB
descriptor is read, from a file on this computer; a remote host's ISO is a
volume there and is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kvmdesk.virt.osinfo import OsRecord

SECTOR = 2048
_PVD = 16 * SECTOR


@dataclass(frozen=True, slots=True)
class IsoIds:
    volume: str
    system: str
    publisher: str
    application: str


def _field(block: bytes, start: int, length: int) -> str:
    return block[start : start + length].decode("ascii", "replace").strip(" \x00")


def read_iso_ids(path: str | Path) -> IsoIds | None:
    """The identifiers of an ISO 9660 image; None for anything else (or unreadable)."""
    try:
        with open(path, "rb") as image:
            image.seek(_PVD)
            block = image.read(SECTOR)
    except (OSError, ValueError):  # unreadable, a folder, or a NUL in the path
        return None
    if len(block) < SECTOR or block[0:6] != b"\x01CD001":
        return None
    return IsoIds(
        volume=_field(block, 40, 32),
        system=_field(block, 8, 32),
        publisher=_field(block, 318, 128),
        application=_field(block, 574, 128),
    )


def _matches(pattern: str, value: str) -> bool:
    if not pattern:
        return True
    try:
        return re.match(pattern, value) is not None
    except re.error:
        return False


def detect(records: tuple[OsRecord, ...] | list[OsRecord], ids: IsoIds) -> OsRecord | None:
    """The OS whose media patterns fit ``ids`` best (the most patterns given), or None."""
    values = (ids.volume, ids.system, ids.publisher, ids.application)
    best: tuple[int, OsRecord] | None = None
    for record in records:
        for patterns in record.media_ids:
            if not patterns[0] or not all(map(_matches, patterns, values)):
                continue
            weight = sum(1 for p in patterns if p)
            if best is None or weight > best[0]:
                best = (weight, record)
    return best[1] if best else None
