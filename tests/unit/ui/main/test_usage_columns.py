"""The list's optional usage columns: Memory Use, Disk I/O, Network I/O.

Hidden by default and then nothing is sampled for them; shown from the
header's menu, the connection's bulk stats tick asks for what they need
(on the test driver, in-process only, each domain is asked instead: see
``virt.stats._in_process``), the cells show the figures with a sparkline in
the palette's highlight colour, and which columns are shown is stored and
comes back at the next start.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMenu, QTreeView

from kvmdesk.app import Services, build
from kvmdesk.core.connection import Connection
from kvmdesk.core.preferences import Preferences
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.models.columns import USAGE, Column, Role
from kvmdesk.ui.main.preferences_apply import dark_palette
from kvmdesk.ui.main.sparklines import UsageSparklineDelegate
from kvmdesk.ui.main.tree_columns import column_menu
from kvmdesk.virt import stats as virt_stats

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]

Run = Callable[..., Any]
RUNNING = "1c1c1c1c-0000-4000-8000-000000000001"
TITLES = {
    Column.MEMORY_USE: "Memory Use",
    Column.DISK_IO: "Disk I/O",
    Column.NETWORK_IO: "Network I/O",
}


def _build(qtbot: Any, settings: Settings, timing: Timing) -> Services:
    built = build(settings, copy.copy(timing))
    built.window.show()
    qtbot.waitExposed(built.window)
    return built


def _close(built: Services, run: Run) -> None:
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(built.window)


@pytest.fixture
def services(qtbot: Any, settings: Settings, fast_timing: Timing, run: Run) -> Iterator[Services]:
    palette = QPalette(QApplication.palette())
    built = _build(qtbot, settings, fast_timing)
    yield built
    if shiboken6.isValid(built.window):  # not closed by the test already
        _close(built, run)
    QApplication.setPalette(palette)


@pytest.fixture
def conn(services: Services, run: Run, data_uri: Callable[[str], str]) -> Connection:
    found = services.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(found.open_and_wait()), found.failure
    return found


def _tick(tree: QTreeView, title: str) -> None:
    """Tick or untick a column in the header's menu, as a user would."""
    model = tree.model()
    window = tree.window()
    menu: QMenu = column_menu(tree, window.model, window.columnsChanged.emit)  # type: ignore[attr-defined]
    assert model is not None
    next(a for a in menu.actions() if a.text() == title).trigger()
    menu.deleteLater()


def _cell(services: Services, conn: Connection, column: int) -> Any:
    return services.window.model.index_of_domain(conn, RUNNING, column)


def _line_pixels(services: Services, conn: Connection, column: int) -> int:
    """Pixels of the sparkline: the palette's highlight colour (blue), which the text is not."""
    window = services.window
    index = window.from_source(_cell(services, conn, column))
    tree = window.tree
    tree.viewport().repaint()
    image = tree.viewport().grab(tree.visualRect(index)).toImage()
    assert tree.palette().color(QPalette.ColorRole.Highlight).blue() > 150  # both themes

    def bluish(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return c.blue() > c.red() + 40

    return sum(1 for x in range(image.width()) for y in range(image.height()) if bluish(x, y))


def test_the_usage_columns_follow_the_others_hidden_and_unsampled(
    services: Services, conn: Connection, run: Run
) -> None:
    window, model = services.window, services.window.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in USAGE] == list(TITLES.values())
    assert min(USAGE) > max(c for c in Column if c not in USAGE)  # after the existing ones
    for column in USAGE:
        assert window.tree.isColumnHidden(column)
    assert not model.usage.enabled
    assert conn.sampled_metrics == {virt_stats.CPU}
    run(asyncio.sleep(0.3))  # ticks pass: nothing is kept or shown
    assert all(not _cell(services, conn, c).data() for c in USAGE)
    assert model.usage.history(conn, RUNNING, Column.DISK_IO) == []
    # No cells are even made for them: three items fewer per row.
    node = model._node_of(conn)
    assert node is not None and len(node.rows[RUNNING]) == len(Column) - len(USAGE)


