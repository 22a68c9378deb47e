"""Tags on a domain, kept in its own <metadata> so they travel with it.

    <metadata>
      <kvmdesk:tags xmlns:kvmdesk="https://kvmdesk.github.io/xmlns/tags/1.0">
        <kvmdesk:tag>prod</kvmdesk:tag>
        <kvmdesk:tag>web</kvmdesk:tag>
      </kvmdesk:tags>

(``virDomainGetMetadata`` hands the element back without its namespace,
and ``virDomainSetMetadata`` takes it so: both spellings are read).
    </metadata>

Another kvmdesk (or anyone reading the definition) sees the same tags.
What another tool wrote in this namespace that is not this shape is
malformed: it is read as "tags not known" with a log line, and never
rewritten: an edit refuses (``TagsMalformed``) rather than replace what it
cannot read.  An edit re-reads the stored tags and applies only what the
user added and removed, so a concurrent edit by someone else is kept.

Runs in a connection's worker; every function that takes a connection or a
domain blocks.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libvirt

from kvmdesk.virt.shown import hidden_characters

log = logging.getLogger(__name__)

NS = "https://kvmdesk.github.io/xmlns/tags/1.0"
PREFIX = "kvmdesk"
MAX_TAG = 64  # characters
MAX_TAGS = 64  # per domain
_ROOTS = ("tags", f"{{{NS}}}tags")
_TAGS = ("tag", f"{{{NS}}}tag")


class TagsMalformed(ValueError):
    """The domain's kvmdesk tags element is not in a shape kvmdesk wrote."""


class BadTag(ValueError):
    """A tag the user typed cannot be stored; the message says why."""

    def __init__(self, tag: str, why: str) -> None:
        super().__init__(why)
        self.tag = tag
        self.why = why


def check_tag(tag: str) -> str:
    """``tag`` trimmed, or ``BadTag`` (reason codes, worded by the caller)."""
    text = tag.strip()
    if not text:
        raise BadTag(tag, "empty")
    if len(text) > MAX_TAG:
        raise BadTag(tag, "long")
    if hidden_characters(text) or any(ch in text for ch in ',"') or " " in text:
        raise BadTag(tag, "characters")
    return text


def parse_tags(xml: str) -> tuple[str, ...]:
    """The tags in a ``<kvmdesk:tags>`` element; ``TagsMalformed`` if it is not one."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise TagsMalformed(f"not XML: {exc}") from None
    if root.tag not in _ROOTS:
        raise TagsMalformed(f"root element {root.tag!r}")
    if root.attrib or (root.text or "").strip():
        raise TagsMalformed("attributes or text on the tags element")
    tags: list[str] = []
    for child in root:
        if child.tag not in _TAGS or len(child) or child.attrib or (child.tail or "").strip():
            raise TagsMalformed(f"unexpected element {child.tag!r}")
        try:
            tag = check_tag(child.text or "")
        except BadTag as exc:
            raise TagsMalformed(f"tag {child.text!r}: {exc.why}") from None
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def tags_xml(tags: Iterable[str]) -> str:
    """The element to store, built with ElementTree (never by string formatting)."""
    root = ET.Element("tags")  # libvirt gives it the namespace (setMetadata's uri)
    for tag in tags:
        ET.SubElement(root, "tag").text = check_tag(tag)
    return ET.tostring(root, encoding="unicode")


def read_tags(dom: libvirt.virDomain, uuid: str = "") -> tuple[str, ...] | None:
    """The domain's tags; () when it has none, None when they cannot be read."""
    try:
        xml = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, 0)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return ()
        raise
    try:
        return parse_tags(xml)
    except TagsMalformed as exc:
        log.warning("ignoring the kvmdesk tags of domain %s: %s", uuid or dom.UUIDString(), exc)
        return None


def bulk_tags(conn: libvirt.virConnect, uuids: Sequence[str]) -> dict[str, tuple[str, ...] | None]:
    """Tags of each domain still there (one call per domain: there is no bulk API)."""
    out: dict[str, tuple[str, ...] | None] = {}
    for uuid in uuids:
        try:
            out[uuid] = read_tags(conn.lookupByUUIDString(uuid), uuid)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    return out


@dataclass(frozen=True, slots=True)
class TagEdit:
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TagOutcome:
    """One domain's edit: its tags afterwards, or why it was left alone."""

    tags: tuple[str, ...] | None
    problem: str = ""  # "malformed", "gone", "libvirt"
    message: str = ""  # libvirt's words, for "libvirt"
    changed: bool = False  # the tags were written (with these flags)
    config: bool = False
    live: bool = False


def edit_tags(conn: libvirt.virConnect, uuid: str, edit: TagEdit) -> tuple[str, ...]:
    """Add and remove tags on one domain; returns the tags it has afterwards.

    Reads what is stored first and changes only what the edit names.  Raises
    ``TagsMalformed`` (nothing written) when what is stored cannot be read.
    """
    return _edit(conn, uuid, edit).tags or ()


def _edit(conn: libvirt.virConnect, uuid: str, edit: TagEdit) -> TagOutcome:
    dom = conn.lookupByUUIDString(uuid)
    flags = 0
    if dom.isPersistent():
        flags |= libvirt.VIR_DOMAIN_AFFECT_CONFIG
    if dom.isActive():
        flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
    current: tuple[str, ...] = ()
    for read_flags in (
        (libvirt.VIR_DOMAIN_AFFECT_CONFIG, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        if flags == libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE
        else (flags,)
    ):
        try:
            xml = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, read_flags)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN_METADATA:
                raise
            continue
        # Malformed anywhere: refuse, whatever the other copy says.
        for tag in parse_tags(xml):
            if tag not in current:
                current += (tag,)
    removed = {check_tag(t) for t in edit.remove}
    new = [t for t in current if t not in removed]
    for tag in edit.add:
        tag = check_tag(tag)
        if tag not in new:
            new.append(tag)
    if len(new) > MAX_TAGS:
        raise BadTag(edit.add[-1] if edit.add else "", "many")
    if tuple(new) == current:
        return TagOutcome(current)
    if new:
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, tags_xml(new), PREFIX, NS, flags)
    else:
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, None, None, NS, flags)
    return TagOutcome(
        tuple(new),
        changed=True,
        config=bool(flags & libvirt.VIR_DOMAIN_AFFECT_CONFIG),
        live=bool(flags & libvirt.VIR_DOMAIN_AFFECT_LIVE),
    )


def edit_many(
    conn: libvirt.virConnect, uuids: Sequence[str], edit: TagEdit
) -> dict[str, TagOutcome]:
    """``edit_tags`` on each domain; one failing leaves the others edited."""
    out: dict[str, TagOutcome] = {}
    for uuid in uuids:
        try:
            out[uuid] = _edit(conn, uuid, edit)
        except TagsMalformed as exc:
            log.warning("not editing the kvmdesk tags of domain %s: %s", uuid, exc)
            out[uuid] = TagOutcome(None, "malformed")
        except libvirt.libvirtError as exc:
            gone = exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
            out[uuid] = TagOutcome(None, "gone" if gone else "libvirt", str(exc))
    return out
