"""The man pages and shell completions say what ``--help`` says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OPTION = re.compile(r"(?<![\w\\/-])(--?[A-Za-z][\w-]*)")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-docs")
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "gen_cli_docs.py"), str(out)],
        check=True,
        env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"},
    )
    return out


def help_options(words: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "kvmdesk", *words, "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    options_part = done.stdout.split("options:", 1)[1]
    body = options_part.split("\n\n")[0]  # the options list, not the epilog's prose
    found = set()
    for line in body.splitlines():
        if line.startswith("  -"):  # "  -c URI, --connect URI   help text"
            found.update(OPTION.findall(line.strip().split("  ")[0]))
    return found


@pytest.mark.parametrize(
    ("page", "words"),
    [("kvmdesk", []), ("kvmdesk-check", ["check"]), ("kvmdesk-screenshot", ["screenshot"])],
)
def test_man_page_lists_every_option_of_help(docs: Path, page: str, words: list[str]) -> None:
    text = (docs / f"{page}.1").read_text(encoding="utf-8").replace("\\-", "-")
    assert text.startswith(f'.TH {page.upper()} 1 "2023-11-14"')
    in_help = help_options(words)
    assert "--help" in in_help and len(in_help) > 2
    section = text.split(".SH OPTIONS")[1].split(".SH")[0]
    listed = set()
    for line in section.splitlines():
        if line.startswith("\\fB"):  # the .TP head: \fB-c\fR, \fB--connect\fR \fIURI\fR
            listed.update(OPTION.findall(line.replace("\\fB", " ").replace("\\fR", " ")))
    assert listed == in_help


def test_man_pages_are_valid_roff(docs: Path) -> None:
    if shutil.which("man") is None:
        pytest.skip("man is not installed")
    for page in docs.glob("*.1"):
        done = subprocess.run(
            ["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(page)],
            capture_output=True,
            text=True,
            env={"LC_ALL": "C.UTF-8", "MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
            check=False,
        )
        assert done.returncode == 0 and not done.stderr, (page, done.stderr)


def test_completions_offer_every_option(docs: Path) -> None:
    bash = (docs / "kvmdesk.bash").read_text(encoding="utf-8")
    zsh = (docs / "_kvmdesk").read_text(encoding="utf-8")
    subprocess.run(["bash", "-n", str(docs / "kvmdesk.bash")], check=True)
    for words in ([], ["check"], ["screenshot"]):
        for option in help_options(words):
            assert f" {option}" in bash or f'"{option}' in bash, option
            assert f"'{option}[" in zsh, option
    assert "complete -F _kvmdesk kvmdesk" in bash and zsh.startswith("#compdef kvmdesk")
