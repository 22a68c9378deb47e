"""Secrets in a domain definition: hidden in the editor, never lost on save.

libvirt puts a VNC or SPICE password (``<graphics passwd='…'>``) into a
definition only when it is read with ``VIR_DOMAIN_XML_SECURE``; defining a
document without it removes the password. The XML tab therefore reads the
secure definition, shows each secret as ``MASK`` unless the user reveals it,
and puts the real value back before saving.

Everything works on the text, not on a parsed tree: the editor shows
libvirt's own formatting and the user's, and that must stay as it is. A
secret is known by the element that holds it: its path from the root, its
``type`` attribute and its position among elements with the same path and
type (a domain has one VNC and one SPICE display at most, so in practice
the path and the type).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

SECRET_ATTRIBUTES = frozenset({"passwd"})
# Shown instead of a secret. Not a password anyone types: VNC takes eight
# characters, and these are not on a keyboard.
MASK = "●●●●●●●●"
# Shown in a comparison when the hidden value differs on the two sides.
MASK_CHANGED = "●●●●●●●● (changed)"

# The displays libvirt gives a password (virDomainGraphicsAuthDef).
_SECRET_DISPLAYS = frozenset({"vnc", "spice"})

Key = tuple[str, str, int]  # element path, its type attribute, occurrence

_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<\?.*?\?>"
    r"|<![^>]*>"
    r"|</\s*(?P<end>[^\s>]+)\s*>"
    r"|<(?P<tag>[^\s/>!?]+)(?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<empty>/?)>",
    re.DOTALL,
)
_ATTR = re.compile(r"(\s+)([^\s=/>]+)(\s*=\s*)(\"([^\"]*)\"|'([^']*)')")


class HiddenSecretLost(ValueError):
    """A hidden secret cannot be put back: its element was moved or copied."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclass(frozen=True, slots=True)
class _Found:
    key: Key
    name: str  # the attribute's name
    value: str  # unescaped
    start: int  # span of the quoted value in the text, quotes included
    end: int
    attr_start: int  # where the attribute begins, with the space before it


@dataclass(frozen=True, slots=True)
class _Tag:
    key: Key
    attrs: dict[str, _Found]
    tag_end: int


def _tags(text: str) -> Iterator[_Tag]:
    """Each start tag with the attributes that may hold a secret, in document order."""
    stack: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for token in _TOKEN.finditer(text):
        if token.group("end") is not None:
            if stack:
                stack.pop()
            continue
        tag = token.group("tag")
        if tag is None:
            continue  # comment, CDATA, processing instruction, declaration
        path = "/".join([*stack, tag])
        attrs_text = token.group("attrs") or ""
        base = token.start("attrs")
        kind = ""
        found: dict[str, tuple[str, int, int, int]] = {}
        for attr in _ATTR.finditer(attrs_text):
            name = attr.group(2)
            raw = attr.group(5) if attr.group(5) is not None else attr.group(6)
            if name == "type":
                kind = html.unescape(raw)
            if name in SECRET_ATTRIBUTES:
                found[name] = (
                    html.unescape(raw),
                    base + attr.start(4),
                    base + attr.end(4),
                    base + attr.start(1),
                )
        index = seen.get((path, kind), 0)
        seen[(path, kind)] = index + 1
        key: Key = (path, kind, index)
        yield _Tag(
            key,
            {
                name: _Found(key, name, value, start, end, attr_start)
                for name, (value, start, end, attr_start) in found.items()
            },
            token.end("attrs"),
        )
        if not token.group("empty"):
            stack.append(tag)


def _quoted(value: str, quote: str = "'") -> str:
    """``value`` as an attribute value in ``quote``s, escaped as libvirt writes it."""
    escaped = (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
        .replace("\r", "&#13;")
    )
    return f"{quote}{escaped}{quote}"


def _replace(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def find_secrets(text: str) -> dict[tuple[Key, str], str]:
    """(element key, attribute) -> the secret's value."""
    return {
        (tag.key, name): found.value for tag in _tags(text) for name, found in tag.attrs.items()
    }


def has_secrets(text: str) -> bool:
    return any(found.value != MASK for found in _all(text))


def may_hold_secrets(text: str) -> bool:
    """``text`` has an element that can hold a secret (a VNC or SPICE display),
    whether or not this copy of it shows one."""
    return any(
        tag.key[0].endswith("/graphics") and tag.key[1] in _SECRET_DISPLAYS for tag in _tags(text)
    )


def _all(text: str) -> Iterator[_Found]:
    for tag in _tags(text):
        yield from tag.attrs.values()


def mask(text: str) -> tuple[str, dict[tuple[Key, str], str]]:
    """``text`` with every secret shown as ``MASK``, and the secrets it hid."""
    hidden: dict[tuple[Key, str], str] = {}
    edits = []
    for found in _all(text):
        if found.value == MASK:
            continue  # already hidden
        hidden[(found.key, found.name)] = found.value
        edits.append((found.start, found.end, _quoted(MASK, text[found.start])))
    return _replace(text, edits), hidden


def unmask(text: str, hidden: Mapping[tuple[Key, str], str], *, strict: bool = True) -> str:
    """``text`` with each ``MASK`` replaced by the secret it stands for.

    Raises ``HiddenSecretLost`` when a ``MASK`` stands where no secret was
    (the element was copied, or moved to another place); without
    ``strict`` such a ``MASK`` stays as it is.
    """
    edits = []
    for found in _all(text):
        if found.value != MASK:
            continue
        secret = hidden.get((found.key, found.name))
        if secret is None:
            if not strict:
                continue
            raise HiddenSecretLost(f"/{found.key[0]}/@{found.name}")
        edits.append((found.start, found.end, _quoted(secret, text[found.start])))
    return _replace(text, edits)


def carry(text: str, secrets: Mapping[tuple[Key, str], str]) -> str:
    """Add the secrets an editor never saw (read without them) to the elements
    of ``text`` that hold none, so that saving keeps them."""
    edits = []
    for tag in _tags(text):
        for (key, name), value in secrets.items():
            if key == tag.key and name not in tag.attrs:
                edits.append((tag.tag_end, tag.tag_end, f" {name}={_quoted(value)}"))
    return _replace(text, edits)


def mask_pair(left: str, right: str) -> tuple[str, str]:
    """Two versions of a definition with their secrets hidden, for a comparison:
    a secret that differs shows as ``MASK_CHANGED`` on the right."""
    left_masked, left_hidden = mask(left)
    edits = []
    for found in _all(right):
        if found.value == MASK:
            continue
        before = left_hidden.get((found.key, found.name))
        shown = MASK if before == found.value else MASK_CHANGED
        edits.append((found.start, found.end, _quoted(shown, right[found.start])))
    return left_masked, _replace(right, edits)


def without_secrets(text: str) -> str:
    """``text`` without its secret attributes (to compare what an editor could see)."""
    return _replace(text, [(found.attr_start, found.end, "") for found in _all(text)])
