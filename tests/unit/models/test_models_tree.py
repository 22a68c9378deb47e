"""The connection -> domain tree: structure, row-by-row updates, plain names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from kvmdesk.core.connection import ConnState
from kvmdesk.models.tree import Column, DomainTreeModel, Role
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown


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
