"""Child side: bring the application up as ``kvmdesk.app.run_gui`` does, and probe it.

Probes only observe from outside the product: a heartbeat timer on the GUI
thread, an event filter on the tree's viewport and signal connections.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QEvent, QLocale, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.common import percentile
from kvmdesk import app as kapp
from kvmdesk.core.connection import Connection
from kvmdesk.core.eventloop import register_once
from kvmdesk.core.settings import Settings
from kvmdesk.models.icons import icon
from kvmdesk.virt.errors import silence_stderr_printing

STALL_LIMIT_MS = 50.0


class StallMonitor(QObject):
    """A 10 ms heartbeat on the GUI thread; the longest gap is the worst stall."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._gaps: list[tuple[float, float]] = []  # (when, gap) in seconds
        self._cpu: list[float] = []  # GUI-thread CPU seconds spent in each gap
        self._start = 0.0
        self._last = 0.0
        self._last_cpu = 0.0
        self.phase = ""

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, phase: str) -> None:
        self.phase = phase
        self._gaps = []
        self._cpu = []
        self._start = self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self._gaps.append((now - self._start, now - self._last))
        self._cpu.append(cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu

    def stop(self) -> dict[str, Any]:
        """Stop and summarise; the time since the last beat counts as a gap too."""
        now, cpu = time.perf_counter(), time.thread_time()
        self._timer.stop()
        self._gaps.append((now - self._start, now - self._last))
        self._cpu.append(cpu - self._last_cpu)
        gaps_ms = [g * 1000.0 for _, g in self._gaps]
        worst = sorted(self._gaps, key=lambda x: -x[1])[:5]
        return {
            "phase": self.phase,
            "seconds": round(now - self._start, 3),
            "beats": len(self._gaps),
            "max_ms": round(max(gaps_ms), 1),
            "p50_ms": round(percentile(gaps_ms, 50), 1),
            "p99_ms": round(percentile(gaps_ms, 99), 1),
            "over_limit": sum(1 for g in gaps_ms if g > STALL_LIMIT_MS),
            # The most CPU the GUI thread itself spent between two beats: unlike
            # max_ms, it does not grow while the thread waits for a core or the GIL.
            "cpu_max_ms": round(max(self._cpu) * 1000.0, 1),
            "worst": [
                {"at_s": round(at - gap, 3), "gap_ms": round(gap * 1000.0, 1)} for at, gap in worst
            ],
        }


class PaintProbe(QObject):
    """Counts paint events of a widget and lets a coroutine await the next one.

    A waiter resolves one event-loop turn after the paint event was delivered
    (a zero timer), i.e. after the view has painted and the frame was flushed.
    """

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.count = 0
        self._waiters: list[tuple[QRect | None, asyncio.Future[tuple[float, float]]]] = []
        widget.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            if self._waiters:
                now = time.perf_counter()
                region = event.region()  # type: ignore[attr-defined]
                keep: list[tuple[QRect | None, asyncio.Future[tuple[float, float]]]] = []
                for rect, fut in self._waiters:
                    if rect is None or region.intersects(rect):
                        QTimer.singleShot(0, lambda f=fut, t=now: _resolve(f, t))
                    else:
                        keep.append((rect, fut))
                self._waiters = keep
        return False

    def next_paint(self, rect: QRect | None = None) -> asyncio.Future[tuple[float, float]]:
        """Future of (paint delivered, one turn later) perf_counter times."""
        fut: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        self._waiters.append((rect, fut))
        return fut


def _resolve(fut: asyncio.Future[tuple[float, float]], painted: float) -> None:
    if not fut.done():
        fut.set_result((painted, time.perf_counter()))


class Gui:
    """The application as ``run_gui`` builds it, with a settings file of our own."""

    def __init__(self, uri: str, config: Path, marks: dict[str, float]) -> None:
        self.uri = uri
        self.config = config
        self.marks = marks  # name -> time.monotonic()

    def boot(self) -> None:
        """Everything ``run_gui`` does before its loop runs; opens the connection."""
        mark = self.marks
        app = QApplication.instance() or QApplication(sys.argv)
        assert isinstance(app, QApplication)
        app.setApplicationName("kvmdesk")
        app.setOrganizationName("kvmdesk")
        app.setDesktopFileName("kvmdesk")
        app.setWindowIcon(icon("kvmdesk"))
        self.translators = kapp.install_translations(app, QLocale.system())
        self.app = app
        self.loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(self.loop)
        register_once(self.loop)
        silence_stderr_printing()
        mark["app_created"] = time.monotonic()

        self.services = kapp.build(Settings(self.config))
        self.window = self.services.window
        self.model = self.window.model
        self.shown = self.window.shown_model  # what the tree shows (no search: the model)
        self.tree = self.window.tree
        mark["window_built"] = time.monotonic()

        self.monitor = StallMonitor()
        self.paints = PaintProbe(self.tree.viewport())
        self.window.show()
        mark["window_shown"] = time.monotonic()
        self.monitor.start("startup")
        self.services.manager.restore([self.uri])
        conn = self.services.manager.find(self.uri)
        if conn is None:
            raise RuntimeError(f"restore() did not add {self.uri}")
        self.conn: Connection = conn

        def state_changed() -> None:
            if conn.is_connected:
                mark.setdefault("connected", time.monotonic())

        # Connected after the model's own slots, so these fire once the model is done.
        conn.stateChanged.connect(state_changed)
        conn.domainsReset.connect(lambda: mark.setdefault("model_filled", time.monotonic()))
        mark["restore_called"] = time.monotonic()
