"""The main window while a large first listing arrives in slices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from kvmdesk.app import Services
from kvmdesk.models.tree import Column, Role

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]


@pytest.fixture
def services(shown_services: Services) -> Services:
    return shown_services


def _host(tmp_path: Any, names: list[str]) -> str:
    """A test-driver host with these domains, listed in this order."""
    domains = "".join(
        f"<domain type='test'><name>{name}</name>"
        f"<uuid>00000000-0000-4000-8000-{i:012d}</uuid><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>"
        for i, name in enumerate(names)
    )
    path = tmp_path / "arriving.xml"
    path.write_text(f"<node>{domains}</node>", encoding="utf-8")
    return f"test://{path}"


def test_selection_and_current_row_stay_on_their_domain_while_rows_arrive(
    services: Services, qtbot: Any, run: Any, tmp_path: Any, wait_until: Callable[..., None]
) -> None:
    window, model = services.window, services.window.model
    slicer = model.slicer
    slicer.budget_s = 0.0  # every pass ends after its first slice
    n = 1500
    names = [f"vm-{(i * 7919) % n:05d}" for i in range(n)]  # listed out of name order
    pass_of = slicer.run
    held: list[bool] = [True]

    def placed() -> int:
        index = model.index_of_connection(conn)
        return model.rowCount(index) if index.isValid() else 0

    # Passes stop once the first rows are placed, until the test goes on.
    slicer.run = lambda fresh=False: None if held and placed() else pass_of(fresh)  # type: ignore[method-assign]
    conn = services.manager.add(_host(tmp_path, names), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: placed() > 0, what="the first rows")
    assert placed() < n
    parent = window.from_source(model.index_of_connection(conn))
    chosen = window.shown_model.index(5, Column.NAME, parent)
    assert chosen.data(Role.SORT) == "vm-00005"
    window.tree.setCurrentIndex(chosen)  # selects it, as a click does
    # A domain defined meanwhile sorts before the chosen one: rows move.
    xml = (
        "<domain type='test'><name>vm-00002b</name><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>"
    )
    run(conn.call(lambda virt: virt.defineXML(xml)))
    wait_until(lambda: len(conn.domains) == n + 1, what="the new domain")
    held.clear()
    pass_of(True)
    wait_until(lambda: not slicer.busy and placed() == n + 1, what="the rows")
    shown = window.shown_model
    rows = [shown.index(r, Column.NAME, parent).data(Role.SORT) for r in range(n + 1)]
    assert rows == sorted([*names, "vm-00002b"])
    assert [s.record.name for s in window.selected_domains()] == ["vm-00005"]
    current: QModelIndex = window.tree.currentIndex()
    assert current.row() == 6 and current.data(Role.SORT) == "vm-00005"


def _fill(services: Services, run: Any, tmp_path: Any, n: int) -> Any:
    """A host of ``n`` machines opened, its rows placed a slice per pass."""
    services.window.model.slicer.budget_s = 0.0  # every pass ends after its first slice
    names = [f"vm-{(i * 7919) % n:05d}" for i in range(n)]
    conn = services.manager.add(_host(tmp_path, names), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _holds(services: Services) -> list[bool]:
    """At each append from now on: was the tree's paint held for it?"""
    below, held = services.window.tree_source.below, []
    services.window.model.rowsAppending.connect(lambda _item: held.append(below.held))
    return held


def _placed(services: Services, conn: Any, n: int) -> Callable[[], bool]:
    model = services.window.model
    return lambda: not model.slicer.busy and model.rowCount(model.index_of_connection(conn)) == n


def test_rows_landing_below_the_shown_ones_hold_the_rows_paint_until_all_came(
    services: Services, run: Any, tmp_path: Any, wait_until: Callable[..., None]
) -> None:
    window = services.window
    viewport, below = window.tree.viewport(), window.tree_source.below
    n = 1500
    held = _holds(services)
    conn = _fill(services, run, tmp_path, n)
    wait_until(_placed(services, conn, n), what="the rows")
    # The first rows showed as they came; once the view was full, the rows
    # after them landed below it without a repaint each.
    assert held[0] is False and True in held
    assert viewport.updatesEnabled() and not below.held
    top = window.tree.indexAt(viewport.rect().topLeft())
    assert top.data(Role.KIND) in ("connection", "domain")


def test_scrolling_while_rows_land_below_paints_at_once(
    services: Services, run: Any, tmp_path: Any, wait_until: Callable[..., None]
) -> None:
    window = services.window
    viewport, below = window.tree.viewport(), window.tree_source.below
    n = 1500
    conn = _fill(services, run, tmp_path, n)
    wait_until(lambda: below.held, what="rows landing below the view")
    assert not viewport.updatesEnabled()
    window.tree.verticalScrollBar().setValue(window.tree.verticalScrollBar().value() + 3)
    assert viewport.updatesEnabled() and not below.held
    wait_until(_placed(services, conn, n), what="the rows")
    assert viewport.updatesEnabled()


def test_rows_that_land_in_view_are_painted_as_they_come(
    services: Services, run: Any, tmp_path: Any, wait_until: Callable[..., None]
) -> None:
    """A host whose rows do not fill the view: no append is held."""
    held = _holds(services)
    conn = _fill(services, run, tmp_path, 8)
    wait_until(_placed(services, conn, 8), what="the rows")
    assert held and True not in held
