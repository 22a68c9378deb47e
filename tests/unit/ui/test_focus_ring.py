"""Where the keyboard focus is can be seen, on every widget that takes it.

On the main window, each dialog and each New VM page (``screens.visit``),
every visible widget that Tab reaches is focused in turn; the window must
look different with the focus there than without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
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


async def unseen_focus(root: QWidget) -> list[str]:
    root.activateWindow()
    for _ in range(40):
        if root.isActiveWindow():
            break
        await asyncio.sleep(0.02)
    assert root.isActiveWindow()
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled() or widget.width() < 2:
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy():
            continue
        root.setFocus()
        without = root.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        if not widget.hasFocus():
            continue  # it passes the focus on (a proxy, a disabled part)
        if root.grab().toImage() == without:
            missing.append(f"{type(widget).__name__} {widget.accessibleName()!r}")
    return missing


def test_the_focus_is_seen_everywhere(walk_services: Services, run: Callable[..., Any]) -> None:
    problems: dict[str, list[str]] = {}
    checked: list[str] = []

    async def look(where: str, root: QWidget) -> None:
        if "tab" in where and where != "main window":
            return  # the details tabs: the main window's own widgets were checked
        checked.append(where)
        missing = await unseen_focus(root)
        if missing:
            problems[where] = missing

    run(visit(walk_services, look), timeout=240)
    assert "main window" in checked and "Preferences, General" in checked
    assert problems == {}
