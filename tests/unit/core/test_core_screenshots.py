"""The screenshot feed: frames while active, silence when not, one message per
reason, and nothing late from a domain the user has moved away from."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import libvirt
import pytest

from kvmdesk.core import screenshots
from kvmdesk.core.connection import Connection
from kvmdesk.core.screenshots import (
    NOT_RUNNING,
    Frame,
    ScreenshotFeed,
    grab_frame,
    next_delay,
)

ALPHA = "a1a1a1a1-0000-4000-8000-000000000001"
BETA = "b2b2b2b2-0000-4000-8000-000000000002"
OpenConn = Callable[[str], Connection]
Until = Callable[..., Coroutine[Any, Any, None]]


class Recorder:
    def __init__(self, feed: ScreenshotFeed) -> None:
        self.frames: list[Frame] = []
        self.failures: list[str] = []
        feed.frame.connect(self.frames.append)
        feed.failed.connect(self.failures.append)


@pytest.fixture
def feed(aio_loop: Any) -> Any:
    made = ScreenshotFeed(interval=0.05)
    yield made
    made.stop()


def test_next_delay_keeps_the_interval_and_backs_off_when_slow() -> None:
    assert next_delay(1.0, 0.25) == pytest.approx(0.75)
    assert next_delay(1.0, 1.0) == pytest.approx(0.0)
    assert next_delay(1.0, 3.0) == pytest.approx(3.0)  # waits as long as it took


def test_frames_arrive_while_active_and_stop_when_inactive(
    open_connection: OpenConn, feed: ScreenshotFeed, run: Any, until: Until
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)

    async def body() -> None:
        feed.set_domain(conn, ALPHA)
        await asyncio.sleep(0.2)
        assert not seen.frames, "no captures while inactive"
        feed.active = True
        await until(lambda: len(seen.frames) >= 3, what="three frames")
        frame = seen.frames[-1]
        assert frame.uuid == ALPHA and frame.name == "alpha" and frame.uri == conn.uri
        assert frame.width > 0 and frame.height > 0
        assert len(frame.rgb) == frame.width * frame.height * 3
        assert dict(frame.metadata)["kvmdesk:domain"] == "alpha"
        assert frame.taken_at.tzinfo is not None
        feed.active = False
        await until(lambda: not feed.running, what="the loop to end")
        count, started = len(seen.frames), feed.captures
        await asyncio.sleep(0.3)
        assert len(seen.frames) == count and feed.captures == started
        assert not seen.failures

    run(body())


def test_shut_off_domain_fails_once_and_captures_nothing(
    open_connection: OpenConn, feed: ScreenshotFeed, run: Any, until: Until
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)

    async def body() -> None:
        feed.set_domain(conn, BETA)
        feed.active = True
        await until(lambda: seen.failures, what="a failure")
        await asyncio.sleep(0.3)
        feed.active = False
        feed.active = True  # reactivating repeats nothing
        await asyncio.sleep(0.2)

    run(body())
    assert seen.failures == [NOT_RUNNING]
    assert not seen.frames and feed.captures == 0


def test_capture_error_is_reported_once_not_per_tick(
    open_connection: OpenConn,
    feed: ScreenshotFeed,
    run: Any,
    until: Until,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)

    def broken(*_args: Any) -> Frame:
        raise screenshots.ScreenshotError("The screenshot data is not a valid image.")

    monkeypatch.setattr(screenshots, "grab_frame", broken)

    async def body() -> None:
        feed.set_domain(conn, ALPHA)
        feed.active = True
        await until(lambda: feed.captures >= 4, what="several attempts")

    run(body())
    assert seen.failures == ["The screenshot data is not a valid image."]
    assert not seen.frames


def test_domain_stopping_ends_the_feed(
    open_connection: OpenConn, feed: ScreenshotFeed, run: Any, until: Until
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)

    async def body() -> None:
        feed.set_domain(conn, ALPHA)
        feed.active = True
        await until(lambda: seen.frames, what="a frame")
        await conn.call(lambda virt: virt.lookupByUUIDString(ALPHA).destroy())
        await until(lambda: NOT_RUNNING in seen.failures, what="not running")
        await until(lambda: not feed.running, what="the loop to end")
        started = feed.captures
        await asyncio.sleep(0.3)
        assert feed.captures == started

    run(body())
    assert seen.failures == [NOT_RUNNING]


def test_switching_domains_drops_the_late_frame_of_the_old_one(
    open_connection: OpenConn,
    feed: ScreenshotFeed,
    run: Any,
    until: Until,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)
    gate = threading.Event()
    entered = threading.Event()
    lock = threading.Lock()
    busy = [0, 0]  # in flight now, most at once

    def slow_grab(virt: libvirt.virConnect, uuid: str, uri: str, screen: int = 0) -> Frame:
        with lock:
            busy[0] += 1
            busy[1] = max(busy)
        try:
            if uuid == ALPHA:
                entered.set()
                gate.wait(10)
            return grab_frame(virt, uuid, uri, screen)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(screenshots, "grab_frame", slow_grab)

    async def body() -> None:
        await conn.call(lambda virt: virt.lookupByUUIDString(BETA).create())
        await until(lambda: conn.domains[BETA].state.is_active, what="beta to run")
        feed.set_domain(conn, ALPHA)
        feed.active = True
        await until(entered.is_set, what="the alpha capture to start")
        feed.set_domain(conn, BETA)
        gate.set()  # alpha's capture returns now, after the switch
        await until(lambda: len(seen.frames) >= 2, what="frames of beta")

    try:
        run(body())
    finally:
        gate.set()
    assert {frame.uuid for frame in seen.frames} == {BETA}
    assert busy[1] == 1, "never more than one capture in flight"


def test_quick_off_and_on_keeps_the_feed_going(
    open_connection: OpenConn, feed: ScreenshotFeed, run: Any, until: Until
) -> None:
    conn = open_connection("two-domains.xml")
    seen = Recorder(feed)

    async def body() -> None:
        feed.set_domain(conn, ALPHA)
        feed.active = True
        await until(lambda: seen.frames, what="a frame")
        for _ in range(5):
            feed.active = False
            await asyncio.sleep(0)
            feed.active = True
        count = len(seen.frames)
        await until(lambda: len(seen.frames) >= count + 2, what="frames after the toggling")

    run(body())
