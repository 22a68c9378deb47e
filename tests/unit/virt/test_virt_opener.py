"""One opener: every URI is checked before libvirt sees it, whoever opens it.

The check itself is tested in test_virt_uri.py; these tests make sure that
nothing gets past it: no module but ``virt/opener.py`` calls libvirt's
open functions, and the headless commands refuse what the GUI refuses.
"""

from __future__ import annotations

import ast
import stat
import sys
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.cli import check as cli_check
from kvmdesk.cli import screenshot as cli_screenshot
from kvmdesk.virt import opener
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.opener import UriRefusedError, open_uri

PACKAGE = Path(__file__).resolve().parents[3] / "kvmdesk"
OPENERS = {"open", "openAuth", "openReadOnly"}


def _calls_libvirt_open(path: Path) -> list[str]:
    """Every way ``path`` reaches a libvirt open function, as "line: what"."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in OPENERS:
            if isinstance(node.value, ast.Name) and node.value.id == "libvirt":
                found.append(f"{node.lineno}: libvirt.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "libvirt":
            for alias in node.names:
                if alias.name in OPENERS or alias.name == "*":
                    found.append(f"{node.lineno}: from libvirt import {alias.name}")
        elif isinstance(node, ast.Constant) and node.value in OPENERS:
            # getattr(libvirt, "open") and the like
            parent_calls = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id == "getattr"
                and node in n.args
            ]
            if parent_calls:
                found.append(f"{node.lineno}: getattr(..., {node.value!r})")
    return found


def test_only_the_opener_calls_libvirt_open() -> None:
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "virt" / "opener.py":
            continue
        offences += [f"{path.relative_to(PACKAGE)}:{hit}" for hit in _calls_libvirt_open(path)]
    assert not offences, "only kvmdesk/virt/opener.py may open a URI:\n" + "\n".join(offences)


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import libvirt\n"
        "from libvirt import openReadOnly\n"
        "libvirt.open('x')\n"
        "libvirt.openAuth('x', [], 0)\n"
        "getattr(libvirt, 'open')('x')\n"
    )
    assert [hit.split(":")[0] for hit in _calls_libvirt_open(sample)] == ["2", "3", "4", "5"]


@pytest.fixture
def libvirt_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record libvirt's open functions instead of opening anything."""
    calls: list[tuple[str, str]] = []

    def recorder(name: str) -> Any:
        def record(uri: str, *_args: Any) -> Any:
            calls.append((name, uri))
            raise libvirt.libvirtError("recorded, not opened")

        return record

    for name in OPENERS:
        monkeypatch.setattr(libvirt, name, recorder(name))
    return calls


# What an outside review got past the command-line tools, and why each is refused.
HOSTILE = [
    "qemu+ext:///system?command=/tmp/prog",
    "qemu+ssh://host.example/system?%63ommand=/tmp/prog",
    "qemu+ssh://host.example/system?COMMAND=/tmp/prog",
    "qemu+ssh://host.example/system?CoMmAnD=/tmp/prog",
    "qemu+ssh://host.example/system?netcat=/tmp/prog",
    "qemu+ssh://host.example/system?%6Eetcat=/tmp/prog",
    "qemu+ssh://host.example/system?no_verify=1",
    "qemu+ssh://host.example/system?NO_VERIFY=%31",
    "qemu+libssh://host.example/system?known_hosts_verify=ignore",
    "qemu+ssh://host.example/system?authfile=/etc/shadow",
    "qemu+ssh://host.example/system?Authfile=/etc/shadow",
]
MALFORMED = [
    "qemu+ssh://host.example/system?socket=/a&socket=/b",
    "qemu+ssh://host.example/system?socket=/a&%73ocket=/b",
    "qemu+ssh://host.example/system?Socket=/a&SOCKET=/b",
    "qemu+ssh://host.example/system?socket=/a;command=/tmp/prog",
    "qemu+ssh://host.example/system?socket=$(touch%20/tmp/x)",
    "qemu+ssh://host.example/system?socket=%24(id)",
    "qemu+ssh://host.example/system?socket=/a%0a",
    "",
]


