"""XML editing, define and create from a file, against the real libvirtd and QEMU.

* An edit conflict made through a second libvirt connection is detected,
  and nothing is overwritten.
* Define from a file gives a persistent, shut-off guest; Create from a file a
  transient, running one; their XML, parsed into kvmdesk's typed model and
  built again, is the same document.
* Bad files (malformed, a billion-laughs document) define nothing.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Disk, Domain, InvalidXml
from kvmdesk.ui.domain.xml.xml_page import XmlPage
from kvmdesk.virt.define import Mode, define_or_create, read_domain_file
from kvmdesk.virt.xmledit import XmlConflict, fetch_xml, save_xml

try:
    from .conftest import TEST_URI, _remove_at_teardown, new_guest_name, virsh_secure_xml
    from .guest import guest_domain_xml
except ImportError:
    from conftest import (  # type: ignore[no-redef]
        TEST_URI,
        _remove_at_teardown,
        new_guest_name,
        virsh_secure_xml,
    )
    from guest import guest_domain_xml  # type: ignore[no-redef]

pytestmark = pytest.mark.integration


def canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True, rewrite_prefixes=True)


@pytest.fixture
def guest_names(libvirt_conn: Any) -> Iterator[list[str]]:
    """Names handed out by ``new_guest_name``; whatever has them at teardown is removed."""
    names: list[str] = []
    yield names
    _remove_at_teardown(libvirt_conn, names)


def _name(names: list[str]) -> str:
    names.append(new_guest_name())
    return names[-1]


@pytest.fixture
def second_conn(libvirt_conn: Any) -> Iterator[libvirt.virConnect]:
    conn = libvirt.open(TEST_URI)
    yield conn
    with contextlib.suppress(libvirt.libvirtError):
        conn.close()


def test_conflict_through_a_second_connection_overwrites_nothing(
    libvirt_conn: Any,
    second_conn: libvirt.virConnect,
    guest_assets: Any,
    guest_names: list[str],
) -> None:
    name = _name(guest_names)
    dom = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets))
    uuid = dom.UUIDString()
    loaded = fetch_xml(libvirt_conn, uuid)
    # Someone else changes the definition meanwhile, through their own connection.
    theirs = Domain.from_xml(second_conn.lookupByUUIDString(uuid).XMLDesc(0))
    theirs.title = "changed elsewhere <&>"
    second_conn.defineXML(theirs.to_xml())
    stored_by_them = fetch_xml(libvirt_conn, uuid)
    mine = Domain.from_xml(loaded)
    mine.description = "my edit"
    with pytest.raises(XmlConflict) as info:
        save_xml(libvirt_conn, uuid, loaded, mine.to_xml())
    assert "changed elsewhere" in info.value.diff
    assert fetch_xml(libvirt_conn, uuid) == stored_by_them
    assert "my edit" not in fetch_xml(second_conn, uuid)


def test_conflict_in_the_xml_tab(
    libvirt_conn: Any,
    second_conn: libvirt.virConnect,
    guest_assets: Any,
    guest_names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    from PySide6.QtWidgets import QApplication

    from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog

    name = _name(guest_names)
    uuid = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets)).UUIDString()
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = XmlPage()
    qtbot.addWidget(page)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: not page.editor.isReadOnly(), 20, "the XML")
    page.editor.document().find("</name>").insertText("</name>\n  <title>mine</title>")
    edited = page.editor.toPlainText()
    theirs = Domain.from_xml(second_conn.lookupByUUIDString(uuid).XMLDesc(0))
    theirs.title = "theirs"
    second_conn.defineXML(theirs.to_xml())
    stored_by_them = fetch_xml(libvirt_conn, uuid)

    async def apply_and_cancel() -> None:
        import asyncio

        task = asyncio.ensure_future(page.apply())
        while True:
            boxes = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, CompareDialog) and w.isVisible()
            ]
            if boxes:
                break
            await asyncio.sleep(0.02)
        assert boxes[0].windowTitle() == "Definition Changed"
        assert "theirs" in boxes[0].comparison.left_editor.toPlainText()
        boxes[0].cancel_button.click()
        await task

    run(apply_and_cancel())
    assert fetch_xml(libvirt_conn, uuid) == stored_by_them
    assert page.editor.toPlainText() == edited  # the buffer is kept


def test_define_from_file_round_trip(
    libvirt_conn: Any, guest_assets: Any, guest_names: list[str], tmp_path: Path
) -> None:
    name = _name(guest_names)
    domain = Domain.from_xml(guest_domain_xml(name, guest_assets))
    domain.title = "Définition <&> \"test\" 'guest'"
    domain.description = "first line\n  second line: ещё <b>not markup</b>"
    path = tmp_path / "guest.xml"
    path.write_text(domain.to_xml(), encoding="utf-8")
    found = read_domain_file(path)
    assert found.name == name
    defined = define_or_create(libvirt_conn, found.text, Mode.DEFINE)
    assert (defined.name, defined.persistent, defined.active) == (name, True, False)
    dom = libvirt_conn.lookupByName(name)
    assert not dom.isActive() and dom.isPersistent()
    stored = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    back = Domain.from_xml(stored)
    assert (back.title, back.description) == (domain.title, domain.description)
    assert (back.os.kernel, back.os.initrd, back.os.cmdline) == (
        domain.os.kernel,
        domain.os.initrd,
        domain.os.cmdline,
    )
    assert back.memory == 128 * 1024
    # The real daemon's XML survives parse -> build unchanged.
    assert canonical(back.to_xml()) == canonical(stored)
    # Defining what was built from it again changes nothing.
    libvirt_conn.defineXMLFlags(back.to_xml(), libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == stored


def test_create_from_file_round_trip(
    libvirt_conn: Any, guest_assets: Any, guest_names: list[str], tmp_path: Path
) -> None:
    name = _name(guest_names)
    path = tmp_path / "transient.xml"
    path.write_text(guest_domain_xml(name, guest_assets), encoding="utf-8")
    defined = define_or_create(libvirt_conn, read_domain_file(path).text, Mode.CREATE)
    assert (defined.name, defined.persistent, defined.active) == (name, False, True)
    dom = libvirt_conn.lookupByName(name)
    try:
        assert dom.isActive() and not dom.isPersistent()
        live = dom.XMLDesc(0)
        assert canonical(Domain.from_xml(live).to_xml()) == canonical(live)
        assert Domain.from_xml(live).os.kernel == str(guest_assets.kernel)
    finally:
        dom.destroy()
    with pytest.raises(libvirt.libvirtError):  # transient: gone once stopped
        libvirt_conn.lookupByName(name)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<domain type='qemu'><name>NAME&lol3;</name><memory unit='MiB'>64</memory>
<os><type arch='x86_64'>hvm</type></os></domain>
"""


