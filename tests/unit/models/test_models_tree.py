"""The connection -> domain tree: structure, row-by-row updates, plain names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kvmdesk.core.connection import ConnState
from kvmdesk.core.search import parse
from kvmdesk.core.timing import Timing
from kvmdesk.models.row_facts import RowMatcher, no_tags, no_text
from kvmdesk.models.tree import Column, DomainTreeModel, Role
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown
from kvmdesk.virt.stats import CpuFigures


def _names(model: DomainTreeModel, conn_row: int = 0) -> list[str]:
    parent = model.index(conn_row, 0)
    return [
        model.data(model.index(r, Column.NAME, parent), Role.SORT)
        for r in range(model.rowCount(parent))
    ]


def _open(manager: Any, run: Any, data_uri: Any, name: str) -> Any:
    conn = manager.add(data_uri(name), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def test_model_passes_qtmodeltester(
    qtmodeltester: Any, manager: Any, run: Any, data_uri: Any
) -> None:
    model = DomainTreeModel(manager)
    _open(manager, run, data_uri, "lifecycle.xml")
    _open(manager, run, data_uri, "names.xml")
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)


def test_rows_follow_events_without_reset(
    qtbot: Any, manager: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "two-domains.xml")
    assert sorted(_names(model)) == ["alpha", "beta"]
    resets: list[int] = []
    changed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b, _r=None: changed.append((a.row(), b.row())))
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    run(conn.call(apply, alpha.uuid, Verb.PAUSE))
    wait_until(lambda: conn.domains[alpha.uuid].state is DomainState.PAUSED, what="pause event")
    row = _names(model).index("alpha")
    index = model.index(row, Column.STATE, model.index(0, 0))
    assert model.data(index) == "Paused"
    assert (row, row) in changed  # only that row was repainted
    assert not resets


def test_domain_removed_by_another_client_disappears(
    manager: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "two-domains.xml")
    beta = next(r for r in conn.domains.values() if r.name == "beta")
    run(conn.call(lambda virt, u: virt.lookupByUUIDString(u).undefine(), beta.uuid))
    wait_until(lambda: _names(model) == ["alpha"], what="row removal")


def test_names_are_shown_exactly(manager: Any, run: Any, data_uri: Any) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "names.xml")
    names = set(_names(model))
    assert names == {r.name for r in conn.domains.values()}
    assert any("<&" in name for name in names)
    parent = model.index(0, 0)
    displayed = {
        model.data(model.index(r, Column.NAME, parent)) for r in range(model.rowCount(parent))
    }
    assert displayed == {shown(name) for name in names}


def test_connection_row_shows_state_and_failure(manager: Any, run: Any) -> None:
    model = DomainTreeModel(manager)
    conn = manager.add("qemu://[bad/system", persist=False)
    assert not run(conn.open_and_wait())
    assert conn.state is ConnState.DISCONNECTED
    text = model.data(model.index(0, Column.STATE))
    assert text.startswith("Disconnected:")
    assert model.data(model.index(0, 0), Role.KIND) == "connection"
    assert model.rowCount(model.index(0, 0)) == 0


def test_sort_roles_are_numeric(manager: Any, run: Any, data_uri: Any) -> None:
    model = DomainTreeModel(manager)
    _open(manager, run, data_uri, "lifecycle.xml")
    parent = model.index(0, 0)
    for row in range(model.rowCount(parent)):
        assert isinstance(model.data(model.index(row, Column.MEMORY, parent), Role.SORT), int)
        assert isinstance(model.data(model.index(row, Column.VCPUS, parent), Role.SORT), int)
    align = model.data(model.index(0, Column.MEMORY, parent), Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)


def test_stats_update_cpu_column(manager: Any, run: Any, data_uri: Any, wait_until: Any) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "two-domains.xml")
    wait_until(lambda: bool(conn.cpu), what="a stats tick")
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    index = model.index_of_domain(conn, alpha.uuid, Column.CPU)
    assert model.data(index).endswith("%")


def test_changed_row_moves_to_keep_the_sort_order(
    qtmodeltester: Any, manager: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "lifecycle.xml")
    model.sort(Column.STATE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=True)  # keeps checking every later change
    parent = model.index(0, 0)

    def states() -> list[int]:
        return [
            int(model.record_at(model.index(r, 0, parent)).state)  # type: ignore[union-attr]
            for r in range(model.rowCount(parent))
        ]

    assert states() == sorted(states())
    running = next(r for r in conn.domains.values() if r.name == "running")
    run(conn.call(apply, running.uuid, Verb.PAUSE))
    wait_until(lambda: conn.domains[running.uuid].state is DomainState.PAUSED, what="pause")
    assert states() == sorted(states())
    assert model.index_of_domain(conn, running.uuid).isValid()


def test_dropped_link_keeps_rows_until_the_reconnect(
    manager: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    import libvirt

    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "two-domains.xml")
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    index = model.index_of_domain(conn, alpha.uuid)
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(index)
    conn._on_close(None, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)  # as libvirt does
    wait_until(lambda: conn.state is not ConnState.CONNECTED, what="the drop")
    assert sorted(_names(model)) == ["alpha", "beta"]  # still listed, drawn as stale
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    wait_until(lambda: conn.state is ConnState.CONNECTED, what="the reconnect")
    assert kept.isValid() and model.data(kept) == shown("alpha")
    assert model.data(kept, Qt.ItemDataRole.ForegroundRole) is None


def test_user_disconnect_empties_the_connection(manager: Any, run: Any, data_uri: Any) -> None:
    model = DomainTreeModel(manager)
    conn = _open(manager, run, data_uri, "two-domains.xml")
    conn.close()
    assert _names(model) == []
    assert run(conn.open_and_wait())
    assert sorted(_names(model)) == ["alpha", "beta"]


def _untimed(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any, n: int = 40
) -> tuple[Any, ...]:
    """A model of a host of ``n`` domains listed, which no stats tick reaches
    but those a test sends: the model, connection, its row, the rows' uuids."""
    model = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, n), persist=False)
    conn.timing = Timing(stats_interval=3600.0)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy and model.rowCount(model.index(0, 0)) == n)
    parent = model.index_of_connection(conn)
    return model, conn, parent, [model.index(r, 0, parent).data(Role.UUID) for r in range(n)]


