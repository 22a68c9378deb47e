"""The viewer against a real QEMU guest: keys typed through kvmdesk reach the
guest, and screenshots come back at the guest's resolution, locally and over
``qemu+ssh://``; "capture all" writes the files.

How the keys are checked: the guest's shell runs on the serial console
(ttyS0), while ``sendKey`` drives the emulated PS/2 keyboard, whose input
goes to the VGA console (tty1). So the test starts, over the serial console,
a second shell that reads tty1 and writes to the serial console; text typed
with "Type Text…" is then executed and its output read on the serial line.
Ctrl+Alt+Del is checked by the guest rebooting (its kernel is told to
restart at once on that combination).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication, QWidget

from kvmdesk.core.capture_all import CaptureAll
from kvmdesk.core.connection import Connection
from kvmdesk.core.screenshots import Frame, grab_frame
from kvmdesk.ui.domain.screenshot.screenshot_view import ScreenshotView
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu, TypeTextDialog
from kvmdesk.virt import keys
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

BOOT_TIMEOUT = 90.0
VGA_SIZES = {(720, 400), (640, 480), (800, 600), (1024, 768), (1280, 800)}
TTY1_SHELL = "setsid sh -c 'exec sh -i </dev/tty1 >/dev/ttyS0 2>&1' &\n"


def _boot(libvirt_conn: Any, define_guest: Callable[..., Any]) -> tuple[Any, SerialConsole]:
    import libvirt

    dom = define_guest()
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    dom.resume()
    console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    return dom, console


def _shell_on_tty1(console: SerialConsole) -> int:
    start = console.offset()
    console.send(TTY1_SHELL)
    console.send("echo tty1-$((3*5))\n")
    return console.wait_for(re.compile(r"^tty1-15\r?$", re.MULTILINE), 30.0, start)


def _type_through_dialog(run: Any, menu: SendKeysMenu, text: str) -> bool:
    async def go() -> bool:
        task = asyncio.ensure_future(menu.type_text())
        while True:
            dialogs = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, TypeTextDialog) and w.isVisible()
            ]
            if dialogs:
                break
            await asyncio.sleep(0.02)
        dialogs[0].text.setText(text)
        dialogs[0].enter.setChecked(True)
        dialogs[0].accept()
        return await task

    result: bool = run(go(), 60)
    return result


def _check_png(path: Path, frame: Frame, uri: str) -> tuple[int, int]:
    with Image.open(path) as img:
        assert img.format == "PNG"
        img.load()
        size = img.size
        text = dict(img.text)  # type: ignore[attr-defined]
        extrema = img.convert("L").getextrema()
    assert size == (frame.width, frame.height)
    assert text["kvmdesk:uuid"] == frame.uuid
    assert text["kvmdesk:uri"] == uri
    assert extrema[0] != extrema[1], "the screen is blank"
    return size


def _connect(manager: Any, run: Any, uri: str) -> Connection:
    conn: Connection = manager.add(uri, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _typed_in_shell(
    run: Any, menu: SendKeysMenu, console: SerialConsole, command: str, output: str
) -> None:
    """``command`` typed with "Type Text…" runs in the tty1 shell: its
    ``output`` line comes on the serial console."""
    start = _shell_on_tty1(console)
    assert _type_through_dialog(run, menu, command)
    console.wait_for(re.compile(rf"^{re.escape(output)}\r?$", re.MULTILINE), 30.0, start)


def _screenshot_saved(
    run: Any, qtbot: Any, libvirt_conn: Any, conn: Connection, uuid: str, path: Path
) -> Frame:
    """The screenshot through kvmdesk's worker has the guest's resolution
    (as libvirt's own gives it) and is saved as a PNG at ``path``."""
    frame: Frame = run(conn.call(grab_frame, uuid, conn.uri))
    shot = capture(libvirt_conn, uuid)
    direct = decode(shot.data, shot.mime)
    assert (frame.width, frame.height) == (direct.width, direct.height)
    assert (frame.width, frame.height) in VGA_SIZES
    view = ScreenshotView()
    qtbot.addWidget(view)
    view.save_to(path, frame)
    _check_png(path, frame, conn.uri)
    return frame


def test_typed_text_and_combos_reach_the_guest_and_screenshots_work(
    manager: Any,
    run: Any,
    libvirt_conn: Any,
    define_guest: Callable[..., Any],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    dom, console = _boot(libvirt_conn, define_guest)
    try:
        uuid = dom.UUIDString()
        conn = _connect(manager, run, TEST_URI)
        host = QWidget()  # the menu's parent: it lives as long as the test
        qtbot.addWidget(host)
        menu = SendKeysMenu(lambda: (conn, uuid), host)
        _typed_in_shell(run, menu, console, "echo kvmdesk$((40+2))", "kvmdesk42")
        frame = _screenshot_saved(run, qtbot, libvirt_conn, conn, uuid, tmp_path / "local.png")

        # Capture all: this guest's file is written (other guests of the
        # host may come and go meanwhile; they are not this test's business).
        folder = tmp_path / "all"
        folder.mkdir()
        outcome = run(CaptureAll(conn, folder, "{domain}-{uuid}.png").run(), 120)
        mine = [path for name, path in outcome.written if name == dom.name()]
        assert len(mine) == 1, outcome.failed
        assert mine[0].name == f"{dom.name()}-{uuid}.png"
        with Image.open(mine[0]) as img:
            assert img.size == (frame.width, frame.height)
            assert dict(img.text)["kvmdesk:domain"] == dom.name()  # type: ignore[attr-defined]

        # Ctrl+Alt+Del from the menu: with kernel.ctrl-alt-del=1 the guest's
        # kernel restarts at once, and the guest boots again.
        mark = console.offset()
        console.send("echo 1 > /proc/sys/kernel/ctrl-alt-del; echo cad-$((2*3))\n")
        mark = console.wait_for(re.compile(r"^cad-6\r?$", re.MULTILINE), 30.0, mark)
        assert run(menu.send_combo(keys.CTRL_ALT_DEL))
        console.wait_for(READY_MARKER, BOOT_TIMEOUT, mark)
    finally:
        console.close()


def test_screenshot_and_keys_over_ssh(
    ssh_bed: SshBed,
    manager: Any,
    run: Any,
    libvirt_conn: Any,
    define_guest: Callable[..., Any],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    dom, console = _boot(libvirt_conn, define_guest)
    try:
        uuid = dom.UUIDString()
        conn = _connect(manager, run, f"qemu+ssh://{HOST}/system")
        _screenshot_saved(run, qtbot, libvirt_conn, conn, uuid, tmp_path / "remote.png")
        host = QWidget()  # the menu's parent: it lives as long as the test
        qtbot.addWidget(host)
        menu = SendKeysMenu(lambda: (conn, uuid), host)
        _typed_in_shell(run, menu, console, "echo remote$((6*7))", "remote42")
    finally:
        console.close()
