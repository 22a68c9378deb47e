"""The main window on the test driver: tree, search, sorting, actions, connections.

The window is built as the application builds it (``app.build``) and shown
offscreen; rows are clicked through the view, actions triggered as the menus
and the toolbar trigger them, and every result is read back from the view's
model (the model itself, or the search filter while searching) or from libvirt.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)

from kvmdesk.app import Services, build
from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.models.tree import Column, Role
from kvmdesk.ui.common import errors
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.host.host_window import HostDetailsWindow
from kvmdesk.ui.main import window_menus
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.delete_many import DeleteManyDialog
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainRecord, DomainState
from kvmdesk.virt.shown import shown
from tests.unit.ui.main.shown_rows import shown_rows

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so whenever a window or dialog is shown.
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]

LIFECYCLE_NAMES = [
    "blocked",
    "crashed",
    "in-shutdown",
    "nostate",
    "paused",
    "pmsuspended",
    "running",
    "saved",
    "shutoff",
    "transient",
]
MARKUP = "lab <&\"'> test"  # names.xml, running
PRIVATE = "/var/lib/libvirt/images/victim.qcow2"
SHARED = "/var/lib/libvirt/images/shared-data.raw"
GOLDEN = "/var/lib/libvirt/images/golden-base.raw"
ISO = "/var/lib/libvirt/iso/debian-12.4.0-amd64-netinst.iso"


# -- the window -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A task that died, or a failure only logged, fails the test too."""
    yield
    records = caplog.get_records("setup") + caplog.get_records("call") + caplog.records
    logged = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert not logged


def _open_windows() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, (QMessageBox, DeleteDialog)) and w.isVisible()
    ]


@pytest.fixture
def services(
    qtbot: Any, settings: Any, fast_timing: Any, run: Run, wait_until: WaitUntil
) -> Iterator[Services]:
    built = build(settings, fast_timing)
    window = built.window
    window.show()
    qtbot.waitExposed(window)
    yield built
    # Reports and dialogs left open (a failed test) are closed, so that no
    # task stays suspended on them and errors._open_boxes is empty again.
    for widget in _open_windows():
        assert isinstance(widget, QDialog)
        widget.done(0)
    wait_until(lambda: not window._tasks and not window.details._tasks, what="window tasks")
    run(built.manager.shutdown())
    # Not close(): closeEvent quits the application, and while the shared
    # loop runs that stops it (see test_closing_the_window_quits_the_application).
    window.hide()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)
    assert not errors._open_boxes


@pytest.fixture
def window(services: Services) -> MainWindow:
    return services.window


@pytest.fixture
def connect(
    services: Services, run: Run, data_uri: Callable[[str], str]
) -> Callable[[str], Connection]:
    """Add a fixture file as a connection, as the user would, and open it."""

    def add(name: str) -> Connection:
        conn = services.manager.add(data_uri(name), persist=False)
        assert run(conn.open_and_wait()), conn.failure
        return conn

    return add


# -- reading and clicking the tree ---------------------------------------------------


def _conn_index(window: MainWindow, conn: Connection, column: int = 0) -> QModelIndex:
    """The connection's row as the view shows it; invalid while the search hides it."""
    for index in shown_rows(window, None, column):
        if index.data(Role.CONNECTION) is conn:
            return index
    return QModelIndex()


def _names(window: MainWindow, conn: Connection) -> list[str]:
    """Domain names under ``conn`` in the order the view shows them (as the host
    spells them: the view shows them through ``virt.shown``)."""
    parent = _conn_index(window, conn)
    if not parent.isValid():
        return []
    return [index.data(Role.SORT) for index in shown_rows(window, parent, Column.NAME)]


def _top_labels(window: MainWindow) -> list[str]:
    return [index.data() for index in shown_rows(window)]


def _domain_index(
    window: MainWindow, conn: Connection, name: str, column: int = Column.NAME
) -> QModelIndex:
    parent = _conn_index(window, conn)
    names = _names(window, conn)
    assert name in names, f"{name!r} is not shown: {names}"
    return shown_rows(window, parent, column)[names.index(name)]


def _cell(window: MainWindow, conn: Connection, name: str, column: int) -> str:
    return str(_domain_index(window, conn, name, column).data())


def _record(conn: Connection, name: str) -> DomainRecord:
    return next(r for r in conn.domains.values() if r.name == name)


