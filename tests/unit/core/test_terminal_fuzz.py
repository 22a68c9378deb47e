"""Whatever bytes a guest sends, in whatever pieces: the emulator neither
fails nor grows, and its screen stays well formed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kvmdesk.core.terminal import MAX_SEQUENCE, Terminal
from kvmdesk.core.terminal.cells import WIDE_PAD, char_width

# Pieces that make up escape sequences, so that random input reaches deep
# into the parser instead of printing noise.
PIECES = [
    b"\x1b", b"[", b"]", b"?", b";", b"1", b"0", b"9999", b"38;2;", b"5", b"m", b"H", b"J",
    b"K", b"r", b"h", b"l", b"L", b"M", b"@", b"P", b"X", b"b", b"S", b"T", b"I", b"Z", b"#8",
    b"(0", b"\x07", b"\x9c", b"\x9b", b"\x1b\\", b"P", b"_", b"\r", b"\n", b"\t", b"\x08",
    b"\x0e", b"\x0f", b"1049", b"\xe4\xb8\xad", b"\xcc\x81", b"\xff", b"\xc3", b"x", b" ",
]  # fmt: skip


def check(term: Terminal) -> None:
    assert term.pending_size <= MAX_SEQUENCE
    assert 0 <= term.x < term.cols and 0 <= term.y < term.rows
    assert 0 <= term.top <= term.bottom < term.rows
    assert len(term.buffer) == term.rows
    for line in term.buffer:
        assert len(line.chars) == len(line.styles) == term.cols
        for i, c in enumerate(line.chars):
            if c == WIDE_PAD:
                assert i > 0 and char_width(line.chars[i - 1][0]) == 2
    term.text()
    term.history_text()
    for i in range(-len(term.history), term.rows):
        term.line_runs(i)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES) | st.binary(max_size=8), max_size=120),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=10),
    st.tuples(st.integers(2, 30), st.integers(1, 12)),
)
def test_any_input_keeps_the_screen_well_formed(
    pieces: list[bytes], cuts: list[int], size: tuple[int, int]
) -> None:
    data = b"".join(pieces)
    term = Terminal(7, 5, scrollback=20)
    pos = 0
    i = 0
    while pos < len(data):
        step = cuts[i % len(cuts)]
        term.feed(data[pos : pos + step])
        pos += step
        i += 1
        if i == 3:
            term.resize(*size)
    check(term)
    assert len(term.history) <= 20
