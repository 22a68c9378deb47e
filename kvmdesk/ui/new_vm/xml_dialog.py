"""“Customize configuration before install”: the generated XML, editable,
checked (no DOCTYPE/ENTITY, well-formed, a <domain>) before it is used."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor, XmlHighlighter
from kvmdesk.virt.xmledit import ProblemKind, check_xml


class XmlCustomizeDialog(QDialog):
    def __init__(self, parent: QWidget | None, xml: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Customize the new virtual machine"))
        self.note = dim(
            plain_label(
                tr(
                    "Nothing has been created yet. Edit the definition, then choose "
                    "Create; libvirt checks it against its schema."
                )
            )
        )
        self.editor = XmlEditor(self)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(xml)
        self.highlighter = XmlHighlighter(self.editor.document(), self.palette())
        self.error = plain_label()
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Create"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def text(self) -> str:
        return self.editor.toPlainText()

    def accept(self) -> None:
        problem = check_xml(self.text())
        if problem is None:
            super().accept()
            return
        reasons = {
            ProblemKind.DECLARATION: tr("DOCTYPE and ENTITY declarations are refused."),
            ProblemKind.MALFORMED: tr("The XML is not well-formed: {0}").format(problem.detail),
            ProblemKind.NOT_DOMAIN: tr("The document must be a <domain>, not <{0}>.").format(
                problem.detail
            ),
        }
        self.error.setText(
            tr("Line {0}, column {1}: {2}").format(
                problem.line, problem.column, reasons[problem.kind]
            )
        )
        self.error.show()
