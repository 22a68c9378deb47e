"""Defining and creating domains from an XML file, as ``virsh define`` and ``virsh create``.

The file goes through the checks of the XML editor before libvirt sees it:
a size limit, UTF-8, no DOCTYPE or ENTITY declarations (entity expansion
bombs, external entities), well-formed XML (line and column otherwise) and a
<domain> root. libvirt then validates it against its schema.

libvirt's define replaces, without a word, the definition of a domain with
the same name and UUID, and its create starts such a domain (shut off) with
the file's XML. So ``define_or_create`` looks first: a domain with this
identity raises ``WouldReplace`` (with its definition, for a comparison)
until the caller passes that very definition back as ``replacing``; a name
or UUID that belongs to another domain raises ``IdentityTaken``, which
libvirt would refuse anyway. ``recheck`` says, after a dropped link,
whether the definition was stored.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import libvirt

from kvmdesk.domxml.check import InvalidXml, parse_checked
from kvmdesk.domxml.nodes import text_of
from kvmdesk.virt.steps import Journal, Step
from kvmdesk.virt.xmlcompare import holds
from kvmdesk.virt.xmledit import read_definition

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


def _identity(text: str) -> tuple[str, str]:
    """(name, uuid) of the definition after the editor's checks; uuid "" when absent."""
    root = parse_checked(text, "domain")
    return text_of(root, "name"), text_of(root, "uuid")


@dataclass(frozen=True)
class Existing:
    """A domain that has the name or the UUID of a definition about to be defined."""

    name: str
    uuid: str
    xml: str  # its stored definition (with secrets where the connection may read them)
    active: bool
    persistent: bool
    same_name: bool  # it has the definition's name
    same_uuid: bool  # it has the definition's UUID
    other_name: str = ""  # a second domain: the UUID's, when the name is another's

    @property
    def same_identity(self) -> bool:
        """Name and UUID both its own: libvirt's define replaces its definition."""
        return self.same_name and self.same_uuid and not self.other_name


class WouldReplace(Exception):
    """The definition has the name and UUID of ``existing``: defining replaces it."""

    def __init__(self, existing: Existing) -> None:
        super().__init__(existing.name)
        self.existing = existing


class IdentityTaken(Exception):
    """The name or UUID belongs to another domain (or, for Create, one that
    runs): libvirt would refuse it."""

    def __init__(self, existing: Existing) -> None:
        super().__init__(existing.name)
        self.existing = existing


def _lookup(find: Callable[[str], libvirt.virDomain], key: str) -> libvirt.virDomain | None:
    try:
        return find(key)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() in (libvirt.VIR_ERR_NO_DOMAIN, libvirt.VIR_ERR_INVALID_ARG):
            return None
        raise


def find_existing(conn: libvirt.virConnect, text: str) -> Existing | None:
    """The domain with the definition's name or UUID, if there is one."""
    name, uuid = _identity(text)
    by_name = _lookup(conn.lookupByName, name) if name else None
    by_uuid = _lookup(conn.lookupByUUIDString, uuid) if uuid else None
    dom = by_name or by_uuid
    if dom is None:
        return None
    dom_uuid = str(dom.UUIDString())
    other = ""
    if by_name is not None and by_uuid is not None and by_uuid.UUIDString() != dom_uuid:
        other = str(by_uuid.name())
    xml, _secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    return Existing(
        name=str(dom.name()),
        uuid=dom_uuid,
        xml=xml,
        active=bool(dom.isActive()),
        persistent=bool(dom.isPersistent()),
        same_name=by_name is not None,
        same_uuid=by_uuid is not None and by_uuid.UUIDString() == dom_uuid,
        other_name=other,
    )


def define_journal(mode: Mode) -> Journal:
    return Journal(
        [
            Step("look", writes=False),
            Step(mode.value),
            Step("read back", writes=False),
        ]
    )


def define_or_create(
    conn: libvirt.virConnect,
    text: str,
    mode: Mode,
    *,
    replacing: Existing | None = None,
    journal: Journal | None = None,
) -> Defined:
    """Check ``text``, then define it (persistent, not started) or create it
    (transient, started), validated against libvirt's schema.

    Raises ``IdentityTaken`` when its name or UUID is another domain's (or
    the domain runs, for Create), and ``WouldReplace`` when a domain has
    both, unless ``replacing`` is that domain with the definition it has
    now: the user saw what would change and agreed.
    """
    journal = journal or define_journal(mode)
    checked_name(text)
    journal.begin("look")
    found = find_existing(conn, text)
    journal.done("look")
    if found is not None:
        if not found.same_identity or (mode is Mode.CREATE and found.active):
            raise IdentityTaken(found)
        if replacing is None or (replacing.uuid, replacing.xml) != (found.uuid, found.xml):
            raise WouldReplace(found)
    journal.begin(mode.value)
    if mode is Mode.DEFINE:
        dom = conn.defineXMLFlags(text, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    else:
        dom = conn.createXML(text, libvirt.VIR_DOMAIN_START_VALIDATE)
    journal.done(mode.value)
    journal.begin("read back")
    defined = _defined(dom)
    journal.done("read back")
    return defined


def _defined(dom: libvirt.virDomain) -> Defined:
    return Defined(
        name=str(dom.name()),
        uuid=str(dom.UUIDString()),
        persistent=bool(dom.isPersistent()),
        active=bool(dom.isActive()),
    )


@dataclass(frozen=True)
class DefineCheck:
    """What a re-read after a dropped link found."""

    stored: bool | None  # True: defined (or created); False: not; None: cannot tell
    domain: Defined | None  # the domain with the definition's identity now, if any


def recheck(
    conn: libvirt.virConnect,
    text: str,
    mode: Mode,
    replacing: Existing | None,
    journal: Journal,
) -> DefineCheck:
    """After a dropped link: did ``define_or_create`` store ``text``?"""
    name, uuid = _identity(text)
    dom = _lookup(conn.lookupByUUIDString, uuid) if uuid else None
    if dom is None and name:
        dom = _lookup(conn.lookupByName, name)
    if dom is None:
        return DefineCheck(False, None)
    domain = _defined(dom)
    if journal.finished(mode.value):
        return DefineCheck(True, domain)
    if mode is Mode.CREATE:
        # It did not run before (a running one is refused): running now is ours.
        return DefineCheck(domain.active, domain)
    if replacing is None:
        return DefineCheck(True, domain)  # it did not exist before the define
    current, _secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    if current == replacing.xml:
        return DefineCheck(False, domain)
    return DefineCheck(True if holds(current, text) else None, domain)


__all__ = [
    "MAX_BYTES",
    "DefineCheck",
    "Defined",
    "DomainFile",
    "Existing",
    "FileProblem",
    "IdentityTaken",
    "InvalidXml",
    "Mode",
    "WouldReplace",
    "define_journal",
    "define_or_create",
    "find_existing",
    "read_domain_file",
    "read_text",
    "recheck",
]
