"""Which form shows which part of a definition, in the order of the device list.

Overview, CPUs, Memory and Boot options first, then the devices by family
(``labels.family_rank``): disks, CD-ROMs and floppies, NICs, the VNC/SPICE
display, the video adapter, serial ports, consoles and channels, USB and
PCI host devices, shared folders, USB redirection and controllers get
forms, sound, watchdog, input, RNG and TPM a form of choices
(``choice_form``); every other device a read-only view. The emulator is
not listed: it is no device a user adds or removes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.core.messages import tr
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.char_form import CharForm
from kvmdesk.ui.domain.hardware.choice_form import ChoiceForm, choices_for
from kvmdesk.ui.domain.hardware.controller_form import ControllerForm
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.domain.hardware.device_view import DeviceView, OverviewView
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.display_forms import GraphicsForm, VideoForm
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm, children
from kvmdesk.ui.domain.hardware.hostdev_form import HostDevForm
from kvmdesk.ui.domain.hardware.labels import device_label, family_rank
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.domain.hardware.nic_form import NicForm
from kvmdesk.ui.domain.hardware.redir_form import RedirForm
from kvmdesk.ui.domain.hardware.share_form import ShareForm
from kvmdesk.ui.domain.hardware.typed_form import DeviceForm

HIDDEN = ("emulator",)
REMOVABLE = (DeviceForm,)


def _device_form(ctx: FormContext, index: int, device: ET.Element, label: str) -> HardwareForm:
    kind = device.get("device", "disk")
    if device.tag == "disk" and kind in ("disk", "cdrom", "floppy"):
        return DiskForm(ctx, index, kind)
    if device.tag == "interface":
        return NicForm(ctx, index)
    if device.tag == "graphics" and device.get("type") in ("vnc", "spice"):
        return GraphicsForm(ctx, index)
    if device.tag == "video":
        return VideoForm(ctx, index)
    if device.tag in ("serial", "console", "channel"):
        return CharForm(ctx, index, str(device.tag), label)
    if device.tag == "hostdev" and device.get("type") in ("usb", "pci"):
        return HostDevForm(ctx, index, label)
    if device.tag == "filesystem" and device.get("type", "mount") == "mount":
        return ShareForm(ctx, index)
    if device.tag == "redirdev":
        return RedirForm(ctx, index, label)
    if device.tag == "controller":
        return ControllerForm(ctx, index, device.get("type", ""), label)
    choices = choices_for(device)
    if choices:
        return ChoiceForm(ctx, index, label, choices)
    return DeviceView(ctx, index, label)


def forms_for(
    ctx: FormContext, stored: ET.Element, autostart: bool
) -> list[tuple[str, HardwareForm]]:
    """(list label, form) for everything the tab shows of ``stored``."""
    entries: list[tuple[str, HardwareForm]] = [
        (tr("Overview"), OverviewView(ctx)),
        (tr("CPUs"), CpuForm(ctx)),
        (tr("Memory"), MemoryForm(ctx)),
        (tr("Boot Options"), BootForm(ctx, autostart)),
    ]
    devices = list(enumerate(children(stored)))
    for index, device in sorted(devices, key=lambda pair: family_rank(pair[1])):
        if device.tag not in HIDDEN:
            label = device_label(device)
            entries.append((label, _device_form(ctx, index, device, label)))
    return entries
