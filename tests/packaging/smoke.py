"""Start an installed kvmdesk on its demo host and watch its debug log.

    python3 tests/packaging/smoke.py /usr/bin/kvmdesk

runs ``kvmdesk --demo --debug`` offscreen until the demo host is connected
and the icons have loaded (from the installed package data), then ends it.
Exit status 0 on success; the log is printed on failure.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CONNECTED = re.compile(r"connection test://(\S*/demo/demo-host\.xml): CONNECTED")
ICON = re.compile(r"icon (\S+) loaded from (\S+)")
BROKEN = re.compile(r"could not be loaded|Traceback|failed to load external entity")


@dataclass
class Started:
    demo_xml: str = ""
    icons: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return bool(self.demo_xml) and "kvmdesk" in self.icons and len(self.icons) >= 5


def start_demo(command: list[str], timeout: float = 120.0) -> Started:
    started = Started()
    with tempfile.TemporaryDirectory(prefix="kvmdesk-smoke-") as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_RUNTIME_DIR": home,
        }
        # No --connect and a fresh config: kvmdesk must not touch the real libvirtd.
        argv = [*command, "--demo", "--debug", "--config", f"{home}/kvmdesk.conf"]
        proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
        assert proc.stderr is not None
        os.set_blocking(proc.stderr.fileno(), False)
        selector = selectors.DefaultSelector()
        selector.register(proc.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        pending = b""
        try:
            while not started.ready and time.monotonic() < deadline and proc.poll() is None:
                for _key, _ in selector.select(timeout=0.5):
                    pending += proc.stderr.read() or b""
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    line = raw.decode(errors="replace")
                    started.log.append(line)
                    if m := CONNECTED.search(line):
                        started.demo_xml = m.group(1)
                    if m := ICON.search(line):
                        started.icons[m.group(1)] = m.group(2)
                    if BROKEN.search(line):
                        started.problems.append(line)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return started


def main(argv: list[str]) -> int:
    started = start_demo(argv)
    if started.ready and not started.problems:
        where = Path(started.demo_xml).parent.parent
        count = len(started.icons)
        print(f"smoke: {argv[0]} connected its demo host, loaded {count} icons, data in {where}")
        return 0
    print("\n".join(started.log[-60:]), file=sys.stderr)
    print(f"smoke: {argv[0]} did not start cleanly: {started.problems}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
