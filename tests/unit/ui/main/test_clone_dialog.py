"""Clone… on the test driver: refusals said in the dialog, the job, the new domain selected."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from kvmdesk.core import clone as core_clone
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.ui.main.clone_dialog import CloneDialog, clone_domain
from kvmdesk.virt.clone import DiskAction

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
Run = Callable[..., Any]
WaitUntil = Callable[..., None]
VICTIM = "de1e7e00-0000-4000-8000-000000000001"
NEIGHBOUR = "de1e7e00-0000-4000-8000-000000000002"


@pytest.fixture
def conn(open_connection: Callable[[str], Connection]) -> Connection:
    return open_connection("delete.xml")


def _volumes(run: Run, conn: Connection) -> set[str]:
    def names(virt: Any) -> set[str]:
        pool = virt.storagePoolLookupByName("default")
        pool.refresh(0)
        return set(pool.listVolumes())

    return set(run(conn.call(names)))


def _submit(dialog: CloneDialog, wait_until: WaitUntil) -> None:
    dialog.accept()
    wait_until(lambda: dialog._checking is not None and dialog._checking.done())


def _neighbour_dialog(conn: Connection, run: Run, window: QWidget) -> CloneDialog:
    """The dialog for the running neighbour, shown."""
    plan = run(core_clone.plan(conn, NEIGHBOUR))
    dialog = CloneDialog(conn, plan, JobService(poll_interval=0.05), window)
    dialog.show()
    return dialog


def test_the_dialog_says_what_the_host_refuses(
    conn: Connection, run: Run, wait_until: WaitUntil, window: QWidget
) -> None:
    dialog = _neighbour_dialog(conn, run, window)
    before = _volumes(run, conn)
    assert dialog.choices["vdb"].currentData() is DiskAction.SHARE  # shareable: kept shared
    assert dialog.choices["vdb"].findData(DiskAction.CLONE) == -1
    _submit(dialog, wait_until)
    assert "is running" in dialog.error.text() and dialog.isVisible()
    assert dialog.pause is not None
    dialog.pause.setChecked(True)
    for name, words in (("victim", "already taken"), ("", "Enter a name"), ("a/b", "“/”")):
        dialog.name.setText(name)
        _submit(dialog, wait_until)
        assert words in dialog.error.text() and dialog.isVisible()
    dialog.name.setText("copy")
    for mac, words in (("52:54:00:de:00:01", "already used"), ("zz", "not a MAC")):
        dialog.macs[0].setText(mac)
        _submit(dialog, wait_until)
        assert words in dialog.error.text() and dialog.isVisible()
    assert dialog.job is None and _volumes(run, conn) == before
    dialog.macs[0].setText("")
    _submit(dialog, wait_until)
    assert not dialog.isVisible() and dialog.job is not None
    outcome = run(dialog.job.future)
    assert outcome.uuid and dialog.job.state is JobState.DONE
    assert _volumes(run, conn) == before | {"copy.qcow2"}


def test_clone_selects_the_new_domain(
    conn: Connection, wait_until: WaitUntil, window: QWidget
) -> None:
    jobs = JobService(poll_interval=0.05)
    made: list[str] = []
    task = asyncio.ensure_future(
        clone_domain(window, conn, VICTIM, jobs, lambda _c, uuid: made.append(uuid))
    )

    def dialog() -> CloneDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, CloneDialog)]
        return next((w for w in found if w.isVisible()), None)

    wait_until(lambda: dialog() is not None, what="the dialog")
    box = dialog()
    assert box is not None and box.name.text() == "victim-clone"
    box.choices["vdb"].setCurrentIndex(box.choices["vdb"].findData(DiskAction.SKIP))
    box.accept()
    wait_until(lambda: bool(made), what="the clone made")
    wait_until(lambda: made[0] in conn.domains, what="the clone listed")
    assert conn.domains[made[0]].name == "victim-clone"
    assert [j.title for j in jobs.jobs] and jobs.jobs[0].state is JobState.DONE
    wait_until(task.done)


def test_the_virt_clone_line_follows_the_choices_and_is_what_the_log_records(
    conn: Connection, run: Run, wait_until: WaitUntil, window: QWidget
) -> None:
    dialog = _neighbour_dialog(conn, run, window)
    assert dialog.pause is not None
    dialog.pause.setChecked(True)
    dialog.name.setText("-copy 'x'")
    command = dialog.command_view.command
    assert command is not None
    uri = conn.uri
    assert command.lines == (
        ("virsh", "-c", uri, "suspend", "--domain", "neighbour"),
        (
            "virt-clone",
            f"--connect={uri}",
            "--original=neighbour",
            "--name=-copy 'x'",
            "--file=/var/lib/libvirt/images/-copy 'x'.qcow2",
        ),
        ("virsh", "-c", uri, "resume", "--domain", "neighbour"),
    )
    assert dialog.command_view.text.toPlainText() == command.text()
    dialog.name.setText("")
    assert dialog.command_view.command is None and not dialog.command_view.copy.isEnabled()
    dialog.name.setText("copy")
    dialog.macs[0].setText("52:54:00:aa:bb:cc")
    shown = dialog.command_view.command
    assert shown is not None and "--mac=52:54:00:aa:bb:cc" in shown.lines[1]
    _submit(dialog, wait_until)
    assert dialog.job is not None
    run(dialog.job.future)
    assert conn.command_log.entries[-1].command == shown
