"""File → Define from XML… and Create from XML… in the main window (test driver)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Disk, Domain, Os
from kvmdesk.models.tree import Role
from kvmdesk.ui.common import errors
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.ui.main.define_dialog import DefinePreview
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.virt.define import Mode
from kvmdesk.virt.shown import shown
from tests.unit.ui.main.shown_rows import shown_rows

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]


@pytest.fixture(autouse=True)
def no_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def _dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


@pytest.fixture
def services(
    qtbot: Any, settings: Any, fast_timing: Any, run: Run, wait_until: WaitUntil
) -> Iterator[Services]:
    built = build(settings, fast_timing)
    window = built.window
    window.show()
    qtbot.waitExposed(window)
    yield built
    for widget in _dialogs():
        widget.done(0)
    wait_until(lambda: not window.define_acts._tasks, what="define tasks")
    run(built.manager.shutdown())
    window.hide()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)
    assert not errors._open_boxes


@pytest.fixture
def window(services: Services) -> MainWindow:
    return services.window


@pytest.fixture
def conn(services: Services, run: Run, data_uri: Callable[[str], str]) -> Connection:
    connection = services.manager.add(data_uri("two-domains.xml"), persist=False)
    assert run(connection.open_and_wait()), connection.failure
    return connection


def _select_connection(window: MainWindow, conn: Connection) -> None:
    for index in shown_rows(window):
        if index.data(Role.CONNECTION) is conn:
            window.tree.setCurrentIndex(index)
            return
    raise AssertionError("connection row not found")


def _xml(name: str) -> str:
    return Domain(
        name=name,
        type="test",
        memory=65536,
        os=Os(arch="x86_64"),
        devices=[Disk(source=f"/var/lib/libvirt/images/{name}.img", target_dev="vda")],
    ).to_xml()


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _names(run: Run, conn: Connection) -> set[str]:
    return set(run(conn.call(lambda v: [d.name() for d in v.listAllDomains()])))


def _start(window: MainWindow, mode: Mode, path: str | None = None) -> None:
    window.define_acts._spawn(window.define_acts.run(mode, path))


def _preview(window: MainWindow, wait_until: WaitUntil) -> DefinePreview:
    wait_until(
        lambda: (
            getattr(window.define_acts, "preview", None) is not None
            and window.define_acts.preview.isVisible()
        ),
        what="the preview",
    )
    preview = window.define_acts.preview
    assert preview is not None
    return preview


def _selected_name(window: MainWindow) -> str | None:
    selected = window.selected_domains()
    return selected[0].record.name if len(selected) == 1 else None


def test_actions_follow_the_selected_connection(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    acts = window.define_acts
    menu_texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert acts.define_act.text() in menu_texts and acts.create_act.text() in menu_texts
    window.tree.clearSelection()
    assert not acts.define_act.isEnabled() and not acts.create_act.isEnabled()
    _select_connection(window, conn)
    assert acts.define_act.isEnabled() and acts.create_act.isEnabled()
    conn.close()
    wait_until(lambda: not acts.define_act.isEnabled(), what="disabled when disconnected")
    assert not acts.create_act.isEnabled()


def test_the_file_chooser_cancelled_does_nothing(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil
) -> None:
    before = _names(run, conn)
    _select_connection(window, conn)
    window.define_acts.create_act.trigger()
    wait_until(lambda: getattr(window.define_acts, "file_dialog", None) is not None)
    chooser = window.define_acts.file_dialog
    assert chooser is not None and chooser.isVisible()
    assert chooser.windowTitle() == "Create from XML"
    chooser.reject()
    wait_until(lambda: not window.define_acts._tasks, what="the action to end")
    assert getattr(window.define_acts, "preview", None) is None
    assert _names(run, conn) == before


def test_define_from_file(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    path = _write(tmp_path, "gamma.xml", _xml("gamma <ω>"))
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, path)
    preview = _preview(window, wait_until)
    assert preview.windowTitle() == "Define from XML"
    assert preview.file_label.text() == path
    assert preview.text() == _xml("gamma <ω>")
    assert not preview.problem.isVisible()
    preview.go_button.click()
    wait_until(lambda: _selected_name(window) == "gamma <ω>", what="the new domain selected")
    dom = run(conn.call(lambda v: v.lookupByName("gamma <ω>")))
    assert dom.isPersistent() and not dom.isActive()
    assert "defined" in window.statusBar().currentMessage()
    [entry] = conn.command_log.entries
    assert entry.command.lines == (
        ("virsh", "-c", conn.uri, "define", "--file", path, "--validate"),
    )
    assert entry.outcome is Outcome.OK


def test_create_from_file_starts_a_transient_domain(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    _select_connection(window, conn)
    _start(window, Mode.CREATE, _write(tmp_path, "delta.xml", _xml("delta")))
    preview = _preview(window, wait_until)
    assert preview.windowTitle() == "Create from XML"
    assert preview.go_button.text() == "&Create"
    preview.go_button.click()
    wait_until(lambda: _selected_name(window) == "delta", what="the new domain selected")
    dom = run(conn.call(lambda v: v.lookupByName("delta")))
    assert dom.isActive() and not dom.isPersistent()
    [entry] = conn.command_log.entries
    assert entry.command.lines[0][3:5] == ("create", "--file")


def test_malformed_file_shows_position_keeps_the_buffer_and_defines_nothing(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    before = _names(run, conn)
    text = _xml("broken").replace("</name>", "</nam>")
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, _write(tmp_path, "broken.xml", text))
    preview = _preview(window, wait_until)
    assert preview.problem.isVisible()
    assert preview.problem.text().startswith("line 2, column ")
    assert "mismatched tag" in preview.problem.text()
    assert preview.editor.textCursor().blockNumber() == 1  # the cursor is on the bad line
    assert not run(preview.submit())
    assert preview.isVisible() and preview.text() == text
    assert _names(run, conn) == before
    # Corrected in the preview, it is defined.
    cursor = preview.editor.document().find("</nam>")
    cursor.insertText("</name>")
    preview_text = preview.text()
    preview.go_button.click()
    wait_until(lambda: _selected_name(window) == "broken", what="the corrected domain")
    assert "broken" in _names(run, conn)
    # The corrected text is not the file's: the command defines what was corrected.
    [entry] = conn.command_log.entries
    assert entry.command.lines[0][3:] == ("define", "--file", "broken.xml", "--validate")
    assert entry.command.files == (("broken.xml", preview_text),)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<domain type='test'><name>&lol3;</name><memory>65536</memory>
<os><type arch='x86_64'>hvm</type></os></domain>
"""


