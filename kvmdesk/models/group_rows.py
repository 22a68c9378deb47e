"""A grouped tree's rows: which groups a domain is in, what a group row shows.

Kept apart from ``groups.py`` (the model that follows the host tree): group
keys, labels and order, the group row's items, the host URIs a drag
carries, and the deletion in slices of rows a grouping left behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.facts import FactBook
from kvmdesk.core.messages import tr
from kvmdesk.core.tree_layout import GroupBy
from kvmdesk.models.columns import NCOLS, Role
from kvmdesk.models.icons import icon, state_icon
from kvmdesk.models.row_identity import Index, first_column
from kvmdesk.models.tree_rows import DECORATION, DISPLAY, Quiet, match_text
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown

HOSTS_MIME = "application/x-kvmdesk-hosts"
NONE = ""  # the key of "No Tags", "Unknown OS", "No Group"
GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
DISCARD_CHUNK = 128  # rows deleted per step when a grouping is left


def os_label(os_id: str) -> str:
    """A libosinfo id as a reader knows it: http://debian.org/debian/12 -> debian 12."""
    path = os_id.split("://", 1)[-1]
    parts = [p for p in path.split("/")[1:] if p]
    return " ".join(parts) if parts else path


def group_keys(
    group_by: GroupBy,
    facts: FactBook,
    host_groups: dict[str, str],
    conn: Connection,
    uuid: str,
    state: Any,
) -> tuple[str, ...]:
    """The keys of the groups a domain belongs to (several for several tags)."""
    if group_by is GroupBy.STATE:  # blocked is running, as the rows say
        value = DomainState.RUNNING.value if state == DomainState.BLOCKED.value else state
        return (str(value),)
    if group_by is GroupBy.TAG:
        tags = tuple(dict.fromkeys(facts.tags(conn, uuid)))
        return tags or (NONE,)
    if group_by is GroupBy.OS:
        return (facts.os(conn, uuid),)
    return (host_groups.get(conn.uri, NONE),)


def group_label(group_by: GroupBy, key: str) -> str:
    if group_by is GroupBy.STATE:
        return messages.state_label(group_state(key))
    if key == NONE:
        return {
            GroupBy.TAG: tr("No Tags"),
            GroupBy.OS: tr("Unknown OS"),
            GroupBy.HOST_GROUP: tr("No Group"),
        }.get(group_by, "")
    return shown(os_label(key) if group_by is GroupBy.OS else key)


def order_key(group_by: GroupBy, key: str) -> str:
    """What a group row sorts by: states in their order, "none" last, else by name."""
    if group_by is GroupBy.STATE:
        return f"{group_state(key).value:03d}"
    if key == NONE:
        return "\uffff"
    return "1" + group_label(group_by, key).casefold()


def group_row(group_by: GroupBy, key: str) -> list[QStandardItem]:
    """A group's row: its name (and icon) and, in the State column, its count."""
    items = [QStandardItem() for _ in range(NCOLS)]
    flags = GROUP_FLAGS
    if group_by is GroupBy.HOST_GROUP:
        flags |= Qt.ItemFlag.ItemIsDropEnabled
    order = order_key(group_by, key)
    for cell in items:
        cell.setFlags(flags)
        cell.setData("group", Role.KIND)
        cell.setData(key, Role.GROUP)
        cell.setData(order, Role.ORDER)
    label = group_label(group_by, key)
    name = items[0]
    name.setColumnCount(NCOLS)  # rows cloned without usage cells still span every column
    name.setData(label, DISPLAY)
    name.setData(label, Role.SORT)
    name.setData(match_text(False), Role.MATCH)  # shown for its matching rows
    if group_by is GroupBy.STATE:
        name.setData(state_icon(group_state(key)), DECORATION)
    else:
        name.setData(icon("group"), DECORATION)
    return items


def hosts_data(indexes: Sequence[QModelIndex]) -> QMimeData:
    """The URIs of the hosts among ``indexes``, for a drag."""
    uris: list[str] = []
    for index in indexes:
        conn = first_column(index).data(Role.CONNECTION)
        if index.data(Role.KIND) == "connection" and conn is not None and conn.uri not in uris:
            uris.append(conn.uri)
    data = QMimeData()
    data.setData(HOSTS_MIME, "\n".join(uris).encode())
    return data


def hosts_of(data: QMimeData) -> list[str]:
    return [u for u in bytes(data.data(HOSTS_MIME).data()).decode().split("\n") if u]


def group_of(index: Index) -> str | None:
    """The key of the group ``index`` is in (or is), or None."""
    index = first_column(index)
    while index.isValid() and index.data(Role.KIND) != "group":
        index = index.parent()
    return index.data(Role.GROUP) if index.isValid() else None


def release(parent: QStandardItem, row: int) -> None:
    """Take the cells of ``parent``'s ``row`` out (the row stays, empty), and so delete them.

    A clone's Python wrapper is kept by its parent's wrapper for as long as
    that lives, even after Qt deleted the row: the 80,000 of a grouping of
    10,000 rows were freed at once when it ended (90 ms).  Taken out, each
    goes now.  Whoever calls this holds no other reference to the cells."""
    for column in range(parent.columnCount()):
        parent.takeChild(row, column)


def discard(rows: list[list[QStandardItem]], model: QStandardItemModel) -> Iterator[int]:
    """Delete rows a grouping left behind, a hundred or so rows per slice:
    rows built but never put in ``model``, and its top rows, which leave it
    once emptied.

    Nothing else refers to them any more; ``rows`` holds the top items
    until they are empty, then lets them go."""
    stack = [items[0] for items in rows]
    quiet = Quiet(model)
    while stack:
        item = stack[-1]
        count = item.rowCount()
        if not count:
            stack.pop()
            continue
        chunk = min(DISCARD_CHUNK, count)
        below = [item.child(r, 0) for r in range(count - chunk, count)]
        deeper = next((child for child in below if child is not None and child.rowCount()), None)
        if deeper is not None:
            stack.append(deeper)  # its rows first (a host in a host group)
            continue
        del below
        with quiet:  # each cell taken out of the model says it changed: no one listens
            for row in range(count - chunk, count):
                release(item, row)
        item.removeRows(count - chunk, chunk)
        yield chunk
    shown = [items[0].row() for items in rows if items[0].model() is model]
    rows.clear()
    root = model.invisibleRootItem()
    for position in sorted(shown, reverse=True):
        with quiet:
            release(root, position)
        model.removeRow(position)
    yield 1


def group_state(key: str) -> DomainState:
    try:
        return DomainState(int(key))
    except ValueError:
        return DomainState.NOSTATE
