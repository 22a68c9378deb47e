"""Header sorts and search marks of the host tree (``models.tree_order``)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from kvmdesk.models.sorting import order_key
from kvmdesk.models.tree import SEARCH_NOW_MAX, SORT_IN_TURNS, Column, DomainTreeModel, Role
from kvmdesk.virt.records import DomainRecord

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
STATES = (1, 3, 5)  # running, paused, shut off


def _host(tmp_path: Any, n: int) -> str:
    """``n`` domains out of name order, in three states, few distinct memory
    sizes (many ties), names that differ only in case among them."""
    ns = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'"
    domains = "".join(
        f"<domain type='test' {ns}><name>{'VM' if i % 5 == 0 else 'vm'}-{(i * 7919) % n:05d}"
        f"</name><uuid>00000000-0000-4000-8000-{i:012d}</uuid>"
        f"<memory>{65536 * (1 + i % 3)}</memory><vcpu>{1 + i % 4}</vcpu>"
        f"<os><type>hvm</type></os><test:runstate>{STATES[i % 3]}</test:runstate></domain>"
        for i in range(n)
    )
    path = tmp_path / f"order-{n}.xml"
    path.write_text(f"<node>{domains}</node>", encoding="utf-8")
    return f"test://{path}"


def _records(model: DomainTreeModel) -> list[DomainRecord]:
    parent = model.index(0, 0)
    rows = [model.record_at(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]
    assert all(rows)
    return rows  # type: ignore[return-value]


def _expected(conn: Any, column: int, order: Qt.SortOrder) -> list[str]:
    records = sorted(
        conn.domains.values(), key=lambda r: order_key(column, r, None), reverse=order == DESC
    )
    return [r.uuid for r in records]


def _listed(manager: Any, run: Any, tmp_path: Any, wait_until: Any, n: int) -> tuple[Any, Any]:
    """A model and a host of ``n`` domains, all listed."""
    model = DomainTreeModel(manager)
    conn = manager.add(_host(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy, what="the rows")
    return model, conn


def _sorted_now(model: DomainTreeModel, column: int, order: Qt.SortOrder, wait_until: Any) -> None:
    model.sort(column, order)
    wait_until(lambda: not model.slicer.busy, what="the sort")


def test_header_sorts_give_each_column_its_full_order(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    """Every switch, from name order (values only) and from any other order
    (whole keys): equals in name order, then exact name, then uuid."""
    model = DomainTreeModel(manager)
    conn = manager.add(_host(tmp_path, SORT_IN_TURNS + 100), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy, what="the rows")
    steps = [
        (Column.STATE, ASC),  # from name order
        (Column.MEMORY, ASC),  # from state order
        (Column.NAME, DESC),
        (Column.VCPUS, DESC),  # from name order, descending
        (Column.STATE, DESC),
        (Column.NAME, ASC),
        (Column.MEMORY, DESC),  # from name order, the other way round
    ]
    for column, order in steps:
        _sorted_now(model, column, order, wait_until)
        assert [r.uuid for r in _records(model)] == _expected(conn, column, order), (column, order)
        # Each row's key is there for rows that come later and for the groups.
        parent = model.index(0, 0)
        keys = [model.index(r, column, parent).data(Role.ORDER) for r in range(60)]
        assert keys == sorted(keys, reverse=order == DESC)


def test_header_sort_says_the_new_keys_once_for_the_column(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    n = SORT_IN_TURNS + 100
    model, _conn = _listed(manager, run, tmp_path, wait_until, n)
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _r=None: changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *_a: layouts.append(1))
    _sorted_now(model, Column.MEMORY, ASC, wait_until)
    assert changed == [(0, n - 1, Column.MEMORY, Column.MEMORY)]
    assert layouts == [1]  # one sort, not a move per row


def test_selection_and_current_row_follow_their_domains_through_a_sort(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add(_host(tmp_path, 50), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy, what="the rows")
    selection = QItemSelectionModel(model)
    picked = [r.uuid for r in _records(model)[3:6]]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for uuid in picked:
        selection.select(model.index_of_domain(conn, uuid), flags)
    selection.setCurrentIndex(
        model.index_of_domain(conn, picked[1]), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    for column, order in ((Column.STATE, ASC), (Column.MEMORY, DESC), (Column.NAME, ASC)):
        _sorted_now(model, column, order, wait_until)
        selected = {i.data(Role.UUID) for i in selection.selectedRows(0)}
        assert selected == set(picked)
        assert selection.currentIndex().data(Role.UUID) == picked[1]


def test_search_over_many_rows_marks_them_all_and_says_each_changed_row_once(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    n = SEARCH_NOW_MAX + 200
    conn = manager.add(_host(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    _sorted_now(model, Column.STATE, ASC, wait_until)  # marks written after a sort, too
    said: list[str] = []  # the rows said to have changed marks, by uuid
    model.matchesChanged.connect(lambda items: said.extend(i.data(Role.UUID) for i in items))
    model.set_matcher(lambda _c, r: r.name.startswith("VM"))
    wait_until(lambda: not model.matching, what="the search")
    parent = model.index(0, 0)
    shown = {
        model.index(r, 0, parent).data(Role.UUID)
        for r in range(n)
        if model.index(r, 0, parent).data(Role.MATCH) == "1"
    }
    assert shown == {r.uuid for r in conn.domains.values() if r.name.startswith("VM")}
    hidden = set(conn.domains) - shown
    assert hidden and len(said) == len(hidden) and set(said) == hidden
    said.clear()
    model.set_matcher(None)  # every row shown again
    wait_until(lambda: not model.matching, what="the search")
    marks = {model.index(r, 0, parent).data(Role.MATCH) for r in range(n)}
    assert marks == {"1"} and len(said) == len(hidden) and set(said) == hidden


@pytest.mark.parametrize("order", [ASC, DESC])
def test_header_sort_while_a_first_listing_arrives_orders_every_row(
    order: Qt.SortOrder, manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    model.slicer.budget_s = 0.0  # every pass ends after its first slice
    n = SORT_IN_TURNS + 300
    conn = manager.add(_host(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    parent = model.index(0, 0)
    wait_until(lambda: 0 < model.rowCount(parent) < n, what="the first rows")
    model.sort(Column.MEMORY, order)  # some rows are placed, the others not yet
    wait_until(lambda: not model.slicer.busy, what="the rows and the sort")
    assert [r.uuid for r in _records(model)] == _expected(conn, Column.MEMORY, order)


def _define(run: Any, conn: Any, name: str, uuid: str) -> None:
    xml = (
        f"<domain type='test'><name>{name}</name><uuid>{uuid}</uuid>"
        "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"
    )
    run(conn.call(lambda v, x: v.defineXML(x), xml))


def test_a_sort_again_writes_and_says_only_the_keys_that_changed(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    n = SORT_IN_TURNS + 100
    model, conn = _listed(manager, run, tmp_path, wait_until, n)
    _sorted_now(model, Column.STATE, ASC, wait_until)
    _sorted_now(model, Column.NAME, ASC, wait_until)
    running = next(r for r in conn.domains.values() if r.state == 1)
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).suspend(), running.uuid))
    wait_until(lambda: conn.domains[running.uuid].state == 3, what="the pause")
    wait_until(lambda: not model.slicer.busy, what="the row")
    changed: list[tuple[int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=None: changed.append((a.row(), b.row(), a.column())))
    _sorted_now(model, Column.STATE, ASC, wait_until)
    assert [r.uuid for r in _records(model)] == _expected(conn, Column.STATE, ASC)
    # Only the paused row's key was written and said (before Qt moved it).
    assert len(changed) == 1 and changed[0][0] == changed[0][1] and changed[0][2] == Column.STATE


def test_rows_that_come_during_a_sort_end_in_place(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    n = SORT_IN_TURNS + 100
    model, conn = _listed(manager, run, tmp_path, wait_until, n)
    model.slicer.budget_s = 0.0  # every pass ends after its first slice
    model.sort(Column.STATE, DESC)
    assert model.slicer.busy
    _define(run, conn, "vm-00007a", "00000000-0000-4000-8000-999999999998")
    wait_until(lambda: len(conn.domains) == n + 1, what="the new domain")
    wait_until(lambda: not model.slicer.busy, what="the sort")
    assert [r.uuid for r in _records(model)] == _expected(conn, Column.STATE, DESC)
    _sorted_now(model, Column.NAME, ASC, wait_until)
    assert [r.uuid for r in _records(model)] == _expected(conn, Column.NAME, ASC)


def test_marks_of_a_search_given_up_halfway_are_said_by_the_next_one(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    n = SEARCH_NOW_MAX + 200
    model, conn = _listed(manager, run, tmp_path, wait_until, n)
    said: list[str] = []  # the rows said to have changed marks, by uuid
    model.matchesChanged.connect(lambda items: said.extend(i.data(Role.UUID) for i in items))
    parent = model.index(0, 0)

    def marked() -> set[str]:
        rows = (model.index(r, 0, parent) for r in range(n))
        return {i.data(Role.UUID) for i in rows if i.data(Role.MATCH) == "0"}

    model.slicer.budget_s = 0.0  # every pass ends after its first slice
    model.set_matcher(lambda _c, r: r.name.startswith("VM"))  # from the next turn
    model.slicer.run(fresh=True)
    assert model.matching and 0 < len(marked()) < n - n // 5  # some marked, none said yet
    assert said == []
    model.set_matcher(lambda _c, r: r.name.startswith("VM"))  # typed again: the same rows
    wait_until(lambda: not model.matching, what="the search")
    hidden = {r.uuid for r in conn.domains.values() if not r.name.startswith("VM")}
    assert marked() == hidden and sorted(said) == sorted(hidden)
