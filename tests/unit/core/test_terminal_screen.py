"""The terminal emulator's screen: text, colours, wide characters, wrapping,
margins, the alternate screen, erasing, editing and the bounded scrollback."""

from __future__ import annotations

import tracemalloc

import pytest

from kvmdesk.core.terminal import Terminal, decode_style


def styles_at(term: Terminal, row: int) -> list[tuple[str, object]]:
    return [(text, decode_style(style)) for _col, text, style in term.line_runs(row)]


def test_plain_text_and_newlines() -> None:
    term = Terminal(20, 4)
    term.feed(b"hello\r\nworld\r\n")
    assert term.text() == "hello\nworld\n\n"
    assert (term.cursor.x, term.cursor.y) == (0, 2)


def test_sgr_16_colours_bold_underline_reverse() -> None:
    term = Terminal(40, 2)
    term.feed(b"\x1b[1;31mA\x1b[0;4;42mB\x1b[7;95mC\x1b[22;24;27;39;49mD\x1b[2;3;9mE\x1b[mF")
    a, b, c, d, e, f = (decode_style(style) for _x, _t, style in term.line_runs(0))
    assert (a.fg, a.bold, a.underline) == (1, True, False)
    assert (b.fg, b.bg, b.bold, b.underline) == (None, 2, False, True)
    assert (c.fg, c.bg, c.reverse, c.underline) == (13, 2, True, True)
    assert (d.fg, d.bg, d.reverse, d.underline, d.bold) == (None, None, False, False, False)
    assert (e.dim, e.italic, e.strike) == (True, True, True)
    assert f == decode_style(0)


def test_sgr_256_and_true_colour_in_both_spellings() -> None:
    term = Terminal(40, 2)
    term.feed(b"\x1b[38;5;208;48;5;17mA\x1b[38;2;1;2;3;48;2;250;251;252mB")
    term.feed(b"\x1b[38:2::9:8:7mC\x1b[38:5:100mD\x1b[38;5;999mE")
    runs = styles_at(term, 0)
    assert [(t, s.fg, s.bg) for t, s in runs] == [  # type: ignore[attr-defined]
        ("A", 208, 17),
        ("B", (1, 2, 3), (250, 251, 252)),
        ("C", (9, 8, 7), (250, 251, 252)),
        ("D", 100, (250, 251, 252)),
        ("E", 255, (250, 251, 252)),
    ]


def test_wide_characters_take_two_cells_and_wrap_whole() -> None:
    term = Terminal(7, 3)
    term.feed("ab中文字".encode())
    # a b 中 文 take six columns; 字 does not fit in the seventh and wraps.
    assert term.text().split("\n")[:2] == ["ab中文", "字"]
    assert term.buffer[0].chars[2:4] == ["中", ""]
    assert term.buffer[0].wrapped
    assert (term.cursor.x, term.cursor.y) == (2, 1)


def test_overwriting_half_a_wide_character_blanks_the_other_half() -> None:
    term = Terminal(10, 2)
    term.feed("中文\x1b[1;2Hx".encode())
    assert term.line_text(0) == " x文"
    term.feed(b"\x1b[1;3Hyz")
    assert term.line_text(0) == " xyz"


def test_combining_marks_join_the_previous_cell() -> None:
    term = Terminal(10, 2)
    term.feed("e\u0301a".encode())
    assert term.line_text(0) == "e\u0301a"
    assert (term.cursor.x, term.cursor.y) == (2, 0)


def test_autowrap_and_its_mode() -> None:
    term = Terminal(5, 3)
    term.feed(b"abcdefg")
    assert term.text() == "abcde\nfg\n"
    term.feed(b"\x1b[?7l\x1b[3;1H123456789")
    assert term.line_text(2) == "12349"


def test_tabs_and_backspace() -> None:
    term = Terminal(20, 2)
    term.feed(b"a\tb\x08\x08X\r\n\x1b[3g\tZ")
    assert term.line_text(0) == "a      Xb"
    assert term.line_text(1) == "                   Z"