def test_bad_files_define_nothing(
    libvirt_conn: Any, guest_assets: Any, guest_names: list[str]
) -> None:
    name = _name(guest_names)
    before = {d.name() for d in libvirt_conn.listAllDomains()}
    bad = [
        BILLION_LAUGHS.replace("NAME", name),
        guest_domain_xml(name, guest_assets).replace("</name>", "</nam>"),
    ]
    for text in bad:
        for mode in Mode:
            with pytest.raises(InvalidXml):
                define_or_create(libvirt_conn, text, mode)
    rejected = guest_domain_xml(name, guest_assets).replace("<vcpu>", "<frobnicate/><vcpu>")
    with pytest.raises(libvirt.libvirtError):
        define_or_create(libvirt_conn, rejected, Mode.DEFINE)
    assert {d.name() for d in libvirt_conn.listAllDomains()} == before


# ---------------------------------------------------------------- secrets


def _set_vnc_password(conn: libvirt.virConnect, uuid: str, password: str) -> None:
    """Another client sets the VNC password (as virt-manager or virsh edit would)."""
    dom = conn.lookupByUUIDString(uuid)
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
    root = ET.fromstring(xml)
    graphics = root.find("devices/graphics[@type='vnc']")
    assert graphics is not None
    graphics.set("passwd", password)
    conn.defineXML(ET.tostring(root, encoding="unicode"))


def _graphics_password(xml: str) -> str | None:
    graphics = ET.fromstring(xml).find("devices/graphics[@type='vnc']")
    assert graphics is not None
    return graphics.get("passwd")


def _xml_tab(conn: Connection, uuid: str, qtbot: Any, wait_until: Any) -> XmlPage:
    page = XmlPage()
    qtbot.addWidget(page)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: not page.editor.isReadOnly(), 20, "the XML")
    return page


