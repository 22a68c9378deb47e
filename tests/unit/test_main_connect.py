"""``kvmdesk -c URI`` refuses malformed and unsafe URIs before libvirt sees them."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Any

import pytest

import kvmdesk.app
from kvmdesk.__main__ import main


@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Replace the GUI with a recorder: these tests are about the command line."""
    calls: list[tuple[Any, ...]] = []

    def fake_run_gui(uris: list[str], **kwargs: Any) -> int:
        calls.append((list(uris), kwargs))
        return 0

    monkeypatch.setattr(kvmdesk.app, "run_gui", fake_run_gui)
    return calls


@pytest.fixture
def ssh_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``ssh`` first on PATH that would log its argv; the log must never appear."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    script = bin_dir / "ssh"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(log)!r}, 'a') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "sys.exit(255)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path('/usr/bin')}:{Path('/bin')}")
    return log


def _bad_uris(sentinel: Path) -> list[str]:
    return [
        f"qemu+ssh://-oProxyCommand=touch%20{sentinel}/system",
        f"qemu+ssh://-oProxyCommand=touch {sentinel}/system",
        f"qemu+ssh://x@-oProxyCommand=touch%20{sentinel}/system",
        f"qemu+ssh://-oProxyCommand=touch%20{sentinel}@host/system",
        "qemu+ssh://host;id/system",
        "qemu+ssh://$(id)/system",
        "qemu+ssh://host/system\n",
        "qemu+ssh://ex\u0430mple.com/system",
        "qemu+ssh://host:70000/system",
        "qemu+ssh://[fe80::1%25eth0]/system",
        "qemu+bogus://host/system",
    ]


UNSAFE = [
    "qemu+ssh://host.example/system?command={sentinel_cmd}",
    "qemu+ext:///system?command={sentinel_cmd}",
    "qemu+ssh://host.example/system?no_verify=1",
    "qemu+libssh://host.example/system?known_hosts_verify=ignore",
    "qemu+ssh://host.example/system?keyfile=/etc/shadow",
    "qemu+ssh://host.example/system?authfile=/etc/shadow",
]


@pytest.mark.parametrize("index", range(len(_bad_uris(Path("/x")))))
def test_malformed_uri_is_refused_before_libvirt(
    index: int,
    tmp_path: Path,
    ssh_log: Path,
    gui_calls: list[tuple[Any, ...]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    sentinel = tmp_path / "PWN"
    uri = _bad_uris(sentinel)[index]
    for argv in (["-c", uri], ["-c", uri, "--allow-unsafe-uri"], ["--connect", uri]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.endswith("\n") and err.count("\n") == 1, err
        assert err.startswith("kvmdesk: refused URI")
    assert gui_calls == []
    assert not ssh_log.exists()
    assert not sentinel.exists()


@pytest.mark.parametrize("template", UNSAFE)
def test_unsafe_uri_needs_the_flag(
    template: str,
    tmp_path: Path,
    ssh_log: Path,
    gui_calls: list[tuple[Any, ...]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    uri = template.format(sentinel_cmd=tmp_path / "evil")
    assert main(["-c", "qemu:///system", "-c", uri]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err and "--allow-unsafe-uri" in err
    assert gui_calls == []
    assert not ssh_log.exists()

    assert main(["-c", uri, "--allow-unsafe-uri"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kvmdesk: warning: unsafe URI")
    assert gui_calls == [
        (
            [uri],
            {"allow_unsafe": True, "demo": False, "config": None, "startup": None, "qt_args": []},
        )
    ]


def test_good_uris_reach_the_gui_quietly(
    gui_calls: list[tuple[Any, ...]], capsys: pytest.CaptureFixture[str]
) -> None:
    uris = ["qemu:///system", "qemu+ssh://root@host.example:2222/system", "test:///default"]
    argv = [a for uri in uris for a in ("-c", uri)]
    assert main([*argv, "--demo"]) == 0
    assert capsys.readouterr().err == ""
    assert gui_calls == [
        (
            uris,
            {"allow_unsafe": False, "demo": True, "config": None, "startup": None, "qt_args": []},
        )
    ]


def test_no_connect_option_is_fine(gui_calls: list[tuple[Any, ...]]) -> None:
    assert main([]) == 0
    assert gui_calls == [
        ([], {"allow_unsafe": False, "demo": False, "config": None, "startup": None, "qt_args": []})
    ]
