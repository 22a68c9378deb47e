"""The tree grouped by state, tag and host group: clones of the host tree's rows, kept live."""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QTreeView

from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.core.tree_layout import GroupBy, TreeLayout
from kvmdesk.models.columns import NCOLS, Column, Role
from kvmdesk.models.group_rows import HOSTS_MIME
from kvmdesk.models.groups import OWN_ROLES, GroupsModel
from kvmdesk.models.row_identity import identity_of, index_of
from kvmdesk.models.tree import SORT_IN_TURNS, DomainTreeModel
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown
from kvmdesk.virt.tags import TagEdit, edit_tags


@pytest.fixture
def layout(settings: Settings) -> TreeLayout:
    return TreeLayout(settings)


@pytest.fixture
def grouped(manager: Any, run: Any, data_uri: Any, layout: TreeLayout) -> Any:
    """``grouped("two-domains.xml", GroupBy.STATE)``: (host tree, connection, groups)."""

    def make(name: str, group_by: GroupBy) -> tuple[DomainTreeModel, Any, GroupsModel]:
        source = DomainTreeModel(manager)
        conn = _open(manager, run, data_uri, name)
        model = GroupsModel(source, layout)
        model.set_group_by(group_by)
        return source, conn, model

    return make


def _open(manager: Any, run: Any, data_uri: Any, name: str) -> Any:
    conn = manager.add(data_uri(name), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _grouped(model: GroupsModel, wait_until: Any) -> dict[str, list[str]]:
    wait_until(lambda: not model.busy, what="the groups to settle")
    return _groups_of(model)


def _groups_of(model: GroupsModel) -> dict[str, list[str]]:
    """Group label -> the names under it (under its hosts, by host group)."""
    found: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        names = found.setdefault(group.data(), [])
        branches = [group]
        while branches:
            parent = branches.pop(0)
            for r in range(model.rowCount(parent)):
                child = model.index(r, 0, parent)
                if child.data(Role.KIND) == "domain":
                    names.append(child.data(Role.SORT))
                else:
                    names.append(f"[{child.data()}]")
                    branches.append(child)
    return found


def _rows_named(model: GroupsModel, name: str) -> list[QModelIndex]:
    return model.match(
        model.index(0, 0),
        Role.SORT,
        name,
        -1,
        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
    )


def test_by_state_passes_qtmodeltester(
    qtmodeltester: Any,
    manager: Any,
    run: Any,
    data_uri: Any,
    layout: TreeLayout,
    wait_until: Any,
    grouped: Any,
) -> None:
    source = DomainTreeModel(manager)
    _open(manager, run, data_uri, "lifecycle.xml")
    _open(manager, run, data_uri, "two-domains.xml")
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.STATE)
    groups = _grouped(model, wait_until)
    assert "alpha" in groups["Running"] and "beta" in groups["Shutoff"]
    assert sum(len(names) for names in groups.values()) == 12
    qtmodeltester.check(model, force_py=True)


