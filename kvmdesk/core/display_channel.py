"""The byte pipe to a VNC display: how to reach it from here.

``open_channel`` decides how (``virt.vnc.reach``): a socket from libvirt on a
local connection; on a ``+ssh`` connection ``ssh -W`` to the display's TCP
port on the host, whose standard input and output are one end of a socket
pair (``core.ssh_channel``), or for a display on a UNIX socket of the host
socket forwarding or a relay (``core.display_socket``). The session reads
and writes a socket either way.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from kvmdesk.core.connection import Connection
from kvmdesk.core.display_socket import open_socket_display
from kvmdesk.core.messages import tr
from kvmdesk.core.ssh_channel import Channel, Unreachable, start_ssh
from kvmdesk.virt.vnc.reach import (
    DisplayInfo,
    can_pass_fds,
    open_local,
    ssh_tunnel_argv,
    tunnel_target,
)


async def open_channel(conn: Connection, uuid: str, info: DisplayInfo) -> Channel:
    """A channel to the VNC display ``info`` describes. Raises ``Unreachable``
    (with the reason), libvirt errors, or OSError when ssh cannot start."""
    assert info.index is not None
    if can_pass_fds(conn.uri):
        sock = await conn.call(open_local, uuid, info.index)
        return Channel(sock)
    transport = urlsplit(conn.uri).scheme.partition("+")[2]
    if transport != "ssh":
        raise Unreachable(
            tr(
                "kvmdesk shows displays of local connections and of connections over ssh; "
                "this one uses {0}."
            ).format(transport or "tcp")
        )
    loop = asyncio.get_running_loop()
    target = tunnel_target(info)
    if target is None and info.socket_path:
        return await loop.run_in_executor(None, open_socket_display, conn.uri, info.socket_path)
    if target is None:
        raise Unreachable(tr("The display has neither a port nor a socket on the host."))
    argv = ssh_tunnel_argv(conn.uri, target)
    return await loop.run_in_executor(None, start_ssh, argv)


__all__ = ["Channel", "Unreachable", "open_channel", "start_ssh"]
