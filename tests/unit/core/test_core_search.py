"""The search language: what each term matches, and where a bad query stops."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kvmdesk.core.search import MAX_QUERY, SearchError, Table, parse, table_of
from kvmdesk.virt.records import DomainState

GIB = 1024 * 1024  # KiB


@dataclass
class Row:
    name: str
    state: DomainState = DomainState.RUNNING
    host: str = "rack1"
    tags: tuple[str, ...] = ()
    os: str = "linux"
    addresses: tuple[str, ...] = ()
    memory_kib: int = 2 * GIB
    vcpus: int = 2
    cpu: float | None = None


ROWS = [
    Row("web-01", tags=("prod", "web"), addresses=("10.0.0.5",), memory_kib=8 * GIB, cpu=75.0),
    Row("web-02", DomainState.PAUSED, tags=("prod",), memory_kib=4 * GIB, cpu=0.0),
    Row("db-01", DomainState.SHUTOFF, host="rack2", tags=("legacy",), os="freebsd", vcpus=8),
    Row("Build <&> Box", DomainState.CRASHED, host="laptop", os="windows", cpu=None),
]


def names(query: str) -> list[str]:
    """The rows matching ``query``, row by row and all at once (the same)."""
    q = parse(query)
    one_by_one = [r.name for r in ROWS if q.matches(r)]
    at_once = [r.name for r, found in zip(ROWS, q.select(table_of(ROWS)), strict=True) if found]
    assert at_once == one_by_one
    return at_once


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["web-01", "web-02", "db-01", "Build <&> Box"]),
        ("   ", ["web-01", "web-02", "db-01", "Build <&> Box"]),
        ("WEB", ["web-01", "web-02"]),
        ("legacy", ["db-01"]),  # a free word also matches a tag
        ("web 01", ["web-01"]),  # every word must match
        ("name:db", ["db-01"]),
        ("NAME:DB", ["db-01"]),
        ("state:running", ["web-01"]),
        ("state:paused,crashed", ["web-02", "Build <&> Box"]),
        ("state:off", ["db-01"]),
        ("is:Shut-Off", ["db-01"]),
        ("host:rack", ["web-01", "web-02", "db-01"]),
        ("host:rack2", ["db-01"]),
        ("tag:prod", ["web-01", "web-02"]),
        ("tag:prod,legacy", ["web-01", "web-02", "db-01"]),
        ("-tag:prod", ["db-01", "Build <&> Box"]),
        ("!tag:prod", ["db-01", "Build <&> Box"]),
        ("NOT tag:prod", ["db-01", "Build <&> Box"]),
        ("os:bsd", ["db-01"]),
        ("ip:10.0.", ["web-01"]),
        ("mem>4G", ["web-01"]),
        ("mem>=4G", ["web-01", "web-02"]),
        ("mem<4GiB", ["db-01", "Build <&> Box"]),
        ("memory=2048", ["db-01", "Build <&> Box"]),  # a bare number is MiB
        ("mem>4096M", ["web-01"]),
        ("mem<0.5t", ["web-01", "web-02", "db-01", "Build <&> Box"]),
        ("cpu>50%", ["web-01"]),
        ("cpu<50", ["web-02"]),  # not measured yet: never compared
        ("vcpus>=4", ["db-01"]),
        ("state:running OR state:paused", ["web-01", "web-02"]),
        ("tag:prod -state:paused OR os:windows", ["web-01", "Build <&> Box"]),
        ('"<&>"', ["Build <&> Box"]),
        ('name:"build <&> box"', ["Build <&> Box"]),
        ('"a:b"', []),  # quoted: a free word, not a field
        ('-"web-0"', ["db-01", "Build <&> Box"]),
        ('"-01"', ["web-01", "db-01"]),  # a quoted dash is text
        ("or", []),  # lower-case "or" is a word
    ],
)
def test_terms_match(query: str, expected: list[str]) -> None:
    assert names(query) == expected


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("web colour:red", 4, "Unknown field"),
        ("name:", 5, "needs a value"),
        ("state:runing", 6, "Unknown state"),
        ("state:running,paws", 14, "Unknown state"),
        ('name:"web', 5, "quote is not closed"),
        ("mem>lots", 4, "is not a number"),
        ("mem>4X", 5, "Unknown unit"),
        ("mem>", 4, "needs a number"),
        ("cpu>50G", 6, "percent"),
        ("vcpus>2G", 7, "is not a number"),
        ("name>web", 4, "compares text"),
        ("web -", 4, "needs a term"),
        ("web NOT", 4, "needs a term"),
        ("NOT NOT web", 4, "needs a term"),
        ("OR web", 0, "on each side"),
        ("web OR", 4, "on each side"),
        ("web OR OR db", 7, "on each side"),
    ],
)
def test_unreadable_queries_say_where(query: str, position: int, words: str) -> None:
    with pytest.raises(SearchError) as caught:
        parse(query)
    assert caught.value.position == position
    assert words in caught.value.message
    assert f"at character {position + 1}" in str(caught.value)


def test_values_in_errors_cannot_disguise_themselves() -> None:
    with pytest.raises(SearchError) as caught:
        parse("state:\u202egninnur")
    assert "\u202e" not in caught.value.message
    assert "U+202E" in caught.value.message


def test_bidi_controls_are_searched_as_they_are() -> None:
    rows = [Row("evil\u202egpj.exe"), Row("evilexe.jpg")]
    query = parse("name:\u202egpj")
    assert [r.name for r in rows if query.matches(r)] == ["evil\u202egpj.exe"]


def test_a_long_query_is_read_in_linear_time_and_too_long_is_refused() -> None:
    long_word = "x" * (MAX_QUERY - 5)
    assert parse(f"name:{long_word}").matches(Row("a" + long_word)) is True
    many = " ".join(["-tag:t"] * (MAX_QUERY // 7))
    assert parse(many).matches(Row("a"))
    with pytest.raises(SearchError) as caught:
        parse("x" * (MAX_QUERY + 1))
    assert caught.value.position == MAX_QUERY
    assert "too long" in caught.value.message


def test_xml_special_characters_are_plain_text() -> None:
    rows = [Row("a&amp;b"), Row("a&b"), Row("<script>")]
    assert [r.name for r in rows if parse("&amp;").matches(r)] == ["a&amp;b"]
    assert [r.name for r in rows if parse("name:<script>").matches(r)] == ["<script>"]


def test_a_query_says_which_fields_it_asks_about() -> None:
    assert parse("").fields == frozenset()
    assert parse("web -tag:x OR os:linux mem>1G").fields == {"word", "tag", "os", "mem"}
    assert parse("is:running").fields == {"state"}


def test_a_value_never_matches_across_two_tags_or_the_name_and_a_tag() -> None:
    # web-01's free-word text is its name and tags; no NUL between them matches.
    assert names("web") == ["web-01", "web-02"]
    assert names("01\x00prod") == []
    assert names("tag:prod\x00web") == []
    assert names("tag:prod,prod\x00web") == ["web-01", "web-02"]  # the other value still does
    assert names("-tag:prod\x00web") == ["web-01", "web-02", "db-01", "Build <&> Box"]


def test_a_table_reads_only_the_columns_a_query_asks_for_once() -> None:
    read: list[str] = []
    facts = table_of(ROWS)

    def column(field: str) -> list[object]:
        read.append(field)
        return facts[field]

    query = parse("name:web state:running OR name:db")
    assert query.select(Table(len(ROWS), column)) == [True, False, True, False]
    assert sorted(read) == ["name", "state"]  # each once, nothing else
    assert parse("web -db").select(Table(0, lambda _field: [])) == []
    assert parse("").select(Table(3, column)) == [True, True, True]