def test_clones_hold_what_the_host_tree_rows_hold(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source, conn, model = grouped("lifecycle.xml", GroupBy.STATE)
    _grouped(model, wait_until)
    for uuid in conn.domains:
        clone = model.index_of_domain(conn, uuid)
        original = source.index_of_domain(conn, uuid)
        for column in range(NCOLS):
            want = source.itemData(original.siblingAtColumn(column))
            have = model.itemData(clone.siblingAtColumn(column))
            assert {r: v for r, v in have.items() if r not in OWN_ROLES} == {
                r: v for r, v in want.items() if r not in OWN_ROLES
            } or column == Column.STATE  # icons compare by identity only
            # No usage cell in either while no usage column is shown.
            assert have.get(Qt.ItemDataRole.DisplayRole) == want.get(Qt.ItemDataRole.DisplayRole)
        assert model.record_at(clone) == conn.domains[uuid]
        assert model.connection_at(clone) is conn
        assert identity_of(clone) == identity_of(original) == ("domain", conn, uuid)
        assert index_of(model, ("domain", conn, uuid)) == clone


def test_a_state_change_moves_the_row_to_its_new_group(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    _source, conn, model = grouped("two-domains.xml", GroupBy.STATE)
    assert _grouped(model, wait_until) == {"Running": ["alpha"], "Shutoff": ["beta"]}
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    run(conn.call(apply, alpha.uuid, Verb.PAUSE))
    wait_until(lambda: conn.domains[alpha.uuid].state is DomainState.PAUSED, what="pause event")
    wait_until(lambda: "Paused" in _groups_of(model), what="the row to move")
    assert _grouped(model, wait_until) == {"Paused": ["alpha"], "Shutoff": ["beta"]}
    assert not resets
    paused = model.index_of_group(str(DomainState.PAUSED.value))
    assert paused.siblingAtColumn(Column.STATE).data() == "1 virtual machine"


def test_removed_domains_and_connections_take_their_rows_and_empty_groups(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source = DomainTreeModel(manager)
    two = _open(manager, run, data_uri, "two-domains.xml")
    lifecycle = _open(manager, run, data_uri, "lifecycle.xml")
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.STATE)
    before = _grouped(model, wait_until)
    beta = next(r for r in two.domains.values() if r.name == "beta")
    run(two.call(lambda virt, u: virt.lookupByUUIDString(u).undefine(), beta.uuid))
    wait_until(lambda: "beta" not in _groups_of(model)["Shutoff"], what="removal")
    manager.remove(lifecycle)
    after = _grouped(model, wait_until)
    assert after == {"Running": ["alpha"]}
    assert len(before) > len(after)  # the groups only lifecycle.xml filled went too
    # The model still follows the host that is left (no reference to a deleted row).
    alpha = next(r for r in two.domains.values() if r.name == "alpha")
    run(two.call(apply, alpha.uuid, Verb.PAUSE))
    wait_until(lambda: "Paused" in _groups_of(model), what="the row to move")


def test_a_machine_with_two_tags_is_under_each(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source, conn, model = grouped("two-domains.xml", GroupBy.TAG)
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    tags = TagEdit(add=("web", "<prod&>"))
    run(conn.call(lambda virt, u: edit_tags(virt, u, tags), alpha.uuid))
    source.facts.refresh(conn, [alpha.uuid])
    wait_until(lambda: shown("web") in _groups_of(model), what="tags read")
    grouped = _grouped(model, wait_until)
    labels = list(grouped)
    assert labels[-1] == "No Tags"  # last, whatever the names
    assert grouped["No Tags"] == ["beta"]
    assert grouped[shown("web")] == ["alpha"]
    assert grouped[shown("<prod&>")] == ["alpha"]  # plain text, isolated
    assert len(_rows_named(model, "alpha")) == 2


def test_by_host_group_holds_the_hosts_and_a_drop_moves_one(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source = DomainTreeModel(manager)
    two = _open(manager, run, data_uri, "two-domains.xml")
    lifecycle = _open(manager, run, data_uri, "lifecycle.xml")
    layout.move_hosts([two.uri], "lab")
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.HOST_GROUP)
    grouped = _grouped(model, wait_until)
    assert grouped[shown("lab")] == ["[Test: two-domains.xml]", "alpha", "beta"]
    assert grouped["No Group"][0] == "[Test: lifecycle.xml]"
    host = model.index_of_connection(lifecycle)
    assert model.connection_at(host) is lifecycle
    assert model.flags(host) & Qt.ItemFlag.ItemIsDragEnabled
    data = model.mimeData([host])
    assert bytes(data.data(HOSTS_MIME).data()).decode() == lifecycle.uri
    lab = model.index_of_group("lab")
    assert not model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, lab)
    wait_until(lambda: layout.host_group(lifecycle.uri) == "lab", what="the move")
    model.set_group_by(GroupBy.HOST_GROUP)  # as the window does when host groups change
    wait_until(lambda: list(_groups_of(model)) == [shown("lab")], what="the rebuild")


def test_search_marks_are_copied_and_announced(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source, conn, model = grouped("two-domains.xml", GroupBy.STATE)
    _grouped(model, wait_until)
    announced: list[str] = []  # the clones said to have changed marks, by uuid
    model.matchesChanged.connect(lambda items: announced.extend(i.data(Role.UUID) for i in items))
    source.set_matcher(lambda _conn, rec: rec.name == "alpha")
    wait_until(lambda: bool(announced), what="marks copied")
    by_name = {r.name: r.uuid for r in conn.domains.values()}
    marks = {name: model.index_of_domain(conn, u).data(Role.MATCH) for name, u in by_name.items()}
    assert marks == {"alpha": "1", "beta": "0"}
    assert announced == [by_name["beta"]]  # only the clone whose mark changed


def test_back_to_the_host_tree_forgets_every_row(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    _source, conn, model = grouped("two-domains.xml", GroupBy.OS)
    assert list(_grouped(model, wait_until)) == ["Unknown OS"]
    model.set_group_by(GroupBy.HOST)
    assert not model.index_of_domain(conn, next(iter(conn.domains))).isValid()
    wait_until(lambda: not model.busy, what="the rows to go")
    assert model.rowCount() == 0
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    run(conn.call(apply, alpha.uuid, Verb.PAUSE))  # followed no longer, and no crash
    wait_until(lambda: conn.domains[alpha.uuid].state is DomainState.PAUSED, what="pause")
    assert model.rowCount() == 0


def test_rows_in_a_group_follow_the_sorted_column(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source, conn, model = grouped("lifecycle.xml", GroupBy.OS)  # one group: every machine
    _grouped(model, wait_until)

    def memory_order() -> list[int]:
        group = model.index(0, 0)
        return [
            conn.domains[model.index(r, 0, group).data(Role.UUID)].memory_kib
            for r in range(model.rowCount(group))
        ]

    source.sort(Column.MEMORY, Qt.SortOrder.DescendingOrder)
    model.sort(Column.MEMORY, Qt.SortOrder.DescendingOrder)
    wait_until(lambda: not source.slicer.busy and not model.busy, what="sorting")
    assert memory_order() == sorted(memory_order(), reverse=True)
    assert len(set(memory_order())) > 1  # the fixture has sizes to order


def test_events_after_qt_deleted_the_model_are_ignored(
    manager: Any, run: Any, data_uri: Any, layout: TreeLayout, wait_until: Any, grouped: Any
) -> None:
    source, conn, model = grouped("two-domains.xml", GroupBy.STATE)
    _grouped(model, wait_until)
    shiboken6.delete(model)  # as when its window is closed first
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    run(conn.call(apply, alpha.uuid, Verb.PAUSE))
    wait_until(lambda: conn.domains[alpha.uuid].state is DomainState.PAUSED, what="pause")
    wait_until(lambda: not source.slicer.busy, what="the host tree")
    source.set_matcher(lambda _conn, rec: rec.name == "alpha")
    wait_until(lambda: not source.slicer.busy, what="the marks")


def _pause(run: Any, wait_until: Any, conn: Any, uuids: list[str]) -> None:
    """Pause ``uuids`` as another client would, and wait for their events."""

    def pause_all(virt: Any) -> None:
        for uuid in uuids:
            virt.lookupByUUIDString(uuid).suspend()

    run(conn.call(pause_all))
    wait_until(
        lambda: all(conn.domains[u].state is DomainState.PAUSED for u in uuids),
        what="the pause events",
    )


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


def test_a_burst_of_state_changes_moves_rows_in_few_layout_changes(
    qtmodeltester: Any,
    qtbot: Any,
    manager: Any,
    run: Any,
    tmp_path: Any,
    layout: TreeLayout,
    wait_until: Any,
) -> None:
    """Another client pauses 24 of 80 machines at once: every row ends in its
    new group in name order, the view keeps its selection and persistent rows,
    and the rows leave their group inside layout changes, not one removal each."""
    source = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, 80), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.STATE)
    names = sorted(r.name for r in conn.domains.values())
    assert _grouped(model, wait_until) == {"Running": names}
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.expandAll()
    kept = next(u for u, r in conn.domains.items() if r.name == names[-1])
    view.setCurrentIndex(proxy.mapFromSource(model.index_of_domain(conn, kept)))
    persistent = QPersistentModelIndex(model.index_of_domain(conn, kept))
    by_name = {r.name: u for u, r in conn.domains.items()}
    paused = names[:48:2]  # every other one of the first 48
    selected = [by_name[paused[0]], by_name[names[1]]]  # one that moves, one that stays
    for uuid in selected:
        view.selectionModel().select(
            proxy.mapFromSource(model.index_of_domain(conn, uuid)),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    qtmodeltester.check(model, force_py=True)
    signals: list[str] = []
    model.rowsRemoved.connect(
        lambda parent, *_: signals.append("removed" if parent.isValid() else "group")
    )
    model.layoutChanged.connect(lambda *_: signals.append("layout"))

    _pause(run, wait_until, conn, [by_name[name] for name in paused])
    groups = _grouped(model, wait_until)
    assert groups == {"Running": [n for n in names if n not in paused], "Paused": paused}
    count = model.index_of_group(str(DomainState.PAUSED.value)).siblingAtColumn(Column.STATE)
    assert count.data() == "24 virtual machines"
    assert "removed" not in signals and 1 <= signals.count("layout") < len(paused)
    assert persistent.isValid() and persistent.data(Role.UUID) == kept
    assert proxy.mapToSource(view.currentIndex()).data(Role.UUID) == kept
    still = {proxy.mapToSource(i).data(Role.UUID) for i in view.selectionModel().selectedRows()}
    assert still == {*selected, kept}  # the current row is selected too


def test_a_large_grouping_comes_in_the_groups_order_whichever_order_the_host_tree_has(
    manager: Any, run: Any, tmp_path: Any, layout: TreeLayout, wait_until: Any
) -> None:
    """Rows are cloned in the host tree's order (by name, ascending): grouped
    by name descending they are sorted, grouped by name ascending they stay
    as they came; groups come in state order (reversed too) with their counts, once built."""
    n = SORT_IN_TURNS + 100
    source = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    names = sorted(r.name for r in conn.domains.values())
    by_name = {r.name: u for u, r in conn.domains.items()}
    paused = names[::5]

    _pause(run, wait_until, conn, [by_name[name] for name in paused])
    wait_until(lambda: not source.slicer.busy, what="the host tree")
    model = GroupsModel(source, layout)
    built: list[int] = []
    model.built.connect(lambda: built.append(model.rowCount()))
    running = [name for name in names if name not in paused]
    for order, want_running, want_paused, want_groups in (
        (Qt.SortOrder.DescendingOrder, running[::-1], paused[::-1], ["Paused", "Running"]),
        (Qt.SortOrder.AscendingOrder, running, paused, ["Running", "Paused"]),
    ):
        model.set_group_by(GroupBy.HOST)
        model.sort(Column.NAME, order)
        wait_until(lambda: not model.busy, what="the sort, while not grouped")
        model.set_group_by(GroupBy.STATE)
        assert _grouped(model, wait_until) == {"Running": want_running, "Paused": want_paused}
        assert list(_groups_of(model)) == want_groups
        count = model.index_of_group(str(DomainState.PAUSED.value)).siblingAtColumn(Column.STATE)
        assert count.data() == f"{len(paused)} virtual machines"
    assert built == [2, 2]


def _host_of(tmp_path: Any, label: str, names: list[str]) -> str:
    """A test-driver host of running domains named ``names``."""
    domains = "".join(
        f"<domain type='test'><name>{name}</name>"
        f"<uuid>00000000-0000-4000-8{label}-{i:012d}</uuid><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>"
        for i, name in enumerate(names)
    )
    path = tmp_path / f"host-{label}.xml"
    path.write_text(f"<node>{domains}</node>", encoding="utf-8")
    return f"test://{path}"


def test_a_group_of_two_hosts_rows_comes_in_order_and_the_same_sort_again_moves_nothing(
    manager: Any, run: Any, tmp_path: Any, layout: TreeLayout, wait_until: Any
) -> None:
    """Each host's rows come in name order, but one group holds both hosts'
    rows interleaved: they are sorted once built.  Asking for the order the
    rows are in already (the tree given the model) lays nothing out again."""
    names = [f"vm-{i:03d}" for i in range(40)]
    source = DomainTreeModel(manager)
    for label, mine in (("aaa", names[0::2]), ("bbb", names[1::2])):
        conn = manager.add(_host_of(tmp_path, label, mine), persist=False)
        assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not source.slicer.busy, what="the host tree")
    model = GroupsModel(source, layout)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.set_group_by(GroupBy.HOST)
        model.sort(Column.NAME, order)
        model.set_group_by(GroupBy.STATE)
        want = names if order == Qt.SortOrder.AscendingOrder else names[::-1]
        assert _grouped(model, wait_until) == {"Running": want}

    layouts: list[int] = []
    model.layoutAboutToBeChanged.connect(lambda *_: layouts.append(1))
    model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    wait_until(lambda: not model.busy, what="the same sort")
    assert layouts == []
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)  # another order: sorted again
    wait_until(lambda: not model.busy, what="the sort")
    assert layouts
    assert _groups_of(model) == {"Running": names}


def test_a_large_grouping_left_goes_in_slices_and_a_grouping_chosen_meanwhile_is_whole(
    qtmodeltester: Any, manager: Any, run: Any, tmp_path: Any, layout: TreeLayout, wait_until: Any
) -> None:
    """Back to the host tree, a large grouping's rows leave the model over
    several loop turns (the tree shows the host tree meanwhile); grouping
    again before they are all gone builds the new groups whole, once the
    old rows are."""
    n = SORT_IN_TURNS + 100
    source = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: not source.slicer.busy, what="the host tree")
    names = sorted(r.name for r in conn.domains.values())
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.STATE)
    assert _grouped(model, wait_until) == {"Running": names}
    removed: list[int] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append(last - first + 1))

    model.set_group_by(GroupBy.HOST)
    assert model.rowCount() == 1  # still there, emptied in slices
    wait_until(lambda: not model.busy, what="the rows to go")
    assert model.rowCount() == 0
    assert len(removed) > 2 and sum(removed) == n + 1  # the machines, then the group

    model.set_group_by(GroupBy.STATE)
    assert _grouped(model, wait_until) == {"Running": names}
    model.set_group_by(GroupBy.HOST)
    model.set_group_by(GroupBy.STATE)  # while the old rows are still going
    assert _grouped(model, wait_until) == {"Running": names}
    assert model.rowCount() == 1
    qtmodeltester.check(model)


