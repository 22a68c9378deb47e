"""Shared by the main window's fleet tests: the built application and a way to add hosts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from kvmdesk.app import Services, build
from kvmdesk.core.connection import Connection


@pytest.fixture
def app_services(qtbot: Any, settings: Any, fast_timing: Any, run: Any) -> Iterator[Services]:
    built = build(settings, fast_timing)
    qtbot.addWidget(built.window)
    yield built
    run(built.manager.shutdown())


@pytest.fixture
def shown_services(qtbot: Any, settings: Any, fast_timing: Any, run: Any) -> Iterator[Services]:
    """The built application with its window shown (laid out and painted)."""
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def open_host(app_services: Services, run: Any, data_uri: Any) -> Callable[[str], Connection]:
    """``open_host("two-domains.xml")``: a test-driver host added and connected."""

    def add(name: str) -> Connection:
        conn = app_services.manager.add(data_uri(name), persist=False)
        assert run(conn.open_and_wait())
        return conn

    return add


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    """A shown window under the dialogs: closing the last window would stop the loop."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
