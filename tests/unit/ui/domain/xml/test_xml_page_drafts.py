"""The XML tab: unsaved edits kept per domain, and the running domain's live XML beside it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

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
    widget.resize(1000, 650)
    widget.show()
    return widget


@pytest.fixture
def conn(open_connection: OpenConn) -> Connection:
    return open_connection("two-domains.xml")


def _stored(run: Any, conn: Connection, uuid: str) -> str:
    return str(run(conn.call(fetch_xml, uuid)))


def _open(pane: DetailsPane, conn: Connection, uuid: str, wait_until: Any, name: str) -> None:
    pane.show_domain(conn, uuid)
    pane.setCurrentWidget(pane.xml_tab)
    wait_until(
        lambda: (
            f"<name>{name}</name>" in pane.xml_tab.editor.toPlainText()
            and not pane.xml_tab.editor.isReadOnly()
        ),
        what=f"the XML of {name}",
    )


def _edit(pane: DetailsPane, old: str, new: str) -> None:
    cursor = pane.xml_tab.editor.document().find(old)
    assert not cursor.isNull(), old
    cursor.insertText(new)


def _draft(pane: DetailsPane, conn: Connection, wait_until: Any, title: str) -> None:
    """Beta's XML open with a ``<title>`` typed in, not saved."""
    _open(pane, conn, BETA, wait_until, "beta")
    _edit(pane, "</name>", f"</name>\n  <title>{title}</title>")


def test_unsaved_edits_come_back_when_the_domain_is_selected_again(
    pane: DetailsPane, conn: Connection, wait_until: Any, run: Any
) -> None:
    page = pane.xml_tab
    _draft(pane, conn, wait_until, "draft")
    edited = page.editor.toPlainText()
    assert page.unsaved_names() == ["beta"]
    _open(pane, conn, ALPHA, wait_until, "alpha")  # another domain: the draft is kept
    assert "draft" not in page.editor.toPlainText()
    assert page.unsaved_names() == ["beta"]
    assert "draft" not in _stored(run, conn, BETA)  # nothing was saved
    _open(pane, conn, BETA, wait_until, "beta")
    assert page.editor.toPlainText() == edited
    assert page.apply_button.isEnabled() and page.revert_button.isEnabled()
    assert page.message.text().startswith("Your unsaved changes are shown again.")
    run(page.apply())
    assert "<title>draft</title>" in _stored(run, conn, BETA)
    assert page.unsaved_names() == []


def test_revert_discards_a_draft(
    pane: DetailsPane, conn: Connection, wait_until: Any, run: Any
) -> None:
    page = pane.xml_tab
    _draft(pane, conn, wait_until, "draft")
    pane.clear()  # the selection went away: the draft stays
    assert page.unsaved_names() == ["beta"]
    _open(pane, conn, BETA, wait_until, "beta")
    page.revert()
    assert page.editor.toPlainText() == _stored(run, conn, BETA)
    assert page.unsaved_names() == []
    _open(pane, conn, ALPHA, wait_until, "alpha")
    _open(pane, conn, BETA, wait_until, "beta")
    assert "draft" not in page.editor.toPlainText()


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
def test_a_draft_of_a_definition_changed_meanwhile_meets_the_conflict_check(
    pane: DetailsPane, conn: Connection, wait_until: Any, run: Any
) -> None:
    page = pane.xml_tab
    _draft(pane, conn, wait_until, "mine")
    _open(pane, conn, ALPHA, wait_until, "alpha")

    def theirs(virt: libvirt.virConnect) -> str:
        dom = virt.lookupByUUIDString(BETA)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        virt.defineXML(xml.replace("</name>", "</name>\n  <title>theirs</title>", 1))
        return str(virt.lookupByUUIDString(BETA).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

    stored_by_them = run(conn.call(theirs))
    _open(pane, conn, BETA, wait_until, "beta")
    assert "<title>mine</title>" in page.editor.toPlainText()

    async def apply_and_cancel() -> None:
        task = asyncio.ensure_future(page.apply())
        while True:
            boxes = [
                w
                for w in pane.findChildren(CompareDialog)
                if w.isVisible() and w.windowTitle() == "Definition Changed"
            ]
            if boxes:
                break
            await asyncio.sleep(0.01)
        boxes[0].cancel_button.click()
        await task

    run(apply_and_cancel())
    assert _stored(run, conn, BETA) == stored_by_them  # nothing overwritten
    assert "<title>mine</title>" in page.editor.toPlainText()


def test_running_domain_says_next_boot_and_compares_with_the_live_xml(
    pane: DetailsPane, conn: Connection, wait_until: Any, run: Any
) -> None:
    page = pane.xml_tab
    _open(pane, conn, BETA, wait_until, "beta")
    assert not page.banner.isVisible()  # shut off: no banner, nothing to compare
    _open(pane, conn, ALPHA, wait_until, "alpha")
    assert page.banner.isVisible()
    assert page.running_label.text() == (
        "This virtual machine is running. Changes take effect at the next boot."
    )
    assert not page.live_panel.isVisible()
    page.compare_button.click()
    assert page.live_panel.isVisible()
    live = run(conn.call(lambda v: v.lookupByUUIDString(ALPHA).XMLDesc(0)))
    assert page.live_editor.toPlainText() == live
    assert page.live_editor.isReadOnly()
    assert page.editor.toPlainText() == _stored(run, conn, ALPHA)
    differ = page.mark_differences()
    assert differ > 0  # the live XML has the domain id and the runtime tap device
    assert len(page.live_editor.extraSelections()) > 0
    _edit(pane, "</name>", "</name>\n  <title>next</title>")
    assert page.mark_differences() == differ + 1
    assert page.edit_title.text().startswith("Next boot — ")
    page.compare_button.click()
    assert not page.live_panel.isVisible()


def test_banner_follows_the_domain_stopping(
    pane: DetailsPane, conn: Connection, wait_until: Any, run: Any
) -> None:
    page = pane.xml_tab
    _open(pane, conn, ALPHA, wait_until, "alpha")
    page.compare_button.click()
    assert page.banner.isVisible() and page.live_panel.isVisible()
    run(conn.call(lambda v: v.lookupByUUIDString(ALPHA).destroy()))
    conn.invalidate(ALPHA)
    wait_until(lambda: not page.banner.isVisible(), what="the banner to go")
    assert not page.live_panel.isVisible()
