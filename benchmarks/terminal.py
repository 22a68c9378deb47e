"""Serial console scenario: the terminal widget fed with ordinary shell output.

``terminal_mb_s``: bytes of a deterministic mix of shell output (``ls -l``,
coloured ``ls``, ``dmesg``, compiler warnings) per second, fed in 16 KiB
chunks through ``TerminalView.feed`` with the event loop running between
chunks, so the widget's coalesced repaints are part of the cost.
``terminal_ui_stall_ms_max``: the longest gap of a 10 ms heartbeat timer
while 64 KiB chunks arrive back to back. ``terminal_rss_mb``: resident
memory after 50 MB of output with the default 10,000-line scrollback.

Run alone: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.terminal``.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.common import rss_mb

MB = 1_000_000
WORDS = (
    "usb",
    "xhci_hcd",
    "device",
    "eth0",
    "link",
    "up",
    "ACPI",
    "memory",
    "mapped",
    "virtio",
    "blk",
    "registered",
    "driver",
    "ttyS0",
    "console",
    "enabled",
    "clock",
)
NAMES = (
    "README.md",
    "Makefile",
    "main.c",
    "util.py",
    "config.yaml",
    "build",
    "docs",
    "src",
    "libfoo.so.1",
    "run.sh",
    "data.tar.gz",
    "notes.txt",
)


def shell_output(size: int, seed: int = 1) -> bytes:
    """About ``size`` bytes of ordinary shell output, the same for the same seed."""
    rnd = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        kind = rnd.randrange(4)
        lines: list[str] = []
        if kind == 0:  # ls -l
            for _ in range(rnd.randint(5, 30)):
                lines.append(
                    f"-rw-r--r-- 1 user users {rnd.randint(0, 999999):>8}"
                    f" Nov {rnd.randint(1, 28):>2} {rnd.randint(0, 23):02}:"
                    f"{rnd.randint(0, 59):02} {rnd.choice(NAMES)}"
                )
        elif kind == 1:  # ls --color
            for _ in range(rnd.randint(2, 10)):
                cells = []
                for _ in range(rnd.randint(3, 6)):
                    name = rnd.choice(NAMES)
                    colour = rnd.choice(("01;34", "01;32", "01;36", "00", "01;31"))
                    cells.append(f"\x1b[{colour}m{name}\x1b[0m")
                lines.append("  ".join(cells))
        elif kind == 2:  # dmesg
            for _ in range(rnd.randint(5, 40)):
                t = rnd.uniform(0, 9999)
                words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 12)))
                lines.append(f"[{t:12.6f}] {words}")
        else:  # compiler output
            for _ in range(rnd.randint(1, 8)):
                lines.append(
                    f"\x1b[01m\x1b[Ksrc/{rnd.choice(NAMES)}:{rnd.randint(1, 999)}:"
                    f"{rnd.randint(1, 80)}:\x1b[m\x1b[K \x1b[01;35m\x1b[Kwarning: \x1b[m\x1b[K"
                    f"unused variable '\x1b[01m\x1b[Kx{rnd.randint(0, 99)}\x1b[m\x1b[K'"
                    " [\x1b[01;35m\x1b[K-Wunused-variable\x1b[m\x1b[K]"
                )
        text = "\r\n".join(lines) + "\r\n"
        out.append(text)
        total += len(text)
    return "".join(out).encode()


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _spin(app: QCoreApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _view() -> Any:
    from kvmdesk.ui.domain.console.terminal_view import TerminalView

    view = TerminalView()
    view.resize(900, 600)
    view.show()
    return view


def measure_throughput(app: QApplication, size: int) -> dict[str, Any]:
    data = shell_output(size)
    chunks = _chunks(data, 16 * 1024)
    view = _view()
    paints = _Paints()
    view.viewport().installEventFilter(paints)
    _spin(app, 0.1)
    start = time.perf_counter()
    for chunk in chunks:
        view.feed(chunk)
        app.processEvents()
    # Let the last coalesced repaint happen: the figure includes it.
    _spin(app, 0.05)
    elapsed = time.perf_counter() - start - 0.05
    view.close()
    return {
        "bytes": len(data),
        "seconds": round(elapsed, 3),
        "mb_s": round(len(data) / elapsed / MB, 2),
        "chunks": len(chunks),
        "viewport_paints": paints.count,
    }


def hostile_output(size: int) -> bytes:
    """Output that is slow to process: screen clears, line drawing, wide and
    true-colour characters, insert/delete line storms, queries, broken UTF-8."""
    parts = [
        b"\x1b[2J\x1b[H" * 200,
        "中文字符测试日本語のテキスト".encode() * 200,
        b"".join(
            b"\x1b[38;2;%d;%d;%dmx" % (i % 256, i * 7 % 256, i * 13 % 256) for i in range(800)
        ),
        b"\x1b[5;20r\x1b[6H" + b"\x1b[L\x1b[M" * 500 + b"\x1b[r",
        b"\x1b#8" * 300,
        b"\x1b[6n\x1b[c\x05\x1b]52;c;aGk=\x07\xff\xfe\x9c" * 200,
    ]
    block = b"".join(parts)
    return (block * (size // len(block) + 1))[:size]


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def measure_stall(app: QApplication, seconds: float, data: bytes) -> dict[str, Any]:
    chunks = _chunks(data, 64 * 1024)
    view = _view()
    gaps: list[float] = []
    last = [0.0]
    fed = [0]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def feed_one() -> None:
        view.feed(chunks[fed[0] % len(chunks)])
        fed[0] += 1

    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(10)
    heart.timeout.connect(beat)
    feeder = QTimer()
    feeder.setInterval(0)
    feeder.timeout.connect(feed_one)
    _spin(app, 0.1)
    last[0] = time.perf_counter()
    heart.start()
    feeder.start()
    _spin(app, seconds)
    feeder.stop()
    heart.stop()
    backlog = view.backlog()
    view.flush()
    view.close()
    gaps.sort()
    return {
        "seconds": seconds,
        "bytes_fed": fed[0] * 64 * 1024,
        "backlog_at_end": backlog,
        "dropped_bytes": view.dropped_bytes,
        "stall_ms_max": round(gaps[-1] * 1000, 1) if gaps else None,
        "stall_ms_p99": round(gaps[int(len(gaps) * 0.99)] * 1000, 1) if gaps else None,
    }


def measure_rss(app: QApplication, total: int) -> dict[str, Any]:
    view = _view()
    block = shell_output(MB, seed=3)
    _spin(app, 0.1)
    gc.collect()
    before = rss_mb()
    fed = 0
    n = 0
    while fed < total:
        # A counter makes every megabyte differ from the last.
        view.feed(f"--- block {n} ---\r\n".encode() + block)
        fed += len(block)
        n += 1
        app.processEvents()
    _spin(app, 0.1)
    gc.collect()
    after = rss_mb()
    result = {
        "bytes_fed": fed,
        "history_lines": len(view.terminal.history),
        "rss_before_mb": round(before, 1),
        "rss_mb": round(after, 1),
    }
    view.close()
    return result


DEFINITIONS = {
    "terminal_mb_s": "MB (10^6 bytes) per second of ordinary shell output (ls -l, coloured ls, "
    "dmesg, compiler warnings) through TerminalView.feed in 16 KiB chunks, event loop and "
    "coalesced repaints included, 900x600 view, offscreen",
    "terminal_ui_stall_ms_max": "longest gap (ms) of a 10 ms heartbeat timer on the GUI thread "
    "while 64 KiB chunks of shell output are fed back to back",
    "terminal_hostile_stall_ms_max": "the same heartbeat while 64 KiB chunks of output that is "
    "slow to process (screen clears, line storms, wide and true-colour text, queries, broken "
    "UTF-8) are fed back to back",
    "terminal_rss_mb": "resident memory (MB) of the whole process (Qt included) after 50 MB of "
    "output fed to one TerminalView with the default 10,000-line scrollback",
}


def run(quick: bool = False) -> tuple[dict[str, object], dict[str, str]]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _view().close()  # load fonts and widgets once, so the baseline includes them
    gc.collect()
    baseline = round(rss_mb(), 1)
    # Memory first: the earlier scenarios would leave their own heap behind.
    memory = measure_rss(app, (10 if quick else 50) * MB)
    memory["rss_baseline_mb"] = baseline
    throughput = measure_throughput(app, (3 if quick else 10) * MB)
    seconds = 2.0 if quick else 5.0
    stall = measure_stall(app, seconds, shell_output(4 * MB, seed=2))
    hostile = measure_stall(app, seconds, hostile_output(2 * MB))
    figures: dict[str, object] = {
        "terminal_mb_s": throughput["mb_s"],
        "terminal_ui_stall_ms_max": stall["stall_ms_max"],
        "terminal_rss_mb": memory["rss_mb"],
        "terminal_hostile_stall_ms_max": hostile["stall_ms_max"],
        "terminal_details": {
            "throughput": throughput,
            "stall": stall,
            "hostile_stall": hostile,
            "memory": memory,
        },
    }
    return figures, dict(DEFINITIONS)


def main() -> None:
    quick = "--quick" in sys.argv
    figures, _definitions = run(quick)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
