"""Listing domains in bulk: a handful of calls per connection, never one per domain.

Runs in a connection's worker thread; every function here blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import libvirt

from kvmdesk.virt.records import DomainRecord, state_from_libvirt

_LIST_STATS = (
    libvirt.VIR_DOMAIN_STATS_STATE
    | libvirt.VIR_DOMAIN_STATS_BALLOON
    | libvirt.VIR_DOMAIN_STATS_VCPU
)


# A local listing asks for the stats of this many domains per call: the
# binding builds the answer holding the interpreter lock, 20 ms for 10,000
# domains, which the window would feel as a dropped frame.
STATS_CHUNK = 1000


def bulk_stats(conn: libvirt.virConnect, what: int, chunked: bool) -> list[tuple[Any, Any]]:
    """``getAllDomainStats``, in chunks between which other threads run when
    ``chunked`` (local connections; a remote one pays a round trip a chunk)."""
    if not chunked or conn.numOfDomains() + conn.numOfDefinedDomains() <= STATS_CHUNK:
        return list(conn.getAllDomainStats(what))
    domains = conn.listAllDomains(0)
    out: list[tuple[Any, Any]] = []
    for i in range(0, len(domains), STATS_CHUNK):
        try:
            out.extend(conn.domainListGetStats(domains[i : i + STATS_CHUNK], what))
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
            # One of them vanished meanwhile: ask for the rest one by one.
            for dom in domains[i : i + STATS_CHUNK]:
                try:
                    out.extend(conn.domainListGetStats([dom], what))
                except libvirt.libvirtError as inner:
                    if inner.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                        raise
    return out


def _uuids(domains: Iterable[Any]) -> set[str]:
    return {d.UUIDString() for d in domains}


def list_domains(
    conn: libvirt.virConnect, per_domain: bool = True, flags: bool = True
) -> list[DomainRecord]:
    """Every domain of the connection as records.

    Persistence, autostart and managed-save come from filtered listings and
    state, vCPUs and memory from one ``getAllDomainStats``. A driver that
    leaves fields out of the bulk stats (the test driver) is asked per domain
    only with ``per_domain``; a remote connection passes False, because each
    of those calls is a network round trip (a thousand of them at 300 ms is
    five minutes), and the fields stay 0, "not known", instead.

    Without ``flags`` the three filtered listings are left out (one call in
    all): every domain counts as persistent, without autostart or managed
    save, until a full listing says otherwise.
    """
    transient: set[str] = set()
    autostart: set[str] = set()
    managed: set[str] = set()
    if flags:
        transient = _uuids(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_TRANSIENT))
        autostart = _uuids(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_AUTOSTART))
        managed = _uuids(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE))
    stats = bulk_stats(conn, _LIST_STATS, chunked=per_domain)
    records = []
    for dom, values in stats:
        uuid = dom.UUIDString()
        state = values.get("state.state")
        reason = values.get("state.reason", 0)
        vcpus = values.get("vcpu.current")
        memory = values.get("balloon.current") or values.get("balloon.maximum")
        if per_domain and (state is None or vcpus is None or memory is None):
            info = dom.info()
            state = info[0] if state is None else state
            memory = info[2] if memory is None else memory
            vcpus = info[3] if vcpus is None else vcpus
        state = libvirt.VIR_DOMAIN_NOSTATE if state is None else state
        records.append(
            DomainRecord(
                uuid=uuid,
                name=dom.name(),
                state=state_from_libvirt(state, uuid in managed, reason),
                reason=reason,
                vcpus=vcpus or 0,
                memory_kib=memory or 0,
                persistent=uuid not in transient,
                autostart=uuid in autostart,
                managed_save=uuid in managed,
            )
        )
    return records


def is_missing_domain(exc: libvirt.libvirtError) -> bool:
    return bool(exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN)


def fetch_domain(conn: libvirt.virConnect, uuid: str) -> DomainRecord | None:
    """One domain, or None when it no longer exists."""
    try:
        dom = conn.lookupByUUIDString(uuid)
        state, reason = dom.state()
        info = dom.info()
        persistent = bool(dom.isPersistent())
        autostart = bool(dom.autostart()) if persistent else False
        managed = bool(dom.hasManagedSaveImage(0)) if persistent else False
    except libvirt.libvirtError as exc:
        if is_missing_domain(exc):
            return None
        raise
    return DomainRecord(
        uuid=uuid,
        name=dom.name(),
        state=state_from_libvirt(state, managed, reason),
        reason=reason,
        vcpus=info[3],
        memory_kib=info[2],
        persistent=persistent,
        autostart=autostart,
        managed_save=managed,
    )


def uuid_of_id(conn: libvirt.virConnect, domain_id: int) -> str | None:
    """The UUID of the running domain with this ID (as ``virsh domid`` shows), or None."""
    try:
        return str(conn.lookupByID(domain_id).UUIDString())
    except libvirt.libvirtError as exc:
        if is_missing_domain(exc):
            return None
        raise
