"""Define and create from a file, with the XML editor's checks (test driver)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.domxml import Disk, Domain, Os
from kvmdesk.virt.define import (
    MAX_BYTES,
    FileProblem,
    IdentityTaken,
    InvalidXml,
    Mode,
    WouldReplace,
    define_journal,
    define_or_create,
    read_domain_file,
    recheck,
)
from kvmdesk.virt.xmledit import ProblemKind

Virt = Callable[[str], libvirt.virConnect]


def _xml(name: str) -> str:
    return Domain(
        name=name,
        type="test",
        memory=65536,
        os=Os(arch="x86_64"),
        devices=[
            Disk(
                source=f"/var/lib/libvirt/images/{name}.img", target_dev="vda", target_bus="virtio"
            )
        ],
    ).to_xml()


def _names(conn: libvirt.virConnect) -> set[str]:
    return {d.name() for d in conn.listAllDomains()}


def test_define_from_file_is_persistent_and_shut_off(virt: Virt, tmp_path: Path) -> None:
    conn = virt("two-domains.xml")
    path = tmp_path / "gamma.xml"
    path.write_text(_xml("gamma <ω>"), encoding="utf-8")
    found = read_domain_file(path)
    assert found.name == "gamma <ω>"
    defined = define_or_create(conn, found.text, Mode.DEFINE)
    assert (defined.name, defined.persistent, defined.active) == ("gamma <ω>", True, False)
    dom = conn.lookupByName("gamma <ω>")
    assert not dom.isActive() and dom.isPersistent()
    assert dom.UUIDString() == defined.uuid
    back = Domain.from_xml(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    assert back.devices[0] == Domain.from_xml(found.text).devices[0]


def test_create_from_file_is_transient_and_running(virt: Virt, tmp_path: Path) -> None:
    conn = virt("two-domains.xml")
    path = tmp_path / "delta.xml"
    path.write_text(_xml("delta"), encoding="utf-8")
    defined = define_or_create(conn, read_domain_file(path).text, Mode.CREATE)
    assert (defined.persistent, defined.active) == (False, True)
    dom = conn.lookupByName("delta")
    assert dom.isActive() and not dom.isPersistent()
    dom.destroy()
    assert "delta" not in _names(conn)  # transient: gone once stopped


def test_malformed_file_gives_line_and_column_and_defines_nothing(
    virt: Virt, tmp_path: Path
) -> None:
    conn = virt("two-domains.xml")
    before = _names(conn)
    text = _xml("broken").replace("</name>", "</nam>")
    path = tmp_path / "broken.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidXml) as info:
        read_domain_file(path)
    problem = info.value.problem
    assert problem.kind is ProblemKind.MALFORMED
    assert problem.line == 2
    # expat points at the name of the closing tag that does not match
    assert problem.column == text.splitlines()[1].index("</nam>") + 3
    for mode in Mode:
        with pytest.raises(InvalidXml):
            define_or_create(conn, text, mode)
    assert _names(conn) == before


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<domain type='test'><name>&lol9;</name><memory>65536</memory>
<os><type arch='x86_64'>hvm</type></os></domain>
"""


def test_billion_laughs_is_refused_and_nothing_defined(virt: Virt, tmp_path: Path) -> None:
    conn = virt("two-domains.xml")
    before = _names(conn)
    path = tmp_path / "lol.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(InvalidXml) as info:
        read_domain_file(path)
    assert info.value.problem.kind is ProblemKind.DECLARATION
    assert (info.value.problem.line, info.value.problem.column) == (2, 1)
    for mode in Mode:
        with pytest.raises(InvalidXml):
            define_or_create(conn, BILLION_LAUGHS, mode)
    assert _names(conn) == before


