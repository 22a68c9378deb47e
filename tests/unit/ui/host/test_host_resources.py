"""Host details on the test driver: live network and pool events, DHCP
leases, a pool with 10,000 volumes, the usage graphs, guest addresses."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid as uuidlib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import QLocale, Qt, QTimer

from kvmdesk.core.connection import Connection
from kvmdesk.paths import DEMO_HOST_XML
from kvmdesk.ui.host.host_window import HostDetailsWindow, open_host_details
from kvmdesk.ui.host.networks_page import lease_texts
from kvmdesk.virt.networks import LeaseRecord
from kvmdesk.virt.shown import shown

OpenConn = Callable[[str], Connection]
BIG = 10_000


async def _until(predicate: Callable[[], Any], timeout: float = 20.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def _names(table: Any) -> list[str]:
    return [table.topLevelItem(i).text(0)[1:-1] for i in range(table.topLevelItemCount())]


@pytest.fixture
def shared(open_connection: OpenConn) -> Connection:
    """A Connection on the process-wide test:///default, which a second
    libvirt connection in the same process changes too."""
    return open_connection("test:///default")


@pytest.fixture
def other() -> Iterator[libvirt.virConnect]:
    """The "other client" (virsh) making changes behind kvmdesk's back."""
    virt = libvirt.open("test:///default")
    yield virt
    virt.close()


def _unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{uuidlib.uuid4().hex[:6]}"


def _remove(handles: list[Any], name: str) -> None:
    """The network or pool called ``name``, if a test left it, stopped and undefined."""
    for handle in handles:
        if handle.name() == name:
            if handle.isActive():
                handle.destroy()
            handle.undefine()


# ---------------------------------------------------------------- events


def test_another_client_defining_and_removing_a_network_updates_the_page(
    qtbot: Any, shared: Connection, other: libvirt.virConnect, run: Callable[..., Any]
) -> None:
    window = open_host_details(None, shared)
    qtbot.addWidget(window)
    page = window.networks_page
    name = _unique("evnet")
    seen: list[int] = []
    shared.networksChanged.connect(lambda: seen.append(1))
    listings: list[int] = []
    real_refresh = page.refresh

    async def counting_refresh() -> bool:
        listings.append(1)
        return await real_refresh()

    page.refresh = counting_refresh  # type: ignore[method-assign]

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: "default" in _names(page.table))
        listings.clear()
        xml = (
            f"<network><name>{name}</name><bridge name='virbr{os.getpid() % 900 + 50}'/>"
            "<ip address='10.251.3.1' netmask='255.255.255.0'/></network>"
        )
        net = other.networkDefineXML(xml)
        net.create()  # a burst: defined, then started
        await _until(lambda: name in _names(page.table))
        await _until(
            lambda: page.records and any(r.name == name and r.active for r in page.records)
        )
        net.destroy()
        net.undefine()
        await _until(lambda: name not in _names(page.table))

    try:
        run(go())
    finally:
        _remove(other.listAllNetworks(0), name)
    assert len(seen) >= 4  # defined, started, stopped, undefined
    assert 1 <= len(listings) < len(seen)  # bursts collapsed into fewer listings


def test_another_client_defining_a_pool_updates_the_storage_page(
    qtbot: Any,
    shared: Connection,
    other: libvirt.virConnect,
    run: Callable[..., Any],
    tmp_path: Path,
) -> None:
    window = open_host_details(None, shared)
    qtbot.addWidget(window)
    page = window.storage_page
    name = _unique("evpool")
    xml = f"<pool type='dir'><name>{name}</name><target><path>{tmp_path}</path></target></pool>"

    def pool_names() -> list[str]:
        return _names(page.pool_table)

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: bool(pool_names()))
        pool = other.storagePoolDefineXML(xml, 0)
        await _until(lambda: name in pool_names())
        pool.create(0)
        await _until(lambda: any(p.name == name and p.active for p in page.pools))
        pool.destroy()
        pool.undefine()
        await _until(lambda: name not in pool_names())

    try:
        run(go())
    finally:
        _remove(other.listAllStoragePools(0), name)


