"""The real daemon takes each display Preferences offers for new machines."""

from __future__ import annotations

from typing import Any

import libvirt
import pytest

from kvmdesk.domxml.guest_defaults import GuestTraits
from kvmdesk.domxml.install import InstallPlan, SourceKind, build_domain


@pytest.mark.parametrize("graphics", ["vnc", "spice", "none"])
def test_each_display_defines_and_starts(
    libvirt_conn: Any, unique_guest_name: str, graphics: str
) -> None:
    plan = InstallPlan(
        name=unique_guest_name,
        source=SourceKind.MANUAL,
        guest=GuestTraits(),
        memory_mib=64,
        vcpus=1,
        virt_type="qemu",
        graphics=graphics,
    )
    xml = build_domain(plan).to_xml()
    dom = libvirt_conn.defineXMLFlags(xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)  # QEMU accepts the display
    live = dom.XMLDesc(0)
    if graphics == "none":
        assert "<graphics" not in live
    else:
        assert f"<graphics type='{graphics}'" in live
    dom.destroy()
