"""Waiting for the guest's answer to a detach, on the test driver.

The test driver never unplugs anything by itself, so its domains show the
cases a real guest gives when it keeps the device: no answer (said after
the wait, from the live definition read again) and a refusal (the
``device-removal-failed`` event, delivered as libvirt delivers it to the
callback). A device already gone needs no wait at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import libvirt
import pytest

from kvmdesk.virt.device_removal import NOT_RELEASED, REFUSED, NotReleased, RemovalWatch

Open = Callable[[str], libvirt.virConnect]

GUEST = """<domain type='test'><name>unplug</name><memory>65536</memory>
<os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/data.img'/>
<target dev='vdb' bus='virtio'/><alias name='ua-data'/></disk>
</devices></domain>"""


@pytest.fixture
def guest(
    virt: Open, aio_loop: asyncio.AbstractEventLoop
) -> Iterator[tuple[libvirt.virConnect, libvirt.virDomain]]:
    """A running test-driver guest, with libvirt's event loop (events need it)."""
    conn = virt("empty.xml")
    dom = conn.createXML(GUEST, 0)
    assert "ua-data" in dom.XMLDesc(0)
    yield conn, dom
    dom.destroy()


def test_a_device_already_gone_needs_no_wait(
    guest: tuple[libvirt.virConnect, libvirt.virDomain],
) -> None:
    conn, dom = guest
    with RemovalWatch(conn, dom, "ua-elsewhere", timeout=3600) as watch:
        watch.wait()  # would block for an hour if it waited
    assert not watch.by_event


def test_a_guest_that_does_not_answer_keeps_the_device(
    guest: tuple[libvirt.virConnect, libvirt.virDomain],
) -> None:
    conn, dom = guest
    with (
        RemovalWatch(conn, dom, "ua-data", timeout=0.2) as watch,
        pytest.raises(NotReleased) as kept,
    ):
        watch.wait()
    assert not kept.value.refused and kept.value.reason == NOT_RELEASED


def test_a_refusal_is_said_as_a_refusal(
    guest: tuple[libvirt.virConnect, libvirt.virDomain],
) -> None:
    conn, dom = guest
    with RemovalWatch(conn, dom, "ua-data", timeout=3600) as watch:
        watch.removal_failed(conn, dom, "ua-other", None)  # another device: not ours
        assert not watch.answered.is_set()
        watch.removal_failed(conn, dom, "ua-data", None)
        with pytest.raises(NotReleased) as kept:
            watch.wait()
    assert kept.value.refused and kept.value.reason == REFUSED


def test_an_event_is_checked_against_the_live_definition(
    guest: tuple[libvirt.virConnect, libvirt.virDomain],
) -> None:
    """device-removed for the alias ends the wait; what the definition says decides."""
    conn, dom = guest
    with RemovalWatch(conn, dom, "ua-data", timeout=3600) as watch:
        watch.removed(conn, dom, "ua-data", None)
        with pytest.raises(NotReleased):
            watch.wait()  # the test driver still lists it
    assert watch.by_event


def test_the_callbacks_are_registered_and_go_again(
    guest: tuple[libvirt.virConnect, libvirt.virDomain],
) -> None:
    conn, dom = guest
    watch = RemovalWatch(conn, dom, "ua-data")
    with watch:
        assert len(watch._callbacks) == 2
        ids = list(watch._callbacks)
    assert not watch._callbacks
    for callback in ids:  # already deregistered: libvirt no longer knows them
        with pytest.raises(libvirt.libvirtError):
            conn.domainEventDeregisterAny(callback)
