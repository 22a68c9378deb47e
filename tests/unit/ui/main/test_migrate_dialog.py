"""Migrate… on the test driver: the choices become the virsh line, the destination's
refusals are said in the dialog, and a migration libvirt cannot do fails as a job."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from kvmdesk.core import migrate as core_migrate
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.ui.main import migrate_dialog
from kvmdesk.ui.main.jobs_view import JobsView
from kvmdesk.ui.main.migrate_dialog import MigrateDialog
from kvmdesk.virt.migrate import Mode, Storage
from kvmdesk.virt.shown import shown

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
Run = Callable[..., Any]
WaitUntil = Callable[..., None]
MOVER = "30e0e0e0-0000-4000-8000-000000000001"
PARKED = "30e0e0e0-0000-4000-8000-000000000002"


@pytest.fixture
def hosts(open_connection: Callable[[str], Connection]) -> tuple[Connection, Connection]:
    return open_connection("migrate-source.xml"), open_connection("migrate-dest.xml")


def _submit(dialog: MigrateDialog, wait_until: WaitUntil) -> None:
    dialog.accept()
    wait_until(lambda: dialog._checking is not None and dialog._checking.done())


def test_choices_make_the_virsh_line(
    hosts: tuple[Connection, Connection], run: Run, window: QWidget
) -> None:
    source, dest = hosts
    plan = run(core_migrate.plan(source, MOVER))
    dialog = MigrateDialog(source, plan, [dest], JobService(), window)
    argv = shlex.split(dialog.command.command.text())  # type: ignore[union-attr]
    assert argv[3:] == [
        "migrate",
        "--domain",
        "mover",
        "--desturi",
        dest.uri,
        "--live",
        "--persistent",
    ]
    dialog.paused.setChecked(True)
    dialog.transport.setCurrentIndex(dialog.transport.findData("tunnel"))
    dialog.storage.setCurrentIndex(dialog.storage.findData(Storage.INCREMENTAL))
    dialog.bandwidth.setValue(30)
    dialog.undefine.setChecked(True)
    argv = shlex.split(dialog.command.command.text())  # type: ignore[union-attr]
    for word in ("--p2p", "--tunnelled", "--copy-storage-inc", "--undefinesource"):
        assert word in argv
    assert "--live" not in argv and argv[argv.index("--bandwidth") + 1] == "30"
    request = dialog.request()
    assert request.mode is Mode.PAUSED and request.tunnelled and request.xml == ""
    dialog.edit_xml.setChecked(True)
    dialog.xml.setPlainText(plan.xml.replace("<name>mover</name>", "<name>moved</name>"))
    argv = shlex.split(dialog.command.command.text())  # type: ignore[union-attr]
    assert argv[argv.index("--dname") + 1] == "moved" and "--xml" in argv
    dialog.deleteLater()


def test_the_dialog_says_what_the_destination_lacks(
    hosts: tuple[Connection, Connection], run: Run, wait_until: WaitUntil, window: QWidget
) -> None:
    source, dest = hosts
    jobs = JobService(poll_interval=0.05)
    plan = run(core_migrate.plan(source, MOVER))
    dialog = MigrateDialog(source, plan, [dest], jobs, window)
    dialog.show()
    _submit(dialog, wait_until)
    text = dialog.error.text()
    assert f"no network “{shown('lan-b')}”" in text
    assert f"no storage pool “{shown('fast')}”" in text
    assert dialog.isVisible() and dialog.job is None and not jobs.jobs
    dialog.address.setText("-oProxyCommand=evil")
    _submit(dialog, wait_until)
    assert f"“{shown('-oProxyCommand=evil')}” is not a host name" in dialog.error.text()
    dialog.reject()
    dialog.deleteLater()

    same = MigrateDialog(source, run(core_migrate.plan(source, PARKED)), [source], jobs, window)
    same.show()
    _submit(same, wait_until)
    assert "the same host UUID" in same.error.text() and same.isVisible()
    same.reject()
    same.deleteLater()


def test_the_dialog_says_an_incremental_copy_needs_the_image_there(
    hosts: tuple[Connection, Connection], run: Run, wait_until: WaitUntil, window: QWidget
) -> None:
    source, dest = hosts
    folder = "<pool type='dir'><name>vm</name><target><path>/srv/vm</path></target></pool>"
    run(dest.call(lambda virt: virt.storagePoolDefineXML(folder).create()))
    dialog = MigrateDialog(
        source, run(core_migrate.plan(source, MOVER)), [dest], JobService(), window
    )
    dialog.storage.setCurrentIndex(dialog.storage.findData(Storage.INCREMENTAL))
    dialog.show()
    _submit(dialog, wait_until)
    text = dialog.error.text()
    assert f"must already have the disk image “{shown('/srv/vm/mover-data.img')}”" in text
    assert "storage pool for the folder" not in text and dialog.job is None
    dialog.reject()
    dialog.deleteLater()


def test_a_migration_libvirt_refuses_fails_as_a_job(
    hosts: tuple[Connection, Connection], run: Run, wait_until: WaitUntil, window: QWidget
) -> None:
    """The test driver cannot migrate: the job says so, and the domain stays where it was."""
    source, dest = hosts
    jobs = JobService(poll_interval=0.05)
    view = JobsView(jobs, window)
    plan = run(core_migrate.plan(source, PARKED))
    xml = plan.xml.replace("<name>parked</name>", "<name>parked-2</name>")
    dialog = MigrateDialog(source, plan, [dest], jobs, window)
    dialog.edit_xml.setChecked(True)
    dialog.xml.setPlainText(xml)
    dialog.show()
    _submit(dialog, wait_until)
    job = dialog.job
    assert job is not None and not dialog.isVisible() and dialog.error.text() == ""
    assert not job.abortable  # offline: nothing to stop
    wait_until(lambda: job.state.finished)
    assert job.state is JobState.FAILED and job.note == ""
    row = view.row_of(job)
    assert row is not None and row.text(6).startswith("Failed")
    assert source.domains[PARKED].name == "parked"
    entry = source.command_log.entries[-1]
    assert "migrate" in entry.command.text() and "--offline" in entry.command.text()
    dialog.deleteLater()


def test_with_no_other_open_connection_it_says_so(
    hosts: tuple[Connection, Connection],
    run: Run,
    window: QWidget,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, dest = hosts
    said: list[str] = []

    def report(_parent: Any, title: str, text: str, informative: str = "") -> None:
        said.append(title)

    monkeypatch.setattr(migrate_dialog, "report_text", report)
    run(dest.shutdown())  # closed: not a place to migrate to
    run(migrate_dialog.migrate_domain(window, source, MOVER, [source, dest], JobService(), print))
    assert said == ["Nowhere to migrate to"]
