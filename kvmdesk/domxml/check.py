"""Checks every piece of libvirt XML passes before anything parses it.

DOCTYPE and ENTITY declarations are refused before parsing (entity
expansion bombs, external entities); malformed XML is reported with its
line and column (counted from 1); a root other than the expected one is
refused.
"""

from __future__ import annotations

import enum
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

# Any declaration of a document type or an entity, with any spacing and case.
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)\b", re.IGNORECASE)
# ElementTree appends ": line L, column C" to expat's message.
_POSITION_SUFFIX = re.compile(r": line \d+, column \d+$")


class ProblemKind(enum.Enum):
    DECLARATION = "declaration"  # DOCTYPE or ENTITY: refused before parsing
    MALFORMED = "malformed"  # not well-formed XML
    NOT_DOMAIN = "not-domain"  # the root element is not the expected one


@dataclass(frozen=True)
class XmlProblem:
    """Why a text cannot be used. ``line`` and ``column`` count from 1."""

    kind: ProblemKind
    line: int
    column: int
    detail: str = ""  # the parser's own words, or the root element's name


class InvalidXml(ValueError):
    def __init__(self, problem: XmlProblem) -> None:
        super().__init__(problem.detail or problem.kind.value)
        self.problem = problem


def line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_checked(text: str, root: str = "domain") -> ET.Element:
    """Parse ``text`` after the checks; raises ``InvalidXml`` when one fails."""
    found = _DECLARATION.search(text)
    if found is not None:
        line, column = line_column(text, found.start())
        raise InvalidXml(XmlProblem(ProblemKind.DECLARATION, line, column, found.group(1).upper()))
    try:
        element = ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        detail = _POSITION_SUFFIX.sub("", str(exc))
        raise InvalidXml(XmlProblem(ProblemKind.MALFORMED, line, column + 1, detail)) from None
    if element.tag != root:
        raise InvalidXml(XmlProblem(ProblemKind.NOT_DOMAIN, 1, 1, str(element.tag)))
    return element


def check_xml(text: str, root: str = "domain") -> XmlProblem | None:
    """None when ``text`` is a well-formed <root> document without declarations."""
    try:
        parse_checked(text, root)
    except InvalidXml as exc:
        return exc.problem
    return None