@pytest.mark.parametrize("uri", HOSTILE)
def test_unsafe_uris_need_consent(uri: str, libvirt_calls: list[tuple[str, str]]) -> None:
    for read_only in (False, True):
        with pytest.raises(UriRefusedError) as refused:
            open_uri(uri, read_only=read_only)
        assert refused.value.needs_consent
        assert classify(refused.value).kind is ErrorKind.UNSAFE_URI
    assert libvirt_calls == []
    with pytest.raises(libvirt.libvirtError):
        open_uri(uri, allow_unsafe=True)  # consent: now libvirt is asked
    assert libvirt_calls == [("open", uri)]


@pytest.mark.parametrize("uri", MALFORMED)
def test_malformed_uris_are_refused_even_with_consent(
    uri: str, libvirt_calls: list[tuple[str, str]]
) -> None:
    for allow in (False, True):
        with pytest.raises(UriRefusedError) as refused:
            open_uri(uri, allow_unsafe=allow, ask=lambda creds: False)
        assert not refused.value.needs_consent
        assert classify(refused.value).kind is ErrorKind.BAD_URI
    assert libvirt_calls == []


def test_a_safe_uri_opens(libvirt_calls: list[tuple[str, str]]) -> None:
    for kwargs, name in (
        ({}, "open"),
        ({"read_only": True}, "openReadOnly"),
        ({"ask": lambda creds: False}, "openAuth"),
    ):
        with pytest.raises(libvirt.libvirtError):
            open_uri("qemu+ssh://admin@host.example:2222/system?socket=/run/x", **kwargs)
        assert libvirt_calls[-1][0] == name


def test_default_uri_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIBVIRT_DEFAULT_URI", HOSTILE[0])
    assert opener.default_uri() == HOSTILE[0]
    monkeypatch.delenv("LIBVIRT_DEFAULT_URI")
    assert opener.default_uri() in ("qemu:///system", "qemu:///session")


# -- the headless commands, with a program that would leave a mark -----------


@pytest.fixture
def sentinel(tmp_path: Path) -> tuple[Path, Path]:
    """(a program that creates a file, that file); the file must never appear."""
    mark = tmp_path / "PWNED"
    prog = tmp_path / "prog"
    prog.write_text(f"#!{sys.executable}\nopen({str(mark)!r}, 'w').close()\n")
    prog.chmod(prog.stat().st_mode | stat.S_IXUSR)
    return prog, mark


def _ext_uris(prog: Path) -> list[str]:
    return [
        f"qemu+ext:///system?command={prog}",
        f"qemu+ext:///system?%63ommand={prog}",
        f"qemu+ext:///system?COMMAND={prog}",
        f"qemu+ext:///system?command={prog}&command={prog}",
        f"qemu+ext:///system?no_tty=1;command={prog}",
    ]


def test_screenshot_command_refuses_unsafe_uris(
    sentinel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prog, mark = sentinel
    for uri in _ext_uris(prog):
        assert cli_screenshot.main(["-c", uri, "dom", "-o", f"{tmp_path}/"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kvmdesk screenshot: refused URI"), err
        assert err.count("\n") == 1
    assert not mark.exists()


def test_screenshot_command_refuses_an_unsafe_default(
    sentinel: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prog, mark = sentinel
    monkeypatch.setenv("LIBVIRT_DEFAULT_URI", f"qemu+ext:///system?command={prog}")
    assert cli_screenshot.main(["dom", "-o", f"{tmp_path}/"]) == 2
    assert "refused URI" in capsys.readouterr().err
    assert not mark.exists()


def test_check_command_refuses_unsafe_uris(
    sentinel: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    prog, mark = sentinel
    for uri in _ext_uris(prog):
        assert cli_check.main(["-c", uri]) == 2
        captured = capsys.readouterr()
        assert captured.err.startswith("kvmdesk check: refused URI"), captured.err
        assert captured.out == ""
    assert not mark.exists()


def test_allow_unsafe_uri_is_the_opt_in_of_every_command(
    sentinel: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the flag the program does run: the refusal above is the check, not chance."""
    prog, mark = sentinel
    uri = f"qemu+ext:///system?command={prog}"
    code = cli_screenshot.main(["-c", uri, "--allow-unsafe-uri", "dom", "-o", f"{tmp_path}/"])
    err = capsys.readouterr().err
    assert code == 1 and "warning: unsafe URI" in err
    assert mark.exists()
    mark.unlink()
    cli_check.main(["-c", uri, "--allow-unsafe-uri"])
    capsys.readouterr()
    assert mark.exists()
