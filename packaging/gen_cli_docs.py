#!/usr/bin/env python3
"""Write kvmdesk's man pages and shell completions from its argparse parsers.

    PYTHONPATH=. python3 packaging/gen_cli_docs.py OUTDIR

writes OUTDIR/kvmdesk.1, kvmdesk-check.1, kvmdesk-screenshot.1 (roff) and
kvmdesk-askpass.1 (it has no options),
OUTDIR/kvmdesk.bash (bash-completion) and OUTDIR/_kvmdesk (zsh). The RPM
and Debian builds run it, so the pages always say what ``--help`` says.
SOURCE_DATE_EPOCH, when set, dates the pages (reproducible builds).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Command:
    page: str  # man page name: kvmdesk, kvmdesk-check, ...
    words: tuple[str, ...]  # how it is typed: ("kvmdesk", "check")
    parser: argparse.ArgumentParser
    summary: str


def commands() -> list[Command]:
    from kvmdesk.__main__ import gui_parser
    from kvmdesk.cli import check, screenshot

    return [
        Command(
            "kvmdesk", ("kvmdesk",), gui_parser(), "desktop manager for KVM/QEMU virtual machines"
        ),
        Command(
            "kvmdesk-check",
            ("kvmdesk", "check"),
            check.parser(),
            "check that a host can run virtual machines",
        ),
        Command(
            "kvmdesk-screenshot",
            ("kvmdesk", "screenshot"),
            screenshot.build_parser(),
            "save screenshots of virtual machines' displays",
        ),
    ]


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = parser._get_formatter()
    return formatter._expand_help(action) if action.help else ""


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.help is not argparse.SUPPRESS]


def roff(text: str) -> str:
    """Plain text as roff: backslashes, hyphens, and lines that start with . or '."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line if line[:1] in ".'" else line) for line in text.splitlines())


def _metavar(action: argparse.Action) -> str:
    if action.nargs == 0:
        return ""
    metavar = action.metavar or action.dest.upper()
    return metavar if isinstance(metavar, str) else " ".join(metavar)


def man_page(cmd: Command, version: str, date: str) -> str:
    parser = cmd.parser
    lines = [
        f'.TH {cmd.page.upper()} 1 "{date}" "kvmdesk {version}" "User Commands"',
        ".SH NAME",
        f"{roff(cmd.page)} \\- {roff(cmd.summary)}",
        ".SH SYNOPSIS",
        f".B {roff(' '.join(cmd.words))}",
        "[\\fIOPTIONS\\fR]"
        + "".join(
            f" [\\fI{roff(_metavar(a))}\\fR ...]" for a in _options(parser) if not a.option_strings
        ),
        ".SH DESCRIPTION",
        roff(parser.description or ""),
        ".SH OPTIONS",
    ]
    for action in _options(parser):
        metavar = _metavar(action)
        if action.option_strings:
            names = ", ".join(f"\\fB{roff(o)}\\fR" for o in action.option_strings)
            head = names + (f" \\fI{roff(metavar)}\\fR" if metavar else "")
        else:
            head = f"\\fI{roff(metavar)}\\fR"
        lines += [".TP", head, roff(_help(parser, action))]
    if parser.epilog:
        lines += [".SH NOTES", roff(parser.epilog)]
    others = [f"\\fB{c.page}\\fR(1)" for c in commands() if c.page != cmd.page]
    lines += [".SH SEE ALSO", ", ".join([*others, "\\fBvirsh\\fR(1)", "\\fBvirt\\-manager\\fR(1)"])]
    return "\n".join(lines) + "\n"


def askpass_page(version: str, date: str) -> str:
    """kvmdesk-askpass takes no options, only the prompt ssh gives it."""
    return (
        "\n".join(
            [
                f'.TH KVMDESK\\-ASKPASS 1 "{date}" "kvmdesk {version}" "User Commands"',
                ".SH NAME",
                "kvmdesk\\-askpass \\- ask for an SSH password or host key confirmation",
                ".SH SYNOPSIS",
                ".B kvmdesk\\-askpass",
                "\\fIPROMPT\\fR",
                ".SH DESCRIPTION",
                "The program \\fBssh\\fR(1) runs as \\fBSSH_ASKPASS\\fR when \\fBkvmdesk\\fR(1)",
                "opens a remote host: it shows \\fIPROMPT\\fR as plain text, asks for a password,",
                "a passphrase or the confirmation of an unknown host key, and writes the answer",
                "to standard output. Cancelling exits with a non\\-zero status.",
                "kvmdesk sets \\fBSSH_ASKPASS\\fR to it unless the user chose another program.",
                ".SH SEE ALSO",
                "\\fBkvmdesk\\fR(1), \\fBssh\\fR(1)",
            ]
        )
        + "\n"
    )


