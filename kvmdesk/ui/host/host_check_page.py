"""The virtualization check of one connection, as a page.

The facts are gathered on the connection's worker (``hostcheck.gather``
reads /proc, /sys, /dev/kvm and libvirt's capabilities, all blocking) and
judged by the pure ``hostcheck.evaluate``. Each check is one row: a
PASS/WARN/FAIL badge (a standard icon and the word), its title, what was
found and, unless it passed, what to do. The verdict heads the page.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font, scroll_page
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hostcheck import Check, Report, Source, Status, Text, Verdict, evaluate, gather

log = logging.getLogger(__name__)

ICON_SIZE = 20


def tr_text(text: Text) -> str:
    """A check's sentence in the user's language (its id is its context, see texts.py)."""
    template = QCoreApplication.translate(text.id, text.english)
    args = {k: tr_text(v) if isinstance(v, Text) else v for k, v in text.args}
    try:
        return template.format_map(args)
    except (KeyError, IndexError, ValueError):  # a broken translation
        return str(text)


def status_word(status: Status) -> str:
    return {Status.PASS: tr("PASS"), Status.WARN: tr("WARN"), Status.FAIL: tr("FAIL")}[status]


def verdict_word(verdict: Verdict) -> str:
    return {
        Verdict.READY: tr("Ready"),
        Verdict.DEGRADED: tr("Usable, with warnings"),
        Verdict.UNUSABLE: tr("Not usable"),
    }[verdict]


def source_words(source: Source) -> str:
    return {
        Source.LOCAL: tr("this machine"),
        Source.LIBVIRT: tr("libvirt"),
        Source.BOTH: tr("this machine and libvirt"),
    }[source]


def status_icon(widget: QWidget, status: Status) -> QIcon:
    pixmap = {
        Status.PASS: QStyle.StandardPixmap.SP_DialogApplyButton,
        Status.WARN: QStyle.StandardPixmap.SP_MessageBoxWarning,
        Status.FAIL: QStyle.StandardPixmap.SP_MessageBoxCritical,
    }[status]
    return widget.style().standardIcon(pixmap)


def _icon_label(widget: QWidget, status: Status, size: int = ICON_SIZE) -> QLabel:
    label = QLabel()
    label.setPixmap(status_icon(widget, status).pixmap(size, size))
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
    label.setAccessibleName(status_word(status))
    return label


class HostCheckPage(QWidget):
    """Runs the virtualization check for a connection and lists the results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        self._conn: Connection | None = None
        self._task: asyncio.Future[Any] | None = None

        self.verdict_icon = QLabel()
        self.verdict = plain_label(selectable=False)
        self.verdict.setFont(scaled_font(self.font(), 1.3))
        self.summary = plain_label()
        self.run_button = QPushButton(tr("Check Again"))
        self.run_button.clicked.connect(self.start)

        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.verdict_icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self.verdict)
        texts.addWidget(self.summary)
        head.addLayout(texts, 1)
        head.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignTop)

        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(18, 4, 18, 18)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(2, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(18, 16, 18, 4)
        header_layout.addLayout(head)
        layout.addWidget(header)
        layout.addWidget(scroll_page(self.rows), 1)

    # -- running ----------------------------------------------------------

    def set_connection(self, conn: Connection) -> None:
        self._conn = conn

    def start(self) -> None:
        """Run the check in the background (once at a time)."""
        if self._conn is None or (self._task is not None and not self._task.done()):
            return
        self._begin()  # at once, not when the task first runs
        self._task = asyncio.ensure_future(self.run_check())
        self._task.add_done_callback(_log_failure)

    async def run_check(self) -> Report | None:
        conn = self._conn
        if conn is None:
            return None
        self._begin()
        uri = conn.uri
        try:
            report = await conn.call(lambda virt: evaluate(gather(virt, uri)))
        except Exception as exc:  # libvirtError, NotConnectedError, worker gone
            if shiboken6.isValid(self):
                failure = classify(exc)
                self._show_message(
                    tr("The check could not run."), messages.failure_summary(failure)
                )
                self.run_button.setEnabled(True)
            return None
        if not shiboken6.isValid(self):
            return None
        self.run_button.setEnabled(True)
        self.show_report(report)
        return report

    def _begin(self) -> None:
        self.run_button.setEnabled(False)
        self._show_message(tr("Checking…"), "")

    # -- showing ----------------------------------------------------------

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _show_message(self, headline: str, text: str) -> None:
        self.report = None
        self._clear()
        self.verdict_icon.clear()
        self.verdict.setText(headline)
        self.summary.setText(text)

    def show_report(self, report: Report) -> None:
        self.report = report
        self._clear()
        status = Status(int(report.verdict))
        self.verdict_icon.setPixmap(status_icon(self, status).pixmap(32, 32))
        self.verdict.setText(
            tr("{0}: {1}").format(status_word(status), verdict_word(report.verdict))
        )
        self.summary.setText(tr_text(report.summary))
        self.summary.setToolTip(messages.plain_tooltip(report.uri))
        row = 0
        for check in report.checks:
            row = self._add_check(row, check)
        for note in report.not_checked:
            label = dim(plain_label(tr("Not checked: {0}").format(tr_text(note))))
            self.grid.addWidget(label, row, 0, 1, 3)
            row += 1
        self.grid.setRowStretch(row, 1)

    def _add_check(self, row: int, check: Check) -> int:
        if row:
            self.grid.setRowMinimumHeight(row, 10)  # air between two checks
            row += 1
        self.grid.addWidget(_icon_label(self, check.status), row, 0)
        badge = plain_label(status_word(check.status), selectable=False, wrap=False)
        badge.setFont(scaled_font(self.font(), 1.0))
        badge.setObjectName(f"status-{check.key}")
        self.grid.addWidget(badge, row, 1, Qt.AlignmentFlag.AlignTop)
        title = plain_label(tr_text(check.title), selectable=False, wrap=False)
        title.setFont(scaled_font(self.font(), 1.0))
        where = source_words(check.source)
        if not check.essential:
            where = tr("{0}, optional").format(where)
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(title)
        title_row.addWidget(dim(plain_label(tr("from {0}").format(where), selectable=False)), 1)
        self.grid.addLayout(title_row, row, 2)
        row += 1
        meaning = plain_label(tr_text(check.meaning))
        meaning.setObjectName(f"meaning-{check.key}")
        self.grid.addWidget(meaning, row, 2)
        row += 1
        if check.status is not Status.PASS:
            for advice in check.advice:
                hint = plain_label(tr("→ {0}").format(tr_text(advice)))
                hint.setIndent(12)
                self.grid.addWidget(dim(hint), row, 2)
                row += 1
        return row


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the virtualization check failed", exc_info=task.exception())
