"""The live VNC display of a real QEMU guest, through kvmdesk's Display tab,
over the local connection (a socket from libvirt) and over ``qemu+ssh://``
(an ``ssh -W`` tunnel through the test sshd).

The guest (``guest.py``) has a VGA adapter and a VNC display on 127.0.0.1.
Its serial console runs a shell, which the tests use to see what the
display's keyboard and pointer did inside the guest.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

import libvirt
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kvmdesk.core.connection import Connection
from kvmdesk.core.display import DisplayState
from kvmdesk.ui.domain.display.display_page import DisplayPage
from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.screenshot import capture, decode

try:
    from .conftest import TEST_URI
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
BOOT_TIMEOUT = 120.0


async def until(predicate: Callable[[], Any], timeout: float, what: str) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.05)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def pages(aio_loop: Any, qtbot: Any) -> Iterator[Callable[[], DisplayPage]]:
    made: list[DisplayPage] = []

    def make() -> DisplayPage:
        page = DisplayPage()
        qtbot.addWidget(page)
        page.resize(900, 700)
        page.show()
        made.append(page)
        return page

    yield make
    for page in made:
        page.clear()


def _kvmdesk_connection(manager: Any, run: Any, uri: str) -> Connection:
    conn: Connection = manager.add(uri, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _boot(libvirt_conn: Any, dom: Any) -> SerialConsole:
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    return console


def _screenshot_rgb(libvirt_conn: Any, uuid: str) -> tuple[int, int, bytes]:
    shot = capture(libvirt_conn, uuid)
    image = decode(shot.data, shot.mime)
    return image.width, image.height, bytes(image.rgb)


def _framebuffer_rgb(page: DisplayPage) -> tuple[int, int, bytes]:
    fb = page.session.framebuffer if page.session is not None else None
    assert fb is not None
    data = bytes(fb.data)
    rgb = bytearray(fb.width * fb.height * 3)
    rgb[0::3] = data[2::4]
    rgb[1::3] = data[1::4]
    rgb[2::3] = data[0::4]
    return fb.width, fb.height, bytes(rgb)


def _differing_fraction(a: bytes, b: bytes, tolerance: int = 24) -> float:
    differing = sum(
        1
        for i in range(0, len(a), 3)
        if max(abs(a[i + k] - b[i + k]) for k in range(3)) > tolerance
    )
    return differing / (len(a) // 3)


async def _compare_with_screenshot(page: DisplayPage, libvirt_conn: Any, uuid: str) -> None:
    for _attempt in range(10):  # the text cursor blinks: a few pixels may differ
        await asyncio.sleep(0.5)
        loop = asyncio.get_running_loop()
        width, height, shot = await loop.run_in_executor(None, _screenshot_rgb, libvirt_conn, uuid)
        fb_width, fb_height, ours = _framebuffer_rgb(page)
        if (width, height) != (fb_width, fb_height):
            continue
        if _differing_fraction(shot, ours) <= 0.005:
            return
    pytest.fail(f"the framebuffer ({fb_width}×{fb_height}) differs from the screenshot")


async def _type(page: DisplayPage, text: str) -> None:
    view = page.view
    for char in text:
        if char == "\n":
            QTest.keyClick(view, Qt.Key.Key_Return)
        else:
            QTest.keyClick(view, char)
        await asyncio.sleep(0.02)


async def _check_display(
    page: DisplayPage, conn: Connection, dom: Any, libvirt_conn: Any, console: SerialConsole
) -> None:
    uuid = dom.UUIDString()
    sizes: list[tuple[int, int]] = []
    page.show_domain(conn, uuid)
    page.set_shown(True)
    await until(lambda: uuid in conn.domains and conn.domains[uuid].state.is_active, 30, "running")
    await until(lambda: page.session is not None and page.session.connected, 60, "the display")
    session = page.session
    assert session is not None
    session.resized.connect(lambda w, h: sizes.append((w, h)))
    first = (session.framebuffer.width, session.framebuffer.height)  # type: ignore[union-attr]
    dom.resume()
    await asyncio.get_running_loop().run_in_executor(
        None, console.wait_for, READY_MARKER, BOOT_TIMEOUT
    )
    # The guest switched its screen mode while booting: the view followed.
    await until(lambda: bool(sizes), 30, f"a resize from {first}")
    fb = session.framebuffer
    assert fb is not None
    assert sizes[-1] == (fb.width, fb.height) != first
    assert page.view.screen_size().width() == fb.width
    assert page.stack.currentWidget() is page.scroller
    await _compare_with_screenshot(page, libvirt_conn, uuid)

    # Keys typed into the view arrive on the guest's first virtual terminal.
    start = console.offset()
    # (The echo of the command line must not match what is waited for.)
    console.send('head -n1 /dev/tty1 | sed "s/^/G$(echo O)T:/"\r')
    await asyncio.sleep(1.0)
    page.view.setFocus()
    await _type(page, "kvmdesk42\n")
    await asyncio.get_running_loop().run_in_executor(
        None, console.wait_for, "GOT:kvmdesk42", 30, start
    )

    # A pointer move and click reach the guest's PS/2 mouse.
    start = console.offset()
    console.send('head -c 3 /dev/input/mice | hexdump -C | sed "s/^/MO$(echo U)SE:/"\r')
    await asyncio.sleep(1.0)
    view = page.view
    if not session.absolute:
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().center())
        assert view.grabbed and view.hint.isVisible()
        assert "Ctrl+Alt" in view.hint.text()
    for step in range(5):
        QTest.mouseMove(view, view.rect().center() + QPoint(10 + step * 7, 5 + step * 3))
        await asyncio.sleep(0.05)
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().center() + QPoint(40, 20))
    await asyncio.get_running_loop().run_in_executor(None, console.wait_for, "MOUSE:", 30, start)
    if view.grabbed:
        QTest.keyPress(view, Qt.Key.Key_Control)
        QTest.keyPress(view, Qt.Key.Key_Alt, Qt.KeyboardModifier.ControlModifier)
        QTest.keyRelease(view, Qt.Key.Key_Alt, Qt.KeyboardModifier.ControlModifier)
        QTest.keyRelease(view, Qt.Key.Key_Control)
        assert not view.grabbed and not view.hint.isVisible()


def test_display_local(
    manager: Any, run: Any, define_guest: Any, libvirt_conn: Any, pages: Any
) -> None:
    silence_stderr_printing()
    conn = _kvmdesk_connection(manager, run, TEST_URI)
    dom = define_guest()
    console = _boot(libvirt_conn, dom)
    page = pages()
    try:
        run(_check_display(page, conn, dom, libvirt_conn, console), timeout=300)

        # The guest stops: "not running"; it starts again: the display re-attaches.
        session = page.session
        assert session is not None
        dom.destroy()
        run(until(lambda: "not running" in session.reason, 30, "disconnected: not running"))
        assert session.state is DisplayState.DISCONNECTED
        assert page.stack.currentWidget() is page.message
        dom.create()
        run(until(lambda: session.connected, 60, "the display to re-attach"))
    finally:
        console.close()


def test_display_over_ssh(
    ssh_bed: SshBed,
    manager: Any,
    run: Any,
    define_guest: Any,
    libvirt_conn: Any,
    pages: Any,
) -> None:
    silence_stderr_printing()
    conn = _kvmdesk_connection(manager, run, f"qemu+ssh://{HOST}/system")
    dom = define_guest()
    console = _boot(libvirt_conn, dom)
    page = pages()
    try:
        run(_check_display(page, conn, dom, libvirt_conn, console), timeout=300)
        session = page.session
        assert session is not None and session._channel is not None
        assert session._channel.tunnelled
        # The tunnel dies: "disconnected", then a new tunnel by itself.
        process = session._channel.process
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        run(until(lambda: session.state is DisplayState.DISCONNECTED, 30, "disconnected"))
        run(until(lambda: session.connected, 60, "a new tunnel"))
        assert session._channel is not None and session._channel.process is not process
    finally:
        console.close()
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()


def test_display_with_a_password_and_a_relative_mouse_over_ssh(
    ssh_bed: SshBed,
    manager: Any,
    run: Any,
    libvirt_conn: Any,
    guest_assets: Any,
    unique_guest_name: str,
    pages: Any,
) -> None:
    """QEMU's own VNC authentication (the tunnel reaches its TCP port, where
    the password applies), and a guest without an absolute pointer."""
    from xml.etree import ElementTree as ET

    try:
        from .guest import guest_domain_xml
    except ImportError:
        from guest import guest_domain_xml  # type: ignore[no-redef]

    silence_stderr_printing()
    root = ET.fromstring(guest_domain_xml(unique_guest_name, guest_assets))
    graphics = root.find("./devices/graphics")
    assert graphics is not None
    graphics.set("passwd", "Pa55word")
    features = root.find("features")
    assert features is not None
    ET.SubElement(features, "vmport", state="off")  # no vmmouse: a relative PS/2 mouse only
    dom = libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    conn = _kvmdesk_connection(manager, run, f"qemu+ssh://{HOST}/system")
    console = _boot(libvirt_conn, dom)
    page = pages()
    uuid = dom.UUIDString()

    async def body() -> None:
        page.show_domain(conn, uuid)
        page.set_shown(True)
        await until(lambda: page.session is not None and page.session.connected, 60, "display")
        session = page.session
        assert session is not None and session.info is not None
        assert session.info.password == "Pa55word"  # from the secure definition
        dom.resume()
        await asyncio.get_running_loop().run_in_executor(
            None, console.wait_for, READY_MARKER, BOOT_TIMEOUT
        )
        await until(lambda: not session.absolute, 30, "a relative pointer")
        view = page.view
        start = console.offset()
        console.send('head -c 3 /dev/input/mice | hexdump -C | sed "s/^/MO$(echo U)SE:/"\r')
        await asyncio.sleep(1.0)
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().center())
        assert view.grabbed and view.hint.text() == "Press Ctrl+Alt to release the pointer"
        centre = view.rect().center()
        for step in range(1, 6):
            QTest.mouseMove(view, centre + QPoint(step * 4, step * 2))
            await asyncio.sleep(0.05)
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre)
        await asyncio.get_running_loop().run_in_executor(
            None, console.wait_for, "MOUSE:", 30, start
        )
        QTest.keyPress(view, Qt.Key.Key_Control)
        QTest.keyPress(view, Qt.Key.Key_Alt, Qt.KeyboardModifier.ControlModifier)
        assert not view.grabbed

        # A wrong password typed by the user: one clear message, no retries.
        session.retry("wrong")
        await until(lambda: session.state is DisplayState.AUTH_FAILED, 60, "the refusal")
        assert session.reason.startswith("The display refused the password")
        assert page.password_button.isVisibleTo(page)
        attempts = session.frames
        await asyncio.sleep(3)
        assert session.state is DisplayState.AUTH_FAILED and session.frames == attempts
        session.retry("Pa55word")
        await until(lambda: session.connected, 60, "the display with the right password")

    try:
        run(body(), timeout=300)
    finally:
        console.close()
        with contextlib.suppress(libvirt.libvirtError):
            dom.destroy()
