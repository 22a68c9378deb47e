"""Command line: the GUI by default, as virt-manager's options suggest."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kvmdesk.ui.main.startup_request import StartupView, View
from kvmdesk.version import kvmdesk_version

# Qt's own command-line options (QGuiApplication and QApplication), handed
# to Qt untouched as virt-manager hands GTK its own. Qt accepts "-opt",
# "--opt", "-opt value" and "-opt=value"; True means the option takes a value.
QT_OPTIONS = {
    "style": True,
    "stylesheet": True,
    "platform": True,
    "platformpluginpath": True,
    "platformtheme": True,
    "plugin": True,
    "qwindowgeometry": True,
    "qwindowicon": True,
    "qwindowtitle": True,
    "session": True,
    "display": True,
    "geometry": True,
    "reverse": False,
    "widgetcount": False,
    "nograb": False,
    "dograb": False,
    "sync": False,
}


def split_qt_options(argv: list[str]) -> tuple[list[str], list[str]]:
    """(kvmdesk's arguments, Qt's arguments) from one command line."""
    ours: list[str] = []
    qt: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            ours.append(arg)
            ours.extend(args)
            break
        name = arg.lstrip("-").partition("=")[0]
        if not arg.startswith("-") or arg.startswith("---") or name not in QT_OPTIONS:
            ours.append(arg)
            continue
        qt.append(arg)
        if QT_OPTIONS[name] and "=" not in arg:
            value = next(args, None)
            if value is not None:
                qt.append(value)
    return ours, qt


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kvmdesk",
        description="Desktop manager for KVM/QEMU virtual machines.",
        epilog=(
            "Headless commands: kvmdesk check --help, kvmdesk screenshot --help. "
            "Qt's own options (-style NAME, -platform NAME, -reverse, -stylesheet FILE, "
            "-qwindowgeometry WxH+X+Y, -display DISPLAY, ...) are passed to Qt."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {kvmdesk_version()}")
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
    parser.add_argument(
        "--no-fork",
        action="store_true",
        help="accepted as virt-manager accepts it; kvmdesk always stays in the foreground",
    )
    show = parser.add_mutually_exclusive_group()
    for view, what in (
        (View.CONSOLE, "the console of this virtual machine"),
        (View.EDITOR, "this virtual machine's details (virt-manager's editor)"),
        (View.PERFORMANCE, "this virtual machine's details (virt-manager's performance view)"),
        (View.SNAPSHOTS, "the snapshots of this virtual machine"),
        (View.DELETE, "the Delete dialog for this virtual machine"),
    ):
        show.add_argument(
            f"--{view.value}",
            metavar="DOMAIN",
            help=f"open {what}; DOMAIN is a name, ID or UUID; needs --connect",
        )
    show.add_argument(
        f"--{View.CREATOR.value}",
        action="store_true",
        help="open the New Virtual Machine wizard; needs --connect",
    )
    show.add_argument(
        f"--{View.HOST.value}",
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
    argv, qt_args = split_qt_options(argv)
    parser = gui_parser()
    args = parser.parse_args(argv)
    startup = startup_view(args)
    if startup is not None and not args.connect:
        parser.error(f"--{startup.view.value} needs --connect URI")
    if not _connect_uris_ok(args.connect, args.allow_unsafe_uri):
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from kvmdesk.app import run_gui

    return run_gui(
        args.connect,
        allow_unsafe=args.allow_unsafe_uri,
        demo=args.demo,
        config=args.config,
        startup=startup,
        qt_args=qt_args,
    )


def startup_view(args: argparse.Namespace) -> StartupView | None:
    """The ``--show-*`` request, opened on the (last) --connect URI as in virt-manager."""
    uri = args.connect[-1] if args.connect else ""
    for view in View:
        value = getattr(args, view.value.replace("-", "_"))
        if value is True:
            return StartupView(view, uri)
        if isinstance(value, str):
            return StartupView(view, uri, value)
    return None


if __name__ == "__main__":
    sys.exit(main())
