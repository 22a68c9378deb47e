"""One attempt at opening a connection's URI, off the GUI thread.

Kept apart from ``connection`` (what a connection does once it is open):
the gate that bounds how many hosts of a fleet open at a time, the worker whose
thread is started off the GUI thread, the timeout after which an open that
cannot be interrupted is abandoned, and the count of what the user was
asked, which decides whether a failure may be retried by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import libvirt

from kvmdesk.core.askpass_log import AskpassLog
from kvmdesk.core.credentials import CredentialBroker
from kvmdesk.core.linkclose import discard_late_open
from kvmdesk.core.worker import Worker, start_worker
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.opener import UriRefusedError, open_uri

# Failures a retry would only repeat. Authentication is among them: a retry
# would ask for the password again and again, every backoff step.
PERMANENT = {
    ErrorKind.NO_DRIVER,
    ErrorKind.BAD_URI,
    ErrorKind.UNSAFE_URI,
    ErrorKind.PERMISSION_DENIED,
    ErrorKind.HOST_KEY,
    ErrorKind.AUTH_FAILED,
    ErrorKind.AUTH_CANCELLED,
    ErrorKind.REMOTE_HELPER_MISSING,
}

Opened = tuple[libvirt.virConnect, Worker]


def failure_of(exc: Exception, prompts: int = 0) -> Failure:
    failure = classify(exc)
    if prompts and failure.kind not in PERMANENT:
        # The user was asked and the attempt failed: libvirt's words may
        # say anything ("Cannot recv data ..."), it was the answer.
        failure = Failure(ErrorKind.AUTH_FAILED, failure.message, failure.code)
    return failure


class Attempt:
    """Opens ``uri`` once; ``prompts`` is what it asked the user so far."""

    def __init__(
        self,
        uri: str,
        allow_unsafe: bool,
        broker: CredentialBroker | None,
        askpass: AskpassLog | None,
    ) -> None:
        self.uri = uri
        self.allow_unsafe = allow_unsafe
        self.prompts = 0
        self._broker = broker
        self._askpass = askpass
        # Count what this attempt asks the user: a failed attempt that asked
        # is never retried by itself, whatever libvirt's words are.
        self._mark = askpass.mark() if askpass is not None else 0
        self._asked = 0

    def _ask(self, creds: Any) -> bool:
        assert self._broker is not None
        self._asked += 1
        return self._broker.request(creds, self.uri)

    def prompted(self) -> int:
        count = self._asked
        if self._askpass is not None:
            count += self._askpass.prompts_since(self._mark, urlsplit(self.uri).hostname or "")
        self.prompts = count
        return count

    async def run(
        self, gate: asyncio.Semaphore | None, timeout: float, current: Callable[[], bool]
    ) -> Opened | Failure | None:
        """The open connection and its worker, or why not; None when the
        attempt stopped mattering (``current()`` turned false) meanwhile."""
        # A fleet opens a bounded number of hosts at a time (the manager's gate).
        if gate is not None:
            await gate.acquire()
        try:
            if not current():  # closed while waiting its turn
                return None
            # One thread: libvirt 9.0's RPC client can crash when a keepalive
            # timeout closes a link with two calls in flight on it.
            worker = await start_worker(self.uri.split(":", 1)[0], 1)
            if not current():
                worker.shutdown()
                return None
            ask = self._ask if self._broker is not None else None
            opening = worker.submit(open_uri, self.uri, allow_unsafe=self.allow_unsafe, ask=ask)
            waiting = asyncio.wrap_future(opening)
            try:
                virt = await asyncio.wait_for(asyncio.shield(waiting), timeout)
            except TimeoutError:
                # The open call cannot be interrupted (an ssh that never answers):
                # abandon it, close what it opens should it ever return, retry.
                waiting.add_done_callback(_ignore_outcome)
                discard_late_open(opening, worker)
                seconds = round(timeout)
                if self.prompted():
                    # A question nobody answered in time: asking again would
                    # only open another dialog beside it.
                    text = f"ssh's question had no answer in {seconds} s"
                    return Failure(ErrorKind.AUTH_FAILED, text, 0)
                return Failure(ErrorKind.TIMEOUT, f"no answer in {seconds} s", 0)
            except asyncio.CancelledError:  # close() while connecting: the user cancelled
                waiting.add_done_callback(_ignore_outcome)
                discard_late_open(opening, worker)
                raise
            except (libvirt.libvirtError, OSError, UriRefusedError) as exc:
                worker.shutdown()
                return failure_of(exc, self.prompted())
            return virt, worker
        finally:
            if gate is not None:
                gate.release()


def _ignore_outcome(future: asyncio.Future[Any]) -> None:
    """An abandoned open: its failure is no news (and must not be logged as lost)."""
    if not future.cancelled():
        future.exception()
