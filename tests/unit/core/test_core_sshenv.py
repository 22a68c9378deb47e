"""SSH_ASKPASS for the ssh libvirt starts."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from kvmdesk.core.sshenv import ASKPASS_NAME, askpass_program, configure_askpass


def _fake_install(tmp_path: Path, with_askpass: bool = True) -> str:
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    python.write_text("")
    if with_askpass:
        script = python.with_name(ASKPASS_NAME)
        script.write_text("#!/bin/sh\n")
        script.chmod(0o755)
    return str(python)


def test_sets_askpass_when_unset(tmp_path: Path) -> None:
    python = _fake_install(tmp_path)
    env = {"DISPLAY": ":0"}
    program = configure_askpass(env, python)
    assert program == tmp_path / "bin" / ASKPASS_NAME
    assert env["SSH_ASKPASS"] == str(program)
    assert env["SSH_ASKPASS_REQUIRE"] == "force"
    assert env["DISPLAY"] == ":0"


def test_respects_users_askpass(tmp_path: Path) -> None:
    python = _fake_install(tmp_path)
    env = {"SSH_ASKPASS": "/usr/bin/ksshaskpass", "DISPLAY": ":0"}
    assert configure_askpass(env, python) is None
    assert env == {"SSH_ASKPASS": "/usr/bin/ksshaskpass", "DISPLAY": ":0"}


def test_missing_script_leaves_env_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    python = _fake_install(tmp_path, with_askpass=False)
    env: dict[str, str] = {}
    with caplog.at_level(logging.DEBUG, logger="kvmdesk.core.sshenv"):
        assert configure_askpass(env, python) is None
    assert env == {}
    assert ASKPASS_NAME in caplog.text


def test_not_executable_is_ignored(tmp_path: Path) -> None:
    python = _fake_install(tmp_path)
    (tmp_path / "bin" / ASKPASS_NAME).chmod(0o644)
    assert askpass_program(python) is None


def test_defaults_to_process_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _fake_install(tmp_path)
    for name in ("SSH_ASKPASS", "SSH_ASKPASS_REQUIRE"):  # recorded, so restored afterwards
        monkeypatch.setenv(name, "x")
        monkeypatch.delenv(name)
    configure_askpass(executable=python)
    assert os.environ["SSH_ASKPASS"] == str(tmp_path / "bin" / ASKPASS_NAME)
