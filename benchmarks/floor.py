"""The floor under start-up: interpreter, libvirt open and the product's listing, no GUI.

``python -m benchmarks.floor --xml HOST`` prints ``RESULT {json}``.  The test
driver parses the whole host file inside ``libvirt.open`` and keeps every
domain in this process, so its time and memory are part of any client's
start-up on these files, whatever the GUI does.

``python -m benchmarks.floor --uri URI [--uri URI ...]`` is the floor of a
remote host or of a fleet: PySide6 and libvirt imported, then each URI
opened and listed with one ``getAllDomainStats`` in a thread of its own (no
event loop, so no keepalive). ``RESULT`` holds the seconds from the first
open until each URI was listed: what a client cannot beat on that link.
With ``--events`` libvirt's default event loop is registered (and run in a
thread) first, as any client that hears events and keepalives has one: then
libvirt's open asks the server whether it speaks keepalive, one round trip
more, which no such client avoids.
The connections stay open until standard input closes, so that the parent
can count the round trips before the close.
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
    p.add_argument("--xml", type=Path)
    p.add_argument("--uri", action="append", default=[])
    p.add_argument("--events", action="store_true", help="register an event loop first")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    if args.uri:
        return remote_floor(args.uri, args.events)
    if args.xml is None:
        p.error("--xml or --uri is needed")
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


def remote_floor(uris: list[str], events: bool = False) -> int:
    import threading

    import libvirt
    import PySide6.QtWidgets  # noqa: F401 (the window's imports, as kvmdesk pays them)

    from kvmdesk.virt import inventory

    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    if events:
        libvirt.virEventRegisterDefaultImpl()

        def run_events() -> None:
            while True:
                libvirt.virEventRunDefaultImpl()

        threading.Thread(target=run_events, name="events", daemon=True).start()
    listed: dict[str, float] = {}
    opened: list[libvirt.virConnect] = []  # closed only once the parent has read RESULT
    domains: dict[str, int] = {}
    failed: dict[str, str] = {}

    def one(uri: str) -> None:
        try:
            conn = libvirt.open(uri)
            opened.append(conn)
            # The product's remote listing: one getAllDomainStats, nothing per domain.
            domains[uri] = len(inventory.list_domains(conn, False, False))
        except libvirt.libvirtError as exc:
            failed[uri] = str(exc)
            return
        listed[uri] = time.monotonic() - start

    start = time.monotonic()
    threads = [threading.Thread(target=one, args=(uri,)) for uri in uris]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    emit(
        "RESULT",
        {
            "imports_s": round(start - T0, 3),
            "listed_s": sorted(round(v, 3) for v in listed.values()),
            "domains": sum(domains.values()),
            "failed": failed,
        },
    )
    # The parent counts the link's round trips until listed: closing (one
    # more call) waits until it has, when it closes our standard input.
    sys.stdin.read()
    for conn in opened:
        conn.close()
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
