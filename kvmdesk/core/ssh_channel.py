"""A socket to a display, and the ssh process behind it if any.

``Channel`` is what a display session reads and writes: a connected,
non-blocking socket, whether libvirt handed it over or ssh carries it.
ssh's own words (what it printed on standard error, at most a few
kilobytes) explain a tunnel that failed.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading

MAX_SSH_WORDS = 4096  # of ssh's standard error kept


class Unreachable(Exception):
    """This display cannot be reached from here; the message says why, in plain words."""


class Channel:
    """A connected, non-blocking socket; ``close`` also ends the ssh behind it."""

    def __init__(self, sock: socket.socket, process: subprocess.Popen[bytes] | None = None):
        self.sock = sock
        self.process = process
        self._words = bytearray()
        self._reader: threading.Thread | None = None
        if process is not None and process.stderr is not None:
            self._reader = threading.Thread(
                target=self._read_stderr, name="display-ssh-stderr", daemon=True
            )
            self._reader.start()

    @property
    def tunnelled(self) -> bool:
        return self.process is not None

    def _read_stderr(self) -> None:
        stream = self.process.stderr if self.process is not None else None
        if stream is None:
            return
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                if len(self._words) < MAX_SSH_WORDS:
                    self._words += line[: MAX_SSH_WORDS - len(self._words)]

    def ssh_words(self, wait: float = 0.0) -> str:
        """What ssh said on standard error (waiting up to ``wait`` s for it to exit)."""
        process = self.process
        if process is None:
            return ""
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
        if self._reader is not None:
            self._reader.join(timeout=wait)
        text = bytes(self._words).decode("utf-8", "replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return " ".join(lines[-3:])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                process.terminate()
            threading.Thread(target=_reap, args=(process,), daemon=True).start()


def _reap(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def start_ssh(argv: list[str]) -> Channel:
    """ssh (or a program like it) with its standard input and output on one end
    of a socket pair; the channel is the other end."""
    ours, theirs = socket.socketpair()
    try:
        process = subprocess.Popen(
            argv,
            stdin=theirs.fileno(),
            stdout=theirs.fileno(),
            stderr=subprocess.PIPE,
            start_new_session=True,  # no terminal: ssh asks through SSH_ASKPASS
        )
    except OSError:
        ours.close()
        raise
    finally:
        theirs.close()
    ours.setblocking(False)
    return Channel(ours, process)
