"""Deleting several virtual machines: one question for all of them, one report.

``DeleteManyDialog`` lists the machines and holds, one tab each, the same
choices the single Delete dialog offers (``DeleteDialog``, without its
buttons): the storage of each, with files other machines need marked and
not ticked. Files other machines need that the user ticked anyway are
confirmed once, for all machines together. ``outcomes_box`` then says in
one message what happened to each.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import widen_text
from kvmdesk.ui.common.widgets import plain_label, scaled_font
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.delete_outcome import outcome_message
from kvmdesk.ui.main.delete_questions import accept_when_confirmed
from kvmdesk.virt.delete import DeleteOutcome, DeletePlan
from kvmdesk.virt.shown import shown


class DeleteManyDialog(QDialog):
    def __init__(self, plans: list[DeletePlan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Delete Virtual Machines"))
        self.setMinimumWidth(700)
        self.second_confirmation: QMessageBox | None = None
        self.ask_before_files = False  # Preferences: ask again before deleting any file
        self.question = plain_label(
            tr("Delete %n virtual machine(s)?", None, len(plans)), selectable=False
        )
        self.question.setFont(scaled_font(self.font(), 1.15))
        self.names = plain_label(", ".join(shown(p.name) for p in plans))
        self.tabs = QTabWidget()
        self.parts: list[DeleteDialog] = []
        for plan in plans:
            part = DeleteDialog(plan, self)
            part.setWindowFlags(Qt.WindowType.Widget)  # a page of this dialog, not a window
            part.buttons.hide()
            self.parts.append(part)
            self.tabs.addTab(part, shown(plan.name))
        self.buttons = QDialogButtonBox()
        self.delete_button = QPushButton(tr("Delete All"))
        self.delete_button.setAutoDefault(False)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.delete_button.clicked.connect(self._delete_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.names)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        cancel.setFocus()

    def _delete_clicked(self) -> None:
        shared = {part: part.shared_chosen() for part in self.parts}

        def confirm_shared() -> None:
            for part, choices in shared.items():
                part.confirm_shared([c.path for c in choices])

        files = [path for part in self.parts for path in part.selected_sources()]
        self.second_confirmation = accept_when_confirmed(
            self,
            [c for choices in shared.values() for c in choices],
            files if self.ask_before_files else [],
            confirm_shared,
        )
        if self.second_confirmation is not None:
            self.second_confirmation.finished.connect(self._question_answered)

    def _question_answered(self, _result: int) -> None:
        self.second_confirmation = None


def outcomes_box(parent: QWidget | None, outcomes: list[DeleteOutcome]) -> QMessageBox:
    """One report for several deletions: a line each, then the details of each."""
    done = sum(1 for o in outcomes if o.complete)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if done == len(outcomes) else QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Delete Virtual Machines"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        tr("%n of {0} virtual machines deleted completely.", None, done).format(len(outcomes))
        if done < len(outcomes)
        else tr("%n virtual machine(s) deleted.", None, done)
    )
    parts = []
    for outcome in outcomes:
        summary, details = outcome_message(outcome)
        parts.append(summary + ("\n" + details if details else ""))
    box.setInformativeText("\n\n".join(parts))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    widen_text(box, 560)
    return box