def _words(parser: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """(every option string, those that take a file or directory)."""
    options, files = [], []
    for action in _options(parser):
        options += action.option_strings
        if action.option_strings and _metavar(action) in ("FILE", "DIR", "FILE|DIR"):
            files += action.option_strings
    return options, files


def bash_completion(cmds: list[Command]) -> str:
    main = cmds[0]
    subs = [c for c in cmds[1:]]
    main_opts, main_files = _words(main.parser)
    lines = [
        "# bash completion for kvmdesk (generated from its argument parsers)",
        "_kvmdesk() {",
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
        '    local sub="" opts files',
        '    [ "$COMP_CWORD" -gt 1 ] && sub=${COMP_WORDS[1]}',
        '    case "$sub" in',
    ]
    for cmd in subs:
        opts, files = _words(cmd.parser)
        lines += [
            f"    {cmd.words[-1]})",
            f'        opts="{" ".join(opts)}"; files="{" ".join(files)}" ;;',
        ]
    lines += [
        "    *)",
        f'        opts="{" ".join(main_opts)} {" ".join(c.words[-1] for c in subs)}"',
        f'        files="{" ".join(main_files)}" ;;',
        "    esac",
        '    if [[ " $files " == *" $prev "* ]]; then',
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "        return",
        "    fi",
        '    COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
        "}",
        "complete -F _kvmdesk kvmdesk",
    ]
    return "\n".join(lines) + "\n"


def _zsh_spec(parser: argparse.ArgumentParser, action: argparse.Action) -> list[str]:
    text = _help(parser, action).replace("'", "'\\''").replace("[", "(").replace("]", ")")
    text = text.replace(":", "\\:")
    metavar = _metavar(action)
    value = ""
    if metavar:
        value = f":{metavar}:_files" if metavar in ("FILE", "DIR", "FILE|DIR") else f":{metavar}: "
    if not action.option_strings:
        return [f"'*:{metavar}: '"]
    return [f"'{option}[{text}]{value}'" for option in action.option_strings]


def zsh_completion(cmds: list[Command]) -> str:
    lines = [
        "#compdef kvmdesk",
        "# zsh completion for kvmdesk (generated from its argument parsers)",
        "",
    ]
    for cmd in cmds:
        name = "_kvmdesk_" + (cmd.words[-1] if len(cmd.words) > 1 else "gui")
        specs = [s for a in _options(cmd.parser) for s in _zsh_spec(cmd.parser, a)]
        lines += [f"{name}() {{", "    _arguments -s \\"]
        lines += [f"        {spec} \\" for spec in specs]
        lines[-1] = lines[-1].removesuffix(" \\")
        lines += ["}", ""]
    subs = " ".join(c.words[-1] for c in cmds[1:])
    lines += [
        "_kvmdesk() {",
        "    if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then",
        f"        _values 'command' {subs}",
        "        return",
        "    fi",
        "    case $words[2] in",
    ]
    for cmd in cmds[1:]:
        sub = cmd.words[-1]
        lines += [f"    {sub}) shift words; (( CURRENT-- )); _kvmdesk_{sub} ;;"]
    lines += ["    *) _kvmdesk_gui ;;", "    esac", "}", "", '_kvmdesk "$@"']
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    from kvmdesk.version import kvmdesk_version

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now().timestamp()))
    date = datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%d")
    version = kvmdesk_version()
    cmds = commands()
    for cmd in cmds:
        (out / f"{cmd.page}.1").write_text(man_page(cmd, version, date), encoding="utf-8")
    (out / "kvmdesk-askpass.1").write_text(askpass_page(version, date), encoding="utf-8")
    (out / "kvmdesk.bash").write_text(bash_completion(cmds), encoding="utf-8")
    (out / "_kvmdesk").write_text(zsh_completion(cmds), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
