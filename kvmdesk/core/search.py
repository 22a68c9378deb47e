"""The search box's language: a query read once, then matched against every row.

    web state:running -tag:legacy mem>4G cpu>50% host:rack1 os:linux ip:10.0.

* a free word matches the name or a tag (case-insensitive, any part of it);
* ``field:value`` matches a part of ``name``, ``host``, ``tag``, ``os``,
  ``ip``; ``state:`` takes a state (running, paused, shutoff, ...);
  several values separated by commas match any of them (``state:paused,crashed``);
* ``mem``, ``cpu`` and ``vcpus`` compare with ``>``, ``>=``, ``<``, ``<=``,
  ``=`` or ``:``: ``mem>4G`` (units K, M, G, T, with or without "iB"; a bare
  number is MiB), ``cpu>50%`` (percent of the domain's vCPUs), ``vcpus>=4``;
* ``-term``, ``!term`` or ``NOT term`` negates; terms must all match, and
  ``OR`` between terms matches either side (AND binds first);
* quotes keep spaces and colons in a value: ``name:"web 01"``, ``"a:b"``.

A query that cannot be read raises ``SearchError`` with the character
position where reading stopped, so the box can point at it.

A query answers for many rows at once (``Query.select``): each term runs
over a column of the rows' facts (``Table``: every name, casefolded, in
one list) and the terms' answers are combined column by column, a few
list comprehensions per key instead of a chain of Python calls per row
(10,000 rows: 2-3 ms instead of 25).  ``Query.matches`` is the same for
one row.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kvmdesk.core.messages import tr
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown

MAX_QUERY = 10_000  # characters; longer input is refused, not cut


class Row(Protocol):
    """What a query can ask about a domain's row."""

    @property
    def name(self) -> str: ...
    @property
    def state(self) -> DomainState: ...
    @property
    def host(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def os(self) -> str: ...
    @property
    def addresses(self) -> Sequence[str]: ...
    @property
    def memory_kib(self) -> int: ...
    @property
    def vcpus(self) -> int: ...
    @property
    def cpu(self) -> float | None: ...


class SearchError(ValueError):
    """The query cannot be read; ``position`` is a 0-based character offset."""

    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message

    def __str__(self) -> str:
        return tr("{0} (at character {1})").format(self.message, self.position + 1)


# A column's fact per row.  Text is casefolded; a row's tags (and the name
# with them, for free words) and addresses are joined by NUL, which no name,
# tag or address holds (C strings, XML), so a value without one matches the
# joined text where it matches one of its parts.  Numbers are floats, the
# CPU None where not measured yet.
COLUMNS = ("name", "word", "host", "tag", "os", "ip", "state", "mem", "vcpus", "cpu")
NUL = "\x00"
_ROW_FACTS: dict[str, Callable[[Row], Any]] = {
    "name": lambda row: row.name.casefold(),
    "word": lambda row: NUL.join((row.name, *row.tags)).casefold(),
    "host": lambda row: row.host.casefold(),
    "tag": lambda row: NUL.join(row.tags).casefold(),
    "os": lambda row: row.os.casefold(),
    "ip": lambda row: NUL.join(row.addresses).casefold(),
    "state": lambda row: row.state,
    "mem": lambda row: float(row.memory_kib),
    "vcpus": lambda row: float(row.vcpus),
    "cpu": lambda row: row.cpu,
}


class Table:
    """Many rows' facts, a column per field (``COLUMNS``), each one read
    (``read(field)``: a list with one fact per row) only once a term asks."""

    __slots__ = ("_columns", "_read", "size")

    def __init__(self, size: int, read: Callable[[str], list[Any]]) -> None:
        self.size = size
        self._read = read
        self._columns: dict[str, list[Any]] = {}

    def __getitem__(self, field: str) -> list[Any]:
        column = self._columns.get(field)
        if column is None:
            column = self._columns[field] = self._read(field)
        return column


def table_of(rows: Sequence[Row]) -> Table:
    """The table of rows that answer ``Row``'s questions one by one."""
    return Table(len(rows), lambda field: list(map(_ROW_FACTS[field], rows)))


# A term: each row's answer, a column at a time.
Predicate = Callable[[Table], list[bool]]

TEXT_FIELDS = ("name", "host", "tag", "os", "ip")
NUMBER_FIELDS = ("mem", "cpu", "vcpus")
ALIASES = {"memory": "mem", "tags": "tag", "addr": "ip", "vcpu": "vcpus", "is": "state"}
STATES: dict[str, tuple[DomainState, ...]] = {
    "running": (DomainState.RUNNING, DomainState.BLOCKED),
    "paused": (DomainState.PAUSED,),
    "shutoff": (DomainState.SHUTOFF,),
    "off": (DomainState.SHUTOFF,),
    "stopped": (DomainState.SHUTOFF,),
    "shutdown": (DomainState.SHUTDOWN,),
    "crashed": (DomainState.CRASHED,),
    "suspended": (DomainState.PMSUSPENDED,),
    "saved": (DomainState.SAVED, DomainState.SAVED_TO_FILE),
    "unknown": (DomainState.NOSTATE,),
}
_UNITS = {"": 1024, "k": 1, "m": 1024, "g": 1024**2, "t": 1024**3}
_NUMBER = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)", re.IGNORECASE)
_FIELD = re.compile(r"([A-Za-z]+)(>=|<=|>|<|=|:)")
_SPACE = frozenset(" \t\n\r\f\v")
_STOP = frozenset(' \t\n\r\f\v"')


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str  # as typed, quotes included
    start: int