def test_a_large_grouping_goes_in_group_by_group_in_order_before_it_is_built(
    manager: Any, run: Any, tmp_path: Any, layout: TreeLayout, wait_until: Any
) -> None:
    """Each group of a large grouping goes into the model on its own, in its
    place among the groups in already, and ``built`` says so once all are."""
    n = SORT_IN_TURNS + 100
    source = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, n), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    by_name = {r.name: u for u, r in conn.domains.items()}
    names = sorted(by_name)
    paused = names[::3]
    _pause(run, wait_until, conn, [by_name[name] for name in paused])
    wait_until(lambda: not source.slicer.busy, what="the host tree")
    model = GroupsModel(source, layout)
    seen: list[list[str]] = []
    model.rowsInserted.connect(
        lambda parent, _f, _l: (
            parent.isValid()
            or seen.append([model.index(r, 0).data() for r in range(model.rowCount())])
        )
    )
    built: list[int] = []
    model.built.connect(lambda: built.append(len(seen)))
    for order, groups in (
        (Qt.SortOrder.AscendingOrder, ["Running", "Paused"]),
        (Qt.SortOrder.DescendingOrder, ["Paused", "Running"]),
    ):
        seen.clear()
        built.clear()
        model.set_group_by(GroupBy.HOST)
        model.sort(Column.NAME, order)
        model.set_group_by(GroupBy.STATE)
        running = [name for name in names if name not in paused]
        want = {"Running": running, "Paused": paused}
        if order == Qt.SortOrder.DescendingOrder:
            want = {k: v[::-1] for k, v in want.items()}
        assert _grouped(model, wait_until) == {k: want[k] for k in groups}
        assert len(seen) == 2 and seen[-1] == groups  # one insertion per group
        assert all(s == [g for g in groups if g in s] for s in seen)  # each in its place
        assert built == [2]