def test_a_shown_column_samples_only_what_it_needs_and_draws_a_sparkline(
    services: Services, conn: Connection, wait_until: Any
) -> None:
    tree = services.window.tree
    model = services.window.model
    _tick(tree, "Disk I/O")
    assert not tree.isColumnHidden(Column.DISK_IO)
    assert conn.sampled_metrics == {virt_stats.CPU, virt_stats.DISK}  # not memory nor network
    assert isinstance(tree.itemDelegateForColumn(Column.DISK_IO), UsageSparklineDelegate)
    node = model._node_of(conn)
    assert node is not None
    wait_until(lambda: all(len(items) == len(Column) for items in node.rows.values()))
    wait_until(
        lambda: len(model.usage.history(conn, RUNNING, Column.DISK_IO)) >= 3,
        what="three disk figures",
    )
    wait_until(lambda: str(_cell(services, conn, Column.DISK_IO).data()).endswith("/s"))
    cell = _cell(services, conn, Column.DISK_IO)
    assert isinstance(cell.data(Role.SORT), float) and cell.data(Role.SORT) >= 0
    assert "Read:" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert _cell(services, conn, Column.NETWORK_IO).data() == ""  # not shown: not filled
    assert _line_pixels(services, conn, Column.DISK_IO) > 0

    _tick(tree, "Memory Use")
    _tick(tree, "Network I/O")
    assert conn.sampled_metrics == virt_stats.ALL_METRICS
    wait_until(lambda: _cell(services, conn, Column.MEMORY_USE).data() == "1.0 GiB")
    wait_until(lambda: str(_cell(services, conn, Column.NETWORK_IO).data()).endswith("/s"))
    assert "In:" in _cell(services, conn, Column.NETWORK_IO).data(Qt.ItemDataRole.ToolTipRole)
    memory = model.usage.history(conn, RUNNING, Column.MEMORY_USE, 1048576.0)
    assert memory and all(v == 1.0 for v in memory)  # a share of the VM's memory

    for title in TITLES.values():
        _tick(tree, title)
    assert not model.usage.enabled
    assert conn.sampled_metrics == {virt_stats.CPU}
    assert all(_cell(services, conn, c).data() == "" for c in USAGE)
    assert model.usage.history(conn, RUNNING, Column.DISK_IO) == []


def test_sorting_by_a_usage_column(services: Services, conn: Connection, wait_until: Any) -> None:
    tree, model = services.window.tree, services.window.model
    _tick(tree, "Memory Use")
    wait_until(lambda: _cell(services, conn, Column.MEMORY_USE).data() == "1.0 GiB")
    tree.header().setSortIndicator(Column.MEMORY_USE, Qt.SortOrder.DescendingOrder)
    wait_until(lambda: not model.slicer.busy)
    top = model.index_of_connection(conn)

    def figures() -> list[float]:
        rows = model.rowCount(top)
        return [model.index(r, Column.MEMORY_USE, top).data(Role.SORT) for r in range(rows)]

    assert figures() == sorted(figures(), reverse=True)
    assert len({f for f in figures() if f >= 0}) >= 2  # running 1 GiB, paused 1.5 GiB, ...
    assert figures()[-1] == -1.0  # a stopped VM is not measured: last
    tree.header().setSortIndicator(Column.MEMORY_USE, Qt.SortOrder.AscendingOrder)
    wait_until(lambda: not model.slicer.busy)
    assert figures() == sorted(figures())


def test_the_sparkline_reads_in_a_dark_theme(
    services: Services, conn: Connection, wait_until: Any
) -> None:
    QApplication.setPalette(dark_palette())
    tree, model = services.window.tree, services.window.model
    _tick(tree, "Network I/O")
    wait_until(lambda: len(model.usage.history(conn, RUNNING, Column.NETWORK_IO)) >= 3)
    assert tree.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert _line_pixels(services, conn, Column.NETWORK_IO) > 0


