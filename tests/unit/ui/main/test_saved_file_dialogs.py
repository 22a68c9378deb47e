"""Save to File… and Run of a machine saved to a file, on the test driver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main.saved_file_dialogs import (
    HostPathDialog,
    RunChoice,
    run_saved,
    save_to_file,
)
from kvmdesk.virt import saved_file
from kvmdesk.virt.records import DomainState

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
Run = Callable[..., Any]
WaitUntil = Callable[..., None]
MOVER = "30e0e0e0-0000-4000-8000-000000000001"


@pytest.fixture
def conn(open_connection: Callable[[str], Connection]) -> Connection:
    return open_connection("migrate-source.xml")


def _dialog() -> HostPathDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, HostPathDialog) and widget.isVisible():
            return widget
    return None


def _save(
    conn: Connection, jobs: JobService, window: QWidget, wait_until: WaitUntil, path: str
) -> HostPathDialog:
    task = asyncio.ensure_future(save_to_file(window, jobs, Selected(conn, conn.domains[MOVER])))
    wait_until(lambda: _dialog() is not None, what="the Save to File dialog")
    dialog = _dialog()
    assert dialog is not None and dialog.browse.isVisible()  # a local host: Browse…
    dialog.path.setText("mover.save")
    dialog.accept()
    assert dialog.isVisible() and "full path" in dialog.error.text()
    dialog.path.setText(path)
    dialog.accept()
    wait_until(task.done, 30, "the save job")
    task.result()
    return dialog


def test_save_to_file_then_run_restores_it(
    conn: Connection, run: Run, wait_until: WaitUntil, window: QWidget, tmp_path: Path
) -> None:
    jobs = JobService(poll_interval=0.05)
    path = str(tmp_path / "mover.save")
    _save(conn, jobs, window, wait_until, path)
    assert [j.state for j in jobs.jobs] == [JobState.DONE] and jobs.jobs[0].abortable
    wait_until(lambda: conn.domains[MOVER].state is DomainState.SAVED_TO_FILE, what="the state")
    assert "save --domain mover --file" in conn.command_log.entries[-1].command.text()
    asked: list[tuple[str, str]] = []

    async def restore(_parent: QWidget, name: str, where: str) -> RunChoice:
        asked.append((name, where))
        return RunChoice.RESTORE

    start, failures = run(run_saved(window, jobs, Selected(conn, conn.domains[MOVER]), restore))
    assert (start, failures, asked) == (False, [], [("mover", path)])
    assert jobs.jobs[-1].state is JobState.DONE and jobs.jobs[-1].title.startswith("Restore")
    wait_until(lambda: conn.domains[MOVER].state is DomainState.RUNNING, what="running again")
    assert run(conn.call(saved_file.saved_path, MOVER)) == ""


def test_start_fresh_forgets_the_file(
    conn: Connection, run: Run, wait_until: WaitUntil, window: QWidget, tmp_path: Path
) -> None:
    jobs = JobService(poll_interval=0.05)
    path = str(tmp_path / "mover.save")
    _save(conn, jobs, window, wait_until, path)
    wait_until(lambda: conn.domains[MOVER].state is DomainState.SAVED_TO_FILE, what="the state")
    target = Selected(conn, conn.domains[MOVER])

    async def cancel(*_args: Any) -> RunChoice:
        return RunChoice.CANCEL

    async def fresh(*_args: Any) -> RunChoice:
        return RunChoice.FRESH

    assert run(run_saved(window, jobs, target, cancel)) == (False, [])
    assert run(conn.call(saved_file.saved_path, MOVER)) == path  # nothing changed
    assert run(run_saved(window, jobs, target, fresh)) == (True, [])
    assert run(conn.call(saved_file.saved_path, MOVER)) == ""
    assert Path(path).exists()
