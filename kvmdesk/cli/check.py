"""``kvmdesk check [-c URI]``: can this host run virtual machines, and how fast?

One line per check (PASS, WARN or FAIL, where the fact comes from, what it
means), an indented "→" line with what to do under every check that did not
pass, then a summary. The exit status is the verdict: 0 every essential
check passed, 1 guests can run but with a warning, 2 no guest can run.

No Qt is imported, so the command starts fast and runs without a display.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from typing import TextIO

from kvmdesk.virt import hostcheck
from kvmdesk.virt.errors import silence_stderr_printing
from kvmdesk.virt.hostcheck import Report, Status
from kvmdesk.virt.opener import UNSAFE_URI_OPTION, UriRefusedError, refusal_text

ADVICE_INDENT = " " * 6


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kvmdesk check",
        description=(
            "Check that a host can run virtual machines: hardware virtualization, /dev/kvm,"
            " KVM modules, what libvirt offers (kvm, emulation), nested virtualization, NX,"
            " IOMMU and vhost-net. For a remote URI only what libvirt reports is used."
        ),
        epilog="Exit status: 0 all essential checks pass, 1 guests can run with a warning,"
        " 2 no guest can run (or the URI was refused).",
    )
    p.add_argument(
        "-c",
        "--connect",
        metavar="URI",
        default=hostcheck.DEFAULT_URI,
        help=f"libvirt URI to check (default: {hostcheck.DEFAULT_URI})",
    )
    p.add_argument(
        UNSAFE_URI_OPTION,
        action="store_true",
        help="accept a URI that runs programs, reads files or skips host checks",
    )
    return p


def render(report: Report) -> list[str]:
    """The report as text lines (no trailing newlines)."""
    where = "remote host" if report.remote else "this machine"
    lines = [f"Checking {report.uri} ({where})"]
    for check in report.checks:
        optional = "" if check.essential else ", optional"
        lines.append(
            f"{check.status.name:<4}  {check.title} (from {check.source.value}{optional}):"
            f" {check.meaning}"
        )
        if check.status is not Status.PASS:
            lines.extend(f"{ADVICE_INDENT}→ {advice}" for advice in check.advice)
    lines.extend(f"Not checked: {note}" for note in report.not_checked)
    verdict = report.verdict
    lines.append(
        f"Summary: {Status(int(verdict)).name} (exit status {int(verdict)}): {report.summary}"
    )
    return lines


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    out = sys.stdout if out is None else out
    silence_stderr_printing()
    try:
        conn, error = hostcheck.open_connection(args.connect, args.allow_unsafe_uri)
    except UriRefusedError as exc:
        print(f"kvmdesk check: {refusal_text(exc)}", file=sys.stderr)
        return 2
    try:
        facts = hostcheck.gather(conn, args.connect, error)
    finally:
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
    report = hostcheck.evaluate(facts)
    for line in render(report):
        print(line, file=out)
    return int(report.verdict)
