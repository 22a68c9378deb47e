"""The Hardware tab's forms on a definition that exists only as text: a planned new VM.

The New VM wizard's "Customize before install" shows them beside the raw
XML. Nothing runs and nothing is stored: ``edited`` returns the text with
the forms' changes written in, after the same checks as Apply. Adding and
removing devices is done in the XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.ui.common.widgets import plain_label, scroll_page
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm
from kvmdesk.ui.domain.hardware.form_list import forms_for
from kvmdesk.ui.domain.hardware.hardware_apply import edited_definition
from kvmdesk.virt.hardware_offer import HostOffer


class PlanEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms: list[HardwareForm] = []
        self.built_from = ""  # the text the forms were built from
        self.items = QListWidget()
        self.items.setMinimumWidth(170)
        self.stack = QStackedWidget()
        self.message = plain_label(self.tr("Loading…"))
        self.stack.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.items)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.items.currentRowChanged.connect(lambda row: self.stack.setCurrentIndex(row + 1))

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def build(self, xml: str, conn: Connection, offer: HostOffer) -> None:
        """Forms for ``xml``; a text that does not parse shows why instead."""
        row = max(self.items.currentRow(), 0)
        self.items.clear()
        while self.stack.count() > 1:
            widget = self.stack.widget(1)
            assert widget is not None
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.forms = []
        self.built_from = xml
        try:
            root = ET.fromstring(xml)
        except ET.ParseError:
            self.say(self.tr("The XML is not well-formed; correct it in the XML tab."))
            return
        ctx = FormContext(conn, "", offer, running=False, persistent=True)
        for label, form in forms_for(ctx, root, autostart=False):
            form.load(root, None)
            if isinstance(form, BootForm):
                form.autostart.setVisible(False)  # set on the host once the VM exists
            self.forms.append(form)
            self.items.addItem(label)
            self.stack.addWidget(scroll_page(form) if form.editable else form)
        self.items.setCurrentRow(min(row, self.items.count() - 1))

    def is_modified(self) -> bool:
        return any(form.is_dirty() for form in self.forms)

    def edited(self) -> str:
        """The text the forms were built from, with their changes; raises ``PlanInputError``."""
        dirty = [form for form in self.forms if form.is_dirty()]
        for form in dirty:
            try:
                form.check()
            except Exception:
                self.items.setCurrentRow(self.forms.index(form))
                raise
        return edited_definition(self.built_from, dirty) if dirty else self.built_from