def _many(tmp_path: Any, n: int) -> str:
    """A test-driver host of ``n`` running domains, listed out of name order."""
    domains = "".join(
        f"<domain type='test'><name>vm-{(i * 7919) % n:05d}</name>"
        f"<uuid>00000000-0000-4000-8000-{i:012d}</uuid><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>"
        for i in range(n)
    )
    path = tmp_path / f"many-{n}.xml"
    path.write_text(f"<node>{domains}</node>", encoding="utf-8")
    return f"test://{path}"


def test_first_listing_of_many_rows_is_ordered_over_several_turns(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    listed: list[bool] = []
    # Connected before the model's own slot: notes the listing as it arrives.
    manager.connectionAdded.connect(lambda c: c.domainsReset.connect(lambda: listed.append(True)))
    model = DomainTreeModel(manager)
    slicer = model.slicer
    slicer.budget_s = 0.0  # every pass ends after its first slice
    rows_after_pass: list[int] = []
    pass_of = slicer.run

    def counted(fresh: bool = False) -> None:
        pass_of(fresh)
        if listed:
            rows_after_pass.append(model.rowCount(model.index(0, 0)))

    slicer.run = counted  # type: ignore[method-assign]
    conn = manager.add(_many(tmp_path, 600), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not slicer.busy, what="the rows")
    assert _names(model) == sorted(f"vm-{i:05d}" for i in range(600))
    # Three passes of sort keys (256 records each) before the first row.
    assert rows_after_pass[:3] == [0, 0, 0]
    assert rows_after_pass[-1] == 600


def test_rows_of_a_first_listing_are_complete_and_current_when_events_come_meanwhile(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    """A domain that changes while a large first listing is still being
    placed gets its row once, at its place, showing the change."""
    model = DomainTreeModel(manager)
    slicer = model.slicer
    slicer.budget_s = 0.0  # every pass ends after its first slice
    pass_of = slicer.run
    held: list[bool] = []
    # The event is made to come between two passes: passes wait while held.
    slicer.run = lambda fresh=False: None if held else pass_of(fresh)  # type: ignore[method-assign]
    n = 600
    conn = manager.add(_many(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    parent = model.index(0, 0)
    wait_until(lambda: model.rowCount(parent) > 0, what="the first rows")
    held.append(True)
    last = next(r for r in conn.domains.values() if r.name == f"vm-{n - 1:05d}")
    run(conn.call(apply, last.uuid, Verb.PAUSE))
    wait_until(lambda: conn.domains[last.uuid].state is DomainState.PAUSED, what="pause event")
    assert 0 < model.rowCount(parent) < n
    held.clear()
    pass_of(True)
    wait_until(lambda: not slicer.busy, what="the rows")
    assert _names(model) == [f"vm-{i:05d}" for i in range(n)]
    state = model.index_of_domain(conn, last.uuid, Column.STATE)
    assert state.row() == n - 1 and state.data() == "Paused"


def test_same_sort_again_does_nothing(
    qtmodeltester: Any, manager: Any, run: Any, data_uri: Any
) -> None:
    model = DomainTreeModel(manager)
    _open(manager, run, data_uri, "lifecycle.xml")
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *_a: layouts.append(1))
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)  # the order it already has
    assert not layouts and not model.slicer.busy
    model.sort(Column.STATE, Qt.SortOrder.AscendingOrder)
    assert layouts  # a new order is applied
    qtmodeltester.check(model, force_py=True)


def test_search_over_many_rows_starts_on_the_next_turn(
    manager: Any, run: Any, tmp_path: Any, data_uri: Any, wait_until: Any
) -> None:
    model = DomainTreeModel(manager)
    few = _open(manager, run, data_uri, "two-domains.xml")
    wait_until(lambda: not model.slicer.busy, what="the rows")
    model.set_matcher(lambda _c, r: r.name == "alpha")
    marks = [model.index(r, 0, model.index(0, 0)).data(Role.MATCH) for r in range(2)]
    assert sorted(marks) == ["0", "1"]  # a few rows: marked at once
    model.set_matcher(None)
    conn = manager.add(_many(tmp_path, 1200), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy, what="the rows")
    model.set_matcher(lambda _c, r: r.name == "vm-00007")
    parent = model.index_of_connection(conn)
    assert model.index(0, 0, parent).data(Role.MATCH) == "1"  # not marked yet: next turn
    assert model.matching
    wait_until(lambda: not model.matching, what="the search")
    marks = [model.index(r, 0, parent).data(Role.MATCH) for r in range(1200)]
    assert marks.count("1") == 1 and marks[7] == "1"
    assert model.index_of_domain(few, next(iter(few.domains))).isValid()


def test_stats_tick_signals_only_changed_cpu_cells(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model, conn, parent, uuids = _untimed(manager, run, tmp_path, wait_until)
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _r=None: changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    conn.cpu = dict.fromkeys(uuids, 5.0)
    conn.statsUpdated.emit(conn.cpu)
    assert changed == [(0, 39, Column.CPU, Column.CPU)]  # every figure is new: one run
    changed.clear()
    conn.cpu = {**dict.fromkeys(uuids, 5.0), uuids[3]: 50.0, uuids[4]: 7.0, uuids[20]: 9.0}
    conn.statsUpdated.emit(conn.cpu)
    assert changed == [(3, 4, Column.CPU, Column.CPU), (20, 20, Column.CPU, Column.CPU)]
    assert model.index(3, Column.CPU, parent).data() == "50 %"
    changed.clear()
    conn.statsUpdated.emit(conn.cpu)  # the same figures again: nothing to repaint
    assert changed == []
    # Scattered changes (every other row): one span, not a signal per row.
    conn.cpu = {u: 5.0 if i % 2 else 60.0 for i, u in enumerate(uuids)}
    conn.statsUpdated.emit(conn.cpu)
    assert changed == [(0, 38, Column.CPU, Column.CPU)]


def test_stats_tick_changing_many_cells_says_so_once_for_the_column(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    n = 700  # more changed figures than are worth finding row by row
    model = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, n), persist=False)
    conn.timing = Timing(stats_interval=3600.0)  # no tick but the ones below
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not model.slicer.busy and model.rowCount(model.index(0, 0)) == n)
    parent = model.index_of_connection(conn)
    uuids = [model.index(r, 0, parent).data(Role.UUID) for r in range(n)]
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _r=None: changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    # Three rows in four, the first left out: the span still covers the whole column.
    conn.cpu = {u: 12.0 for i, u in enumerate(uuids) if i % 4}
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: not model.slicer.busy, what="the tick")
    assert changed == [(0, n - 1, Column.CPU, Column.CPU)]
    assert model.index(1, Column.CPU, parent).data() == "12 %"
    assert model.index(0, Column.CPU, parent).data() == ""


