"""One libvirt connection: open, watch events, keep the domain list fresh.

Threading: all methods run on the GUI thread; libvirt calls go to the
connection's worker. Event callbacks arrive on the GUI thread (see
``eventloop``) and make no RPC: they mark domains dirty and schedule one
coalesced refresh, which fetches frozen records in the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core import resource_events
from kvmdesk.core.askpass_log import AskpassLog
from kvmdesk.core.command_log import CommandLog
from kvmdesk.core.credentials import CredentialBroker
from kvmdesk.core.linkclose import close_when_idle
from kvmdesk.core.opening import PERMANENT, Attempt, failure_of
from kvmdesk.core.stats_tick import StatsTick
from kvmdesk.core.tasks import TaskSet
from kvmdesk.core.timing import Timing
from kvmdesk.core.worker import Worker
from kvmdesk.paths import is_demo_uri
from kvmdesk.virt import inventory
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.demo import apply_demo_settings
from kvmdesk.virt.details import fetch_details
from kvmdesk.virt.errors import ErrorKind, Failure, NotConnectedError, classify
from kvmdesk.virt.host import fetch_host
from kvmdesk.virt.opener import UriRefusedError, checked
from kvmdesk.virt.records import DomainDetails, DomainRecord, HostRecord, StatsSnapshot

log = logging.getLogger(__name__)
T = TypeVar("T")

# Beyond this many dirty domains one bulk listing is cheaper than lookups.
_BULK_THRESHOLD = 64
_APPLY_SLICE = 250  # records compared (and signalled when changed) per loop turn


class ConnState(enum.Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    WAITING = "waiting"  # waiting to reconnect


class Connection(QObject):
    stateChanged = Signal()
    domainsReset = Signal()  # the whole list was (re)loaded
    domainChanged = Signal(object)  # DomainRecord, new or updated
    domainRemoved = Signal(str)  # uuid
    statsUpdated = Signal(object)  # virt.stats.CpuFigures: uuid -> CPU %, and what changed
    usageUpdated = Signal(object)  # dict: uuid -> virt.stats.Usage, while watched
    metadataChanged = Signal(str)  # uuid: a domain's <metadata> changed (tags, OS)
    open_gate: asyncio.Semaphore | None = None  # set by the manager: opens at a time
    hostChanged = Signal(object)  # HostRecord
    networksChanged = Signal()  # a virtual network was defined, started, stopped...
    poolsChanged = Signal()  # a storage pool was defined, started, refreshed...

    def __init__(
        self,
        uri: str,
        *,
        autoconnect: bool = True,
        persist: bool = True,
        allow_unsafe: bool = False,
        remember_consent: bool = False,
        timing: Timing | None = None,
        broker: CredentialBroker | None = None,
        askpass: AskpassLog | None = None,
        command_log: CommandLog | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.uri = uri
        # The window's command log; actions on this connection write to it.
        self.command_log = command_log if command_log is not None else CommandLog()
        self.broker = broker  # answers libvirt's credential requests (openAuth)
        self.askpass = askpass  # notes of the questions ssh asked
        self.prompts_last_attempt = 0  # questions the user was asked in the last attempt
        self.autoconnect = autoconnect
        self.persist = persist
        # Consent to a URI that the check calls unsafe: for this start
        # (allow_unsafe), and whether it is saved for later starts.
        self.allow_unsafe = allow_unsafe or remember_consent
        self.remember_consent = remember_consent
        self.timing = timing or Timing()
        self.state = ConnState.DISCONNECTED
        self.failure: Failure | None = None
        self.retry_at: float | None = None  # loop time of the next attempt
        self.domains: dict[str, DomainRecord] = {}
        self.cpu: dict[str, float] = {}
        self.host: HostRecord | None = None
        self.has_events = False
        self._virt: libvirt.virConnect | None = None
        self._worker: Worker | None = None
        self._generation = 0
        self._callback_ids: list[int] = []
        self._resource_ids: list[resource_events.Subscription] = []  # networks, pools
        self._dirty: set[str] = set()
        self._refreshing = False
        self._tasks = TaskSet("connection task", log)
        self._attempts = 0
        self._want_connected = False
        self._stats = StatsTick(self, self)
        # id() of what shows usage (graphs, list columns) -> the metrics it shows
        self._usage_watchers: dict[int, frozenset[str]] = {}
        # libvirt may run a callback on the thread that noticed the change
        # (the close callback fires on a worker whose call hit EOF); such
        # callbacks are handed to this loop's thread before touching state.
        self._loop = asyncio.get_event_loop()
        self._gui_thread = threading.get_ident()

    # -- public API -------------------------------------------------------

    @property
    def is_test_driver(self) -> bool:
        return self.uri.startswith("test:") or self.uri.startswith("test+")

    @property
    def is_remote(self) -> bool:
        """The host is reached over the network: every call is a round trip."""
        return urlsplit(self.uri).netloc != ""

    @property
    def is_connected(self) -> bool:
        return self.state is ConnState.CONNECTED

    @property
    def needs_consent(self) -> bool:
        """The URI is unsafe and the user has not accepted it: it is not opened."""
        return checked(self.uri, self.allow_unsafe) is not None and (
            checked(self.uri, allow_unsafe=True) is None
        )

    def give_consent(self, remember: bool) -> None:
        """The user accepted this unsafe URI: for this start, or for good."""
        self.allow_unsafe = True
        self.remember_consent = remember

    def open(self) -> None:
        """Connect in the background; reconnects by itself after a drop."""
        self._want_connected = True
        if self.state in (ConnState.CONNECTING, ConnState.CONNECTED):
            return
        self._spawn(self._connect())

    async def open_and_wait(self) -> bool:
        self._want_connected = True
        if self.state is ConnState.CONNECTED:
            return True
        await self._connect()
        return self.is_connected  # _connect() changed the state

    def close(self) -> None:
        """Disconnect on the user's request: no reconnect afterwards.

        Unlike a dropped link (whose last known domains stay listed until the
        reconnect refreshes them), a closed connection lists nothing.
        """
        self._want_connected = False
        self._teardown()
        self._set_state(ConnState.DISCONNECTED, None)
        if self.domains:
            self.domains = {}
            self.domainsReset.emit()

    async def shutdown(self) -> None:
        self._want_connected = False
        self._tasks.cancel_all()
        virt, worker, ids = self._virt, self._worker, self._callback_ids
        resources = self._resource_ids
        self._teardown(close_in_worker=False)
        if virt is not None and worker is not None:
            closer = close_when_idle(virt, worker, ids, resources)
            # Bounded: a call stuck on a dead host must not hold up quitting.
            await asyncio.get_event_loop().run_in_executor(None, closer.join, 5.0)
        if self.state is not ConnState.DISCONNECTED:
            self._set_state(ConnState.DISCONNECTED, None)

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(virConnect, *args)`` on this connection's worker.

        Raises ``NotConnectedError`` when the connection is not open, and
        libvirtError as libvirt reports it.
        """
        virt, worker = self._virt, self._worker
        if virt is None or worker is None or self.state is not ConnState.CONNECTED:
            raise NotConnectedError(self.uri)
        generation = self._generation
        try:
            job = worker.submit(fn, virt, *args)
        except RuntimeError:  # the worker stopped between the check and now
            raise NotConnectedError(self.uri) from None
        try:
            # get_event_loop: qasync may step a task while its loop is not "running"
            return await asyncio.wrap_future(job, loop=asyncio.get_event_loop())
        except asyncio.CancelledError:
            # A dropped link stops the worker, which drops the calls still
            # queued: the call never ran. The caller hears that, rather than
            # being cancelled itself (an operation would stop without a word).
            task = asyncio.current_task()
            if job.cancelled() and (task is None or task.cancelling() == 0):
                raise NotConnectedError(self.uri) from None
            raise
        except libvirt.libvirtError as exc:
            self.call_failed(exc, generation)
            raise

    async def details(self, uuid: str) -> DomainDetails | None:
        return await self.call(fetch_details, uuid)

    def invalidate(self, uuid: str | None = None) -> None:
        """Mark a domain (or, with None, the whole list) stale and refresh soon."""
        if self.state is not ConnState.CONNECTED:
            return
        self._dirty.add(uuid or "*")
        if not self._refreshing:
            self._refreshing = True
            self._spawn(self._refresh(self._generation))

    # -- state ------------------------------------------------------------

    def _set_state(self, state: ConnState, failure: Failure | None) -> None:
        if state is not self.state:
            log.debug("connection %s: %s", self.uri, state.name)
        self.state = state
        self.failure = failure
        if state is not ConnState.WAITING:
            self.retry_at = None
        self.stateChanged.emit()

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    # -- connecting -------------------------------------------------------

    async def _connect(self) -> None:
        self._generation += 1
        generation = self._generation
        problem = checked(self.uri, self.allow_unsafe)
        if problem is not None:
            # Refused here already, so that no thread starts for it; the
            # opener would refuse it all the same.
            self._set_state(ConnState.DISCONNECTED, classify(UriRefusedError(self.uri, problem)))
            return
        self._set_state(ConnState.CONNECTING, None)
        self.prompts_last_attempt = 0
        attempt = Attempt(self.uri, self.allow_unsafe, self.broker, self.askpass)
        try:
            outcome = await attempt.run(
                self.open_gate if self.is_remote else None,
                self.timing.connect_timeout,
                lambda: generation == self._generation,
            )
        finally:
            self.prompts_last_attempt = attempt.prompts
        if outcome is None:
            return
        if isinstance(outcome, Failure):
            if generation == self._generation:
                log.info("connecting to %s failed: %s", self.uri, outcome.message)
                self._schedule_retry(outcome)
            return
        virt, worker = outcome
        if generation != self._generation:  # closed or restarted meanwhile
            close_when_idle(virt, worker, [])
            return
        # Every call on a remote host is a network round trip (an open over
        # ssh already costs about 13, one of them libvirt's own question
        # whether the server speaks keepalive, asked only because an event
        # loop is registered: the one a plain libvirt.open does not pay,
        # see benchmarks/remote.py's floor). A remote host therefore shows its
        # domains after one bulk call, then subscribes to events and lists
        # again in full (persistence, autostart, managed save), which also
        # covers changes made in between. A local one subscribes first.
        remote = self.is_remote
        try:
            self._virt, self._worker = virt, worker
            if not remote:
                await worker.run(self._prepare, virt)
            records = await worker.run(inventory.list_domains, virt, not remote, not remote)
            # The quick host record costs seven round trips: a remote host
            # gets only the full record, after its domains are shown.
            host = None if remote else await worker.run(fetch_host, virt, False)
        except (libvirt.libvirtError, OSError) as exc:
            if generation == self._generation:
                self._teardown()
                self._connect_failed(exc)
            return
        if generation != self._generation:
            return
        self._attempts = 0
        self.domains = {r.uuid: r for r in records}
        self.host = host
        self._set_state(ConnState.CONNECTED, None)
        self.domainsReset.emit()
        if host is not None:
            self.hostChanged.emit(host)
        if remote:
            self._spawn(self._finish_remote(generation))
        else:
            self._start_loops(generation)

    async def _finish_remote(self, generation: int) -> None:
        """Close callback, keepalive and events for a remote host, then the full listing."""
        try:
            await self.call(self._prepare)
        except (libvirt.libvirtError, NotConnectedError) as exc:
            log.info("subscribing to %s failed: %s", self.uri, classify(exc).message)
            return  # a lost link was handled by call(); the retry starts over
        if generation != self._generation:
            return
        self.invalidate(None)
        self._start_loops(generation)

    def _start_loops(self, generation: int) -> None:
        if self._virt is not None and self._worker is not None:
            in_process = self.is_test_driver and not self.is_remote
            self._stats.start(generation, self._virt, self._worker, in_process)
        self._spawn(self._fetch_full_host(generation))
        if not self.has_events:
            self._spawn(self._poll_loop(generation))

    def _connect_failed(self, exc: Exception) -> None:
        failure = failure_of(exc)
        log.info("connecting to %s failed: %s", self.uri, failure.message)
        self._schedule_retry(failure)

    def _prepare(self, virt: libvirt.virConnect) -> None:
        """Runs in the worker: close callback, keepalive, event subscriptions."""
        if is_demo_uri(self.uri):
            apply_demo_settings(virt)
        virt.registerCloseCallback(self._on_close, None)
        # Local drivers have no keepalive, and there is no link to lose.
        with contextlib.suppress(libvirt.libvirtError):
            virt.setKeepAlive(self.timing.keepalive_interval, self.timing.keepalive_count)
        try:
            cid = virt.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self._on_lifecycle, None
            )
            self._callback_ids = [cid]
            self.has_events = True
        except libvirt.libvirtError:
            self._callback_ids = []
            self.has_events = False
        with contextlib.suppress(libvirt.libvirtError):  # a driver without the event
            self._callback_ids.append(
                virt.domainEventRegisterAny(
                    None, libvirt.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, self._on_metadata, None
                )
            )
        self._resource_ids = resource_events.subscribe(
            virt, self.networksChanged.emit, self.poolsChanged.emit
        )

    def _teardown(self, close_in_worker: bool = True) -> None:
        """Forget the current libvirt connection; its worker closes it."""
        self._generation += 1
        self._tasks.cancel_all()
        virt, worker, ids = self._virt, self._worker, self._callback_ids
        resources, self._resource_ids = self._resource_ids, []
        self._virt, self._worker, self._callback_ids = None, None, []
        self._dirty.clear()
        self._refreshing = False
        self._stats.stop()
        self.cpu = {}
        if close_in_worker and virt is not None and worker is not None:
            close_when_idle(virt, worker, ids, resources)

    def _schedule_retry(self, failure: Failure) -> None:
        if not self._want_connected or failure.kind in PERMANENT:
            self._set_state(ConnState.DISCONNECTED, failure)
            return
        delay = min(self.timing.backoff_max, self.timing.backoff_start * (2**self._attempts))
        self._attempts += 1
        self.retry_at = asyncio.get_event_loop().time() + delay
        self._set_state(ConnState.WAITING, failure)
        self._spawn(self._retry_after(delay, self._generation))

    async def _retry_after(self, delay: float, generation: int) -> None:
        await asyncio.sleep(delay)
        if generation == self._generation and self._want_connected:
            await self._connect()

    def _lost(self, failure: Failure) -> None:
        if self.state is not ConnState.CONNECTED:
            return
        log.info("connection %s lost: %s", self.uri, failure.message)
        self._teardown()
        self._schedule_retry(failure)

    # -- libvirt callbacks (no RPC; state changes happen on the GUI thread) --

    def _on_close(self, _virt: libvirt.virConnect, reason: int, _opaque: object) -> None:
        text = {
            libvirt.VIR_CONNECT_CLOSE_REASON_ERROR: "connection error",
            libvirt.VIR_CONNECT_CLOSE_REASON_EOF: "end of file from the host",
            libvirt.VIR_CONNECT_CLOSE_REASON_KEEPALIVE: "keepalive timeout",
            libvirt.VIR_CONNECT_CLOSE_REASON_CLIENT: "closed by the client",
        }.get(reason, "connection closed")
        if reason == libvirt.VIR_CONNECT_CLOSE_REASON_CLIENT:
            return
        # Never tear down inside libvirt's own callback: later, on the GUI thread.
        failure = Failure(ErrorKind.CONNECTION_LOST, text, reason)
        with contextlib.suppress(RuntimeError):  # the loop closed: we are quitting
            self._loop.call_soon_threadsafe(self._lost, failure)

    def _on_lifecycle(
        self, _virt: Any, dom: libvirt.virDomain, _event: int, _detail: int, _opaque: Any
    ) -> None:
        uuid = dom.UUIDString()
        if threading.get_ident() == self._gui_thread:
            self.invalidate(uuid)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed: we are quitting
                self._loop.call_soon_threadsafe(self.invalidate, uuid)

    def _on_metadata(
        self, _virt: Any, dom: libvirt.virDomain, _type: int, _ns: Any, _opaque: Any
    ) -> None:
        uuid = dom.UUIDString()
        if threading.get_ident() == self._gui_thread:
            self.metadataChanged.emit(uuid)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed: we are quitting
                self._loop.call_soon_threadsafe(self.metadataChanged.emit, uuid)

    # -- refresh ----------------------------------------------------------

    async def _refresh(self, generation: int) -> None:
        try:
            while self._dirty and generation == self._generation:
                dirty, self._dirty = self._dirty, set()
                if "*" in dirty or len(dirty) > _BULK_THRESHOLD:
                    records = await self.call(inventory.list_domains, not self.is_remote)
                    if generation == self._generation:
                        await self._apply_full(records, generation)
                else:
                    found = await self.call(_fetch_many, sorted(dirty))
                    if generation == self._generation:
                        for uuid, record in found.items():
                            self._apply_one(uuid, record)
        except (libvirt.libvirtError, NotConnectedError) as exc:
            log.info("refresh of %s failed: %s", self.uri, classify(exc).message)
        finally:
            if generation == self._generation:
                self._refreshing = False

    def _apply_one(self, uuid: str, record: DomainRecord | None) -> None:
        if record is None:
            if self.domains.pop(uuid, None) is not None:
                if self.cpu.pop(uuid, None) is not None:
                    self._stats.forget(uuid)
                self.domainRemoved.emit(uuid)
        elif self.domains.get(uuid) != record:
            self.domains[uuid] = record
            self.domainChanged.emit(record)

    async def _apply_full(self, records: list[DomainRecord], generation: int) -> None:
        """Apply a listing a slice per loop turn: a fleet host's listing after
        a burst of events holds thousands of records and as many signals."""
        fresh = {r.uuid: r for r in records}
        for uuid in [u for u in self.domains if u not in fresh]:
            self._apply_one(uuid, None)
        for start in range(0, len(records), _APPLY_SLICE):
            if start:
                await asyncio.sleep(0)
                if generation != self._generation:
                    return
            for record in records[start : start + _APPLY_SLICE]:
                self._apply_one(record.uuid, record)

    async def _fetch_full_host(self, generation: int) -> None:
        try:
            host = await self.call(fetch_host, True)
        except (libvirt.libvirtError, NotConnectedError):
            return
        if generation == self._generation:
            self.host = host
            self.hostChanged.emit(host)

    async def _poll_loop(self, generation: int) -> None:
        """For drivers without lifecycle events: list again every few seconds."""
        while generation == self._generation:
            await asyncio.sleep(self.timing.poll_interval)
            self.invalidate(None)

    def watch_usage(
        self, owner: object, on: bool, metrics: frozenset[str] = virt_stats.ALL_METRICS
    ) -> None:
        """Ask the stats tick for ``metrics`` too (memory, disk, network
        counters; ``usageUpdated``) while at least one owner shows them."""
        if on and metrics:
            self._usage_watchers[id(owner)] = frozenset(metrics)
        else:
            self._usage_watchers.pop(id(owner), None)

    @property
    def sampled_metrics(self) -> frozenset[str]:
        """What the next stats tick asks for: the CPU time for the list, the
        rest only while watched; only what Preferences left switched on."""
        wanted = {virt_stats.CPU}
        for metrics in self._usage_watchers.values():
            wanted |= metrics
        return frozenset(wanted & self.timing.stats_metrics)

    def stats_ticked(
        self,
        previous: StatsSnapshot | None,
        now: StatsSnapshot,
        cpu: virt_stats.CpuFigures,
    ) -> None:
        """A stats tick's answer (``StatsTick``); the first only sets the base."""
        if previous is not None:
            self.cpu = cpu
            self.statsUpdated.emit(cpu)
            if self._usage_watchers:
                self.usageUpdated.emit(virt_stats.usage(previous, now))

    def call_failed(self, exc: libvirt.libvirtError, generation: int) -> None:
        """A call failed; a lost link is dropped (but never a newer link for an
        older one's late failure)."""
        failure = classify(exc)
        if failure.kind is ErrorKind.CONNECTION_LOST and generation == self._generation:
            self._lost(failure)


def _fetch_many(virt: libvirt.virConnect, uuids: list[str]) -> dict[str, DomainRecord | None]:
    return {uuid: inventory.fetch_domain(virt, uuid) for uuid in uuids}
