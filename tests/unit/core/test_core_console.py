"""The console session on the test driver, which opens no console streams:
what it says for each case, that it never retries in vain, and that it
follows the domain and the connection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.console import ConsoleSession, ConsoleState, not_connected_text
from kvmdesk.virt.console import add_serial_console

SERIAL = "c0c0c0c0-0000-4000-8000-000000000001"
BARE = "c0c0c0c0-0000-4000-8000-000000000002"
OFF = "c0c0c0c0-0000-4000-8000-000000000003"
OFF_BARE = "c0c0c0c0-0000-4000-8000-000000000004"
SEVERAL = "c0c0c0c0-0000-4000-8000-000000000005"
OpenConn = Callable[[str], Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


class States:
    def __init__(self, session: ConsoleSession) -> None:
        self.seen: list[ConsoleState] = []
        self.session = session
        session.stateChanged.connect(lambda: self.seen.append(session.state))


@pytest.fixture
def sessions(aio_loop: Any) -> Any:
    made: list[ConsoleSession] = []

    def make(conn: Connection, uuid: str) -> ConsoleSession:
        session = ConsoleSession(conn, uuid)
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


def test_a_driver_without_consoles_says_so_once_and_does_not_retry(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, SERIAL)
    states = States(session)

    async def body() -> None:
        session.start()
        assert session.state is ConsoleState.CONNECTING
        await until(lambda: session.state is ConsoleState.DISCONNECTED, what="the refusal")
        assert "cannot open serial consoles" in session.reason
        assert not session.attached
        assert [d.port for d in session.devices] == [0]
        await asyncio.sleep(1.5)  # longer than the first retry delay
        assert states.seen == [ConsoleState.CONNECTING, ConsoleState.DISCONNECTED]
        assert session.send(b"ls\r") is False  # nothing to send to

    run(body())


def test_no_serial_console_running_or_not(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    running, off = sessions(conn, BARE), sessions(conn, OFF_BARE)

    async def body() -> None:
        running.start()
        off.start()
        await until(lambda: running.state is off.state is ConsoleState.NO_DEVICE, what="no device")
        assert running.reason == "This virtual machine has no serial console."
        assert running.devices == () and off.devices == ()

    run(body())


def test_shut_off_domain_waits_and_attaches_when_it_starts(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, OFF)
    states = States(session)

    async def body() -> None:
        session.start()
        assert session.state is ConsoleState.NOT_RUNNING
        await until(lambda: session.devices != (), what="the device listing")
        assert session.state is ConsoleState.NOT_RUNNING
        await conn.call(lambda virt: virt.lookupByUUIDString(OFF).create())
        # The start event: the session tries to attach (and the test driver refuses).
        await until(lambda: ConsoleState.CONNECTING in states.seen, what="an attempt")
        await until(lambda: session.state is ConsoleState.DISCONNECTED, what="the refusal")
        await conn.call(lambda virt: virt.lookupByUUIDString(OFF).destroy())
        await until(lambda: session.state is ConsoleState.NOT_RUNNING, what="not running")

    run(body())


def test_connection_closed_and_opened_again(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, BARE)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is ConsoleState.NO_DEVICE, what="no device")
        conn.close()
        assert session.state is ConsoleState.DISCONNECTED
        assert session.reason == not_connected_text()
        assert await conn.open_and_wait()
        await until(lambda: session.state is ConsoleState.NO_DEVICE, what="asked again")

    run(body())


def test_adding_a_serial_console_then_retrying(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, OFF_BARE)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is ConsoleState.NO_DEVICE, what="no device")
        assert await conn.call(add_serial_console, OFF_BARE) is False
        session.retry()
        await until(lambda: session.devices != (), what="the new device")
        assert session.state is ConsoleState.NOT_RUNNING

    run(body())


def test_several_devices_are_listed_and_one_can_be_chosen(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, SEVERAL)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is ConsoleState.DISCONNECTED, what="the refusal")
        assert [(d.element, d.port) for d in session.devices] == [
            ("serial", 0),
            ("serial", 1),
            ("console", 0),
        ]
        states = States(session)
        session.set_device("serial1")
        assert states.seen[0] is ConsoleState.CONNECTING
        await until(lambda: session.state is ConsoleState.DISCONNECTED, what="the refusal")

    run(body())


def test_close_is_final_and_quiet(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, SERIAL)

    async def body() -> None:
        session.start()
        session.close()  # while the open call is in flight
        assert session.closed and session.state is ConsoleState.IDLE
        states = States(session)
        await asyncio.sleep(0.3)
        assert states.seen == []  # the late answer is dropped
        session.close()
        session.start()
        assert session.state is ConsoleState.IDLE
        await conn.call(lambda virt: virt.lookupByUUIDString(SERIAL).destroy())
        await asyncio.sleep(0.3)
        assert states.seen == []

    run(body())


def test_log_file_that_cannot_be_opened(
    open_connection: OpenConn, sessions: Any, tmp_path: Path
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, SERIAL)
    good = tmp_path / "console.log"
    session.set_log_path(good)
    assert session.log_path == good and good.exists()
    with pytest.raises(OSError):
        session.set_log_path(tmp_path / "missing" / "dir" / "x.log")
    assert session.log_path == good  # the old log stays
    with pytest.raises(OSError):
        session.set_log_path(tmp_path)  # a directory
    session.set_log_path(None)
    assert session.log_path is None


def test_domain_removed_while_followed(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("console.xml")
    session = sessions(conn, OFF)

    async def body() -> None:
        session.start()
        await until(lambda: session.devices != (), what="the device listing")
        await conn.call(lambda virt: virt.lookupByUUIDString(OFF).undefine())
        await until(lambda: session.state is ConsoleState.DISCONNECTED, what="gone")
        assert session.reason == "The virtual machine no longer exists."

    run(body())
