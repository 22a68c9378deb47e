"""What a deletion did, or what a re-read after a dropped link found: the
pieces removed, left and not done (with libvirt's own words)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from kvmdesk.virt.errors import Failure


class Part(enum.Enum):
    """What a deletion removes or leaves."""

    DEFINITION = "definition"
    MANAGED_SAVE = "managed_save"
    SNAPSHOT = "snapshot"  # its metadata; ``name`` is the snapshot's
    CHECKPOINTS = "checkpoints"
    NVRAM = "nvram"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Piece:
    part: Part
    path: str = ""
    name: str = ""  # a snapshot's name, or the disk target a file belongs to


@dataclass(frozen=True, slots=True)
class NotDone:
    piece: Piece
    reason: str  # plain words, libvirt's own when it refused
    failure: Failure | None = None  # the classified libvirt failure, if any


@dataclass(slots=True)
class DeleteOutcome:
    name: str
    uuid: str = ""
    backup: Path | None = None
    forced_off: bool = False
    undefined: bool = False
    undefine_error: str = ""
    undefine_failure: Failure | None = None
    removed: list[Piece] = field(default_factory=list)
    left: list[Piece] = field(default_factory=list)
    not_done: list[NotDone] = field(default_factory=list)

    @property
    def deleted(self) -> list[str]:
        """Paths of the files deleted."""
        return [p.path for p in self.removed if p.part is Part.FILE]

    @property
    def failed(self) -> list[tuple[str, str]]:
        """(path, reason) of each chosen file that was not deleted."""
        return [(n.piece.path, n.reason) for n in self.not_done if n.piece.part is Part.FILE]

    @property
    def complete(self) -> bool:
        return self.undefined and not self.not_done


@dataclass(frozen=True, slots=True)
class DeleteCheck:
    """What is left after a deletion cut by a dropped link, as a re-read found it."""

    name: str
    domain_exists: bool  # still defined (or running)
    volumes_left: tuple[str, ...]  # chosen files that still exist
    volumes_gone: tuple[str, ...]  # chosen files that no longer exist
