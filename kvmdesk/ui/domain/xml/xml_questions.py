"""The questions the XML tab asks, as message boxes ready to be awaited.

One asks whether unapplied edits may be discarded (when the window
closes); the other what to do when someone else changed the definition
since it was loaded: reload, overwrite or cancel, with the difference in
the details. Both are plain text; the caller shows them with ``ask``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import widen_text


def _warning(parent: QWidget, title: str, text: str, informative: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setInformativeText(informative)
    return box


def _finish(box: QMessageBox) -> None:
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    widen_text(box)


def discard_question(parent: QWidget, names: list[str]) -> tuple[QMessageBox, QAbstractButton]:
    """The box asking to discard the edits of ``names``, and its Discard button."""
    box = _warning(
        parent,
        tr("Unapplied XML Changes"),
        tr("Some XML changes are not applied."),
        tr("Edited and not applied: {0}.\nDiscard these changes and quit?").format(
            ", ".join(names)
        ),
    )
    discard = box.addButton(tr("&Discard Changes"), QMessageBox.ButtonRole.DestructiveRole)
    _finish(box)
    return box, discard


def conflict_question(
    parent: QWidget, diff: str
) -> tuple[QMessageBox, QAbstractButton, QAbstractButton]:
    """The box asking what to do about a changed definition, with Reload and Overwrite."""
    box = _warning(
        parent,
        tr("Definition Changed"),
        tr("The virtual machine's definition changed since it was loaded."),
        tr(
            "Reload to see the new definition (your edits are lost), or overwrite "
            "it with your edits. The details show what changed."
        ),
    )
    box.setDetailedText(diff)
    reload = box.addButton(tr("&Reload"), QMessageBox.ButtonRole.DestructiveRole)
    overwrite = box.addButton(tr("&Overwrite"), QMessageBox.ButtonRole.AcceptRole)
    _finish(box)
    return box, reload, overwrite
