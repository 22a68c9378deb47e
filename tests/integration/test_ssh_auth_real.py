"""Key passphrases asked through SSH_ASKPASS by the ssh that libvirt starts.

The user key here has a passphrase; an askpass program (a script standing
in for ``kvmdesk-askpass``) answers wrongly, or cancels. The connection must
fail quietly with "authentication failed", not ask again and again through
the reconnect backoff, and the passphrase must end up nowhere on disk or in
the log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.timing import Timing
from kvmdesk.virt.errors import ErrorKind

try:
    from .conftest_ssh import SshBed
    from .sshbed import key_host_block
except ImportError:
    from conftest_ssh import SshBed  # type: ignore[no-redef]
    from sshbed import key_host_block  # type: ignore[no-redef]

pytestmark = pytest.mark.integration

PASSPHRASE = "right horse battery"
WRONG = "wrong-passphrase-0123"


@pytest.fixture
def locked_key_host(ssh_bed: SshBed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Host alias whose only key has a passphrase; returns (alias, askpass log, askpass)."""
    key = tmp_path / "locked_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "locked", "-f", str(key)],
        check=True,
        capture_output=True,
    )
    authorized = ssh_bed.root / "authorized_keys"
    original = authorized.read_text()
    authorized.write_text(original + key.with_suffix(".pub").read_text())
    config = tmp_path / "ssh_config"
    alias = "kvmdesk-test-locked"
    config.write_text(key_host_block(alias, ssh_bed.port, key, ssh_bed.known_hosts))
    real_ssh = shutil.which("ssh", path="/usr/bin:/bin") or "ssh"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ssh"
    wrapper.write_text(
        f'#!/bin/sh\nexec {shlex.quote(real_ssh)} -F {shlex.quote(str(config))} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
    monkeypatch.setenv("SSH_ASKPASS_REQUIRE", "force")
    monkeypatch.setenv("DISPLAY", ":42")
    asked = tmp_path / "asked.log"

    def askpass(body: str) -> None:
        script = tmp_path / "askpass"
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> {shlex.quote(str(asked))}\n{body}\n')
        script.chmod(0o755)
        monkeypatch.setenv("SSH_ASKPASS", str(script))

    yield alias, asked, askpass
    authorized.write_text(original)


def _connect_and_fail(alias: str, run: Any) -> Connection:
    conn = Connection(
        f"qemu+ssh://{alias}/system", timing=Timing(backoff_start=0.2, backoff_max=0.5)
    )
    assert not run(conn.open_and_wait())
    run(asyncio.sleep(1.5))  # several backoff steps, were it retried
    return conn


def _assert_nothing_stored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for secret in (PASSPHRASE, WRONG):
        assert secret not in caplog.text
        for path in tmp_path.rglob("*"):
            if path.is_file() and path.name not in ("askpass", "asked.log"):
                assert secret.encode() not in path.read_bytes(), path


def test_wrong_passphrase_three_times_fails_quietly(
    locked_key_host: Any, run: Any, wait_until: Any, tmp_path: Path, caplog: Any
) -> None:
    alias, asked, askpass = locked_key_host
    askpass(f"echo '{WRONG}'")
    caplog.set_level(logging.DEBUG)
    conn = _connect_and_fail(alias, run)
    try:
        assert conn.failure is not None and conn.failure.kind is ErrorKind.AUTH_FAILED
        assert conn.state is ConnState.DISCONNECTED  # not retried: no prompt storm
        prompts = asked.read_text().splitlines()
        assert len(prompts) == 3, prompts  # ssh's three tries, one connection attempt
        assert all("passphrase" in p.lower() for p in prompts)
        _assert_nothing_stored(tmp_path, caplog)
    finally:
        run(conn.shutdown())


def test_cancel_at_the_askpass_fails_quietly(
    locked_key_host: Any, run: Any, wait_until: Any, tmp_path: Path, caplog: Any
) -> None:
    alias, asked, askpass = locked_key_host
    askpass("exit 1")  # the user pressed Cancel
    caplog.set_level(logging.DEBUG)
    conn = _connect_and_fail(alias, run)
    try:
        assert conn.failure is not None and conn.failure.kind is ErrorKind.AUTH_FAILED
        assert conn.state is ConnState.DISCONNECTED
        assert len(asked.read_text().splitlines()) == 1  # asked once, no retry
        _assert_nothing_stored(tmp_path, caplog)
    finally:
        run(conn.shutdown())


def test_right_passphrase_connects(locked_key_host: Any, run: Any) -> None:
    alias, asked, askpass = locked_key_host
    askpass(f"echo '{PASSPHRASE}'")
    conn = Connection(f"qemu+ssh://{alias}/system")
    try:
        assert run(conn.open_and_wait()), conn.failure
        assert len(asked.read_text().splitlines()) == 1
    finally:
        run(conn.shutdown())
