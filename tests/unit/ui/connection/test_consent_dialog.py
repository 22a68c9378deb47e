"""A restored unsafe URI: its row says why it is closed, and Connect asks for consent."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog

from kvmdesk.app import Services, build
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.models.tree import Column
from kvmdesk.ui.connection import consent_dialog
from kvmdesk.ui.connection.add_connection import AddConnectionDialog, Kind
from kvmdesk.ui.connection.consent_dialog import ConsentDialog

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
DATA = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture
def unsafe_uri(tmp_path: Path) -> str:
    copy = tmp_path / "two-domains.xml"
    shutil.copy(DATA / "two-domains.xml", copy)
    return f"test://{copy}?no_verify=1"


@pytest.fixture
def services(
    qtbot: Any, settings: Settings, fast_timing: Any, run: Run, unsafe_uri: str
) -> Iterator[Services]:
    settings.set_connections([SavedConnection(unsafe_uri, autoconnect=True)])
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.manager.restore()
    yield built
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _answer(monkeypatch: pytest.MonkeyPatch, understand: bool, remember: bool) -> list[str]:
    """ConsentDialog.exec ticks the boxes as a user would and presses a button."""
    shown: list[str] = []

    def exec_(dialog: ConsentDialog) -> int:
        shown.append(dialog.warning.text())
        assert not dialog.connect_button.isEnabled()
        dialog.understand_box.setChecked(understand)
        if understand:
            assert dialog.connect_button.isEnabled()
            dialog.remember_box.setChecked(remember)
            return QDialog.DialogCode.Accepted.value
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(consent_dialog.ConsentDialog, "exec", exec_)
    return shown


def _state_cell(services: Services, conn: Connection, role: int) -> Any:
    model = services.window.model
    return model.index_of_connection(conn).siblingAtColumn(Column.STATE).data(role)


def test_the_row_says_why_and_cancel_keeps_it_closed(
    services: Services, unsafe_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = services.manager.find(unsafe_uri)
    assert conn is not None and conn.state is ConnState.DISCONNECTED
    text = _state_cell(services, conn, Qt.ItemDataRole.DisplayRole)
    assert text.startswith("Disconnected: Not opened: this address makes libvirt run a program")
    tip = _state_cell(services, conn, Qt.ItemDataRole.ToolTipRole)
    assert "no_verify=" in tip and "Choose Connect" in tip

    shown = _answer(monkeypatch, understand=False, remember=False)
    services.window.conns.activate(conn)  # a double-click on the row
    assert len(shown) == 1 and "no_verify=" in shown[0]
    assert conn.state is ConnState.DISCONNECTED and conn.needs_consent


def test_consent_for_this_start(
    services: Services,
    unsafe_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    wait_until: WaitUntil,
    settings: Settings,
) -> None:
    conn = services.manager.find(unsafe_uri)
    assert conn is not None
    _answer(monkeypatch, understand=True, remember=False)
    services.window.conns.connect_to(conn)
    wait_until(lambda: conn.state is ConnState.CONNECTED, what="connected")
    assert settings.connections() == [SavedConnection(unsafe_uri, True, consent=False)]


def test_consent_remembered(
    services: Services,
    unsafe_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    wait_until: WaitUntil,
    settings: Settings,
) -> None:
    conn = services.manager.find(unsafe_uri)
    assert conn is not None
    _answer(monkeypatch, understand=True, remember=True)
    services.window.conns.connect_to(conn)
    wait_until(lambda: conn.state is ConnState.CONNECTED, what="connected")
    assert settings.connections() == [SavedConnection(unsafe_uri, True, consent=True)]


def test_consent_dialog_needs_understanding_first(qtbot: Any, unsafe_uri: str) -> None:
    dialog = ConsentDialog(unsafe_uri)
    qtbot.addWidget(dialog)
    assert not dialog.connect_button.isEnabled()
    assert not dialog.remember_box.isEnabled()
    dialog.understand_box.setChecked(True)
    dialog.remember_box.setChecked(True)
    assert dialog.consent() and dialog.remember()
    dialog.understand_box.setChecked(False)
    assert not dialog.remember_box.isChecked() and not dialog.remember()
    assert dialog.warning.textFormat() == Qt.TextFormat.PlainText


def test_add_connection_dialog_can_remember_consent(qtbot: Any, unsafe_uri: str) -> None:
    dialog = AddConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(unsafe_uri)
    assert not dialog.ok_button.isEnabled() and not dialog.consent()
    assert not dialog.remember_box.isEnabled()
    dialog.understand_box.setChecked(True)
    assert dialog.ok_button.isEnabled() and dialog.consent() and not dialog.remember_consent()
    dialog.remember_box.setChecked(True)
    assert dialog.remember_consent()
    dialog.custom_uri.setText(unsafe_uri + "&keyfile=/x")  # what was shown changed
    assert not dialog.consent() and not dialog.remember_box.isChecked()
