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
