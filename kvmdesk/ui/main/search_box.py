"""The toolbar's search box: reads the query language, says where it cannot.

A query that reads is handed on (``queryChanged``); one that does not keeps
the rows as they were filtered last, marks the box with an error icon whose
tooltip says what and where, and puts the same words in the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget

from kvmdesk.core.search import Query, SearchError, parse
from kvmdesk.models.icons import icon


class SearchBox(QLineEdit):
    queryChanged = Signal(object)  # a readable Query (empty when the box is)
    problem = Signal(str)  # what is wrong and where, or "" once it reads again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Search: web state:running tag:prod mem>4G"))
        self.setToolTip(
            self.tr(
                "Words match names and tags. Fields: name: state: host: tag: os: ip:, "
                "mem>4G, cpu>50%, vcpus>=4. Negate with - or NOT, either side with OR; "
                "quotes keep spaces."
            )
        )
        self.setClearButtonEnabled(True)
        self.setMaximumWidth(320)
        self.error: SearchError | None = None
        self._error_action = QAction(icon("conn-error"), "", self)
        self._error_action.setVisible(False)
        self.addAction(self._error_action, QLineEdit.ActionPosition.TrailingPosition)
        self._error_action.setText(self.tr("What the search cannot read"))
        clear = self.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:
            clear.setText(self.tr("Clear the search"))
        for button in self.findChildren(QToolButton):  # the buttons in the box: named too
            action = button.defaultAction()
            if action is not None and action.text():
                button.setAccessibleName(action.text())
        self.textChanged.connect(self._changed)

    @property
    def query(self) -> Query:
        """The last query that read (the rows are filtered by it)."""
        return self._query

    _query = parse("")

    def _changed(self, text: str) -> None:
        try:
            query = parse(text)
        except SearchError as exc:
            self.error = exc
            self._error_action.setToolTip(str(exc))
            self._error_action.setVisible(True)
            self.setAccessibleDescription(str(exc))
            self.problem.emit(str(exc))
            return
        if self.error is not None:
            self.error = None
            self._error_action.setVisible(False)
            self.setAccessibleDescription("")
            self.problem.emit("")
        self._query = query
        self.queryChanged.emit(query)
