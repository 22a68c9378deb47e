"""Multi-step operations whose link may drop in the middle: say so, wait, re-read.

``run_steps`` runs an operation that records its steps in a
``virt.steps.Journal`` on the connection's worker. When the link drops
after the operation changed (or may have changed) the host, it does not
report a plain "connection lost": it tells the caller at once (for a
"the connection was lost after step 2 of 3; checking…" line), waits for the
connection to come back by itself, runs ``recheck`` on the new link to read
what exists now, and raises ``LinkLost`` carrying the journal and what the
re-read found. The caller then says exactly what exists. Every multi-step
operation of kvmdesk goes through here: saving in the XML tab, Define and
Create from XML, creating a VM, deleting one.

When nothing that changes the host had started, the original error is
raised as it was: nothing happened, and the usual message is the truth.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import libvirt

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.messages import sentences, tr
from kvmdesk.virt.errors import ErrorKind, Failure, NotConnectedError, classify
from kvmdesk.virt.steps import Journal

T = TypeVar("T")
R = TypeVar("R")


class LinkLost(Exception, Generic[R]):
    """The link dropped after the operation had started changing the host.

    ``state`` is what ``recheck`` found after the reconnect, or None when
    the connection did not come back (closed, or a failure that does not
    heal); ``recheck_failure`` then says why.
    """

    def __init__(
        self,
        journal: Journal,
        failure: Failure,
        state: R | None,
        recheck_failure: Failure | None = None,
    ) -> None:
        super().__init__(failure.message)
        self.journal = journal
        self.failure = failure
        self.state = state
        self.recheck_failure = recheck_failure

    @property
    def checked(self) -> bool:
        return self.state is not None


def lost_link(exc: BaseException) -> Failure | None:
    """The lost-link failure behind ``exc`` (or what it was raised from), if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, libvirt.libvirtError):
            failure = classify(seen)
            if failure.kind is ErrorKind.CONNECTION_LOST:
                return failure
        seen = seen.__cause__
    return None


async def wait_connected(conn: Connection) -> bool:
    """Wait until ``conn`` is connected again; False when it stopped trying."""
    while conn.state is not ConnState.CONNECTED:
        if conn.state is ConnState.DISCONNECTED:
            return False
        await _state_change(conn)
    return True


async def _state_change(conn: Connection) -> None:
    changed: asyncio.Future[None] = asyncio.get_event_loop().create_future()

    def wake() -> None:
        if not changed.done():
            changed.set_result(None)

    conn.stateChanged.connect(wake)
    try:
        await changed
    finally:
        conn.stateChanged.disconnect(wake)


async def run_steps(
    conn: Connection,
    work: Callable[[libvirt.virConnect, Journal], T],
    journal: Journal,
    recheck: Callable[[libvirt.virConnect, Journal], R],
    on_lost: Callable[[Journal, Failure], None] | None = None,
) -> T:
    """Run ``work(virConnect, journal)`` on ``conn``'s worker.

    Returns its result. Raises its errors unchanged, except a dropped link
    after a step that changes the host began: then ``on_lost`` is told,
    the connection's own reconnect is awaited, ``recheck(virConnect,
    journal)`` reads the host again, and ``LinkLost`` is raised with what it
    found.
    """
    try:
        return await conn.call(work, journal)
    except Exception as exc:
        failure = lost_link(exc)
        if failure is None or not journal.changed_anything:
            raise
        if on_lost is not None:
            on_lost(journal, failure)
        state, why = await _recheck(conn, journal, recheck)
        raise LinkLost(journal, failure, state, why) from exc


async def _recheck(
    conn: Connection, journal: Journal, recheck: Callable[[libvirt.virConnect, Journal], R]
) -> tuple[R | None, Failure | None]:
    """Re-read after each reconnect until it works or the connection stops trying."""
    while True:
        if not await wait_connected(conn):
            return None, conn.failure or Failure(ErrorKind.NOT_CONNECTED, "closed")
        try:
            return await conn.call(recheck, journal), None
        except (libvirt.libvirtError, NotConnectedError) as exc:
            failure = classify(exc)
            if failure.kind not in (ErrorKind.CONNECTION_LOST, ErrorKind.NOT_CONNECTED):
                return None, failure
            # Dropped again before the answer: wait for the next reconnect.
            if conn.state is ConnState.CONNECTED:
                await asyncio.sleep(0.1)


# ---------------------------------------------------------------- wording


def step_position(journal: Journal, names: Mapping[str, str]) -> str:
    """ "after step 2 of 3 (defining)" or "during step 1 of 3 (…)", for the sentences below."""
    total = max(journal.total, 1)
    if journal.count_done:
        key = journal.last_done
        return tr("after step {0} of {1} ({2})").format(
            journal.count_done, total, names.get(key, key)
        )
    key = journal.in_flight or ""
    return tr("during step {0} of {1} ({2})").format(1, total, names.get(key, key))


def checking_text(journal: Journal, names: Mapping[str, str]) -> str:
    """The line shown while waiting for the reconnect."""
    return tr("The connection was lost {0}; checking…").format(step_position(journal, names))


def lost_text(lost: LinkLost[Any], names: Mapping[str, str]) -> str:
    """The first sentence of the final report; the caller adds what exists."""
    text = tr("The connection was lost {0}.").format(step_position(lost.journal, names))
    if lost.checked:
        return text
    return sentences(
        text,
        tr(
            "kvmdesk could not check what the host has now, because the connection did "
            "not come back. Check it once the host is reachable again."
        ),
    )
