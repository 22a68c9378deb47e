"""CPU statistics: the percentage arithmetic and sampling on the test driver."""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt import stats
from kvmdesk.virt.inventory import list_domains
from kvmdesk.virt.records import CpuSample, DomainState, StatsSnapshot
from kvmdesk.virt.stats import (
    ALL_METRICS,
    CPU,
    CpuFigures,
    RunningById,
    cpu_percent,
    sample,
    sample_cpu,
    usage,
)

Open = Callable[[str], libvirt.virConnect]
SECOND = 1_000_000_000


def _snap(at: float, **samples: tuple[int, int]) -> StatsSnapshot:
    return StatsSnapshot(
        taken_at=at, samples={u: CpuSample(cpu_time_ns=t, vcpus=v) for u, (t, v) in samples.items()}
    )


def test_half_a_cpu_for_one_second() -> None:
    before = _snap(10.0, a=(5 * SECOND, 1))
    after = _snap(11.0, a=(5 * SECOND + SECOND // 2, 1))
    assert cpu_percent(before, after) == pytest.approx({"a": 50.0})


def test_normalised_by_vcpus() -> None:
    # two seconds of CPU in one second of wall time on four vCPUs = 50 %
    before = _snap(0.0, a=(0, 4))
    after = _snap(1.0, a=(2 * SECOND, 4))
    assert cpu_percent(before, after) == pytest.approx({"a": 50.0})


def test_current_vcpu_count_is_used() -> None:
    before = _snap(0.0, a=(0, 1))
    after = _snap(2.0, a=(2 * SECOND, 2))
    assert cpu_percent(before, after) == pytest.approx({"a": 50.0})


def test_idle_domain_is_zero() -> None:
    before = _snap(0.0, a=(7 * SECOND, 2))
    after = _snap(3.0, a=(7 * SECOND, 2))
    assert cpu_percent(before, after) == {"a": 0.0}


def test_counter_reset_is_skipped() -> None:
    # the domain was restarted between the samples: its counter went backwards
    before = _snap(0.0, a=(100 * SECOND, 1), b=(SECOND, 1))
    after = _snap(1.0, a=(SECOND // 10, 1), b=(SECOND + SECOND // 4, 1))
    assert cpu_percent(before, after) == pytest.approx({"b": 25.0})


def test_new_domain_has_no_value_yet() -> None:
    before = _snap(0.0)
    after = _snap(1.0, a=(SECOND, 1))
    assert cpu_percent(before, after) == {}


def test_gone_domain_is_dropped() -> None:
    before = _snap(0.0, a=(0, 1), b=(0, 1))
    after = _snap(1.0, a=(SECOND // 2, 1))
    assert set(cpu_percent(before, after)) == {"a"}


def test_clamped_to_100() -> None:
    before = _snap(0.0, a=(0, 1))
    after = _snap(1.0, a=(3 * SECOND, 1))
    assert cpu_percent(before, after) == {"a": 100.0}


@pytest.mark.parametrize("later", [0.0, -1.0])
def test_no_time_passed_gives_nothing(later: float) -> None:
    before = _snap(5.0, a=(0, 1))
    after = _snap(5.0 + later, a=(SECOND, 1))
    assert cpu_percent(before, after) == {}


def test_many_domains_independent() -> None:
    before = _snap(0.0, a=(0, 1), b=(0, 2), c=(0, 8))
    after = _snap(4.0, a=(SECOND, 1), b=(4 * SECOND, 2), c=(32 * SECOND, 8))
    assert cpu_percent(before, after) == pytest.approx({"a": 25.0, "b": 50.0, "c": 100.0})


# -- sampling on the test driver ----------------------------------------------


def test_sample_in_process_covers_the_running_domains(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    records = {r.uuid: r for r in list_domains(conn)}
    snap = sample(conn, in_process=True)
    running = {
        u for u, r in records.items() if r.state in (DomainState.RUNNING, DomainState.BLOCKED)
    }
    off = {u for u, r in records.items() if r.state in (DomainState.SHUTOFF, DomainState.SAVED)}
    assert running <= set(snap.samples)
    assert not off & set(snap.samples)
    for uuid, cpu in snap.samples.items():
        assert cpu.vcpus == records[uuid].vcpus
        assert cpu.cpu_time_ns > 0


def test_sample_without_fallback_on_the_test_driver_is_empty(virt: Open) -> None:
    """The test driver leaves cpu.time out of bulk stats; no per-domain calls then."""
    assert sample(virt("lifecycle.xml"), in_process=False).samples == {}


def test_sample_follows_state_changes(virt: Open) -> None:
    conn = virt("two-domains.xml")
    alpha = conn.lookupByName("alpha")
    beta = conn.lookupByName("beta")
    assert set(sample(conn, True).samples) == {alpha.UUIDString()}
    alpha.destroy()
    beta.create()
    assert set(sample(conn, True).samples) == {beta.UUIDString()}


def test_running_domains_kept_between_ticks_follow_state_changes(virt: Open) -> None:
    conn = virt("two-domains.xml")
    alpha, beta = conn.lookupByName("alpha"), conn.lookupByName("beta")
    running = RunningById()
    assert set(sample(conn, True, running=running).samples) == {alpha.UUIDString()}
    alpha.destroy()
    beta.create()
    assert set(sample(conn, True, running=running).samples) == {beta.UUIDString()}
    alpha.create()  # started again: a new ID, the same domain
    assert set(sample(conn, True, running=running).samples) == {
        alpha.UUIDString(),
        beta.UUIDString(),
    }


@pytest.mark.parametrize("lookups", [0, 1000], ids=["listing", "lookups"])
def test_running_domains_found_by_listing_or_lookups_alike(
    virt: Open, lookups: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many new IDs come from one listing, few from lookups: the same domains."""
    conn = virt("lifecycle.xml")
    looked_up: list[int] = []
    lookup = conn.lookupByID
    monkeypatch.setattr(conn, "lookupByID", lambda i: looked_up.append(i) or lookup(i))
    expected = {d.UUIDString() for d in conn.listAllDomains() if d.isActive()}
    running = RunningById(lookups)
    assert {uuid for _dom, uuid in running.running(conn)} == expected
    stopped = next(d for d in conn.listAllDomains() if d.isActive())
    stopped.destroy()
    started = next(d for d in conn.listAllDomains() if not d.isActive())
    started.create()
    found = running.running(conn)
    assert {uuid for _dom, uuid in found} == (expected - {stopped.UUIDString()}) | {
        started.UUIDString()
    }
    assert all(dom.UUIDString() == uuid and dom.isActive() for dom, uuid in found)
    assert (looked_up == []) == (lookups == 0)


@pytest.mark.parametrize("metrics", [(CPU,), ALL_METRICS], ids=["cpu", "all"])
def test_sample_in_chunks_reports_every_running_domain(
    virt: Open, metrics: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pausing after every chunk of domains (for the GUI thread's sake)
    leaves no domain and no counter out (the test driver's CPU time and
    traffic counters move by themselves; vCPUs and memory stay)."""
    conn = virt("lifecycle.xml")
    whole = sample(conn, True, metrics)
    monkeypatch.setattr(stats, "_CHUNK", 1)
    chunked = sample(conn, True, metrics)
    assert len(whole.samples) > 1
    assert set(chunked.samples) == set(whole.samples)
    for uuid, counters in chunked.samples.items():
        before = whole.samples[uuid]
        assert (counters.vcpus, counters.memory_kib) == (before.vcpus, before.memory_kib)
        assert [v is None for v in counters] == [v is None for v in before]


def test_two_samples_give_percentages_in_range(virt: Open) -> None:
    conn = virt("two-domains.xml")
    first = sample(conn, True)
    second = sample(conn, True)
    assert second.taken_at >= first.taken_at
    percent = cpu_percent(first, second)
    assert set(percent) <= set(second.samples)
    assert all(0.0 <= p <= 100.0 for p in percent.values())


def test_cpu_tick_agrees_with_the_full_sample(virt: Open) -> None:
    """The CPU-only tick's short path reports what the general path does."""
    conn = virt("lifecycle.xml")
    quick = sample(conn, True)
    full = sample(conn, True, ALL_METRICS)
    assert set(quick.samples) == set(full.samples)
    for uuid, cpu in quick.samples.items():
        assert cpu.vcpus == full.samples[uuid].vcpus
        assert cpu.memory_kib is None and full.samples[uuid].memory_kib is not None


def test_sample_cpu_gives_percentages_only_after_a_first_sample(virt: Open) -> None:
    conn = virt("two-domains.xml")
    first, none_yet = sample_cpu(conn, None, True)
    assert none_yet == {} and first.samples
    second, percent = sample_cpu(conn, first, True)
    assert set(percent) == set(second.samples)
    assert percent == cpu_percent(first, second)


def test_cpu_figures_name_the_whole_percentages_that_changed() -> None:
    before = {"same": 12, "up": 12, "stopped": 40, "rounded-same": 7}
    figures = CpuFigures({"same": 12.2, "up": 13.0, "started": 3.0, "rounded-same": 6.6}, before)
    assert figures.whole == {"same": 12, "up": 13, "started": 3, "rounded-same": 7}
    assert figures.changed == {"up": 13.0, "started": 3.0, "stopped": None}
    assert figures == {"same": 12.2, "up": 13.0, "started": 3.0, "rounded-same": 6.6}


def test_cpu_figures_without_a_tick_before_name_nothing_as_changed() -> None:
    assert CpuFigures({"a": 1.0}).changed is None
    assert CpuFigures({"a": 1.0}, {}).changed == {"a": 1.0}


def test_cpu_figures_count_forgotten_domains_as_changed() -> None:
    """A list dropped these domains' figures (they left and came back): it is
    told their figure again even though the worker's is unchanged."""
    figures = CpuFigures({"back": 5.0, "same": 9.0}, {"back": 5, "same": 9}, {"back", "gone"})
    assert figures.changed == {"back": 5.0, "gone": None}


def test_sample_cpu_compares_with_the_tick_before(virt: Open) -> None:
    conn = virt("two-domains.xml")
    first, _ = sample_cpu(conn, None, True)
    second, figures = sample_cpu(conn, first, True)
    assert figures.changed is None  # nothing to compare with yet
    _, again = sample_cpu(conn, second, True, before=figures.whole)
    assert again.changed is not None
    assert set(again.changed) <= set(again)
    assert all(again.whole[u] != figures.whole.get(u) for u in again.changed)
    _, same = sample_cpu(conn, second, True, before=dict.fromkeys(figures.whole, -1))
    assert same.changed == dict(same)  # every figure differs from -1


def test_empty_host(virt: Open) -> None:
    assert sample(virt("empty.xml"), True).samples == {}


def test_usage_rates_between_two_snapshots() -> None:
    before = StatsSnapshot(
        taken_at=10.0,
        samples={"a": CpuSample(10**9, 1, 1000, 0, 100, 5000, None)},
    )
    after = StatsSnapshot(
        taken_at=12.0,
        samples={"a": CpuSample(2 * 10**9, 1, 2000, 4096, 50, 9000, None), "b": CpuSample(1, 1)},
    )
    result = usage(before, after)
    assert set(result) == {"a"}  # b has nothing to compare with
    point = result["a"]
    assert point.cpu == pytest.approx(50.0)
    assert point.memory_kib == 2000
    assert point.disk_read == 2048.0
    assert point.disk_write is None  # went backwards: the guest restarted
    assert point.net_rx == 2000.0 and point.net_tx is None  # not sampled


def test_sample_asks_only_for_the_metrics_named(virt: Open) -> None:
    conn = virt("lifecycle.xml")
    cpu_only = sample(conn, True)
    assert all(s.memory_kib is None and s.disk_read is None for s in cpu_only.samples.values())
    nothing = sample(conn, True, ())
    assert nothing.samples == {}
    memory = sample(conn, True, ("memory",))
    assert memory.samples and all(
        s.cpu_time_ns is None and s.memory_kib for s in memory.samples.values()
    )
