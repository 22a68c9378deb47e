"""Where a display is and how it is reached: the definition, the ssh tunnel's
command line, and adding a VNC display (test driver)."""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt.vnc.add_display import add_vnc_display
from kvmdesk.virt.vnc.reach import (
    DisplayInfo,
    can_pass_fds,
    display_info,
    parse_display,
    socket_path_allowed,
    ssh_relay_argv,
    ssh_socket_forward_argv,
    ssh_tunnel_argv,
    tunnel_target,
)

VNC = "d15d15d1-0000-4000-8000-000000000001"
SPICE = "d15d15d1-0000-4000-8000-000000000002"
HEADLESS = "d15d15d1-0000-4000-8000-000000000003"
Virt = Callable[[str], libvirt.virConnect]


def test_the_definition_says_where_the_display_is(virt: Virt) -> None:
    conn = virt("display.xml")
    info = display_info(conn, VNC)
    assert info.index == 0 and not info.spice
    assert (info.port, info.listen, info.password) == (5901, "0.0.0.0", "s3cret")
    assert display_info(conn, SPICE).index is None and display_info(conn, SPICE).spice
    assert display_info(conn, HEADLESS) == DisplayInfo(None, False, None, "", "", None, True)


def test_the_vnc_display_after_a_spice_one_is_counted_from_all_graphics() -> None:
    xml = """<domain><devices>
      <graphics type='spice' port='5900'/>
      <graphics type='vnc' port='5901'><listen type='address' address='::'/></graphics>
    </devices></domain>"""
    info = parse_display(xml, secure=False)
    assert info.index == 1 and info.spice and info.listen == "::"
    assert info.password is None and not info.password_readable
    socket_xml = "<domain><devices><graphics type='vnc' socket='/run/x.sock'/></devices></domain>"
    assert parse_display(socket_xml, True).socket_path == "/run/x.sock"
    assert tunnel_target(parse_display(socket_xml, True)) is None


@pytest.mark.parametrize(
    ("listen", "target"),
    [
        ("", ("127.0.0.1", 5901)),
        ("0.0.0.0", ("127.0.0.1", 5901)),
        ("::", ("::1", 5901)),
        ("192.0.2.7", ("192.0.2.7", 5901)),
    ],
)
def test_the_tunnel_goes_to_the_host_side_of_the_display(
    listen: str, target: tuple[str, int]
) -> None:
    info = DisplayInfo(0, False, 5901, listen, "", None, True)
    assert tunnel_target(info) == target


def test_the_ssh_command_comes_from_the_connection() -> None:
    argv = ssh_tunnel_argv(
        "qemu+ssh://admin@host.example:2222/system?keyfile=/home/a/.ssh/k", ("127.0.0.1", 5901)
    )
    assert argv[0] == "ssh"
    assert argv[argv.index("-p") + 1] == "2222"
    assert argv[argv.index("-l") + 1] == "admin"
    assert argv[argv.index("-i") + 1] == "/home/a/.ssh/k"
    assert argv[-4:] == ["-W", "127.0.0.1:5901", "--", "host.example"]
    assert ssh_tunnel_argv("qemu+ssh://h/system", ("::1", 5900))[-4:-2] == ["-W", "[::1]:5900"]


def test_a_socket_display_is_forwarded_by_ssh_or_relayed_on_the_host() -> None:
    uri = "qemu+ssh://admin@host.example:2222/system"
    remote = "/var/lib/libvirt/qemu/domain-3-guest/vnc.sock"
    argv = ssh_socket_forward_argv(uri, "/tmp/kvmdesk-display-x/vnc.sock", remote)
    assert argv[argv.index("-p") + 1] == "2222"
    assert argv[argv.index("-l") + 1] == "admin"
    assert "-N" in argv and "ExitOnForwardFailure=yes" in argv
    assert argv[-4:] == ["-L", f"/tmp/kvmdesk-display-x/vnc.sock:{remote}", "--", "host.example"]
    assert ssh_relay_argv(uri, "socat", remote)[-3:] == [
        "--",
        "host.example",
        f"socat - UNIX-CONNECT:{remote}",
    ]
    assert ssh_relay_argv(uri, "nc", remote)[-1] == f"nc -U {remote}"


@pytest.mark.parametrize(
    "path",
    [
        "relative/vnc.sock",
        "/run/a b.sock",
        "/run/x;reboot",
        "/run/$(id).sock",
        "/run/x:y.sock",  # ssh -L and socat split at a colon
        "/run/../etc/vnc.sock",
        "/run/x\n.sock",
        "",
    ],
)
def test_a_socket_path_that_is_not_plain_is_refused(path: str) -> None:
    assert not socket_path_allowed(path)
    with pytest.raises(ValueError):
        ssh_relay_argv("qemu+ssh://h/system", "socat", path)
    with pytest.raises(ValueError):
        ssh_socket_forward_argv("qemu+ssh://h/system", "/tmp/l.sock", path)


def test_only_ssh_uris_get_a_tunnel() -> None:
    with pytest.raises(ValueError):
        ssh_tunnel_argv("qemu+tls://h/system", ("127.0.0.1", 5900))
    with pytest.raises(ValueError):
        ssh_tunnel_argv("qemu+ssh://-oProxyCommand=x/system", ("127.0.0.1", 5900))
    assert can_pass_fds("qemu:///system") and can_pass_fds("qemu+unix:///session")
    assert not can_pass_fds("qemu+ssh://h/system")
    assert not can_pass_fds("qemu+tcp://h/system")


def test_adding_a_vnc_display(virt: Virt) -> None:
    conn = virt("display.xml")
    assert add_vnc_display(conn, HEADLESS) is True  # running: at the next boot
    xml = conn.lookupByUUIDString(HEADLESS).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert "type='vnc'" in xml or 'type="vnc"' in xml
    assert "<video>" in xml
    assert add_vnc_display(conn, SPICE) is True
    inactive = conn.lookupByUUIDString(SPICE).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    info = parse_display(inactive, True)
    assert info.spice and info.index == 1
    before = conn.lookupByUUIDString(VNC).XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)
    add_vnc_display(conn, VNC)  # has one: left alone
    assert conn.lookupByUUIDString(VNC).XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE) == before
