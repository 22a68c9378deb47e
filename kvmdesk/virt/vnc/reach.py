"""Reaching a domain's VNC display wherever its libvirt connection reaches.

Locally (``qemu:///system``, ``qemu:///session``) libvirt hands over a
socket already connected to QEMU's VNC server (``virDomainOpenGraphicsFD``):
no TCP port, no listen address, works with ``listen type='none'`` and
socket displays, and with ``SKIPAUTH`` no password either.

Over ``qemu+ssh://`` libvirt cannot pass file descriptors (calling it there
even breaks the connection), so kvmdesk runs ``ssh -W`` with the
connection's own user, host, port and key: OpenSSH forwards the display's
TCP port on the host to our socket, with nothing needed on the host (no
``nc``). A display listening on any address of the host is reached through
the tunnel at the host's loopback, never directly.
"""

from __future__ import annotations

import re
import shlex
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

import libvirt

from kvmdesk.virt.uri.fields import UriProblem
from kvmdesk.virt.uri.parse import parse_uri
from kvmdesk.virt.xmledit import read_definition


@dataclass(frozen=True)
class DisplayInfo:
    """What a running domain's definition says about its displays."""

    index: int | None  # of the first VNC display among all <graphics>; None: no VNC
    spice: bool  # has a SPICE display
    port: int | None  # VNC TCP port, once the domain runs (None: none, or a socket)
    listen: str  # the address it listens on ("" when unknown)
    socket_path: str  # a UNIX socket display ("" otherwise)
    password: str | None  # from the secure definition; None: none set, or unreadable
    password_readable: bool  # the connection could read the secure definition


def display_info(conn: libvirt.virConnect, uuid: str) -> DisplayInfo:
    """Read the live definition (with secrets where allowed) of domain ``uuid``."""
    dom = conn.lookupByUUIDString(uuid)
    text, secure = read_definition(dom, 0)
    return parse_display(text, secure)


def parse_display(text: str, secure: bool) -> DisplayInfo:
    root = ET.fromstring(text)
    graphics = root.findall("./devices/graphics")
    spice = any(g.get("type") == "spice" for g in graphics)
    for index, g in enumerate(graphics):
        if g.get("type") != "vnc":
            continue
        port = _int(g.get("port"))
        listen = g.get("listen", "")
        socket_path = g.get("socket", "")
        for node in g.findall("listen"):
            if node.get("type") == "address" and not listen:
                listen = node.get("address", "")
            if node.get("type") == "socket" and not socket_path:
                socket_path = node.get("socket", "")
        return DisplayInfo(
            index=index,
            spice=spice,
            port=port if port is not None and port > 0 else None,
            listen=listen,
            socket_path=socket_path,
            password=g.get("passwd"),
            password_readable=secure,
        )
    return DisplayInfo(None, spice, None, "", "", None, secure)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def open_local(conn: libvirt.virConnect, uuid: str, index: int) -> socket.socket:
    """A socket to the display, from libvirt; without a password where allowed."""
    dom = conn.lookupByUUIDString(uuid)
    try:
        fd = dom.openGraphicsFD(index, libvirt.VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() not in (
            libvirt.VIR_ERR_OPERATION_DENIED,
            libvirt.VIR_ERR_ACCESS_DENIED,
        ):
            raise
        fd = dom.openGraphicsFD(index, 0)  # a read-only connection: the password is asked
    sock = socket.socket(fileno=fd)
    sock.setblocking(False)
    return sock


def can_pass_fds(uri: str) -> bool:
    """Whether libvirt can hand this connection a socket: a local UNIX socket only."""
    parts = urlsplit(uri)
    transport = parts.scheme.partition("+")[2]
    return not parts.netloc and transport in ("", "unix")


def tunnel_target(info: DisplayInfo) -> tuple[str, int] | None:
    """Where, seen from the host, ssh should forward to: (address, port)."""
    if info.port is None:
        return None
    listen = info.listen.strip("[]")
    if listen in ("", "0.0.0.0", "127.0.0.1", "localhost"):
        return "127.0.0.1", info.port
    if listen in ("::", "::1"):
        return "::1", info.port
    return listen, info.port  # a specific address of the host; still through ssh


def _ssh_argv(uri: str, program: str) -> tuple[list[str], str]:
    """ssh's options from the URI's checked fields only (user, port, key file,
    known hosts), and the host; ``--`` goes before the host."""
    fields = parse_uri(uri)
    if isinstance(fields, UriProblem) or fields.host is None:
        raise ValueError(f"not a remote URI: {uri}")
    if fields.transport != "ssh":
        raise ValueError(f"not an ssh URI: {uri}")
    params = dict(fields.params)
    argv = [program, "-T", "-x", "-a", "-e", "none"]
    if fields.port is not None:
        argv += ["-p", str(fields.port)]
    if fields.user:
        argv += ["-l", fields.user]
    if "keyfile" in params:
        argv += ["-i", params["keyfile"]]
    if "known_hosts" in params:
        argv += ["-o", "UserKnownHostsFile=" + params["known_hosts"]]
    return argv, fields.host


def ssh_tunnel_argv(uri: str, target: tuple[str, int], program: str = "ssh") -> list[str]:
    """``ssh -W`` to ``target`` through the host of ``uri`` (a ``+ssh`` URI)."""
    argv, ssh_host = _ssh_argv(uri, program)
    host, port = target
    forward = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [*argv, "-W", forward, "--", ssh_host]


SAFE_SOCKET_PATH = re.compile(r"/[A-Za-z0-9/._+@-]+")
"""What a socket path from the host may hold to be handed to ssh, socat or a shell."""

SOCKET_RELAYS = ("socat", "nc")
"""Programs on the host that relay a UNIX socket to ssh's standard input and
output, tried in this order when the host's sshd does not forward sockets."""


def socket_path_allowed(path: str) -> bool:
    return SAFE_SOCKET_PATH.fullmatch(path) is not None and "/../" not in path + "/"


def ssh_socket_forward_argv(
    uri: str, local_path: str, remote_path: str, program: str = "ssh"
) -> list[str]:
    """OpenSSH's own socket forwarding: ``local_path`` here to ``remote_path`` on
    the host, nothing needed there; ssh exits if the forward cannot be set up."""
    if not socket_path_allowed(remote_path):
        raise ValueError(f"not a plain socket path: {remote_path!r}")
    argv, ssh_host = _ssh_argv(uri, program)
    return [
        *argv,
        "-N",
        "-o",
        "ExitOnForwardFailure=yes",
        "-L",
        f"{local_path}:{remote_path}",
        "--",
        ssh_host,
    ]


def ssh_relay_argv(uri: str, relay: str, remote_path: str, program: str = "ssh") -> list[str]:
    """ssh running ``relay`` (``socat`` or ``nc``) on the host, connected to
    ``remote_path``; its standard input and output are the display's bytes."""
    if not socket_path_allowed(remote_path):
        raise ValueError(f"not a plain socket path: {remote_path!r}")
    argv, ssh_host = _ssh_argv(uri, program)
    if relay == "socat":
        command = ["socat", "-", "UNIX-CONNECT:" + remote_path]
    elif relay == "nc":
        command = ["nc", "-U", remote_path]
    else:
        raise ValueError(f"unknown relay: {relay}")
    return [*argv, "--", ssh_host, shlex.join(command)]
