"""Small helpers that update an ElementTree element in place.

The typed objects own a few attributes and children of their element;
these helpers change exactly those and leave everything else (unknown
attributes, unknown children, their order) as it was. Every value
written goes through ``xml_safe``: characters XML 1.0 forbids are
refused with ``XmlValueError`` instead of producing a broken document.

The rule every typed object follows when it builds its element again:
a field may change what it owns and nothing else. ``Changes`` tells which
fields differ from what the parsed element says, and only those are
written; a field left alone never touches the document, even where the
document says it in a way the object would not (an empty
``<description/>``, ``bridge=''``, a unit other than KiB). A child the
object adds goes where libvirt writes it (``order``), not at the end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from copy import deepcopy
from typing import Any

# XML 1.0 Char production, inverted.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class XmlValueError(ValueError):
    """A value cannot be written as XML 1.0."""


def xml_safe(value: str, what: str) -> str:
    found = _FORBIDDEN.search(value)
    if found is not None:
        raise XmlValueError(
            f"{what} contains the character U+{ord(found.group()):04X}, "
            "which XML 1.0 does not allow"
        )
    return value


def text_value(value: str, what: str) -> str:
    """A text node's value: XML turns a carriage return into a line feed, so do it now."""
    return xml_safe(value, what).replace("\r\n", "\n").replace("\r", "\n")


def set_attr(element: ET.Element, name: str, value: str | int | None) -> None:
    """Set ``name`` to ``value``; remove it when the value is None or ""."""
    if value is None or value == "":
        element.attrib.pop(name, None)
        return
    text = xml_safe(str(value), f"{element.tag}/@{name}")
    if element.get(name) != text:
        element.set(name, text)


def set_yes_no(element: ET.Element, name: str, value: bool | None) -> None:
    set_attr(element, name, None if value is None else ("yes" if value else "no"))


def yes_no(element: ET.Element | None, name: str) -> bool | None:
    if element is None or name not in element.attrib:
        return None
    return element.get(name) in ("yes", "on")


class Changes:
    """Which fields of a typed object differ from what its parsed element says.

    ``changes("name", "title")`` is true when any of them differs, or when the
    object has no element (a new object writes every field).
    """

    def __init__(self, obj: Any) -> None:
        self._obj = obj
        element = obj.element
        self._parsed = None if element is None else type(obj).from_element(element)

    def __call__(self, *names: str) -> bool:
        if self._parsed is None:
            return True
        return any(getattr(self._parsed, n) != getattr(self._obj, n) for n in names)

    def write(self, element: ET.Element, places: dict[str, str]) -> None:
        """Write each changed field to its place: ``"@name"``, an attribute of
        ``element``, or ``"child/@name"``, one of its first ``child`` (made when
        needed, removed when this emptied it). True and False are "yes" and "no";
        None and "" remove the attribute."""
        for name, place in places.items():
            if not self(name):
                continue
            value = getattr(self._obj, name)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            tag, _, attr = place.rpartition("@")
            if tag:
                set_child_attrs(element, tag.rstrip("/"), **{attr: value})
            else:
                set_attr(element, attr, value)


def insert_in_order(element: ET.Element, node: ET.Element, order: Sequence[str] = ()) -> None:
    """Put ``node`` before the first child that ``order`` places after it, else at the end."""
    tag = str(node.tag)
    if tag in order:
        later = set(order[order.index(tag) + 1 :])
        for index, sibling in enumerate(element):
            if sibling.tag in later:
                element.insert(index, node)
                return
    element.append(node)


def child(element: ET.Element, tag: str, order: Sequence[str] = ()) -> ET.Element:
    """The first child called ``tag``; a new one goes where ``order`` puts it."""
    found = element.find(tag)
    if found is None:
        found = ET.Element(tag)
        insert_in_order(element, found, order)
    return found


def is_empty(element: ET.Element) -> bool:
    return not element.attrib and len(element) == 0 and not element.text


def remove(element: ET.Element, node: ET.Element) -> None:
    """Remove the child ``node``; the indentation left in a parent with no
    children now goes too, so that it does not become the parent's text."""
    element.remove(node)
    if len(element) == 0 and element.text is not None and not element.text.strip():
        element.text = None


def drop(element: ET.Element, tag: str) -> None:
    for found in element.findall(tag):
        remove(element, found)


def drop_if_empty(element: ET.Element, tag: str) -> None:
    """Remove the child ``tag`` when it has no attributes, children or text left."""
    found = element.find(tag)
    if found is not None and is_empty(found):
        remove(element, found)


def set_text(
    element: ET.Element, tag: str, value: str | int | None, order: Sequence[str] = ()
) -> None:
    """Set the text of the child ``tag``. None or "" clears it, and removes the child
    unless something else is in it (``<type arch=...>`` keeps its attributes)."""
    if value is None or value == "":
        for found in element.findall(tag):
            found.text = None
            if is_empty(found):
                remove(element, found)
        return
    text = text_value(str(value), tag)
    node = child(element, tag, order)
    if node.text != text:
        node.text = text


def set_flag(element: ET.Element, tag: str, on: bool) -> None:
    """An empty child such as <readonly/>: present when ``on``."""
    if not on:
        drop(element, tag)
    elif element.find(tag) is None:
        ET.SubElement(element, tag)


def set_child_attrs(element: ET.Element, tag: str, **values: str | int | None) -> None:
    """Set attributes of the child ``tag``; the child goes when these values emptied it
    (one that was empty already, such as ``<cpu/>``, stays)."""
    node = element.find(tag)
    if node is None:
        if all(v is None or v == "" for v in values.values()):
            return
        node = ET.SubElement(element, tag)
    was_empty = is_empty(node)
    for name, value in values.items():
        set_attr(node, name, value)
    if not was_empty and is_empty(node):
        remove(element, node)


def text_of(element: ET.Element | None, tag: str | None = None) -> str:
    node = element if tag is None or element is None else element.find(tag)
    if node is None or node.text is None:
        return ""
    return node.text


def attr_of(element: ET.Element | None, tag: str, name: str) -> str:
    node = element.find(tag) if element is not None else None
    return node.get(name, "") if node is not None else ""


def int_or_none(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def start(element: ET.Element | None, tag: str) -> ET.Element:
    """A copy of the parsed element to update, or a new one."""
    if element is None:
        return ET.Element(tag)
    copy = deepcopy(element)
    copy.tail = None
    return copy
