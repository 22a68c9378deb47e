"""The questions the XML tab asks, as message boxes ready to be awaited.

One asks whether unapplied edits may be discarded (when the window
closes); the other what to do when someone else changed the definition
since it was loaded: reload, overwrite or cancel, with both versions side
by side. Both are plain text; the caller shows them with ``ask``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QMessageBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import widen_text
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.virt.shown import shown


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
            ", ".join(shown(name) for name in names)
        ),
    )
    discard = box.addButton(tr("&Discard Changes"), QMessageBox.ButtonRole.DestructiveRole)
    _finish(box)
    return box, discard


def conflict_question(
    parent: QWidget, mine: str, theirs: str, *, maybe_mine: bool = False
) -> tuple[CompareDialog, QAbstractButton, QAbstractButton]:
    """The dialog asking what to do about a changed definition: what is stored
    now beside the edit, with Reload and Overwrite (Cancel is the default).

    ``maybe_mine``: after a dropped link, when the change may be the edit itself.
    """
    if maybe_mine:
        headline = tr("The definition changed, and kvmdesk cannot tell whether it is your edit.")
        explanation = tr(
            "The connection was lost while your edit was being saved. Compare what is "
            "stored now with your edit: reload to keep what is stored, or overwrite it "
            "with your edit."
        )
    else:
        headline = tr("The virtual machine's definition changed since it was loaded.")
        explanation = tr(
            "Another client changed it. Reload to see the new definition (your edits are "
            "lost), or overwrite it with your edits. The shaded lines differ."
        )
    dialog = CompareDialog(
        parent,
        tr("Definition Changed"),
        headline,
        explanation,
        (tr("Stored now"), theirs),
        (tr("Your edit"), mine),
    )
    reload = dialog.add_choice(tr("&Reload"), QDialogButtonBox.ButtonRole.DestructiveRole)
    overwrite = dialog.add_choice(tr("&Overwrite"), QDialogButtonBox.ButtonRole.AcceptRole)
    return dialog, reload, overwrite
