"""Guest IP addresses on the test driver: the virt functions, the tree's
optional "IP Address" column and its header menu, the domain overview."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import QModelIndex

from kvmdesk.app import Services
from kvmdesk.core.connection import Connection
from kvmdesk.models.columns import Column, Role
from kvmdesk.paths import DEMO_HOST_XML
from kvmdesk.ui.domain.overview.domain_page import DomainOverview, addresses_of
from kvmdesk.ui.main.tree_columns import column_menu
from kvmdesk.virt import addresses
from kvmdesk.virt.details import fetch_details
from kvmdesk.virt.records import AddressRecord, InterfaceAddresses
from kvmdesk.virt.shown import shown

Run = Callable[..., Any]
TEST_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"  # "test" in test:///default, running
TEST_MAC = "aa:bb:cc:dd:ee:ff"


@pytest.fixture
def virt() -> Iterator[libvirt.virConnect]:
    conn = libvirt.open("test:///default")
    yield conn
    conn.close()


# ---------------------------------------------------------------- virt


def test_the_first_source_with_addresses_answers(virt: libvirt.virConnect) -> None:
    found = addresses.interface_addresses(virt.lookupByName("test"))
    assert len(found) == 1
    iface = found[0]
    assert iface.mac == TEST_MAC
    assert iface.source == "lease"
    assert iface.addresses == (AddressRecord("192.168.122.3", 24, "ipv4"),)


def test_a_stopped_or_unknown_domain_has_no_addresses(
    tmp_path: Path, virt: libvirt.virConnect
) -> None:
    assert addresses.domain_addresses(virt, "00000000-0000-0000-0000-000000000000") == ()
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    demo = libvirt.open(f"test://{copy}")
    try:
        stopped = demo.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)[0]
        assert addresses.domain_addresses(demo, stopped.UUIDString()) == ()
    finally:
        demo.close()


def test_bulk_addresses_cover_running_domains_and_reuse_known_macs(
    virt: libvirt.virConnect,
) -> None:
    first = addresses.bulk_addresses(virt, {})
    assert first.text[TEST_UUID] == "192.168.122.3"
    assert first.macs[TEST_UUID] == (TEST_MAC,)
    assert first.asked == (TEST_UUID,)  # the test driver keeps no leases: asked itself
    # A domain asked recently waits behind the others; with a limit of 0 none is asked.
    again = addresses.bulk_addresses(virt, first.macs, frozenset(first.asked), limit=0)
    assert again.asked == () and again.unmatched == 1 and again.text == {}


def test_addresses_are_matched_to_their_interface_by_mac() -> None:
    found = (
        InterfaceAddresses(
            "eth0",
            "52:54:00:00:00:01",
            (
                AddressRecord("10.0.0.5", 24, "ipv4"),
                AddressRecord("fe80::1", 64, "ipv6"),
            ),
            "agent",
        ),
    )
    assert addresses_of(found, "52:54:00:00:00:01") == "10.0.0.5/24, fe80::1/64 (guest agent)"
    assert addresses_of(found, "52:54:00:00:00:02") == ""
    assert addresses.address_text(found) == "10.0.0.5, fe80::1"


def test_details_of_a_running_domain_carry_its_addresses(
    qtbot: Any, virt: libvirt.virConnect
) -> None:
    details = fetch_details(virt, TEST_UUID)
    assert details is not None
    assert [a.address for i in details.addresses for a in i.addresses] == ["192.168.122.3"]
    page = DomainOverview()
    qtbot.addWidget(page)
    page.set_details(details)
    row = page.nics.topLevelItem(0)
    assert row is not None
    assert row.text(4) == shown("192.168.122.3/24 (DHCP lease)")


# ---------------------------------------------------------------- the tree column


@pytest.fixture
def services(shown_services: Services) -> Services:
    return shown_services


def _address_of(services: Services, conn: Connection, uuid: str) -> str:
    model = services.window.model
    index = model.index_of_domain(conn, uuid, Column.ADDRESS)
    assert index.isValid()
    return str(index.data() or "")


def test_the_ip_address_column_is_hidden_until_ticked_in_the_header_menu(
    services: Services, run: Run
) -> None:
    window = services.window
    conn = services.manager.add("test:///default", persist=False)
    assert run(conn.open_and_wait()), conn.failure
    model = window.model
    header = model.headerData(Column.ADDRESS, window.tree.header().orientation())
    assert header == "IP Address"
    assert window.tree.isColumnHidden(Column.ADDRESS)
    assert not model.addresses.enabled
    run(asyncio.sleep(0.3))  # stats ticks pass: nothing is fetched while hidden
    assert _address_of(services, conn, TEST_UUID) == ""

    menu = column_menu(window.tree, model)
    titles = {a.text(): a for a in menu.actions()}
    assert "Name" not in titles  # the name always stays
    assert titles["CPU %"].isChecked()
    assert not titles["IP Address"].isChecked()
    titles["IP Address"].trigger()
    assert not window.tree.isColumnHidden(Column.ADDRESS)
    assert model.addresses.enabled

    async def shown() -> None:
        while _address_of(services, conn, TEST_UUID) != "192.168.122.3":
            await asyncio.sleep(0.02)

    run(asyncio.wait_for(shown(), 10))
    index: QModelIndex = model.index_of_domain(conn, TEST_UUID, Column.ADDRESS)
    assert index.data(Role.SORT) == "192.168.122.3"

    menu = column_menu(window.tree, model)
    next(a for a in menu.actions() if a.text() == "IP Address").trigger()
    assert window.tree.isColumnHidden(Column.ADDRESS)
    assert not model.addresses.enabled
    assert _address_of(services, conn, TEST_UUID) == ""
