"""libvirt's own credential requests are answered in a dialog while the loop runs."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from kvmdesk.app import build
from kvmdesk.core.connection import ConnState
from kvmdesk.ui.connection.credentials_dialog import CredentialDialog

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]


def _dialog() -> CredentialDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CredentialDialog) and widget.isVisible():
            return widget
    return None


def _answer(conn: Any, wait_until: Any, user: str, password: str) -> list[CredentialDialog]:
    """Answer every dialog libvirt asks for (it may ask one question at a time)."""
    seen: list[CredentialDialog] = []
    while True:
        wait_until(
            lambda: _dialog() is not None or conn.state is not ConnState.CONNECTING,
            what="a dialog or the outcome",
        )
        dialog = _dialog()
        if dialog is None:
            return seen
        seen.append(dialog)
        for cred, field in zip(dialog.request.creds, dialog.fields, strict=True):
            assert (field.echoMode() is QLineEdit.EchoMode.Password) == cred.secret
            field.setText(password if cred.secret else user)
        dialog.accept()


def test_right_credentials_open_the_connection(
    qtbot: Any, settings: Any, fast_timing: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    services = build(settings, fast_timing)
    conn = services.manager.add(data_uri("auth.xml"), persist=False)
    conn.open()
    dialogs = _answer(conn, wait_until, "admin", "s3cret")
    assert dialogs, "no credential dialog was shown"
    wait_until(lambda: conn.state is ConnState.CONNECTED, what="the connection")
    assert [r.name for r in conn.domains.values()] == ["guarded"]
    run(services.manager.shutdown())


def test_wrong_password_fails_and_cancel_stops(
    qtbot: Any, settings: Any, fast_timing: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    services = build(settings, fast_timing)
    conn = services.manager.add(data_uri("auth.xml"), persist=False)
    conn.open()
    _answer(conn, wait_until, "admin", "wrong")
    wait_until(lambda: conn.failure is not None, what="the failure")
    assert conn.state is not ConnState.CONNECTED
    conn.close()

    conn.open()
    wait_until(lambda: _dialog() is not None, what="the dialog again")
    dialog = _dialog()
    assert dialog is not None
    dialog.reject()
    wait_until(lambda: conn.state is not ConnState.CONNECTING, what="the cancelled attempt")
    assert conn.state is not ConnState.CONNECTED
    conn.close()
    run(services.manager.shutdown())


def _shown_dialogs() -> list[CredentialDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, CredentialDialog) and w.isVisible()
    ]


def test_hosts_opening_together_ask_one_at_a_time_each_naming_itself(
    qtbot: Any,
    settings: Any,
    fast_timing: Any,
    run: Any,
    data_uri: Any,
    wait_until: Any,
    tmp_path: Any,
) -> None:
    """A fleet opens its hosts together; their questions queue instead of piling up."""
    services = build(settings, fast_timing)
    first = data_uri("auth.xml")
    second_file = tmp_path / "other-auth.xml"
    second_file.write_text((tmp_path / "auth.xml").read_text())
    second = f"test://{second_file}"
    conns = [services.manager.add(uri, persist=False) for uri in (first, second)]
    for conn in conns:
        conn.open()
    broker = services.manager._broker

    def settled() -> bool:
        return all(c.state is not ConnState.CONNECTING for c in conns)

    # Both workers wait for an answer: still only one dialog is up.
    wait_until(lambda: len(broker._pending) == 2, what="both hosts asking")
    asked: set[str] = set()
    while True:
        wait_until(lambda: bool(_shown_dialogs()) or settled(), what="a dialog or the outcome")
        dialogs = _shown_dialogs()
        if not dialogs:
            break
        assert len(dialogs) == 1
        dialog = dialogs[0]
        asked.add(dialog.request.uri)
        assert any(dialog.request.uri in label.text() for label in dialog.findChildren(QLabel))
        for cred, field in zip(dialog.request.creds, dialog.fields, strict=True):
            field.setText("s3cret" if cred.secret else "admin")
        dialog.accept()
        qtbot.wait(0)
    assert asked == {first, second}
    wait_until(lambda: all(c.state is ConnState.CONNECTED for c in conns), what="both open")
    run(services.manager.shutdown())