def test_billion_laughs_is_refused(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    before = _names(run, conn)
    _select_connection(window, conn)
    _start(window, Mode.CREATE, _write(tmp_path, "lol.xml", BILLION_LAUGHS))
    preview = _preview(window, wait_until)
    assert preview.problem.text() == "line 2, column 1: DOCTYPE declarations are not allowed"
    assert not run(preview.submit())
    assert preview.text() == BILLION_LAUGHS
    assert _names(run, conn) == before


def test_xml_libvirt_rejects_keeps_the_dialog_open(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    before = _names(run, conn)
    text = _xml("alpha")  # the name is taken by another domain
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, _write(tmp_path, "alpha.xml", text))
    preview = _preview(window, wait_until)
    assert not run(preview.submit())
    assert preview.isVisible() and preview.text() == text
    assert "alpha" in preview.problem.text()  # libvirt's words, as plain text
    assert preview.go_button.isEnabled()
    assert _names(run, conn) == before
    [entry] = conn.command_log.entries  # refused by libvirt: logged with its words
    assert entry.outcome is Outcome.FAILED and "alpha" in entry.error


def test_large_file_is_refused_before_the_preview(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    before = _names(run, conn)
    padding = "<!-- " + "x" * (10 * 1024 * 1024) + " -->\n"
    path = _write(tmp_path, "huge.xml", _xml("huge").replace("<devices>", padding + "<devices>"))
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, path)
    wait_until(lambda: any(isinstance(w, QMessageBox) for w in _dialogs()), what="the report")
    box = next(w for w in _dialogs() if isinstance(w, QMessageBox))
    assert box.text() == f"“{path}” cannot be used as a definition."
    assert "larger than" in box.informativeText()
    assert getattr(window.define_acts, "preview", None) is None
    box.done(0)
    assert _names(run, conn) == before


# -- closing the window with unapplied XML edits ------------------------------------

BETA = "b2b2b2b2-0000-4000-8000-000000000002"


def test_closing_with_unapplied_xml_edits_asks_first(
    window: MainWindow,
    conn: Connection,
    run: Run,
    wait_until: WaitUntil,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_args: quits.append(True))
    # Hiding the last window would stop the shared loop that the test still needs.
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        _close_twice(window, conn, wait_until, quits)
    finally:
        QApplication.setQuitOnLastWindowClosed(True)


def _close_twice(
    window: MainWindow, conn: Connection, wait_until: WaitUntil, quits: list[bool]
) -> None:
    window.define_acts.select_when_listed(conn, BETA)
    page = window.details.xml_tab
    window.details.setCurrentWidget(page)
    wait_until(lambda: "<name>beta</name>" in page.editor.toPlainText() and page.isEnabled())
    wait_until(lambda: not page.editor.isReadOnly(), what="the editor")
    page.editor.document().find("</name>").insertText("</name>\n  <title>mine</title>")
    edited = page.editor.toPlainText()

    def answer(button: str) -> None:
        wait_until(lambda: getattr(page, "discard_box", None) is not None, what="the question")
        box = page.discard_box
        assert box is not None
        assert "beta" in box.informativeText()
        clicked = next(b for b in box.buttons() if b.text().replace("&", "") == button)
        clicked.click()
        wait_until(lambda: not window._tasks, what="the close to finish")

    window.close()
    answer("Cancel")
    assert quits == [] and window.isVisible()
    assert page.editor.toPlainText() == edited
    window.close()
    answer("Discard Changes")
    assert quits == [True]
    assert "mine" not in page.editor.toPlainText()
    window.show()


def _replacement(run: Run, conn: Connection) -> tuple[str, str]:
    """beta's definition as stored, and the same identity with less memory and no disk."""

    def read(virt: Any) -> str:
        return str(virt.lookupByName("beta").XMLDesc(2))  # VIR_DOMAIN_XML_INACTIVE

    stored = run(conn.call(read))
    changed = re.sub(r"<disk .*?</disk>", "", stored, flags=re.S)
    changed = changed.replace(
        "<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>524288</memory>"
    )
    return stored, changed


def _replace_dialog(preview: DefinePreview, wait_until: WaitUntil) -> CompareDialog:
    wait_until(
        lambda: (
            getattr(preview, "replace_dialog", None) is not None
            and preview.replace_dialog.isVisible()
        ),
        what="the replacement question",
    )
    dialog = preview.replace_dialog
    assert dialog is not None
    return dialog


@pytest.mark.parametrize("answer", ["Cancel", "Replace"])
def test_define_over_an_existing_identity_shows_what_changes_and_asks(
    window: MainWindow,
    conn: Connection,
    run: Run,
    wait_until: WaitUntil,
    tmp_path: Path,
    answer: str,
) -> None:
    stored, changed = _replacement(run, conn)
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, _write(tmp_path, "beta.xml", changed))
    preview = _preview(window, wait_until)
    preview.go_button.click()
    dialog = _replace_dialog(preview, wait_until)
    assert dialog.headline.text() == f"This replaces the definition of “{shown('beta')}”."
    assert dialog.cancel_button.isDefault()
    replace = next(b for b in dialog.buttons.buttons() if b.text() == "&Replace")
    assert not replace.isDefault() and not replace.autoDefault()
    left = dialog.comparison.left_editor.toPlainText()
    right = dialog.comparison.right_editor.toPlainText()
    assert "<disk" in left and "<disk" not in right  # side by side: what goes
    assert dialog.comparison.differ > 1
    if answer == "Cancel":
        dialog.cancel_button.click()
        wait_until(lambda: not preview.replace_dialog, what="the question to close")
        assert preview.isVisible() and preview.go_button.isEnabled()
        assert run(conn.call(lambda v: v.lookupByName("beta").XMLDesc(2))) == stored
        return
    replace.click()
    wait_until(
        lambda: window.statusBar().currentMessage() != "", what="the outcome in the status bar"
    )
    now = run(conn.call(lambda v: v.lookupByName("beta").XMLDesc(2)))
    assert "524288" in now and "<disk" not in now
    assert window.statusBar().currentMessage() == (
        f"The definition of “{shown('beta')}” was replaced."
    )


