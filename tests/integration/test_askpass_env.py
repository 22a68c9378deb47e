"""What reaches the ``ssh`` that libvirt starts for a ``+ssh`` URI.

libvirt hands ssh a cleaned environment (a fixed list of variables), runs it
without a terminal, and ssh then asks its questions through ``SSH_ASKPASS``
when ``DISPLAY`` is set. These tests pin both facts down, which kvmdesk's
``core/sshenv.py`` relies on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
from pathlib import Path
from typing import Any

import libvirt
import pytest

pytestmark = pytest.mark.integration

PASSED = ("SSH_ASKPASS", "DISPLAY", "XAUTHORITY", "SSH_AUTH_SOCK")


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _open_fails(uri: str) -> None:
    with pytest.raises(libvirt.libvirtError):
        libvirt.open(uri)


def _env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep:
            env[name] = value
    return env


def test_askpass_variables_reach_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump = tmp_path / "env.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _script(bin_dir / "ssh", f"env > {shlex.quote(str(dump))}\nexit 255\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
    monkeypatch.setenv("SSH_ASKPASS", "/opt/kvmdesk/bin/kvmdesk-askpass")
    monkeypatch.setenv("SSH_ASKPASS_REQUIRE", "force")
    monkeypatch.setenv("DISPLAY", ":42")
    monkeypatch.setenv("XAUTHORITY", str(tmp_path / "Xauthority"))
    monkeypatch.setenv("SSH_AUTH_SOCK", str(tmp_path / "agent.sock"))
    monkeypatch.setenv("KVMDESK_NOT_PASSED", "1")

    _open_fails("qemu+ssh://askpass-env-test/system")

    env = _env_file(dump)
    assert env["SSH_ASKPASS"] == "/opt/kvmdesk/bin/kvmdesk-askpass"
    assert env["DISPLAY"] == ":42"
    assert env["XAUTHORITY"] == str(tmp_path / "Xauthority")
    assert env["SSH_AUTH_SOCK"] == str(tmp_path / "agent.sock")
    # The environment is a cleaned one, not ours.
    assert "KVMDESK_NOT_PASSED" not in env


def test_ssh_under_libvirt_asks_host_key_through_askpass(
    ssh_bed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No terminal and DISPLAY set: ssh runs SSH_ASKPASS, even without SSH_ASKPASS_REQUIRE."""
    real_ssh = shutil.which("ssh", path="/usr/bin:/bin") or "ssh"
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text("")
    config = tmp_path / "ssh_config"
    config.write_text(
        "\n".join(
            [
                "Host askpass-test",
                "  HostName 127.0.0.1",
                f"  Port {ssh_bed.port}",
                "  User root",
                f"  IdentityFile {ssh_bed.user_key}",
                "  IdentitiesOnly yes",
                f"  UserKnownHostsFile {known_hosts}",
                "  GlobalKnownHostsFile /dev/null",
                "  StrictHostKeyChecking ask",
                "  BatchMode no",
                "  ConnectTimeout 10",
                "",
            ]
        )
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _script(bin_dir / "ssh", f'exec {shlex.quote(real_ssh)} -F {shlex.quote(str(config))} "$@"\n')
    asked = tmp_path / "asked.txt"
    askpass = _script(
        tmp_path / "askpass",
        f'printf "%s" "$1" > {shlex.quote(str(asked))}\nexit 1\n',  # the user cancels
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}")
    monkeypatch.setenv("SSH_ASKPASS", str(askpass))
    monkeypatch.delenv("SSH_ASKPASS_REQUIRE", raising=False)
    monkeypatch.setenv("DISPLAY", ":42")

    _open_fails("qemu+ssh://askpass-test/system")

    prompt = asked.read_text()
    assert "continue connecting (yes/no" in prompt
    assert "fingerprint is SHA256:" in prompt
    assert known_hosts.read_text() == ""  # cancelled: nothing was trusted
