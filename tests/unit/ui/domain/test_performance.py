"""The Performance tab: graphs from the bulk stats tick, only while shown.

The test driver reports nothing in bulk stats; in-process only, the tick
asks each domain instead (``virt.stats._in_process``), which gives rising
counters to draw. On a real host the same tick is one ``getAllDomainStats``
(tests/integration/test_performance_real.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette

from kvmdesk.core.connection import Connection
from kvmdesk.models.columns import format_rate
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.host.usage_graph import RateGraph, UsageGraph
from kvmdesk.ui.main.preferences_apply import dark_palette
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.shown import shown

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

OpenConn = Callable[[str], Connection]
RUNNING = "1c1c1c1c-0000-4000-8000-000000000001"
SHUTOFF = "1c1c1c1c-0000-4000-8000-000000000003"
FIELDS = ("cpu", "memory_kib", "disk_read", "disk_write", "net_rx", "net_tx")


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> DetailsPane:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def test_graphs_are_drawn_while_the_tab_is_shown(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("lifecycle.xml")
    page = pane.performance_tab
    pane.show_domain(conn, RUNNING)
    assert not page.watching and conn.sampled_metrics == {virt_stats.CPU}
    pane.show_tab("performance")
    assert page.watching and conn.sampled_metrics == virt_stats.ALL_METRICS
    assert page.note.text() == "Collecting statistics…"
    wait_until(lambda: page.samples >= 3, what="three ticks drawn")
    for field in FIELDS:
        assert page.graphs[field].values, field
        assert page.values[field].text(), field
    assert page.values["memory_kib"].text() == "1.0 GiB of 1.0 GiB"
    assert page.values["disk_read"].text().endswith("/s")
    assert page.title.text() == shown("running")

    pane.show_tab("overview")  # hidden: nothing more is asked for
    assert not page.watching and conn.sampled_metrics == {virt_stats.CPU}
    drawn = page.samples
    wait_until(lambda: conn.cpu and page.samples == drawn, what="a tick while hidden")
    assert page.samples == drawn


def test_another_domain_starts_afresh(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("lifecycle.xml")
    page = pane.performance_tab
    pane.show_domain(conn, RUNNING)
    pane.show_tab("performance")
    wait_until(lambda: page.samples >= 1, what="a tick drawn")
    pane.show_domain(conn, SHUTOFF)
    assert page.samples == 0 and not page.graphs["cpu"].values
    assert page.note.text() == "Graphs are drawn while the virtual machine runs."
    pane.show_connection(conn)  # a connection has no Performance tab
    assert not page.watching
    assert not pane.isTabVisible(pane.indexOf(pane.tab_names()["performance"]))


def test_metrics_switched_off_say_so(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("lifecycle.xml")
    conn.timing = type(conn.timing)(stats_interval=conn.timing.stats_interval)
    conn.timing.stats_metrics = frozenset({virt_stats.CPU, virt_stats.MEMORY})
    page = pane.performance_tab
    pane.show_domain(conn, RUNNING)
    pane.show_tab("performance")
    assert conn.sampled_metrics == {virt_stats.CPU, virt_stats.MEMORY}
    wait_until(lambda: page.samples >= 2, what="two ticks drawn")
    assert page.graphs["cpu"].values and page.graphs["memory_kib"].values
    for field in ("disk_read", "disk_write", "net_rx", "net_tx"):
        assert not page.graphs[field].values
        assert page.values[field].text() == "Not collected"
        assert not page.graphs[field].isEnabled()


def test_graphs_use_the_palette(qtbot: Any) -> None:
    """Drawn in the palette's Base and Highlight: readable in a dark theme."""
    for graph in (UsageGraph(), RateGraph()):
        qtbot.addWidget(graph)
        graph.setPalette(dark_palette())
        graph.resize(200, 60)
        for value in (0.2, 0.9, 0.5):
            graph.add(value)
        image = graph.grab().toImage()
        base = dark_palette().color(QPalette.ColorRole.Base)
        assert QColor(image.pixel(5, 5)) == base  # the background, above the line
        line = dark_palette().color(QPalette.ColorRole.Highlight)
        column = [QColor(image.pixel(198, y)) for y in range(60)]
        assert any(c.blue() > 150 and abs(c.blue() - line.blue()) < 40 for c in column)


def test_rate_graph_scales_to_the_largest_rate() -> None:
    graph = RateGraph()
    for rate in (1000.0, 4000.0, 2000.0):
        graph.add(rate)
    assert list(graph.values) == [0.25, 1.0, 0.5]


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (0, "0 B/s"),
        (512, "512 B/s"),
        (2048, "2.0 KiB/s"),
        (3 * 1024**2, "3.0 MiB/s"),
        (5 * 1024**4, "5120.0 GiB/s"),
    ],
)
def test_format_rate(rate: float, text: str) -> None:
    assert format_rate(rate) == text