def test_closing_the_window_stops_listing_on_events(
    qtbot: Any, shared: Connection, other: libvirt.virConnect, run: Callable[..., Any]
) -> None:
    window = open_host_details(None, shared)
    page = window.networks_page
    run(page.refresh())
    window.close()
    listings: list[int] = []
    page.start_refresh = lambda: listings.append(1)  # type: ignore[method-assign]
    name = _unique("closed")
    net = other.networkDefineXML(f"<network><name>{name}</name></network>")
    try:
        run(asyncio.sleep(0.5))
    finally:
        net.undefine()
    assert listings == []


# ---------------------------------------------------------------- leases


def test_leases_on_a_host_without_them_say_so_calmly(
    qtbot: Any, tmp_path: Path, open_connection: OpenConn, run: Callable[..., Any]
) -> None:
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    window = open_host_details(None, open_connection(f"test://{copy}"))
    qtbot.addWidget(window)
    page = window.networks_page

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: page.lease_note.text() != "")

    run(go())
    assert page.leases_title.text() == f"DHCP Leases of {shown('default')}"
    assert page.lease_note.text() == "DHCP leases are not available on this host."
    assert page.lease_table.topLevelItemCount() == 0


def test_a_lease_is_shown_with_every_field() -> None:
    lease = LeaseRecord(
        mac="52:54:00:aa:bb:cc",
        address="192.168.122.50",
        prefix=24,
        hostname="web <1>",
        expiry=1_700_000_000,
        client_id="01:52:54:00:aa:bb:cc",
    )
    texts = lease_texts(lease)
    assert texts[0] == "52:54:00:aa:bb:cc"
    assert texts[1] == "192.168.122.50/24"
    assert texts[2] == "web <1>"
    assert texts[3].startswith("2023-11-1")
    assert texts[4] == "01:52:54:00:aa:bb:cc"
    assert lease_texts(LeaseRecord("m", "10.0.0.2", None, "", 0))[1:4] == ["10.0.0.2", "", ""]


# ---------------------------------------------------------------- a big pool


def big_pool_host(path: Path, count: int) -> Path:
    """A test-driver host with one directory pool of ``count`` volumes."""
    node = ET.Element("node")
    pool = ET.SubElement(node, "pool", type="dir")
    ET.SubElement(pool, "name").text = "big"
    ET.SubElement(pool, "uuid").text = str(uuidlib.uuid4())
    ET.SubElement(ET.SubElement(pool, "target"), "path").text = "/srv/big"
    for n in range(count):
        vol = ET.SubElement(pool, "volume", type="file")
        name = f"disk-{n:05d}.qcow2"
        ET.SubElement(vol, "name").text = name
        ET.SubElement(vol, "key").text = f"/srv/big/{name}"
        ET.SubElement(vol, "capacity", unit="bytes").text = str((n % 50 + 1) * 1024**3)
        ET.SubElement(vol, "allocation", unit="bytes").text = str(1024**2)
        target = ET.SubElement(vol, "target")
        ET.SubElement(target, "path").text = f"/srv/big/{name}"
        ET.SubElement(target, "format", type="qcow2")
    path.write_text(ET.tostring(node, encoding="unicode"), encoding="utf-8")
    return path