def test_stats_tick_writes_only_the_figures_the_worker_found_changed(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model, conn, parent, uuids = _untimed(manager, run, tmp_path, wait_until)

    def cpu_cells() -> list[str]:
        return [model.index(r, Column.CPU, parent).data() for r in range(40)]

    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _r=None: changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    first = CpuFigures(dict.fromkeys(uuids, 5.0), {})  # every figure new
    conn.statsUpdated.emit(first)
    assert cpu_cells() == ["5 %"] * 40
    assert changed == [(0, 39, Column.CPU, Column.CPU)]
    changed.clear()
    # Two figures moved, one domain stopped: only their rows are written and signalled.
    figures = {u: 5.3 for u in uuids if u != uuids[4]}
    second = CpuFigures({**figures, uuids[3]: 50.0, uuids[20]: 9.0}, first.whole)
    conn.statsUpdated.emit(second)
    assert changed == [(3, 4, Column.CPU, Column.CPU), (20, 20, Column.CPU, Column.CPU)]
    cells = cpu_cells()
    assert (cells[3], cells[4], cells[20]) == ("50 %", "", "9 %")
    assert cells[:3] == ["5 %"] * 3 and cells[21:] == ["5 %"] * 19
    assert model.index(3, Column.CPU, parent).data(Role.SORT) == 50.0
    changed.clear()
    # What the worker found unchanged is not looked at again on this thread.
    unchanged = CpuFigures(dict.fromkeys(uuids, 70.0), dict.fromkeys(uuids, 70))
    assert unchanged.changed == {}
    conn.statsUpdated.emit(unchanged)
    assert changed == []
    assert cpu_cells() == cells


def test_stats_tick_after_a_burst_reaches_every_changed_row(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    """More changed figures than one turn writes: all of them land, over turns,
    and the column is said to have changed once, after the last one."""
    n = 1500
    model, conn, parent, uuids = _untimed(manager, run, tmp_path, wait_until, n)
    conn.statsUpdated.emit(CpuFigures(dict.fromkeys(uuids, 1.0), {}))
    wait_until(lambda: not model.slicer.busy, what="the first tick")
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=None: changed.append((a.row(), b.row())))
    before = CpuFigures(dict.fromkeys(uuids, 1.0), {}).whole
    tick = CpuFigures({u: float(i % 90) for i, u in enumerate(uuids)}, before)
    conn.statsUpdated.emit(tick)
    wait_until(lambda: not model.slicer.busy, what="the tick")
    assert [model.index(r, Column.CPU, parent).data() for r in range(n)] == [
        f"{i % 90} %" for i in range(n)
    ]
    assert changed == [(0, n - 1)]


def test_first_tick_of_a_link_compares_every_row_and_clears_the_unmeasured(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    """Without a tick before to compare with, the figures shown are compared
    here, over more rows than one step does: every row gets its figure, and
    a row shown with a figure that the next link's first tick no longer
    measures is cleared."""
    n = 1500
    model, conn, parent, uuids = _untimed(manager, run, tmp_path, wait_until, n)

    def tick(figures: dict[str, float]) -> None:
        conn.cpu = CpuFigures(figures)  # no ``before``: nothing to compare with
        assert conn.cpu.changed is None
        conn.statsUpdated.emit(conn.cpu)
        wait_until(lambda: not model.slicer.busy, what="the tick")

    def cells() -> list[str]:
        return [model.index(r, Column.CPU, parent).data() for r in range(n)]

    tick({u: float(i % 7) for i, u in enumerate(uuids)})
    assert cells() == [f"{i % 7} %" for i in range(n)]
    measured = {u: float(i % 7) for i, u in enumerate(uuids) if i < n - 300}
    measured[uuids[0]] = 42.0
    tick(measured)
    assert cells() == ["42 %"] + [f"{i % 7} %" for i in range(1, n - 300)] + [""] * 300
    assert model.index(n - 1, Column.CPU, parent).data(Role.SORT) == -1.0


class CountingMatcher(RowMatcher):
    """A search's matcher that counts how often rows were matched at once."""

    def __init__(self, query: str) -> None:
        super().__init__(parse(query), no_tags, no_text, no_text)
        self.passes = 0

    def select(self, *args: Any) -> list[bool]:
        self.passes += 1
        return super().select(*args)


def test_stats_ticks_mark_rows_again_only_for_a_search_that_asks_about_cpu(
    manager: Any, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    model, conn, parent, uuids = _untimed(manager, run, tmp_path, wait_until)

    def shown_rows() -> list[int]:
        return [r for r in range(40) if model.index(r, 0, parent).data(Role.MATCH) == "1"]

    by_name = CountingMatcher("vm")
    model.set_matcher(by_name)
    wait_until(lambda: not model.matching, what="the search")
    passes = by_name.passes
    conn.cpu = dict.fromkeys(uuids, 5.0)
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: not model.slicer.busy, what="the tick")
    assert by_name.passes == passes and len(shown_rows()) == 40

    model.set_matcher(CountingMatcher("cpu>20%"))
    wait_until(lambda: not model.matching, what="the search")
    assert shown_rows() == []
    conn.cpu = {**conn.cpu, uuids[3]: 50.0, uuids[7]: 21.0}
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: shown_rows() == [3, 7], what="the rows over 20 %")
    conn.cpu = {**conn.cpu, uuids[3]: 20.0}
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: shown_rows() == [7], what="the row back under 20 %")
