"""CredentialBroker: libvirt's credential callback on a worker, answered on the GUI thread."""

from __future__ import annotations

import logging
import threading

import libvirt
import pytest
from pytestqt.qtbot import QtBot

from kvmdesk.core.credentials import CredentialBroker, CredentialRequest
from kvmdesk.virt.auth import CREDTYPES, Credential, auth_list
from kvmdesk.virt.opener import open_uri

SECRET = "pa55-w0rd-never-logged"


def _in_worker(fn: object) -> tuple[threading.Thread, list[object]]:
    out: list[object] = []

    def run() -> None:
        out.append(fn())  # type: ignore[operator]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def _creds() -> list[Credential]:
    return [
        Credential(libvirt.VIR_CRED_AUTHNAME, "Username:", default="root"),
        Credential(libvirt.VIR_CRED_PASSPHRASE, "Password:"),
    ]


def test_answer_from_gui_thread(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    broker = CredentialBroker(timeout=10)
    seen: list[CredentialRequest] = []

    def on_request(req: CredentialRequest) -> None:
        assert threading.current_thread() is threading.main_thread()
        seen.append(req)
        req.creds[0].result = "alice"
        req.creds[1].result = SECRET
        req.answer()

    broker.requested.connect(on_request)
    creds = _creds()
    caplog.set_level(logging.DEBUG)
    thread, out = _in_worker(lambda: broker.request(creds))
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    assert out == [True]
    assert len(seen) == 1
    assert [c.result for c in creds] == ["alice", SECRET]
    assert SECRET not in caplog.text
    assert SECRET not in repr(creds)


def test_cancel_returns_false(qtbot: QtBot) -> None:
    broker = CredentialBroker(timeout=10)
    broker.requested.connect(lambda req: req.cancel())
    thread, out = _in_worker(lambda: broker.request(_creds()))
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    assert out == [False]


def test_timeout_returns_false_and_withdraws(qtbot: QtBot) -> None:
    broker = CredentialBroker(timeout=0.05)
    asked: list[CredentialRequest] = []
    broker.requested.connect(asked.append)
    with qtbot.waitSignal(broker.withdrawn, timeout=5000) as blocker:
        thread, out = _in_worker(lambda: broker.request(_creds()))
        thread.join(5)
    assert out == [False]
    request = blocker.args[0]
    assert isinstance(request, CredentialRequest)
    assert not request.pending
    request.answer()  # a late answer changes nothing
    assert request.wait(0) is False


def test_cancel_all_releases_worker(qtbot: QtBot) -> None:
    broker = CredentialBroker(timeout=30)
    asked: list[CredentialRequest] = []
    broker.requested.connect(asked.append)
    thread, out = _in_worker(lambda: broker.request(_creds()))
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    broker.cancel_all()
    thread.join(5)
    assert out == [False]


def test_request_on_gui_thread_refused() -> None:
    broker = CredentialBroker(timeout=1)
    with pytest.raises(RuntimeError):
        broker.request(_creds())


def test_auth_list_callback_fills_results(caplog: pytest.LogCaptureFixture) -> None:
    def ask(items: object) -> bool:
        creds = list(items)  # type: ignore[call-overload]
        assert [c.prompt for c in creds] == ["Username:", "Password:"]
        assert creds[1].secret and not creds[0].secret
        creds[1].result = SECRET  # creds[0] keeps its default
        return True

    types, callback, opaque = auth_list(ask)
    assert tuple(types) == CREDTYPES
    raw = [
        [libvirt.VIR_CRED_AUTHNAME, "Username:", "", "root", None],
        [libvirt.VIR_CRED_PASSPHRASE, "Password:", "", None, None],
    ]
    caplog.set_level(logging.DEBUG)
    assert callback(raw, opaque) == 0
    assert raw[0][4] == "root"
    assert raw[1][4] == SECRET
    assert SECRET not in caplog.text


def test_auth_list_callback_cancel_and_crash() -> None:
    raw = [[libvirt.VIR_CRED_PASSPHRASE, "Password:", "", None, None]]
    assert auth_list(lambda items: False)[1](raw, None) == -1

    def boom(items: object) -> bool:
        raise ValueError("no dialog")

    assert auth_list(boom)[1](raw, None) == -1
    assert raw[0][4] is None


def test_open_uri_with_ask_goes_through_open_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    from kvmdesk.core.connection import Connection

    calls: list[tuple[str, int]] = []
    real = libvirt.openAuth

    def record(uri: str, auth: list[object], flags: int) -> libvirt.virConnect:
        calls.append((uri, flags))
        assert tuple(auth[0]) == CREDTYPES  # type: ignore[arg-type]
        return real(uri, auth, flags)

    monkeypatch.setattr(libvirt, "openAuth", record)
    broker = CredentialBroker()
    assert Connection("test:///default", autoconnect=False, broker=broker).broker is broker
    virt = open_uri("test:///default", ask=broker.request)
    try:
        assert calls == [("test:///default", 0)]
    finally:
        virt.close()
    virt = open_uri("test:///default")  # no asker: plain libvirt.open
    virt.close()
    assert len(calls) == 1
