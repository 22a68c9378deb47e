"""Which new devices a running guest can take now, and why not the others.

QEMU and libvirt hot-plug PCI devices (a PCI serial port, a virtio disk, a
NIC, a virtiofs share of a guest with shared memory, a SCSI controller) and
USB devices (host devices, TCP redirection); some devices are fixed when
the guest starts. ``live_refusal`` says which, before anything is sent, so
that Add Hardware can offer the next boot instead with a reason instead of
an error from the hypervisor: an ISA serial port, a console, a 9p share, a
virtiofs share of a guest whose memory is not shared, a virtio channel of
a guest without a virtio-serial controller, a controller other than SCSI.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET

from kvmdesk.domxml.hardware import shared_memory


class NotLive(enum.Enum):
    ISA_SERIAL = "isa-serial"
    CONSOLE = "console"
    NINE_P = "9p"
    VIRTIOFS_UNSHARED = "virtiofs-unshared"
    NO_VIRTIO_SERIAL = "no-virtio-serial"
    CONTROLLER = "controller"


def live_refusal(device: ET.Element, live: ET.Element) -> NotLive | None:
    """Why ``device`` cannot be added to the guest running as ``live``; None: it can."""
    tag = device.tag
    target = device.find("target")
    target_type = target.get("type", "") if target is not None else ""
    if tag == "serial" and target_type in ("", "isa-serial"):
        return NotLive.ISA_SERIAL  # libvirt's default on a PC is an ISA port
    if tag == "console":
        return NotLive.CONSOLE
    if tag == "filesystem":
        driver = device.find("driver")
        if driver is None or driver.get("type", "path") != "virtiofs":
            return NotLive.NINE_P
        if not shared_memory(live):
            return NotLive.VIRTIOFS_UNSHARED
    virtio_serial = live.find("devices/controller[@type='virtio-serial']")
    if tag == "channel" and target_type == "virtio" and virtio_serial is None:
        return NotLive.NO_VIRTIO_SERIAL
    if tag == "controller" and device.get("type") != "scsi":
        return NotLive.CONTROLLER
    return None


__all__ = ["NotLive", "live_refusal"]
