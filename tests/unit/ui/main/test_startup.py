"""What the ``--show-*`` options open once the connection is up."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.manager import RESTORE_PER_TURN
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.ui.common import errors
from kvmdesk.ui.host.host_window import HostDetailsWindow
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.startup import find_domain, resolve_domain, show_on_start
from kvmdesk.ui.main.startup_request import DOMAIN_TABS, StartupView, View

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(
        r"^This plugin does not support propagateSizeHints\(\)$",
        r"^This plugin does not support raise\(\)$",  # the host window is raised
    ),
]

Run = Callable[..., Any]
RUNNING = "1c1c1c1c-0000-4000-8000-000000000001"  # "running" in lifecycle.xml


@pytest.fixture
def services(qtbot: Any, settings: Any, fast_timing: Any, run: Run) -> Iterator[Services]:
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(0)
        if isinstance(widget, HostDetailsWindow):
            widget.close()
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(built.window)
    assert not errors._open_boxes


def _boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_console_of_a_domain_by_name(services: Services, run: Run, data_uri: Any) -> None:
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])
    run(show_on_start(services.window, services.manager, StartupView(View.CONSOLE, uri, "running")))
    window = services.window
    assert [s.record.uuid for s in window.selected_domains()] == [RUNNING]
    assert window.details.currentWidget() is window.details.console_tab
    assert not _boxes()


def test_console_of_an_unknown_domain_says_so(services: Services, run: Run, data_uri: Any) -> None:
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])
    run(show_on_start(services.window, services.manager, StartupView(View.CONSOLE, uri, "nope")))
    boxes = _boxes()
    assert len(boxes) == 1
    assert "There is no virtual machine “nope”" in boxes[0].text()


def test_a_command_line_host_behind_a_fleet_of_saved_ones(
    services: Services, run: Run, data_uri: Any, settings: Settings, tmp_path: Path
) -> None:
    saved = []
    for i in range(3 * RESTORE_PER_TURN):
        path = tmp_path / f"host-{i:02d}.xml"
        shutil.copy(Path(__file__).resolve().parents[3] / "data" / "two-domains.xml", path)
        saved.append(SavedConnection(f"test://{path}", False))
    settings.set_connections(saved)
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])  # added after the saved ones, a few per turn
    run(show_on_start(services.window, services.manager, StartupView(View.CONSOLE, uri, "running")))
    assert [s.record.uuid for s in services.window.selected_domains()] == [RUNNING]
    # Waited for in its place, not added ahead of the fleet.
    assert [c.uri for c in services.manager.connections] == [*(s.uri for s in saved), uri]
    assert not _boxes()


def test_host_summary_opens_the_connection_details(
    services: Services, run: Run, data_uri: Any
) -> None:
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])
    run(show_on_start(services.window, services.manager, StartupView(View.HOST, uri)))
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, HostDetailsWindow)]
    assert len(windows) == 1 and windows[0].isVisible()
    assert windows[0].conn.uri == uri


def test_a_host_that_does_not_answer_is_reported(
    services: Services, run: Run, tmp_path: Path
) -> None:
    uri = f"test://{tmp_path / 'missing.xml'}"  # waits to retry: the file never appears
    services.manager.restore([uri])
    run(show_on_start(services.window, services.manager, StartupView(View.HOST, uri)))
    boxes = _boxes()
    assert len(boxes) == 1
    assert f"kvmdesk could not open {uri}." == boxes[0].text()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, HostDetailsWindow)]


def test_find_domain_by_name_or_uuid(services: Services, run: Run, data_uri: Any) -> None:
    conn = services.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait())
    assert find_domain(conn, "running") == RUNNING
    assert find_domain(conn, RUNNING.upper()) == RUNNING
    assert find_domain(conn, f" {RUNNING} ") == RUNNING
    assert find_domain(conn, "missing") is None


def test_find_domain_by_id(services: Services, run: Run, data_uri: Any) -> None:
    conn = services.manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait())
    domain_id = run(conn.call(lambda c: c.lookupByUUIDString(RUNNING).ID()))
    assert domain_id > 0
    assert run(resolve_domain(conn, str(domain_id))) == RUNNING
    assert run(resolve_domain(conn, "running")) == RUNNING
    assert run(resolve_domain(conn, "4711")) is None


@pytest.mark.parametrize("view", [View.EDITOR, View.PERFORMANCE, View.SNAPSHOTS])
def test_editor_and_performance_open_the_tab_the_table_names(
    services: Services, run: Run, data_uri: Any, view: View
) -> None:
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])
    run(show_on_start(services.window, services.manager, StartupView(view, uri, "running")))
    details = services.window.details
    assert [s.record.uuid for s in services.window.selected_domains()] == [RUNNING]
    assert details.currentWidget() is details.tab_names()[DOMAIN_TABS[view]]
    assert not _boxes()


def test_every_domain_tab_named_on_the_command_line_exists(services: Services) -> None:
    assert set(DOMAIN_TABS.values()) <= set(services.window.details.tab_names())


def test_delete_opens_the_delete_dialog_for_that_domain(
    services: Services, run: Run, data_uri: Any
) -> None:
    uri = data_uri("lifecycle.xml")
    services.manager.restore([uri])
    seen: list[str] = []

    def answer() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, DeleteDialog)]
        if not dialogs or not dialogs[0].isVisible():
            QTimer.singleShot(20, answer)
            return
        seen.append(dialogs[0].plan.name)
        dialogs[0].reject()

    QTimer.singleShot(0, answer)
    run(show_on_start(services.window, services.manager, StartupView(View.DELETE, uri, "running")))
    assert seen == ["running"]
    conn = services.manager.find(uri)
    assert conn is not None and RUNNING in conn.domains  # rejected: nothing deleted
