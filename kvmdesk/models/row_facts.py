"""What the search language asks of a tree row, answered from the model's sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.search import Query
from kvmdesk.virt.records import DomainRecord, DomainState

# (connection, uuid) -> a domain's tags / OS / addresses text, as known so far
TagsOf = Callable[[Connection, str], Sequence[str]]
TextOf = Callable[[Connection, str], str]


class RowFacts:
    """One domain as ``core.search.Row``; built per row while matching."""

    __slots__ = ("_addresses", "_conn", "_os", "_rec", "_tags")

    def __init__(
        self, conn: Connection, rec: DomainRecord, tags: TagsOf, os: TextOf, addresses: TextOf
    ) -> None:
        self._conn, self._rec = conn, rec
        self._tags, self._os, self._addresses = tags, os, addresses

    @property
    def name(self) -> str:
        return self._rec.name

    @property
    def state(self) -> DomainState:
        return self._rec.state

    @property
    def host(self) -> str:
        return f"{messages.connection_label(self._conn)} {self._conn.uri}"

    @property
    def tags(self) -> Sequence[str]:
        return self._tags(self._conn, self._rec.uuid)

    @property
    def os(self) -> str:
        return self._os(self._conn, self._rec.uuid)

    @property
    def addresses(self) -> Sequence[str]:
        text = self._addresses(self._conn, self._rec.uuid)
        return text.split(", ") if text else ()

    @property
    def memory_kib(self) -> int:
        return self._rec.memory_kib

    @property
    def vcpus(self) -> int:
        return self._rec.vcpus

    @property
    def cpu(self) -> float | None:
        return self._conn.cpu.get(self._rec.uuid)


def no_tags(_conn: Connection, _uuid: str) -> Sequence[str]:
    return ()


def no_text(_conn: Connection, _uuid: str) -> str:
    return ""


def matcher(
    query: Query, tags: TagsOf = no_tags, os: TextOf = no_text, addresses: TextOf = no_text
) -> Callable[[Connection, DomainRecord], bool]:
    """A function the tree model marks rows with (``DomainTreeModel.set_matcher``)."""
    return lambda conn, rec: query.matches(RowFacts(conn, rec, tags, os, addresses))
