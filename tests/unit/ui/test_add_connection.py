"""The Add Connection dialog: the URI it builds and the input it refuses."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kvmdesk.ui.add_connection import AddConnectionDialog, Kind, uri_problem

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DATA = Path(__file__).resolve().parents[2] / "data"


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
        "qemu+tls://host:16514/system?no_verify=1",
    ],
)
def test_custom_uri_accepted(dialog: AddConnectionDialog, uri: str) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(uri)
    assert dialog.uri() == uri
    assert dialog.generated.text() == uri
    assert _ok(dialog)


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
    ],
)
def test_custom_uri_refused(dialog: AddConnectionDialog, text: str) -> None:
    dialog.set_kind(Kind.CUSTOM)
    dialog.custom_uri.setText(text)
    assert not _ok(dialog)
    assert uri_problem(dialog.uri())


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
