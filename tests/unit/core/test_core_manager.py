"""The set of connections: persistence, restore, first start, command line.

Tests with background work run their body as one coroutine (see ``until``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core import manager as manager_module
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.settings import SavedConnection, Settings
from kvmdesk.core.timing import Timing
from kvmdesk.paths import demo_uri

Run = Callable[..., Any]
Until = Callable[..., Coroutine[Any, Any, None]]
UNREACHABLE = (
    "qemu+unix:///system?socket=/nonexistent/libvirt-sock",
    "qemu+unix:///session?socket=/nonexistent/libvirt-sock",
)


@pytest.fixture
def unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No local hypervisor answers on the first start."""
    monkeypatch.setattr(manager_module, "FIRST_START_URIS", UNREACHABLE)


def _connected(conn: Connection | None) -> bool:
    return conn is not None and conn.state is ConnState.CONNECTED


# -- settings -----------------------------------------------------------------


def test_nothing_saved_is_none_and_empty_list_is_not(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "a.ini")
    assert settings.connections() is None
    settings.set_connections([])
    assert settings.connections() == []
    assert Settings(tmp_path / "a.ini").connections() == []


def test_settings_round_trip_across_instances(tmp_path: Path) -> None:
    items = [
        SavedConnection("qemu:///system", True),
        SavedConnection("qemu+ssh://root@h ä/system?x=1&y=2", False),
        SavedConnection("test:///tmp/a b.xml", True),
    ]
    Settings(tmp_path / "s.ini").set_connections(items)
    assert Settings(tmp_path / "s.ini").connections() == items


