"""Connect, as the user asked for it, in the command log.

Only the user's own Connect is logged (``virsh -c URI list --all``, which
connects and lists as kvmdesk does), not the reconnects that follow a
dropped link by themselves.
"""

from __future__ import annotations

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.virt import virsh_commands


def open_logged(conn: Connection) -> None:
    """``conn.open()``, logged: ok once connected, or the failure's words."""
    if conn.state in (ConnState.CONNECTING, ConnState.CONNECTED):
        conn.open()
        return
    log = conn.command_log
    entry = log.add(virsh_commands.connect(conn.uri))

    def changed() -> None:
        if conn.state is ConnState.CONNECTED:
            log.finish(entry)
        elif conn.state in (ConnState.DISCONNECTED, ConnState.WAITING):
            failure = conn.failure
            log.finish(entry, failure.message if failure is not None else "cancelled")
        else:
            return
        conn.stateChanged.disconnect(changed)

    conn.stateChanged.connect(changed)
    conn.open()
