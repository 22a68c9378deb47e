"""Small helpers that update an ElementTree element in place.

The typed objects own a few attributes and children of their element;
these helpers change exactly those and leave everything else (unknown
attributes, unknown children, their order) as it was. Every value
written goes through ``xml_safe``: characters XML 1.0 forbids are
refused with ``XmlValueError`` instead of producing a broken document.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from copy import deepcopy

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


def child(element: ET.Element, tag: str) -> ET.Element:
    """The first child called ``tag``, appended when there is none."""
    found = element.find(tag)
    if found is None:
        found = ET.SubElement(element, tag)
    return found


def drop(element: ET.Element, tag: str) -> None:
    for found in element.findall(tag):
        element.remove(found)


def drop_if_empty(element: ET.Element, tag: str) -> None:
    """Remove the child ``tag`` when it has no attributes, children or text left."""
    found = element.find(tag)
    if found is not None and not found.attrib and len(found) == 0 and not found.text:
        element.remove(found)


def set_text(element: ET.Element, tag: str, value: str | int | None) -> None:
    """Set the text of the child ``tag``; remove the child when the value is None or ""."""
    if value is None or value == "":
        drop(element, tag)
        return
    text = text_value(str(value), tag)
    node = child(element, tag)
    if node.text != text:
        node.text = text


def set_flag(element: ET.Element, tag: str, on: bool) -> None:
    """An empty child such as <readonly/>: present when ``on``."""
    if not on:
        drop(element, tag)
    elif element.find(tag) is None:
        ET.SubElement(element, tag)


def set_child_attrs(element: ET.Element, tag: str, **values: str | int | None) -> None:
    """Set attributes of the child ``tag``; the child goes when nothing is left in it."""
    node = element.find(tag)
    if node is None:
        if all(v is None or v == "" for v in values.values()):
            return
        node = ET.SubElement(element, tag)
    for name, value in values.items():
        set_attr(node, name, value)
    drop_if_empty(element, tag)


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
