"""Telling where XML text is wrong: a plain-language line and the cursor on it.

Used by the XML tab and by the Define/Create from XML dialog for the
problems ``check_xml`` finds before libvirt sees the text.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from kvmdesk.core.messages import tr
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor
from kvmdesk.virt.xmledit import ProblemKind, XmlProblem


def problem_text(problem: XmlProblem) -> str:
    """Where the XML is wrong and why, in plain language."""
    if problem.kind is ProblemKind.DECLARATION:
        detail = tr("{0} declarations are not allowed").format(problem.detail)
    elif problem.kind is ProblemKind.NOT_DOMAIN:
        detail = tr("the root element must be <domain>, not <{0}>").format(problem.detail)
    else:
        detail = problem.detail
    return tr("line {0}, column {1}: {2}").format(problem.line, problem.column, detail)


def move_to_problem(editor: XmlEditor, problem: XmlProblem) -> None:
    """Put the editor's cursor where the problem is."""
    cursor = QTextCursor(editor.document().findBlockByNumber(problem.line - 1))
    cursor.movePosition(
        QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor, problem.column - 1
    )
    editor.setTextCursor(cursor)
