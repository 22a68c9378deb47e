"""The bulk stats tick on the real daemon: one ``getAllDomainStats`` gives
every counter the Performance tab draws, with no call per domain."""

from __future__ import annotations

import time
from typing import Any

from kvmdesk.virt import stats as virt_stats


def test_one_bulk_call_has_every_counter(libvirt_conn: Any, define_guest: Any) -> None:
    dom = define_guest()
    dom.create()
    uuid = dom.UUIDString()
    first = virt_stats.sample(libvirt_conn, False, virt_stats.ALL_METRICS)
    time.sleep(1.0)
    second = virt_stats.sample(libvirt_conn, False, virt_stats.ALL_METRICS)
    counters = second.samples[uuid]
    assert counters.cpu_time_ns is not None and counters.cpu_time_ns > 0
    assert counters.memory_kib is not None and 0 < counters.memory_kib <= 128 * 1024
    # The test guest has no disk and no network card: reported, as nothing.
    assert (counters.disk_read, counters.disk_write) == (0, 0)
    assert (counters.net_rx, counters.net_tx) == (0, 0)
    usage = virt_stats.usage(first, second)[uuid]
    assert usage.cpu is not None and 0.0 <= usage.cpu <= 100.0
    assert usage.disk_read == 0.0 and usage.net_rx == 0.0
    # The list's tick asks for the CPU time only.
    cpu_only = virt_stats.sample(libvirt_conn, False)
    assert cpu_only.samples[uuid].memory_kib is None
    assert cpu_only.samples[uuid].cpu_time_ns is not None


def test_the_performance_tab_draws_a_real_guest(
    qtbot: Any, manager: Any, run: Any, wait_until: Any, define_guest: Any
) -> None:
    """The page watches the real connection while shown: the tick asks for
    every counter then, and the graphs fill from it."""
    from kvmdesk.ui.domain.details import DetailsPane

    try:
        from .conftest import TEST_URI
    except ImportError:
        from conftest import TEST_URI  # type: ignore[no-redef]

    dom = define_guest()
    dom.create()
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show()
    uuid = dom.UUIDString()
    wait_until(lambda: uuid in conn.domains, 20, "the guest listed")
    pane.show_domain(conn, uuid)
    assert conn.sampled_metrics == {virt_stats.CPU}
    pane.show_tab("performance")
    page = pane.performance_tab
    assert conn.sampled_metrics == virt_stats.ALL_METRICS
    wait_until(lambda: page.samples >= 2, 30, "two ticks drawn")
    assert page.graphs["cpu"].values and page.values["cpu"].text().endswith("%")
    assert page.graphs["memory_kib"].values and " of " in page.values["memory_kib"].text()
    assert page.values["disk_read"].text() == "0 B/s"  # the test guest has no disk
    pane.show_tab("overview")
    assert conn.sampled_metrics == {virt_stats.CPU}
    pane.clear()


def test_the_lists_memory_column_on_a_real_guest(
    manager: Any, run: Any, wait_until: Any, define_guest: Any
) -> None:
    """A usage column shown: the same tick asks for the memory counter only,
    and the list's cell fills from it; hidden, the tick asks for the CPU again."""
    from kvmdesk.models.columns import Column, Role
    from kvmdesk.models.tree import DomainTreeModel

    try:
        from .conftest import TEST_URI
    except ImportError:
        from conftest import TEST_URI  # type: ignore[no-redef]

    dom = define_guest()
    dom.create()
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    model = DomainTreeModel(manager)
    uuid = dom.UUIDString()
    wait_until(lambda: model.index_of_domain(conn, uuid).isValid(), 20, "the guest listed")
    model.set_column_wanted(Column.MEMORY_USE, True)
    assert conn.sampled_metrics == {virt_stats.CPU, virt_stats.MEMORY}

    def cell() -> Any:
        return model.index_of_domain(conn, uuid, Column.MEMORY_USE)

    wait_until(lambda: str(cell().data() or "").endswith("MiB"), 30, "the memory in use")
    assert 0 < cell().data(Role.SORT) <= 128 * 1024  # KiB, at most what the guest has
    model.set_column_wanted(Column.MEMORY_USE, False)
    assert conn.sampled_metrics == {virt_stats.CPU}
    assert cell().data() == ""
