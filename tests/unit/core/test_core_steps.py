"""Multi-step operations over a link that drops: said, awaited, re-read.

The test driver runs in-process, so its link cannot drop by itself: the
operations here raise the error libvirt's RPC client raises when the
daemon goes away ("End of file while reading data"). Dropping the link of
a real daemon in the middle of each real operation is tested in
tests/integration (test_dropped_link_real.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.steps import LinkLost, checking_text, lost_text, run_steps
from kvmdesk.virt.errors import NotConnectedError
from kvmdesk.virt.steps import Journal, Step

OpenConn = Callable[[str], Connection]
BETA = "b2b2b2b2-0000-4000-8000-000000000002"
STEPS = (Step("look", writes=False), Step("define"), Step("read back", writes=False))
NAMES = {"look": "looking", "define": "defining", "read back": "reading back"}


def _eof() -> libvirt.libvirtError:
    return libvirt.libvirtError("End of file while reading data: Input/output error")


def test_a_drop_after_a_write_is_said_awaited_and_rechecked(
    open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")
    states: list[ConnState] = []
    conn.stateChanged.connect(lambda: states.append(conn.state))
    said: list[str] = []

    def work(virt: libvirt.virConnect, journal: Journal) -> None:
        journal.begin("look")
        virt.lookupByUUIDString(BETA)
        journal.done("look")
        journal.begin("define")
        journal.done("define")
        journal.begin("read back")
        raise _eof()

    def recheck(virt: libvirt.virConnect, journal: Journal) -> str:
        assert journal.finished("define") and journal.in_flight == "read back"
        return str(virt.lookupByUUIDString(BETA).name())

    journal = Journal(STEPS)
    with pytest.raises(LinkLost) as caught:
        run(
            run_steps(
                conn,
                work,
                journal,
                recheck,
                lambda j, _f: said.append(checking_text(j, NAMES)),
            )
        )
    assert said == ["The connection was lost after step 2 of 3 (defining); checking…"]
    lost = caught.value
    assert lost.state == "beta"  # re-read on the new link
    assert ConnState.WAITING in states and conn.state is ConnState.CONNECTED
    assert lost_text(lost, NAMES) == "The connection was lost after step 2 of 3 (defining)."


def test_a_drop_before_any_write_is_a_plain_failure(open_connection: OpenConn, run: Any) -> None:
    conn = open_connection("two-domains.xml")

    def work(_virt: libvirt.virConnect, journal: Journal) -> None:
        journal.begin("look")
        raise _eof()

    def recheck(_virt: libvirt.virConnect, _journal: Journal) -> None:
        raise AssertionError("nothing to re-read")

    with pytest.raises(libvirt.libvirtError):
        run(run_steps(conn, work, Journal(STEPS), recheck))


def test_a_connection_that_does_not_come_back_leaves_the_outcome_unchecked(
    open_connection: OpenConn, run: Any
) -> None:
    conn = open_connection("two-domains.xml")

    def work(_virt: libvirt.virConnect, journal: Journal) -> None:
        journal.begin("define")
        raise _eof()

    def recheck(_virt: libvirt.virConnect, _journal: Journal) -> None:
        raise AssertionError("never reconnected")

    def closed_by_the_user(_journal: Journal, _failure: object) -> None:
        asyncio.get_event_loop().call_soon(conn.close)

    with pytest.raises(LinkLost) as caught:
        run(run_steps(conn, work, Journal(STEPS), recheck, closed_by_the_user))
    assert not caught.value.checked
    text = lost_text(caught.value, NAMES)
    assert text.startswith("The connection was lost during step 1 of 3 (defining). ")
    assert "could not check" in text


def test_a_call_queued_when_the_link_drops_fails_instead_of_vanishing(
    open_connection: OpenConn, run: Any
) -> None:
    """The worker drops queued calls when the link goes: the caller hears
    "not connected", and is not cancelled without a word."""
    conn = open_connection("two-domains.xml")
    release = threading.Event()
    started = threading.Event()

    def busy(_virt: libvirt.virConnect) -> None:
        started.set()
        release.wait(10)

    async def scenario() -> BaseException | None:
        first = asyncio.ensure_future(conn.call(busy))
        while not started.is_set():
            await asyncio.sleep(0.01)
        queued = asyncio.ensure_future(conn.call(lambda v: v.getURI()))
        await asyncio.sleep(0.05)
        conn.close()  # stops the worker, which drops the queued call
        release.set()
        await asyncio.gather(first, return_exceptions=True)
        try:
            await queued
        except NotConnectedError as exc:
            return exc
        return None

    assert isinstance(run(scenario()), NotConnectedError)
