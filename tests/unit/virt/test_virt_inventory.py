"""Bulk listing and single lookups of domains on the test driver."""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt.inventory import fetch_domain, is_missing_domain, list_domains
from kvmdesk.virt.records import DomainRecord, DomainState

Open = Callable[[str], libvirt.virConnect]


def _uuid(n: int) -> str:
    return f"1c1c1c1c-0000-4000-8000-{n:012d}"


# name -> (uuid, state, vcpus, memory KiB) as written in tests/data/lifecycle.xml
LIFECYCLE = {
    "running": (_uuid(1), DomainState.RUNNING, 2, 1048576),
    "paused": (_uuid(2), DomainState.PAUSED, 3, 1572864),
    "shutoff": (_uuid(3), DomainState.SHUTOFF, 4, 524288),
    "saved": (_uuid(4), DomainState.SAVED, 1, 1048576),
    "crashed": (_uuid(5), DomainState.CRASHED, 2, 1572864),
    "in-shutdown": (_uuid(6), DomainState.SHUTDOWN, 3, 524288),
    "pmsuspended": (_uuid(7), DomainState.PMSUSPENDED, 4, 1048576),
    "blocked": (_uuid(8), DomainState.BLOCKED, 1, 1572864),
    "nostate": (_uuid(9), DomainState.NOSTATE, 2, 524288),
    "transient": (_uuid(10), DomainState.RUNNING, 3, 1048576),
}


@pytest.fixture
def records(virt: Open) -> dict[str, DomainRecord]:
    return {r.name: r for r in list_domains(virt("lifecycle.xml"))}


def test_every_domain_is_listed_once(records: dict[str, DomainRecord]) -> None:
    assert set(records) == set(LIFECYCLE)
    assert len({r.uuid for r in records.values()}) == len(LIFECYCLE)


@pytest.mark.parametrize("name", sorted(LIFECYCLE))
def test_state_vcpus_memory(records: dict[str, DomainRecord], name: str) -> None:
    uuid, state, vcpus, memory = LIFECYCLE[name]
    record = records[name]
    assert record.uuid == uuid
    assert record.state is state
    assert record.vcpus == vcpus
    assert record.memory_kib == memory
    assert record.reason == 0


def test_saved_comes_from_the_managed_save(records: dict[str, DomainRecord]) -> None:
    assert records["saved"].managed_save is True
    assert all(r.managed_save is False for n, r in records.items() if n != "saved")


def test_only_transient_is_not_persistent(records: dict[str, DomainRecord]) -> None:
    assert {n for n, r in records.items() if not r.persistent} == {"transient"}


def test_autostart_follows_libvirt(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    assert not any(r.autostart for r in list_domains(conn))
    conn.lookupByName("shutoff").setAutostart(1)
    conn.lookupByName("paused").setAutostart(1)
    autostart = {r.name for r in list_domains(conn) if r.autostart}
    assert autostart == {"shutoff", "paused"}


def test_empty_host(virt: Open) -> None:
    assert list_domains(virt("empty.xml")) == []


def test_listing_follows_changes(virt: Open) -> None:
    conn = virt("two-domains.xml")
    conn.lookupByName("alpha").suspend()
    conn.lookupByName("beta").undefine()
    assert [(r.name, r.state) for r in list_domains(conn)] == [("alpha", DomainState.PAUSED)]


@pytest.mark.parametrize("name", sorted(LIFECYCLE))
def test_fetch_domain_agrees_with_list(
    virt: Open, records: dict[str, DomainRecord], name: str
) -> None:
    conn = virt("lifecycle.xml")
    assert fetch_domain(conn, LIFECYCLE[name][0]) == records[name]


def test_fetch_domain_missing_uuid_is_none(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    assert fetch_domain(conn, "00000000-0000-4000-8000-00000000dead") is None


def test_fetch_domain_after_transient_goes_away(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    conn.lookupByName("transient").destroy()
    assert fetch_domain(conn, LIFECYCLE["transient"][0]) is None


def test_fetch_domain_reports_autostart_and_save(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    dom = conn.lookupByName("running")
    dom.setAutostart(1)
    dom.managedSave(0)
    record = fetch_domain(conn, LIFECYCLE["running"][0])
    assert record is not None
    assert (record.state, record.autostart, record.managed_save) == (
        DomainState.SAVED,
        True,
        True,
    )


def test_fetch_domain_other_errors_propagate(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        fetch_domain(conn, "not-a-uuid")
    assert not is_missing_domain(info.value)


def test_is_missing_domain(virt: Open) -> None:
    conn = virt("empty.xml")
    with pytest.raises(libvirt.libvirtError) as info:
        conn.lookupByUUIDString("00000000-0000-4000-8000-00000000dead")
    assert is_missing_domain(info.value)


def test_odd_names_are_listed_verbatim(virt: Open) -> None:
    conn = virt("names.xml")
    listed = sorted(r.name for r in list_domains(conn))
    assert listed == sorted(d.name() for d in conn.listAllDomains(0))
    assert "trailing-space " in listed


def test_without_per_domain_calls_missing_fields_stay_unknown(virt: Open) -> None:
    """What a remote test driver gets: the bulk fields only, no call per domain."""
    conn = virt("lifecycle.xml")
    full = {r.name: r for r in list_domains(conn)}
    bulk = {r.name: r for r in list_domains(conn, per_domain=False)}
    assert bulk.keys() == full.keys()
    for name, record in bulk.items():
        assert record.state is full[name].state, name
        assert (record.persistent, record.autostart) == (
            full[name].persistent,
            full[name].autostart,
        )
        # the test driver leaves vCPUs and balloon out of getAllDomainStats
        assert record.vcpus == 0 and record.memory_kib == 0


def test_a_listing_in_chunks_is_the_listing_in_one_call(
    virt: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvmdesk.virt import inventory

    conn = virt("lifecycle.xml")
    whole = {r.uuid: r for r in list_domains(conn)}
    monkeypatch.setattr(inventory, "STATS_CHUNK", 2)
    chunked = list_domains(conn)
    assert len(chunked) == len(whole) > 2
    assert {r.uuid: r for r in chunked} == whole
