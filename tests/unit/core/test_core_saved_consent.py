"""Saved connections are checked again whenever they are restored and opened.

A URI once saved with consent (or written into the settings file by
anyone) must not run its program again at the next start without a word.
"""

from __future__ import annotations

import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core.connection import ConnState
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.virt.errors import ErrorKind

Run = Callable[..., Any]
DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def sentinel(tmp_path: Path) -> tuple[Path, Path]:
    """(a program that creates a file, that file): the file must not appear."""
    mark = tmp_path / "PWNED"
    prog = tmp_path / "prog"
    prog.write_text(f"#!{sys.executable}\nopen({str(mark)!r}, 'w').close()\n")
    prog.chmod(prog.stat().st_mode | stat.S_IXUSR)
    return prog, mark


@pytest.fixture
def unsafe_test_uri(tmp_path: Path) -> str:
    """A test-driver host behind a parameter the check calls unsafe (and the
    test driver ignores), so that a consented open really connects."""
    copy = tmp_path / "two-domains.xml"
    shutil.copy(DATA / "two-domains.xml", copy)
    return f"test://{copy}?no_verify=1"


async def _settle(conn: Any) -> None:
    import asyncio

    for _ in range(200):
        if conn.state not in (ConnState.CONNECTING,):
            break
        await asyncio.sleep(0.01)


def test_a_saved_unsafe_uri_is_not_opened_at_start(
    tmp_path: Path,
    sentinel: tuple[Path, Path],
    make_manager: Callable[[Settings], ConnectionManager],
    run: Run,
) -> None:
    prog, mark = sentinel
    uri = f"qemu+ext:///system?command={prog}"
    settings = Settings(tmp_path / "kvmdesk.ini")
    settings.set_connections([SavedConnection(uri, autoconnect=True)])

    mgr = make_manager(settings)
    mgr.restore()
    conn = mgr.find(uri)
    assert conn is not None
    run(_settle(conn))
    assert conn.state is ConnState.DISCONNECTED
    assert conn.failure is not None and conn.failure.kind is ErrorKind.UNSAFE_URI
    assert "command=" in conn.failure.message  # the row can say what it does
    assert conn.needs_consent
    assert not mark.exists()
    # Trying again without consent changes nothing.
    conn.open()
    run(_settle(conn))
    assert conn.state is ConnState.DISCONNECTED and not mark.exists()
    # It stays in the list, unchanged, for the user to decide.
    assert Settings(tmp_path / "kvmdesk.ini").connections() == [SavedConnection(uri, True)]


def test_consent_for_this_start_only(
    tmp_path: Path,
    unsafe_test_uri: str,
    make_manager: Callable[[Settings], ConnectionManager],
    run: Run,
) -> None:
    settings = Settings(tmp_path / "kvmdesk.ini")
    settings.set_connections([SavedConnection(unsafe_test_uri, autoconnect=True)])
    first = make_manager(settings)
    first.restore()
    conn = first.find(unsafe_test_uri)
    assert conn is not None
    run(_settle(conn))
    assert conn.needs_consent and conn.state is ConnState.DISCONNECTED

    conn.give_consent(remember=False)
    assert not conn.needs_consent
    assert run(conn.open_and_wait())
    assert len(conn.domains) == 2
    first.save()

    # The next start asks again.
    second = make_manager(Settings(tmp_path / "kvmdesk.ini"))
    second.restore()
    again = second.find(unsafe_test_uri)
    assert again is not None
    run(_settle(again))
    assert again.needs_consent and again.state is ConnState.DISCONNECTED


def test_remembered_consent_opens_at_the_next_start(
    tmp_path: Path,
    unsafe_test_uri: str,
    make_manager: Callable[[Settings], ConnectionManager],
    run: Run,
) -> None:
    settings = Settings(tmp_path / "kvmdesk.ini")
    first = make_manager(settings)
    conn = first.add(unsafe_test_uri, allow_unsafe=True, remember_consent=True)
    assert run(conn.open_and_wait())
    assert Settings(tmp_path / "kvmdesk.ini").connections() == [
        SavedConnection(unsafe_test_uri, True, consent=True)
    ]

    second = make_manager(Settings(tmp_path / "kvmdesk.ini"))
    second.restore()
    again = second.find(unsafe_test_uri)
    assert again is not None and not again.needs_consent
    run(_settle(again))
    assert again.state is ConnState.CONNECTED


def test_consent_belongs_to_the_exact_uri(
    tmp_path: Path, unsafe_test_uri: str, sentinel: tuple[Path, Path]
) -> None:
    """A URI changed in the file keeps no consent given to the old one."""
    prog, _mark = sentinel
    path = tmp_path / "kvmdesk.ini"
    Settings(path).set_connections([SavedConnection(unsafe_test_uri, True, consent=True)])
    text = path.read_text()
    edited = text.replace('uri="test:', f'uri="qemu+ext:///system?command={prog}&x=test:', 1)
    assert edited != text
    path.write_text(edited)
    (item,) = Settings(path).connections() or []
    assert item.uri.startswith("qemu+ext:") and not item.consent


def test_command_line_consent_is_for_this_start(
    tmp_path: Path,
    unsafe_test_uri: str,
    make_manager: Callable[[Settings], ConnectionManager],
    run: Run,
) -> None:
    """``-c URI --allow-unsafe-uri`` opens it now and saves it without consent."""
    first = make_manager(Settings(tmp_path / "kvmdesk.ini"))
    first.restore([unsafe_test_uri], allow_unsafe=True)
    conn = first.find(unsafe_test_uri)
    assert conn is not None
    run(_settle(conn))
    assert conn.state is ConnState.CONNECTED
    assert Settings(tmp_path / "kvmdesk.ini").connections() == [
        SavedConnection(unsafe_test_uri, True, consent=False)
    ]
    second = make_manager(Settings(tmp_path / "kvmdesk.ini"))
    second.restore()
    again = second.find(unsafe_test_uri)
    assert again is not None
    run(_settle(again))
    assert again.needs_consent and again.state is ConnState.DISCONNECTED
