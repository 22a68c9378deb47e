"""Group By, saved views and host groups in the main window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QInputDialog, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.settings import Settings
from kvmdesk.core.tree_layout import GroupBy, SavedView
from kvmdesk.models.columns import Column, Role
from kvmdesk.models.groups import GroupsModel
from kvmdesk.ui.main.grouping import Grouping
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown
from tests.unit.ui.main.shown_rows import shown_rows


def _grouping(window: MainWindow) -> Grouping:
    assert window.grouping is not None
    return window.grouping


def _settle(window: MainWindow, wait_until: Any) -> None:
    groups = _grouping(window).groups
    wait_until(lambda: not groups.busy and not window.model.slicer.busy, what="rows to settle")


def _select(window: MainWindow, *indexes: Any) -> None:
    selection = window.tree.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.clearSelection()
    for index in indexes:
        selection.select(window.from_source(index), flags)


def _names(selected: list[Any]) -> list[str]:
    return sorted(s.record.name for s in selected)


def test_the_combo_and_the_view_menu_switch_the_grouping_and_keep_the_selection(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    conn = open_host("two-domains.xml")
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    _select(window, window.model.index_of_domain(conn, alpha.uuid))
    assert _names(window.selected_domains()) == ["alpha"]

    grouping.combo.activated.emit(list(GroupBy).index(GroupBy.STATE))
    assert window.source is grouping.groups and window.tree.model() is grouping.groups
    _settle(window, wait_until)
    assert _names(window.selected_domains()) == ["alpha"]  # found again by identity
    assert window.details.uuid == alpha.uuid
    labels = [grouping.groups.index(r, 0).data() for r in range(grouping.groups.rowCount())]
    assert labels == ["Running", "Shutoff"]
    assert window.tree.isExpanded(window.tree.model().index(0, 0))

    host_action = next(a for a in grouping.menu.actions() if a.text() == "Host")
    host_action.trigger()
    assert window.source is window.model and window.tree.model() is window.model
    assert grouping.combo.currentText() == "Host"
    assert _names(window.selected_domains()) == ["alpha"]
    assert grouping.layout.group_by is GroupBy.HOST


def test_switching_while_searching_keeps_the_filter_and_the_selection(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    conn = open_host("lifecycle.xml")
    window.search.setText("state:running,paused")
    wait_until(lambda: not window.model.matching, what="marks")
    running = next(r for r in conn.domains.values() if r.name == "running")
    _select(window, window.model.index_of_domain(conn, running.uuid))
    grouping.set_group_by(GroupBy.STATE)
    _settle(window, wait_until)
    assert window.tree.model() is grouping.groups
    assert _names(window.selected_domains()) == ["running"]
    shown_groups = [index.data() for index in shown_rows(window)]
    assert shown_groups == ["Running", "Paused"]
    window.search.clear()
    assert window.tree.model() is grouping.groups
    assert _names(window.selected_domains()) == ["running"]


def test_a_selected_group_acts_on_every_machine_it_shows_with_one_question(
    app_services: Services,
    open_host: Any,
    wait_until: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    lifecycle = open_host("lifecycle.xml")
    two = open_host("two-domains.xml")
    grouping.set_group_by(GroupBy.STATE)
    _settle(window, wait_until)
    running = [
        r.name
        for c in (lifecycle, two)
        for r in c.domains.values()
        if r.state in (DomainState.RUNNING, DomainState.BLOCKED)  # both "Running"
    ]
    group = grouping.groups.index_of_group(str(DomainState.RUNNING.value))
    _select(window, group)
    assert _names(window.selected_domains()) == sorted(running)
    assert window.acts.shutdown.isEnabled()
    asked: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append((box.text(), box.informativeText()))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    window.acts.shutdown.trigger()
    assert asked[0][0] == f"Shut down {len(running)} virtual machines on 2 hosts?"
    assert f"  {shown('alpha')}" in asked[0][1].splitlines()
    assert not window._tasks  # cancelled: nothing ran

    # Only what the search lets the group show.
    window.search.setText("name:alpha")
    wait_until(lambda: not window.model.matching and not grouping.groups.busy, what="marks")
    wait_until(lambda: len(shown_rows(window)) == 1, what="the search")
    _select(window, group)
    assert _names(window.selected_domains()) == ["alpha"]


def test_a_machine_under_two_groups_is_acted_on_once(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("two-domains.xml")
    grouping = _grouping(window)
    grouping.set_group_by(GroupBy.STATE)
    _settle(window, wait_until)
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    group = grouping.groups.index_of_group(str(DomainState.RUNNING.value))
    _select(window, group, grouping.groups.index_of_domain(conn, alpha.uuid))
    assert _names(window.selected_domains()) == ["alpha"]


def test_save_view_then_pick_it_brings_back_search_grouping_and_columns(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    open_host("two-domains.xml")
    assert grouping.views.isHidden()  # no view saved yet
    window.search.setText("state:running")
    grouping.set_group_by(GroupBy.STATE)
    window.tree.setColumnHidden(Column.MEMORY, True)
    dialog = grouping.save_view()
    assert dialog.query_field.text() == "state:running"
    assert dialog.group_combo.currentText() == "State"
    assert not dialog.column_boxes[Column.MEMORY].isChecked()
    dialog.name_field.setText("Running <b>now</b>")
    dialog.accept()
    assert dialog.saved == SavedView(
        "Running <b>now</b>",
        "state:running",
        GroupBy.STATE,
        (Column.MEMORY, Column.ADDRESS, Column.MEMORY_USE, Column.DISK_IO, Column.NETWORK_IO),
    )
    assert not grouping.views.isHidden()
    item = grouping.views.top.child(0)
    assert item.text(0) == shown("Running <b>now</b>")

    window.search.clear()
    grouping.set_group_by(GroupBy.HOST)
    window.tree.setColumnHidden(Column.MEMORY, False)
    grouping.views.itemClicked.emit(item, 0)
    assert window.search.text() == "state:running"
    assert grouping.group_by is GroupBy.STATE and window.tree.model() is grouping.groups
    assert window.tree.isColumnHidden(Column.MEMORY)
    assert not window.tree.isColumnHidden(Column.STATE)


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "web", "Type a name."),
        ("x" * 10_000, "web", "at most 64 characters"),
        ("evil\u202egpj", "web", "invisible characters"),
        ("fine", "mem>lots", "The search cannot be read:"),
        ("fine", "colour:red", "(at character 1)"),
    ],
)
def test_save_view_refuses_what_cannot_be_stored(
    app_services: Services, name: str, query: str, message: str
) -> None:
    grouping = _grouping(app_services.window)
    dialog = grouping.save_view()
    dialog.name_field.setText(name)
    dialog.query_field.setText(query)
    dialog.accept()
    assert dialog.saved is None and dialog.isVisible()
    assert message in dialog.problem.text()
    assert "\u202e" not in dialog.problem.text()
    assert grouping.layout.views() == []
    dialog.reject()


def test_move_to_group_from_the_menu_and_a_new_group_checked(
    app_services: Services, open_host: Any, wait_until: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    two = open_host("two-domains.xml")
    lifecycle = open_host("lifecycle.xml")
    answers = iter([("bad\u202ename", True), ("rack 1", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: next(answers))
    reported: list[str] = []
    monkeypatch.setattr(
        "kvmdesk.ui.main.grouping.report_text",
        lambda _parent, _title, text, info="": reported.append(f"{text} {info}"),
    )
    _select(window, window.model.index_of_connection(two))
    assert grouping.selected_connections() == [two]

    def menu_action(text: str) -> Any:
        menu = grouping.move_menu(grouping.selected_connections(), window)
        return next(a for a in menu.actions() if a.text() == text)

    menu_action("&New Group…").trigger()
    assert "invisible characters" in reported[0] and grouping.layout.host_groups() == {}
    menu_action("&New Group…").trigger()
    assert grouping.layout.host_group(two.uri) == "rack 1"
    assert menu_action(shown("rack 1")).isChecked()

    grouping.set_group_by(GroupBy.HOST_GROUP)
    _settle(window, wait_until)
    groups = grouping.groups
    rack = groups.index_of_group("rack 1")
    assert groups.rowCount(rack) == 1 and groups.connection_at(groups.index(0, 0, rack)) is two
    assert window.tree.dragEnabled() and window.tree.acceptDrops()
    host = window.from_source(groups.index_of_connection(lifecycle))
    _select(window, groups.index_of_connection(lifecycle))
    assert window.selected_connection() is lifecycle  # a host row is a host row
    menu_action(shown("rack 1")).trigger()
    wait_until(lambda: groups.rowCount() == 1 and not groups.busy, what="the move")
    assert not host.isValid() or host.model() is window.tree.model()
    _select(window, groups.index_of_connection(lifecycle))
    menu_action("&No Group").trigger()
    assert grouping.layout.host_group(lifecycle.uri) == ""


def test_the_grouping_is_kept_for_the_next_start(
    app_services: Services, settings: Settings, fast_timing: Any, run: Any, qtbot: Any
) -> None:
    _grouping(app_services.window).set_group_by(GroupBy.TAG)
    again = build(settings, fast_timing)
    qtbot.addWidget(again.window)
    try:
        assert isinstance(again.window.source, GroupsModel)
        assert _grouping(again.window).combo.currentText() == "Tag"
        assert again.window.source.group_by is GroupBy.TAG
    finally:
        run(again.manager.shutdown())


def test_group_rows_are_named_for_what_they_hold(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    open_host("two-domains.xml")
    grouping = _grouping(window)
    grouping.set_group_by(GroupBy.OS)
    _settle(window, wait_until)
    top = grouping.groups.index(0, 0)
    assert top.data() == "Unknown OS" and top.data(Role.KIND) == "group"
    assert top.siblingAtColumn(Column.STATE).data() == "2 virtual machines"


def test_a_search_while_grouped_by_host_group_hides_hosts_and_groups_without_a_match(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    grouping = _grouping(window)
    lifecycle = open_host("lifecycle.xml")
    two = open_host("two-domains.xml")
    grouping.layout.move_hosts([two.uri], "rack 1")
    grouping.set_group_by(GroupBy.HOST_GROUP)
    _settle(window, wait_until)

    def shown_tree() -> dict[str, dict[str, list[str]]]:
        """Group -> host -> machines, as the tree shows them."""
        return {
            group.data(): {
                host.data(): [row.data(Role.SORT) for row in shown_rows(window, host)]
                for host in shown_rows(window, group)
            }
            for group in shown_rows(window)
        }

    window.search.setText("alpha")
    _settle(window, wait_until)
    assert shown_tree() == {shown("rack 1"): {"Test: two-domains.xml": ["alpha"]}}
    window.search.setText("state:paused")
    _settle(window, wait_until)
    tree = shown_tree()
    assert list(tree) != [shown("rack 1")] and shown("rack 1") not in tree
    assert [rows for hosts in tree.values() for rows in hosts.values()] == [["paused"]]
    window.search.clear()
    _settle(window, wait_until)
    every = [len(rows) for hosts in shown_tree().values() for rows in hosts.values()]
    assert sorted(every) == sorted([len(lifecycle.domains), len(two.domains)])
