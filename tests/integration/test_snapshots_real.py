"""Snapshots of the real test guest through kvmdesk's jobs, locally and over ssh.

The guest's root is its initramfs in RAM, so a file written there lives in
the guest's memory: an internal snapshot with memory keeps it, and a revert
brings back exactly what the snapshot saw. The guest also gets a qcow2 disk
of its own (it never mounts it): QEMU keeps the snapshot inside it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.virt import snapshots as vs
from kvmdesk.virt import storage
from kvmdesk.virt.snapshots import Limit, Mode, Refusal

try:
    from . import daemon
    from .conftest import TEST_URI, new_guest_name, remove_domain
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER, GuestAssets, SerialConsole, guest_domain_xml
except ImportError:
    import daemon  # type: ignore[no-redef]
    from conftest import TEST_URI, new_guest_name, remove_domain  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import (  # type: ignore[no-redef]
        READY_MARKER,
        GuestAssets,
        SerialConsole,
        guest_domain_xml,
    )

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
BOOT_TIMEOUT = 120.0
SHELL_TIMEOUT = 30.0
Run = Callable[..., Any]


def _guest_with_disk(
    conn: Any, assets: GuestAssets, pool: ScratchPool, fmt: str = "qcow2"
) -> tuple[Any, Path]:
    """A test guest with a disk of ``fmt`` in the scratch pool."""
    name = new_guest_name()
    vol = storage.create_volume(conn, pool.name, f"{name}.{fmt}", 0.0625, fmt)
    root = ET.fromstring(guest_domain_xml(name, assets))
    disk = ET.Element("disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type=fmt)
    ET.SubElement(disk, "source", file=vol.path)
    ET.SubElement(disk, "target", dev="vda", bus="virtio")
    devices = root.find("devices")
    assert devices is not None
    devices.insert(0, disk)
    return conn.defineXML(ET.tostring(root, encoding="unicode")), Path(vol.path)


@pytest.fixture
def guests() -> Iterator[list[Any]]:
    """Guests of the test, removed with their snapshots (on a fresh link: the daemon
    may have been restarted)."""
    made: list[Any] = []
    yield made
    conn = libvirt.open(TEST_URI)
    try:
        for uuid in [d.UUIDString() for d in made]:
            try:
                dom = conn.lookupByUUIDString(uuid)
            except libvirt.libvirtError:
                continue
            for snap in dom.listAllSnapshots():
                try:
                    snap.delete(0)
                except libvirt.libvirtError:
                    snap.delete(libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)
            remove_domain(conn, dom.name())
    finally:
        conn.close()


def _boot(conn: Any, dom: Any) -> SerialConsole:
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(conn, dom)
    dom.resume()
    console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    return console


def _marker(conn: Any, dom: Any) -> str:
    """What /tmp/marker holds, read on a console opened afresh (a revert may restart QEMU)."""
    console = SerialConsole(conn, dom)
    try:
        start = console.offset()
        console.send("echo MARK-$(cat /tmp/marker)-END\n")
        console.wait_for(re.compile(r"MARK-\w+-END\r?$", re.MULTILINE), SHELL_TIMEOUT, start)
        found = re.findall(r"MARK-(\w+)-END", console.text[start:])
        return found[-1]
    finally:
        console.close()


async def _open(uri: str) -> Connection:
    conn = Connection(uri, persist=False)
    assert await conn.open_and_wait(), conn.failure
    return conn


def test_snapshot_revert_delete_on_the_running_guest(
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[Any],
    run: Run,
    tmp_path: Path,
) -> None:
    dom, disk = _guest_with_disk(libvirt_conn, guest_assets, test_pool)
    guests.append(dom)
    uuid = dom.UUIDString()
    console = _boot(libvirt_conn, dom)
    console.say("echo before > /tmp/marker; cat /tmp/marker", "before", SHELL_TIMEOUT)
    console.close()
    jobs = JobService(poll_interval=0.2)
    service = SnapshotService(jobs, tmp_path / "screens")

    async def body() -> None:
        conn = await _open(TEST_URI)
        try:
            listing = await service.listing(conn, uuid)
            assert listing.running and listing.refusals[Mode.INTERNAL] == ()
            job = await service.create(conn, uuid, "one", "marker says before", Mode.INTERNAL)
            assert await job.future == "one"
            assert job.state is JobState.DONE
            # the screen of the moment, kept on this computer
            assert service.screen_path(conn, uuid, "one").read_bytes()[:4] == b"\x89PNG"
            listing = await service.listing(conn, uuid)
            one = listing.find("one")
            assert one is not None and one.current and one.info.memory_kind == "internal"
            assert one.info.state == "running"
        finally:
            await conn.shutdown()

    run(body(), timeout=180)
    console = SerialConsole(libvirt_conn, dom)
    console.say("echo after > /tmp/marker; cat /tmp/marker", "after", SHELL_TIMEOUT)
    console.close()
    assert _marker(libvirt_conn, dom) == "after"

    async def back() -> None:
        conn = await _open(TEST_URI)
        try:
            await service.revert(conn, uuid, "one").future
            listing = await service.listing(conn, uuid)
            assert listing.running
            await service.delete(conn, uuid, listing, "one", children=False).future
            assert (await service.listing(conn, uuid)).snapshots == ()
        finally:
            await conn.shutdown()

    run(back(), timeout=180)
    assert dom.isActive()
    assert _marker(libvirt_conn, dom) == "before"  # the revert brought the memory back
    assert disk.exists()
    assert not vs.screen_file(tmp_path / "screens", TEST_URI, uuid, "one").exists()


def test_refusals_match_what_libvirt_does(
    libvirt_conn: Any, guest_assets: GuestAssets, test_pool: ScratchPool, guests: list[Any]
) -> None:
    dom, _disk = _guest_with_disk(libvirt_conn, guest_assets, test_pool, "raw")
    guests.append(dom)
    listing = vs.list_snapshots(libvirt_conn, dom.UUIDString())
    assert listing.refusals[Mode.INTERNAL] == (Limit(Refusal.RAW_DISK, "vda (raw)"),)
    with pytest.raises(libvirt.libvirtError):  # what the window says before the click
        vs.create_snapshot(libvirt_conn, dom.UUIDString(), "refused", "", Mode.INTERNAL)
    assert dom.listAllSnapshots() == []


def test_disk_only_snapshot_of_a_shut_off_guest_over_ssh(
    ssh_bed: SshBed,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[Any],
    run: Run,
    tmp_path: Path,
) -> None:
    dom, disk = _guest_with_disk(libvirt_conn, guest_assets, test_pool)
    guests.append(dom)
    uuid = dom.UUIDString()
    jobs = JobService(poll_interval=0.2)
    service = SnapshotService(jobs, tmp_path / "screens")

    async def body() -> None:
        conn = await _open(f"qemu+ssh://{HOST}/system")
        try:
            job = await service.create(conn, uuid, "offline", "", Mode.INTERNAL)
            await job.future
            job = await service.create(conn, uuid, "overlay", "over ssh", Mode.DISK_ONLY)
            await job.future
            listing = await service.listing(conn, uuid)
            overlay = listing.find("overlay")
            assert overlay is not None and overlay.current and overlay.parent == "offline"
            assert overlay.info.external and overlay.info.files
            assert not service.screen_path(conn, uuid, "offline").exists()  # shut off: no screen
            # bad names are refused over ssh the same way
            again = await service.create(conn, uuid, "offline", "", Mode.INTERNAL)
            with pytest.raises(vs.SnapshotNameError):
                await again.future
            # the external snapshot: deleted where libvirt can, else its record only
            try:
                await service.delete(conn, uuid, listing, "overlay", children=False).future
            except libvirt.libvirtError:
                await service.delete(
                    conn, uuid, listing, "overlay", children=False, metadata_only=True
                ).future
            listing = await service.listing(conn, uuid)
            assert [s.name for s in listing.snapshots] == ["offline"]
        finally:
            await conn.shutdown()

    run(body(), timeout=180)
    assert not dom.isActive()
    assert disk.exists()


def _kill_before(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[bool]:
    """Kill the daemon as the first call of ``cls.name`` starts: it never happens."""
    original = getattr(cls, name)
    fired: list[bool] = []

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not fired:
            fired.append(True)
            daemon.kill()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, wrapper)
    return fired


@pytest.mark.parametrize("when", ["before", "after"])
def test_revert_while_the_daemon_dies_is_checked_after_the_reconnect(
    monkeypatch: pytest.MonkeyPatch,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[Any],
    run: Run,
    wait_until: Any,
    tmp_path: Path,
    when: str,
) -> None:
    dom, _disk = _guest_with_disk(libvirt_conn, guest_assets, test_pool)
    guests.append(dom)
    uuid = dom.UUIDString()
    for name in ("first", "second"):
        vs.create_snapshot(libvirt_conn, uuid, name, "", Mode.INTERNAL)
    jobs = JobService(poll_interval=0.2)
    service = SnapshotService(jobs, tmp_path / "screens")
    conn = Connection(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    try:
        if when == "before":
            fired = _kill_before(monkeypatch, libvirt.virDomain, "revertToSnapshot")
        else:
            fired = daemon.kill_after(monkeypatch, libvirt.virDomain, "revertToSnapshot")
        job = service.revert(conn, uuid, "first")
        wait_until(lambda: job.state is JobState.CHECKING, 60, "result unknown — checking")
        assert fired
        monkeypatch.undo()
        daemon.restart()
        wait_until(lambda: job.state.finished, 120, "the re-read after the reconnect")
        assert job.checked
        if when == "before":  # never reached the daemon: nothing changed
            assert job.state is JobState.FAILED
            current = "second"
        else:  # reverted, then the link went before the answer came back
            assert job.state is JobState.DONE and job.future.result() is False
            current = "first"
        fresh = libvirt.open(TEST_URI)
        try:
            found = fresh.lookupByUUIDString(uuid).snapshotCurrent().getName()
        finally:
            fresh.close()
        assert found == current
    finally:
        run(conn.shutdown())


def test_an_external_snapshot_libvirt_cannot_delete_is_explained(
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[Any],
    run: Run,
    wait_until: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kvmdesk.ui.domain.details import DetailsPane

    dom, _disk = _guest_with_disk(libvirt_conn, guest_assets, test_pool)
    guests.append(dom)
    uuid = dom.UUIDString()
    for name in ("outer", "inner"):  # outer is inner's parent
        vs.create_snapshot(libvirt_conn, uuid, name, "", Mode.DISK_ONLY)
    files = vs.list_snapshots(libvirt_conn, uuid).find("outer").info.files  # type: ignore[union-attr]
    conn = Connection(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.snapshots_tab.use_service(SnapshotService(JobService(), tmp_path / "screens"))
    pane.show()
    try:
        pane.show_domain(conn, uuid)
        pane.show_tab("snapshots")
        page = pane.snapshots_tab
        wait_until(lambda: page.listing is not None and len(page.listing.snapshots) == 2)
        page.tree.setCurrentItem(page.tree.topLevelItem(0))  # outer
        assert page.selected_name() == "outer"
        if not page.listing.can_revert_external:  # type: ignore[union-attr]
            assert not page.revert.isEnabled() and "9.9" in page.revert.toolTip()

        def box() -> QMessageBox | None:
            found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
            return next((w for w in found if w.isVisible()), None)

        page.delete.click()
        wait_until(lambda: box() is not None, 30, "the question")
        question = box()
        assert question is not None
        next(b for b in question.buttons() if b.text() == "Delete").click()
        wait_until(lambda: box() is not None and "cannot delete" in box().text(), 60)
        explained = box()
        assert explained is not None
        assert all(f in explained.informativeText() for f in files)  # the files that stay
        next(b for b in explained.buttons() if b.text() == "Remove from List Only").click()
        wait_until(
            lambda: (
                page.listing is not None and [s.name for s in page.listing.snapshots] == ["inner"]
            ),
            60,
            "outer forgotten",
        )
        assert all(Path(f).exists() for f in files)  # its files stay on the host
    finally:
        pane.clear()
        run(conn.shutdown())
