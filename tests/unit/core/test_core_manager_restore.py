"""Restoring a fleet of saved connections at start: a few per loop turn, the
saved list left as it is, and never cut short by a change meanwhile."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from kvmdesk.core.connection import ConnState
from kvmdesk.core.manager import RESTORE_PER_TURN
from kvmdesk.core.settings import SavedConnection, Settings

Run = Callable[..., Any]
Until = Callable[..., Coroutine[Any, Any, None]]
DATA = Path(__file__).resolve().parents[2] / "data"
HOSTS = 3 * RESTORE_PER_TURN + 2


def _fleet(tmp_path: Path, count: int = HOSTS, autoconnect: bool = False) -> list[SavedConnection]:
    """``count`` test-driver hosts of their own (two domains each)."""
    saved = []
    for i in range(count):
        path = tmp_path / f"host-{i:02d}.xml"
        shutil.copy(DATA / "two-domains.xml", path)
        saved.append(SavedConnection(f"test://{path}", autoconnect))
    return saved


def _file_state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_fleet_is_added_a_few_per_turn_in_saved_order(
    settings: Settings, make_manager: Any, run: Run, tmp_path: Path
) -> None:
    saved = _fleet(tmp_path)
    settings.set_connections(saved)
    ini = tmp_path / "kvmdesk.ini"
    before = _file_state(ini)
    mgr = make_manager(settings)
    added: list[str] = []
    mgr.connectionAdded.connect(lambda conn: added.append(conn.uri))

    async def body() -> None:
        mgr.restore()
        assert added == [s.uri for s in saved[:RESTORE_PER_TURN]]  # the rest in later turns
        await mgr.restored()

    run(body())
    assert [c.uri for c in mgr.connections] == added == [s.uri for s in saved]
    assert all(c.state is ConnState.DISCONNECTED for c in mgr.connections)  # not autoconnect
    # Nothing new: the file is not written again (it was, once per host).
    assert _file_state(ini) == before
    assert settings.connections() == saved


def test_every_autoconnect_host_of_a_fleet_opens(
    settings: Settings, make_manager: Any, run: Run, until: Until, tmp_path: Path
) -> None:
    saved = _fleet(tmp_path, autoconnect=True)
    settings.set_connections(saved)
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore()
        await mgr.restored()
        await until(
            lambda: all(c.is_connected and len(c.domains) == 2 for c in mgr.connections),
            what="every restored host listed",
        )

    run(body())
    assert len(mgr.connections) == HOSTS


def test_a_connection_added_while_restoring_keeps_the_saved_ones(
    settings: Settings, make_manager: Any, run: Run, tmp_path: Path
) -> None:
    saved = _fleet(tmp_path)
    settings.set_connections(saved)
    mgr = make_manager(settings)
    new = SavedConnection(f"test://{tmp_path / 'new.xml'}", False)
    shutil.copy(DATA / "two-domains.xml", tmp_path / "new.xml")

    async def body() -> None:
        mgr.restore()
        mgr.add(new.uri, autoconnect=False)  # saves the list now, with the rest still to come
        assert Settings(tmp_path / "kvmdesk.ini").connections() == [
            *saved[:RESTORE_PER_TURN],
            new,
            *saved[RESTORE_PER_TURN:],
        ]
        await mgr.restored()

    run(body())
    expected = [*saved[:RESTORE_PER_TURN], new, *saved[RESTORE_PER_TURN:]]
    assert [c.uri for c in mgr.connections] == [s.uri for s in expected]
    assert Settings(tmp_path / "kvmdesk.ini").connections() == expected


def test_quitting_while_restoring_keeps_the_whole_saved_list(
    settings: Settings, make_manager: Any, run: Run, tmp_path: Path
) -> None:
    saved = _fleet(tmp_path)
    settings.set_connections(saved)
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore()
        await mgr.shutdown()
        await mgr.restored()  # returns: the restore was cancelled

    run(body())
    assert len(mgr.connections) < HOSTS
    assert Settings(tmp_path / "kvmdesk.ini").connections() == saved


def test_a_new_command_line_uri_after_a_fleet_is_saved_last(
    settings: Settings, make_manager: Any, run: Run, until: Until, tmp_path: Path, data_uri: Any
) -> None:
    saved = _fleet(tmp_path)
    settings.set_connections(saved)
    extra = data_uri("lifecycle.xml")
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore([extra])
        assert mgr.find(extra) is None  # behind the fleet
        await mgr.restored()
        await until(lambda: mgr.find(extra) is not None and mgr.find(extra).is_connected)

    run(body())
    assert [c.uri for c in mgr.connections][-1] == extra
    assert settings.connections() == [*saved, SavedConnection(extra, True)]
