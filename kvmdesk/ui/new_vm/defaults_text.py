"""The defaults table's choices and reasons, in words (for the summary page).

``kvmdesk.domxml.guest_defaults`` keeps reasons as keys (it never imports
Qt); this module turns each into a translated sentence, and says what
changes after the install.
"""

from __future__ import annotations

from kvmdesk.core.messages import tr
from kvmdesk.domxml.guest_defaults import Choice, Topic
from kvmdesk.domxml.install_marker import AfterInstall


def topic_label(topic: Topic) -> str:
    return {
        Topic.MACHINE: tr("Machine type"),
        Topic.FIRMWARE: tr("Firmware"),
        Topic.SECURE_BOOT: tr("Secure Boot"),
        Topic.TPM: tr("TPM"),
        Topic.CPU: tr("CPU"),
        Topic.CLOCK: tr("Clock"),
        Topic.TIMERS: tr("Timers"),
        Topic.HYPERV: tr("Hyper-V enlightenments"),
        Topic.USB: tr("USB controller"),
        Topic.PCIE_PORTS: tr("PCIe root ports"),
        Topic.DISK_BUS: tr("Disk bus"),
        Topic.CDROM_BUS: tr("CD-ROM bus"),
        Topic.NIC: tr("Network card"),
        Topic.VIDEO: tr("Video"),
        Topic.DISCARD: tr("Discard"),
        Topic.AGENT: tr("Guest agent channel"),
        Topic.TABLET: tr("Tablet"),
        Topic.RNG: tr("Random number generator"),
        Topic.BALLOON: tr("Memory balloon"),
        Topic.PM: tr("Power management"),
        Topic.METADATA: tr("OS recorded"),
        Topic.MEDIA: tr("Install media afterwards"),
    }[topic]


def value_text(choice: Choice, osinfo_id: str = "") -> str:
    value = choice.value
    special = {
        (Topic.MACHINE, ""): tr("the host's default"),
        (Topic.FIRMWARE, "efi"): tr("UEFI"),
        (Topic.FIRMWARE, "bios"): tr("BIOS"),
        (Topic.TPM, "2.0"): tr("TPM 2.0, emulated (swtpm)"),
        (Topic.CPU, ""): tr("QEMU's default model"),
        (Topic.CPU, "maximum"): tr("maximum (every feature QEMU emulates)"),
        (Topic.USB, "qemu-xhci"): tr("USB 3 (qemu-xhci, 15 ports)"),
        (Topic.USB, "usb2"): tr("USB 2 (EHCI with UHCI companions)"),
        (Topic.HYPERV, "relaxed vapic spinlocks"): tr("relaxed, vapic, spinlocks"),
        (Topic.DISCARD, "unmap"): tr("unmap"),
        (Topic.PM, "no-suspend"): tr("suspend to memory and to disk off"),
        (Topic.MEDIA, "keep"): tr("kept in its drive"),
        (Topic.MEDIA, "eject"): tr("ejected"),
        (Topic.METADATA, "osinfo"): osinfo_id,
    }
    if (choice.topic, value) in special:
        return special[(choice.topic, value)]
    if choice.topic is Topic.TIMERS:
        timers = {
            "rtc:catchup": tr("RTC catches up"),
            "pit:delay": tr("PIT delays"),
            "hpet:no": tr("no HPET"),
            "hypervclock:yes": tr("Hyper-V clock"),
        }
        return ", ".join(timers.get(t, t) for t in value.split()) or tr("none")
    if value in ("", "none", "off", "0"):
        return tr("none") if value != "off" else tr("off")
    if value == "on":
        return tr("on")
    return value


