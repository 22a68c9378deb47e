"""The details pane's tab bar: every name where they fit, else icons.

At each window size every tab is on screen (no scroll arrows, nothing cut):
with all names when they fit, else with the current tab's name and an icon
for each other tab that carries its name as tooltip and accessible name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from kvmdesk.app import Services, build
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.ui.common.fitting_tabs import FittingTabBar
from kvmdesk.ui.domain.details import DetailsPane

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]

Run = Callable[..., Any]
RUNNING = "1c1c1c1c-0000-4000-8000-000000000001"
NAMES = [
    "Overview",
    "Hardware",
    "Screenshot",
    "Display",
    "Console",
    "XML",
    "Performance",
    "Snapshots",
]


@pytest.fixture
def services(
    qtbot: Any, settings: Settings, fast_timing: Timing, run: Run, data_uri: Callable[[str], str]
) -> Iterator[Services]:
    built = build(settings, copy.copy(fast_timing))
    built.window.show()
    qtbot.waitExposed(built.window)
    conn = built.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    assert built.window.select_domain(conn, RUNNING)
    yield built
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _bar(pane: DetailsPane) -> FittingTabBar:
    bar = pane.tabBar()
    assert isinstance(bar, FittingTabBar) and bar is pane.fitting
    return bar


def _all_on_screen(pane: DetailsPane) -> None:
    bar = _bar(pane)
    assert [bar.tab_name(i) for i in range(bar.count())] == NAMES
    right = max(bar.tabRect(i).right() for i in range(bar.count()))
    assert right < pane.width() and bar.width() <= pane.width()  # no scroll arrows, none cut
    for i in range(bar.count()):
        assert bar.accessibleTabName(i) == NAMES[i]
        text = bar.tabText(i)
        if text:  # a name is shown whole
            assert text == NAMES[i]
            assert bar.fontMetrics().horizontalAdvance(text) < bar.tabRect(i).width()
        else:  # an icon stands for it, and says its name
            assert not bar.tabIcon(i).isNull() and bar.tabToolTip(i) == NAMES[i]


@pytest.mark.parametrize("size", [None, (800, 600), (1600, 1000)], ids=["default", "800", "1600"])
def test_every_tab_is_on_screen_at_each_size(
    qtbot: Any, services: Services, size: tuple[int, int] | None
) -> None:
    window, pane = services.window, services.window.details
    if size is not None:
        window.resize(*size)
    qtbot.wait(50)
    bar = _bar(pane)
    for name in ("overview", "hardware", "snapshots"):
        pane.show_tab(name)
        _all_on_screen(pane)
        current = bar.currentIndex()
        assert bar.tabText(current) == NAMES[current]  # the current tab always says its name
    if size == (800, 600):
        assert bar.compact and bar.tabText(0) == ""  # eight names do not fit in 500 pixels
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
        assert pane.currentIndex() == 0 and bar.tabText(0) == "Overview"
    if size == (1600, 1000):
        assert not bar.compact
        assert [bar.tabText(i) for i in range(bar.count())] == NAMES
        assert all(bar.tabIcon(i).isNull() for i in range(bar.count()))


def test_the_names_come_back_when_the_pane_grows(qtbot: Any, services: Services) -> None:
    window, pane = services.window, services.window.details
    window.resize(800, 600)
    qtbot.wait(50)
    assert _bar(pane).compact
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: not _bar(pane).compact)
    _all_on_screen(pane)


def test_a_connection_shows_its_one_tab_by_name(qtbot: Any, services: Services) -> None:
    window, pane = services.window, services.window.details
    window.resize(800, 600)
    conn = window.model.connections[0]
    window.tree.setCurrentIndex(window.from_source(window.model.index_of_connection(conn)))
    qtbot.waitUntil(lambda: not pane.isTabVisible(1))
    bar = _bar(pane)
    assert not bar.compact and bar.tabText(0) == "Overview"  # one tab fits