def test_columns_ticked_in_the_header_menu_come_back_at_the_next_start(
    qtbot: Any, services: Services, settings: Settings, fast_timing: Timing, run: Run
) -> None:
    tree = services.window.tree
    _tick(tree, "Disk I/O")
    _tick(tree, "CPU %")  # hiding one of the first columns is kept too
    settings.sync()
    stored = Preferences(Settings(Path(settings._qs.fileName()))).hidden_columns
    assert "DISK_IO" not in stored and "CPU" in stored and "MEMORY_USE" in stored
    assert services.preferences.action is not None
    services.preferences.action.trigger()
    dialog = services.preferences.dialog
    assert dialog is not None
    assert dialog.columns[Column.DISK_IO].isChecked() and not dialog.columns[Column.CPU].isChecked()
    _tick(tree, "Network I/O")  # while the dialog is open: its tick follows
    assert dialog.columns[Column.NETWORK_IO].isChecked()
    _tick(tree, "Network I/O")
    dialog.done(0)
    _close(services, run)
    again = _build(qtbot, settings, fast_timing)
    try:
        tree = again.window.tree
        assert not tree.isColumnHidden(Column.DISK_IO)
        assert tree.isColumnHidden(Column.CPU)
        assert tree.isColumnHidden(Column.MEMORY_USE) and tree.isColumnHidden(Column.ADDRESS)
        assert again.window.model.usage.shown == {Column.DISK_IO}  # sampled again
    finally:
        _close(again, run)


def test_sorting_by_a_hidden_usage_column_makes_its_cells(
    services: Services, conn: Connection, wait_until: Any
) -> None:
    """A stored header may sort by a column that is hidden: its rows get the
    cells to hold the sort keys, and all sort as not measured, by name."""
    model = services.window.model
    model.sort(Column.NETWORK_IO, Qt.SortOrder.AscendingOrder)
    wait_until(lambda: not model.slicer.busy)
    top = model.index_of_connection(conn)
    names = [model.index(r, Column.NAME, top).data() for r in range(model.rowCount(top))]
    assert names == sorted(names, key=str.casefold)
    assert model.index(0, Column.NETWORK_IO, top).data(Role.ORDER).startswith("0")


def test_a_grouped_list_shows_the_usage_figures_too(
    services: Services, conn: Connection, wait_until: Any
) -> None:
    from kvmdesk.core.tree_layout import GroupBy

    window = services.window
    grouping = window.grouping
    assert grouping is not None
    grouping.set_group_by(GroupBy.STATE)
    _tick(window.tree, "Disk I/O")

    def grouped_cell() -> str:
        index = grouping.groups.index_of_domain(conn, RUNNING)
        return str(index.siblingAtColumn(Column.DISK_IO).data() or "")

    wait_until(lambda: grouped_cell().endswith("/s"), what="the figure in the grouped row")
    source = grouping.groups.index_of_domain(conn, RUNNING).siblingAtColumn(Column.DISK_IO)
    assert not source.flags() & Qt.ItemFlag.ItemIsEditable  # the row's own flags, not Qt's


def test_a_hidden_list_stored_before_the_usage_columns_keeps_them_hidden(
    tmp_path: Path,
) -> None:
    older = Settings(tmp_path / "older.conf")
    older.set_value("preferences/list/hiddenColumns", "none")  # the IP column shown
    older.sync()
    preferences = Preferences(Settings(tmp_path / "older.conf"))
    assert preferences.hidden_columns == {"MEMORY_USE", "DISK_IO", "NETWORK_IO"}
    preferences.set_hidden_columns({"DISK_IO"})  # the user's own choice from now on
    assert Preferences(Settings(tmp_path / "older.conf")).hidden_columns == {"DISK_IO"}