def test_shorter_list_replaces_longer(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.ini")
    settings.set_connections([SavedConnection(f"test:///{i}.xml") for i in range(5)])
    settings.set_connections([SavedConnection("test:///only.xml", False)])
    assert Settings(tmp_path / "s.ini").connections() == [
        SavedConnection("test:///only.xml", False)
    ]


def test_stats_interval_is_clamped(settings: Settings) -> None:
    assert settings.stats_interval == 3.0
    settings.stats_interval = 0.01
    assert settings.stats_interval == 0.5
    settings.stats_interval = 3600
    assert settings.stats_interval == 60.0
    settings.stats_interval = 7
    assert settings.stats_interval == 7.0


def test_backup_dir_next_to_the_settings_file(tmp_path: Path) -> None:
    assert Settings(tmp_path / "k.ini").backup_dir() == tmp_path / "deleted-domains"


# -- add / remove -------------------------------------------------------------


def test_add_and_remove_are_saved(settings: Settings, make_manager: Any, tmp_path: Path) -> None:
    mgr = make_manager(settings)
    added: list[Connection] = []
    removed: list[Connection] = []
    mgr.connectionAdded.connect(added.append)
    mgr.connectionRemoved.connect(removed.append)

    a = mgr.add("test:///a.xml")
    b = mgr.add("test:///b.xml", autoconnect=False)
    temp = mgr.add("test:///temp.xml", persist=False)
    assert added == [a, b, temp]
    assert a.state is ConnState.DISCONNECTED  # add does not open
    assert settings.connections() == [
        SavedConnection("test:///a.xml", True),
        SavedConnection("test:///b.xml", False),
    ]
    assert mgr.add("test:///a.xml") is a  # no duplicates
    assert len(mgr.connections) == 3
    assert mgr.find("test:///b.xml") is b
    assert mgr.find("test:///nope.xml") is None

    mgr.remove(a)
    assert removed == [a]
    assert mgr.connections == [b, temp]
    reread = Settings(tmp_path / "kvmdesk.ini")
    assert reread.connections() == [SavedConnection("test:///b.xml", False)]
    mgr.remove(a)  # not there any more: nothing happens
    assert removed == [a]


def test_remove_closes_an_open_connection(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until
) -> None:
    mgr = make_manager(settings)
    conn = mgr.add(data_uri("two-domains.xml"))

    async def body() -> None:
        conn.open()
        await until(lambda: _connected(conn), what="connected")
        mgr.remove(conn)

    run(body())
    assert conn.state is ConnState.DISCONNECTED
    assert mgr.connections == []
    assert settings.connections() == []


# -- restore ------------------------------------------------------------------


def test_restore_opens_autoconnect_entries_only(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until
) -> None:
    auto = data_uri("two-domains.xml")
    manual = data_uri("lifecycle.xml")
    settings.set_connections([SavedConnection(auto, True), SavedConnection(manual, False)])
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore()
        assert [c.uri for c in mgr.connections] == [auto, manual]
        await until(lambda: _connected(mgr.find(auto)), what="autoconnect entry connected")

    run(body())
    assert mgr.find(manual).state is ConnState.DISCONNECTED
    assert mgr.find(manual).autoconnect is False
    assert settings.connections() == [SavedConnection(auto, True), SavedConnection(manual, False)]


def test_restore_with_empty_saved_list_is_not_a_first_start(
    settings: Settings, make_manager: Any, run: Run, unreachable: None, fast: Timing
) -> None:
    settings.set_connections([])
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore()
        await asyncio.sleep(4 * fast.backoff_start)

    run(body())
    assert mgr.connections == []
    assert settings.connections() == []


def test_command_line_uris_open_and_are_saved(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until
) -> None:
    saved = data_uri("lifecycle.xml")
    extra = data_uri("two-domains.xml")
    settings.set_connections([SavedConnection(saved, False)])
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore([extra])
        await until(lambda: _connected(mgr.find(extra)), what="command-line connection")

    run(body())
    assert mgr.find(saved).state is ConnState.DISCONNECTED
    assert settings.connections() == [SavedConnection(saved, False), SavedConnection(extra, True)]


def test_command_line_opens_a_saved_manual_entry(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until
) -> None:
    uri = data_uri("two-domains.xml")
    settings.set_connections([SavedConnection(uri, False)])
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore([uri])
        await until(lambda: _connected(mgr.find(uri)), what="connected")

    run(body())
    assert len(mgr.connections) == 1
    assert settings.connections() == [SavedConnection(uri, False)]


def test_command_line_on_first_start_skips_the_probe(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until, unreachable: None
) -> None:
    uri = data_uri("two-domains.xml")
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore([uri])
        await until(lambda: _connected(mgr.find(uri)), what="connected")

    run(body())
    assert [c.uri for c in mgr.connections] == [uri]
    assert settings.connections() == [SavedConnection(uri, True)]


# -- first start --------------------------------------------------------------


def test_first_start_falls_back_to_the_demo_unsaved(
    settings: Settings, make_manager: Any, run: Run, until: Until, unreachable: None
) -> None:
    mgr = make_manager(settings)

    async def body() -> Connection:
        demo = await mgr.first_start()
        await until(lambda: _connected(demo), what="demo connected")
        return demo

    demo = run(body())
    assert demo.uri == demo_uri()
    assert demo.persist is False
    assert mgr.connections == [demo]
    assert len(demo.domains) > 5
    assert settings.connections() is None  # the next start probes again


def test_restore_on_first_start_opens_the_demo(
    settings: Settings, make_manager: Any, run: Run, until: Until, unreachable: None
) -> None:
    mgr = make_manager(settings)

    async def body() -> None:
        mgr.restore()
        await until(lambda: _connected(mgr.find(demo_uri())), 20, "demo connected")

    run(body())
    assert [c.uri for c in mgr.connections] == [demo_uri()]
    assert settings.connections() is None


def test_first_start_keeps_the_first_uri_that_answers(
    settings: Settings,
    make_manager: Any,
    data_uri: Any,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = data_uri("two-domains.xml")
    monkeypatch.setattr(manager_module, "FIRST_START_URIS", (UNREACHABLE[0], good))
    mgr = make_manager(settings)
    added: list[Connection] = []
    mgr.connectionAdded.connect(added.append)
    conn = run(mgr.first_start())
    assert conn.uri == good
    assert conn.state is ConnState.CONNECTED
    assert mgr.connections == [conn] == added
    assert settings.connections() == [SavedConnection(good, True)]


# -- edit ---------------------------------------------------------------------


def test_edit_autoconnect_keeps_the_connection(settings: Settings, make_manager: Any) -> None:
    mgr = make_manager(settings)
    a = mgr.add("test:///a.xml")
    assert mgr.edit(a, "test:///a.xml", autoconnect=False) is a
    assert not a.autoconnect
    assert settings.connections() == [SavedConnection("test:///a.xml", False)]


def test_edit_uri_replaces_and_reopens(
    settings: Settings, make_manager: Any, data_uri: Any, run: Run, until: Until
) -> None:
    mgr = make_manager(settings)
    old = mgr.add(data_uri("two-domains.xml"))
    other = mgr.add("test:///other.xml", autoconnect=False)
    new_uri = data_uri("lifecycle.xml")

    async def body() -> Connection:
        old.open()
        await until(lambda: _connected(old), what="connected")
        new = mgr.edit(old, new_uri, autoconnect=True)
        await until(lambda: _connected(new), what="the edited connection open")
        return new

    new = run(body())
    assert new is not old and new.uri == new_uri
    assert old.state is ConnState.DISCONNECTED
    assert mgr.connections == [other, new]
    assert [c.uri for c in settings.connections() or []] == ["test:///other.xml", new_uri]


def test_edit_to_a_uri_already_listed_adds_nothing(settings: Settings, make_manager: Any) -> None:
    mgr = make_manager(settings)
    a = mgr.add("test:///a.xml")
    b = mgr.add("test:///b.xml")
    assert mgr.edit(a, "test:///b.xml", autoconnect=True) is b
    assert mgr.connections == [a, b]


def test_edit_of_a_closed_connection_leaves_it_closed(
    settings: Settings, make_manager: Any
) -> None:
    mgr = make_manager(settings)
    a = mgr.add("test:///a.xml")
    new = mgr.edit(a, "test:///c.xml", autoconnect=True)
    assert new.state is ConnState.DISCONNECTED


def test_the_default_backup_folder_is_the_one_the_readme_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not under Qt's organisation/application folders (…/kvmdesk/kvmdesk)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    folder = Settings().backup_dir()
    assert folder == tmp_path / "share" / "kvmdesk" / "deleted-domains"
    readme = (Path(__file__).parents[3] / "README.md").read_text()
    assert "`~/.local/share/kvmdesk/deleted-domains/`" in readme


def test_remote_hosts_open_a_few_at_a_time(
    manager: Any, run: Run, data_uri: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fleet's ssh handshakes (and password prompts) come in turns; local ones never wait."""
    import threading
    import time

    from kvmdesk.core import opening as opening_module

    at_once = [0, 0]  # now, most
    lock = threading.Lock()
    real_open = opening_module.open_uri
    local = data_uri("two-domains.xml")

    def slow_open(uri: str, **kwargs: Any) -> Any:
        with lock:
            at_once[0] += 1
            at_once[1] = max(at_once[1], at_once[0])
        time.sleep(0.2)  # an ssh handshake
        with lock:
            at_once[0] -= 1
        return real_open(local, **kwargs)

    monkeypatch.setattr(opening_module, "open_uri", slow_open)
    manager._open_gate = asyncio.Semaphore(2)
    conns = [manager.add(f"test+ssh://host{i}.example/default", persist=False) for i in range(6)]
    for conn in conns:
        conn.open_gate = manager._open_gate
    assert all(conn.is_remote for conn in conns)

    async def open_all() -> list[bool]:
        return list(await asyncio.gather(*(c.open_and_wait() for c in conns)))

    assert run(open_all()) == [True] * 6
    assert at_once[1] == 2


def test_a_fifty_host_fleet_opens_in_one_wave(
    manager: Any, run: Run, data_uri: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every host of a 50-host fleet is in its handshake at the same time, as a
    plain client opening them all at once would be (no second wave waiting)."""
    import threading

    from kvmdesk.core import opening as opening_module

    hosts = 50
    everyone_in = threading.Barrier(hosts, timeout=30)
    real_open = opening_module.open_uri
    local = data_uri("two-domains.xml")

    def handshake(uri: str, **kwargs: Any) -> Any:
        everyone_in.wait()  # broken (an error) unless all fifty got this far together
        return real_open(local, **kwargs)

    monkeypatch.setattr(opening_module, "open_uri", handshake)
    conns = [
        manager.add(f"test+ssh://host{i}.example/default", persist=False) for i in range(hosts)
    ]

    async def open_all() -> list[bool]:
        return list(await asyncio.gather(*(c.open_and_wait() for c in conns)))

    assert run(open_all()) == [True] * hosts
    assert not everyone_in.broken
