"""virt.shown: names from a host cannot disguise themselves."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvmdesk.virt.plan_checks import PlanInputError, check_name_text
from kvmdesk.virt.shown import FSI, PDI, describe_hidden, hidden_characters, reveal, shown


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # An outside review: these read as "evilexe.jpg" and "web-prod".
        ("evil\u202egpj.exe", "evil<U+202E>gpj.exe"),
        ("\u202edorp-bew", "<U+202E>dorp-bew"),
        # Invisible: zero-width space, joiner and non-joiner, word joiner, BOM.
        ("web\u200b-prod", "web<U+200B>-prod"),
        ("web\u200d-prod", "web<U+200D>-prod"),
        ("web\u200c-prod", "web<U+200C>-prod"),
        ("web\u2060-prod", "web<U+2060>-prod"),
        ("\ufeffweb", "<U+FEFF>web"),
        # Letters and marks that show as nothing, soft hyphen.
        ("\u3164", "<U+3164>"),
        ("a\u115fb", "a<U+115F>b"),
        ("a\u034fb", "a<U+034F>b"),
        ("a\u00adb", "a<U+00AD>b"),
        # Every embedding, override, isolate and mark.
        ("a\u202ab\u202cc", "a<U+202A>b<U+202C>c"),
        ("a\u2066b\u2069c", "a<U+2066>b<U+2069>c"),
        ("a\u200fb\u061c", "a<U+200F>b<U+061C>"),
        # Control characters, line separators, spaces other than U+0020.
        ("a\nb\tc\x1b", "a<U+000A>b<U+0009>c<U+001B>"),
        ("a\u2028b", "a<U+2028>b"),
        ("a\u00a0b\u2009c", "a<U+00A0>b<U+2009>c"),
        # Tag characters (invisible ASCII look-alikes).
        ("a\U000e0041b", "a<U+E0041>b"),
    ],
)
def test_hidden_characters_are_written_out(name: str, expected: str) -> None:
    assert reveal(name) == expected
    assert shown(name) == FSI + expected + PDI
    assert hidden_characters(name)
    assert check_hidden_refused(name)


def check_hidden_refused(name: str) -> bool:
    """The New VM wizard does not make such a name."""
    try:
        check_name_text(name.strip() or "x" + name)
    except PlanInputError as exc:
        return exc.reason in ("hidden", "control", "space")
    return False


@pytest.mark.parametrize(
    "name",
    [
        "web-prod",
        "lab <&\"'> test",
        "name with  spaces",
        "测试-虚拟机",
        "виртуальная-машина",
        "שרת-בדיקה",
        "خادم-الاختبار",
        "Cafe\u0301-nfd",
        "👩\u200d💻 dev-box",  # the joiner belongs to the emoji
        "🏳\ufe0f\u200d🌈",
        "❤\ufe0f",
    ],
)
def test_honest_names_are_only_isolated(name: str) -> None:
    assert reveal(name) == name
    assert shown(name) == FSI + name + PDI
    assert hidden_characters(name) == []


def test_an_empty_text_stays_empty() -> None:
    assert shown("") == "" and reveal("") == ""


def test_lines_can_be_kept() -> None:
    text = "first line\n\u202esecond\tline"
    assert reveal(text, keep_lines=True) == "first line\n<U+202E>second\tline"
    assert shown(text, keep_lines=True) == (f"{FSI}first line{PDI}\n{FSI}<U+202E>second\tline{PDI}")


def test_hidden_characters_are_named() -> None:
    assert describe_hidden("evil\u202egpj\u200b\u202e") == (
        "<U+202E> (RIGHT-TO-LEFT OVERRIDE), <U+200B> (ZERO WIDTH SPACE)"
    )


@given(st.text())
def test_nothing_that_steers_or_hides_survives(text: str) -> None:
    out = reveal(text)
    inner = shown(text)
    if text:
        assert inner.startswith(FSI) and inner.endswith(PDI)
        assert inner[1:-1] == out
    for ch in out:
        category = unicodedata.category(ch)
        assert category not in ("Cc", "Zl", "Zp", "Cs", "Co", "Cn")
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        assert category != "Zs" or ch == " "
        if category == "Cf":
            # Only a joiner inside an emoji sequence is left as it is.
            assert ch == "\u200d"
