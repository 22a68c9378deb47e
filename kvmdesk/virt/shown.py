"""Names from a host, made honest before they are shown.

A name is whatever the host (or whoever defined the domain) chose: a
domain called ``"evil\\u202egpj.exe"`` shows as "evilexe.jpg",
``"\\u202edorp-bew"`` as "web-prod", and a zero-width space makes two
names that look the same. Every place that shows a name from a host (the
tree, the details, dialogs, window titles, the status bar, file names made
from templates) passes it through ``shown`` (or ``reveal`` where the text is
not set in a sentence):

* characters that are invisible or that steer the direction of text (bidi
  embeddings, overrides and isolates, direction marks, zero-width and other
  default-ignorable characters, control characters, separators, spaces
  other than U+0020) are written out as ``<U+202E>``;
* the result is isolated (U+2068 FIRST STRONG ISOLATE ... U+2069 POP
  DIRECTIONAL ISOLATE), so that a name in Arabic or Hebrew cannot reorder
  the sentence around it, and the sentence cannot reorder the name.

New names (the New VM wizard) may not hold such characters at all
(``hidden_characters``).
"""

from __future__ import annotations

import unicodedata

FSI = "\u2068"
PDI = "\u2069"

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) that
# are not already control (Cc) or format (Cf) characters: fillers that look
# like nothing, variation selectors, invisible vowels and the like.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Blank although they are not spaces.
_BLANK = frozenset({0x2800})
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def is_hidden(ch: str) -> bool:
    """True for a character a reader cannot see, or that changes text direction."""
    code = ord(ch)
    if ch == " ":
        return False
    if code in _BLANK or unicodedata.category(ch) in _HIDDEN_CATEGORIES:
        return True
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


_ZWJ = "\u200d"
_EMOJI_VARIATION = ("\ufe0e", "\ufe0f")
_SYMBOLS = ("So", "Sk")


def _emoji_glue(text: str, i: int) -> bool:
    """A zero-width joiner or emoji variation selector inside an emoji sequence
    ("👩\u200d💻", "🏳\ufe0f\u200d🌈"): part of what the reader sees, kept."""
    ch = text[i]
    before = text[i - 1] if i else ""
    if before in _EMOJI_VARIATION and i > 1:
        before = text[i - 2]  # 🏳 + VS16 + ZWJ
    if not before or unicodedata.category(before) not in _SYMBOLS:
        return False
    if ch in _EMOJI_VARIATION:
        return True
    after = text[i + 1] if i + 1 < len(text) else ""
    return ch == _ZWJ and bool(after) and unicodedata.category(after) in _SYMBOLS


def _hidden_at(text: str) -> list[bool]:
    return [is_hidden(ch) and not _emoji_glue(text, i) for i, ch in enumerate(text)]


def hidden_characters(text: str) -> list[str]:
    """The hidden characters of ``text``, each once, in the order they appear."""
    found: list[str] = []
    if text.isascii() and text.isprintable():
        return found
    for ch, hidden in zip(text, _hidden_at(text), strict=True):
        if hidden and ch not in found:
            found.append(ch)
    return found


def code_point(ch: str) -> str:
    """``<U+202E>``: how a hidden character is written out."""
    return f"<U+{ord(ch):04X}>"


def reveal(text: str, keep_lines: bool = False) -> str:
    """``text`` with every hidden character written out as ``<U+XXXX>``.

    ``keep_lines`` keeps line feeds (and tabs) of text that has lines, such
    as a description; each line is then isolated on its own by ``shown``.
    """
    if text.isascii() and text.isprintable():
        return text  # the usual case, decided in C: nothing hidden
    kept = "\n\t" if keep_lines else ""
    hidden = _hidden_at(text)
    if not any(h and ch not in kept for ch, h in zip(text, hidden, strict=True)):
        return text
    return "".join(
        code_point(ch) if h and ch not in kept else ch for ch, h in zip(text, hidden, strict=True)
    )


def shown(text: str, keep_lines: bool = False) -> str:
    """``text`` revealed and isolated: what every display of a host's name uses.

    An empty text stays empty, so that "nothing to show" still reads as such.
    """
    if not text:
        return ""
    if keep_lines and "\n" in text:
        lines = reveal(text, keep_lines=True).split("\n")
        return "\n".join(FSI + line + PDI if line else "" for line in lines)
    return FSI + reveal(text, keep_lines) + PDI


def describe_hidden(text: str) -> str:
    """The hidden characters of ``text`` as "<U+202E> (RIGHT-TO-LEFT OVERRIDE), ..."."""
    parts = []
    for ch in hidden_characters(text):
        name = unicodedata.name(ch, "")
        parts.append(code_point(ch) + (f" ({name})" if name else ""))
    return ", ".join(parts)
