"""The floor under start-up: interpreter, libvirt open and the product's listing, no GUI.

``python -m benchmarks.floor --xml HOST`` prints ``RESULT {json}``.  The test
driver parses the whole host file inside ``libvirt.open`` and keeps every
domain in this process, so its time and memory are part of any client's
start-up on these files, whatever the GUI does.
"""

from __future__ import annotations

import time

T0 = time.monotonic()

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from benchmarks.common import emit, rss_mb  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.floor")
    p.add_argument("--xml", type=Path, required=True)
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    import libvirt

    from kvmdesk.virt import inventory
    from kvmdesk.virt import stats as virt_stats

    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    imported = time.monotonic()
    rss_before = rss_mb()
    conn = libvirt.open(f"test://{args.xml.resolve()}")
    opened = time.monotonic()
    records = inventory.list_domains(conn)
    listed = time.monotonic()
    virt_stats.sample(conn, True)
    sampled = time.monotonic()
    emit(
        "RESULT",
        {
            "domains": len(records),
            "imports_s": round(imported - T0, 3),
            "libvirt_open_s": round(opened - imported, 3),
            "list_domains_s": round(listed - opened, 3),
            "stats_sample_s": round(sampled - listed, 3),
            "rss_before_open_mb": round(rss_before, 1),
            "rss_after_list_mb": round(rss_mb(), 1),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
