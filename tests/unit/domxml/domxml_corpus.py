"""The domain XML corpus in ``tests/data/domxml_corpus`` (see its README), as documents.

A file holds one <domain>, several written one after the other (virt-install
prints the install-time and the final definition), or a wrapper with
<domain> elements inside (virt-manager's test driver, snapshots).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

DATA = Path(__file__).parents[2] / "data"
CORPUS = DATA / "domxml_corpus"


def _documents(text: str) -> list[str]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return re.findall(r"<domain\b.*?</domain>", text, re.S)
    if root.tag == "domain":
        return [text]
    return [ET.tostring(found, encoding="unicode") for found in root.iter("domain")]


@cache
def corpus() -> tuple[tuple[str, str], ...]:
    """(name, document) for every domain in the corpus and in the other test data."""
    found = []
    paths = sorted(CORPUS.rglob("*.xml")) + sorted(DATA.glob("*.xml"))
    for path in paths:
        for index, xml in enumerate(_documents(path.read_text(encoding="utf-8"))):
            found.append((f"{path.relative_to(DATA)}#{index}", xml))
    return tuple(found)