def reason_text(why: str) -> str:
    """The sentence for a reason key ("" for none)."""
    return {
        "q35": tr("PCIe, SATA built in, Secure Boot possible."),
        "host-no-q35": tr("This host offers no q35 machine: the older i440FX (pc) instead."),
        "os-predates-q35": tr("The OS predates q35 (or is not known): the older i440FX (pc)."),
        "machine-default": tr("The host does not list its machine types."),
        "arch-default": tr("The architecture's usual machine."),
        "user": tr("Chosen above."),
        "os-needs-uefi": tr("The OS boots only with UEFI."),
        "os-needs-uefi-missing": tr(
            "The OS needs UEFI, but this host has no UEFI firmware (install ovmf): it may not "
            "boot with BIOS."
        ),
        "bios": tr(
            "Boots faster and keeps internal snapshots working; choose UEFI above if needed."
        ),
        "win-secure-boot": tr("Windows 11 installs only with Secure Boot."),
        "secure-boot-needs-q35": tr("Secure Boot needs the q35 machine type."),
        "win-no-secure-boot": tr(
            "Windows 11 needs Secure Boot, but this host's UEFI firmware has none (install "
            "ovmf with Secure Boot): its installer will refuse."
        ),
        "win-no-uefi": tr(
            "Windows 11 needs UEFI with Secure Boot, and this machine gets BIOS: its installer "
            "will refuse."
        ),
        "secure-boot-off": tr("Off: the OS does not need it."),
        "win-tpm": tr("Windows 11 installs only with a TPM 2.0."),
        "win-no-swtpm": tr(
            "Windows 11 needs a TPM 2.0, but swtpm is not installed on this host: its installer "
            "will refuse."
        ),
        "uefi-tpm": tr("A UEFI machine is a modern platform: measured boot works."),
        "cpu-passthrough": tr(
            "The host CPU's every feature: fastest (not for migration to other CPUs)."
        ),
        "cpu-maximum": tr("Emulation: every CPU feature QEMU can emulate, as newer OSes need."),
        "cpu-default": tr("Neither KVM nor QEMU's maximum CPU is offered here."),
        "clock-localtime": tr("Windows keeps local time in the hardware clock."),
        "clock-utc": tr("The hardware clock in UTC, as Linux and most OSes expect."),
        "timers-windows": tr("Steady time, and the Hyper-V clock keeps Windows' time right."),
        "timers": tr("Steady time after pauses and under load; an HPET only costs time."),
        "hyperv": tr("Windows idles quietly and runs faster."),
        "hyperv-missing": tr("This host does not offer Hyper-V enlightenments."),
        "hyperv-needs-kvm": tr("Hyper-V enlightenments need KVM; emulation runs without them."),
        "usb3": tr("The OS has USB 3 drivers."),
        "usb2": tr("The OS has no USB 3 driver."),
        "pcie-ports": tr("Room to hot-plug disks and network cards."),
        "virtio-disk": tr("The OS has virtio drivers: the fastest disk."),
        "virtio-win-disk": tr(
            "The virtio drivers CD is attached: in Windows Setup choose Load driver, then the "
            "CD's viostor folder, to see the disk."
        ),
        "disk-sata": tr("The OS has no virtio driver: SATA, which it knows."),
        "disk-ide": tr("The OS has no virtio driver: IDE, which it knows."),
        "cdrom-sata": tr("q35's built-in SATA."),
        "cdrom-ide": tr("The i440FX machine's IDE."),
        "virtio-net": tr("The OS has virtio drivers: the fastest network card."),
        "virtio-win-net": tr("The virtio drivers CD is attached: install NetKVM from it."),
        "nic-e1000e": tr("The OS has no virtio driver: an Intel card it knows."),
        "nic-e1000": tr("The OS has no virtio driver: an Intel card it knows."),
        "video-kernel": tr("A kernel booted directly shows its console on VGA."),
        "video-virtio": tr("The OS has a virtio-gpu driver."),
        "video-bochs": tr("Works with UEFI's display, without extra drivers."),
        "video-vga": tr("Works with every OS."),
        "discard-thin": tr("A thin disk image: space freed in the guest returns to the host."),
        "discard-block": tr("A block device: freed space is passed on to it."),
        "agent": tr(
            "kvmdesk can ask the guest agent (qemu-guest-agent) for addresses, and shut "
            "down cleanly."
        ),
        "agent-virtio-win": tr("Install the guest agent from the virtio drivers CD."),
        "agent-no-channel": tr("This host offers no unix channel: no guest agent."),
        "agent-no-driver": tr("The OS has no virtio-serial driver."),
        "tablet": tr("The pointer follows the mouse in the viewer."),
        "rng": tr("Entropy from the host: no waiting for randomness."),
        "rng-no-driver": tr("The OS has no virtio-rng driver."),
        "balloon": tr("Memory can be given back to the host."),
        "balloon-no-driver": tr("The OS has no balloon driver: none, not an unknown device."),
        "pm": tr("An ACPI shutdown request never puts the guest to sleep."),
        "metadata": tr("Recorded in the definition, for later defaults and other tools."),
        "unknown-os": tr("kvmdesk does not know this OS: generic defaults."),
        "media-windows": tr("Windows setup reads its media again after its first reboot."),
        "media-eject": tr("So that the installer does not start again."),
    }.get(why, "")


def after_install_lines(after: AfterInstall, keep_media: bool) -> list[str]:
    """What changes when the guest first shuts down or reboots."""
    if after.empty:
        return []
    lines = []
    if after.kernel is not None:
        lines.append(tr("Direct kernel boot is removed."))
    if after.boot_from != after.boot_to:
        if "network" in after.boot_from and "network" not in after.boot_to:
            lines.append(tr("Network (PXE) boot is removed."))
        if after.boot_to == ("hd",):
            lines.append(tr("It boots from its disk."))
    for eject in after.eject:
        lines.append(tr("The install media is ejected from drive {0}.").format(eject.target))
    if keep_media:
        lines.append(tr("The install media stays in its drive."))
    lines.append(
        tr(
            "Until then a reboot stops the machine, so that kvmdesk can make these changes; "
            "it starts it again."
        )
    )
    return lines
