"""What the command line asks to show once the window is up.

``kvmdesk -c URI --show-domain-console NAME`` (or ``--show-domain-creator``,
``--show-host-summary``) opens that part of the window as soon as the
connection is open, as virt-manager's options of the same names do. The
window appears at once; the request waits for the connection in the
background and says in plain words why it cannot be met (the host did not
answer, no such virtual machine).
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass

import shiboken6

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.ui.common.errors import report_text
from kvmdesk.ui.host.host_window import open_host_details
from kvmdesk.ui.main.mainwindow import MainWindow

CONNECT_TIMEOUT = 120.0
"""How long a request waits for its connection before it gives up."""


class View(enum.Enum):
    CONSOLE = "console"
    CREATOR = "creator"
    HOST = "host"


@dataclass(frozen=True)
class StartupView:
    view: View
    uri: str
    domain: str = ""  # name or UUID, for CONSOLE


async def wait_connected(conn: Connection, timeout: float = CONNECT_TIMEOUT) -> bool:
    """Wait until ``conn`` is open (True) or its attempt failed (False)."""
    loop = asyncio.get_event_loop()
    done: asyncio.Future[bool] = loop.create_future()

    def check() -> None:
        if done.done() or not shiboken6.isValid(conn):
            return
        if conn.state is ConnState.CONNECTED:
            done.set_result(True)
        elif conn.state is ConnState.WAITING or (
            conn.state is ConnState.DISCONNECTED and conn.failure is not None
        ):
            done.set_result(False)

    conn.stateChanged.connect(check)
    try:
        check()
        return await asyncio.wait_for(done, timeout)
    except TimeoutError:
        return False
    finally:
        if shiboken6.isValid(conn):
            conn.stateChanged.disconnect(check)


def find_domain(conn: Connection, key: str) -> str | None:
    """The UUID of the domain called ``key`` or with that UUID."""
    key = key.strip()
    if key in conn.domains:
        return key
    for uuid, record in conn.domains.items():
        if record.name == key:
            return uuid
    lowered = key.lower()
    for uuid in conn.domains:
        if uuid.lower() == lowered:
            return uuid
    return None


async def show_on_start(
    window: MainWindow, manager: ConnectionManager, request: StartupView
) -> None:
    tr = messages.tr
    conn = manager.find(request.uri)
    if conn is None:  # restore() adds every --connect URI; this is a safety net
        conn = manager.add(request.uri)
        conn.open()
    if not await wait_connected(conn):
        if not shiboken6.isValid(window):
            return
        reason = messages.failure_summary(conn.failure) if conn.failure else ""
        report_text(
            window,
            tr("Cannot Open the Connection"),
            tr("kvmdesk could not open {0}.").format(request.uri),
            reason,
        )
        return
    if not shiboken6.isValid(window):
        return
    if request.view is View.HOST:
        open_host_details(window, conn)
    elif request.view is View.CREATOR:
        window.show_domain_creator(conn)
    else:
        uuid = find_domain(conn, request.domain)
        if uuid is None:
            report_text(
                window,
                tr("No Such Virtual Machine"),
                tr("There is no virtual machine “{0}” on {1}.").format(request.domain, request.uri),
            )
            return
        window.show_domain_console(conn, uuid)
