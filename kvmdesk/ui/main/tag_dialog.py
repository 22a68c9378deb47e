"""Edit Tags: add and remove tags on any selection, across hosts.

The dialog shows the tags the selection has (with how many machines carry
each) and takes tags to add and to remove, separated by spaces.  Each host
edits its machines on its own worker; a machine whose stored tags another
program wrote in a shape kvmdesk cannot read is left as it is and named in
the report, with every other failure, while the rest are edited.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core import tags as core_tags
from kvmdesk.core.connection import Connection
from kvmdesk.core.facts import FactBook
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask, present, warning_box
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main import bulk_confirm
from kvmdesk.virt.errors import NotConnectedError
from kvmdesk.virt.shown import shown
from kvmdesk.virt.tags import BadTag, TagEdit, TagOutcome, check_tag


def bad_tag_text(exc: BadTag) -> str:
    tag = shown(exc.tag[:40] + ("…" if len(exc.tag) > 40 else ""))
    return {
        "empty": tr("A tag cannot be empty."),
        "long": tr("“{0}” is too long: a tag has at most 64 characters.").format(tag),
        "characters": tr(
            "“{0}” cannot be a tag: no spaces, commas, quotes or invisible characters."
        ).format(tag),
        "many": tr("A virtual machine can have at most 64 tags."),
    }.get(exc.why, exc.why)


def read_tags(text: str) -> tuple[str, ...]:
    """Tags typed in a field, separated by spaces; ``BadTag`` for the first bad one."""
    out: list[str] = []
    for word in text.split():
        tag = check_tag(word)
        if tag not in out:
            out.append(tag)
    return tuple(out)


class TagDialog(QDialog):
    def __init__(self, targets: list[Selected], facts: FactBook, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit Tags"))
        hosts = len({id(s.conn) for s in targets})
        counts: Counter[str] = Counter()
        for s in targets:
            counts.update(facts.tags(s.conn, s.record.uuid))
        head = QLabel(
            self.tr("Tags of {0} on {1}.").format(
                tr("%n virtual machine(s)", None, len(targets)), tr("%n host(s)", None, hosts)
            ),
            self,
        )
        now = (
            ", ".join(f"{shown(t)} ({n})" for t, n in sorted(counts.items()))
            if counts
            else self.tr("none yet")
        )
        current = QLabel(self.tr("Now: {0}").format(now), self)
        for label in (head, current):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.add_field = QLineEdit(self)
        self.add_field.setPlaceholderText(self.tr("prod web"))
        self.remove_field = QLineEdit(self)
        self.remove_field.setPlaceholderText(self.tr("legacy"))
        form = QFormLayout()
        form.addRow(self.tr("&Add:"), self.add_field)
        form.addRow(self.tr("&Remove:"), self.remove_field)
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (head, current):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.edit = TagEdit()

    def accept(self) -> None:
        try:
            edit = TagEdit(read_tags(self.add_field.text()), read_tags(self.remove_field.text()))
        except BadTag as exc:
            self.problem.setText(bad_tag_text(exc))
            self.problem.show()
            return
        if not edit.add and not edit.remove:
            self.problem.setText(self.tr("Type tags to add or to remove."))
            self.problem.show()
            return
        self.edit = edit
        super().accept()


def _problem_text(outcome: TagOutcome) -> str:
    if outcome.problem == "malformed":
        return tr("its tags were written by another program in a form kvmdesk cannot read")
    if outcome.problem == "gone":
        return tr("it no longer exists")
    return outcome.message


async def edit_selected_tags(window: QMainWindow, targets: list[Selected], facts: FactBook) -> None:
    facts.set_enabled(True)  # the dialog shows what the selection has
    dialog = TagDialog(targets, facts, window)
    if await ask(dialog) != QDialog.DialogCode.Accepted:
        return
    edit = dialog.edit
    by_conn: dict[Connection, list[Selected]] = {}
    for s in targets:
        by_conn.setdefault(s.conn, []).append(s)
    bar = window.statusBar()
    text = tr("Changing the tags of %n virtual machine(s)…", None, len(targets))
    bar.showMessage(bulk_confirm.progress(text, 0, len(by_conn)))
    done = 0
    failures: list[str] = []

    async def on_host(conn: Connection, chosen: list[Selected]) -> None:
        nonlocal done
        uuids = [s.record.uuid for s in chosen]
        try:
            outcomes = await core_tags.edit(conn, uuids, edit)
        except NotConnectedError:
            outcomes = {
                u: TagOutcome(None, "libvirt", tr("The connection is not open.")) for u in uuids
            }
        finally:
            done += 1
            bar.showMessage(bulk_confirm.progress(text, done, len(by_conn)))
        facts.refresh(conn, uuids)
        for s in chosen:
            outcome = outcomes.get(s.record.uuid)
            if outcome is not None and outcome.tags is None:
                failures.append(
                    tr("{0} on {1}: {2}").format(
                        shown(s.record.name),
                        messages.connection_label(conn),
                        _problem_text(outcome),
                    )
                )

    await asyncio.gather(*(on_host(c, chosen) for c, chosen in by_conn.items()))
    bar.clearMessage()
    if failures:
        box = warning_box(
            window,
            tr("Could not change tags"),
            tr("%n virtual machine(s) kept their tags:", None, len(failures)),
            "\n".join(failures),
        )
        present(box)
