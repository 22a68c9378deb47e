"""Every translation call is one that pyside6-lupdate extracts under the
context the code asks for at run time, and every extracted string is
translated into Chinese.

The code side is read with ``ast``; the lupdate side by running lupdate
itself. A call lupdate would file elsewhere ("messages.tr", "self._widget.tr"),
a text built at run time (``tr(variable)``, an f-string) or a translation
function under another name would never show translated: each is reported
with its file and line. ``scripts/fix_tr_calls.py`` repairs the common ones.
"""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from tests.unit.translations.lupdate import PACKAGE, ROOT, TS_DIR, Message, extract, read_ts

# Calls that translate a text chosen at run time on purpose: its strings are
# extracted elsewhere (hostcheck sentences, from their ``check_text(...)`` calls).
DYNAMIC = {
    ("kvmdesk/ui/host/host_check_page.py", "tr_text"),
    ("kvmdesk/core/messages.py", "tr"),  # the function itself
}
APPLICATIONS = {"QCoreApplication", "QGuiApplication", "QApplication"}


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class Calls(ast.NodeVisitor):
    """The translation calls of one module: (context, source) and problems."""

    def __init__(self, rel: str, module: str) -> None:
        self.rel, self.module = rel, module
        self.found: list[tuple[str, str, int]] = []  # context, source, line
        self.problems: list[str] = []
        self.classes: list[str] = []
        self.functions: list[str] = []
        self.imports_tr = False

    def problem(self, node: ast.AST, text: str) -> None:
        self.problems.append(f"{self.rel}:{getattr(node, 'lineno', 0)}: {text}")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name == "tr" and self.rel != "kvmdesk/core/messages.py":
            self.problem(node, "a function called tr that is not kvmdesk.core.messages.tr")
        for arg in node.args.args + node.args.kwonlyargs:
            if arg.arg == "tr":
                self.problem(node, "a parameter called tr hides kvmdesk.core.messages.tr")
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "tr":
                if node.module == "kvmdesk.core.messages" and alias.asname is None:
                    self.imports_tr = True
                else:
                    self.problem(node, "import tr only as `from kvmdesk.core.messages import tr`")
            elif alias.asname == "tr":
                self.problem(node, f"{alias.name} imported as tr")

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        is_tr = (isinstance(value, ast.Name) and value.id == "tr") or (
            isinstance(value, ast.Attribute) and value.attr in ("tr", "translate")
        )
        targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if is_tr or "tr" in targets:
            self.problem(node, "a translation function under another name is invisible to lupdate")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        first = node.args[0] if node.args else None
        if isinstance(func, ast.Name) and func.id == "tr":
            self._text_call(node, "", first)
        elif isinstance(func, ast.Attribute) and func.attr == "tr":
            if isinstance(func.value, ast.Name) and func.value.id == "self":
                if not self.classes:
                    self.problem(node, "self.tr outside a class")
                else:
                    self._check_qobject(node, ".".join(self.classes))
                    self._text_call(node, self.classes[-1], first)
            else:
                self.problem(
                    node,
                    f"{ast.unparse(func)}(...) is filed under context "
                    f"{ast.unparse(func.value)!r}: use tr(...) (scripts/fix_tr_calls.py)",
                )
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "translate"
            and isinstance(func.value, ast.Name)
            and func.value.id in APPLICATIONS
        ):
            context = _literal(first)
            if (self.rel, self.functions[-1] if self.functions else "") in DYNAMIC:
                pass
            elif context is None or len(node.args) < 2:
                self.problem(node, "translate() needs a literal context and text")
            else:
                self._text_call(node, context, node.args[1])
        elif isinstance(func, ast.Name) and func.id == "QT_TRANSLATE_NOOP":
            context = _literal(first)
            if context is None or len(node.args) != 2:
                self.problem(node, "QT_TRANSLATE_NOOP needs a literal context and text")
            else:
                self._text_call(node, context, node.args[1])
        elif isinstance(func, ast.Name) and func.id == "check_text":
            context = _literal(first)
            if context is None or len(node.args) != 2 or node.keywords:
                self.problem(node, 'write check_text("id", "English") with two literals only')
            else:
                self._text_call(node, context, node.args[1])
        self.generic_visit(node)

    def _text_call(self, node: ast.Call, context: str, text: ast.expr | None) -> None:
        source = _literal(text)
        if source is None:
            self.problem(node, "the text must be a string literal, or lupdate cannot see it")
            return
        if "(s)" in source and not ("%n" in source.replace("%Ln", "%n") and len(node.args) >= 3):
            self.problem(node, f"{source!r}: write plurals as %n with a count (numerus)")
        self.found.append((context, source, node.lineno))

    def _check_qobject(self, node: ast.AST, qualname: str) -> None:
        obj: object = importlib.import_module(self.module)
        for part in qualname.split("."):
            obj = getattr(obj, part, None)
        if not (isinstance(obj, type) and issubclass(obj, QObject)):
            self.problem(node, f"self.tr in {qualname}, which is not a QObject")


