"""The terminal emulator fed as a console stream delivers: split and invalid
UTF-8, hostile or broken escape sequences, and real programs' output."""

from __future__ import annotations

import tracemalloc

from kvmdesk.core.terminal import MAX_SEQUENCE, Terminal, decode_style


def feed_bytewise(term: Terminal, data: bytes) -> None:
    for i in range(len(data)):
        term.feed(data[i : i + 1])


def test_utf8_split_across_feeds() -> None:
    term = Terminal(20, 2)
    data = "héllo 中文 ✓".encode()
    feed_bytewise(term, data)
    assert term.line_text(0) == "héllo 中文 ✓"


def test_escape_sequences_split_across_feeds() -> None:
    whole, split = Terminal(30, 3), Terminal(30, 3)
    data = b"\x1b[1;38;2;10;20;30mbold\x1b[0m \x1b]0;title\x1b\\x\x1b[2;5Hy"
    whole.feed(data)
    feed_bytewise(split, data)
    assert split.text() == whole.text() == "bold x\n    y\n"
    assert split.line_runs(0) == whole.line_runs(0)
    assert split.title == "title"


def test_invalid_utf8_becomes_replacement_characters() -> None:
    term = Terminal(20, 2)
    term.feed(b"a\xff\xfeb\xc3(c\xed\xa0\x80d")
    text = term.line_text(0)
    assert text.startswith("a\ufffd\ufffdb\ufffd(c")
    assert text.endswith("d")
    assert set(text) <= set("abcd(\ufffd")


def test_lone_c1_string_terminator_is_harmless() -> None:
    term = Terminal(20, 2)
    term.feed(b"a\x9cb")  # a raw 0x9C byte is not UTF-8: one replacement character
    term.feed("c\u009cd".encode())  # the C1 control itself: ignored
    assert term.line_text(0) == "a\ufffdbcd"
    assert term.pending_size == 0


def test_ten_megabyte_unterminated_osc_is_not_kept() -> None:
    term = Terminal(20, 3)
    term.feed(b"before\r\n\x1b]52;c;")
    tracemalloc.start()
    try:
        for _ in range(10):
            term.feed(b"QUFB" * 262_144)  # 1 MiB of base64 per chunk, no terminator
            assert term.pending_size <= MAX_SEQUENCE
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Each chunk is decoded once (1 MiB of text); nothing accumulates.
    assert peak < 8 * 1024 * 1024
    term.feed(b"\x07after")
    assert term.text() == "before\nafter\n"


def test_ten_megabyte_sequence_in_one_feed() -> None:
    for intro in (b"\x1b]0;", b"\x1bP", b"\x1b[", b"\x1b_"):
        term = Terminal(20, 3)
        term.feed(intro + b"1" * 10_000_000)
        assert term.pending_size == 0
        assert term.text() == "\n\n", intro
        term.feed(b"\x1b\\ok" if intro != b"\x1b[" else b"mok")
        assert term.line_text(0) == "ok", intro


def test_short_unfinished_sequence_waits_for_the_next_feed() -> None:
    term = Terminal(20, 3)
    term.feed(b"x\x1b[3")
    assert 0 < term.pending_size <= MAX_SEQUENCE
    term.feed(b"1mred")
    assert term.line_text(0) == "xred"
    assert decode_style(term.buffer[0].styles[1]).fg == 1


def test_sequence_broken_by_a_control_character_is_dropped() -> None:
    term = Terminal(20, 3)
    term.feed(b"a\x1b[12\nb\x1b\rc")
    # The broken sequences vanish; the line feed and carriage return still act.
    assert term.text() == "a\ncb\n"
    assert term.pending_size == 0


