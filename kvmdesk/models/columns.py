"""The tree's columns, custom roles and constant item flags."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt

from kvmdesk.core.messages import tr


class Column(enum.IntEnum):
    NAME = 0
    STATE = 1
    VCPUS = 2
    MEMORY = 3
    CPU = 4
    ADDRESS = 5  # optional, hidden by default (see models.addresses)
    MEMORY_USE = 6  # optional usage columns, hidden by default (see models.usage)
    DISK_IO = 7
    NETWORK_IO = 8


NCOLS = len(Column)
SORT_SENSITIVE = (Column.NAME, Column.STATE, Column.VCPUS, Column.MEMORY)
USAGE = (Column.MEMORY_USE, Column.DISK_IO, Column.NETWORK_IO)  # from the stats tick
NUMERIC = (Column.VCPUS, Column.MEMORY, Column.CPU, *USAGE)  # right-aligned
OPTIONAL = (Column.ADDRESS, *USAGE)  # hidden until ticked in the header's menu


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


def format_rate(per_second: float) -> str:
    """Bytes per second in the unit that reads best."""
    value = float(per_second)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            number = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return tr("{0} {1}/s").format(number, unit)
        value /= 1024
    raise AssertionError("unreachable")