def test_a_stats_tick_copies_the_changed_figures_and_reads_no_other_row(
    manager: Any, run: Any, tmp_path: Any, layout: TreeLayout, wait_until: Any
) -> None:
    """A tick whose few changed figures are scattered over a host's rows (the
    host tree says one span over them all): the clones get the new figures,
    and the groups read the rows the host tree said changed, not the span."""
    source = DomainTreeModel(manager)
    conn = manager.add(_many(tmp_path, 40), persist=False)
    conn.timing = Timing(stats_interval=3600.0)  # no tick but the ones below
    assert run(conn.open_and_wait()), conn.failure
    model = GroupsModel(source, layout)
    model.set_group_by(GroupBy.STATE)
    _grouped(model, wait_until)
    uuids = sorted(conn.domains)
    said: list[tuple[int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _r=None: said.append((a.row(), b.row(), a.column())))
    read: list[str] = []  # the host tree's rows the groups read
    row_items = source.row_items

    def reading(c: Any, uuid: str) -> Any:
        read.append(uuid)
        return row_items(c, uuid)

    source.row_items = reading  # type: ignore[method-assign]

    def figures() -> tuple[list[str], list[str]]:
        return (
            [model.index_of_domain(conn, u, Column.CPU).data() for u in uuids],
            [source.index_of_domain(conn, u, Column.CPU).data() for u in uuids],
        )

    conn.cpu = dict.fromkeys(uuids, 5.0)
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: not model.busy and bool(said), what="the first figures copied")
    assert figures() == (["5 %"] * 40, ["5 %"] * 40)
    said.clear()
    read.clear()
    host = source.index_of_connection(conn)
    scattered = [source.index(r, 0, host).data(Role.UUID) for r in range(0, 40, 2)]
    conn.cpu = {**conn.cpu, **dict.fromkeys(scattered, 70.0)}
    conn.statsUpdated.emit(conn.cpu)
    wait_until(lambda: not model.busy and bool(said), what="the tick copied")
    assert sorted(read) == sorted(scattered)  # every other row: the host tree said one span
    clones, originals = figures()
    assert clones == originals
    assert [clones[uuids.index(u)] for u in scattered] == ["70 %"] * 20
    assert said == [(0, 39, Column.CPU)]  # the group's rows, said once
    said.clear()
    read.clear()
    conn.statsUpdated.emit(conn.cpu)  # the same figures: nothing read, nothing said
    wait_until(lambda: not model.busy, what="the groups to settle")
    assert read == [] and said == []


