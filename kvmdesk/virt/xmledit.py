"""Editing a domain's XML, as ``virsh edit`` does, with the checks it lacks.

* ``check_xml`` refuses DOCTYPE and ENTITY declarations before anything
  parses the text (entity expansion bombs, external entities), then reports
  malformed XML with its line and column, and a root other than <domain>.
* ``fetch_definitions`` reads the inactive definition with its secrets
  (``VIR_DOMAIN_XML_SECURE``, as ``virsh edit``) where the connection may
  read them, and the live one of a running domain, to compare. Saving a
  definition read without its VNC password would delete the password.
* ``save_xml`` defines the edited XML only if nobody changed the stored
  definition since it was fetched (otherwise ``XmlConflict``), compared
  with secrets, so a password changed meanwhile is a conflict too. Secrets
  the editor did not see are merged back (``domxml.secrets``), and what
  libvirt dropped is reported, compared with the secure re-read.
* ``recheck_save`` says, after a dropped link, whether the edit was stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libvirt

from kvmdesk.domxml import secrets
from kvmdesk.domxml.check import InvalidXml, ProblemKind, XmlProblem, check_xml
from kvmdesk.virt.steps import Journal, Step
from kvmdesk.virt.xmlcompare import dropped_content, holds, unified_diff

__all__ = [
    "SAVE_STEPS",
    "Definitions",
    "InvalidXml",
    "ProblemKind",
    "SaveCheck",
    "SaveResult",
    "SecretsUnreadable",
    "XmlConflict",
    "XmlProblem",
    "check_xml",
    "dropped_content",
    "fetch_definitions",
    "fetch_xml",
    "read_definition",
    "recheck_save",
    "save_journal",
    "save_xml",
    "unified_diff",
]

# libvirt refuses VIR_DOMAIN_XML_SECURE on read-only connections
# (OPERATION_DENIED) and where an access policy withholds read-secure.
_SECURE_REFUSED = (libvirt.VIR_ERR_OPERATION_DENIED, libvirt.VIR_ERR_ACCESS_DENIED)

SAVE_STEPS = (
    Step("read", writes=False),  # the stored definition, to check for changes
    Step("define"),
    Step("read back", writes=False),  # what libvirt kept
)


def save_journal() -> Journal:
    return Journal(SAVE_STEPS)


@dataclass(frozen=True)
class SaveResult:
    running: bool  # the domain runs: the change takes effect at its next boot
    dropped: tuple[str, ...] = field(default=())  # what libvirt did not keep


class XmlConflict(Exception):
    """The stored definition changed since it was fetched; nothing was defined.

    ``current`` is the definition stored now, read as the original was
    (with secrets where allowed): show it masked.
    """

    def __init__(self, current: str, diff: str) -> None:
        super().__init__("the domain's definition changed since it was loaded")
        self.current = current
        self.diff = diff


class SecretsUnreadable(Exception):
    """The connection may not read the domain's secrets, so a save could delete them."""


def read_definition(dom: libvirt.virDomain, flags: int) -> tuple[str, bool]:
    """(XML, secure): with secrets where the connection may read them."""
    try:
        return str(dom.XMLDesc(flags | libvirt.VIR_DOMAIN_XML_SECURE)), True
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in _SECURE_REFUSED:
            raise
    return str(dom.XMLDesc(flags)), False


def fetch_xml(conn: libvirt.virConnect, uuid: str) -> str:
    """The domain's inactive definition, with secrets where allowed."""
    dom = conn.lookupByUUIDString(uuid)
    return read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)[0]


@dataclass(frozen=True)
class Definitions:
    """A domain's next-boot definition, and its live one while it runs."""

    stored: str  # inactive definition: what the editor edits
    live: str | None  # the running configuration; None when the domain is shut off
    persistent: bool = True
    secure: bool = True  # read with its secrets (False: the connection may not)


def fetch_definitions(conn: libvirt.virConnect, uuid: str) -> Definitions:
    """The stored definition and, for a running domain, the live one."""
    dom = conn.lookupByUUIDString(uuid)
    stored, secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    live = read_definition(dom, 0)[0] if dom.isActive() else None
    return Definitions(stored, live, bool(dom.isPersistent()), secure)


def save_xml(
    conn: libvirt.virConnect,
    uuid: str,
    original: str,
    edited: str,
    *,
    force: bool = False,
    original_secure: bool = True,
    journal: Journal | None = None,
) -> SaveResult:
    """Define ``edited`` in place of ``original``.

    ``original`` is the definition as fetched (``original_secure``: with
    its secrets), ``edited`` the full text to store (the editor's hidden
    secrets already put back, ``secrets.unmask``). Raises ``InvalidXml``
    when ``check_xml`` refuses the text, and ``XmlConflict`` (defining
    nothing) when the stored definition is no longer ``original``, unless
    ``force``. When ``original`` was read without secrets, the secrets
    stored now are merged into ``edited``; where the connection cannot
    read them and the domain has a display that may hold one,
    ``SecretsUnreadable`` (nothing is defined). libvirt's errors (schema
    validation among them) propagate.
    """
    journal = journal or save_journal()
    problem = check_xml(edited)
    if problem is not None:
        raise InvalidXml(problem)
    journal.begin("read")
    dom = conn.lookupByUUIDString(uuid)
    current, secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    journal.done("read")
    if _comparable(current, original_secure) != original and not force:
        raise XmlConflict(current, unified_diff(original, current, "loaded", "stored now"))
    if not original_secure:
        if not secure and secrets.may_hold_secrets(current):
            raise SecretsUnreadable(uuid)
        # The editor never saw the secrets: they go back in, as stored now.
        edited = secrets.carry(edited, secrets.find_secrets(current))
    journal.begin("define")
    dom = conn.defineXMLFlags(edited, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    journal.done("define")
    journal.begin("read back")
    stored, stored_secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    running = bool(dom.isActive())
    journal.done("read back")
    return SaveResult(
        running=running,
        dropped=dropped_content(edited, stored, secrets_visible=stored_secure),
    )


def _comparable(current: str, original_secure: bool) -> str:
    """``current`` as the editor's original was read: without secrets if it was."""
    return current if original_secure else secrets.without_secrets(current)


@dataclass(frozen=True)
class SaveCheck:
    """What a re-read after a dropped link found."""

    stored: bool | None  # the edit is stored; False: it is not; None: cannot tell
    current: str  # the definition stored now (with secrets where allowed)
    running: bool = False


def recheck_save(
    conn: libvirt.virConnect,
    uuid: str,
    original: str,
    edited: str,
    journal: Journal,
    *,
    original_secure: bool = True,
) -> SaveCheck:
    """After a dropped link: is ``edited`` stored in place of ``original``?

    Certain when the define returned before the drop; otherwise judged
    from what is stored now: still ``original`` means not stored, a
    definition holding every part of the edit means stored, anything else
    cannot be told apart from someone else's change (None).
    """
    dom = conn.lookupByUUIDString(uuid)
    current, _secure = read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    running = bool(dom.isActive())
    if journal.finished("define"):
        return SaveCheck(True, current, running)
    if _comparable(current, original_secure) == original:
        return SaveCheck(False, current, running)
    return SaveCheck(True if holds(current, edited) else None, current, running)
