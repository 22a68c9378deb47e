"""The serial console of a real QEMU guest, through kvmdesk's console session
and the Console tab, over the local connection and over ``qemu+ssh://``.

The guest (``guest.py``) prints a ready marker on ttyS0 and then runs a
busybox shell there: what is typed reaches it, what it prints comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.console import ConsoleSession, ConsoleState, not_running_text
from kvmdesk.virt.shown import shown as shown_name

try:
    from .conftest import TEST_URI
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import READY_MARKER  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
BOOT_TIMEOUT = 120.0
SHELL_TIMEOUT = 30.0
PROMPT = "guest# "


class Output:
    """Everything a session received, searchable from an offset on."""

    def __init__(self, session: ConsoleSession) -> None:
        self.data = bytearray()
        session.output.connect(self.data.extend)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")

    def mark(self) -> int:
        return len(self.text)

    def has(self, pattern: str, start: int = 0) -> bool:
        return re.search(pattern, self.text[start:]) is not None


Until = Callable[..., Coroutine[Any, Any, None]]


async def until(predicate: Callable[[], Any], timeout: float, what: str) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


async def shell(session: ConsoleSession, out: Output, line: str, expect: str) -> None:
    """Type ``line`` and Enter, and wait for ``expect`` (a regex) in what follows."""
    start = out.mark()
    assert session.send(line.encode() + b"\r")
    await until(
        lambda: out.has(expect, start),
        SHELL_TIMEOUT,
        f"{expect!r} after typing {line!r}; output:\n{out.text[start:][-1500:]}",
    )


@pytest.fixture
def sessions(aio_loop: Any) -> Iterator[Callable[[Connection, str], ConsoleSession]]:
    made: list[ConsoleSession] = []

    def make(conn: Connection, uuid: str) -> ConsoleSession:
        session = ConsoleSession(conn, uuid)
        made.append(session)
        return session

    yield make
    for session in made:
        session.close()


def _kvmdesk_connection(manager: Any, run: Any, uri: str) -> Connection:
    conn: Connection = manager.add(uri, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


async def _boot_attached(conn: Connection, dom: Any, session: ConsoleSession, out: Output) -> None:
    """Start ``dom`` paused, attach, resume: the whole boot is on the console."""
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    uuid = dom.UUIDString()
    await until(lambda: uuid in conn.domains and conn.domains[uuid].state.is_active, 30, "paused")
    session.start()
    await until(lambda: session.state is ConsoleState.ATTACHED, 30, "the console to attach")
    dom.resume()
    await until(lambda: out.has(READY_MARKER), BOOT_TIMEOUT, f"the boot marker:\n{out.text}")


def test_console_session_local(
    manager: Any, run: Any, define_guest: Any, sessions: Any, libvirt_conn: Any, tmp_path: Path
) -> None:
    conn = _kvmdesk_connection(manager, run, TEST_URI)
    dom = define_guest()
    uuid = dom.UUIDString()
    first = sessions(conn, uuid)
    out = Output(first)
    log_file = tmp_path / "console.log"

    async def body() -> None:
        await _boot_attached(conn, dom, first, out)
        assert first.device is not None and first.device.alias == "serial0"
        first.set_log_path(log_file)
        await shell(first, out, "echo $((6*7))", r"\n42\r?\n")
        # Ctrl+C reaches the guest: without it the shell would sleep for 100 s.
        assert first.send(b"sleep 100\r")
        await asyncio.sleep(1.0)
        assert first.send(b"\x03")
        await shell(first, out, "echo after-$((40+2))", r"after-42")
        # Arrows reach busybox's line editor: Left Left, then insert X.
        start = out.mark()
        assert first.send(b"echo abc\x1b[D\x1b[DX\r")
        await until(lambda: out.has(r"\naXbc\r?\n", start), SHELL_TIMEOUT, f"aXbc:\n{out.text}")

        # A second client in safe mode is refused; taking over is explicit.
        second = sessions(conn, uuid)
        second_out = Output(second)
        second.start()
        await until(lambda: second.state is ConsoleState.HELD, 30, "held by another client")
        assert not second.attached
        assert first.state is ConsoleState.ATTACHED
        second.take_over()
        await until(lambda: second.state is ConsoleState.ATTACHED, 30, "the take-over")
        await until(lambda: first.state is not ConsoleState.ATTACHED, 30, "the first to lose it")
        # The first one tries again in safe mode only, and is refused.
        await until(lambda: first.state is ConsoleState.HELD, 30, "the first to be held off")
        await shell(second, second_out, "echo second-$((2*3))", r"second-6")

        # The guest shuts down: disconnected; it starts again: attached by itself.
        dom.shutdown()
        await until(
            lambda: (
                second.state is ConsoleState.DISCONNECTED and second.reason == not_running_text()
            ),
            BOOT_TIMEOUT,
            f"disconnected when the guest stopped ({second.state}, {second.reason})",
        )
        assert not second.attached
        assert first.state is ConsoleState.DISCONNECTED
        start, first_start = second_out.mark(), out.mark()
        dom.create()
        trail: list[tuple[str, str, str]] = []
        for s in (first, second):
            s.stateChanged.connect(
                lambda s=s: trail.append(("1" if s is first else "2", s.state.value, s.reason))
            )
        # Both follow the guest: one attaches, the other is held off (safe mode).
        await until(
            lambda: {first.state, second.state} == {ConsoleState.ATTACHED, ConsoleState.HELD},
            60,
            f"the re-attach: {trail}, {conn.domains[uuid]}",
        )
        active = second if second.state is ConsoleState.ATTACHED else first
        active_out = second_out if active is second else out
        await until(
            lambda: active_out.has(READY_MARKER, start if active is second else first_start),
            BOOT_TIMEOUT,
            "the new boot's marker",
        )
        await shell(active, active_out, "echo again-$((6*7))", r"again-42")

        # The connection closes while attached: a clear state, no freeze.
        conn.close()
        assert active.state is ConsoleState.DISCONNECTED and not active.attached
        conn.open()
        await until(lambda: conn.state is ConnState.CONNECTED, 30, "the reconnect")
        await until(
            lambda: {first.state, second.state} == {ConsoleState.ATTACHED, ConsoleState.HELD},
            30,
            f"the re-attach after the reconnect: {trail}",
        )
        active = second if second.state is ConsoleState.ATTACHED else first
        active_out = second_out if active is second else out
        await shell(active, active_out, "echo back-$((1+2))", r"back-3")

    run(body(), timeout=600)
    first.set_log_path(None)
    logged = log_file.read_bytes()
    assert b"42" in logged and b"after-42" in logged


def test_closed_session_frees_the_console(
    manager: Any, run: Any, define_guest: Any, sessions: Any, libvirt_conn: Any
) -> None:
    """No leaked stream: once a session is closed, another safe-mode client gets in."""
    conn = _kvmdesk_connection(manager, run, TEST_URI)
    dom = define_guest()
    uuid = dom.UUIDString()

    async def body() -> None:
        dom.create()
        await until(lambda: uuid in conn.domains and conn.domains[uuid].state.is_active, 30, "up")
        for _ in range(3):
            session = sessions(conn, uuid)
            session.start()
            await until(lambda s=session: s.state is ConsoleState.ATTACHED, 30, "attached")
            session.close()
        # A plain libvirt client in safe mode: refused only if a stream leaked.
        for _ in range(50):
            stream = libvirt_conn.newStream(0)
            try:
                dom.openConsole(None, stream, libvirt.VIR_DOMAIN_CONSOLE_SAFE)
            except libvirt.libvirtError as exc:
                assert "Active console session" in str(exc)
                await asyncio.sleep(0.1)  # the abort is still on its way
                continue
            stream.abort()
            return
        pytest.fail("the console stays held after every session was closed")

    run(body(), timeout=300)


def test_console_over_ssh_and_a_killed_link(
    ssh_bed: SshBed, manager: Any, run: Any, define_guest: Any, sessions: Any
) -> None:
    conn = _kvmdesk_connection(manager, run, f"qemu+ssh://{HOST}/system")
    dom = define_guest()
    session = sessions(conn, dom.UUIDString())
    out = Output(session)

    async def body() -> None:
        await _boot_attached(conn, dom, session, out)
        await shell(session, out, "echo $((6*7))", r"\n42\r?\n")
        assert session.send(b"sleep 100\r")
        await asyncio.sleep(1.0)
        assert session.send(b"\x03")  # Ctrl+C
        await shell(session, out, "echo after-$((40+2))", r"after-42")
        start = out.mark()
        assert session.send(b"echo abc\x1b[D\x1b[DX\r")
        await until(lambda: out.has(r"\naXbc\r?\n", start), SHELL_TIMEOUT, "aXbc over ssh")

        # The ssh link dies: a clear state, no freeze, and back by itself.
        pids = ssh_bed.ssh_pids(HOST)
        assert pids, "no ssh child of the test process"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        await until(lambda: session.state is not ConsoleState.ATTACHED, 30, "the lost link")
        assert not session.attached
        await until(lambda: conn.state is ConnState.CONNECTED, 60, "the reconnect")
        await until(lambda: session.state is ConsoleState.ATTACHED, 60, "the re-attach")
        await shell(session, out, "echo back-$((1+2))", r"back-3")

    run(body(), timeout=600)


def test_console_tab_with_the_real_guest(
    manager: Any, run: Any, define_guest: Any, qtbot: Any, libvirt_conn: Any
) -> None:
    """The Console tab as a user sees it: boot output, keys typed into the terminal."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from kvmdesk.ui.domain.details import DetailsPane

    conn = _kvmdesk_connection(manager, run, TEST_URI)
    dom = define_guest()
    uuid = dom.UUIDString()
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.resize(900, 620)
    pane.show()
    qtbot.waitExposed(pane)
    page = pane.console_tab
    terminal = page.terminal

    def shown() -> str:
        return terminal.history_text() + "\n" + terminal.screen_text()

    async def type_line(text: str, expect: str) -> None:
        before = shown().count(expect)
        qtbot.keyClicks(terminal, text)
        qtbot.keyClick(terminal, Qt.Key.Key_Return)
        await until(
            lambda: shown().count(expect) > before,
            SHELL_TIMEOUT,
            f"{expect!r} after {text!r}:\n{shown()[-1500:]}",
        )

    async def body() -> None:
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        await until(lambda: uuid in conn.domains, 30, "the row")
        pane.show_domain(conn, uuid)
        pane.setCurrentWidget(page)
        session = page.session
        assert session is not None
        await until(lambda: session.state is ConsoleState.ATTACHED, 30, "attached")
        assert page.status.text() == f"Connected to {shown_name('serial0')}"
        assert terminal.input_enabled()
        dom.resume()
        await until(lambda: READY_MARKER in shown(), BOOT_TIMEOUT, "the boot marker")
        await type_line("echo $((6*7))", "\n42")
        # Ctrl+C interrupts a sleep; the next command runs at once.
        qtbot.keyClicks(terminal, "sleep 100")
        qtbot.keyClick(terminal, Qt.Key.Key_Return)
        await asyncio.sleep(1.0)
        qtbot.keyClick(terminal, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        await type_line("echo interrupted-$((40+2))", "interrupted-42")
        # Arrows: Left Left inserts before the last two letters.
        qtbot.keyClicks(terminal, "echo abc")
        qtbot.keyClick(terminal, Qt.Key.Key_Left)
        qtbot.keyClick(terminal, Qt.Key.Key_Left)
        await type_line("X", "aXbc")
        pane.grab().save("/tmp/details-console-attached.png")

        # Another tab closes the stream: a safe-mode client gets the console.
        pane.setCurrentWidget(pane.xml_tab)
        assert page.session is None and session.closed
        other: list[Any] = []
        await until(lambda: _hold_console(libvirt_conn, dom, other), 30, "the console to be free")
        # Back on the tab, that other client holds it: said, and taken only on request.
        pane.setCurrentWidget(page)
        await until(lambda: page.take_over_button.isVisible(), 30, "the take-over offer")
        assert page.status.text() == "Another client is using this console."
        assert page.stack.currentWidget() is terminal and "aXbc" in shown()
        assert not terminal.input_enabled()
        pane.grab().save("/tmp/details-console-held.png")
        qtbot.mouseClick(page.take_over_button, Qt.MouseButton.LeftButton)
        await until(lambda: _question() is not None, 10, "the confirmation")
        _question().done(QMessageBox.StandardButton.Yes.value)  # type: ignore[union-attr]
        await until(
            lambda: page.session is not None and page.session.attached, 30, "attached again"
        )
        assert not page.take_over_button.isVisible()
        await type_line("echo taken-$((6*7))", "taken-42")
        with contextlib.suppress(libvirt.libvirtError):  # it lost the console
            other[0].abort()

        # The guest powers off: a calm status, the old output stays.
        dom.shutdown()
        await until(
            lambda: page.status.text().startswith("Disconnected"), BOOT_TIMEOUT, "disconnected"
        )
        await until(
            lambda: (
                page.status.text()
                == f"Disconnected: {not_running_text()} It attaches again when it runs."
            ),
            60,
            f"the reason ({page.status.text()}, {conn.domains[uuid].state})",
        )
        assert page.stack.currentWidget() is terminal and "42" in shown()
        assert not terminal.input_enabled()
        pane.grab().save("/tmp/details-console-disconnected.png")

    run(body(), timeout=600)
    pane.clear()


def _hold_console(virt: Any, dom: Any, held: list[Any]) -> bool:
    """Open the console in safe mode with a plain client; False while someone has it."""
    stream = virt.newStream(0)
    try:
        dom.openConsole(None, stream, libvirt.VIR_DOMAIN_CONSOLE_SAFE)
    except libvirt.libvirtError:
        return False
    held.append(stream)
    return True


def _question() -> Any:
    from PySide6.QtWidgets import QApplication, QMessageBox

    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    return boxes[0] if boxes else None


def test_device_selector_with_two_serial_ports(
    manager: Any,
    run: Any,
    libvirt_conn: Any,
    guest_assets: Any,
    unique_guest_name: str,
    sessions: Any,
    qtbot: Any,
) -> None:
    """A guest with two serial ports: the tab offers both; each is its own console."""
    import xml.etree.ElementTree as ET

    from kvmdesk.ui.domain.console.console_page import ConsolePage

    try:
        from .guest import guest_domain_xml
    except ImportError:
        from guest import guest_domain_xml  # type: ignore[no-redef]

    root = ET.fromstring(guest_domain_xml(unique_guest_name, guest_assets))
    devices = root.find("devices")
    assert devices is not None
    second = ET.Element("serial", type="pty")
    ET.SubElement(second, "target", port="1")
    devices.insert(list(devices).index(devices.find("console")), second)  # type: ignore[arg-type]
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    uuid = dom.UUIDString()
    conn = _kvmdesk_connection(manager, run, TEST_URI)
    page = ConsolePage()
    qtbot.addWidget(page)
    page.resize(760, 420)
    page.show()
    shell_session = sessions(conn, uuid)
    out = Output(shell_session)

    def shown() -> str:
        return page.terminal.history_text() + "\n" + page.terminal.screen_text()

    async def body() -> None:
        await _boot_attached(conn, dom, shell_session, out)
        page.show_domain(conn, uuid)
        page.set_shown(True)
        # The shell session holds serial0, so the page is held off there...
        await until(lambda: page.device_box.count() == 2, 30, "both serial ports")
        assert page.device_box.isVisible()
        assert [page.device_box.itemData(i) for i in range(2)] == ["serial0", "serial1"]
        await until(
            lambda: page.session is not None and page.session.state is ConsoleState.HELD,
            30,
            "held on serial0",
        )
        # ...and attaches to serial1 once chosen.
        page.device_box.setCurrentIndex(1)
        page.device_box.activated.emit(1)
        await until(
            lambda: page.status.text() == f"Connected to {shown_name('serial1')}", 30, "serial1"
        )
        page.grab().save("/tmp/console-two-ports.png")
        await shell(shell_session, out, "echo via-$((6*7)) > /dev/ttyS1", r"guest# ")
        await until(lambda: "via-42" in shown(), SHELL_TIMEOUT, f"via-42 on serial1:\n{shown()}")
        assert "via-42" not in out.text.replace("via-$((6*7))", "")

    run(body(), timeout=300)
    page.clear()


def _sockets() -> set[str]:
    """Sockets this process has open (libvirt links among them)."""
    found = set()
    for entry in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(entry)
            if target.startswith("socket:"):
                found.add(target)
    return found


def test_closing_the_connection_closes_its_link_despite_consoles(
    manager: Any, run: Any, define_guest: Any, sessions: Any, libvirt_conn: Any
) -> None:
    """No stream keeps a closed connection's socket open, however the session ended."""
    dom = define_guest()
    uuid = dom.UUIDString()
    dom.create()

    def console_free() -> bool:
        held: list[Any] = []
        if not _hold_console(libvirt_conn, dom, held):
            return False
        held[0].abort()
        return True

    async def body() -> None:
        for close_session_first in (True, False):
            before = _sockets()
            conn: Connection = manager.add(TEST_URI, persist=False)
            assert await conn.open_and_wait(), conn.failure
            link = _sockets() - before
            assert link, "the connection's socket"
            session = sessions(conn, uuid)
            session.start()
            await until(lambda s=session: s.state is ConsoleState.ATTACHED, 30, "attached")
            if close_session_first:
                session.close()  # the worker aborts the stream
            conn.close()  # the worker goes; a short-lived thread aborts what is left
            await until(
                lambda link=link: not (_sockets() & link),
                30,
                f"the link to close (session closed first: {close_session_first})",
            )
            await until(console_free, 30, "the console to be free")
            manager.remove(conn)

    run(body(), timeout=300)
