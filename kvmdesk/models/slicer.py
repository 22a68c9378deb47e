"""Work on the GUI thread in slices of a few milliseconds per loop turn.

Ten thousand rows cost far more than one frame to build, update or
repaint from Python; a slicer runs queued jobs (generators that yield after
each unit of work) until its budget is spent, then lets the loop breathe
(input, painting, timers) and carries on in the next turn.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

BUDGET_S = 0.005  # of one 16 ms frame: the rest is Qt's layout and painting
MIN_UNITS = 32  # rows done in any pass: small work always finishes in the caller's turn


class Slicer(QObject):
    def __init__(self, parent: QObject | None = None, budget_s: float = BUDGET_S) -> None:
        super().__init__(parent)
        self.budget_s = budget_s
        self._jobs: deque[Iterator[int | None]] = deque()
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.run)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def add(self, job: Iterator[int | None], now: bool = True) -> None:
        """Queue a job and start on it at once (small jobs finish in the
        caller's turn), or in the next turn."""
        self._jobs.append(job)
        if now:
            self.run()
        elif not self._timer.isActive():
            self._timer.start()

    def run(self) -> None:
        if self._running:  # a job's own signal queued more work: it runs in this pass
            return
        self._running = True
        deadline = time.perf_counter() + self.budget_s
        units = 0
        try:
            while self._jobs:
                job = self._jobs[0]
                for weight in job:  # rows done since the last yield (None: one)
                    units += 1 if weight is None else weight
                    if units > MIN_UNITS and time.perf_counter() >= deadline:
                        break
                else:
                    self._jobs.popleft()
                    continue
                break
        finally:
            self._running = False
        if self._jobs and not self._timer.isActive():
            self._timer.start()