def test_create_over_a_shut_off_identity_asks_and_over_a_running_one_is_refused(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    _stored, changed = _replacement(run, conn)
    _select_connection(window, conn)
    _start(window, Mode.CREATE, _write(tmp_path, "beta.xml", changed))
    preview = _preview(window, wait_until)
    preview.go_button.click()
    dialog = _replace_dialog(preview, wait_until)
    assert dialog.headline.text() == f"This replaces the definition of “{shown('beta')}”."
    assert any(b.text() == "&Replace and Start" for b in dialog.buttons.buttons())
    dialog.cancel_button.click()
    wait_until(lambda: not preview.replace_dialog, what="the question to close")
    assert not run(conn.call(lambda v: v.lookupByName("beta").isActive()))
    preview.reject()
    alpha = run(conn.call(lambda v: v.lookupByName("alpha").XMLDesc(0)))  # running
    _start(window, Mode.CREATE, _write(tmp_path, "alpha.xml", alpha))
    wait_until(
        lambda: (
            window.define_acts.preview is not preview
            and window.define_acts.preview is not None
            and window.define_acts.preview.isVisible()
        ),
        what="the second preview",
    )
    second = window.define_acts.preview
    assert not run(second.submit())
    assert f"“{shown('alpha')}” has this name and UUID and is running" in second.problem.text()


def test_a_name_of_another_domain_is_refused_in_plain_words(
    window: MainWindow, conn: Connection, run: Run, wait_until: WaitUntil, tmp_path: Path
) -> None:
    before = _names(run, conn)
    stored, _changed = _replacement(run, conn)
    no_uuid = re.sub(r"<uuid>.*?</uuid>", "", stored)
    _select_connection(window, conn)
    _start(window, Mode.DEFINE, _write(tmp_path, "beta.xml", no_uuid))
    preview = _preview(window, wait_until)
    assert not run(preview.submit())
    assert preview.problem.text().startswith(
        f"A virtual machine named “{shown('beta')}” already exists"
    )
    assert _names(run, conn) == before
