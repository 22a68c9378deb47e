"""Targets, the printed table and the shape of results.json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REFERENCE = (
    "Reference: an established manager on the same 1,000-domain file showed its window "
    "after 6 s, then kept one core at 100 % with about 230 MB resident."
)


@dataclass(frozen=True)
class Check:
    figure: str  # key in results.json "figures"
    case: str  # sub-key: domain count, percentile or phase
    label: str  # what the table shows
    unit: str
    limit: float | None  # None: reported, no target
    at_least: bool = False  # the limit is a floor (throughput), not a ceiling

    def status(self, value: float | None) -> str:
        if value is None:
            return "ERROR"
        if self.limit is None:
            return "info"
        met = value >= self.limit if self.at_least else value <= self.limit
        return "PASS" if met else "MISS"


STALL_LIMIT_MS = 16.0  # one frame at 60 Hz


def checks(sizes: list[int], latency_size: int | None) -> list[Check]:
    startup_limit = {1000: 1.0}
    cpu_limit = {1000: 2.0, 10000: 2.0}
    rss_limit = {1000: 150.0}
    out: list[Check] = []
    for n in sizes:
        out.append(
            Check(
                "startup_populated_s", str(n), f"start-up, {n:,} shown", "s", startup_limit.get(n)
            )
        )
        out.append(
            Check("populated_after_listing_s", str(n), f"rows after listing, {n:,}", "s", 1.0)
        )
        out.append(Check("libvirt_floor_s", str(n), f"libvirt floor, {n:,}", "s", None))
    for n in sizes:
        out.append(Check("idle_cpu_pct", str(n), f"idle CPU, {n:,}", "%", cpu_limit.get(n)))
    for n in sizes:
        out.append(Check("rss_mb", str(n), f"RSS populated, {n:,}", "MB", rss_limit.get(n)))
        out.append(
            Check("rss_beyond_driver_mb", str(n), f"RSS beyond test driver, {n:,}", "MB", 200.0)
        )
    if latency_size is not None:
        tag = f"{latency_size:,}"
        out.append(Check("event_latency_ms", "p50", f"event latency p50, {tag}", "ms", None))
        out.append(Check("event_latency_ms", "p99", f"event latency p99, {tag}", "ms", 50.0))
    phases = [(f"startup_{n}", f"stall: start-up {n:,}") for n in sizes]
    phases += [(f"idle_{n}", f"stall: idle {n:,}") for n in sizes]
    if latency_size is not None:
        phases.append(("event_latency", f"stall: event run {latency_size:,}"))
    for n in sizes:
        if n >= 10_000:
            phases += [
                (f"burst_pause_{n}", f"stall: 1,000 paused at once, {n:,}"),
                (f"burst_resume_{n}", f"stall: 1,000 resumed at once, {n:,}"),
                (f"filter_{n}", f"stall: typing a search, {n:,}"),
                (f"sort_{n}", f"stall: header sort, {n:,}"),
            ]
            out.append(Check("burst_rows_s", str(n), f"1,000 changed rows shown, {n:,}", "s", None))
            out.append(
                Check("filter_key_ms", str(n), f"search applied per key, {n:,}", "ms", 100.0)
            )
            out.append(Check("sort_ms", str(n), f"header sort applied, {n:,}", "ms", 100.0))
    for key, label in phases:
        out.append(Check("ui_stall_ms_max", key, label, "ms", STALL_LIMIT_MS))
    out.append(Check("ui_stall_ms_max", "max", "stall: worst of all", "ms", STALL_LIMIT_MS))
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "":
        return f"{value:g}"
    return f"{value:.2f} {unit}"


def _target(check: Check) -> str:
    if check.limit is None:
        return ""
    limit = f"{check.limit:g}"
    return f"{'≥' if check.at_least else '≤'} {limit} {check.unit}".rstrip()


def evaluate(figures: dict[str, dict[str, Any]], all_checks: list[Check]) -> list[dict[str, Any]]:
    rows = []
    for c in all_checks:
        value = figures.get(c.figure, {}).get(c.case)
        rows.append(
            {
                "figure": c.figure,
                "case": c.case,
                "label": c.label,
                "value": value,
                "unit": c.unit,
                "target": _target(c) or None,
                "status": c.status(value),
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = ("figure", "value", "target", "")
    body = [(r["label"], _fmt(r["value"], r["unit"]), r["target"] or "", r["status"]) for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(4)]
    lines = []
    for i, row in enumerate([head, *body]):
        lines.append(
            f"  {row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        )
        if i == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)
