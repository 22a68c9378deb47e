"""The command log as rows: time, command, outcome, note.

The command column shows every line of an entry's command, one after the
other, with hidden characters written out (``virt.shown.reveal``) so that a
name cannot disguise what the line does; copying gives the exact text.
"""

from __future__ import annotations

import enum
import shlex
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from kvmdesk.core.command_log import CommandLog, Entry, Outcome
from kvmdesk.core.messages import tr
from kvmdesk.virt.commands import Note
from kvmdesk.virt.shown import reveal

Index = QModelIndex | QPersistentModelIndex


class LogColumn(enum.IntEnum):
    TIME = 0
    COMMAND = 1
    OUTCOME = 2


def shown_command(entry: Entry) -> str:
    """The lines of ``entry``'s command as one row reads them."""
    return " ; ".join(reveal(shlex.join(argv)) for argv in entry.command.lines)


def note_texts(notes: frozenset[Note]) -> list[str]:
    """What the window says about a command's notes, in a fixed order."""
    texts = []
    if Note.SECRET_REMOVED in notes:
        texts.append(tr("A password or secret was removed from the connection URI."))
    if Note.PASSWORD_LEFT_OUT in notes:
        texts.append(
            tr(
                "A password in the definition was left out of the file; run as written, the "
                "command removes that password."
            )
        )
    if Note.FILE in notes:
        texts.append(
            tr("The command reads a definition kvmdesk wrote; Save as Script writes it too.")
        )
    if Note.NO_SINGLE_COMMAND in notes:
        texts.append(tr("No single virsh command makes this change; this defines the saved XML."))
    if Note.IMAGE_FORMAT in notes:
        texts.append(
            tr(
                "virsh saves the image in the format the hypervisor sends (PPM from QEMU); "
                "kvmdesk saves a PNG."
            )
        )
    return texts


def outcome_text(entry: Entry) -> str:
    if entry.outcome is Outcome.RUNNING:
        return tr("Running…")
    if entry.outcome is Outcome.OK:
        return tr("OK")
    return tr("Failed: {0}").format(reveal(entry.error))


class CommandLogModel(QAbstractTableModel):
    """Follows a ``CommandLog``: a row per entry, oldest first."""

    def __init__(self, log: CommandLog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self._entries: list[Entry] = log.entries
        self._unsubscribe = log.subscribe(self._heard)

    def detach(self) -> None:
        self._unsubscribe()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    @property
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def _heard(self, entry: Entry, new: bool) -> None:
        if new:
            if len(self._entries) >= self.log.limit:
                self.beginRemoveRows(QModelIndex(), 0, 0)
                del self._entries[0]
                self.endRemoveRows()
            row = len(self._entries)
            self.beginInsertRows(QModelIndex(), row, row)
            self._entries.append(entry)
            self.endInsertRows()
            return
        for row in range(len(self._entries) - 1, -1, -1):
            if self._entries[row] is entry:
                first, last = self.index(row, 0), self.index(row, len(LogColumn) - 1)
                self.dataChanged.emit(first, last)
                return

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LogColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            LogColumn.TIME: tr("Time"),
            LogColumn.COMMAND: tr("Command"),
            LogColumn.OUTCOME: tr("Outcome"),
        }.get(LogColumn(section))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = LogColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is LogColumn.TIME:
                when = QDateTime.fromMSecsSinceEpoch(int(entry.when * 1000))
                return when.toString("HH:mm:ss")
            if column is LogColumn.COMMAND:
                return shown_command(entry)
            notes = note_texts(entry.command.notes)
            return " ".join([outcome_text(entry), *notes])
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is LogColumn.COMMAND:
                return "\n".join(reveal(line) for line in entry.command.text().split("\n"))
            if column is LogColumn.OUTCOME:
                return "\n".join([outcome_text(entry), *note_texts(entry.command.notes)])
        return None
