"""What the search language asks of the tree's rows, answered from the model's sources.

A query reads a connection's rows a column at a time (``core.search.Table``):
the names of a slice of rows in one list, their tags in another, each made
only when a term asks for it, straight from the records and the books that
know the rest (tags, OS, addresses).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.search import NUL, Query, Table
from kvmdesk.virt.records import DomainRecord

# (connection, uuid) -> a domain's tags / OS / addresses text, as known so far
TagsOf = Callable[[Connection, str], Sequence[str]]
TextOf = Callable[[Connection, str], str]
Words = dict[str, str]  # uuid -> a row's name and tags, casefolded, for free words


def no_tags(_conn: Connection, _uuid: str) -> Sequence[str]:
    return ()


def no_text(_conn: Connection, _uuid: str) -> str:
    return ""


class RowMatcher:
    """Marks rows for ``DomainTreeModel.set_matcher``: one row (called), or
    many of a connection's at once (``select``)."""

    __slots__ = ("_addresses", "_os", "_tags", "query")

    def __init__(self, query: Query, tags: TagsOf, os: TextOf, addresses: TextOf) -> None:
        self.query = query
        self._tags, self._os, self._addresses = tags, os, addresses

    @property
    def fields(self) -> frozenset[str]:
        """What the query asks about (``Query.fields``): the marks change with these only."""
        return self.query.fields

    def __call__(self, conn: Connection, rec: DomainRecord) -> bool:
        return self.select(conn, (rec,))[0]

    def select(
        self, conn: Connection, recs: Sequence[DomainRecord], words: Words | None = None
    ) -> list[bool]:
        """Whether each of ``conn``'s ``recs`` matches.  ``words``: each
        row's free-word text (its ``word`` column) by uuid, kept by the
        caller while the row's name and tags stay; filled in here."""
        return self.query.select(
            Table(len(recs), lambda field: self._column(field, conn, recs, words))
        )

    def _column(
        self, field: str, conn: Connection, recs: Sequence[DomainRecord], words: Words | None
    ) -> list[Any]:
        """One of ``core.search.COLUMNS`` for ``recs``."""
        tags, os, addresses = self._tags, self._os, self._addresses
        if field == "name":
            return [r.name.casefold() for r in recs]
        if field == "word":
            if words is None:
                return [NUL.join((r.name, *tags(conn, r.uuid))).casefold() for r in recs]
            column = [words.get(r.uuid) for r in recs]
            for i, text in enumerate(column) if None in column else ():
                if text is None:
                    rec = recs[i]
                    text = words[rec.uuid] = NUL.join((rec.name, *tags(conn, rec.uuid))).casefold()
                    column[i] = text
            return column
        if field == "tag":
            return [NUL.join(tags(conn, r.uuid)).casefold() for r in recs]
        if field == "host":
            return [f"{messages.connection_label(conn)} {conn.uri}".casefold()] * len(recs)
        if field == "os":
            return [os(conn, r.uuid).casefold() for r in recs]
        if field == "ip":  # the addresses' text separates them with ", "
            return [addresses(conn, r.uuid).replace(", ", NUL).casefold() for r in recs]
        if field == "state":
            return [r.state for r in recs]
        if field == "mem":
            return [float(r.memory_kib) for r in recs]
        if field == "vcpus":
            return [float(r.vcpus) for r in recs]
        cpu = conn.cpu  # "cpu": None where not measured yet
        return [cpu.get(r.uuid) for r in recs]


def matcher(
    query: Query, tags: TagsOf = no_tags, os: TextOf = no_text, addresses: TextOf = no_text
) -> RowMatcher:
    """What the tree model marks rows with (``DomainTreeModel.set_matcher``)."""
    return RowMatcher(query, tags, os, addresses)