def test_cursor_movement_and_positioning() -> None:
    term = Terminal(10, 5)
    term.feed(b"\x1b[3;4H*\x1b[2A+\x1b[5C-\x1b[99B.\x1b[G!\x1b[2d?")
    # Moves stop at the edges; a move cancels the pending wrap after "-".
    assert term.text().split("\n") == ["    +    -", " ?", "   *", "", "!        ."]


def test_erase_in_line_and_display() -> None:
    term = Terminal(10, 3)
    term.feed(b"0123456789\r\nabcdefghij\r\nABCDEFGHIJ")
    term.feed(b"\x1b[2;5H\x1b[K")
    assert term.line_text(1) == "abcd"
    term.feed(b"\x1b[1K")
    assert term.line_text(1) == ""
    term.feed(b"\x1b[1;3H\x1b[1J")
    assert term.text() == "   3456789\n\nABCDEFGHIJ"
    term.feed(b"\x1b[3;2H\x1b[J")
    assert term.text() == "   3456789\n\nA"
    term.feed(b"\x1b[2J")
    assert term.text() == "\n\n"


def test_erase_keeps_the_background_colour() -> None:
    term = Terminal(6, 2)
    term.feed(b"\x1b[44m\x1b[2J")
    assert all(decode_style(s).bg == 4 for s in term.buffer[0].styles)


def test_insert_and_delete_characters_and_erase_characters() -> None:
    term = Terminal(10, 2)
    term.feed(b"abcdef\x1b[1;3H\x1b[2@")
    assert term.line_text(0) == "ab  cdef"
    term.feed(b"\x1b[3P")
    assert term.line_text(0) == "abdef"
    term.feed(b"\x1b[2X")
    assert term.line_text(0) == "ab  f"
    term.feed(b"\x1b[4hXY\x1b[4l")
    assert term.line_text(0) == "abXY  f"


def test_scroll_region_keeps_lines_outside_it() -> None:
    term = Terminal(10, 5)
    term.feed(b"top\r\n1\r\n2\r\n3\r\nstatus")
    term.feed(b"\x1b[2;4r\x1b[4;1H\nnew")
    assert term.text() == "top\n2\n3\nnew\nstatus"
    term.feed(b"\x1b[2;1H\x1bM")  # reverse index at the top margin scrolls down
    assert term.text() == "top\n\n2\n3\nstatus"
    assert len(term.history) == 0, "a scroll inside a region never feeds the scrollback"


def test_insert_and_delete_lines_inside_the_region() -> None:
    term = Terminal(10, 5)
    term.feed(b"a\r\nb\r\nc\r\nd\r\ne\x1b[1;4r\x1b[2;1H\x1b[L")
    assert term.text() == "a\n\nb\nc\ne"
    term.feed(b"\x1b[2M")
    assert term.text() == "a\nc\n\n\ne"


def test_origin_mode_counts_rows_from_the_top_margin() -> None:
    term = Terminal(10, 5)
    term.feed(b"\x1b[2;4r\x1b[?6h\x1b[1;1Ho\x1b[9;1Hb")
    assert term.text() == "\no\n\nb\n"


def test_alternate_screen_keeps_the_main_screen_and_cursor() -> None:
    term = Terminal(10, 3)
    term.feed(b"shell$ ls\r\nout")
    term.feed(b"\x1b[?1049h\x1b[H\x1b[2Jeditor")
    assert term.alt_active
    assert term.text() == "editor\n\n"
    term.feed(b"\x1b[?1049l")
    assert not term.alt_active
    assert term.text() == "shell$ ls\nout\n"
    assert (term.cursor.x, term.cursor.y) == (3, 1)


def test_save_and_restore_cursor_with_attributes() -> None:
    term = Terminal(10, 3)
    term.feed(b"\x1b[2;3H\x1b[31m\x1b7\x1b[H\x1b[0mx\x1b8y")
    assert term.line_text(1) == "  y"
    assert decode_style(term.buffer[1].styles[2]).fg == 1


