"""Fixtures of the tests that walk every screen (``screens.visit``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from kvmdesk.app import Services, build
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing


@pytest.fixture
def walk_services(qtbot: Any, settings: Settings, run: Callable[..., Any]) -> Iterator[Services]:
    """The application on its own settings, for a walk through every screen."""
    built = build(settings, Timing(stats_interval=0.5))
    yield built
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