def test_rows_are_cloned_without_usage_cells_until_a_usage_column_is_sorted_by(
    qtmodeltester: Any,
    manager: Any,
    run: Any,
    data_uri: Any,
    layout: TreeLayout,
    wait_until: Any,
    grouped: Any,
) -> None:
    """No usage column shown: neither the host tree's rows nor their clones
    get usage cells (the rows still span every column); sorted by one, the
    clones get the cells and follow the host tree's order."""
    source, conn, model = grouped("lifecycle.xml", GroupBy.OS)  # one group: every machine
    _grouped(model, wait_until)
    group = model.item(0, 0)
    assert model.columnCount(group.index()) == NCOLS
    assert group.child(0, Column.DISK_IO) is None
    host = source.itemFromIndex(source.index_of_connection(conn))
    assert host.child(0, Column.DISK_IO) is None
    qtmodeltester.check(model, force_py=True)

    source.sort(Column.DISK_IO, Qt.SortOrder.DescendingOrder)
    model.sort(Column.DISK_IO, Qt.SortOrder.DescendingOrder)
    wait_until(lambda: not source.slicer.busy and not model.busy, what="sorting")
    for row in range(group.rowCount()):
        cell = group.child(row, Column.DISK_IO)
        assert cell is not None and cell.flags() == group.child(row, Column.NAME).flags()
    uuids = [model.index(r, 0, group.index()).data(Role.UUID) for r in range(group.rowCount())]
    keys = [source.index_of_domain(conn, u, Column.DISK_IO).data(Role.ORDER) for u in uuids]
    assert keys == sorted(keys, reverse=True) and None not in keys
    assert [model.index_of_domain(conn, u, Column.DISK_IO).data(Role.ORDER) for u in uuids] == keys
    qtmodeltester.check(model, force_py=True)
