"""``kvmdesk screenshot``: save PNG screenshots of virtual machines' displays.

    kvmdesk screenshot -c qemu:///system web1 db1
    kvmdesk screenshot -c qemu:///system --all -o shots/
    kvmdesk screenshot -c qemu:///system web1 -o web1.png
    kvmdesk screenshot web1 --delay 5 --count 10 --interval 60

Each PNG has the screen's native resolution and carries text chunks naming
the domain, its UUID, the connection URI and the capture time (see
``kvmdesk.virt.screenshot``). Written paths go to stdout, one per line; every
failure is one line on stderr and makes the exit status 1 (2 for a usage
error). No Qt is imported.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kvmdesk.virt.screenshot.naming import DEFAULT_TEMPLATE as NAME_TEMPLATE
from kvmdesk.virt.screenshot.naming import (
    NameParts,
    connection_label,
    render,
    sanitize,
    write_new,
)

__all__ = ["NAME_TEMPLATE", "build_parser", "connection_label", "main", "sanitize"]

PROG = "kvmdesk screenshot"


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _positive(text: str) -> float:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _screen(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Save screenshots of virtual machines' displays as PNG files.",
        epilog=(
            "Without -o, or with -o DIR, files are named "
            f"{NAME_TEMPLATE} in local time, "
            "with -N added for --count above 1; existing files are never overwritten. "
            "-o FILE takes exactly one DOMAIN and one shot. "
            "Exit status: 0 when every screenshot was written, 1 on any failure, 2 on a "
            "usage error."
        ),
    )
    parser.add_argument(
        "-c",
        "--connect",
        metavar="URI",
        help="libvirt URI, e.g. qemu:///system (default: $LIBVIRT_DEFAULT_URI, else "
        "qemu:///system as root and qemu:///session otherwise)",
    )
    parser.add_argument(
        "--allow-unsafe-uri",
        action="store_true",
        help="accept a URI that runs programs, reads files or skips host checks",
    )
    parser.add_argument("domains", nargs="*", metavar="DOMAIN", help="domain name or UUID")
    parser.add_argument("--all", action="store_true", help="every running domain")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="file to write, or directory for the files (default: current directory); "
        "a path ending in / is a directory and is created if missing",
    )
    parser.add_argument(
        "--delay", metavar="S", type=_non_negative, default=0.0, help="wait S seconds first"
    )
    parser.add_argument(
        "--count", metavar="N", type=_count, default=1, help="take N shots of each domain"
    )
    parser.add_argument(
        "--interval",
        metavar="S",
        type=_non_negative,
        default=1.0,
        help="seconds between shots with --count (default: 1)",
    )
    parser.add_argument(
        "--screen", metavar="N", type=_screen, default=0, help="screen (video head) number"
    )
    parser.add_argument(
        "--timeout",
        metavar="S",
        type=_positive,
        default=10.0,
        help="give up on a screenshot after S seconds (default: 10)",
    )
    return parser


# ------------------------------------------------------------- file names
# (shared with the window's "Capture all": kvmdesk.virt.screenshot.naming)


@dataclass(frozen=True)
class Output:
    path: Path
    is_dir: bool


def _plan_output(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Output:
    if args.output is None:
        return Output(Path.cwd(), True)
    raw: str = args.output
    path = Path(raw)
    if path.is_dir() or raw.endswith(("/", os.sep)):
        return Output(path, True)
    if args.all or len(args.domains) != 1 or args.count != 1:
        parser.error(
            f"-o {raw}: a file takes exactly one DOMAIN and one shot; "
            "give a directory (an existing one, or a path ending in /)"
        )
    return Output(path, False)


def _write_replace(path: Path, data: bytes) -> Path:
    """Write ``path`` atomically (a complete file or none), replacing it."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


# ------------------------------------------------------------------- main


def _say(what: str, message: object) -> None:
    text = " ".join(str(message).split())
    print(f"{PROG}: {what}: {text}" if what else f"{PROG}: {text}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.all and args.domains:
        parser.error("give DOMAIN names or --all, not both")
    if not args.all and not args.domains:
        parser.error("give at least one DOMAIN, or --all")
    output = _plan_output(args, parser)
    try:
        return _run(args, output)
    except KeyboardInterrupt:
        _say("", "interrupted")
        return 130


def _run(args: argparse.Namespace, output: Output) -> int:
    import libvirt

    from kvmdesk.virt import screenshot as shots
    from kvmdesk.virt.errors import silence_stderr_printing
    from kvmdesk.virt.opener import (
        UriRefusedError,
        default_uri,
        open_uri,
        refusal_text,
        unsafe_warning_text,
    )

    if output.is_dir:
        try:
            output.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _say(str(output.path), f"cannot create the directory: {exc.strerror or exc}")
            return 1
    elif not output.path.parent.is_dir():
        _say(str(output.path), "the directory for this file does not exist")
        return 1

    silence_stderr_printing()
    where = args.connect or default_uri()
    warning = unsafe_warning_text(where) if args.allow_unsafe_uri else ""
    if warning:
        _say("warning", warning)
    try:
        conn = open_uri(where, allow_unsafe=args.allow_unsafe_uri)
    except UriRefusedError as exc:
        _say("", refusal_text(exc))
        return 2
    except libvirt.libvirtError as exc:
        _say("", f"cannot connect to {where}: {exc.get_error_message() or exc}")
        return 1
    if conn is None:  # pragma: no cover - old bindings returned None
        _say("", f"cannot connect to {where}")
        return 1
    try:
        try:
            uri = str(conn.getURI())
        except libvirt.libvirtError:
            uri = args.connect or ""
        failed = False
        targets: list[shots.DomainRef] = []
        if args.all:
            try:
                targets = shots.running_domains(conn)
            except shots.ScreenshotError as exc:
                _say(uri, exc)
                return 1
            if not targets:
                _say(uri, "no virtual machine is running")
                return 1
        else:
            for key in args.domains:
                try:
                    ref = shots.find_domain(conn, key)
                except shots.ScreenshotError as exc:
                    _say(key, exc)
                    failed = True
                    continue
                if not ref.active:
                    _say(key, "The virtual machine is not running.")
                    failed = True
                    continue
                if all(t.uuid != ref.uuid for t in targets):
                    targets.append(ref)
        if not targets:
            return 1

        if args.delay:
            time.sleep(args.delay)
        for n in range(1, args.count + 1):
            if n > 1 and args.interval:
                time.sleep(args.interval)
            for ref in targets:
                try:
                    shot = shots.capture(conn, ref.uuid, args.screen, timeout=args.timeout)
                    image = shots.decode(shot.data, shot.mime)
                    png = shots.to_png(image, shots.screenshot_metadata(shot, uri))
                except shots.ScreenshotError as exc:
                    _say(ref.name, exc)
                    failed = True
                    continue
                try:
                    if output.is_dir:
                        parts = NameParts(uri, ref.name, ref.uuid, shot.taken_at)
                        name = render(NAME_TEMPLATE, parts)
                        if args.count > 1:
                            name = f"{name[:-4]}-{n}.png"
                        path = write_new(output.path, name, png)
                    else:
                        path = _write_replace(output.path, png)
                except OSError as exc:
                    target = exc.filename or output.path
                    _say(str(target), f"cannot write: {exc.strerror or exc}")
                    failed = True
                    continue
                print(path, flush=True)
        return 1 if failed else 0
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            conn.close()
