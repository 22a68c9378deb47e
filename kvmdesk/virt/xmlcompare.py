"""Comparing a definition that was sent with what libvirt stored.

``dropped_content`` lists what libvirt did not keep of an edit (it drops
unknown elements quietly unless validation refuses them); ``holds`` says
whether a stored definition carries an edit at all, for the re-read after
a dropped link, when nobody knows whether the define reached the host.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET

from kvmdesk.domxml.secrets import SECRET_ATTRIBUTES


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=before_name,
        tofile=after_name,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _shape(root: ET.Element) -> dict[str, set[str]]:
    """Every element path below ``root`` with the names of its attributes."""
    shape: dict[str, set[str]] = {}

    def walk(element: ET.Element, path: str) -> None:
        shape.setdefault(path, set()).update(element.attrib)
        for child in element:
            if isinstance(child.tag, str):  # comments and processing instructions are not
                walk(child, f"{path}/{child.tag}")

    walk(root, root.tag)
    return shape


def _readable(path: str) -> str:
    """``domain/{http://ns}x`` -> ``/domain/x`` with the namespace kept in brackets."""
    return "/" + re.sub(r"\{([^}]*)\}(\S+?)(?=/|$)", r"\2 [\1]", path)


def dropped_content(edited: str, stored: str, *, secrets_visible: bool = True) -> tuple[str, ...]:
    """Elements and attributes in ``edited`` that ``stored`` lacks.

    Compared by element path, so what libvirt adds (defaults, addresses) is
    not reported, and an element dropped with its children is reported once.
    With ``secrets_visible`` False, ``stored`` was read without its secrets
    (the connection may not read them): their absence says nothing.
    """
    mine = _shape(ET.fromstring(edited))
    kept = _shape(ET.fromstring(stored))
    dropped: list[str] = []
    gone: list[str] = []
    for path, attributes in mine.items():
        if any(path.startswith(parent + "/") for parent in gone):
            continue
        if path not in kept:
            gone.append(path)
            dropped.append(_readable(path))
            continue
        missing = attributes - kept[path]
        if not secrets_visible:
            missing -= SECRET_ATTRIBUTES
        dropped += [f"{_readable(path)}/@{name}" for name in sorted(missing)]
    return tuple(dropped)


_Element = tuple[str, dict[str, str], str]  # path, attributes, text


def _elements(root: ET.Element) -> list[_Element]:
    found: list[_Element] = []

    def walk(element: ET.Element, path: str) -> None:
        found.append((path, dict(element.attrib), (element.text or "").strip()))
        for child in element:
            if isinstance(child.tag, str):
                walk(child, f"{path}/{child.tag}")

    walk(root, root.tag)
    return found


def holds(stored: str, edited: str) -> bool:
    """Every element of ``edited``, with its attributes and text, is in ``stored``.

    libvirt adds defaults and addresses to what it stores (attributes and
    child elements), so a stored document holds a defined one when libvirt
    kept it as sent. Where it rewrote a value (units, say), this says
    False: the caller then shows both and lets the user judge.
    """
    try:
        want = _elements(ET.fromstring(edited))
        have = _elements(ET.fromstring(stored))
    except ET.ParseError:
        return False
    by_path: dict[str, list[_Element]] = {}
    for element in have:
        by_path.setdefault(element[0], []).append(element)
    for path, attrs, text in want:
        candidates = by_path.get(path, [])
        match = next(
            (
                i
                for i, (_p, their_attrs, their_text) in enumerate(candidates)
                if their_text == text and attrs.items() <= their_attrs.items()
            ),
            None,
        )
        if match is None:
            return False
        candidates.pop(match)
    return True
