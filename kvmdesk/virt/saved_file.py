"""Save to a file and restore from a file (``virsh save`` / ``virsh restore``), blocking.

Unlike a managed save, libvirt does not remember where a domain was saved
to. kvmdesk notes the file in the domain's own <metadata>, so that Run can
offer to restore it (and anyone reading the definition sees it):

    <metadata>
      <kvmdesk:saved xmlns:kvmdesk="https://kvmdesk.github.io/xmlns/saved/1.0"
                     path="/var/lib/libvirt/images/web.save"/>
    </metadata>

The tree tells a domain saved to a file from one shut off by its state
reason (``VIR_DOMAIN_SHUTOFF_SAVED`` without a managed save image), which
the bulk listing already has: no call per domain. Restoring, or starting
afresh, removes the note; the file itself is the user's and stays.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

NS = "https://kvmdesk.github.io/xmlns/saved/1.0"
PREFIX = "kvmdesk"
_CONFIG = libvirt.VIR_DOMAIN_AFFECT_CONFIG


class SavePathError(ValueError):
    """A path the host cannot be asked to save to; ``kind`` says why."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind  # empty, relative, control


def check_path(path: str) -> str:
    """The path to save to, as the host will see it, or ``SavePathError``."""
    text = path.strip()
    if not text:
        raise SavePathError("empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise SavePathError("control")
    if not text.startswith("/"):
        raise SavePathError("relative")
    return text


def saved_path(virt: libvirt.virConnect, uuid: str) -> str:
    """The file the domain was saved to by kvmdesk, or "" when none is noted."""
    dom = virt.lookupByUUIDString(uuid)
    if not dom.isPersistent():
        return ""
    try:
        text = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, _CONFIG)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return ""
        raise
    try:
        return ET.fromstring(text).get("path", "")
    except ET.ParseError:
        return ""


def _note(dom: libvirt.virDomain, path: str) -> None:
    element = ET.Element("saved", path=path)
    dom.setMetadata(
        libvirt.VIR_DOMAIN_METADATA_ELEMENT,
        ET.tostring(element, encoding="unicode"),
        PREFIX,
        NS,
        _CONFIG,
    )


def forget(virt: libvirt.virConnect, uuid: str) -> None:
    """Remove the note (the file stays where it is)."""
    dom = virt.lookupByUUIDString(uuid)
    if dom.isPersistent():
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, None, None, NS, _CONFIG)


def save(virt: libvirt.virConnect, uuid: str, path: str) -> str:
    """Write the domain's memory to ``path`` on the host; it stops. Returns the path."""
    dom = virt.lookupByUUIDString(uuid)
    persistent = bool(dom.isPersistent())
    dom.saveFlags(path, None, 0)
    if persistent:
        _note(dom, path)
    return path


def saved(virt: libvirt.virConnect, uuid: str, path: str) -> str | None:
    """After a dropped link: the path when the save took place (noted now if it was not)."""
    dom = virt.lookupByUUIDString(uuid)
    state, reason = dom.state()
    if state != libvirt.VIR_DOMAIN_SHUTOFF or reason != libvirt.VIR_DOMAIN_SHUTOFF_SAVED:
        return None
    if dom.isPersistent() and saved_path(virt, uuid) != path:
        _note(dom, path)
    return path


def image_domain(virt: libvirt.virConnect, path: str) -> tuple[str, str]:
    """The name and UUID of the domain a save file holds (the host reads it)."""
    root = ET.fromstring(virt.saveImageGetXMLDesc(path, 0))
    return (root.findtext("name") or "").strip(), (root.findtext("uuid") or "").strip()


def restore(virt: libvirt.virConnect, path: str) -> str:
    """Start the domain from ``path``; the note goes if it named this file. Its UUID."""
    _name, uuid = image_domain(virt, path)
    virt.restoreFlags(path, None, 0)
    if saved_path(virt, uuid) == path:
        forget(virt, uuid)
    return uuid


def restored(virt: libvirt.virConnect, uuid: str, path: str) -> str | None:
    """After a dropped link: the UUID when the domain runs again, else None."""
    try:
        dom = virt.lookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise
    if not dom.isActive():
        return None
    if saved_path(virt, uuid) == path:
        forget(virt, uuid)
    return uuid
