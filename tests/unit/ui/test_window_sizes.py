"""At 800×600, at 1,600×1,000, at twice the scale and in Chinese, nothing is cut.

Every screen (``screens.visit``) is rendered at the size and checked by
``cut_text.problems``: no label elided, wider or taller than itself or
clipped by a parent that does not scroll, no list header or state name
truncated, and the filter box on screen. The 2× scale runs in a process of
its own: ``QT_SCALE_FACTOR`` counts only before Qt starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from kvmdesk.app import Services
from kvmdesk.ui.main.narrow import NAME_WIDTH

try:
    from .cut_text import problems
    from .screens import visit
except ImportError:
    from cut_text import problems  # type: ignore[no-redef]
    from screens import visit  # type: ignore[no-redef]

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]

CHECK = Path(__file__).with_name("cut_text.py")


@pytest.mark.parametrize("size", [(800, 600), (1600, 1000)])
def test_nothing_is_cut(
    walk_services: Services, run: Callable[..., Any], size: tuple[int, int]
) -> None:
    found: list[str] = []
    screens: list[str] = []

    def look(where: str, root: QWidget) -> None:
        screens.append(where)
        found.extend(problems(where, root))

    run(visit(walk_services, look, size), timeout=240)
    assert walk_services.window.size().toTuple() == size  # the window really is that small
    # Narrow: the toolbar shows icons only, so that the filter box keeps its place.
    assert walk_services.window.toolbar_fit.compact is (size[0] < 900)
    assert walk_services.window.tree.columnWidth(0) >= NAME_WIDTH  # names stay readable
    assert len(screens) > 30
    assert found == []


@pytest.mark.parametrize(
    ("scale", "language"), [("2", ""), ("1", "zh_CN")], ids=["twice the scale", "Chinese"]
)
def test_nothing_is_cut_at_twice_the_scale_or_in_chinese(scale: str, language: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale}
    done = subprocess.run(
        [sys.executable, str(CHECK), "800", "600", *([language] if language else [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_check_finds_a_cut_label(qtbot: Any) -> None:
    """The check itself: a label narrower than its text is reported."""
    label = QLabel("This host cannot open serial consoles")
    qtbot.addWidget(label)
    label.setFixedWidth(60)
    label.show()
    assert problems("a label", label) != []
    label.setFixedWidth(label.sizeHint().width())
    assert problems("a label", label) == []
