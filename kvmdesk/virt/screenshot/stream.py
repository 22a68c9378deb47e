"""Reading a libvirt stream with a byte cap and a deadline.

The stream carries what the hypervisor, and through it the guest, sends, so
it is read as hostile input: never more than the cap, never past the
deadline, and always finished or aborted.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import libvirt

from kvmdesk.virt.errors import classify
from kvmdesk.virt.screenshot.errors import (
    CaptureError,
    CaptureTimeoutError,
    TooMuchDataError,
    one_line,
)
from kvmdesk.virt.screenshot.limits import MAX_STREAM_BYTES

MAX_BYTES = MAX_STREAM_BYTES
"""Default cap on the bytes read from the screenshot stream (see ``limits``)."""
DEFAULT_TIMEOUT = 10.0
"""Default seconds allowed for taking and reading one screenshot."""

_CHUNK = 256 * 1024
_POLL = 0.01  # seconds between tries when a non-blocking stream has no data


def abort_quietly(stream: Any) -> None:
    """Abort ``stream``, ignoring whatever that raises."""
    with contextlib.suppress(Exception):
        stream.abort()


class _Watchdog:
    """Aborts a stream at the deadline, even while ``recv`` blocks.

    libvirt unblocks a ``recv`` waiting in another thread when the stream is
    aborted, so a stalled host cannot hold the caller past the deadline.
    """

    def __init__(self, stream: Any, seconds: float) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._state = "reading"
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            if self._state != "reading":
                return
            self._state = "expired"
            abort_quietly(self._stream)

    @property
    def expired(self) -> bool:
        with self._lock:
            return self._state == "expired"

    def stop(self) -> bool:
        """Disarm; False if the deadline already aborted the stream."""
        self._timer.cancel()
        with self._lock:
            # The timer refers back to this watchdog: a cycle that only the
            # garbage collector breaks. Let go of the stream now, or it keeps
            # its connection open until then (at exit, after the event loop).
            self._stream = None
            if self._state == "expired":
                return False
            self._state = "done"
            return True


def read_stream(
    stream: Any, *, max_bytes: int = MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> bytearray:
    """Read ``stream`` to its end within ``max_bytes`` and ``timeout`` seconds.

    ``stream`` is a ``virStream`` (or anything with its ``recv``, ``finish``
    and ``abort``). It is finished on success and aborted on any failure, so
    it is never left open. The bytes come back as the buffer they were read
    into: a copy would double the memory of an 8K PPM.
    """
    if max_bytes <= 0:
        abort_quietly(stream)
        raise ValueError("max_bytes must be positive")
    deadline = time.monotonic() + timeout
    too_slow = CaptureTimeoutError(
        f"The screenshot did not arrive within {timeout:g} seconds; gave up."
    )
    if timeout <= 0:
        abort_quietly(stream)
        raise too_slow
    buf = bytearray()
    watchdog = _Watchdog(stream, timeout)
    try:
        while True:
            if watchdog.expired or time.monotonic() >= deadline:
                raise too_slow
            # One byte more than the cap allows tells "exactly at the cap" from "over".
            want = min(_CHUNK, max_bytes - len(buf) + 1)
            try:
                chunk = stream.recv(want)
            except libvirt.libvirtError as exc:
                if watchdog.expired:
                    raise too_slow from exc
                raise _libvirt_failure(exc) from exc
            except Exception as exc:
                if watchdog.expired:
                    raise too_slow from exc
                raise CaptureError(f"Reading the screenshot failed: {exc}") from exc
            if isinstance(chunk, int):
                if chunk == -2:  # non-blocking stream with nothing yet
                    time.sleep(max(0.0, min(_POLL, deadline - time.monotonic())))
                    continue
                raise CaptureError(f"Reading the screenshot failed (libvirt returned {chunk}).")
            if not isinstance(chunk, bytes | bytearray):
                raise CaptureError("Reading the screenshot failed (libvirt returned no data).")
            if not chunk:
                break
            buf += chunk
            if len(buf) > max_bytes:
                raise TooMuchDataError(
                    f"The screenshot is larger than {_size_text(max_bytes)}; refused."
                )
        if not watchdog.stop():
            raise too_slow
        try:
            stream.finish()
        except libvirt.libvirtError as exc:
            raise _libvirt_failure(exc) from exc
    except BaseException:
        watchdog.stop()
        abort_quietly(stream)
        raise
    return buf


def _libvirt_failure(exc: libvirt.libvirtError) -> CaptureError:
    failure = classify(exc)
    return CaptureError(
        f"Reading the screenshot from libvirt failed: {one_line(failure.message)}", failure
    )


def _size_text(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n} bytes"
