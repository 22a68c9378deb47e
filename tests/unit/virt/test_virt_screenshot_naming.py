"""Screenshot file names: templates, sanitising, never overwriting."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kvmdesk.virt.screenshot.naming import (
    DEFAULT_TEMPLATE,
    NameParts,
    TemplateError,
    check_template,
    render,
    safe_file_name,
    write_new,
)

WHEN = datetime(2026, 11, 25, 19, 30, 5, tzinfo=UTC)
PARTS = NameParts("qemu+ssh://root@host.example/system", "web1", "a1a1-0001", WHEN)


def local(fmt: str) -> str:
    return WHEN.astimezone().strftime(fmt)


def test_default_template() -> None:
    assert render(DEFAULT_TEMPLATE, PARTS) == f"host.example-web1-{local('%Y%m%d-%H%M%S')}.png"


def test_every_placeholder() -> None:
    name = render("{domain}_{uuid}_{connection}_{time}", PARTS)
    assert name == f"web1_a1a1-0001_host.example_{local('%Y%m%d-%H%M%S')}.png"
    assert render("shot-{domain}.PNG", PARTS) == "shot-web1.png"


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("{name}.png", "unknown placeholder “{name}”"),
        ("{domain!r}.png", "unknown placeholder"),
        ("{domain:>10}.png", "unknown placeholder"),
        ("{domain.__class__}.png", "unknown placeholder"),
        ("{0}.png", "unknown placeholder"),
        ("{}.png", "unknown placeholder"),
        ("{domain.png", "without its partner"),
        ("domain}.png", "without its partner"),
        ("{{domain}}.png", "without its partner"),
        ("shots/{domain}.png", "“/”"),
        ("..\\{domain}.png", "“/”"),
        ("{domain}\n.png", "control characters"),
    ],
)
def test_bad_templates_are_refused(template: str, why: str) -> None:
    with pytest.raises(TemplateError) as info:
        check_template(template)
    assert why in str(info.value)
    with pytest.raises(TemplateError):
        render(template, PARTS)


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("../../etc/passwd", "etc_passwd.png"),
        ("-rf", "rf.png"),
        (".hidden", "hidden.png"),
        ("a/b\\c", "a_b_c.png"),
        ("tab\there", "tab_U_0009_here.png"),
        ("bell\x07", "bell_U_0007.png"),
        ("evil\u202egpj.exe", "evil_U_202E_gpj.exe.png"),
        ("\u202edorp-bew", "U_202E_dorp-bew.png"),
        ("web\u200bprod", "web_U_200B_prod.png"),
        ("\u3164", "U_3164.png"),
        ("测试-虚拟机", "测试-虚拟机.png"),
        ("", "unnamed.png"),
    ],
)
def test_host_supplied_names_are_made_safe(domain: str, expected: str) -> None:
    assert render("{domain}.png", NameParts("test:///default", domain, "u", WHEN)) == expected


def test_rendered_name_never_starts_with_dash_or_dot() -> None:
    assert render("-{domain}", PARTS) == "web1.png"
    assert render(".{domain}", PARTS) == "web1.png"
    assert render("--..x", PARTS) == "x.png"
    assert safe_file_name("..") == "screenshot.png"
    assert safe_file_name("a\x00b") == "a_b.png"
    assert len(safe_file_name("x" * 1000)) <= 204


def test_connection_of_a_local_uri_is_the_driver() -> None:
    parts = NameParts("qemu:///system", "d", "u", WHEN)
    assert render("{connection}", parts) == "qemu-system.png"


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    first = write_new(tmp_path, "a.png", b"1")
    second = write_new(tmp_path, "a.png", b"2")
    third = write_new(tmp_path, "a.png", b"3")
    assert [p.name for p in (first, second, third)] == ["a.png", "a_2.png", "a_3.png"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"1", b"2", b"3"]


def test_write_new_into_a_missing_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_new(tmp_path / "missing", "a.png", b"1")
