"""Command lines: exact shell round trips for hostile names, secrets kept out of URIs."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from kvmdesk.virt import virsh_commands as vc
from kvmdesk.virt.commands import Command, Note, here_document, safe_uri, script, virsh
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.pool_types import PoolSpec

HOSTILE = [
    "web 01",
    "it's",
    'say "hi"',
    "$HOME",
    "`reboot`",
    "$(rm -rf /)",
    "line\nbreak",
    "-rf",
    "--domain",
    "back\\slash",
    "tab\there",
    "*?[glob]",
    "semi;colon && or || pipe |",
    "émoji ✓",
    "",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_every_name_round_trips_through_the_shell_exactly(name: str) -> None:
    for command in (
        vc.lifecycle("qemu:///system", Verb.SHUTDOWN, name),
        vc.undefine("qemu:///system", name, nvram=True),
        vc.vol_create_as("qemu:///system", name, name, 1024, "raw"),
        vc.pool_create("qemu:///system", PoolSpec("dir", name, target=f"/srv/{name}")),
    ):
        lines = command.text().split("\n") if "\n" not in name else None
        if lines is not None:
            assert [tuple(shlex.split(line)) for line in lines] == list(command.lines)
        # A name with a newline spans lines: the whole text still splits exactly.
        assert shlex.split(command.text()) == [a for argv in command.lines for a in argv]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_real_shell_passes_the_exact_arguments(name: str) -> None:
    """sh itself, not only shlex: printf shows what the shell handed on."""
    command = vc.lifecycle("qemu:///system", Verb.RUN, name)
    line = command.text().replace("virsh", "printf '%s\\0'", 1)
    done = subprocess.run(["sh", "-c", line], capture_output=True, check=True)
    assert done.stdout.split(b"\0")[:-1] == [a.encode() for a in command.lines[0][1:]]


def test_a_name_that_looks_like_an_option_follows_the_option_that_takes_it() -> None:
    argv = vc.lifecycle("qemu:///system", Verb.FORCE_OFF, "-rf").lines[0]
    assert argv == ("virsh", "-c", "qemu:///system", "destroy", "--domain", "-rf")
    argv = vc.vol_delete("qemu:///system", "-p", "-v").lines[0]
    assert argv[3:] == ("vol-delete", "--vol", "-v", "--pool", "-p")


def test_lifecycle_words_are_virsh_s() -> None:
    words = {v: vc.lifecycle("test:///default", v, "d").lines[0][3:] for v in Verb}
    assert words[Verb.RUN] == ("start", "--domain", "d")
    assert words[Verb.PAUSE] == ("suspend", "--domain", "d")
    assert words[Verb.FORCE_OFF] == ("destroy", "--domain", "d")
    assert words[Verb.SAVE] == ("managedsave", "--domain", "d")
    assert words[Verb.AUTOSTART_OFF] == ("autostart", "--domain", "d", "--disable")


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("qemu+ssh://admin:hunter2@host/system", "qemu+ssh://admin@host/system"),
        ("qemu+tcp://:pw@host/system", "qemu+tcp://host/system"),
        (
            "qemu+ssh://u@h/system?keyfile=/k&password=s3cret&no_tty=1",
            "qemu+ssh://u@h/system?keyfile=/k&no_tty=1",
        ),
        ("esx://h/?auth_token=xyz", "esx://h/"),
        ("qemu+ssh://u@h/system?Passphrase=x", "qemu+ssh://u@h/system"),
    ],
)
def test_passwords_and_secrets_never_reach_the_command(uri: str, shown: str) -> None:
    assert safe_uri(uri) == (shown, True)
    command = virsh(uri, "list")
    assert command.lines[0][2] == shown
    assert Note.SECRET_REMOVED in command.notes
    for secret in (":hunter2", ":pw@", "s3cret", "xyz", "Passphrase"):
        assert secret not in command.script()


@pytest.mark.parametrize(
    "uri", ["qemu:///system", "qemu+ssh://admin@host:2222/system?no_tty=1", "test:///default"]
)
def test_uris_without_secrets_are_left_as_they_are(uri: str) -> None:
    assert safe_uri(uri) == (uri, False)
    assert Note.SECRET_REMOVED not in virsh(uri, "list").notes


def test_here_document_ends_with_a_word_the_content_does_not_hold(tmp_path: Path) -> None:
    content = "<domain>\nKVMDESK_EOF\n$HOME `x`\n</domain>"
    text = here_document("it's.xml", content)
    done = subprocess.run(
        ["sh", "-c", text + '\ncat "it\'s.xml"'],
        capture_output=True,
        check=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.stdout == content + "\n"


def test_a_script_stops_at_the_first_failure() -> None:
    ok = Command((("true",),))
    bad = Command((("false",),))
    after = Command((("echo", "after"),))
    text = script([ok, bad, after])
    assert text.startswith("#!/bin/sh\nset -e\n")
    done = subprocess.run(["sh", "-c", text], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "after" not in done.stdout


def test_define_of_an_edited_definition_writes_its_file_first() -> None:
    command = vc.edited("qemu:///system", "a/b $x", "<domain><name>a</name></domain>")
    assert command.lines[0][3:] == ("define", "--file", "a_b_x.xml", "--validate")
    assert {Note.FILE, Note.NO_SINGLE_COMMAND} <= command.notes
    assert command.script().startswith("cat > a_b_x.xml <<'KVMDESK_EOF'\n<domain>")


def test_undefine_says_what_goes_with_the_definition() -> None:
    argv = vc.undefine(
        "qemu:///system", "vm", managed_save=True, snapshots=True, checkpoints=True, nvram=False
    ).lines[0]
    assert argv[3:] == (
        "undefine",
        "--domain",
        "vm",
        "--managed-save",
        "--snapshots-metadata",
        "--checkpoints-metadata",
        "--keep-nvram",
    )
    assert vc.undefine("qemu:///system", "vm").lines[0][3:] == ("undefine", "--domain", "vm")


def test_the_viewer_line_ends_its_options_and_hides_the_password() -> None:
    command = vc.virt_viewer("qemu+ssh://admin:pw@host/system", "-odd")
    assert command.lines == (
        ("virt-viewer", "--connect", "qemu+ssh://admin@host/system", "--", "-odd"),
    )
    assert Note.SECRET_REMOVED in command.notes


def test_send_key_is_one_stroke_of_linux_key_codes() -> None:
    assert vc.send_key("qemu:///system", "web", (29, 56, 111)).lines[0][3:] == (
        "send-key", "--domain", "web", "--codeset", "linux", "29", "56", "111",
    )  # fmt: skip
    assert "--holdtime" in vc.send_key("qemu:///system", "web", (30,), 30).lines[0]
