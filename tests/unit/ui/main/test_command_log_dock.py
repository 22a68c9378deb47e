"""The command log dock in the window built as the application builds it:
hidden by default, View menu toggle kept in the settings, each action's
virsh line with its outcome, copy, copy all, and the script."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.core.settings import Settings
from kvmdesk.models.command_log_model import LogColumn
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main.command_log_dock import CommandLogDock
from kvmdesk.virt.lifecycle import Verb

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]


@pytest.fixture
def services(
    qtbot: Any, settings: Settings, fast_timing: Any, run: Run, wait_until: WaitUntil
) -> Iterator[Services]:
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(0)
    wait_until(lambda: not built.window._tasks, what="window tasks")
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _dock(services: Services) -> CommandLogDock:
    [dock] = services.window.findChildren(CommandLogDock)
    return dock


def _connect(services: Services, run: Run, uri: str) -> Connection:
    conn = services.manager.add(uri, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _selected(conn: Connection, *names: str) -> list[Selected]:
    return [Selected(conn, r) for r in conn.domains.values() if r.name in names]


def _view_menu_toggle(services: Services) -> Any:
    menus = {a.text(): a.menu() for a in services.window.menuBar().actions()}
    titles = list(menus)
    assert titles.index("&View") == len(titles) - 2, titles  # just before Help
    [toggle] = menus["&View"].actions()
    return toggle


def test_the_dock_is_hidden_until_the_view_menu_shows_it_and_that_is_kept(
    services: Services, settings: Settings
) -> None:
    dock = _dock(services)
    toggle = _view_menu_toggle(services)
    assert not dock.isVisible() and not toggle.isChecked()
    assert toggle.text() == "Command &Log"
    toggle.trigger()
    assert dock.isVisible()
    assert settings.command_log_visible
    toggle.trigger()
    assert not dock.isVisible() and not settings.command_log_visible


def test_the_dock_shows_at_start_when_the_settings_say_so(
    qtbot: Any, settings: Settings, fast_timing: Any, run: Run
) -> None:
    settings.command_log_visible = True
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    assert _dock(built).isVisible()
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()


def test_actions_append_their_command_and_outcome(
    services: Services, run: Run, data_uri: Callable[[str], str], wait_until: WaitUntil
) -> None:
    conn = _connect(services, run, data_uri("names.xml"))
    dock = _dock(services)
    window = services.window
    # One shut off (starts), one running (already running: fails with libvirt's words).
    run(window._run_verb(Verb.RUN, _selected(conn, "name with  spaces", "lab <&\"'> test")))
    wait_until(lambda: bool(_boxes()), what="the failure report")
    for box in _boxes():
        box.done(0)
    model = dock.model
    assert model.rowCount() == 2
    rows = {model.entry(r).command.lines[0][-1]: r for r in range(2)}
    ok = model.entry(rows["name with  spaces"])
    bad = model.entry(rows["lab <&\"'> test"])
    assert ok.outcome is Outcome.OK and bad.outcome is Outcome.FAILED
    cell = model.index(rows["name with  spaces"], LogColumn.COMMAND).data()
    assert cell == f"virsh -c {conn.uri} start --domain 'name with  spaces'"
    outcome = model.index(rows["lab <&\"'> test"], LogColumn.OUTCOME).data()
    assert outcome == "Failed: internal error: Domain 'lab <&\"'> test' is already running"
    assert model.index(rows["name with  spaces"], LogColumn.OUTCOME).data() == "OK"

    _select_row(dock, rows["lab <&\"'> test"])
    dock.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert shlex.split(copied) == list(bad.command.lines[0])
    dock.copy_all_button.click()
    assert QGuiApplication.clipboard().text().count("virsh -c") == 2


def _select_row(dock: CommandLogDock, row: int) -> None:
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    dock.view.selectionModel().select(dock.model.index(row, 0), flags)


def _boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_hidden_characters_are_written_out_on_screen_and_copied_exactly(
    services: Services, run: Run, data_uri: Callable[[str], str]
) -> None:
    conn = _connect(services, run, data_uri("spoofed.xml"))
    run(services.window._run_verb(Verb.PAUSE, _selected(conn, "evil\u202egpj.exe")))
    dock = _dock(services)
    [entry] = dock.model.entries
    cell = dock.model.index(0, LogColumn.COMMAND).data()
    assert cell.endswith("suspend --domain 'evil<U+202E>gpj.exe'")
    assert "\u202e" not in cell
    _select_row(dock, 0)
    dock.copy_selected()
    assert shlex.split(QGuiApplication.clipboard().text())[-1] == "evil\u202egpj.exe"
    assert entry.outcome is Outcome.OK


def test_the_saved_script_runs_with_set_e_and_is_executable(
    services: Services, run: Run, data_uri: Callable[[str], str], tmp_path: Path
) -> None:
    conn = _connect(services, run, data_uri("lifecycle.xml"))
    run(services.window._run_verb(Verb.PAUSE, _selected(conn, "running")))
    run(services.window._run_verb(Verb.RESUME, _selected(conn, "running")))
    path = tmp_path / "steps.sh"
    assert _dock(services).write_script(path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines() == [
        "#!/bin/sh",
        "set -e",
        f"virsh -c {conn.uri} suspend --domain running",
        f"virsh -c {conn.uri} resume --domain running",
    ]
    assert os.access(path, os.X_OK)
    # sh reads it as written: a stand-in virsh prints each argument it got.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "virsh").write_text('#!/bin/sh\nprintf "%s|" "$@"; echo\n', encoding="utf-8")
    (bin_dir / "virsh").chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    done = subprocess.run([str(path)], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines() == [
        f"-c|{conn.uri}|suspend|--domain|running|",
        f"-c|{conn.uri}|resume|--domain|running|",
    ]


def test_a_script_that_cannot_be_written_is_reported(
    services: Services, run: Run, data_uri: Callable[[str], str], tmp_path: Path
) -> None:
    conn = _connect(services, run, data_uri("lifecycle.xml"))
    run(services.window._run_verb(Verb.PAUSE, _selected(conn, "running")))
    dock = _dock(services)
    seen: list[tuple[str, str]] = []

    def answer() -> None:  # the report is exec()-ed: read and close it from the loop
        for box in _boxes():
            seen.append((box.windowTitle(), box.detailedText()))
            box.done(0)

    QTimer.singleShot(0, answer)
    assert not dock.write_script(tmp_path / "no such dir" / "x.sh")
    [(title, details)] = seen
    assert title == "Could not save the script"
    assert "No such file or directory" in details
