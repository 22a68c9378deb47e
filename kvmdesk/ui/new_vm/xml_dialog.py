"""“Customize configuration before install”: the Hardware tab's forms on the
planned definition, and its XML (the last tab), editable, checked (no
DOCTYPE/ENTITY, well-formed, a <domain>) before it is used.

The two tabs show one definition: leaving the Hardware tab writes the
forms' changes into the XML, and coming back builds the forms again from
the XML as it is then."""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor, XmlHighlighter
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hardware_offer import HostOffer, host_offer
from kvmdesk.virt.plan_input import PlanInputError
from kvmdesk.virt.xmledit import ProblemKind, check_xml


class XmlCustomizeDialog(QDialog):
    def __init__(self, parent: QWidget | None, xml: str, conn: Connection | None = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.offer: HostOffer | None = None
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
        # Imported here: the Hardware tab's forms use this package's widgets too.
        from kvmdesk.ui.domain.hardware.plan_editor import PlanEditor

        self.hardware = PlanEditor()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        if conn is not None:
            self.tabs.addTab(self.hardware, tr("Hardware"))
        self.tabs.addTab(self.editor, tr("XML"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(860, 600)
        self._offer_task = (
            asyncio.ensure_future(self._load_offer(conn, xml)) if conn is not None else None
        )

    async def _load_offer(self, conn: Connection, xml: str) -> None:
        try:
            offer = await conn.call(host_offer, xml)
        except Exception as exc:
            if shiboken6.isValid(self):
                self.hardware.say(messages.failure_summary(classify(exc)))
            return
        if shiboken6.isValid(self):
            self.offer = offer
            self.hardware.build(self.text(), conn, offer)

    def _sync_to_xml(self) -> bool:
        """Write the forms' changes into the XML; False (and why) when a value is refused."""
        if not self.hardware.is_modified():
            return True
        from kvmdesk.ui.domain.hardware.hardware_words import input_text

        try:
            edited = self.hardware.edited()
        except PlanInputError as error:
            self.tabs.setCurrentWidget(self.hardware)
            self.error.setText(input_text(error))
            self.error.show()
            return False
        self.editor.setPlainText(edited)
        if self.conn is not None and self.offer is not None:
            self.hardware.build(edited, self.conn, self.offer)
        return True

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.editor:
            self._sync_to_xml()
        elif (
            self.conn is not None
            and self.offer is not None
            and self.text() != self.hardware.built_from
        ):
            self.hardware.build(self.text(), self.conn, self.offer)

    def text(self) -> str:
        return self.editor.toPlainText()

    def accept(self) -> None:
        if not self._sync_to_xml():
            return
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
