"""Tab goes through each dialog and each New VM page in reading order.

Qt's focus chain is a ring; starting from the field nearest the top left,
each next widget Tab reaches must be on the same line or below, except the
dialog's own buttons at the bottom, which come last.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget, QWizard

from kvmdesk.app import Services

try:
    from .screens import visit
except ImportError:
    from screens import visit  # type: ignore[no-redef]

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]


def tab_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab reaches in ``root``, in order, from the top left one."""
    found: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget not in found:
        reachable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not widget.focusProxy()
        if reachable and widget.isVisibleTo(root) and widget.isEnabled():
            found.append(widget)
        widget = widget.nextInFocusChain()
    if not found:
        return found

    def place(w: QWidget) -> tuple[int, int]:
        corner = w.mapTo(root, w.rect().topLeft())
        return corner.y(), corner.x()

    start = found.index(min(found, key=place))
    return found[start:] + found[:start]


def _is_dialog_button(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    window = widget.window()
    if isinstance(window, QWizard):
        # QWizard keeps its own buttons in a row of its own, below the page.
        buttons = [window.button(which) for which in QWizard.WizardButton if which.value < 10]
        if any(widget is button for button in buttons):
            return True
    return isinstance(parent, QDialogButtonBox)


def backward_steps(root: QWidget) -> list[str]:
    chain = tab_chain(root)
    steps = []
    for before, after in itertools.pairwise(chain):
        if _is_dialog_button(after):
            continue
        above = after.mapTo(root, after.rect().topLeft()).y() + 4
        if above < before.mapTo(root, before.rect().topLeft()).y():
            steps.append(
                f"{type(before).__name__} → {type(after).__name__} {after.accessibleName()!r}"
            )
    return steps


def test_tab_follows_the_reading_order(walk_services: Services, run: Callable[..., Any]) -> None:
    problems: dict[str, list[str]] = {}
    checked: list[str] = []

    def look(where: str, root: QWidget) -> None:
        if isinstance(root, QDialog | QWizard):
            checked.append(where)
            steps = backward_steps(root)
            if steps:
                problems[where] = steps

    run(visit(walk_services, look), timeout=240)
    assert len(checked) > 15
    assert problems == {}


def test_a_field_added_out_of_order_is_found(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    first, second = QLineEdit(), QLineEdit()
    layout = QVBoxLayout(dialog)
    layout.addWidget(first)
    layout.addWidget(second)
    dialog.show()
    assert backward_steps(dialog) == []
    extra = QLineEdit()
    layout.insertWidget(1, extra)  # created last, shown between: Tab jumps back up
    QApplication.processEvents()
    assert backward_steps(dialog) != []
