"""The second-phase marker: applied once, each change only where it finds what
it expects, everything else of the definition untouched."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.install_marker import (
    AfterInstall,
    DirectKernel,
    Eject,
    apply_marker,
    marker_element,
    pending,
)

AFTER = AfterInstall(
    boot_from=(),
    boot_to=("hd",),
    eject=(Eject("sda", "/iso/netinst.iso"),),
    kernel=DirectKernel("/boot/vmlinuz", "/boot/initrd.img", "console=ttyS0 auto=true"),
)


def _domain(after: AfterInstall = AFTER, *, cdrom: str = "/iso/netinst.iso") -> str:
    root = ET.fromstring(
        f"""<domain type='kvm'>
  <name>vm</name>
  <metadata>
    <other:thing xmlns:other="http://example.org/other">kept</other:thing>
  </metadata>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>/boot/vmlinuz</kernel>
    <initrd>/boot/initrd.img</initrd>
    <cmdline>console=ttyS0 auto=true</cmdline>
  </os>
  <on_reboot>destroy</on_reboot>
  <devices>
    <disk type='file' device='disk'><source file='/d.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'>
      <source file='{cdrom}'/><target dev='sda' bus='sata'/><readonly/>
    </disk>
    <graphics type='vnc' passwd='secret'/>
  </devices>
</domain>"""
    )
    root.find("metadata").append(marker_element(after))  # type: ignore[union-attr]
    return ET.tostring(root, encoding="unicode")


def test_the_marker_reads_back_as_written() -> None:
    assert pending(_domain()) == AFTER


def test_applying_makes_every_change_and_removes_the_marker() -> None:
    applied = apply_marker(_domain())
    assert applied is not None
    assert set(applied.applied) == {"kernel", "boot", "eject:sda", "on_reboot"}
    assert applied.skipped == ()
    root = ET.fromstring(applied.xml)
    os_elem = root.find("os")
    assert os_elem is not None
    assert [c.tag for c in os_elem] == ["type", "boot"]
    assert os_elem.find("boot").get("dev") == "hd"  # type: ignore[union-attr]
    cdrom = root.find("devices/disk[@device='cdrom']")
    assert cdrom is not None and cdrom.find("source") is None and cdrom.find("target") is not None
    assert root.findtext("on_reboot") == "restart"
    # Nothing else changed: other metadata, the VNC password, the disk.
    assert root.find("metadata/{http://example.org/other}thing").text == "kept"  # type: ignore[union-attr]
    assert root.find("devices/graphics").get("passwd") == "secret"  # type: ignore[union-attr]
    assert root.find("devices/disk[@device='disk']/source").get("file") == "/d.qcow2"  # type: ignore[union-attr]
    assert pending(applied.xml) is None
    assert apply_marker(applied.xml) is None  # once: the second time finds nothing


def test_a_change_whose_part_was_edited_is_skipped() -> None:
    applied = apply_marker(_domain(cdrom="/iso/another.iso"))
    assert applied is not None
    assert applied.skipped == ("eject:sda",)
    root = ET.fromstring(applied.xml)
    source = root.find("devices/disk[@device='cdrom']/source")
    assert source is not None and source.get("file") == "/iso/another.iso"
    edited = _domain().replace("console=ttyS0 auto=true</cmdline>", "console=ttyS0</cmdline>")
    kept = apply_marker(edited)
    assert kept is not None and "kernel" in kept.skipped
    assert ET.fromstring(kept.xml).findtext("os/kernel") == "/boot/vmlinuz"


def test_the_metadata_goes_when_only_the_marker_was_in_it() -> None:
    root = ET.fromstring(_domain())
    metadata = root.find("metadata")
    assert metadata is not None
    metadata.remove(metadata[0])
    applied = apply_marker(ET.tostring(root, encoding="unicode"))
    assert applied is not None and ET.fromstring(applied.xml).find("metadata") is None
