"""The report of a deletion: what was removed, what was left (with paths), what failed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import present, widen_text
from kvmdesk.virt.delete import DeleteOutcome, Part, Piece
from kvmdesk.virt.shown import shown


def piece_text(piece: Piece) -> str:
    """One removed or left thing, in words, its path shown (``virt.shown``)."""
    path = shown(piece.path)
    if piece.part is Part.DEFINITION:
        return tr("its definition")
    if piece.part is Part.MANAGED_SAVE:
        return tr("its saved memory state (managed save)")
    if piece.part is Part.SNAPSHOT:
        return tr("the snapshot “{0}” (its metadata)").format(shown(piece.name))
    if piece.part is Part.CHECKPOINTS:
        return tr("its checkpoints ({0})").format(piece.name)
    if piece.part is Part.NVRAM:
        return (
            tr("its UEFI variables (NVRAM) {0}").format(path)
            if path
            else tr("its UEFI variables (NVRAM)")
        )
    if piece.name:
        return tr("{0} ({1})").format(path, shown(piece.name))
    return path


def outcome_message(outcome: DeleteOutcome) -> tuple[str, str]:
    """(summary, details) saying exactly what the deletion did and did not do."""
    name = shown(outcome.name)
    failed = outcome.failed
    if not outcome.undefined:
        summary = tr("Virtual machine “{0}” was not deleted.").format(name)
    elif not failed:
        summary = tr("Virtual machine “{0}” was deleted.").format(name)
    elif len(failed) == 1:
        summary = tr(
            "Virtual machine “{0}” was deleted, but one storage file could not be deleted."
        ).format(name)
    else:
        summary = tr(
            "Virtual machine “{0}” was deleted, but {1} storage files could not be deleted."
        ).format(name, len(failed))

    lines: list[str] = []
    if outcome.forced_off:
        lines.append(tr("It was forced off."))
    if not outcome.undefined:
        lines.append(
            tr("Removing its definition failed: {0}").format(shown(outcome.undefine_error))
        )
        lines.append(tr("No storage was deleted."))
    for piece in outcome.removed:
        if piece.part is Part.FILE:
            lines.append(tr("Deleted: {0}").format(piece_text(piece)))
        else:
            lines.append(tr("Removed: {0}").format(piece_text(piece)))
    for path, reason in failed:
        lines.append(tr("Not deleted: {0} ({1})").format(shown(path), reason))
    if outcome.undefined and not outcome.deleted and not failed:
        lines.append(tr("No storage files were deleted."))
    for piece in outcome.left:
        lines.append(tr("Left: {0}").format(piece_text(piece)))
    if outcome.backup is not None:
        lines.append(tr("A copy of its definition was saved to {0}").format(outcome.backup))
    return summary, "\n".join(lines)


def outcome_box(parent: QWidget | None, outcome: DeleteOutcome) -> QMessageBox:
    """The report of a deletion as a message box; not shown yet."""
    summary, details = outcome_message(outcome)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if outcome.complete else QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete Virtual Machine"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(summary)
    box.setInformativeText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    widen_text(box, 520)
    return box


def show_outcome(parent: QWidget | None, outcome: DeleteOutcome) -> None:
    """Tell the user what the deletion did, as information or, if incomplete, a warning."""
    present(outcome_box(parent, outcome))
