"""Run pyside6-lupdate the way ``make translations`` does and read its catalogue."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "kvmdesk"
TS_DIR = PACKAGE / "resources" / "translations"
# The same alias as the Makefile: hostcheck sentences are QT_TRANSLATE_NOOP calls.
ALIAS = "QT_TRANSLATE_NOOP+=check_text"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    translation: str  # "" when unfinished; numerus forms joined by "\n"
    finished: bool
    file: str = ""
    line: int = 0


def lupdate_command() -> list[str]:
    found = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert found, "pyside6-lupdate is missing from the environment (PySide6)"
    return [found]


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def extract(tmp: Path) -> list[Message]:
    """What lupdate finds in the sources now, with file and line."""
    ts = tmp / "extracted.ts"
    subprocess.run(
        [
            *lupdate_command(),
            "-silent",
            "-locations",
            "absolute",
            "-tr-function-alias",
            ALIAS,
            *map(str, sources()),
            "-ts",
            str(ts),
        ],
        check=True,
    )
    return read_ts(ts)


def read_ts(path: Path) -> list[Message]:
    messages = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            if msg.get("numerus") == "yes":
                text = "\n".join(f.text or "" for f in tr.iter("numerusform"))
            else:
                text = tr.text or ""
            status = tr.get("type")
            locs = msg.findall("location")
            for loc in locs or [None]:
                messages.append(
                    Message(
                        context=name,
                        source=msg.findtext("source") or "",
                        comment=msg.findtext("comment") or "",
                        numerus=msg.get("numerus") == "yes",
                        translation=text,
                        finished=status not in ("unfinished", "obsolete", "vanished")
                        and bool(text.strip()),
                        file=str((path.parent / loc.get("filename", "")).resolve())
                        if loc is not None
                        else "",
                        line=int(loc.get("line", "0")) if loc is not None else 0,
                    )
                )
    return messages