def _click(
    qtbot: Any,
    window: MainWindow,
    index: QModelIndex,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> QPoint:
    window.tree.scrollTo(index)
    pos = window.tree.visualRect(index).center()
    qtbot.mouseClick(window.tree.viewport(), button, modifier, pos)
    return pos


def _select(qtbot: Any, window: MainWindow, conn: Connection, *names: str) -> None:
    """Click the first name, Ctrl+click the others."""
    for i, name in enumerate(names):
        modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        _click(qtbot, window, _domain_index(window, conn, name), modifier)
    assert sorted(s.record.name for s in window.selected_domains()) == sorted(names)


def _click_header(qtbot: Any, window: MainWindow, column: int) -> None:
    header = window.tree.header()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def _state(run: Run, conn: Connection, uuid: str) -> int:
    state, _reason = run(conn.call(lambda v, u: v.lookupByUUIDString(u).state(), uuid))
    return int(state)


def _visible_label(widget: QWidget, text: str) -> bool:
    return any(label.text() == text and label.isVisible() for label in widget.findChildren(QLabel))


def _boxes() -> list[QMessageBox]:
    return [w for w in _open_windows() if isinstance(w, QMessageBox)]


# -- domain actions, by name ---------------------------------------------------------

ACTIONS = (
    "run",
    "pause",
    "resume",
    "shutdown",
    "reboot",
    "force_off",
    "save",
    "autostart",
    "delete",
    "details",
)


def _enabled(window: MainWindow) -> set[str]:
    return {name for name in ACTIONS if getattr(window.acts, name).isEnabled()}


# lifecycle.xml: what each domain's state allows, besides Delete and Details.
_RUNNING = {"pause", "shutdown", "reboot", "force_off", "save", "autostart"}
ALLOWED = {
    "running": _RUNNING,
    "blocked": _RUNNING,
    "transient": {"pause", "shutdown", "reboot", "force_off"},  # no save, no autostart
    "paused": {"resume", "force_off", "save", "autostart"},
    "shutoff": {"run", "autostart"},
    "saved": {"run", "autostart"},
    "crashed": {"force_off", "autostart"},
    "in-shutdown": {"force_off", "autostart"},
    "pmsuspended": {"force_off", "autostart"},
    "nostate": {"autostart"},
}
STATE_TEXT = {
    "running": "Running",
    "blocked": "Running",
    "transient": "Running",
    "paused": "Paused",
    "shutoff": "Shutoff",
    "saved": "Saved",
    "crashed": "Crashed",
    "in-shutdown": "Shutting Down",
    "pmsuspended": "Suspended",
    "nostate": "Unknown",
}


# -- the tree --------------------------------------------------------------------------


def test_tree_shows_connections_and_their_domains(
    window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    lifecycle = connect("lifecycle.xml")
    two = connect("two-domains.xml")
    assert _top_labels(window) == ["Test: lifecycle.xml", "Test: two-domains.xml"]
    for conn in (lifecycle, two):
        assert _conn_index(window, conn, Column.STATE).data() == "Connected"
        assert window.tree.isExpanded(_conn_index(window, conn))
    assert _names(window, lifecycle) == LIFECYCLE_NAMES
    assert _names(window, two) == ["alpha", "beta"]
    for name, text in STATE_TEXT.items():
        assert _cell(window, lifecycle, name, Column.STATE) == text, name
    assert _cell(window, two, "alpha", Column.VCPUS) == "2"
    assert _cell(window, two, "alpha", Column.MEMORY) == "2.0 GiB"
    assert _cell(window, lifecycle, "shutoff", Column.MEMORY) == "512 MiB"
    assert _cell(window, lifecycle, "paused", Column.MEMORY) == "1.5 GiB"


def test_search_filters_by_name_ignoring_case(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    lifecycle = connect("lifecycle.xml")
    two = connect("two-domains.xml")
    qtbot.keyClicks(window.search, "SHUT")
    assert len(shown_rows(window)) == 1  # no domain of two-domains.xml matches
    assert _names(window, lifecycle) == ["in-shutdown", "shutoff"]
    assert not _conn_index(window, two).isValid()

    window.search.clear()
    qtbot.keyClicks(window.search, "Alp")
    assert _top_labels(window) == ["Test: two-domains.xml"]
    assert _names(window, two) == ["alpha"]

    window.search.clear()
    assert _top_labels(window) == ["Test: lifecycle.xml", "Test: two-domains.xml"]
    assert _names(window, lifecycle) == LIFECYCLE_NAMES
    assert _names(window, two) == ["alpha", "beta"]
    # The connection rows that came back are expanded again.
    assert window.tree.isExpanded(_conn_index(window, lifecycle))
    assert window.tree.isExpanded(_conn_index(window, two))


def test_search_that_hides_the_selected_domain_deselects_it(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running")
    qtbot.keyClicks(window.search, "shut")
    # No shortcut may act on a machine the list does not show.
    assert window.selected_domains() == []
    assert _enabled(window) == set()
    window.search.clear()
    assert "running" in _names(window, conn)
    assert window.selected_domains() == []


def test_search_that_hides_the_selected_domain_shows_no_other_in_the_details(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    uuid = _record(conn, "running").uuid
    _select(qtbot, window, conn, "running")
    assert window.details.uuid == uuid
    qtbot.keyClicks(window.search, "shut")
    listed = {_record(conn, name).uuid for name in _names(window, conn)}
    assert window.details.uuid in {uuid, None} | listed
    assert window.details.uuid in {uuid, None}


def test_header_click_sorts_by_name_and_by_memory(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    header = window.tree.header()
    assert header.sortIndicatorSection() == Column.NAME
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _names(window, conn) == LIFECYCLE_NAMES

    _click_header(qtbot, window, Column.NAME)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _names(window, conn) == LIFECYCLE_NAMES[::-1]
    _click_header(qtbot, window, Column.NAME)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _names(window, conn) == LIFECYCLE_NAMES

    # Memory sorts by the number, not by the text ("1.5 GiB" < "512 MiB");
    # equal sizes fall back to the name.
    by_memory = [
        "in-shutdown",  # 512 MiB
        "nostate",
        "shutoff",
        "pmsuspended",  # 1.0 GiB
        "running",
        "saved",
        "transient",
        "blocked",  # 1.5 GiB
        "crashed",
        "paused",
    ]
    _click_header(qtbot, window, Column.MEMORY)
    assert header.sortIndicatorSection() == Column.MEMORY
    if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
        by_memory.reverse()
    assert _names(window, conn) == by_memory
    _click_header(qtbot, window, Column.MEMORY)
    assert _names(window, conn) == by_memory[::-1]


# -- which actions apply ---------------------------------------------------------------


def test_nothing_selected_disables_every_action(
    window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    connect("lifecycle.xml")
    assert window.tree.selectionModel().selectedRows() == []
    assert _enabled(window) == set()
    assert not window.connect_act.isEnabled()
    assert not window.disconnect_act.isEnabled()
    assert not window.remove_conn.isEnabled()
    assert window.add_conn.isEnabled()


@pytest.mark.parametrize("name", LIFECYCLE_NAMES)
def test_selected_domain_enables_what_its_state_allows(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection], name: str
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, name)
    assert _enabled(window) == ALLOWED[name] | {"delete", "details"}
    assert window.acts.autostart.isCheckable()
    assert not window.acts.autostart.isChecked()
    # A domain row stands for its connection, which is connected.
    assert not window.connect_act.isEnabled()
    assert window.disconnect_act.isEnabled()


def test_multi_selection_enables_what_any_selected_domain_allows(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "shutoff", "paused")
    assert _enabled(window) == {"run", "resume", "force_off", "save", "autostart", "delete"}
    _select(qtbot, window, conn, "transient", "nostate", "running")
    assert _enabled(window) == {
        "pause",
        "shutdown",
        "reboot",
        "force_off",
        "save",
        "autostart",
        "delete",
    }
    # Ctrl+click on a selected row deselects it; the connection row is no domain.
    _click(
        qtbot, window, _domain_index(window, conn, "running"), Qt.KeyboardModifier.ControlModifier
    )
    assert _enabled(window) == {"pause", "shutdown", "reboot", "force_off", "autostart", "delete"}
    _click(qtbot, window, _conn_index(window, conn))
    assert window.selected_domains() == []
    assert _enabled(window) == set()
    window.tree.clearSelection()
    assert _enabled(window) == set()


# -- lifecycle actions -----------------------------------------------------------------


def test_pause_pauses_the_running_domain(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running")
    window.acts.pause.trigger()
    wait_until(lambda: _cell(window, conn, "running", Column.STATE) == "Paused", what="Paused")
    assert _state(run, conn, _record(conn, "running").uuid) == libvirt.VIR_DOMAIN_PAUSED
    # The event that changed the row changed what the selection allows.
    assert _enabled(window) == ALLOWED["paused"] | {"delete", "details"}
    assert not _boxes()


def test_run_restores_a_saved_domain(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("lifecycle.xml")
    saved = _record(conn, "saved")
    assert saved.managed_save
    _select(qtbot, window, conn, "saved")
    window.acts.run.trigger()
    wait_until(lambda: _cell(window, conn, "saved", Column.STATE) == "Running", what="Running")
    assert not conn.domains[saved.uuid].managed_save
    assert _state(run, conn, saved.uuid) == libvirt.VIR_DOMAIN_RUNNING
    assert not run(
        conn.call(lambda v, u: v.lookupByUUIDString(u).hasManagedSaveImage(0), saved.uuid)
    )
    # the restore ran as a job, listed in the jobs view
    jobs = window.jobs_dock.view.jobs.jobs
    assert [j.title for j in jobs] == [f"Restore “{shown('saved')}”"]
    assert window.jobs_dock.isVisible()


def test_save_runs_as_a_job_with_cancel(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running")
    window.acts.save.trigger()
    wait_until(lambda: _cell(window, conn, "running", Column.STATE) == "Saved", what="Saved")
    job = window.jobs_dock.view.jobs.jobs[0]
    assert job.title == f"Save “{shown('running')}”" and job.abortable
    wait_until(lambda: job.state.finished)
    row = window.jobs_dock.view.row_of(job)
    assert row is not None and row.text(6) == "Done"


def test_run_starts_every_selected_domain_that_can_start(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "shutoff", "saved", "running")
    window.acts.run.trigger()
    wait_until(
        lambda: (
            _cell(window, conn, "shutoff", Column.STATE) == "Running"
            and _cell(window, conn, "saved", Column.STATE) == "Running"
        ),
        what="both started",
    )
    wait_until(lambda: not window._tasks, what="the action to end")
    assert not _boxes()  # "running" was left alone, not reported as a failure
    assert _cell(window, conn, "running", Column.STATE) == "Running"
    assert "run" not in _enabled(window)


def test_run_acts_on_domains_of_several_connections(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
) -> None:
    lifecycle = connect("lifecycle.xml")
    two = connect("two-domains.xml")
    _click(qtbot, window, _domain_index(window, lifecycle, "shutoff"))
    _click(qtbot, window, _domain_index(window, two, "beta"), Qt.KeyboardModifier.ControlModifier)
    assert {(s.conn, s.record.name) for s in window.selected_domains()} == {
        (lifecycle, "shutoff"),
        (two, "beta"),
    }
    window.acts.run.trigger()
    wait_until(
        lambda: (
            _cell(window, lifecycle, "shutoff", Column.STATE) == "Running"
            and _cell(window, two, "beta", Column.STATE) == "Running"
        ),
        what="both started",
    )
    wait_until(lambda: not window._tasks, what="the action to end")
    assert not _boxes()


def test_autostart_toggle_changes_the_domain(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("lifecycle.xml")
    uuid = _record(conn, "shutoff").uuid

    def autostart() -> int:
        return int(run(conn.call(lambda v, u: v.lookupByUUIDString(u).autostart(), uuid)))

    _select(qtbot, window, conn, "shutoff")
    assert not window.acts.autostart.isChecked()
    window.acts.autostart.trigger()
    wait_until(lambda: conn.domains[uuid].autostart, what="autostart on")
    assert autostart() == 1
    assert window.acts.autostart.isChecked()
    window.acts.autostart.trigger()
    wait_until(lambda: not conn.domains[uuid].autostart, what="autostart off")
    assert autostart() == 0
    assert not window.acts.autostart.isChecked()


def _answer_force_off(
    monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton
) -> list[dict[str, Any]]:
    asked: list[dict[str, Any]] = []

    def exec_(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(
            {
                "title": box.windowTitle(),
                "text": box.text(),
                "format": box.textFormat(),
                "default": box.standardButton(box.defaultButton()),
            }
        )
        return answer

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_force_off_cancelled_leaves_the_domain_running(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = connect("lifecycle.xml")
    asked = _answer_force_off(monkeypatch, QMessageBox.StandardButton.Cancel)
    _select(qtbot, window, conn, "running")
    window.acts.force_off.trigger()
    assert asked == [
        {
            "title": "Force Off",
            "text": f"Force off “{shown('running')}”?",
            "format": Qt.TextFormat.PlainText,
            "default": QMessageBox.StandardButton.Cancel,
        }
    ]
    assert not window._tasks and window.service.running == 0  # nothing was started
    assert _state(run, conn, _record(conn, "running").uuid) == libvirt.VIR_DOMAIN_RUNNING
    assert _cell(window, conn, "running", Column.STATE) == "Running"


def test_force_off_confirmed_stops_the_domain(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = connect("lifecycle.xml")
    asked = _answer_force_off(monkeypatch, QMessageBox.StandardButton.Yes)
    _select(qtbot, window, conn, "running", "paused")
    window.acts.force_off.trigger()
    assert [a["text"] for a in asked] == ["Force off 2 virtual machines?"]
    wait_until(
        lambda: (
            _cell(window, conn, "running", Column.STATE) == "Shutoff"
            and _cell(window, conn, "paused", Column.STATE) == "Shutoff"
        ),
        what="both forced off",
    )
    assert _state(run, conn, _record(conn, "running").uuid) == libvirt.VIR_DOMAIN_SHUTOFF


def test_failed_action_reports_libvirt_words_as_plain_text(
    window: MainWindow, connect: Callable[[str], Connection], wait_until: WaitUntil, run: Run
) -> None:
    conn = connect("names.xml")
    # As listed: one shut off, one running. Another client starts the first
    # one before the click, so Run fails for both.
    spaces = _record(conn, "name with  spaces")
    markup = _record(conn, MARKUP)
    assert spaces.state is DomainState.SHUTOFF and markup.state is DomainState.RUNNING
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).create(), spaces.uuid))
    run(window._run_verb(Verb.RUN, [Selected(conn, spaces), Selected(conn, markup)]))
    wait_until(lambda: bool(_boxes()), what="the report")
    [box] = _boxes()
    assert box.windowTitle() == "Could not start"
    assert box.textFormat() == Qt.TextFormat.PlainText
    # The test driver reports this as an internal error, a kind kvmdesk has no words for.
    assert box.text().splitlines() == [
        "2 actions failed:",
        "",
        f"{shown('name with  spaces')}: libvirt reported an error.",
        f"{shown(MARKUP)}: libvirt reported an error.",
    ]
    # libvirt's own sentences, one per domain, under "Show Details…", names untouched.
    assert box.detailedText().splitlines() == [
        f"{shown('name with  spaces')}: internal error: "
        "Domain 'name with  spaces' is already running",
        f"{shown(MARKUP)}: internal error: Domain '{MARKUP}' is already running",
    ]
    for label in box.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    box.done(0)
    wait_until(lambda: not errors._open_boxes, what="the report to go")


def test_action_on_a_domain_undefined_elsewhere_says_it_no_longer_exists(
    window: MainWindow, connect: Callable[[str], Connection], wait_until: WaitUntil, run: Run
) -> None:
    conn = connect("lifecycle.xml")
    shutoff = _record(conn, "shutoff")
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).undefine(), shutoff.uuid))
    run(window._run_verb(Verb.RUN, [Selected(conn, shutoff)]))
    wait_until(lambda: bool(_boxes()), what="the report")
    [box] = _boxes()
    assert box.windowTitle() == "Could not start"
    assert box.text().endswith(": The virtual machine no longer exists.")
    assert box.informativeText() == "Another program may have deleted it."
    assert box.detailedText() == "Domain not found"  # the test driver's words
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.done(0)


def test_report_names_a_domain_undefined_elsewhere(
    window: MainWindow, connect: Callable[[str], Connection], wait_until: WaitUntil, run: Run
) -> None:
    conn = connect("lifecycle.xml")
    shutoff = _record(conn, "shutoff")
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).undefine(), shutoff.uuid))
    wait_until(lambda: shutoff.uuid not in conn.domains, what="the event")
    run(window._run_verb(Verb.RUN, [Selected(conn, shutoff)]))
    wait_until(lambda: bool(_boxes()), what="the report")
    [box] = _boxes()
    text = box.text()
    box.done(0)
    assert text == f"{shown('shutoff')}: The virtual machine no longer exists."


# -- connections -------------------------------------------------------------------------


def test_malformed_uri_is_reported_and_the_rest_keeps_working(
    qtbot: Any,
    services: Services,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    bad = services.manager.add("qemu://[bad/system", persist=False)
    assert not run(bad.open_and_wait())
    conn = connect("lifecycle.xml")
    assert bad.state is ConnState.DISCONNECTED and bad.failure is not None
    state = _conn_index(window, bad, Column.STATE).data()
    assert state == f"Disconnected: {messages.failure_summary(bad.failure)}"
    assert state.startswith("Disconnected: ")
    assert _names(window, bad) == []

    _click(qtbot, window, _conn_index(window, bad))
    assert window.connect_act.isEnabled()
    assert not window.disconnect_act.isEnabled()
    assert window.remove_conn.isEnabled()
    assert _enabled(window) == set()

    _select(qtbot, window, conn, "running")
    window.acts.pause.trigger()
    wait_until(lambda: _cell(window, conn, "running", Column.STATE) == "Paused", what="Paused")
    assert not _boxes()


def test_connection_actions_follow_its_state(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
) -> None:
    conn = connect("lifecycle.xml")
    _click(qtbot, window, _conn_index(window, conn))
    assert window.selected_connection() is conn
    assert not window.connect_act.isEnabled()
    assert window.disconnect_act.isEnabled()
    assert window.remove_conn.isEnabled()

    window.disconnect_act.trigger()
    assert conn.state is ConnState.DISCONNECTED
    assert _names(window, conn) == []
    assert _conn_index(window, conn, Column.STATE).data() == "Disconnected"
    assert window.connect_act.isEnabled()
    assert not window.disconnect_act.isEnabled()

    window.connect_act.trigger()
    wait_until(lambda: _names(window, conn) == LIFECYCLE_NAMES, what="the domains to come back")
    assert _conn_index(window, conn, Column.STATE).data() == "Connected"
    assert window.tree.isExpanded(_conn_index(window, conn))
    assert not window.connect_act.isEnabled()
    assert window.disconnect_act.isEnabled()


def test_remove_connection_asks_first(
    qtbot: Any,
    services: Services,
    window: MainWindow,
    connect: Callable[[str], Connection],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = connect("two-domains.xml")
    other = connect("lifecycle.xml")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    texts: list[str] = []

    def exec_(box: QMessageBox) -> QMessageBox.StandardButton:
        assert box.textFormat() == Qt.TextFormat.PlainText
        texts.append(box.text())
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    _click(qtbot, window, _conn_index(window, conn))
    window.remove_conn.trigger()
    assert texts == [f"Remove the connection “{conn.uri}” from the list?"]
    assert services.manager.connections == [conn, other]
    assert conn.is_connected

    window.remove_conn.trigger()
    assert services.manager.connections == [other]
    assert _top_labels(window) == ["Test: lifecycle.xml"]
    assert _names(window, other) == LIFECYCLE_NAMES


def test_double_click_opens_a_disconnected_connection(
    qtbot: Any,
    services: Services,
    window: MainWindow,
    data_uri: Callable[[str], str],
    wait_until: WaitUntil,
) -> None:
    conn = services.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert conn.state is ConnState.DISCONNECTED
    index = _conn_index(window, conn)
    assert _conn_index(window, conn, Column.STATE).data() == "Disconnected"
    pos = window.tree.visualRect(index).center()
    # A double click is a press and release, then a double-click event.
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    wait_until(lambda: _names(window, conn) == LIFECYCLE_NAMES, what="the connection to open")
    assert conn.is_connected
    assert window.tree.isExpanded(_conn_index(window, conn))


def test_domain_undefined_elsewhere_disappears(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("lifecycle.xml")
    uuid = _record(conn, "shutoff").uuid
    _select(qtbot, window, conn, "shutoff")
    assert window.details.uuid == uuid
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).undefine(), uuid))
    wait_until(lambda: "shutoff" not in _names(window, conn), what="the row to go")
    assert uuid not in conn.domains
    assert window.selected_domains() == []
    assert _enabled(window) == set()


def test_details_say_when_the_selected_domain_was_undefined_elsewhere(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("lifecycle.xml")
    uuid = _record(conn, "shutoff").uuid
    _select(qtbot, window, conn, "shutoff")
    wait_until(lambda: _visible_label(window.details, shown("shutoff")), what="the details")
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).undefine(), uuid))
    wait_until(lambda: "shutoff" not in _names(window, conn), what="the row to go")
    wait_until(lambda: not window.details._tasks, what="the details to settle")
    assert window.details.uuid in (uuid, None)
    assert _visible_label(window.details, "This virtual machine no longer exists.")


# -- names ---------------------------------------------------------------------------------


def test_names_are_shown_exactly_and_tooltips_escaped(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("names.xml")
    names = _names(window, conn)
    assert sorted(names) == sorted(r.name for r in conn.domains.values())
    for name in (MARKUP, "name with  spaces", "测试-虚拟机", "виртуальная-машина", "שרת-בדיקה"):
        assert name in names
    assert "Cafe\u0301-nfd" in names  # decomposed, as libvirt has it
    index = _domain_index(window, conn, MARKUP)
    assert index.data(Qt.ItemDataRole.DisplayRole) == shown(MARKUP)
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert html.escape(MARKUP) in tooltip
    assert "&lt;&amp;" in tooltip and "<&" not in tooltip
    # The search matches non-Latin names regardless of case as well.
    window.search.insert("ВИРТУАЛЬНАЯ")  # QTest types ASCII only
    assert _names(window, conn) == ["виртуальная-машина"]
    window.search.clear()
    qtbot.keyClicks(window.search, "<&")
    assert _names(window, conn) == [MARKUP]


# -- context menu --------------------------------------------------------------------------


class _RecordingMenu(QMenu):
    """QMenu whose exec() records the menu instead of blocking.

    QMenu.exec cannot be patched on the class (PySide resolves the overloaded
    built-in first), so the window is given this subclass instead.
    """

    shown: list[list[QAction]] = []

    def exec(self, *_args: Any) -> None:  # type: ignore[override]
        _RecordingMenu.shown.append([a for a in self.actions() if not a.isSeparator()])


@pytest.fixture
def menus(monkeypatch: pytest.MonkeyPatch) -> list[list[QAction]]:
    _RecordingMenu.shown = []
    monkeypatch.setattr(window_menus, "QMenu", _RecordingMenu)
    return _RecordingMenu.shown


def _right_click(qtbot: Any, window: MainWindow, pos: QPoint) -> None:
    """Press the right button (which selects), then the context menu event Qt sends."""
    viewport = window.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)


def test_context_menu_offers_what_the_row_is_about(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    menus: list[list[QAction]],
) -> None:
    conn = connect("lifecycle.xml")
    a = window.acts
    index = _domain_index(window, conn, "paused")
    window.tree.scrollTo(index)
    _right_click(qtbot, window, window.tree.visualRect(index).center())
    assert [s.record.name for s in window.selected_domains()] == ["paused"]
    assert menus[-1] == [
        a.run,
        a.pause,
        a.resume,
        a.shutdown,
        a.reboot,
        a.force_off,
        a.save,
        a.save_to_file,
        a.autostart,
        a.clone,
        a.migrate,
        a.edit_tags,
        a.delete,
        a.details,
        a.snapshots,
        a.take_snapshot,
    ]
    assert a.snapshots.isEnabled() and a.clone.isEnabled()  # one persistent domain
    assert a.migrate.isEnabled() and a.save_to_file.isEnabled()  # one paused domain
    assert {
        name for name in ACTIONS if getattr(a, name) in menus[-1] and getattr(a, name).isEnabled()
    } == (ALLOWED["paused"] | {"delete", "details"})

    index = _conn_index(window, conn)
    _right_click(qtbot, window, window.tree.visualRect(index).center())
    assert menus[-1][:-1] == [
        window.connect_act,
        window.disconnect_act,
        window.host_details_act,
        window.conns.edit_conn,
        window.remove_conn,
    ]
    assert menus[-1][-1].menu().title() == "&Move to Group"  # host groups
    # Edit is off: this connection is not saved (persist=False, like the demo).
    assert [act.isEnabled() for act in menus[-1]] == [False, True, True, False, True, True]

    below = window.tree.viewport().rect().bottomLeft() + QPoint(5, -5)
    assert not window.tree.indexAt(below).isValid()
    _right_click(qtbot, window, below)
    assert menus[-1] == [window.add_conn]
    assert len(menus) == 3


def test_context_menus_do_not_pile_up(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    menus: list[list[QAction]],
) -> None:
    conn = connect("lifecycle.xml")
    before = len(window.findChildren(QMenu))
    index = _domain_index(window, conn, "running")
    for _ in range(3):
        _right_click(qtbot, window, window.tree.visualRect(index).center())
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(menus) == 3
    assert len(window.findChildren(QMenu)) == before


# -- delete ----------------------------------------------------------------------------------


def _volumes(run: Run, conn: Connection) -> set[str]:
    def paths(virt: libvirt.virConnect) -> set[str]:
        return {vol.path() for pool in virt.listAllStoragePools() for vol in pool.listAllVolumes()}

    return set(run(conn.call(paths)))


def _delete_dialog(wait_until: WaitUntil) -> DeleteDialog:
    found: list[DeleteDialog] = []

    def shown() -> bool:
        found[:] = [w for w in _open_windows() if isinstance(w, DeleteDialog)]
        return bool(found)

    wait_until(shown, what="the delete dialog")
    assert len(found) == 1
    return found[0]


def _storage_rows(dialog: DeleteDialog) -> dict[str, tuple[str, bool, str]]:
    rows = {}
    for i in range(dialog.disks.topLevelItemCount()):
        item = dialog.disks.topLevelItem(i)
        checked = item.checkState(0) == Qt.CheckState.Checked
        rows[item.text(1)] = (item.text(2), checked, item.text(3))
    return rows


def test_delete_removes_the_domain_and_only_its_private_disk(
    qtbot: Any,
    services: Services,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("delete.xml")
    victim = _record(conn, "victim")
    assert {PRIVATE, SHARED, GOLDEN, ISO} <= _volumes(run, conn)
    _select(qtbot, window, conn, "victim")
    window.acts.delete.trigger()

    dialog = _delete_dialog(wait_until)
    assert dialog.parent() is window
    assert dialog.windowModality() != Qt.WindowModality.NonModal
    assert dialog.question.text() == f"Delete virtual machine “{shown('victim')}”?"
    assert _storage_rows(dialog) == {
        "vda": (shown(PRIVATE), True, ""),
        "vdb": (shown(SHARED), False, f"Needed by {shown('neighbour')}"),
        "vdc": (shown(GOLDEN), False, "Read-only"),
        "sda": (shown(ISO), False, "CD-ROM (removable media)"),
    }
    # While it waits for an answer, the connection keeps following events.
    neighbour = _record(conn, "neighbour").uuid
    run(conn.call(lambda v, u: v.lookupByUUIDString(u).suspend(), neighbour))
    wait_until(lambda: _cell(window, conn, "neighbour", Column.STATE) == "Paused", what="Paused")
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    wait_until(lambda: bool(_boxes()), what="the outcome")
    [box] = _boxes()
    assert box.text() == f"Virtual machine “{shown('victim')}” was deleted."
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert f"Deleted: {shown(PRIVATE)} ({shown('vda')})" in box.informativeText().splitlines()
    wait_until(lambda: "victim" not in _names(window, conn), what="the row to go")
    assert victim.uuid not in conn.domains
    volumes = _volumes(run, conn)
    assert PRIVATE not in volumes
    assert {SHARED, GOLDEN, ISO} <= volumes
    backups = list(Path(services.settings.backup_dir()).glob("*.xml"))
    assert len(backups) == 1
    assert victim.uuid in backups[0].read_text(encoding="utf-8")
    assert str(backups[0]) in box.informativeText()
    box.done(0)
    wait_until(lambda: not window._tasks, what="the deletion to end")


def test_cancelled_delete_deletes_nothing(
    qtbot: Any,
    services: Services,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("delete.xml")
    before = _volumes(run, conn)
    _select(qtbot, window, conn, "victim")
    window.acts.delete.trigger()
    dialog = _delete_dialog(wait_until)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: not window._tasks, what="the delete task to end")
    assert not _boxes()
    assert "victim" in _names(window, conn)
    assert _record(conn, "victim").state is DomainState.SHUTOFF
    assert _volumes(run, conn) == before
    assert not list(Path(services.settings.backup_dir()).glob("*.xml"))


# -- closing -----------------------------------------------------------------------------------


def test_closing_the_window_quits_the_application(
    window: MainWindow, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_args: quits.append(True))
    window.close()
    assert quits == [True]
    assert not window.isVisible()
    window.show()


def test_disconnect_reads_cancel_while_a_connection_is_being_retried(
    qtbot: Any, window: MainWindow, services: Services, tmp_path: Path, wait_until: WaitUntil
) -> None:
    # A test-driver file that does not exist yet: the connection waits to retry.
    conn = services.manager.add(f"test://{tmp_path / 'later.xml'}", persist=False)
    conn.open()
    wait_until(lambda: conn.state is ConnState.WAITING, what="waiting to retry")
    _click(qtbot, window, _conn_index(window, conn))
    assert window.disconnect_act.isEnabled()
    assert window.disconnect_act.text().replace("&", "") == "Cancel Connecting"
    window.disconnect_act.trigger()
    assert conn.state is ConnState.DISCONNECTED
    assert window.disconnect_act.text().replace("&", "") == "Disconnect"


def test_edit_connection_is_offered_for_saved_connections_only(
    qtbot: Any, window: MainWindow, services: Services, connect: Callable[[str], Connection]
) -> None:
    temporary = connect("lifecycle.xml")  # persist=False, like the demo host
    _click(qtbot, window, _conn_index(window, temporary))
    assert not window.conns.edit_conn.isEnabled()
    saved = services.manager.add("test:///default")
    _click(qtbot, window, _conn_index(window, saved))
    assert window.conns.edit_conn.isEnabled()
    assert window.conns.edit_conn in window.conns.for_connection_row()


def test_the_search_hides_rows_of_the_model_itself(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    """The tree always shows the model itself (no filter model in between);
    a search and its clearing keep selection, collapsed connections and the header."""
    lifecycle = connect("lifecycle.xml")
    two = connect("two-domains.xml")
    assert window.shown_model is window.model
    _select(qtbot, window, lifecycle, "shutoff", "in-shutdown")
    window.tree.setExpanded(_conn_index(window, two), False)
    header = window.tree.header()
    window.tree.setColumnWidth(Column.STATE, 211)
    header.setSortIndicator(Column.NAME, Qt.SortOrder.DescendingOrder)
    hidden = [header.isSectionHidden(c) for c in range(header.count())]

    qtbot.keyClicks(window.search, "shut")
    assert window.shown_model is window.model
    assert sorted(s.record.name for s in window.selected_domains()) == ["in-shutdown", "shutoff"]
    assert _names(window, lifecycle) == ["shutoff", "in-shutdown"]  # still descending
    assert window.tree.columnWidth(Column.STATE) == 211
    assert [header.isSectionHidden(c) for c in range(header.count())] == hidden

    window.search.clear()
    assert window.shown_model is window.model
    assert len(_names(window, lifecycle)) == window.model.rowCount(_conn_index(window, lifecycle))
    assert sorted(s.record.name for s in window.selected_domains()) == ["in-shutdown", "shutoff"]
    assert window.tree.isExpanded(_conn_index(window, lifecycle))
    assert not window.tree.isExpanded(_conn_index(window, two))
    assert window.tree.columnWidth(Column.STATE) == 211
    # The window still follows the selection after the switches.
    _select(qtbot, window, lifecycle, "running")
    assert window.acts.pause.isEnabled()


def test_a_selected_row_the_search_hides_is_unselected(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running")
    qtbot.keyClicks(window.search, "shut")
    assert window.selected_domains() == []
    assert not window.acts.pause.isEnabled()
    window.search.clear()
    assert window.selected_domains() == []  # not brought back unasked


def test_take_snapshot_of_several_with_one_name(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    from kvmdesk.ui.domain.snapshots.snapshot_many import ManySnapshotsDialog
    from kvmdesk.virt import snapshots as vs
    from kvmdesk.virt.snapshots import Mode

    conn = connect("lifecycle.xml")
    running, shutoff = _record(conn, "running").uuid, _record(conn, "shutoff").uuid
    run(conn.call(vs.create_snapshot, running, "taken", "", Mode.INTERNAL))
    _select(qtbot, window, conn, "running", "shutoff")
    assert window.acts.take_snapshot.isEnabled()

    def dialog() -> ManySnapshotsDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ManySnapshotsDialog)]
        return next((w for w in found if w.isVisible()), None)

    window.acts.take_snapshot.trigger()
    wait_until(lambda: dialog() is not None, what="the dialog")
    box = dialog()
    assert box is not None
    box.name.setText("taken")
    box.accept()
    said = f"“{shown('running')}” already has a snapshot called “{shown('taken')}”."
    assert box.error.text() == said
    box.name.setText("both")
    box.accept()

    def names(uuid: str) -> set[str]:
        listing = run(conn.call(vs.list_snapshots, uuid))
        return {s.name for s in listing.snapshots}

    wait_until(lambda: len(window.jobs_dock.view.jobs.jobs) == 2, what="two jobs")
    wait_until(lambda: all(j.state.finished for j in window.jobs_dock.view.jobs.jobs))
    assert names(running) == {"taken", "both"} and names(shutoff) == {"both"}
    assert not _boxes()


def test_closing_while_jobs_run_asks_first(
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_args: quits.append(True))
    conn = connect("lifecycle.xml")
    release = threading.Event()
    jobs = window.jobs
    assert jobs is not None
    job = jobs.start(conn, _record(conn, "running").uuid, "long", lambda _v: release.wait(10))
    QApplication.setQuitOnLastWindowClosed(False)  # the shared loop must keep running
    try:
        for answer, quit_now in (
            (QMessageBox.StandardButton.Cancel, False),
            (QMessageBox.StandardButton.Yes, True),
        ):
            window.close()
            wait_until(lambda: bool(_boxes()), what="the question")
            box = _boxes()[0]
            assert box.text() == "1 job is still running. Quit anyway?"
            box.done(answer.value)
            wait_until(lambda: not _boxes())
            wait_until(lambda q=quit_now: bool(quits) == q and window.isVisible() != q)
        release.set()
        wait_until(lambda: job.state.finished)
    finally:
        QApplication.setQuitOnLastWindowClosed(True)
        window.show()


# -- keyboard ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
    ],
)
def test_menu_key_and_shift_f10_open_the_current_rows_menu(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    menus: list[list[QAction]],
    key: Qt.Key,
    modifier: Qt.KeyboardModifier,
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "paused")
    window.tree.setFocus()
    qtbot.keyClick(window.tree, key, modifier)
    assert menus and menus[-1][0] is window.acts.run  # the domain's menu
    window.tree.setCurrentIndex(_conn_index(window, conn))
    qtbot.keyClick(window.tree, key, modifier)
    assert menus[-1][0] is window.connect_act


def test_escape_clears_the_filter(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    window.find_act.trigger()
    qtbot.keyClicks(window.search, "paus")
    assert _names(window, conn) == ["paused"]
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and "running" in _names(window, conn)
    window.search.setText("run")
    qtbot.keyClick(window.tree, Qt.Key.Key_Escape)  # also from the list
    assert window.search.text() == ""


def test_ctrl_f_reaches_the_filter_from_the_details_pane(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running")
    window.details.show_tab("performance")
    window.details.tabBar().setFocus()
    qtbot.keyClick(window.details.tabBar(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()


@pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$")
def test_double_click_on_a_connection_does_not_collapse_it(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    index = _conn_index(window, conn)
    assert window.tree.isExpanded(index)
    pos = window.tree.visualRect(index).center()
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.tree.isExpanded(_conn_index(window, conn))
    # ... it shows Connection Details, which Esc closes again.
    [host] = [w for w in QApplication.topLevelWidgets() if isinstance(w, HostDetailsWindow)]
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    qtbot.keyClick(host.focusWidget() or host, Qt.Key.Key_Escape)
    assert not host.isVisible()


def test_several_selected_show_what_they_share_and_what_applies(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    _select(qtbot, window, conn, "running", "paused")
    page = window.details.selection_overview
    assert window.details.overview.currentWidget() is window.details._selection_page
    assert page.title.text() == "2 virtual machines selected"
    assert page.states.text() == "mixed: Paused, Running"
    running, paused = _record(conn, "running"), _record(conn, "paused")
    assert page.vcpus.text() == f"{running.vcpus + paused.vcpus} in all"
    offered = {b.defaultAction() for b in page.action_buttons()}
    assert offered == {a for a in (*window.acts.lifecycle(), window.acts.delete) if a.isEnabled()}
    assert window.acts.force_off in offered and window.acts.delete in offered
    assert window.acts.run not in offered  # one of them runs already
    _select(qtbot, window, conn, "running")  # one again: its own details
    assert window.details.overview.currentWidget() is not window.details._selection_page


def test_the_actions_for_several_wrap_in_a_narrow_pane(
    qtbot: Any, window: MainWindow, connect: Callable[[str], Connection]
) -> None:
    conn = connect("lifecycle.xml")
    window.resize(800, 600)
    splitter = window.details.parentWidget()
    assert isinstance(splitter, QSplitter)
    splitter.setSizes([600, 200])  # as narrow as the pane goes
    _select(qtbot, window, conn, "running", "paused", "shutoff")
    page = window.details.selection_overview
    qtbot.waitUntil(lambda: page.isVisible() and page.width() < 600)
    # One less: new buttons on the page while it is shown.
    _click(
        qtbot, window, _domain_index(window, conn, "shutoff"), Qt.KeyboardModifier.ControlModifier
    )
    assert sorted(s.record.name for s in window.selected_domains()) == ["paused", "running"]
    buttons = page.action_buttons()
    assert sum(b.sizeHint().width() for b in buttons) > page.width()  # one row cannot hold them
    qtbot.wait(100)
    assert len({b.geometry().top() for b in buttons}) > 1  # more than one line
    for button in buttons:  # each whole, inside the page
        assert button.isVisible()
        assert button.width() >= button.sizeHint().width()
        assert button.mapTo(page, button.rect().bottomRight()).x() < page.width()
    holder = buttons[0].parentWidget()
    assert holder is not None
    bottom = max(b.geometry().bottom() for b in buttons)
    assert bottom < holder.height()  # the rows below the first are not clipped either


def test_deleting_several_asks_once_and_reports_once(
    qtbot: Any,
    window: MainWindow,
    connect: Callable[[str], Connection],
    wait_until: WaitUntil,
    run: Run,
) -> None:
    conn = connect("delete.xml")
    _select(qtbot, window, conn, "victim", "neighbour")
    window.acts.delete.trigger()
    found: list[DeleteManyDialog] = []

    def dialog_shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, DeleteManyDialog)]
        return any(w.isVisible() for w in found)

    wait_until(dialog_shown, what="one dialog for both")
    [dialog] = found
    assert not [w for w in _open_windows() if isinstance(w, DeleteDialog)]  # no single ones
    assert dialog.question.text() == "Delete 2 virtual machines?"
    assert sorted(dialog.tabs.tabText(i) for i in range(2)) == sorted(
        [shown("neighbour"), shown("victim")]
    )
    victim_part = next(p for p in dialog.parts if p.plan.name == "victim")
    rows = _storage_rows(victim_part)
    assert rows["vdb"] == (shown(SHARED), False, f"Needed by {shown('neighbour')}")
    # Tick the file the other machine needs: one second question, for all.
    shared_item = next(
        victim_part.disks.topLevelItem(i)
        for i in range(victim_part.disks.topLevelItemCount())
        if victim_part.disks.topLevelItem(i).text(1) == "vdb"
    )
    shared_item.setCheckState(0, Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    question = dialog.second_confirmation
    assert question is not None and "Other virtual machines need 1" in question.text()
    anyway = next(b for b in question.buttons() if b.text() == "Delete Anyway")
    qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)

    wait_until(lambda: bool(_boxes()), what="the one report")
    wait_until(lambda: not window._tasks, what="the deletions to end")
    [box] = _boxes()
    assert box.text() == "2 virtual machines deleted."
    report = box.informativeText()
    assert f"Virtual machine “{shown('victim')}” was deleted." in report
    assert f"Virtual machine “{shown('neighbour')}” was deleted." in report
    assert f"Deleted: {shown(SHARED)} ({shown('vdb')})" in report.splitlines()
    assert SHARED not in _volumes(run, conn)
    wait_until(lambda: not {"victim", "neighbour"} & set(_names(window, conn)), what="rows")
    box.done(0)


def test_about_shows_the_version(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from kvmdesk.version import kvmdesk_version

    shown_text: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown_text.append(text))
    help_menu = window.menuBar().actions()[-1].menu()
    [about] = [a for a in help_menu.actions() if a.text() == "&About kvmdesk"]
    about.trigger()
    assert kvmdesk_version() and f"kvmdesk {kvmdesk_version()}" in shown_text[0]
