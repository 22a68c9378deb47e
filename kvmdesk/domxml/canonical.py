"""The canonical form of libvirt XML: two documents that say the same give the same text.

Used to check that parse then build loses nothing. C14N 2.0 (ElementTree's
``canonicalize``, namespace prefixes rewritten) after dropping layout:
whitespace-only text between elements, that is indentation, which libvirt
writes again itself. Everything else counts: every element in its order,
every attribute, every text, also whitespace-only text in an element without
children (``<description> </description>``). Comments and processing
instructions do not count; libvirt does not keep them either.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.check import parse_checked


def canonical_element(element: ET.Element) -> str:
    """The canonical text of ``element`` (left unchanged)."""
    copy = ET.fromstring(ET.tostring(element, encoding="unicode"))
    copy.tail = None
    for node in copy.iter():
        if len(node) and node.text is not None and not node.text.strip():
            node.text = None
        for inner in node:
            if inner.tail is not None and not inner.tail.strip():
                inner.tail = None
    return ET.canonicalize(ET.tostring(copy, encoding="unicode"), rewrite_prefixes=True)


def canonical(xml: str, root: str = "domain") -> str:
    """The canonical text of a document; raises ``InvalidXml`` like ``Domain.from_xml``."""
    return canonical_element(parse_checked(xml, root))


__all__ = ["canonical", "canonical_element"]
