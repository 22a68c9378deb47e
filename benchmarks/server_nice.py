"""Run the test bed's server side at a low CPU priority while a scenario runs.

In the fleet scenario the remote hosts are this machine: the bed's sshd
(every session and the ``virt-ssh-helper`` it starts) and libvirtd, whose
test driver parses and lists every host's domains. A real fleet's servers
do that work on their own CPUs; here they share the client's two cores.
At ``SERVER_NICE`` they take the cores only when kvmdesk (its GUI thread
at 0, its workers and ssh children at 10) leaves them idle.

This changes the machine the benchmark runs on, not kvmdesk: every figure
measured this way says so in its definition, and the client's own figures
(its GUI thread's CPU per gap, its wait for a core) are reported beside.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

SERVER_NICE = 19
LIBVIRTD_PIDFILE = Path("/run/libvirtd.pid")


def _threads(pid: int) -> list[int]:
    try:
        return [int(t.name) for t in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return []


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (a session's helper included)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def libvirtd_pid() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(LIBVIRTD_PIDFILE.read_text().split()[0])
    return None


@contextlib.contextmanager
def lowered(pids: list[int | None], nice: int = SERVER_NICE) -> Iterator[list[int]]:
    """Every thread of ``pids`` and of their descendants at ``nice`` (new
    threads and processes inherit it), put back as it was on exit, the
    threads started meanwhile too. Yields the threads lowered; nothing
    when ``nice`` is 0."""
    roots = [pid for pid in pids if pid is not None] if nice else []
    before: dict[int, int] = {}
    usual: dict[int, int] = {}  # root -> its own niceness, for threads started meanwhile
    for pid in roots:
        with contextlib.suppress(OSError):
            usual[pid] = os.getpriority(os.PRIO_PROCESS, pid)
        for tid in _tree_threads(pid):
            with contextlib.suppress(OSError):
                before[tid] = os.getpriority(os.PRIO_PROCESS, tid)
                os.setpriority(os.PRIO_PROCESS, tid, nice)
    try:
        yield list(before)
    finally:
        for pid in roots:
            for tid in _tree_threads(pid):
                with contextlib.suppress(OSError):  # ended meanwhile
                    os.setpriority(os.PRIO_PROCESS, tid, before.get(tid, usual.get(pid, 0)))


def _tree_threads(pid: int) -> list[int]:
    return [tid for proc in _descendants(pid) for tid in _threads(proc)]
