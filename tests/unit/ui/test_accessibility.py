"""Every interactive widget on every screen has an accessible name.

Walks Qt's accessibility tree (what a screen reader sees) of the main
window, each details tab, Connection Details, each New VM page and each
dialog (``screens.visit``), and fails on a visible button, field, list or
tab without a name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

from kvmdesk.app import Services

try:
    from .screens import visit
except ImportError:
    from screens import visit  # type: ignore[no-redef]

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]

R = QAccessible.Role
INTERACTIVE = {
    R.PushButton,
    R.CheckBox,
    R.RadioButton,
    R.ComboBox,
    R.EditableText,
    R.SpinBox,
    R.Slider,
    R.PageTab,
    R.ButtonMenu,
    R.ButtonDropDown,
    R.List,
    R.Table,
    R.Tree,
    R.Link,
}


def unnamed(root: QWidget) -> list[str]:
    """Visible interactive items under ``root`` that a screen reader cannot name."""
    found: list[str] = []

    def walk(iface: QAccessibleInterface | None, path: str) -> None:
        if iface is None or not iface.isValid():
            return
        state = iface.state()
        if state.invisible or (state.offscreen and iface.role() is not R.PageTab):
            return
        here = f"{path}/{iface.role().name}"
        obj = iface.object()
        if obj is not None:
            here += f"({type(obj).__name__})"
        if iface.role() in INTERACTIVE and not iface.text(QAccessible.Text.Name).strip():
            found.append(here)
        if iface.role() in (R.List, R.Table, R.Tree):
            return  # their rows are data, named by their own text
        for i in range(iface.childCount()):
            walk(iface.child(i), here)

    walk(QAccessible.queryAccessibleInterface(root), "")
    return found


def test_every_interactive_widget_has_an_accessible_name(
    walk_services: Services, run: Callable[..., Any]
) -> None:
    problems: dict[str, list[str]] = {}
    screens: list[str] = []

    def look(where: str, widget: QWidget) -> None:
        screens.append(where)
        missing = unnamed(widget)
        if missing:
            problems[where] = missing

    run(visit(walk_services, look), timeout=240)
    assert len(screens) > 30  # the walk reached every screen
    assert problems == {}
