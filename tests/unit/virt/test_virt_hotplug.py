"""Which new devices a running guest can take now (``virt.hotplug.live_refusal``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kvmdesk.virt.hotplug import NotLive, live_refusal

PLAIN = "<domain><devices><controller type='usb'/></devices></domain>"
RICH = (
    "<domain><memoryBacking><access mode='shared'/></memoryBacking><devices>"
    "<controller type='virtio-serial' index='0'/></devices></domain>"
)


@pytest.mark.parametrize(
    ("device", "live", "refusal"),
    [
        ("<serial type='pty'/>", PLAIN, NotLive.ISA_SERIAL),
        ("<serial type='pty'><target type='isa-serial'/></serial>", PLAIN, NotLive.ISA_SERIAL),
        ("<serial type='pty'><target type='pci-serial'/></serial>", PLAIN, None),
        ("<console type='pty'><target type='virtio'/></console>", RICH, NotLive.CONSOLE),
        ("<filesystem><source dir='/s'/><target dir='s'/></filesystem>", RICH, NotLive.NINE_P),
        ("<filesystem><driver type='path'/></filesystem>", RICH, NotLive.NINE_P),
        ("<filesystem><driver type='virtiofs'/></filesystem>", PLAIN, NotLive.VIRTIOFS_UNSHARED),
        ("<filesystem><driver type='virtiofs'/></filesystem>", RICH, None),
        ("<channel type='unix'><target type='virtio'/></channel>", PLAIN, NotLive.NO_VIRTIO_SERIAL),
        ("<channel type='unix'><target type='virtio'/></channel>", RICH, None),
        ("<controller type='scsi' model='virtio-scsi'/>", PLAIN, None),
        ("<controller type='usb' model='qemu-xhci'/>", PLAIN, NotLive.CONTROLLER),
        ("<controller type='virtio-serial'/>", PLAIN, NotLive.CONTROLLER),
        ("<redirdev bus='usb' type='tcp'/>", PLAIN, None),
        ("<hostdev mode='subsystem' type='usb'/>", PLAIN, None),
        ("<disk type='file' device='disk'/>", PLAIN, None),
    ],
)
def test_live_refusal(device: str, live: str, refusal: NotLive | None) -> None:
    assert live_refusal(ET.fromstring(device), ET.fromstring(live)) is refusal
