"""Virtual networks and storage on the real libvirtd, through the Host
Details pages: create, start, stop, autostart and delete a NAT network and a
directory pool; create, resize and delete volumes; changes made by another
client reach the pages through events; a network a running guest uses is
not deleted; the same listings over ``qemu+ssh://``.

Every network and pool is named ``kvmdesk-test-<pid>-...`` and removed at
teardown, whatever happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from kvmdesk.core.connection import Connection
from kvmdesk.ui.host.host_window import HostDetailsWindow
from kvmdesk.virt import networks, storage
from kvmdesk.virt.networks import InvalidNetworkInput
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import GIB, InvalidStorageInput

try:
    from .conftest import TEST_URI, new_guest_name
    from .conftest_ssh import HOST, SshBed
    from .guest import GuestAssets, guest_domain_xml
except ImportError:
    from conftest import TEST_URI, new_guest_name  # type: ignore[no-redef]
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import GuestAssets, guest_domain_xml  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]


async def _until(predicate: Callable[[], Any], timeout: float = 30.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def _list_follows(
    listed: Callable[[], Iterable[Any]], name: str, handle: Any, start: Callable[[], Any]
) -> None:
    """Another client defined ``handle`` (a network or pool called ``name``)
    and now starts, stops and undefines it: ``listed()`` follows each step."""
    await _until(lambda: any(r.name == name for r in listed()))
    start()
    await _until(lambda: any(r.name == name and r.active for r in listed()))
    handle.destroy()
    handle.undefine()
    await _until(lambda: all(r.name != name for r in listed()))


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _close_boxes() -> None:
    for box in _boxes():
        box.done(0)
        box.deleteLater()


def _host_subnets() -> list[ipaddress.IPv4Network]:
    out = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    nets = []
    for line in out.splitlines():
        parts = line.split()
        if "inet" in parts:
            nets.append(ipaddress.IPv4Interface(parts[parts.index("inet") + 1]).network)
    return nets


def free_subnet(virt: libvirt.virConnect) -> ipaddress.IPv4Network:
    """A /24 no network of the daemon and no address of this host overlaps."""
    taken = [r.ipv4_network for r in networks.list_networks(virt) if r.ipv4_network]
    taken += _host_subnets()
    for second in range(200, 250):
        for third in range(1, 250):
            candidate = ipaddress.IPv4Network(f"10.{second}.{third}.0/24")
            if not any(candidate.overlaps(t) for t in taken if t is not None):
                return candidate
    raise AssertionError("no free 10.x.y.0/24 subnet")


def _remove_network(virt: libvirt.virConnect, name: str) -> None:
    with contextlib.suppress(libvirt.libvirtError):
        net = virt.networkLookupByName(name)
        if net.isActive():
            net.destroy()
        if net.isPersistent():
            net.undefine()


def _remove_pool(virt: libvirt.virConnect, name: str) -> None:
    with contextlib.suppress(libvirt.libvirtError):
        pool = virt.storagePoolLookupByName(name)
        if not pool.isActive():
            pool.create(0)
        for vol in pool.listAllVolumes(0):
            with contextlib.suppress(libvirt.libvirtError):
                vol.delete(0)
        pool.destroy()
        pool.undefine()


@pytest.fixture
def names(libvirt_conn: libvirt.virConnect) -> Iterator[dict[str, str]]:
    """Unique network and pool names; whatever has them at teardown is removed."""
    made = {"network": new_guest_name(), "pool": new_guest_name()}
    yield made
    _remove_network(libvirt_conn, made["network"])
    _remove_pool(libvirt_conn, made["pool"])


@pytest.fixture
def window(qtbot: Any, run: Run) -> Iterator[HostDetailsWindow]:
    conn = Connection(TEST_URI, autoconnect=False, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    win = HostDetailsWindow(conn)
    qtbot.addWidget(win)
    win.show()
    yield win
    _close_boxes()
    if shiboken6.isValid(win):
        win.close()
    run(conn.shutdown())


def _network(virt: libvirt.virConnect, name: str) -> libvirt.virNetwork:
    return virt.networkLookupByName(name)


def test_a_nat_network_from_creation_to_deletion(
    window: HostDetailsWindow, libvirt_conn: libvirt.virConnect, names: dict[str, str], run: Run
) -> None:
    page = window.networks_page
    name = names["network"]
    subnet = free_subnet(libvirt_conn)
    hosts = list(subnet.hosts())
    gateway = f"{hosts[0]}/{subnet.prefixlen}"

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: page.records)
        # Refused before libvirt sees it: the subnet of another network, a
        # netmask that is not one, a DHCP range outside the subnet, bad names.
        existing = page.records
        other = next((r for r in existing if r.ipv4_network is not None), None)
        if other is not None:
            with pytest.raises(InvalidNetworkInput) as overlap:
                await window.conn.call(networks.create_nat_network, name, other.ipv4_cidr, "", "")
            assert overlap.value.reason == "overlap" and overlap.value.detail == other.name
        with pytest.raises(InvalidNetworkInput) as mask:
            await window.conn.call(
                networks.create_nat_network, name, f"{hosts[0]}/255.0.255.0", "", ""
            )
        assert mask.value.reason == "netmask"
        with pytest.raises(InvalidNetworkInput) as outside:
            await window.conn.call(
                networks.create_nat_network, name, gateway, "10.99.99.10", "10.99.99.20"
            )
        assert outside.value.reason == "outside"
        for bad, reason in (("", "empty"), ("a/b", "slash"), ("-x", "dash"), ("default", "taken")):
            if reason == "taken" and not any(r.name == "default" for r in existing):
                continue
            with pytest.raises(InvalidNetworkInput) as refused:
                await window.conn.call(networks.create_nat_network, bad, gateway, "", "")
            assert refused.value.reason == reason

        # Created (defined, started, autostarted) by kvmdesk; the page lists
        # it through the network events, with no refresh asked for.
        await window.conn.call(
            networks.create_nat_network, name, gateway, str(hosts[99]), str(hosts[149])
        )
        await _until(lambda: any(r.name == name and r.active for r in page.records))
        record = next(r for r in page.records if r.name == name)
        assert record.forward_mode == "nat" and record.autostart
        assert record.ipv4_cidr == gateway
        assert _network(libvirt_conn, name).isActive()

        page.select(name)
        await _until(lambda: page.leases_title.text() == f"DHCP Leases of {shown(name)}")
        await _until(lambda: page.lease_note.text() != "" or page.leases)
        assert page.lease_note.text() == "No guest holds a lease on this network now."

        assert await page.set_active(name, False)
        assert not _network(libvirt_conn, name).isActive()
        assert await page.set_active(name, True)
        assert _network(libvirt_conn, name).isActive()
        assert await page.set_autostart(name, False)
        assert not _network(libvirt_conn, name).autostart()
        assert await page.set_autostart(name, True)
        assert _network(libvirt_conn, name).autostart()

        assert await page.delete(name, confirm=False)
        await _until(lambda: all(r.name != name for r in page.records))
        assert name not in [n.name() for n in libvirt_conn.listAllNetworks(0)]

    run(go(), timeout=120)


def test_another_client_changing_networks_updates_the_page(
    window: HostDetailsWindow, libvirt_conn: libvirt.virConnect, names: dict[str, str], run: Run
) -> None:
    page = window.networks_page
    name = names["network"]
    subnet = free_subnet(libvirt_conn)
    xml = networks.network_xml(
        name, ipaddress.IPv4Interface(f"{next(subnet.hosts())}/{subnet.prefixlen}"), None
    )

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: page.records)
        net = libvirt_conn.networkDefineXML(xml)  # "virsh net-define"
        await _list_follows(lambda: page.records, name, net, net.create)

    run(go(), timeout=120)


def test_deleting_a_network_a_running_guest_uses_is_refused_naming_it(
    window: HostDetailsWindow,
    libvirt_conn: libvirt.virConnect,
    names: dict[str, str],
    guest_assets: GuestAssets,
    unique_guest_name: str,
    run: Run,
) -> None:
    page = window.networks_page
    name = names["network"]
    subnet = free_subnet(libvirt_conn)
    networks.create_nat_network(
        libvirt_conn, name, f"{next(subnet.hosts())}/{subnet.prefixlen}", "", "", autostart=False
    )
    root = ET.fromstring(guest_domain_xml(unique_guest_name, guest_assets))
    devices = root.find("devices")
    assert devices is not None
    iface = ET.SubElement(devices, "interface", type="network")
    ET.SubElement(iface, "source", network=name)
    ET.SubElement(iface, "model", type="virtio")
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    dom.create()  # running is enough; the guest need not finish booting

    async def go() -> bool:
        window.tabs.setCurrentWidget(page)
        await _until(lambda: any(r.name == name for r in page.records))
        return await page.delete(name, confirm=False)

    try:
        assert not run(go(), timeout=120)
        box = _boxes()[0]
        assert box.text() == f"The network {shown(name)} is in use and was not deleted."
        assert f"• {shown(unique_guest_name)}" in box.informativeText()
    finally:
        _close_boxes()
    assert _network(libvirt_conn, name).isActive()  # nothing lost


def test_a_directory_pool_and_its_volumes(
    window: HostDetailsWindow,
    libvirt_conn: libvirt.virConnect,
    names: dict[str, str],
    tmp_path: Path,
    run: Run,
) -> None:
    page = window.storage_page
    name = names["pool"]
    directory = tmp_path / "pool"

    def volume_names() -> set[str]:
        return {v.name for v in page.volume_model.records}

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        assert await page.refresh()
        call = window.conn.call
        # Refused with a clear reason: relative or "..", bad names.
        for path, reason in (("images", "relative"), ("/srv/../etc", "dotdot")):
            with pytest.raises(InvalidStorageInput) as refused:
                await call(storage.create_dir_pool, name, path)
            assert refused.value.reason == reason
        for bad, reason in (("", "empty"), ("a/b", "slash"), ("-p", "dash")):
            with pytest.raises(InvalidStorageInput) as refused:
                await call(storage.create_dir_pool, bad, str(directory))
            assert refused.value.reason == reason

        await call(storage.create_dir_pool, name, str(directory))
        await _until(lambda: any(p.name == name and p.active for p in page.pools))
        pool = libvirt_conn.storagePoolLookupByName(name)
        assert pool.isActive() and pool.autostart()
        assert directory.is_dir()

        with pytest.raises(InvalidStorageInput) as taken:
            await call(storage.create_dir_pool, name, str(directory))
        assert taken.value.reason == "taken"

        assert await page.set_active(name, False)
        assert not pool.isActive()
        assert await page.set_active(name, True)
        assert pool.isActive()
        assert await page.set_autostart(name, False)
        assert not pool.autostart()

        page.select(name)
        await call(storage.create_volume, name, "disk <1>.qcow2", 0.5, "qcow2")
        await call(storage.create_volume, name, "plain.raw", 0.25, "raw")
        await page.refresh()
        await _until(lambda: {"disk <1>.qcow2", "plain.raw"} <= volume_names())
        formats = {v.name: v.format for v in page.volume_model.records}
        assert formats == {"disk <1>.qcow2": "qcow2", "plain.raw": "raw"}
        assert (directory / "plain.raw").stat().st_size == GIB // 4

        with pytest.raises(InvalidStorageInput) as shrink:
            await call(storage.resize_volume, name, "plain.raw", 0.1)
        assert shrink.value.reason == "shrink"
        await call(storage.resize_volume, name, "plain.raw", 0.5)
        vol = pool.storageVolLookupByName("plain.raw")
        assert vol.info()[1] == GIB // 2

        assert await page.delete_volume(name, "disk <1>.qcow2", confirm=False)
        await _until(lambda: volume_names() == {"plain.raw"})
        assert not (directory / "disk <1>.qcow2").exists()
        assert await page.delete_volume(name, "plain.raw", confirm=False)

        assert await page.delete_pool(name, confirm=False)
        await _until(lambda: all(p.name != name for p in page.pools))
        assert name not in [p.name() for p in libvirt_conn.listAllStoragePools(0)]
        assert directory.is_dir()  # deleting a pool keeps its directory

    run(go(), timeout=120)


def test_another_client_defining_a_pool_updates_the_page(
    window: HostDetailsWindow,
    libvirt_conn: libvirt.virConnect,
    names: dict[str, str],
    tmp_path: Path,
    run: Run,
) -> None:
    page = window.storage_page
    name = names["pool"]

    async def go() -> None:
        window.tabs.setCurrentWidget(page)
        await page.refresh()
        pool = libvirt_conn.storagePoolDefineXML(storage.dir_pool_xml(name, str(tmp_path)), 0)
        await _list_follows(lambda: page.pools, name, pool, lambda: pool.create(0))

    run(go(), timeout=120)


def test_networks_and_pools_over_ssh(
    qtbot: Any, ssh_bed: SshBed, libvirt_conn: libvirt.virConnect, run: Run
) -> None:
    conn = Connection(f"qemu+ssh://{HOST}/system", autoconnect=False, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    win = HostDetailsWindow(conn)
    qtbot.addWidget(win)
    try:
        assert run(win.networks_page.refresh())
        assert run(win.storage_page.refresh())
        nets = [r.name for r in win.networks_page.records]
        pools = {p.name for p in win.storage_page.pools}
    finally:
        if shiboken6.isValid(win):
            win.close()
        run(conn.shutdown())
    assert nets == sorted(n.name() for n in libvirt_conn.listAllNetworks(0))
    assert pools == {p.name() for p in libvirt_conn.listAllStoragePools(0)}
