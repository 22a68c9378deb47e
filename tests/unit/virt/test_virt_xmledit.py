"""Editing a domain's XML on the test driver: checks, conflicts, dropped content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from unittest import mock

import libvirt
import pytest

from kvmdesk.virt import xmledit
from kvmdesk.virt.xmledit import (
    InvalidXml,
    ProblemKind,
    XmlConflict,
    check_xml,
    fetch_xml,
    save_xml,
)

Virt = Callable[[str], libvirt.virConnect]
DATA = Path(__file__).parents[2] / "data"

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"  # running
BETA = "b2b2b2b2-0000-4000-8000-000000000002"  # shut off

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<domain>&lol2;</domain>
"""
EXTERNAL_ENTITY = """<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<domain><name>&xxe;</name></domain>"""


def test_malformed_xml_reports_line_and_column() -> None:
    problem = check_xml("<domain>\n  <name>x</name>\n  <os></devices>\n</domain>\n")
    assert problem is not None
    assert problem.kind is ProblemKind.MALFORMED
    assert (problem.line, problem.column) == (3, 9)
    assert problem.detail == "mismatched tag"


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, "<!doctype domain><domain/>"])
def test_declarations_are_refused_without_parsing(text: str) -> None:
    with mock.patch("xml.etree.ElementTree.fromstring", side_effect=AssertionError("parsed")):
        problem = check_xml(text)
    assert problem is not None
    assert problem.kind is ProblemKind.DECLARATION
    assert problem.detail == "DOCTYPE"
    assert problem.line == (2 if text is BILLION_LAUGHS else 1)


def test_entity_declaration_alone_is_refused() -> None:
    problem = check_xml('<domain>\n<!ENTITY a "b"></domain>')
    assert problem is not None and problem.kind is ProblemKind.DECLARATION
    assert (problem.line, problem.column, problem.detail) == (2, 1, "ENTITY")


def test_root_must_be_domain() -> None:
    problem = check_xml("<network><name>n</name></network>")
    assert problem is not None
    assert problem.kind is ProblemKind.NOT_DOMAIN and problem.detail == "network"
    assert check_xml("<domain type='kvm'><name>x</name></domain>") is None


