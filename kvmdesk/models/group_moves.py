"""Rows that change groups (a burst of state or tag changes), moved in batches.

A row inserted into or removed from the middle of an expanded branch makes
the tree view lay that branch out again at once (a few milliseconds for
thousands of rows), before the next one: a burst of 1,000 machines
changing state, moved row by row, stopped the window for 30-70 ms per loop
turn.  So rows that change groups are collected, and each loop turn moves
as many as its budget allows inside one layout change, with the model's
row signals held back: the view lays out once, later in the turn.  Qt
keeps persistent indexes (selection, expanded rows, the rows the search
hides) right through the held-back removals and insertions as it does
for any; those on a moving row are pointed at its new row before the old
one goes, so a selected machine stays selected when it changes group.
Groups that appear or empty are added and removed outside it, with their
signals (the tree opens a new group).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QPersistentModelIndex
from PySide6.QtGui import QStandardItem

from kvmdesk.core.connection import Connection
from kvmdesk.models.columns import Role
from kvmdesk.models.group_rows import release
from kvmdesk.models.slicer import TURN
from kvmdesk.models.tree_rows import Quiet

if TYPE_CHECKING:
    from kvmdesk.models.groups import GroupsModel

NO_HINT = QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint
# The overload that names the parents whose rows change.
WITH_PARENTS = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")
MIN_MOVES = 8  # rows moved in any turn, however slow the machine
FIRST_GUESS_S = 0.0002  # what moving one row costs, until measured
# The GUI thread's time for the moves of one turn.  The turn then lays out
# every expanded row again (5-7 ms for 10,000) and repaints the viewport
# (3-4 ms): a turn that moved rows for the slicer's whole 5 ms budget (and
# overshot it to 8-10 ms) took 25-30 ms in all.
MOVE_BUDGET_S = 0.003


class GroupMoves:
    def __init__(self, model: GroupsModel) -> None:
        self.model = model
        self.pending: dict[tuple[Connection, str], None] = {}  # in arrival order
        self.queued = False
        self.row_cost_s = FIRST_GUESS_S  # measured: what moving one row costs

    def add(self, conn: Connection, uuid: str) -> None:
        """``uuid``'s groups changed: its rows move in a later turn."""
        self.pending[(conn, uuid)] = None
        if not self.queued:
            self.queued = True
            self.model.slicer.add(self._job(), now=False)

    def _job(self) -> Iterator[int]:
        try:
            while self.pending:
                yield TURN  # a turn of its own: it ends in a layout change
                yield self.move_some(MOVE_BUDGET_S)
        finally:
            self.queued = False

    def move_some(self, budget_s: float) -> int:
        """Move as many pending rows as ``budget_s`` of the GUI thread's time
        allows; how many moved."""
        model = self.model
        moving: list[tuple[Connection, str]] = []
        parents: dict[int, QStandardItem] = {}
        # As many as the last turns say fit (finding them costs a tenth of moving
        # them), by the thread's own time: waiting for a core is not the rows' cost.
        start = time.thread_time()
        most = max(MIN_MOVES, int(budget_s / self.row_cost_s))
        # The keys are read once per round: taking the first key again and
        # again walks over the gap of every key taken before it.
        while self.pending and len(moving) < most:
            for key in list(itertools.islice(self.pending, most - len(moving))):
                del self.pending[key]
                entry = model.clones.get(key)
                source = model.source_row(*key)
                if entry is None or source is None:  # gone meanwhile: its removal follows
                    continue
                for row in entry.rows:
                    parent = row[0].parent()
                    if parent is not None:
                        parents[id(parent)] = parent
                for group in model.keys_of(*key, source):
                    parent = model.parent_for(key[0], group)  # a new group comes in here
                    parents[id(parent)] = parent
                moving.append(key)
        if moving:
            self._move(moving, [QPersistentModelIndex(p.index()) for p in parents.values()])
            cost = (time.thread_time() - start) / len(moving)
            self.row_cost_s = (self.row_cost_s + cost) / 2
        return len(moving)

    def _move(
        self, moving: list[tuple[Connection, str]], parents: list[QPersistentModelIndex]
    ) -> None:
        """Clone the rows into their new groups, point what Qt keeps of the old
        rows (selection, current row, rows the search hides) at the new ones,
        then take the old rows out."""
        model = self.model
        left: list[str] = []
        model.layoutAboutToBeChanged[WITH_PARENTS].emit(parents, NO_HINT)  # type: ignore[index]
        kept = self._kept(set(moving))
        with Quiet(model), model.counts_held():
            old: list[tuple[str, list[QStandardItem]]] = []
            for conn, uuid in moving:
                entry = model.clones.pop((conn, uuid))
                model.cloned.get(conn, set()).discard(uuid)
                old += zip(entry.keys, entry.rows, strict=True)
                entry.rows = []
                model.add_clone(conn, uuid)  # in their places in their new groups
            for held, conn, uuid, group in kept:
                self._follow(held, conn, uuid, group)
            places: dict[int, tuple[QStandardItem, list[int]]] = {}
            for key, row in old:
                parent = row[0].parent()
                if parent is not None:
                    places.setdefault(id(parent), (parent, []))[1].append(row[0].row())
                row.clear()  # no reference left to the items Qt deletes now
                model.recount(key, -1)
                left.append(key)
            del old
            for parent, positions in places.values():
                for position in sorted(positions, reverse=True):
                    release(parent, position)
                    parent.removeRow(position)
        model.layoutChanged[WITH_PARENTS].emit(parents, NO_HINT)  # type: ignore[index]
        for key in dict.fromkeys(left):
            model.drop_group_if_empty(key)

    def _kept(
        self, moving: set[tuple[Connection, str]]
    ) -> list[tuple[QPersistentModelIndex, Connection, str, str | None]]:
        """The indexes Qt keeps on the moving rows (few: a selection, the current
        row), each with its domain and the group it is in."""
        kept = []
        for index in self.model.persistentIndexList():
            first = index.siblingAtColumn(0)
            if first.data(Role.KIND) != "domain":
                continue
            key = (first.data(Role.CONNECTION), first.data(Role.UUID))
            if key in moving:
                kept.append((QPersistentModelIndex(index), *key, first.parent().data(Role.GROUP)))
        return kept

    def _follow(
        self, held: QPersistentModelIndex, conn: Connection, uuid: str, group: str | None
    ) -> None:
        """Point ``held`` (on an old row) at the domain's new row: the one in the
        same group if it is still in it (by tag), else its first."""
        entry = self.model.clones.get((conn, uuid))
        if not held.isValid() or entry is None or not entry.rows:
            return
        rows = dict(zip(entry.keys, entry.rows, strict=True))
        row = rows.get(group or "", entry.rows[0])
        old = self.model.index(held.row(), held.column(), held.parent())
        self.model.changePersistentIndex(old, row[0].index().siblingAtColumn(held.column()))
