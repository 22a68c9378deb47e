"""What the command line asks to show once the window is up.

``kvmdesk -c URI --show-domain-console NAME`` (and the other ``--show-*``
options of virt-manager: ``-editor``, ``-performance``, ``-delete``,
``-creator``, ``--show-host-summary``) opens that part of the window as soon
as the connection is open. The window appears at once; the request waits for
the connection in the background and says in plain words why it cannot be
met (the host did not answer, no such virtual machine). A domain is named as
virt-manager accepts it: by name, UUID or (running) ID.
"""

from __future__ import annotations

import asyncio

import shiboken6

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import report_text
from kvmdesk.ui.host.host_window import open_host_details
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.ui.main.startup_request import DOMAIN_TABS, StartupView, View
from kvmdesk.virt.inventory import uuid_of_id

CONNECT_TIMEOUT = 120.0
"""How long a request waits for its connection before it gives up."""


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


async def resolve_domain(conn: Connection, key: str) -> str | None:
    """Like ``find_domain``, and a number names a running domain by its ID."""
    uuid = find_domain(conn, key)
    if uuid is None and key.strip().isdigit():
        try:
            uuid = await conn.call(uuid_of_id, int(key.strip()))
        except Exception:  # the connection went away: no such domain, as far as we know
            return None
    return uuid


async def show_on_start(
    window: MainWindow, manager: ConnectionManager, request: StartupView
) -> None:
    await manager.restored()  # a fleet's saved connections come a few per turn
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
        open_host_details(window, conn, window.jobs)
        return
    if request.view is View.CREATOR:
        window.show_domain_creator(conn)
        return
    uuid = await resolve_domain(conn, request.domain)
    if not shiboken6.isValid(window):
        return
    if uuid is None:
        report_text(
            window,
            tr("No Such Virtual Machine"),
            tr("There is no virtual machine “{0}” on {1}.").format(request.domain, request.uri),
        )
        return
    if request.view is View.DELETE:
        await window.show_domain_delete(conn, uuid)
    else:
        window.show_domain_tab(conn, uuid, DOMAIN_TABS[request.view])
