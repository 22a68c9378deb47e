#!/usr/bin/env python3
"""Take the README's screenshots again, offscreen, on the demo host.

    .venv/bin/python scripts/readme_screenshots.py docs/

writes main-window.png (with the usage columns and the CPU history shown),
main-window-zh_CN.png, hardware-tab.png, performance.png, preferences.png and
dark-mode.png into the folder given. It needs no display and no hypervisor:
the window runs on Qt's offscreen platform, on its own settings in a
temporary folder, connected to the bundled demo host (libvirt's test
driver). The Chinese window is taken by a second run of this script in a
process of its own (a language is chosen before Qt starts).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from kvmdesk.app import Services, build, install_translations
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.eventloop import register_once
from kvmdesk.core.preferences import Theme
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.models.columns import Column
from kvmdesk.paths import demo_uri
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.main.tree_columns import set_column_shown

SELECTED = "web-frontend-01"
TICK = 0.25  # seconds between statistics ticks: the graphs fill in a few seconds


async def until(predicate: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"kvmdesk never showed {what}")


def save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


async def open_demo(services: Services) -> tuple[Connection, str]:
    conn = services.manager.add(demo_uri(), persist=False)
    conn.open()
    await until(lambda: conn.state is ConnState.CONNECTED and len(conn.domains) > 10, "the demo")
    uuid = next(u for u, r in conn.domains.items() if r.name == SELECTED)
    return conn, uuid


async def english(services: Services, out: Path) -> None:
    window, prefs = services.window, services.preferences.prefs
    conn, uuid = await open_demo(services)
    window.resize(1280, 760)
    window.show()
    window.select_domain(conn, uuid)
    window.tree.setFocus()  # no focus ring on a toolbar button
    window.details.show_tab("performance")
    page = window.details.performance_tab
    await until(lambda: page.samples >= 60, "a full graph")
    save(window, out / "performance.png")
    window.details.show_tab("overview")
    for column in (Column.MEMORY_USE, Column.DISK_IO, Column.NETWORK_IO):
        set_column_shown(window.tree, window.model, column, True)
    prefs.set_sparklines(True)
    splitter = window.details.parentWidget()
    assert isinstance(splitter, QSplitter)
    splitter.setSizes([800, 480])  # the list's usage columns in full
    await asyncio.sleep(40 * TICK)  # the columns' sparklines drawn
    save(window, out / "main-window.png")

    prefs.set_theme(Theme.DARK)
    await asyncio.sleep(0.5)
    save(window, out / "dark-mode.png")
    prefs.set_theme(Theme.LIGHT)
    for column in (Column.MEMORY_USE, Column.DISK_IO, Column.NETWORK_IO):
        set_column_shown(window.tree, window.model, column, False)

    window.resize(1000, 620)
    splitter.setSizes([420, 580])
    window.details.show_tab("hardware")
    hardware = window.details.hardware_tab
    await until(lambda: bool(hardware.forms), "the Hardware tab")
    cpu = next(f for f in hardware.forms if isinstance(f, CpuForm))
    hardware.select_form(cpu)
    cpu.maximum.setValue(cpu.maximum.value() + 2)  # a change waiting for Apply
    cpu.current.setValue(cpu.current.value() + 1)
    await asyncio.sleep(0.5)
    save(window, out / "hardware-tab.png")

    dialog = services.preferences.open_dialog()
    dialog.resize(560, 460)
    dialog.tabs.setCurrentIndex(1)  # Statistics and List
    await asyncio.sleep(0.3)
    save(dialog, out / "preferences.png")
    dialog.done(0)


async def chinese(services: Services, out: Path) -> None:
    window = services.window
    conn, uuid = await open_demo(services)
    window.resize(1200, 760)
    window.show()
    window.select_domain(conn, uuid)
    window.tree.setFocus()
    await asyncio.sleep(3 * TICK + 1.0)  # the CPU column filled in
    save(window, out / "main-window-zh_CN.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the PNG files go (docs/)")
    parser.add_argument("--language", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out: Path = args.folder
    out.mkdir(parents=True, exist_ok=True)
    if not args.language:  # the Chinese window first, in a process of its own
        subprocess.run(
            [sys.executable, __file__, str(out), "--language", "zh_CN"],
            env={**os.environ, "LANGUAGE": "zh_CN", "LC_ALL": "C.UTF-8"},
            check=True,
        )

    import qasync

    app = QApplication([sys.argv[0]])
    app.setApplicationName("kvmdesk")
    install_translations(app, QLocale(args.language or "en_US"))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    with tempfile.TemporaryDirectory(prefix="kvmdesk-shots-") as home:
        services = build(Settings(Path(home) / "kvmdesk.ini"), Timing(stats_interval=TICK))
        take = chinese if args.language else english
        with loop:
            try:
                loop.run_until_complete(take(services, out))
            finally:
                services.jobs.shutdown()
                loop.run_until_complete(services.manager.shutdown())
                rest = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for task in rest:  # a stats tick still asleep: end it inside the loop
                    task.cancel()
                loop.run_until_complete(asyncio.gather(*rest, return_exceptions=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
