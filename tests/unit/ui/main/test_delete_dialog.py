"""The delete dialog, the report of a deletion, and the failure boxes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from kvmdesk.domxml.snapshot import SnapshotDisk, SnapshotInfo
from kvmdesk.ui.common import errors
from kvmdesk.ui.common.errors import failure_box, failures_box
from kvmdesk.ui.main.delete_dialog import DeleteDialog, outcome_box, outcome_message
from kvmdesk.virt.delete import (
    DeleteOutcome,
    DeletePlan,
    NotDone,
    Part,
    Piece,
    execute_delete,
    plan_delete,
)
from kvmdesk.virt.delete_extras import Extras
from kvmdesk.virt.errors import ErrorKind, Failure, silence_stderr_printing
from kvmdesk.virt.shown import FSI, PDI, shown

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

VICTIM = "de1e7e00-0000-4000-8000-000000000001"
NEIGHBOUR = "de1e7e00-0000-4000-8000-000000000002"
STRAY = "de1e7e00-0000-4000-8000-000000000004"
PRIVATE = "/var/lib/libvirt/images/victim.qcow2"
SHARED = "/var/lib/libvirt/images/shared-data.raw"
GOLDEN = "/var/lib/libvirt/images/golden-base.raw"
ISO = "/var/lib/libvirt/iso/debian-12.4.0-amd64-netinst.iso"


@pytest.fixture
def virt(data_uri: Callable[[str], str]) -> Iterator[libvirt.virConnect]:
    silence_stderr_printing()
    conn = libvirt.open(data_uri("delete.xml"))
    yield conn
    conn.close()


@pytest.fixture
def dialog_for(qtbot: Any, virt: libvirt.virConnect) -> Callable[[str], DeleteDialog]:
    def make(uuid: str) -> DeleteDialog:
        dialog = DeleteDialog(plan_delete(virt, uuid))
        qtbot.addWidget(dialog)
        return dialog

    return make


def _rows(dialog: DeleteDialog) -> dict[str, dict[str, Any]]:
    tree = dialog.disks
    rows = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        rows[item.text(1)] = {
            "checked": item.checkState(0) == Qt.CheckState.Checked,
            "enabled": bool(item.flags() & Qt.ItemFlag.ItemIsEnabled),
            "checkable": bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable),
            "source": _unshown(item.text(2)),
            "note": item.text(3),
        }
    return rows


def _unshown(text: str) -> str:
    """A path as the host spells it: the dialog shows it isolated (``virt.shown``)."""
    assert text.startswith(FSI) and text.endswith(PDI), text
    return text[1:-1]


def _tick(dialog: DeleteDialog, target: str, on: bool = True) -> None:
    tree = dialog.disks
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.text(1) == target:
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            return
    raise AssertionError(target)


def test_only_the_private_disk_is_ticked(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(VICTIM)
    assert dialog.windowTitle() == "Delete Virtual Machine"
    assert dialog.question.text() == f"Delete virtual machine “{shown('victim')}”?"
    assert dialog.identity.text() == f"UUID: {VICTIM}"
    assert dialog.question.textFormat() == Qt.TextFormat.PlainText
    assert dialog.running_warning.isHidden()  # victim is shut off
    assert dialog.storage_box.text() == "Delete associated storage files"
    assert dialog.storage_box.isChecked()

    rows = _rows(dialog)
    assert set(rows) == {"vda", "vdb", "vdc", "sda"}
    assert rows["vda"]["checked"] and rows["vda"]["source"] == PRIVATE
    assert not rows["vdb"]["checked"] and "neighbour" in rows["vdb"]["note"]
    assert not rows["vdc"]["checked"] and rows["vdc"]["note"] == "Read-only"
    assert not rows["sda"]["checked"] and "CD-ROM" in rows["sda"]["note"]
    assert rows["vda"]["note"] == ""
    assert dialog.selected_sources() == [PRIVATE]
    assert dialog.risk_warning.isHidden()


def test_unticking_storage_deletes_nothing(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(VICTIM)
    dialog.storage_box.setChecked(False)
    assert dialog.selected_sources() == []
    assert not dialog.disks.isEnabled()
    dialog.storage_box.setChecked(True)
    assert dialog.selected_sources() == [PRIVATE]


def test_ticking_a_shared_disk_warns(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(VICTIM)
    _tick(dialog, "vdb")
    assert dialog.selected_sources() == [PRIVATE, SHARED]
    assert not dialog.risk_warning.isHidden()
    _tick(dialog, "vdb", False)
    _tick(dialog, "vda", False)
    assert dialog.selected_sources() == []
    assert dialog.risk_warning.isHidden()


def test_a_path_outside_every_pool_cannot_be_ticked(
    dialog_for: Callable[[str], DeleteDialog],
) -> None:
    dialog = dialog_for(STRAY)
    rows = _rows(dialog)
    assert not rows["vda"]["enabled"] and not rows["vda"]["checkable"]
    assert "Not a storage volume" in rows["vda"]["note"]
    assert rows["vdb"]["checked"]
    _tick(dialog, "vda")  # even if forced, it is never reported
    assert dialog.selected_sources() == ["default/stray-data.qcow2"]


def test_running_domain_is_forced_off_first(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(NEIGHBOUR)
    assert not dialog.running_warning.isHidden()
    assert "forced off" in dialog.running_warning.text()
    assert "victim" in _rows(dialog)["vdb"]["note"]


def test_no_default_disk_leaves_storage_unticked(qtbot: Any) -> None:
    plan = DeletePlan(uuid="u", name="<b>bold</b>", xml="", active=False, choices=())
    dialog = DeleteDialog(plan)
    qtbot.addWidget(dialog)
    assert not dialog.storage_box.isChecked()
    assert dialog.selected_sources() == []
    assert dialog.question.text() == f"Delete virtual machine “{shown('<b>bold</b>')}”?"
    assert dialog.question.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;" in dialog.question.toolTip()


def test_cancel_is_the_default_and_delete_accepts(
    dialog_for: Callable[[str], DeleteDialog],
) -> None:
    dialog = dialog_for(VICTIM)
    assert dialog.cancel_button.isDefault()
    assert not dialog.delete_button.isDefault()
    assert dialog.delete_button.text() == "Delete"
    dialog.delete_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    other = dialog_for(VICTIM)
    other.cancel_button.click()
    assert other.result() == QDialog.DialogCode.Rejected


def test_every_label_is_plain_text(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(VICTIM)
    for label in dialog.findChildren(QLabel):
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


# -- the report ------------------------------------------------------------------


def _not_done(path: str, reason: str) -> NotDone:
    return NotDone(Piece(Part.FILE, path), reason)


def test_outcome_reports_a_partial_failure_exactly() -> None:
    outcome = DeleteOutcome(
        name="victim",
        backup=Path("/home/u/.local/share/kvmdesk/backups/victim-de1e7e00.xml"),
        forced_off=True,
        undefined=True,
        removed=[
            Piece(Part.DEFINITION),
            Piece(Part.MANAGED_SAVE),
            Piece(Part.SNAPSHOT, name="before upgrade"),
            Piece(Part.NVRAM, "/var/lib/libvirt/qemu/nvram/victim_VARS.fd"),
            Piece(Part.FILE, PRIVATE, "vda"),
        ],
        left=[Piece(Part.FILE, ISO, "sda")],
        not_done=[_not_done(SHARED, "cannot unlink file: Permission denied")],
    )
    summary, details = outcome_message(outcome)
    assert summary == (
        f"Virtual machine “{shown('victim')}” was deleted, "
        "but one storage file could not be deleted."
    )
    assert details.splitlines() == [
        "It was forced off.",
        "Removed: its definition",
        "Removed: its saved memory state (managed save)",
        f"Removed: the snapshot “{shown('before upgrade')}” (its metadata)",
        "Removed: its UEFI variables (NVRAM) "
        f"{shown('/var/lib/libvirt/qemu/nvram/victim_VARS.fd')}",
        f"Deleted: {shown(PRIVATE)} ({shown('vda')})",
        f"Not deleted: {shown(SHARED)} (cannot unlink file: Permission denied)",
        f"Left: {shown(ISO)} ({shown('sda')})",
        "A copy of its definition was saved to "
        "/home/u/.local/share/kvmdesk/backups/victim-de1e7e00.xml",
    ]


def test_outcome_says_what_was_kept() -> None:
    outcome = DeleteOutcome(
        name="uefi",
        undefined=True,
        removed=[Piece(Part.DEFINITION)],
        left=[Piece(Part.NVRAM, "/nvram/uefi_VARS.fd"), Piece(Part.FILE, "/p/uefi.qcow2", "vda")],
    )
    _summary, details = outcome_message(outcome)
    assert f"Left: its UEFI variables (NVRAM) {shown('/nvram/uefi_VARS.fd')}" in details
    assert f"Left: {shown('/p/uefi.qcow2')} ({shown('vda')})" in details


def test_outcome_counts_several_failures() -> None:
    outcome = DeleteOutcome(
        name="x", undefined=True, not_done=[_not_done("/a", "gone"), _not_done("/b", "busy")]
    )
    summary, details = outcome_message(outcome)
    assert summary == (
        f"Virtual machine “{shown('x')}” was deleted, but 2 storage files could not be deleted."
    )
    assert f"Not deleted: {shown('/a')} (gone)" in details.splitlines()
    assert f"Not deleted: {shown('/b')} (busy)" in details.splitlines()
    assert "Deleted:" not in details


def test_outcome_when_undefine_failed() -> None:
    outcome = DeleteOutcome(
        name="victim",
        undefined=False,
        undefine_error="Requested operation is not valid: cannot undefine domain with nvram",
    )
    summary, details = outcome_message(outcome)
    assert summary == f"Virtual machine “{shown('victim')}” was not deleted."
    assert details.splitlines() == [
        "Removing its definition failed: "
        + shown("Requested operation is not valid: cannot undefine domain with nvram"),
        "No storage was deleted.",
    ]


def test_outcome_when_complete_without_storage() -> None:
    outcome = DeleteOutcome(name="victim", undefined=True, removed=[Piece(Part.DEFINITION)])
    summary, details = outcome_message(outcome)
    assert summary == f"Virtual machine “{shown('victim')}” was deleted."
    assert details.splitlines() == [
        "Removed: its definition",
        "No storage files were deleted.",
    ]


def test_outcome_of_a_real_deletion(virt: libvirt.virConnect, tmp_path: Path) -> None:
    plan = plan_delete(virt, VICTIM)
    outcome = execute_delete(virt, plan, [PRIVATE, "/etc/passwd"], tmp_path)
    summary, details = outcome_message(outcome)
    assert outcome.undefined and outcome.deleted == [PRIVATE]
    assert "but one storage file could not be deleted" in summary
    lines = details.splitlines()
    assert f"Deleted: {shown(PRIVATE)} ({shown('vda')})" in lines
    assert any(line.startswith(f"Not deleted: {shown('/etc/passwd')} (") for line in lines)
    # What was not chosen is left, and said so, with its path.
    assert f"Left: {shown(ISO)} ({shown('sda')})" in lines
    assert f"Left: {shown(SHARED)} ({shown('vdb')})" in lines
    assert lines[-1] == f"A copy of its definition was saved to {outcome.backup}"


def test_outcome_box_is_a_warning_unless_complete(qtbot: Any) -> None:
    done = outcome_box(None, DeleteOutcome(name="<i>v</i>", undefined=True))
    qtbot.addWidget(done)
    assert done.icon() == QMessageBox.Icon.Information
    assert done.textFormat() == Qt.TextFormat.PlainText
    assert done.text() == f"Virtual machine “{shown('<i>v</i>')}” was deleted."
    partial = outcome_box(
        None, DeleteOutcome(name="v", undefined=True, not_done=[_not_done("/a", "x")])
    )
    qtbot.addWidget(partial)
    assert partial.icon() == QMessageBox.Icon.Warning


# -- failure boxes --------------------------------------------------------------------


def test_failure_box_keeps_libvirt_words_as_plain_details(qtbot: Any) -> None:
    failure = Failure(ErrorKind.PERMISSION_DENIED, "access denied to <b>/var/run</b>", 38)
    box = failure_box(None, "Could not start", failure)
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.windowTitle() == "Could not start"
    assert box.text() == "Permission denied by the libvirt service."
    assert "libvirt group" in box.informativeText()
    assert box.detailedText() == "access denied to <b>/var/run</b>"
    for label in box.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_failures_box_lists_every_name(qtbot: Any) -> None:
    failures = [
        ("web <01>", Failure(ErrorKind.INVALID_OPERATION, "domain is not running")),
        ("db", Failure(ErrorKind.NO_DOMAIN, "Domain not found")),
    ]
    box = failures_box(None, "Could not shut down", failures)
    qtbot.addWidget(box)
    lines = box.text().splitlines()
    assert lines[0] == "2 actions failed:"
    # Names come from the host: isolated, see virt.shown.
    web, db = shown("web <01>"), shown("db")
    assert f"{web}: The virtual machine is not in a state that allows this." in lines
    assert f"{db}: The virtual machine no longer exists." in lines
    assert box.informativeText() == "Another program may have deleted it."
    assert box.detailedText() == f"{web}: domain is not running\n{db}: Domain not found"
    single = failures_box(None, "t", failures[1:])
    qtbot.addWidget(single)
    assert single.text() == f"{db}: The virtual machine no longer exists."


# The offscreen platform says so whenever a top-level window is shown.
_OFFSCREEN_SHOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@_OFFSCREEN_SHOW
def test_inside_a_coroutine_the_box_does_not_nest_a_loop(run: Any) -> None:
    """exec() inside a task would strand every other task that wakes up meanwhile."""
    ticks: list[int] = []

    async def other() -> None:
        for i in range(3):
            await asyncio.sleep(0.01)
            ticks.append(i)

    async def both() -> list[QMessageBox]:
        other_task = asyncio.ensure_future(other())
        errors.show_failure(None, "t", Failure(ErrorKind.OTHER, "x"))  # returns at once
        boxes = list(errors._open_boxes)
        await other_task
        return boxes

    boxes = run(both())
    assert ticks == [0, 1, 2]
    assert len(boxes) == 1
    assert boxes[0].isVisible() and boxes[0].text() == "libvirt reported an error."
    boxes[0].done(0)
    assert not errors._open_boxes


@_OFFSCREEN_SHOW
def test_outside_a_coroutine_the_box_is_modal(qtbot: Any) -> None:
    seen: list[str] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.done(0)

    QTimer.singleShot(50, close_it)
    errors.show_failure(None, "t", Failure(ErrorKind.NO_DOMAIN, "gone"))
    assert seen == ["The virtual machine no longer exists."]


# -- what goes with the definition, backing files, the second confirmation ------------


@_OFFSCREEN_SHOW
def test_a_shared_file_needs_a_second_confirmation(
    qtbot: Any, dialog_for: Callable[[str], DeleteDialog]
) -> None:
    dialog = dialog_for(VICTIM)
    dialog.show()
    _tick(dialog, "vdb")
    dialog.delete_button.click()
    box = dialog.second_confirmation
    assert box is not None and box.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "Other virtual machines need 1 of the selected files" in box.text()
    assert f"{shown(SHARED)}, needed by {shown('neighbour')} (its disk vdb)" in (
        box.informativeText()
    )
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.confirmed_shared() == []

    dialog.delete_button.click()
    box = dialog.second_confirmation
    assert box is not None
    [anyway] = [b for b in box.buttons() if b.text() == "Delete Anyway"]
    anyway.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected_sources() == [PRIVATE, SHARED]
    assert dialog.confirmed_shared() == [SHARED]


def test_without_a_shared_file_delete_asks_once(dialog_for: Callable[[str], DeleteDialog]) -> None:
    dialog = dialog_for(VICTIM)
    _tick(dialog, "vdc")  # read-only, but nobody else's
    dialog.delete_button.click()
    assert dialog.second_confirmation is None
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.confirmed_shared() == []


def _plan_with(extras: Extras) -> DeletePlan:
    return DeletePlan(uuid="u", name="uefi", xml="", active=False, choices=(), extras=extras)


def test_the_uefi_variables_can_be_kept(qtbot: Any) -> None:
    dialog = DeleteDialog(_plan_with(Extras(nvram="/nv/uefi_VARS.fd", has_nvram=True)))
    qtbot.addWidget(dialog)
    assert not dialog.nvram_box.isHidden() and dialog.nvram_box.isChecked()
    assert dialog.nvram_box.text() == (
        f"Delete its UEFI variables (NVRAM): {shown('/nv/uefi_VARS.fd')}"
    )
    assert not dialog.keep_nvram()
    dialog.nvram_box.setChecked(False)
    assert dialog.keep_nvram()
    plain = DeleteDialog(_plan_with(Extras()))
    qtbot.addWidget(plain)
    assert plain.nvram_box.isHidden() and not plain.keep_nvram()
    assert plain.extras.isHidden()


def test_managed_save_and_snapshots_are_named(qtbot: Any) -> None:
    internal = SnapshotInfo("clean install", 0, "shutoff", "no", "", ())
    external = SnapshotInfo(
        "before upgrade",
        0,
        "shutoff",
        "no",
        "",
        (SnapshotDisk("vda", "external", "/p/vm.before-upgrade", "/p/vm.qcow2"),),
    )
    extras = Extras(managed_save=True, snapshots=(internal, external), checkpoints=2)
    dialog = DeleteDialog(_plan_with(extras))
    qtbot.addWidget(dialog)
    assert not dialog.extras.isHidden()
    assert dialog.extras.text().splitlines() == [
        "Its saved memory state (managed save) is removed.",
        f"Snapshot “{shown('clean install')}” is removed "
        "(internal: kept in the disk images, and deleted with them).",
        f"Snapshot “{shown('before upgrade')}” is removed "
        "(external: its files are listed under storage).",
        "Its 2 checkpoints are removed.",
    ]


def test_backing_files_are_listed_under_their_disk(
    qtbot: Any, data_uri: Callable[[str], str]
) -> None:
    conn = libvirt.open(data_uri("chains.xml"))
    try:
        plan = plan_delete(conn, "c4a10000-0000-4000-8000-000000000002")  # overlay-user
    finally:
        conn.close()
    dialog = DeleteDialog(plan)
    qtbot.addWidget(dialog)
    assert dialog.disks.topLevelItemCount() == 1
    top = dialog.disks.topLevelItem(0)
    assert top.text(1) == "vda" and top.checkState(0) == Qt.CheckState.Checked
    assert top.childCount() == 1
    base = top.child(0)
    assert _unshown(base.text(2)) == "/images/base.qcow2"
    assert base.checkState(0) == Qt.CheckState.Unchecked
    assert base.text(3) == f"Needed by {shown('base-owner')}"
    assert "(its disk vda)" in base.toolTip(3)
    assert dialog.selected_sources() == ["/images/overlay.qcow2"]
