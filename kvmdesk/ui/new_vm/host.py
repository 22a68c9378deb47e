"""What the wizard needs to know about the host, fetched once on the worker,
and the searchable list of operating systems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import libvirt
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from kvmdesk.core import messages
from kvmdesk.virt import networks, storage
from kvmdesk.virt.domcaps import HostLimits, host_limits
from kvmdesk.virt.networks import NetworkRecord
from kvmdesk.virt.osinfo import GENERIC, OsRecord
from kvmdesk.virt.provision import is_remote_uri
from kvmdesk.virt.storage import PoolRecord


@dataclass(frozen=True, slots=True)
class HostFacts:
    uri: str
    remote: bool  # files are chosen from storage pools, never from this machine
    session: bool  # qemu:///session: user-mode networking
    limits: HostLimits
    pools: tuple[PoolRecord, ...]
    networks: tuple[NetworkRecord, ...]
    domain_names: frozenset[str]


def _optional(fn: Any, conn: libvirt.virConnect) -> list[Any]:
    """Pools and networks are optional: a driver without them offers none."""
    try:
        return list(fn(conn))
    except libvirt.libvirtError as exc:
        if exc.get_error_code() in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_NO_CONNECT):
            return []
        raise


def gather_facts(conn: libvirt.virConnect) -> HostFacts:
    """Blocking: runs on the connection's worker."""
    uri = conn.getURI()
    names = frozenset(d.name() for d in conn.listAllDomains(0))
    return HostFacts(
        uri=uri,
        remote=is_remote_uri(uri),
        session=urlsplit(uri).path.rstrip("/") == "/session",
        limits=host_limits(conn),
        pools=tuple(_optional(storage.list_pools, conn)),
        networks=tuple(_optional(networks.list_networks, conn)),
        domain_names=names,
    )


OS_ROLE = Qt.ItemDataRole.UserRole + 1


class OsListModel(QAbstractListModel):
    """The operating systems, one row each: "Name" and, greyed, the vendor."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.records: tuple[OsRecord, ...] = ()

    def set_records(self, records: tuple[OsRecord, ...]) -> None:
        self.beginResetModel()
        self.records = records
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return record.name
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [record.name, record.vendor, record.release_date, record.short_id]
            return messages.plain_tooltip("\n".join(p for p in parts if p))
        if role == OS_ROLE:
            return record
        return None


GENERIC_IDS = frozenset(r.short_id for r in GENERIC)


class OsFilter(QSortFilterProxyModel):
    """The search box: every word must appear in the name or the short id;
    the generic choices stay listed whatever is searched for."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        record = model.data(model.index(source_row, 0, source_parent), OS_ROLE)
        if record is None:
            return False
        if record.short_id in GENERIC_IDS:
            return True  # the fallback for an OS the database does not know
        haystack = f"{record.name} {record.short_id} {record.vendor}".lower()
        return all(word in haystack for word in self._words)
