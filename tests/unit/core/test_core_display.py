"""The display session against a fake VNC server: connecting, following the
domain, and every way a server can fail or misbehave (clear words, bounded
memory, the loop keeps turning, no exceptions)."""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.core.display import DisplaySession, DisplayState
from kvmdesk.virt.vnc import rfb
from tests.unit.vnc.fake_server import FakeServer, Servers, SharePolicy
from tests.unit.vnc.rfb_bytes import raw, rect, update

VNC = "d15d15d1-0000-4000-8000-000000000001"
SPICE = "d15d15d1-0000-4000-8000-000000000002"
HEADLESS = "d15d15d1-0000-4000-8000-000000000003"
VNC_OFF = "d15d15d1-0000-4000-8000-000000000004"

OpenConn = Callable[[str], Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


@pytest.fixture
def sessions(aio_loop: Any) -> Iterator[Callable[..., DisplaySession]]:
    made: list[tuple[DisplaySession, Servers]] = []

    def make(conn: Connection, uuid: str, servers: Servers, **kw: Any) -> DisplaySession:
        session = DisplaySession(conn, uuid, opener=servers, **kw)
        made.append((session, servers))
        return session

    yield make
    for session, servers in made:
        session.close()
        servers.close()


def test_connects_with_the_password_from_the_secure_definition(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    servers = Servers(lambda s: s.handshake_with_password(320, 200, password="s3cret"))
    session = sessions(conn, VNC, servers)
    sizes: list[tuple[int, int]] = []
    frames: list[Any] = []
    session.resized.connect(lambda w, h: sizes.append((w, h)))
    session.updated.connect(frames.append)

    async def body() -> None:
        session.start()
        await until(lambda: session.connected, what="the display")
        assert sizes == [(320, 200)]
        assert servers.infos[0].password == "s3cret"
        servers.last.send(update(raw(0, 0, 10, 10)))
        await until(lambda: frames, what="a frame")
        fb = session.framebuffer
        assert fb is not None and fb.data[:4] == b"\x10\x20\x30\x00"
        session.key(0x1E, 0x61, True)
        await asyncio.get_running_loop().run_in_executor(
            None, servers.last.wait_for, struct.pack(">BBxxI", 4, 1, 0x61)
        )

    run(body())


def test_a_refused_password_is_said_once_and_not_retried(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    servers = Servers(lambda s: s.handshake_with_password(password="other"))
    session = sessions(conn, VNC, servers)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.AUTH_FAILED, what="the refusal")
        assert "refused the password" in session.reason
        assert "Authentication failed" in session.reason
        await asyncio.sleep(1.5)
        assert len(servers.made) == 1
        servers.on_open = lambda s: s.handshake_with_password(password="typed")
        session.retry("typed")
        await until(lambda: session.connected, what="the display with the typed password")

    run(body())


def test_displays_kvmdesk_cannot_show(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    servers = Servers()
    spice = sessions(conn, SPICE, servers)
    headless = sessions(conn, HEADLESS, servers)
    off = sessions(conn, VNC_OFF, servers)

    async def body() -> None:
        for session in (spice, headless, off):
            session.start()
        await until(lambda: spice.state is DisplayState.SPICE_ONLY, what="SPICE only")
        assert "SPICE" in spice.reason
        await until(lambda: headless.state is DisplayState.NO_DISPLAY, what="no display")
        assert off.state is DisplayState.NOT_RUNNING
        assert servers.made == []

    run(body())


def test_the_test_driver_cannot_hand_out_displays(
    open_connection: OpenConn, run: Any, until: Until, aio_loop: Any
) -> None:
    conn = open_connection("display.xml")
    session = DisplaySession(conn, VNC)  # the real opener: libvirt's OpenGraphicsFD

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.UNREACHABLE, what="the refusal")
        assert session.reason == "This host cannot hand out its displays."

    try:
        run(body())
    finally:
        session.close()


def test_a_domain_that_starts_is_attached(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    servers = Servers(lambda s: s.handshake_with_password(password="s3cret"))
    session = sessions(conn, VNC_OFF, servers)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.NOT_RUNNING, what="not running")
        assert session.reason == "The virtual machine is not running."
        await conn.call(lambda virt, uuid: virt.lookupByUUIDString(uuid).create(), VNC_OFF)
        conn.invalidate(VNC_OFF)
        await until(lambda: session.connected, what="the display after the start")

    run(body())


def test_a_server_that_stops_mid_frame_is_given_up_and_tried_again(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")

    def half_a_frame(server: FakeServer) -> None:
        server.handshake()
        server.send(update(raw(0, 0, 64, 48))[:500])  # and then nothing

    servers = Servers(half_a_frame)
    session = sessions(conn, VNC, servers, stall_seconds=0.5)

    async def body() -> None:
        session.start()
        await until(lambda: session.connected, what="the display")
        await until(lambda: session.state is DisplayState.DISCONNECTED, what="the stall")
        assert session.reason == "The display stopped answering."
        await until(lambda: len(servers.made) == 2, what="another attempt")

    run(body())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (update(rect(0, 0, 100_000 % 65536, 60_000, rfb.DESKTOP_SIZE)), "34464×60000"),
        (update(raw(60, 40, 10, 10)), "outside the 64×48 screen"),
        (update(rect(0, 0, 4, 4, 16, b"\0\0\0\0")), "encoding 16, never offered"),
        (update(rect(0, 0, 4, 4, rfb.ZLIB, struct.pack(">I", 8) + b"\x78\x9c" + b"\xff" * 6)), ""),
        (b"\x09", "unknown server message type 9"),
    ],
)
def test_bad_data_gives_a_clear_message_and_no_exception(
    open_connection: OpenConn,
    sessions: Any,
    run: Any,
    until: Until,
    caplog: pytest.LogCaptureFixture,
    data: bytes,
    words: str,
) -> None:
    conn = open_connection("display.xml")

    def bad(server: FakeServer) -> None:
        server.handshake()
        server.send(data)

    servers = Servers(bad)
    session = sessions(conn, VNC, servers)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.DISCONNECTED, what="the refusal")
        assert session.reason.startswith("The display sent data kvmdesk does not accept: ")
        assert words in session.reason
        assert session._channel is None  # the socket is closed

    with caplog.at_level(logging.WARNING):
        run(body())
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_flood_of_frames_leaves_the_loop_turning(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    frame = update(raw(0, 0, 1024, 768))  # 3 MB

    def flood(server: FakeServer) -> None:
        server.handshake(1024, 768)
        server.send_in_thread(frame * 12)

    servers = Servers(flood)
    session = sessions(conn, VNC, servers)
    turns: list[int] = []

    async def ticker() -> None:
        while True:
            turns.append(session.frames)
            await asyncio.sleep(0)

    async def body() -> None:
        session.start()
        tick = asyncio.ensure_future(ticker())
        try:
            await until(lambda: session.frames >= 12, timeout=30, what="the frames")
        finally:
            tick.cancel()
        # Other work ran between the frames, not only before and after them.
        assert len({count for count in turns if 0 < count < 12}) >= 3
        assert session.client is not None and session.client.buffered == 0

    run(body())


def test_the_guest_closing_the_display_reconnects(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")

    def once(server: FakeServer) -> None:
        server.handshake()

    servers = Servers(once)
    session = sessions(conn, VNC, servers)

    async def body() -> None:
        session.start()
        await until(lambda: session.connected, what="the display")
        servers.last.close()
        await until(lambda: session.state is DisplayState.DISCONNECTED, what="the drop")
        assert session.reason == "The display closed the connection."
        await until(lambda: session.connected and len(servers.made) == 2, what="the reconnect")

    run(body())


def test_a_failing_tunnel_says_what_ssh_said(
    open_connection: OpenConn, run: Any, until: Until, aio_loop: Any
) -> None:
    from kvmdesk.core.display_channel import start_ssh

    conn = open_connection("display.xml")
    words = "ssh: connect to host nowhere.example port 22: Connection refused"

    async def ssh_that_fails(conn: Connection, uuid: str, info: Any) -> Any:
        # What ssh does when it cannot reach the host: a line on standard error, exit 255.
        return start_ssh(["sh", "-c", f"sleep 0.2; echo '{words}' >&2; exit 255"])

    session = DisplaySession(conn, VNC, opener=ssh_that_fails)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.DISCONNECTED, what="the failure")
        assert session.reason == f"The ssh tunnel failed: {words}"

    try:
        run(body())
    finally:
        session.close()


def test_a_display_taken_by_another_client_is_said_rechecked_and_taken_over(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    policy = SharePolicy()
    policy.holder = other = FakeServer()  # another viewer holds the display exclusively
    servers = Servers(policy)
    session = sessions(conn, VNC, servers, taken_recheck=0.2)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.TAKEN, what="the taken display")
        assert "Another client" in session.reason
        assert "exclusively" in session.reason
        # Asked again by itself, quietly: the state stays TAKEN while it asks.
        states: list[DisplayState] = []
        session.stateChanged.connect(lambda: states.append(session.state))
        await until(lambda: len(servers.made) >= 3, what="the rechecks")
        assert states == []
        assert set(policy.flags) == {1}  # rechecks share; they never take over
        session.take_over()
        await until(lambda: session.connected, what="the exclusive connection")
        assert policy.flags[-1] == 0
        assert other.client.recv(1) == b""  # the other viewer was disconnected
        # Dropped later, the session attaches again sharing, as any viewer does.
        policy.holder = None
        servers.last.close()
        await until(lambda: session.connected and policy.flags[-1] == 1, what="a shared reattach")

    try:
        run(body())
    finally:
        other.close()


def test_a_display_taken_over_by_another_client_while_shown(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    policy = SharePolicy()
    servers = Servers(policy)
    session = sessions(conn, VNC, servers, taken_recheck=0.2)

    async def body() -> None:
        session.start()
        await until(lambda: session.connected, what="the display")
        intruder = FakeServer()
        servers.made.append(intruder)
        await asyncio.get_running_loop().run_in_executor(None, _exclusive_hello, policy, intruder)
        await until(lambda: session.state is DisplayState.TAKEN, what="the taken display")
        policy.holder = None  # the other viewer quits
        intruder.close()
        await until(lambda: session.connected, what="the display again, by itself")

    run(body())


def _exclusive_hello(policy: SharePolicy, server: FakeServer) -> None:
    """Another viewer connecting with shared-flag 0."""
    server.client.setblocking(True)
    server.client.sendall(b"RFB 003.008\n\x01\x00")
    policy(server)


def test_a_display_that_refuses_to_be_taken_over(
    open_connection: OpenConn, sessions: Any, run: Any, until: Until
) -> None:
    conn = open_connection("display.xml")
    policy = SharePolicy(force_shared=True)
    policy.holder = other = FakeServer()
    servers = Servers(policy)
    session = sessions(conn, VNC, servers, taken_recheck=60)

    async def body() -> None:
        session.start()
        await until(lambda: session.state is DisplayState.TAKEN, what="the taken display")
        session.take_over()
        await until(
            lambda: session.state is DisplayState.TAKEN and "refused" in session.reason,
            what="the refusal",
        )
        assert "only allows shared connections" in session.reason
        assert policy.flags == [1, 0]

    try:
        run(body())
    finally:
        other.close()
