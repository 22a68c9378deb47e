"""``kvmdesk askpass``: the dialog ssh's prompts are shown in, and the glue to ssh."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from kvmdesk.cli.askpass import emit, prompt_text, utf8_locale
from kvmdesk.ui.connection.askpass_dialog import AskpassDialog, Kind, classify

HOST_KEY_PROMPT = (
    "The authenticity of host 'example.org (192.0.2.7)' can't be established.\n"
    "ED25519 key fingerprint is SHA256:Zq3m0Gd1Xy8r1bq7eFJ0nq5mWmQ2kq1rXr6p9L0aB4c.\n"
    "This key is not known by any other names.\n"
    "Are you sure you want to continue connecting (yes/no/[fingerprint])? "
)


def _dialog(qtbot: QtBot, prompt: str, kind: Kind) -> AskpassDialog:
    dialog = AskpassDialog(prompt, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_classify() -> None:
    assert classify("root@host's password: ", {}) is Kind.PASSWORD
    assert classify("Enter passphrase for key '/k': ", {}) is Kind.PASSWORD
    assert classify(HOST_KEY_PROMPT, {}) is Kind.HOST_KEY
    assert classify("Allow use of key?", {"SSH_ASKPASS_PROMPT": "confirm"}) is Kind.CONFIRM


def test_password_prompt_returns_typed_text(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "root@host's password: ", Kind.PASSWORD)
    assert dialog.edit is not None
    assert dialog.edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.edit, "s3cr<e>t pw")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answer() == "s3cr<e>t pw"


def test_password_prompt_cancel(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "Password:", Kind.PASSWORD)
    assert dialog.edit is not None
    qtbot.keyClicks(dialog.edit, "typed")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() is None


def test_password_prompt_enter_accepts(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "Password:", Kind.PASSWORD)
    assert dialog.edit is not None
    qtbot.keyClicks(dialog.edit, "pw")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert dialog.answer() == "pw"


def test_host_key_prompt_shows_fingerprint_as_plain_text(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, HOST_KEY_PROMPT, Kind.HOST_KEY)
    assert dialog.edit is None
    assert dialog.label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.label.text() == HOST_KEY_PROMPT
    assert dialog.ok_button.text() == "Connect"
    assert dialog.cancel_button.isDefault()
    assert not dialog.ok_button.isDefault()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() == "yes"


def test_host_key_prompt_cancel_and_enter_do_not_connect(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, HOST_KEY_PROMPT, Kind.HOST_KEY)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() is None

    dialog = _dialog(qtbot, HOST_KEY_PROMPT, Kind.HOST_KEY)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button is Cancel
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.answer() is None


def test_html_in_prompt_is_shown_literally(qtbot: QtBot) -> None:
    prompt = "<b>html</b> password: "
    dialog = _dialog(qtbot, prompt, Kind.PASSWORD)
    assert dialog.label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.label.text() == prompt


def test_confirm_prompt_has_no_input(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, "Allow use of key /k?", Kind.CONFIRM)
    assert dialog.edit is None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() == ""
    dialog = _dialog(qtbot, "Allow use of key /k?", Kind.CONFIRM)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.answer() is None


@pytest.mark.parametrize(
    ("answer", "code", "out"),
    [
        ("pw with space", 0, b"pw with space\n"),
        ("yes", 0, b"yes\n"),
        ("", 0, b"\n"),
        ("pässwörd 密码", 0, "pässwörd 密码\n".encode()),
        (None, 1, b""),
    ],
)
def test_emit_prints_answer_and_newline_only(answer: str | None, code: int, out: bytes) -> None:
    buffer = io.BytesIO()
    assert emit(answer, buffer) == code
    assert buffer.getvalue() == out


def test_main_glue(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kvmdesk import __main__ as cli
    from kvmdesk.cli import askpass

    seen: list[str] = []

    def fake_ask(prompt: str) -> str | None:
        seen.append(prompt)
        return "hunter2"

    # In this process standard error and the locale stay as they are.
    monkeypatch.setattr(askpass, "silence_stderr", lambda: None)
    monkeypatch.setattr(askpass, "utf8_locale", lambda: None)
    monkeypatch.setattr(askpass, "ask", fake_ask)
    assert cli.main(["askpass", "Password:"]) == 0
    assert seen == ["Password:"]
    out, err = capsys.readouterr()
    assert (out, err) == ("hunter2\n", "")

    monkeypatch.setattr(askpass, "ask", lambda prompt: None)
    assert cli.main(["askpass", HOST_KEY_PROMPT]) == 1
    assert capsys.readouterr().out == ""


# -- under libvirt: LC_ALL=C, and a small buffer for standard error ---------------------


def test_nothing_reaches_standard_error_in_the_c_locale(tmp_path: Path) -> None:
    """As libvirt runs it (LC_ALL=C), with Qt made as noisy as it gets and
    no display to open: Qt warns about the locale, lists its plugins, fails
    to start and aborts. ssh hears "cancelled"; its standard error, which
    libvirt keeps in a small buffer, gets nothing."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path),
        "LC_ALL": "C",
        "QT_QPA_PLATFORM": "xcb",
        "QT_DEBUG_PLUGINS": "1",
        "QT_LOGGING_RULES": "*.debug=true",
        "PYTHONWARNINGS": "always",
    }
    prompt = "Enter passphrase for key '/root/.ssh/clé_测试':"
    result = subprocess.run(
        [sys.executable, "-m", "kvmdesk", "askpass", prompt],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == b""
    assert result.stderr == b""


def test_an_unreadable_prompt_is_still_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    # In the C locale without UTF-8 mode, arguments arrive as surrogate escapes.
    escaped = os.fsdecode("clé 测试".encode())
    assert prompt_text(["Password for", escaped]) == "Password for clé 测试"
    env = {"LC_ALL": "C", "LANG": "de_DE.UTF-8"}
    utf8_locale(env)
    assert env == {"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}
    env = {"LANG": "POSIX"}
    utf8_locale(env)
    assert env == {"LANG": "C.UTF-8"}
    env = {"LC_ALL": "zh_CN.UTF-8"}
    utf8_locale(env)
    assert env == {"LC_ALL": "zh_CN.UTF-8"}


def test_a_utf8_prompt_and_answer_go_through(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from kvmdesk.cli import askpass

    prompt = "Пароль для root@хост:"
    shown: list[str] = []

    def answer() -> None:
        [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, AskpassDialog)]
        shown.append(dialog.label.text())
        assert dialog.edit is not None
        dialog.edit.setText("пароль 密码")
        dialog.accept()

    QTimer.singleShot(0, answer)
    reply = askpass.ask(prompt)
    assert shown == [prompt]
    out = io.BytesIO()
    assert emit(reply, out) == 0
    assert out.getvalue() == "пароль 密码\n".encode()


def test_questions_come_one_at_a_time(tmp_path: Path) -> None:
    """A second askpass (another host's ssh) waits until the first question is answered."""
    import threading
    import time

    from kvmdesk.cli.askpass import one_at_a_time

    path = str(tmp_path / "askpass.lock")
    events: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with one_at_a_time(path):
            events.append("first asks")
            first_in.set()
            time.sleep(0.3)
            events.append("first answered")

    def second() -> None:
        first_in.wait(5)
        with one_at_a_time(path):
            events.append("second asks")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert events == ["first asks", "first answered", "second asks"]
