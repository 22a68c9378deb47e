"""Tags in the domain's <metadata>: read, edited in place, malformed ones left alone."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt.tags import (
    NS,
    BadTag,
    TagEdit,
    TagsMalformed,
    bulk_tags,
    check_tag,
    edit_tags,
    parse_tags,
    read_tags,
    tags_xml,
)

Open = Callable[[str], libvirt.virConnect]

DOMAIN = """<domain type='test'>
  <name>{name}</name>
  <memory>1048576</memory>
  <os><type>hvm</type></os>
  {metadata}
</domain>"""


def _define(conn: libvirt.virConnect, name: str, metadata: str = "") -> libvirt.virDomain:
    return conn.defineXML(DOMAIN.format(name=name, metadata=metadata))


def test_tags_round_trip_through_libvirt(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = _define(conn, "tagged")
    assert read_tags(dom) == ()
    assert edit_tags(conn, dom.UUIDString(), TagEdit(add=("prod", "web"))) == ("prod", "web")
    assert read_tags(dom) == ("prod", "web")
    # The element is in the kvmdesk namespace, inside the domain's own XML.
    root = ET.fromstring(dom.XMLDesc(0))
    stored = root.find(f"metadata/{{{NS}}}tags")
    assert stored is not None
    assert [(t.tag, t.text) for t in stored] == [(f"{{{NS}}}tag", "prod"), (f"{{{NS}}}tag", "web")]
    assert edit_tags(conn, dom.UUIDString(), TagEdit(remove=("prod",))) == ("web",)
    assert edit_tags(conn, dom.UUIDString(), TagEdit(remove=("web",))) == ()
    assert read_tags(dom) == ()


def test_a_running_domain_keeps_its_tags_in_both_definitions(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = _define(conn, "live")
    dom.create()
    edit_tags(conn, dom.UUIDString(), TagEdit(add=("db",)))
    assert read_tags(dom) == ("db",)
    config = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    assert parse_tags(config) == ("db",)


def test_an_edit_keeps_what_someone_else_added_meanwhile(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = _define(conn, "shared")
    edit_tags(conn, dom.UUIDString(), TagEdit(add=("a",)))
    # Another client adds "b" after our view was read; we add "c" and remove "a".
    edit_tags(conn, dom.UUIDString(), TagEdit(add=("b",)))
    assert edit_tags(conn, dom.UUIDString(), TagEdit(add=("c",), remove=("a",))) == ("b", "c")


@pytest.mark.parametrize(
    "inner",
    [
        "<kvmdesk:tags xmlns:kvmdesk='{ns}'><kvmdesk:label>x</kvmdesk:label></kvmdesk:tags>",
        "<kvmdesk:tags xmlns:kvmdesk='{ns}' colour='red'><kvmdesk:tag>x</kvmdesk:tag>"
        "</kvmdesk:tags>",
        "<kvmdesk:tags xmlns:kvmdesk='{ns}'><kvmdesk:tag><b>x</b></kvmdesk:tag></kvmdesk:tags>",
        "<kvmdesk:tags xmlns:kvmdesk='{ns}'><kvmdesk:tag>a b</kvmdesk:tag></kvmdesk:tags>",
        "<kvmdesk:tags xmlns:kvmdesk='{ns}'>text<kvmdesk:tag>x</kvmdesk:tag></kvmdesk:tags>",
    ],
)
def test_malformed_tags_are_ignored_with_a_log_line_and_never_rewritten(
    virt: Open, inner: str, caplog: pytest.LogCaptureFixture
) -> None:
    conn = virt("two-domains.xml")
    metadata = f"<metadata>{inner.format(ns=NS)}</metadata>"
    dom = _define(conn, "other-tool", metadata)
    before = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, 0)
    with caplog.at_level(logging.WARNING, logger="kvmdesk.virt.tags"):
        assert read_tags(dom) is None
    assert any("ignoring the kvmdesk tags" in r.getMessage() for r in caplog.records)
    assert bulk_tags(conn, [dom.UUIDString()]) == {dom.UUIDString(): None}
    with pytest.raises(TagsMalformed):
        edit_tags(conn, dom.UUIDString(), TagEdit(add=("mine",)))
    assert dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS, 0) == before


def test_bulk_tags_skips_domains_that_vanished(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = _define(conn, "gone")
    uuid = dom.UUIDString()
    edit_tags(conn, uuid, TagEdit(add=("x",)))
    missing = "00000000-0000-4000-8000-00000000dead"
    assert bulk_tags(conn, [uuid, missing]) == {uuid: ("x",)}


@pytest.mark.parametrize(
    ("tag", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 10_000, "long"),
        ("evil\u202egpj", "characters"),
        ("zero\u200bwidth", "characters"),
        ("two words", "characters"),
        ('quo"te', "characters"),
        ("a,b", "characters"),
    ],
)
def test_bad_tags_are_refused(tag: str, why: str) -> None:
    with pytest.raises(BadTag) as caught:
        check_tag(tag)
    assert caught.value.why == why


def test_xml_special_characters_are_stored_as_text(virt: Open) -> None:
    conn = virt("two-domains.xml")
    dom = _define(conn, "special")
    tag = "<a>&amp;'x'"
    stored = f"<kvmdesk:tags xmlns:kvmdesk='{NS}'>{tags_xml([tag])[6:-7]}</kvmdesk:tags>"
    assert parse_tags(stored) == (tag,)
    edit_tags(conn, dom.UUIDString(), TagEdit(add=(tag,)))
    assert read_tags(dom) == (tag,)


def test_one_bad_domain_leaves_the_others_edited(virt: Open) -> None:
    from kvmdesk.virt.tags import edit_many

    conn = virt("two-domains.xml")
    good = _define(conn, "good").UUIDString()
    bad = _define(
        conn,
        "bad",
        f"<metadata><kvmdesk:tags xmlns:kvmdesk='{NS}'><x/></kvmdesk:tags></metadata>",
    ).UUIDString()
    gone = "00000000-0000-4000-8000-00000000dead"
    out = edit_many(conn, [good, bad, gone], TagEdit(add=("prod",)))
    assert out[good].tags == ("prod",)
    assert (out[bad].tags, out[bad].problem) == (None, "malformed")
    assert (out[gone].tags, out[gone].problem) == (None, "gone")
