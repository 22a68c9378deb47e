"""The migration tests' bed: the peer libvirtd, both hosts as kvmdesk
connections, a running guest with a marker in its memory, and the peer
killed and started again.

The peer (``kvmdesk-peerd``, see ``scripts/testbed.sh``) is a second
libvirtd on this machine with its own state and host UUID, so libvirt
migrates to it as to another host. Its ``/var/lib/libvirt`` is
``/var/lib/kvmdesk-peer/lib`` of this machine: a file under
``/var/lib/libvirt/images`` is a different file on each host, as on two
machines without shared storage.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import migrate as core_migrate
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.virt.migrate import MigrateRequest

try:
    from .conftest import TEST_URI, remove_domain, unavailable
    from .daemon import TESTBED
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from conftest import TEST_URI, remove_domain, unavailable  # type: ignore[no-redef]
    from daemon import TESTBED  # type: ignore[no-redef]
    from guest import READY_MARKER, SerialConsole  # type: ignore[no-redef]

__all__ = ["PEER_URI", "boot", "hosts", "migrate", "peer", "peer_path", "running_guest"]
Run = Callable[..., Any]
PEER_URI = "qemu+unix:///system?socket=/var/lib/kvmdesk-peer/run/libvirt-sock"
PEER_DIR = Path("/var/lib/kvmdesk-peer")
PEER_PID_FILE = PEER_DIR / "kvmdesk-peerd.pid"
BOOT_TIMEOUT = 120.0


def peer_path(path: str) -> Path:
    """Where a path the peer sees under /var/lib/libvirt lives on this machine."""
    inside = Path(path).relative_to("/var/lib/libvirt")
    return PEER_DIR / "lib" / inside


@pytest.fixture
def peer(libvirt_conn: Any) -> Iterator[Any]:
    try:
        conn = libvirt.open(PEER_URI)
    except libvirt.libvirtError as exc:
        unavailable(f"the peer libvirtd does not answer (scripts/testbed.sh start): {exc}")
    yield conn
    with contextlib.suppress(libvirt.libvirtError):
        conn.close()


@pytest.fixture
def hosts(run: Run, peer: Any) -> Iterator[tuple[Connection, Connection]]:
    source, dest = Connection(TEST_URI, persist=False), Connection(PEER_URI, persist=False)
    for conn in (source, dest):
        assert run(conn.open_and_wait()), conn.failure
    yield source, dest
    for conn in (source, dest):
        run(conn.shutdown())


def boot(dom: Any) -> SerialConsole:
    """Start ``dom`` with its console open from the first line; wait for its shell."""
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(dom.connect(), dom)
    dom.resume()
    try:
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    except BaseException:
        console.close()
        raise
    return console


@pytest.fixture
def running_guest(define_guest: Any, peer: Any) -> Iterator[Any]:
    """A running test guest on the main daemon with a marker in its memory;
    removed from both hosts afterwards."""
    dom = define_guest()
    console = boot(dom)
    try:
        console.say("echo moved > /tmp/marker; cat /tmp/marker", "moved")
    finally:
        console.close()
    yield dom
    remove_on_peer(dom.name())


def remove_on_peer(name: str) -> None:
    """On a fresh link: the test may have killed and restarted the peer."""
    with contextlib.suppress(libvirt.libvirtError):
        conn = libvirt.open(PEER_URI)
        try:
            remove_domain(conn, name)
        finally:
            conn.close()


def say_on(conn: Any, dom: Any, command: str, answer: str) -> None:
    """Run ``command`` on the guest's console and wait for the line ``answer``."""
    console = SerialConsole(conn, dom)
    try:
        console.say(command, answer)
    finally:
        console.close()


def migrate(
    run: Run, jobs: JobService, hosts: tuple[Connection, Connection], uuid: str, request: Any
) -> Job[Any]:
    """What the Migrate dialog does on OK: plan, ask the destination, start the job."""
    source, dest = hosts
    plan = run(core_migrate.plan(source, uuid))
    run(core_migrate.check(dest, plan, request))
    return core_migrate.start(jobs, source, dest, plan, request)


def request(**options: Any) -> MigrateRequest:
    from kvmdesk.virt.migrate import Mode

    return MigrateRequest(PEER_URI, options.pop("mode", Mode.LIVE), **options)


# ------------------------------------------------------- the peer killed


def peer_pid() -> int:
    pid = int(PEER_PID_FILE.read_text().strip() or 0)
    if not pid or not Path(f"/proc/{pid}").exists():
        pytest.fail("the peer libvirtd is not running (scripts/testbed.sh start)")
    return pid


def kill_peer() -> None:
    """SIGKILL the peer libvirtd and wait until it is gone (its sockets closed)."""
    pid = peer_pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the peer libvirtd {pid} did not die")
        time.sleep(0.02)


def start_peer() -> None:
    """``testbed.sh start``: brings the peer back (and leaves running daemons alone)."""
    done = subprocess.run([str(TESTBED), "start"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def peer_restarted() -> Iterator[None]:
    """The peer answers again after the test, whatever the test did to it."""
    yield
    with contextlib.suppress(libvirt.libvirtError):
        libvirt.open(PEER_URI).close()
        return
    start_peer()
