"""Command line: the GUI by default, as virt-manager's options suggest."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kvmdesk",
        description="Desktop manager for KVM/QEMU virtual machines.",
        epilog="Headless commands: kvmdesk check --help, kvmdesk screenshot --help",
    )
    parser.add_argument(
        "-c",
        "--connect",
        metavar="URI",
        action="append",
        default=[],
        help="connect to this libvirt URI (repeatable), e.g. qemu:///system",
    )
    parser.add_argument(
        "--allow-unsafe-uri",
        action="store_true",
        help="accept --connect URIs that run programs, read files or skip host checks",
    )
    parser.add_argument("--demo", action="store_true", help="also open the bundled demo host")
    parser.add_argument(
        "--config", metavar="FILE", type=Path, help="settings file to use instead of the default"
    )
    parser.add_argument("--debug", action="store_true", help="log debug messages to the terminal")
    show = parser.add_mutually_exclusive_group()
    show.add_argument(
        "--show-domain-console",
        metavar="NAME",
        help="open the console of this virtual machine (name or UUID); needs --connect",
    )
    show.add_argument(
        "--show-domain-creator",
        action="store_true",
        help="open the New Virtual Machine wizard; needs --connect",
    )
    show.add_argument(
        "--show-host-summary",
        action="store_true",
        help="open the host's Connection Details window; needs --connect",
    )
    return parser


# Subcommand name -> module under kvmdesk.cli with a ``main(argv) -> int``.
SUBCOMMANDS = {
    "askpass": "kvmdesk.cli.askpass",
    "check": "kvmdesk.cli.check",
    "screenshot": "kvmdesk.cli.screenshot",
}


def _connect_uris_ok(uris: list[str], allow_unsafe: bool) -> bool:
    """Check every --connect URI before the window opens; say why on stderr if not.

    The opener checks them again when they are opened; this only makes a
    refused URI a usage error before any window appears.
    """
    from kvmdesk.virt.opener import UriRefusedError, checked, refusal_text, unsafe_warning_text

    for uri in uris:
        problem = checked(uri, allow_unsafe)
        if problem is not None:
            print(f"kvmdesk: {refusal_text(UriRefusedError(uri, problem))}", file=sys.stderr)
            return False
        warning = unsafe_warning_text(uri)
        if warning:
            print(f"kvmdesk: warning: {warning}", file=sys.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        module = importlib.import_module(SUBCOMMANDS[argv[0]])
        return int(module.main(argv[1:]))
    parser = gui_parser()
    args = parser.parse_args(argv)
    show = _startup_view(args)
    if show is not None and not args.connect:
        parser.error(f"--{show[0]} needs --connect URI")
    if not _connect_uris_ok(args.connect, args.allow_unsafe_uri):
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from kvmdesk.app import run_gui

    startup = None
    if show is not None:
        from kvmdesk.ui.main.startup import StartupView, View

        # As in virt-manager, the view is opened on the (last) --connect URI.
        startup = StartupView(View(show[1]), args.connect[-1], args.show_domain_console or "")
    return run_gui(
        args.connect,
        allow_unsafe=args.allow_unsafe_uri,
        demo=args.demo,
        config=args.config,
        startup=startup,
    )


def _startup_view(args: argparse.Namespace) -> tuple[str, str] | None:
    """(option name, view) of the --show-* option given, if any."""
    if args.show_domain_console is not None:
        return "show-domain-console", "console"
    if args.show_domain_creator:
        return "show-domain-creator", "creator"
    if args.show_host_summary:
        return "show-host-summary", "host"
    return None


if __name__ == "__main__":
    sys.exit(main())
