"""The second question before files are deleted: files other machines need,
or (Preferences) any storage file. Opened, not run: the answer arrives later."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import widen_text
from kvmdesk.ui.main.delete_words import how_used
from kvmdesk.virt.delete import StorageChoice
from kvmdesk.virt.shown import shown


def accept_when_confirmed(
    dialog: QDialog,
    shared: list[StorageChoice],
    files: list[str],
    confirm_shared: Callable[[], None],
) -> QMessageBox | None:
    """Accept ``dialog`` at once, or open the question to ask first: about
    ``shared`` files other machines need (``confirm_shared`` on yes), else
    about ``files`` (Preferences). None when it accepted at once."""
    if shared:

        def confirmed() -> None:
            confirm_shared()
            dialog.accept()

        return ask_shared(dialog, shared, confirmed)
    if files:
        return ask_files(dialog, files, dialog.accept)
    dialog.accept()
    return None


def ask_files(parent: QWidget, paths: list[str], confirmed: Callable[[], None]) -> QMessageBox:
    """Ask once more before deleting storage files (Preferences); ``confirmed``
    runs on "Delete Files" only, Cancel is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete Storage Files"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(tr("Delete %n storage file(s)? They cannot be recovered.", None, len(paths)))
    box.setInformativeText("\n".join(shown(p) for p in paths))
    delete = box.addButton(tr("Delete Files"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    delete.setAutoDefault(False)
    widen_text(box)

    def answered(_result: int) -> None:
        if box.clickedButton() is delete:
            confirmed()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box


def ask_shared(
    parent: QWidget, shared: list[StorageChoice], confirmed: Callable[[], None]
) -> QMessageBox:
    """Open the second question before deleting files other machines need;
    ``confirmed`` runs on "Delete Anyway" only."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete Files Other Machines Need"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        tr("Other virtual machines need {0} of the selected files. Delete them anyway?").format(
            len(shared)
        )
    )
    box.setInformativeText(
        "\n".join(
            tr("{0}, needed by {1}").format(
                shown(c.path), ", ".join(how_used(use) for use in c.uses)
            )
            for c in shared
        )
        + "\n\n"
        + tr("Those machines will no longer start.")
    )
    anyway = box.addButton(tr("Delete Anyway"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    anyway.setAutoDefault(False)
    widen_text(box)

    def answered(_result: int) -> None:
        if box.clickedButton() is anyway:
            confirmed()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box
