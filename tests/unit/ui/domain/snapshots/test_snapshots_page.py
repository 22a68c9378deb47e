"""The Snapshots tab on the test driver: the tree, Take, Revert, Delete, Edit Description."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.snapshots.create_dialog import CreateSnapshotDialog
from kvmdesk.ui.domain.snapshots.snapshots_page import NAME, SnapshotsPage
from kvmdesk.ui.main.jobs_view import JobsView
from kvmdesk.virt import snapshots as vs
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Mode

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # the offscreen platform's note on every dialog that opens
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
QCOW = "5a5a5a5a-0000-4000-8000-000000000001"
RAW = "5a5a5a5a-0000-4000-8000-000000000002"
UEFI = "5a5a5a5a-0000-4000-8000-000000000003"


@pytest.fixture
def jobs(aio_loop: Any) -> JobService:
    return JobService(poll_interval=0.05)


@pytest.fixture
def pane(qtbot: Any, jobs: JobService, tmp_path: Path) -> DetailsPane:
    widget = DetailsPane()
    widget.snapshots_tab.use_service(SnapshotService(jobs, tmp_path / "screens"))
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    return widget


@pytest.fixture
def conn(open_connection: Callable[[str], Connection]) -> Connection:
    return open_connection("snapshots.xml")


def _dialog(kind: type, wait_until: WaitUntil) -> Any:
    def find() -> Any:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()),
            None,
        )

    wait_until(lambda: find() is not None, what=f"a {kind.__name__}")
    return find()


def _names(page: SnapshotsPage) -> list[str]:
    return [s.name for s in page.listing.snapshots] if page.listing else []


def _shown(pane: DetailsPane, conn: Connection, uuid: str, wait_until: WaitUntil) -> SnapshotsPage:
    pane.show_domain(conn, uuid)
    pane.show_tab("snapshots")
    page = pane.snapshots_tab
    wait_until(lambda: page.listing is not None and page.listing.uuid == uuid, what="the listing")
    return page


def _click(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text() == text)
    button.click()


def test_the_tab_is_named_and_lists_a_tree(
    pane: DetailsPane, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    assert pane.tab_names()["snapshots"] is pane.snapshots_tab
    for name in ("base", "child"):
        run(conn.call(vs.create_snapshot, QCOW, name, "about " + name, Mode.INTERNAL))
    page = _shown(pane, conn, QCOW, wait_until)
    top = page.tree.topLevelItem(0)
    assert top.text(NAME) == shown("base") and top.childCount() == 1
    child = top.child(0)
    assert child.text(NAME) == shown("child") + " (current)" and child.font(NAME).bold()
    assert page.selected_name() == "child"  # the current one is selected first
    assert page.description.text() == shown("about child")
    assert page.revert.isEnabled() and page.delete.isEnabled() and page.take.isEnabled()
    assert not page.notice.isVisibleTo(page)


def test_what_libvirt_refuses_is_said_before_the_click(
    pane: DetailsPane, conn: Connection, wait_until: WaitUntil
) -> None:
    page = _shown(pane, conn, RAW, wait_until)
    assert page.notice.isVisibleTo(page)
    assert "Disk vda (raw) is not a qcow2 image" in page.notice.text()
    page.take.click()
    dialog = _dialog(CreateSnapshotDialog, wait_until)
    assert not dialog.buttons_by_mode[Mode.INTERNAL].isEnabled()
    assert dialog.buttons_by_mode[Mode.DISK_ONLY].isChecked()
    dialog.reject()
    page = _shown(pane, conn, UEFI, wait_until)
    assert "UEFI" in page.notice.text()


def test_take_refuses_bad_names_in_the_dialog(
    pane: DetailsPane, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    run(conn.call(vs.create_snapshot, QCOW, "taken", "", Mode.INTERNAL))
    page = _shown(pane, conn, QCOW, wait_until)
    page.take.click()
    dialog = _dialog(CreateSnapshotDialog, wait_until)
    for name, words in (
        ("", "Enter a name"),
        ("a/b", "cannot contain “/”"),
        ("taken", "already exists"),
    ):
        dialog.name.setText(name)
        dialog.accept()
        assert dialog.isVisible() and words in dialog.error.text()
    dialog.name.setText("fresh")
    dialog.description.setPlainText("two\nlines")
    dialog.accept()
    wait_until(lambda: "fresh" in _names(page), what="the new snapshot listed")
    record = page.listing.find("fresh")  # type: ignore[union-attr]
    assert record is not None and record.current and record.info.description == "two\nlines"
    assert page.service.screen_path(conn, QCOW, "fresh").is_file()
    assert [j.state.value for j in page.service.jobs.jobs] == ["done"]


def test_revert_warns_and_can_snapshot_first(
    pane: DetailsPane, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    for name in ("old", "new"):
        run(conn.call(vs.create_snapshot, QCOW, name, "", Mode.INTERNAL))
    page = _shown(pane, conn, QCOW, wait_until)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    page.revert.click()
    box = _dialog(QMessageBox, wait_until)
    assert "present state is lost" in box.informativeText()
    assert box.defaultButton().text() == "Cancel"
    _click(box, "Cancel")
    page.revert.click()
    box = _dialog(QMessageBox, wait_until)
    _click(box, "Take Snapshot First…")
    dialog = _dialog(CreateSnapshotDialog, wait_until)
    assert dialog.name.text().startswith("before-revert-")
    kept = dialog.name.text()
    dialog.accept()
    wait_until(
        lambda: (
            page.listing is not None and kept in _names(page) and page.listing.find("old").current
        ),  # type: ignore[union-attr]
        what="the snapshot first, then the revert",
    )
    assert page.listing.find(kept).parent == "new"  # type: ignore[union-attr]


def test_delete_one_or_with_children_and_edit_description(
    pane: DetailsPane, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    for name in ("a", "b", "c"):
        run(conn.call(vs.create_snapshot, QCOW, name, "", Mode.INTERNAL))
    page = _shown(pane, conn, QCOW, wait_until)
    page.tree.setCurrentItem(page.tree.topLevelItem(0).child(0))  # b
    page.delete.click()
    box = _dialog(QMessageBox, wait_until)
    assert box.checkBox() is not None and not box.checkBox().isChecked()
    assert "1 snapshot taken after it" in box.checkBox().text()
    _click(box, "Delete")
    wait_until(lambda: _names(page) == ["a", "c"], what="b deleted, c kept")
    page.tree.setCurrentItem(page.tree.topLevelItem(0))  # a
    page.describe.click()
    edit = _dialog(QInputDialog, wait_until)
    edit.setTextValue("described")
    edit.accept()
    wait_until(
        lambda: page.selected() is not None and page.description.text() == shown("described")
    )
    page.delete.click()
    box = _dialog(QMessageBox, wait_until)
    box.checkBox().setChecked(True)
    _click(box, "Delete")
    wait_until(lambda: _names(page) == [], what="a and its child deleted")
    assert page.status.text() == "This virtual machine has no snapshots."


def test_jobs_view_lists_the_jobs(
    pane: DetailsPane, conn: Connection, jobs: JobService, wait_until: WaitUntil, qtbot: Any
) -> None:
    view = JobsView(jobs)
    qtbot.addWidget(view)
    page = _shown(pane, conn, QCOW, wait_until)
    page.take.click()
    dialog = _dialog(CreateSnapshotDialog, wait_until)
    dialog.name.setText("listed")
    dialog.accept()
    wait_until(lambda: bool(jobs.jobs) and jobs.jobs[0].state.finished)
    row = view.row_of(jobs.jobs[0])
    assert row is not None
    assert row.text(0) == f"Create snapshot “{shown('listed')}”" and row.text(1) == shown("qcow")
    wait_until(lambda: row.text(6) == "Done")
    view.clear_finished()
    assert view.table.topLevelItemCount() == 0 and jobs.jobs == []


def test_a_job_goes_on_when_another_domain_is_shown(
    pane: DetailsPane, conn: Connection, jobs: JobService, run: Run, wait_until: WaitUntil
) -> None:
    import threading

    release = threading.Event()
    page = _shown(pane, conn, QCOW, wait_until)

    def slow(virt: Any) -> bool:
        release.wait(10)
        return vs.revert(virt, QCOW, "kept")

    run(conn.call(vs.create_snapshot, QCOW, "kept", "", Mode.INTERNAL))
    run(conn.call(vs.create_snapshot, QCOW, "later", "", Mode.INTERNAL))
    job = jobs.start(conn, QCOW, "slow revert", slow)
    page.follow(job, conn, QCOW)
    other = _shown(pane, conn, RAW, wait_until)  # the selection moves on meanwhile
    assert other.listing is not None and other.listing.uuid == RAW
    release.set()
    wait_until(lambda: job.state.finished, what="the job to end")
    assert job.state.value == "done"
    assert page.listing is not None and page.listing.uuid == RAW  # not the finished job's domain
    listing = run(conn.call(vs.list_snapshots, QCOW))
    assert listing.find("kept").current  # type: ignore[union-attr]
