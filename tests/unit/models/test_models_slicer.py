"""The GUI-turn slicer: budgets per pass, and expensive steps in turns of their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer

from kvmdesk.models.slicer import TURN, TURN_IDLE_MS, SharedSlicer, Slicer


def _small(log: list[str], name: str, units: int = 1) -> Iterator[int]:
    log.append(name)
    yield units


def _expensive(log: list[str]) -> Iterator[int]:
    yield TURN
    log.append("sort")  # what Qt's sort of 10,000 rows would be
    yield 1
    log.append("after")
    yield 1


def test_expensive_step_waits_for_a_turn_of_its_own(qapp: Any) -> None:
    log: list[str] = []
    slicer = Slicer()
    slicer.add(_small(log, "small"), now=False)
    slicer.add(_expensive(log), now=False)
    slicer.run()
    assert log == ["small"]  # the pass had done work: the sort is not piled on it
    slicer.run()  # a caller's turn (say, a keystroke's) does not start it either
    assert log == ["small"]
    slicer.run(fresh=True)
    assert log == ["small", "sort"]  # alone in its turn: the pass ends after it
    slicer.run(fresh=True)
    assert log == ["small", "sort", "after"]
    assert not slicer.busy


def test_expensive_step_first_in_a_pass_runs_at_once(qapp: Any) -> None:
    log: list[str] = []
    slicer = Slicer()
    slicer.add(_expensive(log))
    slicer.add(_small(log, "queued"))
    assert log == ["sort"]  # nothing else ran in this pass, nor after the step
    slicer.run(fresh=True)
    assert log == ["sort", "after", "queued"]
    assert not slicer.busy


def test_small_jobs_finish_in_the_callers_turn(qapp: Any) -> None:
    log: list[str] = []
    slicer = Slicer()
    for name in ("a", "b", "c"):
        slicer.add(_small(log, name))
    assert log == ["a", "b", "c"]
    assert not slicer.busy


def test_budget_spent_leaves_the_rest_to_the_next_turn(qtbot: Any) -> None:
    log: list[str] = []

    def rows() -> Iterator[int]:
        log.append("first slice")
        yield 1000  # past the minimum, and past a budget of nothing
        log.append("second slice")
        yield 1000

    slicer = Slicer(budget_s=0.0)
    slicer.add(rows())
    assert log == ["first slice"]
    qtbot.waitUntil(lambda: not slicer.busy)
    assert log == ["first slice", "second slice"]


def test_a_shared_slicer_queues_behind_its_model_and_stops_once_its_owner_is_gone(
    qtbot: Any,
) -> None:
    log: list[str] = []
    owner = QObject()

    def rows(name: str) -> Iterator[int]:
        for i in range(3):
            log.append(f"{name}{i}")
            if name == "groups":
                shiboken6.delete(owner)  # its window closed after the first slice
            yield 1000  # each slice alone spends a budget of nothing

    slicer = Slicer(budget_s=0.0)
    shared = SharedSlicer(owner, slicer)
    slicer.add(rows("tree"))
    shared.add(rows("groups"))
    assert shared.busy and "groups0" not in log  # behind the tree's job, one queue
    qtbot.waitUntil(lambda: not slicer.busy)
    assert log == ["tree0", "tree1", "tree2", "groups0"]


def test_passes_in_one_loop_turn_share_its_budget(qtbot: Any) -> None:
    """A fleet's hosts list in the same turn: the second host's pass finds
    the turn spent by the first and does only its minimum."""
    import time

    log: list[str] = []

    def first_host() -> Iterator[int]:
        time.sleep(0.06)  # more than the whole turn's budget
        log.append("first")
        yield 32

    def second_host() -> Iterator[int]:
        for name in ("a", "b"):
            log.append(name)
            yield 32

    slicer = Slicer(budget_s=0.05)
    slicer.add(first_host())
    slicer.add(second_host())  # the same turn: no loop ran in between
    assert log == ["first", "a"]
    qtbot.waitUntil(lambda: not slicer.busy)
    assert log == ["first", "a", "b"]


class _Clock:
    """The slicer's clock, moved on by the jobs themselves."""

    def __init__(self) -> None:
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


def test_a_pass_ends_before_a_step_like_the_last_would_pass_its_budget(
    qapp: Any, monkeypatch: Any
) -> None:
    """Steps of 2 ms on a 5 ms budget: two fit, a third would end at 6 ms."""
    import kvmdesk.models.slicer as slicer_module

    clock = _Clock()
    monkeypatch.setattr(slicer_module, "time", clock)
    done: list[int] = []

    def rows() -> Iterator[int]:
        for step in range(5):
            clock.now += 0.002
            done.append(step)
            yield 32

    slicer = Slicer(budget_s=0.005)
    slicer.add(rows())
    assert done == [0, 1]  # after 4 ms: the next step would end past the budget
    slicer.run(fresh=True)
    assert done == [0, 1, 2, 3]


class _Recorder(QObject):
    """Stands for a view: a posted low-priority event is its repaint."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def customEvent(self, _event: QEvent) -> None:
        self.log.append("paint")


def test_next_pass_comes_after_the_views_layout_its_paint_and_timers_due(qapp: Any) -> None:
    """Qt lays a view out on a zero timer, which posts the repaint: the next
    pass waits for both, and for the timers due meanwhile (input, say)."""
    log: list[str] = []
    view = _Recorder(log)
    paint = QEvent.Type(QEvent.registerEventType())

    def layout() -> None:
        log.append("layout")
        QTimer.singleShot(0, lambda: log.append("timer"))
        QCoreApplication.postEvent(view, QEvent(paint), Qt.EventPriority.LowEventPriority.value)

    def rows() -> Iterator[int]:
        log.append("pass 1")
        QTimer.singleShot(0, layout)  # what a structural change starts in a view
        yield 1000
        log.append("pass 2")
        loop.quit()
        yield 1000

    slicer = Slicer(budget_s=0.0)
    loop = QEventLoop()  # the application's loop, not a test's processEvents
    QTimer.singleShot(5000, loop.quit)  # should the second pass never come
    slicer.add(rows())
    loop.exec()
    assert log[:2] == ["pass 1", "layout"]
    assert sorted(log[2:4]) == ["paint", "timer"]  # in either order, both before the pass
    assert log[4:] == ["pass 2"]


def test_expensive_step_after_work_waits_for_a_frame_of_idle_loop(qapp: Any) -> None:
    """After a pass, the view lays out and paints; an expensive step started
    on the round after that paint shared its stall.  It waits until the loop
    was idle for a frame: a timer of half a frame, started by the pass, runs
    before it."""
    log: list[str] = []
    slicer = Slicer()
    loop = QEventLoop()

    def rows() -> Iterator[int]:
        log.append("pass")
        QTimer.singleShot(TURN_IDLE_MS // 2, lambda: log.append("timer"))
        yield 1

    def sort() -> Iterator[int]:
        yield TURN
        log.append("sort")
        loop.quit()
        yield 1

    QTimer.singleShot(5000, loop.quit)  # should the sort never come
    slicer.add(rows(), now=False)
    slicer.add(sort(), now=False)
    slicer.add(_small(log, "queued"), now=False)
    slicer.run()
    assert log == ["pass"]
    slicer.add(_small(log, "added meanwhile"))  # waits behind the sort
    assert log == ["pass"]
    loop.exec()
    assert log == ["pass", "timer", "sort"]
    slicer.run(fresh=True)
    assert log[3:] == ["queued", "added meanwhile"]
    assert not slicer.busy
