"""No prompt storm: a passphrase-protected key with password fallback, on a real sshd.

ssh asks for the key's passphrase three times, then for the password three
times. Answered wrongly, or cancelled, the connection attempt fails once
and is not tried again by itself, whatever libvirt makes of ssh's words.
The askpass program here answers from a script and chatters on standard
error, as kvmdesk-askpass once did (Qt's locale warning); kvmdesk's
wrapper in front of it (``core/askpass_log.py``) keeps that from libvirt
and notes each question.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core.askpass_log import AskpassLog, watch_askpass
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.virt.errors import ErrorKind

try:
    from .conftest_ssh import SshBed
    from .sshbed import _start_sshd, _stop, key_host_block
except ImportError:
    from conftest_ssh import SshBed  # type: ignore[no-redef]
    from sshbed import _start_sshd, _stop, key_host_block  # type: ignore[no-redef]

pytestmark = pytest.mark.integration

PASSPHRASE = "right horse battery"
ALIAS = "kvmdesk-test-fallback"
Run = Callable[..., Any]


@pytest.fixture
def fallback_host(
    ssh_bed: SshBed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., tuple[AskpassLog, Path]]]:
    """An sshd that takes a passphrase-protected key or a password, and a
    Host alias for it. Yields ``use_askpass(body)``: the askpass program
    (a shell body) behind kvmdesk's wrapper; returns (notes, its own log)."""
    key = tmp_path / "locked_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "locked", "-f", str(key)],
        check=True,
        capture_output=True,
    )
    root = Path(tempfile.mkdtemp(prefix="kvmdesk-ssh-fallback-"))
    for name in ("host_ed25519", "host_ed25519.pub"):
        shutil.copy(ssh_bed.root / name, root / name)
    (root / "host_ed25519").chmod(0o600)
    shutil.copy(key.with_suffix(".pub"), root / "authorized_keys")
    # The password is root's, which nobody here knows: every answer is wrong.
    proc, port = _start_sshd(
        root,
        (
            "PasswordAuthentication yes",
            "PermitRootLogin yes",
            "KbdInteractiveAuthentication no",
            "MaxAuthTries 10",
        ),
    )
    config = tmp_path / "ssh_config"
    config.write_text(
        key_host_block(
            ALIAS,
            port,
            key,
            ssh_bed.known_hosts,
            ("PreferredAuthentications publickey,password",),
        )
    )
    real_ssh = shutil.which("ssh", path="/usr/bin:/bin") or "ssh"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ssh"
    wrapper.write_text(
        f'#!/bin/sh\nexec {shlex.quote(real_ssh)} -F {shlex.quote(str(config))} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
    monkeypatch.setenv("DISPLAY", ":42")
    made: list[AskpassLog] = []

    def use_askpass(body: str, noise_to: str = "&2") -> tuple[AskpassLog, Path]:
        asked = tmp_path / "asked.log"
        program = tmp_path / "askpass"
        program.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "$1" >> {shlex.quote(str(asked))}\n'
            # What Qt used to print in the C locale, at every start.
            'printf \'Detected locale "C" with character encoding "ANSI_X3.4-1968", '
            f"which is not UTF-8. %0180d\\n' 0 >{noise_to}\n"
            f"{body}\n"
        )
        program.chmod(0o755)
        env: dict[str, str] = {"SSH_ASKPASS": str(program)}
        notes = watch_askpass(env, str(tmp_path))
        assert notes is not None
        made.append(notes)
        monkeypatch.setenv("SSH_ASKPASS", env["SSH_ASKPASS"])
        return notes, asked

    yield use_askpass
    for notes in made:
        notes.close()
    _stop(proc)
    shutil.rmtree(root, ignore_errors=True)


def _one_failed_attempt(run: Run, notes: AskpassLog) -> Connection:
    conn = Connection(
        f"qemu+ssh://{ALIAS}/system",
        timing=Timing(backoff_start=0.3, backoff_max=0.6),
        askpass=notes,
    )
    assert not run(conn.open_and_wait())
    run(asyncio.sleep(3.0))  # several backoff steps, were it retried
    return conn


def _ssh_processes(notes: AskpassLog) -> set[str]:
    """The ssh processes that asked (each note starts with the asking ssh's pid)."""
    return {line.split()[0] for line in notes.notes.read_text().splitlines() if line.strip()}


@pytest.mark.parametrize(
    "noise_to",
    [
        "&2",  # the askpass's own standard error: the wrapper discards it
        # Straight into ssh's standard error, past the wrapper: libvirt's
        # buffer overflows and it says "Cannot recv data: Value too large
        # for defined data type"; the notes still tell what happened.
        "/proc/$PPID/fd/2",
    ],
)
def test_wrong_passphrase_then_wrong_password_is_one_attempt(
    fallback_host: Callable[..., tuple[AskpassLog, Path]], run: Run, noise_to: str
) -> None:
    notes, asked = fallback_host("echo 'wrong answer 0123'", noise_to)
    conn = _one_failed_attempt(run, notes)
    try:
        prompts = asked.read_text().splitlines()
        assert [("passphrase" in p.lower(), "password" in p.lower()) for p in prompts] == [
            (True, False)
        ] * 3 + [(False, True)] * 3, prompts
        assert conn.prompts_last_attempt == 6
        assert len(_ssh_processes(notes)) == 1  # one attempt, no retry
        assert conn.failure is not None and conn.failure.kind is ErrorKind.AUTH_FAILED
        assert conn.state is ConnState.DISCONNECTED
        if noise_to != "&2":
            assert "Permission denied" not in conn.failure.message, conn.failure
    finally:
        run(conn.shutdown())


def test_cancel_is_one_attempt(
    fallback_host: Callable[[str], tuple[AskpassLog, Path]], run: Run
) -> None:
    notes, asked = fallback_host("exit 1")  # the user pressed Cancel, every time
    conn = _one_failed_attempt(run, notes)
    try:
        prompts = asked.read_text().splitlines()
        assert prompts and conn.prompts_last_attempt == len(prompts)
        assert len(_ssh_processes(notes)) == 1
        assert conn.failure is not None
        assert conn.failure.kind in (ErrorKind.AUTH_FAILED, ErrorKind.AUTH_CANCELLED)
        assert conn.state is ConnState.DISCONNECTED
    finally:
        run(conn.shutdown())