@dataclass(frozen=True, slots=True)
class Query:
    """A read query; ``matches`` answers for one row."""

    text: str
    groups: tuple[tuple[Predicate, ...], ...]  # OR of ANDs
    fields: frozenset[str] = frozenset()  # asked about ("word" for free words)

    @property
    def empty(self) -> bool:
        return not self.groups

    def matches(self, row: Row) -> bool:
        return self.select(table_of((row,)))[0]

    def select(self, table: Table) -> list[bool]:
        """Whether each of the table's rows matches."""
        if not self.groups:
            return [True] * table.size
        found: list[bool] | None = None
        for group in self.groups:
            every: list[bool] | None = None
            for predicate in group:
                answers = predicate(table)
                every = answers if every is None else list(map(operator.and_, every, answers))
                if not any(every):
                    break  # no row left for the group's other terms
            assert every is not None  # a group holds a term
            found = every if found is None else list(map(operator.or_, found, every))
        assert found is not None
        return found


def parse(text: str) -> Query:
    """Read ``text``; raises ``SearchError`` saying where it could not."""
    if len(text) > MAX_QUERY:
        raise SearchError(MAX_QUERY, tr("The search is too long."))
    groups: list[tuple[Predicate, ...]] = []
    current: list[Predicate] = []
    negate_at: int | None = None
    last_or: int | None = None
    fields: set[str] = set()
    for token in _tokens(text):
        if token.raw == "OR":
            if negate_at is not None:
                raise SearchError(token.start, tr("“NOT” needs a term after it."))
            if not current:
                raise SearchError(token.start, tr("“OR” needs a term on each side."))
            groups.append(tuple(current))
            current, last_or = [], token.start
            continue
        if token.raw == "NOT":
            if negate_at is not None:
                raise SearchError(token.start, tr("“NOT” needs a term after it."))
            negate_at = token.start
            continue
        predicate = _term(token, fields)
        if negate_at is not None:
            predicate = _negated(predicate)
            negate_at = None
        current.append(predicate)
    if negate_at is not None:
        raise SearchError(negate_at, tr("“NOT” needs a term after it."))
    if current:
        groups.append(tuple(current))
    elif last_or is not None:
        raise SearchError(last_or, tr("“OR” needs a term on each side."))
    return Query(text, tuple(groups), frozenset(fields))


def _tokens(text: str) -> list[_Token]:
    """Split at spaces outside quotes; a quote may start anywhere in a token."""
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in _SPACE:
            i += 1
            continue
        start = i
        while i < n and text[i] not in _SPACE:
            if text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise SearchError(i, tr("This quote is not closed."))
                i = end + 1
            else:
                i += 1
        out.append(_Token(text[start:i], start))
    return out


def _unquote(raw: str) -> str:
    """The text of a token part with its quotes taken out (quotes are balanced)."""
    return raw.replace('"', "")


def _negated(predicate: Predicate) -> Predicate:
    return lambda table: [not answer for answer in predicate(table)]


