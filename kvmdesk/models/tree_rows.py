"""The tree's items: what a connection's rows hold, and small writers for them.

Kept apart from ``tree.py`` (the model and its jobs): prototypes that rows
are cloned from, quiet writes, marks, tooltips.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QPalette, QStandardItem

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.models.columns import (
    DOMAIN_FLAGS,
    NCOLS,
    NUMERIC,
    USAGE,
    Column,
    Role,
    format_memory,
)
from kvmdesk.models.icons import state_icon
from kvmdesk.virt.records import DomainRecord
from kvmdesk.virt.shown import shown

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
DECORATION = Qt.ItemDataRole.DecorationRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole


class ConnNode:
    """A connection's row, its domain rows' items and the work queued for them."""

    __slots__ = (
        "applied",
        "conn",
        "cpu_shown",
        "item",
        "keyed",
        "pending",
        "removed",
        "rows",
        "slots",
        "sorted_by",
        "stale",
        "unmatched",
        "words",
    )

    def __init__(self, conn: Connection, item: QStandardItem) -> None:
        self.conn = conn
        self.item = item  # column 0 of the connection's row
        self.rows: dict[str, list[QStandardItem]] = {}  # uuid -> the row's items
        self.applied: dict[str, DomainRecord] = {}  # what the items show
        self.cpu_shown: dict[str, int | None] = {}  # whole CPU % in the cells
        self.pending: dict[str, DomainRecord] = {}  # new or changed, not applied yet
        # Per column whose key is the record's alone (state, vCPUs, memory):
        # the record each row's key (Role.ORDER) was written from.
        self.keyed: dict[int, dict[str, DomainRecord]] = {}
        self.removed = False
        self.stale = False  # rows drawn as stale (the link is down)
        # (column, order) the rows are in: they stay in it as rows come and change.
        self.sorted_by: tuple[int, Qt.SortOrder] = (Column.NAME, Qt.SortOrder.AscendingOrder)
        self.slots: list[tuple[Any, Any]] = []
        # Rows marked as not matching the search (``Role.MATCH``), kept here
        # too: reading a mark back from its item cost more than matching.
        self.unmatched: set[str] = set()
        # Each row's name and tags casefolded, as free words search them
        # (``RowMatcher.select``); dropped as the name or the tags change.
        self.words: dict[str, str] = {}


def prototypes() -> list[QStandardItem]:
    """One item per column with what never changes; rows are clones of these."""
    protos = []
    for column in range(NCOLS):
        item = QStandardItem()
        item.setFlags(DOMAIN_FLAGS)
        # The roles Qt sorts by come next, before the others: an item keeps
        # its roles in a list in the order they were first set, and a sort's
        # every comparison walks it (sorting 10,000 rows by name took 20 %
        # less with its key second instead of eighth).  Placeholders: the
        # row's own values replace them in place.
        item.setData("", Role.ORDER)
        item.setData(0, Role.SORT)
        item.setData("domain", Role.KIND)
        if column in NUMERIC:
            item.setData(RIGHT, Qt.ItemDataRole.TextAlignmentRole)
        protos.append(item)
    protos[Column.NAME].setData(match_text(True), Role.MATCH)
    protos[Column.CPU].setData("", DISPLAY)
    protos[Column.CPU].setData(-1.0, Role.SORT)  # not measured yet
    protos[Column.ADDRESS].setData("", DISPLAY)
    protos[Column.ADDRESS].setData("", Role.SORT)
    for column in USAGE:
        protos[column].setData("", DISPLAY)
        protos[column].setData(-1.0, Role.SORT)  # not measured yet
    return protos


def set_value(item: QStandardItem, column: int, value: Any) -> None:
    """A state, vCPU or memory cell's text, icon and sort value."""
    if column == Column.STATE:
        item.setData(messages.state_label(value), DISPLAY)
        item.setData(state_icon(value), DECORATION)
        item.setData(int(value), Role.SORT)
    elif column == Column.VCPUS:
        item.setData(str(value) if value else "", DISPLAY)  # 0: not reported in bulk
        item.setData(value, Role.SORT)
    elif column == Column.MEMORY:
        item.setData(format_memory(value) if value else "", DISPLAY)
        item.setData(value, Role.SORT)


class Quiet:
    """``with quiet:`` writes items without the model's signals."""

    __slots__ = ("_blocked", "_model")

    def __init__(self, model: QObject) -> None:
        self._model = model
        self._blocked = False

    def __enter__(self) -> None:
        self._blocked = self._model.blockSignals(True)

    def __exit__(self, *_exc: object) -> None:
        self._model.blockSignals(self._blocked)


def live_rows(node: ConnNode) -> Iterator[tuple[str, list[QStandardItem]]]:
    """The node's rows (uuid, items), until the connection is removed."""
    for uuid in list(node.rows):
        if node.removed:
            return
        items = node.rows.get(uuid)
        if items is not None:
            yield uuid, items


def take_pending(node: ConnNode, order: Iterable[str] = ()) -> Iterator[tuple[str, DomainRecord]]:
    """The node's pending records, each taken out of ``pending`` as it is
    handed over: first those of ``order`` (in that order, as they are now),
    then the rest oldest first; records queued meanwhile come too.

    The keys are read once per round: taking the first key again and again
    walks over the gap of every key taken before it (a dict does not close
    them), quadratic in a first listing (at 10,000 rows, 3 ms of each pass
    near the end)."""
    rounds = itertools.chain([order], iter(lambda: list(node.pending), []))
    for uuids in rounds:
        if node.removed or not node.pending:
            return
        for uuid in uuids:
            record = node.pending.pop(uuid, None)
            if node.removed:
                return
            if record is not None:  # else gone meanwhile
                yield uuid, record


def name_tooltip(name: str, tags: tuple[str, ...]) -> str:
    if not tags:
        return name
    return tr("{0}\nTags: {1}").format(name, ", ".join(shown(t) for t in tags))


def name_tip(rec: DomainRecord, tags: tuple[str, ...]) -> str:
    """The name's tooltip: the name, and the tags."""
    return messages.plain_tooltip(name_tooltip(shown(rec.name), tags))


def match_text(matches: bool) -> str:
    return "1" if matches else "0"


def stale_brush() -> Any:
    """Rows of a connection whose link is down are drawn as disabled text."""
    return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