def test_scrollback_is_bounded_and_keeps_the_newest_lines() -> None:
    term = Terminal(20, 5, scrollback=100)
    term.feed(b"".join(b"line %d\r\n" % i for i in range(1000)))
    assert len(term.history) == 100
    text = term.history_text().split("\n")
    assert text[0] == "line 896"
    assert text[-2] == "line 999"
    assert term.scrolled_total == 996


def test_scrollback_keeps_colours() -> None:
    term = Terminal(20, 2)
    term.feed(b"\x1b[32mgreen\x1b[0m plain\r\n\r\n\r\n")
    runs = term.line_runs(-2)
    assert [(col, text, decode_style(s).fg) for col, text, s in runs] == [
        (0, "green", 2),
        (5, " plain", None),
    ]


def test_alternate_screen_never_feeds_the_scrollback() -> None:
    term = Terminal(10, 3)
    term.feed(b"\x1b[?1049h" + b"x\r\n" * 50 + b"\x1b[?1049l")
    assert len(term.history) == 0


def test_resize_keeps_text_and_pushes_rows_above_the_cursor_to_history() -> None:
    term = Terminal(10, 4)
    term.feed(b"a\r\nb\r\nc\r\nd")
    term.resize(6, 2)
    assert term.text() == "c\nd"
    assert term.history_text() == "a\nb\nc\nd"
    term.resize(12, 3)
    assert (term.cols, term.rows) == (12, 3)
    term.feed(b"\r\n0123456789AB")
    assert term.line_text(2) == "0123456789AB"


def test_dirty_rows_are_reported_once() -> None:
    term = Terminal(10, 5)
    assert term.take_dirty() is None  # a new screen is dirty everywhere
    term.feed(b"\x1b[3;1Hx")
    assert term.take_dirty() == {2}
    assert term.take_dirty() == set()
    term.feed(b"\x1b[5;1H\n")  # a full-screen scroll moves every row
    assert term.take_dirty() is None


@pytest.mark.parametrize("mode", [b"1", b"25", b"2004"])
def test_dec_private_modes_switch_flags(mode: bytes) -> None:
    term = Terminal(10, 3)
    attr = {b"1": "application_cursor_keys", b"25": "cursor_visible", b"2004": "bracketed_paste"}
    before = getattr(term, attr[mode])
    term.feed(b"\x1b[?" + mode + (b"l" if before else b"h"))
    assert getattr(term, attr[mode]) is not before
    term.feed(b"\x1bc")
    assert getattr(term, attr[mode]) is before


def test_dec_line_drawing_charset() -> None:
    term = Terminal(10, 2)
    term.feed(b"\x1b(0lqk\x1b(Bq")
    assert term.line_text(0) == "┌─┐q"


def test_scrollback_memory_is_bounded_by_its_line_count() -> None:
    """Every cell in its own true colour: the scrollback still stays small."""
    term = Terminal(100, 10, scrollback=300)
    line = b"".join(b"\x1b[38;2;%d;%d;%dm\xe4\xb8\xad" % (i, i * 3, i * 5) for i in range(50))
    tracemalloc.start()
    try:
        term.feed((line + b"\r\n") * 300)
        first, _peak = tracemalloc.get_traced_memory()
        term.feed((line + b"\r\n") * 900)
        second, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(term.history) == 300
    assert second - first < 100_000, "more output must not mean more memory"
    assert first < 1_500_000
    runs = term.line_runs(-1)
    assert len(runs) == 50
    assert decode_style(runs[1][2]).fg == (1, 3, 5)


def test_reset_from_the_guest_keeps_the_scrollback() -> None:
    term = Terminal(10, 2)
    term.feed(b"boot 1\r\nboot 2\r\nboot 3\r\n\x1b[31m\x1b[?1h\x1bcgrub")
    assert term.text() == "grub\n"
    assert not term.application_cursor_keys
    assert decode_style(term.buffer[0].styles[0]).fg is None
    assert term.history_text() == "boot 1\nboot 2\ngrub\n"
    term.reset()  # the user's reset clears everything
    assert term.history_text() == "\n"
