"""Defining and creating domains from an XML file, as ``virsh define`` and ``virsh create``.

The file goes through the checks of the XML editor before libvirt sees it:
a size limit, UTF-8, no DOCTYPE or ENTITY declarations (entity expansion
bombs, external entities), well-formed XML (line and column otherwise) and a
<domain> root. libvirt then validates it against its schema.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import libvirt

from kvmdesk.domxml.check import InvalidXml, parse_checked
from kvmdesk.domxml.nodes import text_of

MAX_BYTES = 1024 * 1024  # a domain definition is a few KiB; 1 MiB is plenty


class Mode(enum.Enum):
    DEFINE = "define"  # persistent, not started
    CREATE = "create"  # transient, started at once


class FileProblem(ValueError):
    """The file cannot be read as a domain definition (too large, not UTF-8, unreadable)."""


@dataclass(frozen=True)
class DomainFile:
    path: str
    text: str
    name: str  # from <name>; "" when missing


@dataclass(frozen=True)
class Defined:
    name: str
    uuid: str
    persistent: bool
    active: bool


def read_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text; raises ``FileProblem`` (too large, not UTF-8, unreadable)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FileProblem(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise FileProblem(f"the file is larger than {max_bytes // 1024} KiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"the file is not UTF-8 text (byte {exc.start + 1})") from None
    return text


def read_domain_file(path: str | Path, max_bytes: int = MAX_BYTES) -> DomainFile:
    """Read and check a domain definition file.

    Raises ``FileProblem`` (too large, not UTF-8, unreadable) or ``InvalidXml``
    (declarations, malformed with line and column, root other than <domain>).
    """
    text = read_text(path, max_bytes)
    return DomainFile(str(path), text, checked_name(text))


def checked_name(text: str) -> str:
    """The domain's name after the editor's checks; raises ``InvalidXml``."""
    return text_of(parse_checked(text, "domain"), "name")


def define_or_create(conn: libvirt.virConnect, text: str, mode: Mode) -> Defined:
    """Check ``text``, then define it (persistent, not started) or create it
    (transient, started), validated against libvirt's schema."""
    checked_name(text)
    if mode is Mode.DEFINE:
        dom = conn.defineXMLFlags(text, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    else:
        dom = conn.createXML(text, libvirt.VIR_DOMAIN_START_VALIDATE)
    return Defined(
        name=str(dom.name()),
        uuid=str(dom.UUIDString()),
        persistent=bool(dom.isPersistent()),
        active=bool(dom.isActive()),
    )


__all__ = [
    "MAX_BYTES",
    "Defined",
    "DomainFile",
    "FileProblem",
    "InvalidXml",
    "Mode",
    "define_or_create",
    "read_domain_file",
    "read_text",
]
