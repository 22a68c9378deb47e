"""A connection's statistics tick: one bulk call per interval on its worker.

The tick is driven by a single-shot ``QTimer`` and its answer comes back as
one queued signal from the worker, rather than by a coroutine that awaits
the call and then ``asyncio.sleep``: through qasync that took five
GUI-thread events per tick (a Qt timer for each callback it schedules, a
signal for the worker's result), and an idle fleet of 50 hosts ticks 17
times a second. This way a tick wakes the GUI thread twice: to ask, and to
take the answer.
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any, Protocol

import libvirt
import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from kvmdesk.core.timing import Timing
from kvmdesk.core.worker import Worker
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.records import StatsSnapshot

log = logging.getLogger(__name__)

_Answer = tuple[int, frozenset[str], "concurrent.futures.Future[Any]"]


class Ticking(Protocol):
    """What a tick needs of its connection (``core.connection.Connection``)."""

    uri: str
    timing: Timing

    @property
    def sampled_metrics(self) -> frozenset[str]: ...

    def stats_ticked(
        self, previous: StatsSnapshot | None, now: StatsSnapshot, cpu: virt_stats.CpuFigures
    ) -> None: ...

    def call_failed(self, exc: libvirt.libvirtError, generation: int) -> None: ...


class StatsTick(QObject):
    """Samples a link every ``timing.stats_interval`` seconds while started,
    the next tick that long after the last answer.

    It keeps what the worker compares each tick with: the last snapshot, the
    whole percentages it gave, and the domains whose figure the connection
    dropped since then (``forget``). ``stop()`` (a teardown) forgets them
    and ignores the answer still on its way.
    """

    _answered = Signal(object)  # _Answer, from the worker thread

    def __init__(self, conn: Ticking, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._generation: int | None = None
        self._link: tuple[libvirt.virConnect, Worker] | None = None
        self._in_process = False  # the driver runs in this process (the test driver)
        self._running = virt_stats.RunningById()
        self._last: StatsSnapshot | None = None
        self._whole: dict[str, int] | None = None  # None: no figures yet on this link
        self._forget: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        self._answered.connect(self._take)

    def start(
        self, generation: int, virt: libvirt.virConnect, worker: Worker, in_process: bool
    ) -> None:
        """Tick now, and on; ``generation`` names the link (see Connection)."""
        self.stop()
        self._generation, self._link, self._in_process = generation, (virt, worker), in_process
        self._tick()

    def stop(self) -> None:
        self._timer.stop()
        self._generation = self._link = None
        self._running = virt_stats.RunningById()  # the test driver's, for one link only
        self._last, self._whole = None, None
        self._forget = set()

    def forget(self, uuid: str) -> None:
        """The connection dropped ``uuid``'s figure: the next tick says so."""
        self._forget.add(uuid)

    def _tick(self) -> None:
        generation, link = self._generation, self._link
        if generation is None or link is None:
            return
        virt, worker = link
        forget, self._forget = frozenset(self._forget), set()
        try:
            job = worker.submit(
                virt_stats.sample_cpu,
                virt,
                self._last,
                self._in_process,
                self._conn.sampled_metrics,
                self._running,
                self._whole,
                forget,
            )
        except RuntimeError:  # the worker stopped: the teardown stops this too
            self._forget |= forget
            return
        job.add_done_callback(lambda done: self._answer((generation, forget, done)))

    def _answer(self, answer: _Answer) -> None:
        """On the worker thread (or at once, for a call dropped unrun)."""
        if shiboken6.isValid(self):
            try:
                self._answered.emit(answer)
            except RuntimeError:  # deleted meanwhile, with its connection
                log.debug("stats of %s: answered after the connection went", self._conn.uri)

    def _take(self, answer: _Answer) -> None:
        generation, forget, done = answer
        if generation != self._generation or done.cancelled():
            return  # an old link's, or dropped unrun by the teardown
        exc = done.exception()
        if exc is None:
            snapshot, cpu = done.result()
            previous, self._last = self._last, snapshot
            if previous is not None:
                self._whole = cpu.whole
            self._conn.stats_ticked(previous, snapshot, cpu)
        else:
            self._forget |= forget  # still to be said with the next tick
            if isinstance(exc, libvirt.libvirtError):
                log.debug("stats of %s failed: %s", self._conn.uri, exc)
                self._conn.call_failed(exc, generation)
            else:
                log.error("stats of %s failed", self._conn.uri, exc_info=exc)
        if generation == self._generation:  # not torn down meanwhile
            self._timer.start(round(self._conn.timing.stats_interval * 1000))
