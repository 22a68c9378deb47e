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
    parser.add_argument("--demo", action="store_true", help="also open the bundled demo host")
    parser.add_argument(
        "--config", metavar="FILE", type=Path, help="settings file to use instead of the default"
    )
    parser.add_argument("--debug", action="store_true", help="log debug messages to the terminal")
    return parser


# Subcommand name -> module under kvmdesk.cli with a ``main(argv) -> int``.
SUBCOMMANDS = {
    "check": "kvmdesk.cli.check",
    "screenshot": "kvmdesk.cli.screenshot",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        import importlib

        module = importlib.import_module(SUBCOMMANDS[argv[0]])
        return int(module.main(argv[1:]))
    args = gui_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from kvmdesk.app import run_gui

    return run_gui(args.connect, demo=args.demo, config=args.config)


if __name__ == "__main__":
    sys.exit(main())
