"""A failed attempt that asked the user something is never retried by itself.

libvirt runs an ``ssh`` that here is a script: it asks through
``SSH_ASKPASS`` as a real ssh would, then fails with words that do not
read as an authentication failure (what libvirt said when askpass's own
messages overflowed its buffer for ssh's standard error).
"""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core.askpass_log import AskpassLog, watch_askpass
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.virt.errors import ErrorKind

Run = Callable[..., Any]


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def noisy_askpass(tmp_path: Path) -> tuple[Path, Path]:
    """(an askpass that answers wrongly and chatters on standard error, its own log)."""
    asked = tmp_path / "asked.log"
    program = _script(
        tmp_path / "fake-askpass",
        f'echo "$1" >> {asked}\n'
        "printf 'Detected locale C with character encoding ANSI_X3.4-1968 %0200d' 0 >&2\n"
        "echo wrong-answer\n",
    )
    return program, asked


def test_the_wrapper_notes_which_ssh_asked_and_nothing_else(
    tmp_path: Path, noisy_askpass: tuple[Path, Path]
) -> None:
    program, _asked = noisy_askpass
    (tmp_path / "notes-dir").mkdir()
    notes = AskpassLog(tmp_path / "notes-dir", str(program))
    assert stat.S_IMODE(notes.wrapper.stat().st_mode) == 0o700
    mark = notes.mark()
    # The parent stands in for ssh: its arguments name the host.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; r = subprocess.run(sys.argv[1:2] + ['pw:'],"
            " capture_output=True); sys.stdout.buffer.write(r.stdout);"
            " sys.stderr.buffer.write(r.stderr)",
            str(notes.wrapper),
            "-l",
            "admin",
            "host.example",
        ],
        capture_output=True,
        check=True,
    )
    assert result.stdout == b"wrong-answer\n"  # the answer goes to ssh, and only there
    assert result.stderr == b""  # the chatter does not
    assert notes.prompts_since(mark, "host.example") == 1
    assert notes.prompts_since(mark, "other.example") == 0
    assert notes.prompts_since(notes.mark(), "host.example") == 0
    assert b"wrong-answer" not in notes.notes.read_bytes()
    notes.close()
    assert not notes.directory.exists()


def test_watch_wraps_whatever_askpass_is_set(tmp_path: Path) -> None:
    env = {"SSH_ASKPASS": "/usr/bin/ksshaskpass"}
    notes = watch_askpass(env, str(tmp_path))
    assert notes is not None
    assert env["SSH_ASKPASS"] == str(notes.wrapper)
    assert "/usr/bin/ksshaskpass" in notes.wrapper.read_text()
    assert watch_askpass({}, str(tmp_path)) is None
    notes.close()


@pytest.fixture
def fake_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], Path]:
    """Put an ``ssh`` first on PATH that (maybe) asks once, then fails without
    saying "Permission denied"; returns the file it logs its runs to."""

    def make(asks: bool) -> Path:
        runs = tmp_path / "ssh-runs.log"
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        ask = '"$SSH_ASKPASS" "admin@host.example\'s password:" > /dev/null\n' if asks else ""
        _script(bin_dir / "ssh", f'echo run >> {runs}\n{ask}echo "Value too large" >&2\nexit 255\n')
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
        monkeypatch.setenv("DISPLAY", ":42")
        return runs

    return make


def _attempt(run: Run, notes: AskpassLog) -> Connection:
    conn = Connection(
        "qemu+ssh://admin@host.example/system",
        timing=Timing(backoff_start=0.2, backoff_max=0.4),
        askpass=notes,
    )
    assert not run(conn.open_and_wait())
    run(asyncio.sleep(1.2))  # several backoff steps, were it retried
    return conn


async def _until(condition: Callable[[], bool], limit: float = 20.0) -> None:
    """Wait until ``condition`` holds: on a loaded machine the retry comes late."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        assert loop.time() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.1)


def test_a_failed_attempt_that_asked_is_an_authentication_failure(
    tmp_path: Path,
    noisy_askpass: tuple[Path, Path],
    fake_ssh: Callable[[bool], Path],
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
) -> None:
    program, asked = noisy_askpass
    runs = fake_ssh(True)
    notes = watch_askpass({"SSH_ASKPASS": str(program)}, str(tmp_path))
    assert notes is not None
    monkeypatch.setenv("SSH_ASKPASS", str(notes.wrapper))
    conn = _attempt(run, notes)
    try:
        assert conn.failure is not None
        assert conn.failure.kind is ErrorKind.AUTH_FAILED, conn.failure
        assert conn.state is ConnState.DISCONNECTED
        assert conn.prompts_last_attempt == 1
        assert runs.read_text().splitlines() == ["run"]  # one attempt, no retry
        assert len(asked.read_text().splitlines()) == 1
    finally:
        run(conn.shutdown())
        notes.close()


def test_a_failed_attempt_that_asked_nothing_is_retried(
    tmp_path: Path,
    noisy_askpass: tuple[Path, Path],
    fake_ssh: Callable[[bool], Path],
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
) -> None:
    program, _asked = noisy_askpass
    runs = fake_ssh(False)
    notes = watch_askpass({"SSH_ASKPASS": str(program)}, str(tmp_path))
    assert notes is not None
    monkeypatch.setenv("SSH_ASKPASS", str(notes.wrapper))
    conn = _attempt(run, notes)
    try:
        assert conn.prompts_last_attempt == 0
        assert conn.failure is not None and conn.failure.kind is not ErrorKind.AUTH_FAILED
        run(_until(lambda: len(runs.read_text().splitlines()) > 1))  # a dropped link is tried again
    finally:
        run(conn.shutdown())
        notes.close()
