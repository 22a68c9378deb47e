"""Editing a domain's XML, as ``virsh edit`` does, with the checks it lacks.

* ``check_xml`` refuses DOCTYPE and ENTITY declarations before anything
  parses the text (entity expansion bombs, external entities), then reports
  malformed XML with its line and column, and a root other than <domain>.
* ``fetch_xml`` reads the inactive definition, never with secrets;
  ``fetch_definitions`` adds the live one of a running domain, to compare.
* ``save_xml`` defines the edited XML only if nobody changed the stored
  definition since it was fetched (otherwise ``XmlConflict`` with a diff),
  validated against libvirt's schema, and reports what libvirt dropped.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import libvirt

from kvmdesk.domxml.check import InvalidXml, ProblemKind, XmlProblem, check_xml

__all__ = [
    "Definitions",
    "InvalidXml",
    "ProblemKind",
    "SaveResult",
    "XmlConflict",
    "XmlProblem",
    "check_xml",
    "dropped_content",
    "fetch_definitions",
    "fetch_xml",
    "save_xml",
    "unified_diff",
]


@dataclass(frozen=True)
class SaveResult:
    running: bool  # the domain runs: the change takes effect at its next boot
    dropped: tuple[str, ...] = field(default=())  # what libvirt did not keep


class XmlConflict(Exception):
    """The stored definition changed since it was fetched; nothing was defined."""

    def __init__(self, current: str, diff: str) -> None:
        super().__init__("the domain's definition changed since it was loaded")
        self.current = current
        self.diff = diff


def fetch_xml(conn: libvirt.virConnect, uuid: str) -> str:
    """The domain's inactive definition (its live one when it is transient).

    No VIR_DOMAIN_XML_SECURE: passwords never reach the editor.
    """
    dom = conn.lookupByUUIDString(uuid)
    return str(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


@dataclass(frozen=True)
class Definitions:
    """A domain's next-boot definition, and its live one while it runs."""

    stored: str  # inactive definition: what the editor edits
    live: str | None  # the running configuration; None when the domain is shut off
    persistent: bool = True


def fetch_definitions(conn: libvirt.virConnect, uuid: str) -> Definitions:
    """The stored definition and, for a running domain, the live one (no secrets)."""
    dom = conn.lookupByUUIDString(uuid)
    stored = str(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    live = str(dom.XMLDesc(0)) if dom.isActive() else None
    return Definitions(stored, live, bool(dom.isPersistent()))


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=before_name,
        tofile=after_name,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def save_xml(
    conn: libvirt.virConnect, uuid: str, original: str, edited: str, *, force: bool = False
) -> SaveResult:
    """Define ``edited`` in place of ``original``.

    Raises ``InvalidXml`` when ``check_xml`` refuses the text, and
    ``XmlConflict`` (defining nothing) when the stored definition is no
    longer ``original``, unless ``force``. libvirt's errors (schema
    validation among them) propagate.
    """
    problem = check_xml(edited)
    if problem is not None:
        raise InvalidXml(problem)
    current = fetch_xml(conn, uuid)
    if current != original and not force:
        raise XmlConflict(current, unified_diff(original, current, "loaded", "stored now"))
    dom = conn.defineXMLFlags(edited, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    stored = str(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    return SaveResult(running=bool(dom.isActive()), dropped=dropped_content(edited, stored))


def _shape(root: ET.Element) -> dict[str, set[str]]:
    """Every element path below ``root`` with the names of its attributes."""
    shape: dict[str, set[str]] = {}

    def walk(element: ET.Element, path: str) -> None:
        shape.setdefault(path, set()).update(element.attrib)
        for child in element:
            if isinstance(child.tag, str):  # comments and processing instructions are not
                walk(child, f"{path}/{child.tag}")

    walk(root, root.tag)
    return shape


def _readable(path: str) -> str:
    """``domain/{http://ns}x`` -> ``/domain/x`` with the namespace kept in brackets."""
    return "/" + re.sub(r"\{([^}]*)\}(\S+?)(?=/|$)", r"\2 [\1]", path)


def dropped_content(edited: str, stored: str) -> tuple[str, ...]:
    """Elements and attributes in ``edited`` that ``stored`` lacks.

    Compared by element path, so what libvirt adds (defaults, addresses) is
    not reported, and an element dropped with its children is reported once.
    """
    mine = _shape(ET.fromstring(edited))
    kept = _shape(ET.fromstring(stored))
    dropped: list[str] = []
    gone: list[str] = []
    for path, attributes in mine.items():
        if any(path.startswith(parent + "/") for parent in gone):
            continue
        if path not in kept:
            gone.append(path)
            dropped.append(_readable(path))
            continue
        dropped += [f"{_readable(path)}/@{name}" for name in sorted(attributes - kept[path])]
    return tuple(dropped)