def _term(token: _Token, fields: set[str]) -> Predicate:
    raw, start = token.raw, token.start
    if raw[:1] in ("-", "!"):
        if len(raw) == 1:
            raise SearchError(start, tr("“{0}” needs a term after it.").format(raw))
        return _negated(_term(_Token(raw[1:], start + 1), fields))
    match = _FIELD.match(raw)
    if match is None:
        fields.add("word")
        return _free_word(_unquote(raw))
    name, op = match.group(1), match.group(2)
    field = ALIASES.get(name.lower(), name.lower())
    if field not in TEXT_FIELDS and field not in NUMBER_FIELDS and field != "state":
        known = ", ".join((*TEXT_FIELDS, "state", *NUMBER_FIELDS))
        raise SearchError(
            start,
            tr("Unknown field “{0}”: use one of {1}, or put the text in quotes.").format(
                shown(name), known
            ),
        )
    value_at = start + match.end()
    value_raw = raw[match.end() :]
    fields.add(field)
    if field in NUMBER_FIELDS:
        return _number_term(field, op, _unquote(value_raw), value_at)
    if op not in (":", "="):
        raise SearchError(start + len(name), tr("“{0}” compares text: use “{0}:”.").format(field))
    if not _unquote(value_raw):
        raise SearchError(value_at, tr("“{0}:” needs a value after it.").format(field))
    values = _values(value_raw, value_at)
    if field == "state":
        return _state_term(values)
    return _text_term(field, [v.casefold() for v, _ in values])


def _values(raw: str, at: int) -> list[tuple[str, int]]:
    """Comma-separated values (commas inside quotes belong to the value)."""
    out: list[tuple[str, int]] = []
    part_start, in_quote = 0, False
    for i, ch in enumerate(raw + ","):
        if ch == '"':
            in_quote = not in_quote
        elif ch == "," and not in_quote:
            value = _unquote(raw[part_start:i])
            if value:
                out.append((value, at + part_start))
            part_start = i + 1
    return out


def _nothing(table: Table) -> list[bool]:
    return [False] * table.size


def _free_word(word: str) -> Predicate:
    """The name or a tag holds ``word``."""
    return _text_term("word", [word.casefold()])


def _text_term(field: str, values: list[str]) -> Predicate:
    """The field (or one of its parts) holds one of the casefolded ``values``."""
    # No part holds a NUL: a value with one matches no row (in the joined
    # text, it could match across two parts).
    values = [v for v in values if NUL not in v]
    if not values:
        return _nothing
    if len(values) == 1:
        value = values[0]
        return lambda table: [value in text for text in table[field]]
    return lambda table: [any(v in text for v in values) for text in table[field]]


def _state_term(values: list[tuple[str, int]]) -> Predicate:
    wanted: set[DomainState] = set()
    for value, at in values:
        states = STATES.get(value.casefold().replace(" ", "").replace("-", ""))
        if states is None:
            raise SearchError(
                at,
                tr("Unknown state “{0}”: use one of {1}.").format(shown(value), ", ".join(STATES)),
            )
        wanted.update(states)
    return lambda table: [state in wanted for state in table["state"]]


def _number_term(field: str, op: str, value: str, at: int) -> Predicate:
    if not value:
        raise SearchError(at, tr("“{0}” needs a number after it.").format(field + op))
    match = _NUMBER.fullmatch(value[:-1] if field == "cpu" and value.endswith("%") else value)
    if match is None:
        raise SearchError(at, tr("“{0}” is not a number.").format(shown(value)))
    number, unit = float(match.group(1)), match.group(2).lower()
    unit_at = at + match.start(2)
    if field == "mem":
        key = unit[:1]
        if unit not in ("", key, key + "b", key + "ib") or key not in _UNITS:
            raise SearchError(
                unit_at, tr("Unknown unit “{0}”: use K, M, G or T.").format(shown(unit))
            )
        limit = number * _UNITS[key]
    elif field == "cpu":
        if unit:
            raise SearchError(unit_at, tr("CPU is compared in percent, as in “cpu>50%”."))
        limit = number
    else:
        if unit:
            raise SearchError(unit_at, tr("“{0}” is not a number.").format(shown(value)))
        limit = number

    compare: Callable[[float, float], bool] = {
        ">": operator.gt,
        ">=": operator.ge,
        "<": operator.lt,
        "<=": operator.le,
        "=": operator.eq,
        ":": operator.eq,
    }[op]

    def matches(table: Table) -> list[bool]:
        # A figure not measured yet (None) is never compared.
        return [m is not None and compare(m, limit) for m in table[field]]

    return matches
