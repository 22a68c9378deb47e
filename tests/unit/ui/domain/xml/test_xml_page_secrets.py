"""The XML tab keeps the passwords it shows masked: an unrelated edit never deletes one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import libvirt
import pytest
from PySide6.QtWidgets import QApplication

from kvmdesk.core.connection import Connection
from kvmdesk.domxml.secrets import MASK, MASK_CHANGED
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.virt.commands import Note

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

OpenConn = Callable[[str], Connection]
BETA = "b2b2b2b2-0000-4000-8000-000000000002"  # shut off
SECRET = "s3&<'\"x"  # markup characters: stored verbatim, never double-escaped


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> DetailsPane:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    return widget


def _secure(run: Any, conn: Connection) -> str:
    def read(virt: libvirt.virConnect) -> str:
        dom = virt.lookupByUUIDString(BETA)
        flags = libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE
        return str(dom.XMLDesc(flags))

    return str(run(conn.call(read)))


def _set_password(run: Any, conn: Connection, password: str) -> None:
    """Another client sets the VNC password (the XML escaped as libvirt does)."""
    escaped = (password.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")).replace(
        '"', "&quot;"
    )

    def define(virt: libvirt.virConnect) -> None:
        dom = virt.lookupByUUIDString(BETA)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
        start = xml.index("<graphics type='vnc'")
        end = xml.index(">", start)
        tag = xml[start:end]
        if " passwd=" in tag:
            tag = tag[: tag.index(" passwd=")]
        virt.defineXML(xml[:start] + f"{tag} passwd='{escaped}'" + xml[end:])

    run(conn.call(define))


def _open(pane: DetailsPane, conn: Connection, wait_until: Any) -> None:
    pane.show_domain(conn, BETA)
    pane.setCurrentWidget(pane.xml_tab)
    wait_until(
        lambda: (
            "<name>beta</name>" in pane.xml_tab.editor.toPlainText()
            and not pane.xml_tab.editor.isReadOnly()
        ),
        what="the XML",
    )


def _edit(pane: DetailsPane, old: str, new: str) -> None:
    cursor = pane.xml_tab.editor.document().find(old)
    assert not cursor.isNull(), old
    cursor.insertText(new)


def _password_in(xml: str) -> str:
    import xml.etree.ElementTree as ET

    graphics = ET.fromstring(xml).find("devices/graphics")
    assert graphics is not None
    return graphics.get("passwd", "")


def test_an_unrelated_edit_keeps_the_password(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _set_password(run, conn, SECRET)
    _open(pane, conn, wait_until)
    page = pane.xml_tab
    shown = page.editor.toPlainText()
    assert "s3&amp;" not in shown and f"passwd='{MASK}'" in shown  # masked in the editor
    assert page.reveal_button.isVisible() or not pane.isVisible()
    _edit(pane, "</name>", "</name>\n  <description>only the description</description>")
    run(page.apply())
    assert page.message.text() == "Saved.", page.message.text()  # no false "did not keep"
    stored = _secure(run, conn)
    assert "only the description" in stored
    assert _password_in(stored) == SECRET


def test_a_password_typed_while_revealed_is_saved_without_a_false_claim(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _set_password(run, conn, "old")
    _open(pane, conn, wait_until)
    page = pane.xml_tab
    page.reveal_button.setChecked(True)
    assert "passwd='old'" in page.editor.toPlainText()
    _edit(pane, "passwd='old'", "passwd='new&amp;1'")
    page.reveal_button.setChecked(False)  # hidden again: the typed value is kept behind the dots
    assert "new&amp;1" not in page.editor.toPlainText()
    assert page.apply_button.isEnabled()
    run(page.apply())
    assert page.message.text() == "Saved.", page.message.text()
    assert _password_in(_secure(run, conn)) == "new&1"
    # The log defines the saved XML, without the password, and says one was taken out.
    [entry] = conn.command_log.entries
    assert entry.command.lines[0][3:5] == ("define", "--file")
    [(_file, xml)] = entry.command.files
    assert "new&amp;1" not in xml and "passwd" not in xml and "<graphics" in xml
    assert Note.PASSWORD_LEFT_OUT in entry.command.notes


def test_a_new_password_typed_in_the_masked_editor_is_not_reported_as_dropped(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _open(pane, conn, wait_until)
    page = pane.xml_tab
    _edit(pane, "<graphics type='vnc' port='-1'", "<graphics type='vnc' passwd='abc' port='-1'")
    run(page.apply())
    assert "did not keep" not in page.message.text()
    assert page.message.text() == "Saved."
    assert _password_in(_secure(run, conn)) == "abc"
    assert "abc" not in page.editor.toPlainText()  # reloaded, and masked again


def _conflict_dialog() -> CompareDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CompareDialog) and widget.isVisible():
            return widget
    return None


def test_a_password_changed_by_another_client_during_the_edit_is_a_conflict(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _set_password(run, conn, "first")
    _open(pane, conn, wait_until)
    page = pane.xml_tab
    _edit(pane, "</name>", "</name>\n  <description>mine</description>")
    _set_password(run, conn, "second")  # another client, meanwhile

    async def apply_and_cancel() -> tuple[str, str, int]:
        task = asyncio.ensure_future(page.apply())
        while (dialog := _conflict_dialog()) is None:
            await asyncio.sleep(0.01)
        assert dialog.cancel_button.isDefault()
        seen = (
            dialog.comparison.left_editor.toPlainText(),
            dialog.comparison.right_editor.toPlainText(),
            dialog.comparison.differ,
        )
        dialog.cancel_button.click()
        await task
        return seen

    stored_now, mine, differ = run(apply_and_cancel())
    # The passwords stay hidden in the comparison; the one that differs says so.
    assert "second" not in stored_now and "first" not in mine
    assert differ >= 1
    assert MASK_CHANGED in mine
    stored = _secure(run, conn)
    assert _password_in(stored) == "second" and "mine" not in stored  # nothing overwritten
    assert "<description>mine</description>" in page.editor.toPlainText()


def test_a_hidden_password_copied_elsewhere_is_refused(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    _set_password(run, conn, "kept")
    _open(pane, conn, wait_until)
    page = pane.xml_tab
    before = _secure(run, conn)
    _edit(
        pane,
        "</devices>",
        f"  <graphics type='spice' autoport='yes' passwd='{MASK}'/>\n  </devices>",
    )
    run(page.apply())
    assert "hidden password" in page.message.text()
    assert _secure(run, conn) == before
