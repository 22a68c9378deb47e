"""The tree's columns, custom roles and constant item flags."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt


class Column(enum.IntEnum):
    NAME = 0
    STATE = 1
    VCPUS = 2
    MEMORY = 3
    CPU = 4
    ADDRESS = 5  # optional, hidden by default (see models.addresses)


NCOLS = len(Column)
SORT_SENSITIVE = (Column.NAME, Column.STATE, Column.VCPUS, Column.MEMORY)
NUMERIC = (Column.VCPUS, Column.MEMORY, Column.CPU)  # right-aligned
OPTIONAL = (Column.ADDRESS,)  # hidden until ticked in the header's menu


CONNECTION_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
DOMAIN_FLAGS = CONNECTION_FLAGS | Qt.ItemFlag.ItemNeverHasChildren


class Role(enum.IntEnum):
    SORT = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2  # "connection" or "domain"
    UUID = Qt.ItemDataRole.UserRole + 3
    CONNECTION = Qt.ItemDataRole.UserRole + 4
    RECORD = Qt.ItemDataRole.UserRole + 5
    ORDER = Qt.ItemDataRole.UserRole + 6  # the string Qt sorts a column's rows by
    MATCH = Qt.ItemDataRole.UserRole + 7  # "1" when the row matches the search
    GROUP = Qt.ItemDataRole.UserRole + 8  # a group row's key (models.groups)


def format_memory(kib: int) -> str:
    mib = kib / 1024
    if mib >= 1024:
        return f"{mib / 1024:.1f} GiB"
    return f"{mib:.0f} MiB"
