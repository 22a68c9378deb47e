"""What a row of the tree stands for, whichever model shows it.

The window switches between the host tree, the groups model and the
search filter over either; a row is found again in the other by what it
stands for: a domain (connection and UUID), a connection, or a group.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from kvmdesk.core.connection import Connection
from kvmdesk.models.columns import Role

Index = QModelIndex | QPersistentModelIndex
Identity = tuple[Any, ...]


class RowLookups(Protocol):
    def index_of_domain(self, conn: Connection, uuid: str, column: int = 0) -> QModelIndex: ...
    def index_of_connection(self, conn: Connection) -> QModelIndex: ...


def first_column(index: Index) -> QModelIndex:
    """Column 0 of ``index``'s row (also of a persistent index)."""
    model = index.model()
    if model is None or not index.isValid():
        return QModelIndex()
    return model.index(index.row(), 0, index.parent())


def identity_of(index: Index) -> Identity | None:
    """What a row of either tree stands for, whichever model shows it."""
    if not index.isValid():
        return None
    first = first_column(index)
    kind = first.data(Role.KIND)
    if kind == "group":
        return ("group", first.data(Role.GROUP))
    if kind == "connection":
        return ("connection", first.data(Role.CONNECTION))
    if kind == "domain":
        conn = first.data(Role.CONNECTION) or first.parent().data(Role.CONNECTION)
        return ("domain", conn, first.data(Role.UUID))
    return None


def index_of(model: RowLookups, identity: Identity) -> QModelIndex:
    """The row of ``model`` that stands for ``identity`` (invalid when it has none)."""
    if identity[0] == "domain":
        return model.index_of_domain(identity[1], identity[2])
    if identity[0] == "connection":
        return model.index_of_connection(identity[1])
    of_group = getattr(model, "index_of_group", None)
    if identity[0] == "group" and of_group is not None:
        result: QModelIndex = of_group(identity[1])
        return result
    return QModelIndex()