def scan() -> tuple[list[Calls], list[str]]:
    modules, problems = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        module = rel[: -len(".py")].replace("/", ".").removesuffix(".__init__")
        calls = Calls(rel, module)
        calls.visit(ast.parse(path.read_text(encoding="utf-8")))
        uses_bare = any(context == "" for context, _, _ in calls.found)
        if uses_bare and not calls.imports_tr and rel != "kvmdesk/core/messages.py":
            problems.append(f"{rel}: tr(...) without `from kvmdesk.core.messages import tr`")
        problems += calls.problems
        modules.append(calls)
    return modules, problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[Message]:
    return extract(tmp_path_factory.mktemp("lupdate"))


def test_every_call_is_one_lupdate_can_extract() -> None:
    _, problems = scan()
    assert not problems, "\n".join(problems)


def test_lupdate_files_each_call_under_the_context_the_code_asks_for(
    extracted: list[Message],
) -> None:
    modules, _ = scan()
    by_file: dict[str, Counter[tuple[str, str]]] = {}
    for m in extracted:
        rel = Path(m.file).resolve().relative_to(ROOT).as_posix()
        by_file.setdefault(rel, Counter())[(m.context, m.source)] += 1
    wrong = []
    for calls in modules:
        asked = Counter((context, source) for context, source, _ in calls.found)
        filed = by_file.get(calls.rel, Counter())
        for key in asked - filed:
            line = next(n for c, s, n in calls.found if (c, s) == key)
            wrong.append(f"{calls.rel}:{line}: asks for {key} but lupdate files {sorted(filed)}")
        for key in filed - asked:
            wrong.append(f"{calls.rel}: lupdate files {key}, which no call asks for")
    assert not wrong, "\n".join(wrong[:40])


def test_every_extracted_string_is_translated_into_chinese(extracted: list[Message]) -> None:
    catalogue = {(m.context, m.source): m for m in read_ts(TS_DIR / "kvmdesk_zh_CN.ts")}
    missing = sorted(
        {
            (m.context, m.source)
            for m in extracted
            if (m.context, m.source) not in catalogue
            or not catalogue[(m.context, m.source)].finished
        }
    )
    assert not missing, (
        f"{len(missing)} strings have no Chinese translation; run `make translations`, "
        "translate them in kvmdesk/resources/translations/kvmdesk_zh_CN.ts "
        "(docs/architecture.md, Translations), e.g.:\n"
        + "\n".join(f"  [{c}] {s}" for c, s in missing[:30])
    )


def test_plural_sources_have_english_forms(extracted: list[Message]) -> None:
    english = {(m.context, m.source): m for m in read_ts(TS_DIR / "kvmdesk_en.ts")}
    plural = {(m.context, m.source) for m in extracted if m.numerus}
    assert plural, "no plural form at all: the check below would prove nothing"
    missing = sorted(k for k in plural if k not in english or not english[k].finished)
    assert not missing, f"run `make translations` and fill kvmdesk_en.ts: {missing}"