def test_external_entity_is_refused(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    text = _xml("ext").replace(
        "<domain", "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>\n<domain"
    )
    with pytest.raises(InvalidXml):
        define_or_create(conn, re.sub("<name>ext</name>", "<name>&x;</name>", text), Mode.DEFINE)
    assert "ext" not in _names(conn)


def test_large_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    padding = "<!-- " + "x" * (10 * 1024 * 1024) + " -->\n"
    path.write_text(_xml("huge").replace("<devices>", padding + "<devices>"), encoding="utf-8")
    assert path.stat().st_size > 10 * 1024 * 1024 > MAX_BYTES
    with pytest.raises(FileProblem, match="larger than 1024 KiB"):
        read_domain_file(path)


def test_not_utf8_and_missing_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(_xml("caf\u00e9").encode("latin-1"))
    with pytest.raises(FileProblem, match="not UTF-8"):
        read_domain_file(path)
    with pytest.raises(FileProblem):
        read_domain_file(tmp_path / "missing.xml")


def test_other_root_is_refused(virt: Virt, tmp_path: Path) -> None:
    path = tmp_path / "net.xml"
    path.write_text("<network><name>n</name></network>", encoding="utf-8")
    with pytest.raises(InvalidXml) as info:
        read_domain_file(path)
    assert info.value.problem.kind is ProblemKind.NOT_DOMAIN


def test_xml_libvirt_rejects_defines_nothing(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    before = _names(conn)
    text = _xml("bad-schema").replace("<memory", "<frobnicate/><memory")
    with pytest.raises(libvirt.libvirtError):
        define_or_create(conn, text, Mode.DEFINE)
    taken = _xml("alpha")  # the name is in use, with another uuid: refused before libvirt
    with pytest.raises(IdentityTaken):
        define_or_create(conn, taken, Mode.CREATE)
    assert _names(conn) == before


BETA = "b2b2b2b2-0000-4000-8000-000000000002"


def _beta_changed(conn: libvirt.virConnect) -> str:
    """beta's own definition (name and UUID), with less memory and no disk."""
    xml = conn.lookupByName("beta").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    xml = re.sub(r"<disk .*?</disk>", "", xml, flags=re.S)
    return xml.replace("<memory unit='KiB'>1048576</memory>", "<memory unit='KiB'>524288</memory>")


def test_the_identity_of_an_existing_domain_is_not_replaced_unasked(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    before = conn.lookupByName("beta").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    text = _beta_changed(conn)
    for mode in Mode:
        with pytest.raises(WouldReplace) as caught:
            define_or_create(conn, text, mode)
        assert caught.value.existing.name == "beta" and caught.value.existing.xml == before
    assert conn.lookupByName("beta").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    # Agreed to, with the definition that was shown: replaced.
    define_or_create(conn, text, Mode.DEFINE, replacing=caught.value.existing)
    after = conn.lookupByName("beta").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "524288" in after and "<disk" not in after


def test_a_replacement_agreed_to_an_older_definition_asks_again(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    text = _beta_changed(conn)
    with pytest.raises(WouldReplace) as first:
        define_or_create(conn, text, Mode.DEFINE)
    # Someone changes beta between the question and the answer.
    theirs = first.value.existing.xml.replace("</name>", "</name><title>theirs</title>")
    conn.defineXML(theirs)
    with pytest.raises(WouldReplace) as second:
        define_or_create(conn, text, Mode.DEFINE, replacing=first.value.existing)
    assert "theirs" in second.value.existing.xml
    assert "theirs" in conn.lookupByName("beta").XMLDesc(0)


def test_a_name_or_uuid_of_another_domain_is_refused_before_libvirt(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    before = _names(conn)
    beta = conn.lookupByName("beta").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    no_uuid = re.sub(r"<uuid>.*?</uuid>", "", beta)
    other_name = beta.replace("<name>beta</name>", "<name>other</name>")
    both = beta.replace("<name>beta</name>", "<name>alpha</name>")
    cases = [(no_uuid, Mode.DEFINE), (other_name, Mode.DEFINE), (both, Mode.DEFINE)]
    alpha = conn.lookupByName("alpha").XMLDesc(0)  # running: Create is refused
    cases.append((alpha, Mode.CREATE))
    for text, mode in cases:
        with pytest.raises(IdentityTaken):
            define_or_create(conn, text, mode)
    assert _names(conn) == before


def test_recheck_after_a_dropped_link(virt: Virt) -> None:
    conn = virt("two-domains.xml")
    text = _xml("epsilon")
    journal = define_journal(Mode.DEFINE)
    journal.begin("look")
    journal.done("look")
    journal.begin("define")  # in flight when the link dropped
    assert recheck(conn, text, Mode.DEFINE, None, journal).stored is False
    conn.defineXML(text)
    found = recheck(conn, text, Mode.DEFINE, None, journal)
    assert found.stored and found.domain is not None and found.domain.name == "epsilon"