def test_an_unrelated_edit_in_the_xml_tab_keeps_the_vnc_password(
    libvirt_conn: Any,
    guest_assets: Any,
    guest_names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    name = _name(guest_names)
    uuid = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets)).UUIDString()
    _set_vnc_password(libvirt_conn, uuid, "s3cr&t<'")
    assert _graphics_password(virsh_secure_xml(name)) == "s3cr&t<'"
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = _xml_tab(conn, uuid, qtbot, wait_until)
    assert "s3cr" not in page.editor.toPlainText()  # masked
    page.editor.document().find("</name>").insertText(
        "</name>\n  <description>edited in kvmdesk</description>"
    )
    run(page.apply())
    assert page.message.text() == "Saved."  # no false "libvirt did not keep: …/@passwd"
    stored = virsh_secure_xml(name)
    assert "edited in kvmdesk" in stored
    assert _graphics_password(stored) == "s3cr&t<'"


def test_a_password_changed_by_another_client_during_the_edit_is_a_conflict(
    libvirt_conn: Any,
    second_conn: libvirt.virConnect,
    guest_assets: Any,
    guest_names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    name = _name(guest_names)
    uuid = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets)).UUIDString()
    _set_vnc_password(libvirt_conn, uuid, "first")
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = _xml_tab(conn, uuid, qtbot, wait_until)
    page.editor.document().find("</name>").insertText("</name>\n  <description>mine</description>")
    _set_vnc_password(second_conn, uuid, "second")  # another client, during the edit
    stored_by_them = virsh_secure_xml(name)

    async def apply_and_cancel() -> str:
        import asyncio

        from PySide6.QtWidgets import QApplication, QDialog

        task = asyncio.ensure_future(page.apply())
        while True:
            dialogs = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()
            ]
            if dialogs or task.done():
                break
            await asyncio.sleep(0.02)
        assert dialogs, f"no conflict shown: {page.message.text()}"
        title = dialogs[0].windowTitle()
        dialogs[0].reject()  # Cancel
        await task
        return title

    assert run(apply_and_cancel()) == "Definition Changed"
    assert virsh_secure_xml(name) == stored_by_them
    assert _graphics_password(virsh_secure_xml(name)) == "second"


# ---------------------------------------------------------------- replacing


def test_define_from_xml_over_an_existing_vm_asks_and_cancel_keeps_it(
    libvirt_conn: Any,
    guest_assets: Any,
    guest_names: list[str],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    """The reviewer's case: the same name and UUID, other memory, no disk."""
    import asyncio

    from PySide6.QtWidgets import QMainWindow

    from kvmdesk.ui.main.define_dialog import DefinePreview

    name = _name(guest_names)
    base = Domain.from_xml(guest_domain_xml(name, guest_assets))
    base.devices.append(Disk(source="/dev/null", target_dev="vda", target_bus="virtio"))
    dom = libvirt_conn.defineXML(base.to_xml())
    before = virsh_secure_xml(name)
    theirs = Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    theirs.memory = 64 * 1024
    theirs.devices = [d for d in theirs.devices if not isinstance(d, Disk)]
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    preview = DefinePreview(window, conn, Mode.DEFINE, str(tmp_path / "x.xml"), theirs.to_xml())
    preview.show()

    async def submit_and_answer(replace: bool) -> bool:
        task = asyncio.ensure_future(preview.submit())
        while getattr(preview, "replace_dialog", None) is None:
            assert not task.done(), preview.problem.text()
            await asyncio.sleep(0.02)
        dialog = preview.replace_dialog
        assert dialog is not None
        assert dialog.headline.text() == f"This replaces the definition of “{name}”."
        assert dialog.cancel_button.isDefault()
        assert "<disk" in dialog.comparison.left_editor.toPlainText()
        if replace:
            next(b for b in dialog.buttons.buttons() if b.text() == "&Replace").click()
        else:
            dialog.cancel_button.click()
        return bool(await task)

    assert not run(submit_and_answer(replace=False))
    assert virsh_secure_xml(name) == before  # byte for byte
    assert run(submit_and_answer(replace=True))
    after = Domain.from_xml(virsh_secure_xml(name))
    assert after.memory == 64 * 1024 and not [d for d in after.devices if isinstance(d, Disk)]
