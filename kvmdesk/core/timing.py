"""Intervals a connection works with (stats, polling, keepalive, backoff)."""

from __future__ import annotations

from kvmdesk.virt.stats import ALL_METRICS


class Timing:
    """Intervals a connection uses; tests shorten them, the app reads settings."""

    def __init__(
        self,
        stats_interval: float = 3.0,
        poll_interval: float = 5.0,
        keepalive_interval: int = 5,
        keepalive_count: int = 1,
        backoff_start: float = 1.0,
        backoff_max: float = 60.0,
        connect_timeout: float = 45.0,
    ) -> None:
        self.stats_interval = stats_interval
        # What the stats tick may ask for (Preferences switch some off).
        self.stats_metrics: frozenset[str] = ALL_METRICS
        self.poll_interval = poll_interval
        # libvirt pings after this many whole seconds without a message from
        # the host and gives up after ``count`` unanswered pings: 5 s x 1
        # shows a dead link within 10 s. Longer than the stats tick's period
        # (3 s, a round trip, and a second of libvirt's rounding) so that a
        # host that answers its ticks is never pinged, and libvirt's
        # keepalive check does not run on the GUI thread before each reply
        # (3 s x 3 did, 50 hosts' worth of times per 3 s).
        self.keepalive_interval = keepalive_interval
        self.keepalive_count = keepalive_count
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        # An open that has not returned by then is abandoned and retried (an
        # ssh that hangs, a link that drops every packet): longer than ssh's
        # own TCP connect attempts, so a slow but working host still gets in.
        self.connect_timeout = connect_timeout
