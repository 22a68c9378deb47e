#!/usr/bin/env python3
"""Make every translation call one that pyside6-lupdate files under the
context the code asks for at run time. Safe to run again at any time.

How lupdate reads Python (qttools, src/linguist/lupdate/python.cpp):

* ``tr("text")``          -> context ""  (a bare name: no class, no module)
* ``self.tr("text")``     -> context = the class the call is written in;
  PySide6's ``QObject.tr`` looks the text up under every class name of the
  object's MRO, so the written-in class is always among them
* ``anything.tr("text")`` -> context "anything", literally ("messages",
  "self._widget"): no code asks for such a context at run time
* ``QCoreApplication.translate("ctx", "text")`` -> context "ctx"

``kvmdesk.core.messages.tr`` translates under the context "". So this script
rewrites ``messages.tr(`` and ``<expression>.tr(`` (other than ``self.tr(``)
to a bare ``tr(``, drops local ``tr = messages.tr`` aliases, and adds
``from kvmdesk.core.messages import tr`` where a module now needs it; then
ruff sorts the imports, removes the ones left unused and formats the files
it changed. tests/unit/test_translation_contexts.py fails on any call this
script would change.

Usage: scripts/fix_tr_calls.py [PATH ...]   (default: kvmdesk/)
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT = "from kvmdesk.core.messages import tr"
ALIAS = re.compile(r"^[ \t]*tr = messages\.tr[ \t]*(#.*)?\n", re.MULTILINE)
SKIP = {"kvmdesk/core/messages.py"}


def _prefix_spans(source: str) -> list[tuple[int, int]]:
    """Character spans of ``X.Y.`` in front of ``tr(`` where X is not ``self`` alone."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(pos: tuple[int, int]) -> int:
        return offsets[pos[0] - 1] + pos[1]

    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    spans = []
    for i, tok in enumerate(tokens):
        if not (tok.type == tokenize.NAME and tok.string == "tr"):
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        j = i  # walk back over NAME . NAME . ... in front of "tr"
        while j >= 2 and tokens[j - 1].string == "." and tokens[j - 2].type == tokenize.NAME:
            j -= 2
        if j == i:
            continue  # bare tr(
        names = [tokens[k].string for k in range(j, i, 2)]
        if names == ["self"]:
            continue
        if j >= 1 and tokens[j - 1].string in (".", ")", "]"):
            continue  # f(x).tr( or a[0].tr(: not ours to guess; the test reports it
        spans.append((at(tokens[j].start), at(tok.start)))
    return spans


def convert(source: str) -> str:
    """The converted text of one module (unchanged if nothing needs it)."""
    for start, end in reversed(_prefix_spans(source)):
        source = source[:start] + source[end:]
    uses_bare = bool(re.search(r"(?<![\w.])tr\(", source))
    source = ALIAS.sub("", source) if uses_bare else source
    if uses_bare and not re.search(r"^from kvmdesk\.core\.messages import .*\btr\b", source, re.M):
        source = _add_import(source)
    return source


def _add_import(source: str) -> str:
    """Put the import after the module's last top-level import."""
    body = ast.parse(source).body
    ends = [node.end_lineno or 0 for node in body if isinstance(node, ast.Import | ast.ImportFrom)]
    lines = source.splitlines(keepends=True)
    lines.insert(max(ends, default=0), IMPORT + "\n")
    return "".join(lines)


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [ROOT / "kvmdesk"]
    files = sorted(p for t in targets for p in (t.rglob("*.py") if t.is_dir() else [t]))
    changed = []
    for path in files:
        rel = path.resolve().relative_to(ROOT).as_posix()
        if rel in SKIP:
            continue
        text = path.read_text(encoding="utf-8")
        new = convert(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(str(path))
    if changed:
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "-q", "--fix", "--select", "I,F401", *changed], check=False)
        subprocess.run([*ruff, "format", "-q", *changed], check=True)
    for name in changed:
        print(f"converted {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
