"""Message boxes that report failed libvirt calls.

The summary and the hint are kvmdesk's own sentences (see
``core.messages``); libvirt's own words go to the "Show Details…" section.
Everything is plain text: error messages quote names and paths from the
host, and those must never be interpreted as markup.

``failure_box`` and ``failures_box`` only build the box, for callers that
want to show it their own way; ``show_failure`` and ``show_failures`` build
it and show it with ``present`` (``exec()``, or ``open()`` when called from
a coroutine, see there).
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.virt.errors import Failure
from kvmdesk.virt.shown import reveal, shown


def _plain_box(parent: QWidget | None, title: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    return box


def _finish(box: QMessageBox, informative: str, detailed: str) -> QMessageBox:
    if informative:
        box.setInformativeText(informative)
    if detailed:
        box.setDetailedText(detailed)  # shown with QTextEdit.setPlainText
    # The informative label follows the box's text format in current Qt
    # versions; enforce it so that no version renders host text as markup.
    widen_text(box)
    return box


def widen_text(box: QMessageBox, width: int = 460) -> None:
    """Plain text everywhere, and room for paths and libvirt's sentences:
    a message box is narrow by default and breaks them at odd places."""
    for label in box.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
        if label.text():
            label.setMinimumWidth(width)


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def failure_box(parent: QWidget | None, title: str, failure: Failure) -> QMessageBox:
    """A warning box for one failure; not shown yet."""
    box = _plain_box(parent, title)
    box.setText(messages.failure_summary(failure))
    return _finish(box, messages.failure_hint(failure), reveal(failure.message, True))


def failures_box(
    parent: QWidget | None, title: str, failures: list[tuple[str, Failure]]
) -> QMessageBox:
    """A warning box for several failures, each with the name of its object."""
    # The names come from the host, and so does libvirt's text about them.
    failures = [(shown(name), failure) for name, failure in failures]
    if len(failures) == 1:
        name, failure = failures[0]
        box = _plain_box(parent, title)
        box.setText(tr("{0}: {1}").format(name, messages.failure_summary(failure)))
        return _finish(box, messages.failure_hint(failure), reveal(failure.message, True))
    box = _plain_box(parent, title)
    lines = [tr("%n action(s) failed:", None, len(failures)), ""]
    lines += [
        tr("{0}: {1}").format(name, messages.failure_summary(failure)) for name, failure in failures
    ]
    box.setText("\n".join(lines))
    hints = _unique([messages.failure_hint(failure) for _name, failure in failures])
    detailed = "\n".join(
        tr("{0}: {1}").format(name, reveal(failure.message, True)) for name, failure in failures
    )
    return _finish(box, "\n".join(hints), detailed)


_open_boxes: set[QMessageBox] = set()  # shown with open(): kept alive until closed


def _inside_task() -> bool:
    try:
        return asyncio.current_task() is not None
    except RuntimeError:  # no running loop
        return False


def present(box: QMessageBox) -> None:
    """Show a report box modally and delete it once closed.

    Outside a coroutine it is ``exec()``-ed. Inside one it is ``open()``-ed
    instead: a nested event loop inside a task step makes every other task
    that wakes up meanwhile fail with "Cannot enter into task" and stay
    stuck, which would stop the connections' refresh and stats loops.
    """
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if not _inside_task():
        box.exec()
        return
    _open_boxes.add(box)
    box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()


async def ask(dialog: QDialog) -> int:
    """Show ``dialog`` from a coroutine and await its result code.

    ``open()`` plus a future instead of ``exec()``: no nested event loop,
    so the connections' tasks keep running while the dialog is up.
    """
    future: asyncio.Future[int] = asyncio.get_event_loop().create_future()

    def done(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(done)
    dialog.open()
    return await future


def show_failure(parent: QWidget | None, title: str, failure: Failure) -> None:
    """Report one failure in a modal warning box."""
    present(failure_box(parent, title, failure))


def show_failures(parent: QWidget | None, title: str, failures: list[tuple[str, Failure]]) -> None:
    """Report the failures of several actions in one modal warning box."""
    if not failures:
        return
    present(failures_box(parent, title, failures))


def _text_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, info: str
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if info:
        box.setInformativeText(info)
    return box


def warning_box(
    parent: QWidget | None, title: str, text: str, informative: str = ""
) -> QMessageBox:
    """A plain-text warning box without buttons yet, for a caller that adds its own choices."""
    return _text_box(parent, QMessageBox.Icon.Warning, title, text, informative)


async def ask_yes(parent: QWidget, title: str, text: str, informative: str) -> bool:
    """A Yes/Cancel question (Cancel the default), awaited from a coroutine."""
    box = _text_box(parent, QMessageBox.Icon.Question, title, text, informative)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    widen_text(box)
    answer = await ask(box)
    box.deleteLater()
    return bool(answer == QMessageBox.StandardButton.Yes.value)


def report_text(parent: QWidget, title: str, text: str, informative: str = "") -> None:
    """A warning with plain text that is not a libvirt failure (a refusal, a bad input)."""
    box = _text_box(parent, QMessageBox.Icon.Warning, title, text, informative)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    widen_text(box)
    present(box)
