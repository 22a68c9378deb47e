"""The Add Connection dialog: the URI it builds and the input it refuses."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kvmdesk.ui.connection.add_connection import AddConnectionDialog, Kind, uri_problem

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DATA = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture
def dialog(qtbot: Any) -> AddConnectionDialog:
    dlg = AddConnectionDialog()
    qtbot.addWidget(dlg)
    return dlg


def _ok(dlg: AddConnectionDialog) -> bool:
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_defaults_to_the_system_instance(dialog: AddConnectionDialog) -> None:
    assert dialog.windowTitle() == "Add Connection"
    assert dialog.kind() is Kind.SYSTEM
    assert dialog.hypervisor.currentText() == "QEMU/KVM"
    assert dialog.uri() == "qemu:///system"
    assert dialog.generated.text() == "qemu:///system"
    assert dialog.generated.isReadOnly()
    assert dialog.autoconnect()
    assert _ok(dialog)
    assert dialog.problem.isHidden()


def test_user_session(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.SESSION)
    assert dialog.hypervisor.currentText() == "QEMU/KVM user session"
    assert dialog.uri() == "qemu:///session"
    assert dialog.generated.text() == "qemu:///session"
    assert _ok(dialog)


def test_autoconnect_can_be_turned_off(dialog: AddConnectionDialog) -> None:
    dialog.autoconnect_box.setChecked(False)
    assert not dialog.autoconnect()


def test_only_the_rows_of_the_chosen_kind_are_shown(dialog: AddConnectionDialog) -> None:
    assert not dialog.form.isRowVisible(dialog.test_row)
    assert not dialog.form.isRowVisible(dialog.custom_uri)
    assert not dialog.form.isRowVisible(dialog.custom_parts)
    dialog.set_kind(Kind.TEST)
    assert dialog.form.isRowVisible(dialog.test_row)
    assert not dialog.form.isRowVisible(dialog.custom_uri)
    dialog.set_kind(Kind.CUSTOM)
    assert not dialog.form.isRowVisible(dialog.test_row)
    assert dialog.form.isRowVisible(dialog.custom_uri)


def test_test_driver_file(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.TEST)
    assert dialog.hypervisor.currentText() == "Test driver (file)"
    assert dialog.uri() == "test:///default"  # no file: libvirt's built-in host
    assert _ok(dialog)
    dialog.test_path.setText("/srv/hosts/lab.xml")
    assert dialog.uri() == "test:///srv/hosts/lab.xml"
    assert dialog.generated.text() == "test:///srv/hosts/lab.xml"
    assert _ok(dialog)


def test_test_driver_path_must_be_absolute(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.TEST)
    dialog.test_path.setText("hosts/lab.xml")
    assert not _ok(dialog)
    assert not dialog.problem.isHidden()
    assert "absolute" in dialog.problem.text()
    assert dialog.problem.textFormat() == Qt.TextFormat.PlainText
    dialog.test_path.setText("/hosts/lab.xml")
    assert _ok(dialog)
    assert dialog.problem.isHidden()


def test_test_driver_path_with_a_space_opens(dialog: AddConnectionDialog, tmp_path: Path) -> None:
    folder = tmp_path / "my hosts"
    folder.mkdir()
    shutil.copy(DATA / "two-domains.xml", folder / "lab.xml")
    dialog.set_kind(Kind.TEST)
    dialog.test_path.setText(str(folder / "lab.xml"))
    uri = dialog.uri()
    assert " " not in uri and "%20" in uri
    assert _ok(dialog)
    conn = libvirt.open(uri)
    try:
        assert sorted(d.name() for d in conn.listAllDomains()) == ["alpha", "beta"]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "uri",
    [
        "qemu+ssh://root@host.example/system",
        "qemu:///system",
        "test:///default",
        "qemu+tls://host:16514/system",
        "qemu+ssh://admin@[2001:db8::1]:2222/session?no_tty=1",
    ],
)
def test_custom_uri_accepted(dialog: AddConnectionDialog, uri: str) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(uri)
    assert dialog.uri() == uri
    assert dialog.generated.text() == uri
    assert _ok(dialog)
    assert dialog.problem.isHidden()
    assert dialog.understand_box.isHidden()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "qemu:///sys tem",
        "qemu+ssh://root@host/system\tx",
        "qemu:///system\x00",
        "qemu:///\u202esystem",
        "no-scheme-here",
        "/var/run/libvirt/libvirt-sock",
        "://missing-scheme",
        "1qemu:///system",
        "qemu+ssh://-oProxyCommand=touch%20/tmp/PWN/system",
        "qemu+ssh://ex\u0430mple.com/system",
        "qemu+ssh://host:70000/system",
        "qemu+ssh://[fe80::1%25eth0]/system",
        "qemu+ssh://a@b@host/system",
    ],
)
def test_custom_uri_refused(dialog: AddConnectionDialog, text: str) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(text)
    assert not _ok(dialog)
    assert uri_problem(dialog.uri(), allow_unsafe=True)
    assert dialog.understand_box.isHidden()
    if text.strip():
        assert not dialog.problem.isHidden()
        assert dialog.problem.text() == uri_problem(dialog.uri(), allow_unsafe=True)


def test_empty_custom_uri_is_incomplete_not_an_error(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.CUSTOM)
    assert not _ok(dialog)
    assert dialog.problem.isHidden()
    dialog.custom_uri.setText("bad uri")
    assert not dialog.problem.isHidden()


def test_surrounding_whitespace_is_ignored(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText("  qemu:///session \n")
    assert dialog.uri() == "qemu:///session"
    assert _ok(dialog)


def test_uri_problem() -> None:
    assert uri_problem("qemu:///system") == ""
    assert uri_problem("") != ""
    assert uri_problem("qemu:///a b") != ""
    assert uri_problem("qemu") != ""


def test_pasted_uri_is_shown_taken_apart(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.CUSTOM)
    assert not dialog.form.isRowVisible(dialog.custom_parts)
    dialog.custom_uri.setText("qemu+ssh://j%C3%B3zef@[2001:db8::1]:2222/system?no_tty=1")
    assert dialog.form.isRowVisible(dialog.custom_parts)
    assert dialog.custom_parts.textFormat() == Qt.TextFormat.PlainText
    text = dialog.custom_parts.text()
    for part in ("qemu", "ssh", "User: józef", "Host: 2001:db8::1", "Port: 2222", "no_tty=1"):
        assert part in text
    dialog.custom_uri.setText("qemu+ssh://-oProxyCommand=x/system")
    assert not dialog.form.isRowVisible(dialog.custom_parts)
    dialog.custom_uri.setText("qemu+ssh://host/system?keyfile=/etc/shadow")
    assert "keyfile=/etc/shadow" in dialog.custom_parts.text()  # unsafe, still shown


# -- unsafe custom URIs -------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("qemu+tls://host:16514/system?no_verify=1", "certificate"),
        ("qemu+ssh://host/system?command=/tmp/evil", "program"),
        ("qemu+ext:///system?command=/tmp/evil", "+ext"),
        ("qemu+ssh://host/system?keyfile=/etc/shadow", "private key"),
        ("qemu+libssh://host/system?known_hosts_verify=ignore", "host-key"),
        ("qemu+ssh://host/system?authfile=/x", "passwords"),
    ],
)
def test_unsafe_custom_uri_needs_consent(dialog: AddConnectionDialog, uri: str, words: str) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(uri)
    assert not _ok(dialog)
    assert dialog.problem.isHidden()
    assert not dialog.unsafe_warning.isHidden()
    assert not dialog.understand_box.isHidden()
    assert dialog.unsafe_warning.textFormat() == Qt.TextFormat.PlainText
    assert words in dialog.unsafe_warning.text()
    assert not dialog.understand_box.isChecked()
    dialog.understand_box.setChecked(True)
    assert _ok(dialog)
    assert dialog.uri() == uri


def test_consent_is_withdrawn_when_the_risk_changes(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText("qemu+ssh://host/system?no_verify=1")
    dialog.understand_box.setChecked(True)
    assert _ok(dialog)
    dialog.custom_uri.setText("qemu+ssh://host/system?no_verify=1&command=/tmp/evil")
    assert not dialog.understand_box.isChecked()
    assert not _ok(dialog)
    assert "command=" in dialog.unsafe_warning.text()
    dialog.custom_uri.setText("qemu+ssh://host/system")
    assert dialog.understand_box.isHidden()
    assert dialog.unsafe_warning.isHidden()
    assert _ok(dialog)


def test_unsafe_uri_with_a_malformed_part_stays_refused(dialog: AddConnectionDialog) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText("qemu+ssh://-oProxyCommand=x/system?command=/tmp/evil")
    assert dialog.understand_box.isHidden()
    assert not _ok(dialog)
    assert not dialog.problem.isHidden()


# -- remote host over SSH ---------------------------------------------------


def _remote(dialog: AddConnectionDialog, host: str, user: str = "", port: str = "") -> None:
    dialog.remote_box.setChecked(True)
    dialog.user_name.setText(user)
    dialog.host_name.setText(host)
    dialog.port.setText(port)


def test_remote_rows_only_with_the_box_ticked(dialog: AddConnectionDialog) -> None:
    assert dialog.form.isRowVisible(dialog.remote_box)
    assert dialog.remote_box.text().replace("&", "") == "Connect to remote host over SSH"
    for field in (dialog.user_name, dialog.host_name, dialog.port):
        assert not dialog.form.isRowVisible(field)
    dialog.remote_box.setChecked(True)
    for field in (dialog.user_name, dialog.host_name, dialog.port):
        assert dialog.form.isRowVisible(field)
    for kind in (Kind.TEST, Kind.CUSTOM):
        dialog.set_kind(kind)
        assert not dialog.form.isRowVisible(dialog.remote_box)
        assert not dialog.form.isRowVisible(dialog.host_name)
    dialog.set_kind(Kind.SESSION)
    assert dialog.form.isRowVisible(dialog.host_name)


def test_remote_host_needs_a_name_first(dialog: AddConnectionDialog) -> None:
    dialog.remote_box.setChecked(True)
    assert not _ok(dialog)
    assert dialog.problem.isHidden()  # incomplete, not wrong
    dialog.host_name.setText("host.example")
    assert _ok(dialog)
    assert dialog.uri() == "qemu+ssh://host.example/system"
    assert dialog.generated.text() == dialog.uri()
    assert dialog.generated.isReadOnly()
    dialog.remote_box.setChecked(False)
    assert dialog.uri() == "qemu:///system"


@pytest.mark.parametrize(
    ("kind", "host", "user", "port", "uri"),
    [
        (Kind.SYSTEM, "host.example", "root", "", "qemu+ssh://root@host.example/system"),
        (Kind.SESSION, "host.example", "me", "2222", "qemu+ssh://me@host.example:2222/session"),
        (Kind.SYSTEM, " 192.168.1.10 ", "", "", "qemu+ssh://192.168.1.10/system"),
        (Kind.SYSTEM, "2001:db8::1", "", "22", "qemu+ssh://[2001:db8::1]:22/system"),
        (Kind.SYSTEM, "[2001:db8::1]", "", "", "qemu+ssh://[2001:db8::1]/system"),
        (Kind.SYSTEM, "h.example", "józef", "", "qemu+ssh://j%C3%B3zef@h.example/system"),
    ],
)
def test_remote_uri(
    dialog: AddConnectionDialog, kind: Kind, host: str, user: str, port: str, uri: str
) -> None:
    dialog.set_kind(kind)
    _remote(dialog, host, user, port)
    assert dialog.uri() == uri
    assert dialog.generated.text() == uri
    assert _ok(dialog)
    assert dialog.problem.isHidden()


@pytest.mark.parametrize(
    ("host", "user", "port", "words"),
    [
        ("-oProxyCommand=touch /tmp/PWN", "", "", "host name"),
        ("host name", "", "", "space"),
        ("host;reboot", "", "", "';'"),
        ("$(id)", "", "", "'$'"),
        ("`id`", "", "", "'`'"),
        ("ex\u0430mple.com", "", "", "CYRILLIC"),
        ("fe80::1%eth0", "", "", "zone"),
        ("host%00", "", "", "'%'"),
        ("host.example", "a@b", "", "'@'"),
        ("host.example", "a:b", "", "':'"),
        ("host.example", "-oProxyCommand=x", "", "'-'"),
        ("host.example", "", "0", "port"),
        ("host.example", "", "70000", "port"),
        ("host.example", "", "abc", "port"),
    ],
)
def test_remote_fields_refused(
    dialog: AddConnectionDialog, host: str, user: str, port: str, words: str
) -> None:
    _remote(dialog, host, user, port)
    assert not _ok(dialog)
    assert not dialog.problem.isHidden()
    assert dialog.problem.textFormat() == Qt.TextFormat.PlainText
    assert words in dialog.problem.text()
    assert dialog.understand_box.isHidden()


def _render(dialog: AddConnectionDialog, path: Path) -> None:
    dialog.show()
    dialog.adjustSize()
    assert dialog.grab().save(str(path))


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
def test_renders_in_every_mode(dialog: AddConnectionDialog, tmp_path: Path) -> None:
    """Offscreen pictures of each mode (kept under pytest's tmp dir for a look)."""
    _render(dialog, tmp_path / "local.png")
    _remote(dialog, "host.example", "root", "2222")
    _render(dialog, tmp_path / "remote.png")
    _remote(dialog, "-oProxyCommand=touch /tmp/PWN")
    _render(dialog, tmp_path / "remote-bad.png")
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText("qemu+ssh://host/system?keyfile=/etc/shadow&no_verify=1")
    _render(dialog, tmp_path / "custom-unsafe.png")
    for name in ("local", "remote", "remote-bad", "custom-unsafe"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0


# -- Edit Connection ----------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "kind", "remote"),
    [
        ("qemu:///system", Kind.SYSTEM, False),
        ("qemu:///session", Kind.SESSION, False),
        ("qemu+ssh://admin@host.example:2222/system", Kind.SYSTEM, True),
        ("qemu+ssh://[2001:db8::1]/session", Kind.SESSION, True),
        ("test:///default", Kind.TEST, False),
        ("qemu+ssh://host.example/system?keyfile=/k", Kind.CUSTOM, False),
        ("qemu+tcp://host.example/system", Kind.CUSTOM, False),
        ("lxc:///", Kind.CUSTOM, False),
    ],
)
def test_edit_fills_the_form_from_the_uri(
    dialog: AddConnectionDialog, uri: str, kind: Kind, remote: bool
) -> None:
    dialog.edit(uri, autoconnect=False)
    assert dialog.windowTitle() == "Edit Connection"
    assert dialog.ok_button.text() == "Save"
    assert dialog.kind() is kind
    assert dialog.is_remote() is remote
    assert dialog.uri() == uri  # nothing changed yet: the same URI comes back
    assert not dialog.autoconnect()


def test_edit_remote_fields(dialog: AddConnectionDialog) -> None:
    dialog.edit("qemu+ssh://admin@host.example:2222/system", autoconnect=True)
    assert dialog.user_name.text() == "admin"
    assert dialog.host_name.text() == "host.example"
    assert dialog.port.text() == "2222"
    dialog.port.setText("2200")
    assert dialog.uri() == "qemu+ssh://admin@host.example:2200/system"
    assert _ok(dialog)


def test_edit_test_file(dialog: AddConnectionDialog) -> None:
    path = str(DATA / "two-domains.xml")
    dialog.edit(f"test://{path}", autoconnect=True)
    assert dialog.kind() is Kind.TEST
    assert dialog.test_path.text() == path


def test_edit_unsafe_uri_needs_consent_again(dialog: AddConnectionDialog) -> None:
    dialog.edit("qemu+ssh://host.example/system?no_verify=1", autoconnect=True)
    assert dialog.kind() is Kind.CUSTOM
    assert dialog.unsafe_warning.isVisibleTo(dialog)
    assert not _ok(dialog)
    dialog.understand_box.setChecked(True)
    assert _ok(dialog)
