"""Work on the GUI thread in slices of a few milliseconds per loop turn.

Ten thousand rows cost far more than one frame to build, update or
repaint from Python; a slicer runs queued jobs (generators that yield after
each unit of work) until its budget is spent, then lets the loop breathe
(input, painting, timers) and carries on in the next turn.

A step that alone costs a frame's worth (Qt sorting 10,000 rows) is
announced by yielding ``TURN`` before it: it then starts a turn of its own
instead of landing on top of a pass that has already spent its budget, and
the pass ends after it.  When it comes after work (a pass, then the view's
layout and paint), it waits for the loop to have been idle for a frame
(``TURN_IDLE_MS``): started on the next round, it began straight after the
paint, and the two together (4 + 11 ms at 10,000 rows) were one stall.

The budget is one per loop turn, not one per pass: a fleet's hosts finish
their listings together, and each one's signal started a pass of its own
in the same turn (twenty hosts, twenty budgets, 100-300 ms without a
frame).  Passes add up what they spent until the event dispatcher wakes
for the next turn; once the turn's budget is gone, a pass does only its
minimum and leaves the rest to the next turn.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QEvent, QObject, Qt, QTimer

BUDGET_S = 0.005  # of one 16 ms frame: the rest is Qt's layout and painting
MIN_UNITS = 32  # rows done in any pass: small work always finishes in the caller's turn
TURN = -1  # yielded by a job: what follows wants a turn of its own
TURN_IDLE_MS = 16  # a frame of idle loop before such a step that comes after work
_NEXT_TURN = QEvent.Type(QEvent.registerEventType())
# The next pass is a posted event, two rounds of posted events later, queued
# behind Qt's own repaint requests (``UpdateRequest``, low priority): a pass,
# then the view's layout (a timer), then its paint, then the next pass, each
# in a round of its own, with timers (input, a heartbeat) between them.
# Events posted during a round are delivered in the next one: posted once,
# the next pass ran in the round of the paint, back to back with it; with a
# zero timer, in the timer round of the view's layout, before the paint
# (two passes, two layouts and a paint without a break: 25 ms at 10,000 rows).
_AFTER_PAINT = Qt.EventPriority.LowEventPriority.value - 1


class Slicer(QObject):
    def __init__(self, parent: QObject | None = None, budget_s: float = BUDGET_S) -> None:
        super().__init__(parent)
        self.budget_s = budget_s
        self._jobs: deque[Iterator[int | None]] = deque()
        self._running = False
        self._turn_next = False  # the front job's next step wants a turn of its own
        self._wait_turn = False  # this turn is spent (on an expensive step, or before one)
        self._spent = 0.0  # seconds the passes of this loop turn took
        self._posted = False  # a next turn is posted
        self._relayed = False  # ... and has been posted on once (see _NEXT_TURN)
        self._turn_timer = QTimer(self)  # a step of its own that comes after work
        self._turn_timer.setSingleShot(True)
        self._turn_timer.setInterval(TURN_IDLE_MS)
        self._turn_timer.timeout.connect(self._turn_due)
        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is not None:  # a new loop turn: a new budget
            dispatcher.awake.connect(self._new_turn)

    def _new_turn(self) -> None:
        self._spent = 0.0

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def add(self, job: Iterator[int | None], now: bool = True) -> None:
        """Queue a job and start on it at once (small jobs finish in the
        caller's turn), or in the next turn."""
        self._jobs.append(job)
        if now:
            self.run()
        else:
            self._post()

    def _post(self) -> None:
        if not self._posted:
            self._posted = True
            QCoreApplication.postEvent(self, QEvent(_NEXT_TURN), _AFTER_PAINT)

    def _turn_due(self) -> None:
        self._relayed = self._posted = False
        self.run(fresh=True)

    def customEvent(self, event: QEvent) -> None:
        if event.type() != _NEXT_TURN or self._turn_timer.isActive():
            return  # (posted before a step of its own began to wait: the timer runs it)
        if not self._relayed:  # the round of the view's paint: one more round
            self._relayed = True
            QCoreApplication.postEvent(self, QEvent(_NEXT_TURN), _AFTER_PAINT)
            return
        self._relayed = self._posted = False
        self.run(fresh=True)

    def run(self, fresh: bool = False) -> None:
        """One pass; ``fresh`` when it starts a loop turn of its own."""
        if self._running:  # a job's own signal queued more work: it runs in this pass
            return
        if fresh:
            self._wait_turn = False
            self._spent = 0.0
        elif self._wait_turn:  # more work in this turn would land on an expensive step
            self._post()
            return
        self._running = True
        started = time.perf_counter()
        # Once earlier passes spent the turn's budget, a pass does its
        # minimum only: small work still finishes in the caller's turn.
        deadline = started + self.budget_s - self._spent
        units = 0
        step_start = started
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
                    # The pass ends before a step like the last one would
                    # end past the deadline, not after it (a step of 32 rows
                    # built takes 1-2 ms: a 5 ms budget made 6-7 ms passes).
                    now = time.perf_counter()
                    step, step_start = now - step_start, now
                    if own_turn or (units >= MIN_UNITS and now + step >= deadline):
                        break
                else:
                    self._jobs.popleft()
                    if own_turn:
                        break
                    continue
                break
        finally:
            self._running = False
            self._spent += time.perf_counter() - started
        if self._jobs and self._turn_next:
            self._posted = True  # what is added meanwhile waits for it too
            self._turn_timer.start()
        elif self._jobs:
            self._post()


class SharedSlicer:
    """Another model's slicer, for the jobs of a model that follows it.

    Two slicers each spend their budget in the same loop turn (the host
    tree's and the groups' on one burst of events), and Qt then lays the
    view out and paints on top: one slicer keeps the whole turn within one
    budget.  Jobs queued here stop once ``owner`` is deleted, which may
    happen before the slicer's own model is.
    """

    def __init__(self, owner: QObject, slicer: Slicer) -> None:
        self._owner = owner
        self._slicer = slicer

    @property
    def busy(self) -> bool:
        return self._slicer.busy

    def add(self, job: Iterator[int | None], now: bool = True) -> None:
        self._slicer.add(self._while_owned(job), now)

    def _while_owned(self, job: Iterator[int | None]) -> Iterator[int | None]:
        while shiboken6.isValid(self._owner):
            try:
                weight = next(job)
            except StopIteration:
                return
            yield weight
