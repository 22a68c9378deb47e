"""Work on the GUI thread in slices of a few milliseconds per loop turn.

Ten thousand rows cost far more than one frame to build, update or
repaint from Python; a slicer runs queued jobs (generators that yield after
each unit of work) until its budget is spent, then lets the loop breathe
(input, painting, timers) and carries on in the next turn.

A step that alone costs a frame's worth (Qt sorting 10,000 rows) is
announced by yielding ``TURN`` before it: it then starts a turn of its own
instead of landing on top of a pass that has already spent its budget, and
the pass ends after it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

BUDGET_S = 0.005  # of one 16 ms frame: the rest is Qt's layout and painting
MIN_UNITS = 32  # rows done in any pass: small work always finishes in the caller's turn
TURN = -1  # yielded by a job: what follows wants a turn of its own


class Slicer(QObject):
    def __init__(self, parent: QObject | None = None, budget_s: float = BUDGET_S) -> None:
        super().__init__(parent)
        self.budget_s = budget_s
        self._jobs: deque[Iterator[int | None]] = deque()
        self._running = False
        self._turn_next = False  # the front job's next step wants a turn of its own
        self._wait_turn = False  # this turn is spent (on an expensive step, or before one)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next_turn)

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

    def _next_turn(self) -> None:
        self.run(fresh=True)

    def run(self, fresh: bool = False) -> None:
        """One pass; ``fresh`` when it starts a loop turn of its own."""
        if self._running:  # a job's own signal queued more work: it runs in this pass
            return
        if fresh:
            self._wait_turn = False
        elif self._wait_turn:  # more work in this turn would land on an expensive step
            if not self._timer.isActive():
                self._timer.start()
            return
        self._running = True
        deadline = time.perf_counter() + self.budget_s
        units = 0
        # An expensive step runs first in its pass, and the pass ends after it.
        own_turn, self._turn_next = self._turn_next, False
        try:
            while self._jobs:
                job = self._jobs[0]
                for weight in job:  # rows done since the last yield (None: one)
                    if weight == TURN:
                        if units or own_turn:  # this pass has done work: next turn
                            self._turn_next = self._wait_turn = True
                            break
                        own_turn = self._wait_turn = True
                        continue
                    units += 1 if weight is None else weight
                    if own_turn or (units > MIN_UNITS and time.perf_counter() >= deadline):
                        break
                else:
                    self._jobs.popleft()
                    if own_turn:
                        break
                    continue
                break
        finally:
            self._running = False
        if self._jobs and not self._timer.isActive():
            self._timer.start()
