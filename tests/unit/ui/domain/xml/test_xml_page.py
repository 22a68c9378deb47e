"""The XML tab of the details pane: show, edit, check, apply, conflicts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kvmdesk.core.connection import Connection
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.virt.xmledit import fetch_xml

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

OpenConn = Callable[[str], Connection]

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"  # running
BETA = "b2b2b2b2-0000-4000-8000-000000000002"  # shut off


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> DetailsPane:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    return widget


def _stored(run: Any, conn: Connection, uuid: str) -> str:
    return str(run(conn.call(fetch_xml, uuid)))


def _open_tab(pane: DetailsPane, conn: Connection, uuid: str, wait_until: Any) -> None:
    pane.show_domain(conn, uuid)
    pane.setCurrentWidget(pane.xml_tab)
    wait_until(lambda: "<domain" in pane.xml_tab.editor.toPlainText(), what="the XML")


def _edit(pane: DetailsPane, old: str, new: str) -> None:
    editor = pane.xml_tab.editor
    cursor = editor.document().find(old)
    assert not cursor.isNull(), old
    cursor.insertText(new)


def test_loaded_only_when_shown(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    pane.show_domain(conn, BETA)
    assert pane.tabText(pane.indexOf(pane.xml_tab)) == "XML"
    assert pane.isTabVisible(pane.indexOf(pane.xml_tab))
    run(_pause())
    assert pane.xml_tab.editor.toPlainText() == ""  # hidden: nothing fetched
    pane.setCurrentWidget(pane.xml_tab)
    wait_until(lambda: "<name>beta</name>" in pane.xml_tab.editor.toPlainText())
    assert pane.xml_tab.editor.toPlainText() == _stored(run, conn, BETA)
    pane.show_domain(conn, ALPHA)  # shown: the new domain is fetched at once
    wait_until(lambda: "<name>alpha</name>" in pane.xml_tab.editor.toPlainText())
    assert not pane.xml_tab.apply_button.isEnabled()
    assert not pane.xml_tab.revert_button.isEnabled()
    pane.show_connection(conn)
    assert not pane.isTabVisible(pane.indexOf(pane.xml_tab))


async def _pause() -> None:
    await asyncio.sleep(0.2)


def test_edit_enables_buttons_and_revert_restores(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    original = page.editor.toPlainText()
    _edit(pane, "<name>beta</name>", "<name>gamma</name>")
    assert page.apply_button.isEnabled() and page.revert_button.isEnabled()
    page.revert_button.click()
    assert page.editor.toPlainText() == original
    assert not page.apply_button.isEnabled() and not page.revert_button.isEnabled()


def test_malformed_edit_shows_position_and_keeps_buffer(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    before = page.editor.toPlainText()
    _edit(pane, "</os>", "</oss>")
    edited = page.editor.toPlainText()
    line = edited.splitlines().index("  </oss>") + 1
    run(page.apply())
    assert page.message.text() == f"line {line}, column 5: mismatched tag"
    assert page.message.textFormat() == Qt.TextFormat.PlainText
    assert page.editor.toPlainText() == edited
    assert page.editor.textCursor().blockNumber() == line - 1
    assert page.apply_button.isEnabled()
    assert _stored(run, conn, BETA) == before


def test_declarations_are_refused(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    _edit(pane, "<domain type='kvm'>", "<!DOCTYPE d [<!ENTITY x 'y'>]>\n<domain type='kvm'>")
    run(page.apply())
    assert page.message.text() == "line 1, column 1: DOCTYPE declarations are not allowed"


def test_valid_apply_saves(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, ALPHA, wait_until)
    page = pane.xml_tab
    _edit(pane, "<memory unit='KiB'>2097152</memory>", "<memory unit='KiB'>1048576</memory>")
    run(page.apply())
    assert "<memory unit='KiB'>1048576</memory>" in _stored(run, conn, ALPHA)
    assert page.editor.toPlainText() == _stored(run, conn, ALPHA)
    assert page.message.text() == "Saved.\nChanges take effect at the next boot."
    assert not page.apply_button.isEnabled()


def test_schema_error_keeps_buffer(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    _edit(pane, "<memory unit='KiB'>", "<memory unit='KiB' bogus='1'>")
    edited = page.editor.toPlainText()
    run(page.apply())
    assert "bogus" in page.message.text()
    assert page.editor.toPlainText() == edited
    assert page.apply_button.isEnabled()


def _conflict_box() -> CompareDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CompareDialog) and widget.isVisible():
            return widget
    return None


def _make_conflict(run: Any, conn: Connection) -> str:
    def theirs(virt: libvirt.virConnect) -> None:
        xml = fetch_xml(virt, BETA).replace("</name>", "</name>\n  <title>theirs</title>")
        virt.defineXML(xml)

    run(conn.call(theirs))
    return _stored(run, conn, BETA)


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
@pytest.mark.parametrize("choice", ["Cancel", "Overwrite", "Reload"])
def test_conflict_dialog(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any, choice: str
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    _edit(pane, "</name>", "</name>\n  <title>mine</title>")
    edited = page.editor.toPlainText()
    stored_by_them = _make_conflict(run, conn)

    async def apply_and_answer() -> None:
        task = asyncio.ensure_future(page.apply())
        while (box := _conflict_box()) is None:
            await asyncio.sleep(0.01)
        # what is stored now beside the edit, the lines that differ shaded
        assert "<title>theirs</title>" in box.comparison.left_editor.toPlainText()
        assert "<title>mine</title>" in box.comparison.right_editor.toPlainText()
        assert box.comparison.differ >= 1
        assert box.headline.textFormat() == Qt.TextFormat.PlainText
        assert box.cancel_button.isDefault()
        button = next(b for b in box.buttons.buttons() if b.text().replace("&", "") == choice)
        button.click()
        await task

    run(apply_and_answer())
    if choice == "Cancel":
        assert _stored(run, conn, BETA) == stored_by_them
        assert page.editor.toPlainText() == edited
        assert page.apply_button.isEnabled()
    elif choice == "Overwrite":
        stored = _stored(run, conn, BETA)
        assert "<title>mine</title>" in stored and "theirs" not in stored
        assert page.message.text() == "Saved."
    else:
        wait_until(lambda: page.editor.toPlainText() == stored_by_them, what="reloaded")
        assert _stored(run, conn, BETA) == stored_by_them


def test_find_moves_to_next_match(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, qtbot: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    page.find_edit.setText("model")
    assert page.find_next()
    first = page.editor.textCursor().selectionStart()
    assert page.editor.textCursor().selectedText() == "model"
    assert page.find_next()
    assert page.editor.textCursor().selectionStart() > first
    page.find_edit.setText("no such thing")
    assert not page.find_next()
    assert page.message.text() == "“no such thing” was not found."


def test_ctrl_f_in_the_editor_focuses_find(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, qtbot: Any
) -> None:
    conn = open_connection("two-domains.xml")
    pane.show()
    _open_tab(pane, conn, BETA, wait_until)
    page = pane.xml_tab
    page.find_edit.setText("vda")
    page.editor.setFocus()
    qtbot.keyClick(page.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.find_edit.hasFocus()
    assert page.find_edit.selectedText() == "vda"
    qtbot.keyClick(page.find_edit, Qt.Key.Key_Return)
    assert page.editor.textCursor().selectedText() == "vda"


def test_highlighter_colours_come_from_the_palette(pane: DetailsPane) -> None:
    editor = pane.xml_tab.editor
    editor.setPlainText("<a b='c'>\n<!-- one\ntwo --> <d/>\n</a>")
    palette = editor.palette()
    doc = editor.document()

    def colour(block: int, column: int) -> Any:
        layout = doc.findBlockByNumber(block).layout()
        for fmt in layout.formats():
            if fmt.start <= column < fmt.start + fmt.length:
                return fmt.format.foreground().color()
        return None

    assert colour(0, 1) == palette.color(palette.ColorRole.Link)  # tag
    assert colour(0, 3) == palette.color(palette.ColorRole.LinkVisited)  # attribute
    assert colour(0, 6) == palette.color(palette.ColorRole.Highlight)  # value
    assert colour(1, 5) == palette.color(palette.ColorRole.PlaceholderText)  # comment
    assert colour(2, 1) == palette.color(palette.ColorRole.PlaceholderText)  # still open
    assert colour(2, 8) == palette.color(palette.ColorRole.Link)  # after it closed
