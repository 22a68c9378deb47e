"""What the device list calls each device: "Disk vda", "NIC 52:54:00:…", "Graphics (VNC)".

Names and values from the host pass through ``virt.shown``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.core.messages import tr
from kvmdesk.virt.shown import shown

# The device families the list shows, and whether a form edits them.
EDITABLE_TAGS = ("disk", "interface")


# The order of the device list, as virt-manager's: storage and network first.
_RANK = (
    "disk",
    "interface",
    "input",
    "graphics",
    "sound",
    "serial",
    "parallel",
    "console",
    "channel",
    "video",
    "hostdev",
    "redirdev",
    "watchdog",
    "rng",
    "tpm",
    "filesystem",
    "smartcard",
    "panic",
    "vsock",
    "controller",
    "memballoon",
    "audio",
)


def family_rank(element: ET.Element) -> int:
    """Sort key: families in ``_RANK`` order, hard disks before CD-ROMs; stable otherwise."""
    tag = str(element.tag)
    rank = _RANK.index(tag) if tag in _RANK else len(_RANK)
    return rank * 2 + (1 if tag == "disk" and element.get("device") in ("cdrom", "floppy") else 0)


def family_name(tag: str, device: str = "") -> str:
    names = {
        "disk": tr("Disk"),
        "interface": tr("NIC"),
        "graphics": tr("Display"),
        "video": tr("Video"),
        "sound": tr("Sound"),
        "serial": tr("Serial port"),
        "console": tr("Console"),
        "channel": tr("Channel"),
        "parallel": tr("Parallel port"),
        "input": tr("Input"),
        "hostdev": tr("Host device"),
        "redirdev": tr("USB redirection"),
        "rng": tr("Random number generator"),
        "tpm": tr("TPM"),
        "watchdog": tr("Watchdog"),
        "filesystem": tr("Filesystem share"),
        "controller": tr("Controller"),
        "memballoon": tr("Memory balloon"),
        "emulator": tr("Emulator"),
        "smartcard": tr("Smartcard"),
        "panic": tr("Panic notifier"),
        "vsock": tr("VSOCK"),
        "iommu": tr("IOMMU"),
        "shmem": tr("Shared memory device"),
        "memory": tr("Memory device"),
        "hub": tr("Hub"),
        "lease": tr("Lease"),
        "audio": tr("Audio backend"),
    }
    if tag == "disk":
        return {"cdrom": tr("CD-ROM"), "floppy": tr("Floppy"), "lun": tr("LUN")}.get(
            device, names["disk"]
        )
    return names.get(tag, tag)


def _detail(element: ET.Element) -> str:
    tag = element.tag
    if tag == "disk":
        target = element.find("target")
        return target.get("dev", "") if target is not None else ""
    if tag == "interface":
        mac = element.find("mac")
        return mac.get("address", "") if mac is not None else element.get("type", "")
    if tag in ("graphics", "input", "serial", "console", "channel", "controller", "hostdev"):
        kind = element.get("type", "")
        if tag == "channel":
            target = element.find("target")
            name = target.get("name", "") if target is not None else ""
            return name or kind
        if tag == "input":
            return f"{kind} {element.get('bus', '')}".strip()
        if tag == "controller":
            return f"{kind} {element.get('index', '')}".strip()
        return kind.upper() if tag == "graphics" else kind
    if tag in ("video", "sound", "rng", "tpm", "watchdog", "memballoon", "panic"):
        model = element.find("model")
        if model is not None and model.get("type"):
            return model.get("type", "")
        return element.get("model", "")
    if tag == "filesystem":
        target = element.find("target")
        return target.get("dir", "") if target is not None else ""
    return ""


def device_label(element: ET.Element) -> str:
    name = family_name(str(element.tag), element.get("device", ""))
    detail = _detail(element)
    return f"{name} {shown(detail)}" if detail else name