def test_fetch_is_inactive(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    text = fetch_xml(conn, BETA)
    assert text.startswith("<domain") and "<name>beta</name>" in text
    assert " id=" not in text.splitlines()[0]  # inactive: no runtime id
    assert check_xml(text) is None


def test_valid_edit_is_saved_and_read_back(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, BETA)
    edited = original.replace(
        "<memory unit='KiB'>1048576</memory>",
        "<description>edited</description>\n  <memory unit='KiB'>2097152</memory>",
    )
    result = save_xml(conn, BETA, original, edited)
    assert result.running is False and result.dropped == ()
    stored = fetch_xml(conn, BETA)
    assert "<memory unit='KiB'>2097152</memory>" in stored
    assert "<description>edited</description>" in stored


def test_running_domain_is_reported(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, ALPHA)
    edited = original.replace("</name>", "</name>\n  <title>t</title>")
    assert save_xml(conn, ALPHA, original, edited).running is True
    assert "<title>t</title>" in fetch_xml(conn, ALPHA)


def test_invalid_text_is_not_defined(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, BETA)
    with pytest.raises(InvalidXml) as caught:
        save_xml(conn, BETA, original, original.replace("</os>", "</oss>"))
    assert caught.value.problem.kind is ProblemKind.MALFORMED
    assert fetch_xml(conn, BETA) == original


def test_schema_violation_is_refused_by_libvirt(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, BETA)
    edited = original.replace("<memory unit='KiB'>", "<memory unit='KiB' bogus='1'>")
    with pytest.raises(libvirt.libvirtError):
        save_xml(conn, BETA, original, edited)
    assert fetch_xml(conn, BETA) == original


def test_conflict_is_detected_and_force_overwrites(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, BETA)
    theirs = original.replace("</name>", "</name>\n  <title>theirs</title>")
    conn.defineXML(theirs)  # someone else, between fetch and save
    stored_by_them = fetch_xml(conn, BETA)
    mine = original.replace("</name>", "</name>\n  <title>mine</title>")
    with pytest.raises(XmlConflict) as caught:
        save_xml(conn, BETA, original, mine)
    assert fetch_xml(conn, BETA) == stored_by_them  # nothing overwritten
    assert caught.value.current == stored_by_them
    assert "+  <title>theirs</title>" in caught.value.diff
    assert caught.value.diff.startswith("--- loaded\n+++ stored now\n")
    save_xml(conn, BETA, original, mine, force=True)
    assert "<title>mine</title>" in fetch_xml(conn, BETA)


def test_dropped_content_is_reported(virt: Virt) -> None:
    # The test driver (libvirt 9.0) validates <qemu:commandline> and drops it.
    conn = virt("two-domains.xml")
    original = fetch_xml(conn, BETA)
    qemu = "http://libvirt.org/schemas/domain/qemu/1.0"
    edited = original.replace("<domain type='kvm'>", f"<domain type='kvm' xmlns:qemu='{qemu}'>")
    edited = edited.replace(
        "</devices>",
        "</devices>\n  <qemu:commandline><qemu:arg value='-s'/></qemu:commandline>",
    )
    result = save_xml(conn, BETA, original, edited)
    assert result.dropped == (f"/domain/commandline [{qemu}]",)


def test_namespace_prefix_without_declaration_is_malformed() -> None:
    problem = check_xml("<domain>\n<qemu:commandline/></domain>")
    assert problem is not None and problem.kind is ProblemKind.MALFORMED
    assert problem.detail == "unbound prefix" and problem.line == 2


def test_dropped_attribute_is_reported() -> None:
    edited = "<domain><os><type arch='x' extra='1'>hvm</type></os><gone><a/></gone></domain>"
    stored = "<domain><os><type arch='x' machine='m'>hvm</type></os><added/></domain>"
    assert xmledit.dropped_content(edited, stored) == (
        "/domain/os/type/@extra",
        "/domain/gone",
    )


def _with_password(conn: libvirt.virConnect, uuid: str, password: str) -> str:
    dom = conn.lookupByUUIDString(uuid)
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    xml = xml.replace("<graphics type='vnc'", f"<graphics type='vnc' passwd='{password}'")
    conn.defineXML(xml)
    flags = libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE
    return str(dom.XMLDesc(flags))


def test_definitions_are_read_with_their_secrets(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    _with_password(conn, BETA, "pw")
    found = xmledit.fetch_definitions(conn, BETA)
    assert found.secure and "passwd='pw'" in found.stored


def test_read_only_connection_refuses_secrets_and_a_save_that_would_lose_them(
    tmp_path: Path,
) -> None:
    fixture = (DATA / "two-domains.xml").read_text()
    marker = "<name>beta</name>"
    head, tail = fixture.split(marker)
    tail = tail.replace("<graphics type='vnc'", "<graphics type='vnc' passwd='pw'", 1)
    path = tmp_path / "with-password.xml"
    path.write_text(head + marker + tail)
    conn = libvirt.openReadOnly(f"test://{path}")
    try:
        dom = conn.lookupByUUIDString(BETA)
        loaded, secure = xmledit.read_definition(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert not secure and "passwd" not in loaded  # the flag is refused read-only
        edited = loaded.replace("</name>", "</name>\n  <description>d</description>")
        with pytest.raises(xmledit.SecretsUnreadable):
            save_xml(conn, BETA, loaded, edited, original_secure=False)
    finally:
        conn.close()


def test_an_editor_that_never_saw_the_password_does_not_delete_it(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    _with_password(conn, BETA, "pw")
    dom = conn.lookupByUUIDString(BETA)
    loaded = str(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))  # as a restricted connection sees it
    assert "passwd" not in loaded
    edited = loaded.replace("</name>", "</name>\n  <description>d</description>")
    result = save_xml(conn, BETA, loaded, edited, original_secure=False)
    assert result.dropped == ()
    stored = fetch_xml(conn, BETA)
    assert "passwd='pw'" in stored and "<description>d</description>" in stored


def test_a_password_changed_meanwhile_is_a_conflict(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    original = _with_password(conn, BETA, "one")
    _with_password(conn, BETA, "two")
    with pytest.raises(XmlConflict):
        save_xml(conn, BETA, original, original.replace("one", "three"))
    assert "passwd='two'" in fetch_xml(conn, BETA)