def test_queries_and_reports_change_nothing() -> None:
    """DA, DSR, DECRQSS, ENQ, title reports, OSC 52 and OSC 50: no output, no effect."""
    term = Terminal(30, 3)
    term.feed(b"$ ")
    queries = (
        b"\x05"  # ENQ
        b"\x1b[c\x1b[>c\x1b[=c\x1bZ"  # device attributes
        b"\x1b[5n\x1b[6n\x1b[?6n"  # status and cursor position reports
        b'\x1bP$qm\x1b\\\x1bP$q"p\x1b\\'  # DECRQSS
        b"\x1b[21t\x1b[20t\x1b[14t\x1b[18t"  # title and size reports
        b"\x1b]52;c;aGVsbG8=\x07\x1b]52;c;?\x07"  # clipboard set and query
        b"\x1b]50;?\x07\x1b]50;fixed\x07"  # font query and change
        b"\x1b]10;?\x07\x1b]11;?\x1b\\\x1b]4;1;?\x07"  # colour queries
        b"\x1b[?1$p\x1b[2$p"  # DECRQM
    )
    term.feed(queries)
    assert term.text() == "$\n\n"
    assert (term.cursor.x, term.cursor.y) == (2, 0)
    assert term.title == ""
    assert not hasattr(term, "write_process_input")


def test_title_is_only_recorded_and_bounded() -> None:
    term = Terminal(30, 3)
    term.feed(b"\x1b]2;" + b"T" * 3000 + b"\x07")
    assert term.title == "T" * 256
    term.feed(b"\x1b]0;a\x01b\x07")
    assert term.title == "ab"


def test_ls_color_output() -> None:
    term = Terminal(60, 4)
    term.feed(
        b"\x1b[0m\x1b[01;34mbin\x1b[0m   \x1b[01;32mrun.sh\x1b[0m  notes.txt  "
        b"\x1b[01;36mlib\x1b[0m\r\n$ "
    )
    assert term.line_text(0) == "bin   run.sh  notes.txt  lib"
    fgs = {text: decode_style(s) for _c, text, s in term.line_runs(0)}
    assert fgs["bin"].fg == 4 and fgs["bin"].bold
    assert fgs["run.sh"].fg == 2
    assert fgs["lib"].fg == 6
    assert fgs["  notes.txt  "].fg is None


def test_vi_like_session() -> None:
    term = Terminal(20, 5)
    term.feed(b"$ vi notes\r\n")
    # vi: alternate screen, application cursor keys, a scroll region above the status line.
    term.feed(
        b"\x1b[?1049h\x1b[?1h\x1b=\x1b[1;4r\x1b[H\x1b[2J"
        b'first line\r\n~\r\n~\r\n~\x1b[5;1H\x1b[7m"notes" 1L\x1b[m\x1b[1;1H'
    )
    assert term.text() == 'first line\n~\n~\n~\n"notes" 1L'
    assert term.application_cursor_keys
    # dd: delete the line, the tildes move up inside the region.
    term.feed(b"\x1b[M\x1b[4;1H~")
    assert term.text() == '~\n~\n~\n~\n"notes" 1L'
    # insert text on the first line, then quit.
    term.feed(b"\x1b[1;1H\x1b[Khello\x1b[5;1H\x1b[K:wq\x1b[?1l\x1b>\x1b[r\x1b[?1049l")
    assert term.text() == "$ vi notes\n\n\n\n"
    assert not term.application_cursor_keys
    assert (term.cursor.x, term.cursor.y) == (0, 1)
    assert len(term.history) == 0


def test_top_like_redraws_do_not_fill_the_scrollback() -> None:
    term = Terminal(40, 6)
    for frame in range(200):
        rows = [f"top - up {frame} min, load {frame % 7}.00"] + [
            f"{pid:5} root  {(pid * frame) % 100:3}%  proc{pid}" for pid in range(1, 5)
        ]
        term.feed(b"\x1b[H" + "\x1b[K\r\n".join(rows).encode() + b"\x1b[K\x1b[J")
    assert term.line_text(0) == "top - up 199 min, load 3.00"
    assert term.line_text(4) == f"    4 root  {(4 * 199) % 100:3}%  proc4"
    assert len(term.history) == 0