def test_a_pool_of_ten_thousand_volumes_fills_while_the_window_keeps_working(
    qtbot: Any, tmp_path: Path, open_connection: OpenConn, run: Callable[..., Any]
) -> None:
    host = big_pool_host(tmp_path / "big.xml", BIG)
    window = open_host_details(None, open_connection(f"test://{host}"))
    qtbot.addWidget(window)
    page = window.storage_page
    model = page.volume_model
    ticks: list[int] = []  # rows in the table at each heartbeat
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(len(model.records)))
    notes: set[str] = set()
    model.modelReset.connect(lambda: notes.add(model.note))

    async def go() -> None:
        heartbeat.start()
        window.tabs.setCurrentWidget(page)
        await _until(lambda: page.selected_volume() is None and page._volumes_of == "big", 120)
        heartbeat.stop()

    run(go(), timeout=180)
    assert len(model.records) == BIG
    assert model.rowCount() == BIG
    # The GUI thread kept running while the table filled: heartbeats saw it
    # partly filled, so rows arrived in several batches, not in one block.
    assert any(0 < rows < BIG for rows in ticks)
    assert ticks.count(0) > 0  # and it beat while the worker listed the pool
    assert any(n.startswith("Loading…") for n in notes)
    assert page.status.text() == f"{QLocale().toString(10_000)} volumes"

    # Sorting by capacity puts the biggest first, in one step over the list.
    page.volume_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert model.records[0].capacity == 50 * 1024**3
    assert model.records[-1].capacity == 1024**3
    page.select_volume("disk-04242.qcow2")
    selected = page.selected_volume()
    assert selected is not None and selected.name == "disk-04242.qcow2"


# ---------------------------------------------------------------- usage graphs


def test_the_overview_samples_usage_only_while_shown(
    qtbot: Any, tmp_path: Path, open_connection: OpenConn, run: Callable[..., Any]
) -> None:
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    conn = open_connection(f"test://{copy}")
    window = HostDetailsWindow(conn)
    qtbot.addWidget(window)
    overview = window.overview
    overview.usage_interval = 0.02
    window.show()

    async def go() -> None:
        await _until(lambda: overview.samples >= 3)

    run(go())
    # The test driver's CPU counters stand still: said calmly, no graph.
    assert overview.cpu_usage.text() == "not available on this host"
    assert not overview.cpu_graph.isEnabled()
    assert " of " in overview.memory_usage.text()
    assert len(overview.memory_graph.values) >= 3

    window.tabs.setCurrentWidget(window.networks_page)  # the overview is hidden
    run(asyncio.sleep(0.05))
    hidden_at = overview.samples
    run(asyncio.sleep(0.2))
    assert overview.samples == hidden_at
    window.tabs.setCurrentIndex(0)
    run(_until(lambda: overview.samples > hidden_at))
    window.close()
    run(asyncio.sleep(0.05))
    closed_at = overview.samples
    run(asyncio.sleep(0.2))
    assert overview.samples == closed_at


def test_a_closed_connection_no_longer_hears_network_events(
    fast_timing: Any, other: libvirt.virConnect, run: Callable[..., Any]
) -> None:
    conn = Connection("test:///default", timing=fast_timing)
    assert run(conn.open_and_wait()), conn.failure
    heard: list[int] = []
    conn.networksChanged.connect(lambda: heard.append(1))
    first = _unique("heard")
    net = other.networkDefineXML(f"<network><name>{first}</name></network>")
    net.undefine()
    run(_until(lambda: len(heard) >= 2))
    conn.close()  # the subscriptions are released before libvirt's close
    run(asyncio.sleep(0.3))
    heard.clear()
    second = _unique("unheard")
    net = other.networkDefineXML(f"<network><name>{second}</name></network>")
    net.undefine()
    run(asyncio.sleep(0.3))
    run(conn.shutdown())
    assert heard == []


def test_cpu_share_between_two_samples() -> None:
    from kvmdesk.virt.host import cpu_fraction
    from kvmdesk.virt.records import HostUsageSample

    before = HostUsageSample(100, 1000, 0, 0)
    assert cpu_fraction(before, HostUsageSample(350, 2000, 0, 0)) == 0.25
    assert cpu_fraction(before, HostUsageSample(100, 1000, 0, 0)) is None  # standing still
    assert cpu_fraction(before, HostUsageSample(None, None, 0, 0)) is None
