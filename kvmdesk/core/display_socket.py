"""A UNIX-socket display on a host reached over ssh.

libvirt puts a display on a socket (``listen type='socket'``) under its own
directories on the host; no TCP port exists to forward. kvmdesk tries, in
order, what needs the least on the host:

1. OpenSSH's own socket forwarding (``ssh -N -L here.sock:host.sock``): the
   local end is a socket in a private directory, connected to once and
   unlinked at once, so nobody else on this machine can use the forward;
2. ``socat - UNIX-CONNECT:path`` on the host, for hosts whose sshd forbids
   socket forwarding (``AllowStreamLocalForwarding no``);
3. ``nc -U path`` on the host (OpenBSD netcat), where socat is missing.

An attempt counts only when the display's first byte has arrived (QEMU
speaks first), so a forward refused on the host, a relay that is not
installed and a socket nobody listens on all move on to the next one; ssh
failing by itself (it exits 255: no route, a refused key) stops at once
with ssh's own words, without asking for a password twice more. When all
fail, each one's words are said.

Runs in a worker thread: it waits for ssh.
"""

from __future__ import annotations

import contextlib
import select
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kvmdesk.core.messages import tr
from kvmdesk.core.ssh_channel import Channel, Unreachable, start_ssh
from kvmdesk.virt.vnc.reach import (
    SOCKET_RELAYS,
    socket_path_allowed,
    ssh_relay_argv,
    ssh_socket_forward_argv,
)

SSH_SECONDS = 60.0  # for ssh to log in (it may be asking for a password)
FIRST_BYTE_SECONDS = 15.0  # for the display's greeting once the channel is up
SSH_FAILED = 255  # ssh's own exit status for its own failures


class _Failed(Exception):
    """This way did not work; ``ssh_itself`` when ssh could not log in at all."""

    def __init__(self, words: str, ssh_itself: bool = False) -> None:
        super().__init__(words)
        self.words = words
        self.ssh_itself = ssh_itself


def open_socket_display(uri: str, remote_path: str) -> Channel:
    """A channel to the display on socket ``remote_path`` of the host of ``uri``.
    Raises ``Unreachable`` with the reasons."""
    if not socket_path_allowed(remote_path):
        raise Unreachable(
            tr("The display's socket path on the host is not a plain path: {0}").format(remote_path)
        )
    failures: list[str] = []
    attempts = [(tr("OpenSSH socket forwarding"), None), *((r, r) for r in SOCKET_RELAYS)]
    for label, relay in attempts:
        try:
            if relay is None:
                return _forward(uri, remote_path)
            return _relay(uri, relay, remote_path)
        except _Failed as failed:
            if failed.ssh_itself:
                raise Unreachable(tr("The ssh tunnel failed: {0}").format(failed.words)) from None
            failures.append(f"{label}: {failed.words}")
    raise Unreachable(
        tr(
            "The display listens on a socket on the host ({0}), and ssh could not reach it: "
            "{1}. Allow socket forwarding in the host's sshd (AllowStreamLocalForwarding), "
            "or install socat on the host."
        ).format(remote_path, "; ".join(failures))
    )


def _forward(uri: str, remote_path: str) -> Channel:
    folder = Path(tempfile.mkdtemp(prefix="kvmdesk-display-"))  # 0700: ours only
    local = folder / "vnc.sock"
    argv = ssh_socket_forward_argv(uri, str(local), remote_path)
    try:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # no terminal: ssh asks through SSH_ASKPASS
            )
        except OSError as exc:
            raise _Failed(exc.strerror or str(exc), ssh_itself=True) from exc
        channel = Channel(socket.socket(socket.AF_UNIX), process)
        try:
            _wait_for_path(local, process, channel)
            channel.sock.connect(str(local))
            channel.sock.setblocking(False)
            _first_byte(channel)
        except BaseException:
            channel.close()
            raise
        return channel
    finally:
        with contextlib.suppress(OSError):
            local.unlink()  # the forward serves the one connection made
        with contextlib.suppress(OSError):
            folder.rmdir()


def _wait_for_path(local: Path, process: subprocess.Popen[bytes], channel: Channel) -> None:
    deadline = time.monotonic() + SSH_SECONDS
    while not local.exists():
        if process.poll() is not None:
            raise _Failed(_words(channel), ssh_itself=_ssh_failed(channel, process))
        if time.monotonic() > deadline:
            raise _Failed(tr("ssh did not set up the forward within {0} s").format(SSH_SECONDS))
        time.sleep(0.05)


def _ssh_failed(channel: Channel, process: subprocess.Popen[bytes]) -> bool:
    """Whether ssh failed by itself, rather than the forward or the relay on the host."""
    if process.returncode != SSH_FAILED:
        return False
    words = channel.ssh_words(wait=1.0).lower()
    # ExitOnForwardFailure also exits 255, but says why.
    return "forward" not in words


def _relay(uri: str, relay: str, remote_path: str) -> Channel:
    try:
        channel = start_ssh(ssh_relay_argv(uri, relay, remote_path))
    except OSError as exc:
        raise _Failed(exc.strerror or str(exc), ssh_itself=True) from exc
    try:
        _first_byte(channel)
    except BaseException:
        channel.close()
        raise
    return channel


def _first_byte(channel: Channel) -> None:
    """Wait for the display's greeting, without taking it from the socket."""
    deadline = time.monotonic() + SSH_SECONDS + FIRST_BYTE_SECONDS
    sock = channel.sock
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Failed(tr("the display did not answer"))
        readable, _, _ = select.select([sock], [], [], min(left, 0.5))
        if not readable:
            continue
        try:
            if sock.recv(1, socket.MSG_PEEK):
                return
        except (BlockingIOError, InterruptedError):
            continue
        except OSError as exc:
            raise _Failed(exc.strerror or str(exc)) from exc
        words = _words(channel)
        process = channel.process
        itself = process is not None and process.poll() == SSH_FAILED and "forward" not in words
        raise _Failed(words or tr("the connection was closed at once"), ssh_itself=itself)


def _words(channel: Channel) -> str:
    words = channel.ssh_words(wait=1.0)
    if channel.process is not None and channel.process.returncode == 127 and not words:
        return tr("not installed on the host")
    return words or tr("ssh ended without a word")
