"""Header clicks sort the tree model itself; the search box filters by name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kvmdesk.app import build
from kvmdesk.models.tree import Column, Role
from tests.unit.ui.main.shown_rows import shown_rows


def _visible_names(window: Any) -> list[str]:
    parent = window.shown_model.index(0, 0)
    return [index.data(Role.SORT) for index in shown_rows(window, parent)]


def test_header_sorts_and_search_filters(
    qtbot: Any, settings: Any, fast_timing: Any, run: Any, data_uri: Any
) -> None:
    services = build(settings, fast_timing)
    window = services.window
    qtbot.addWidget(window)
    conn = services.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait())
    names = sorted(r.name for r in conn.domains.values())
    assert _visible_names(window) == names

    header = window.tree.header()
    header.setSortIndicator(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert _visible_names(window) == names[::-1]

    header.setSortIndicator(Column.MEMORY, Qt.SortOrder.AscendingOrder)
    by_memory = sorted(conn.domains.values(), key=lambda r: (r.memory_kib, r.name.casefold()))
    assert _visible_names(window) == [r.name for r in by_memory]

    window.search.setText("SHUT")
    assert set(_visible_names(window)) == {"shutoff", "in-shutdown"}
    window.search.clear()
    assert len(_visible_names(window)) == len(names)
    run(services.manager.shutdown())


def test_sorted_model_passes_modeltester(
    qtmodeltester: Any, manager: Any, run: Any, data_uri: Any
) -> None:
    from kvmdesk.models.tree import DomainTreeModel

    model = DomainTreeModel(manager)
    conn = manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait())
    model.sort(Column.MEMORY, Qt.SortOrder.DescendingOrder)
    memories = [
        model.record_at(model.index(r, 0, model.index(0, 0))).memory_kib  # type: ignore[union-attr]
        for r in range(model.rowCount(model.index(0, 0)))
    ]
    assert memories == sorted(memories, reverse=True)
    qtmodeltester.check(model, force_py=True)
