"""The command log: entries, outcomes, listeners, the bound and the script."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core.command_log import CommandLog, Entry, Outcome, defined, tracked
from kvmdesk.core.connect_log import open_logged
from kvmdesk.virt import virsh_commands as vc
from kvmdesk.virt.commands import Note
from kvmdesk.virt.lifecycle import Verb

Run = Callable[..., Any]


def test_an_action_runs_then_ends_ok_and_listeners_hear_both(run: Run) -> None:
    log = CommandLog()
    heard: list[tuple[Outcome, bool]] = []
    log.subscribe(lambda e, new: heard.append((e.outcome, new)))
    command = vc.lifecycle("qemu:///system", Verb.RUN, "web")

    async def body() -> int:
        return await tracked(log, command, asyncio.sleep(0, 42))

    assert run(body()) == 42
    [entry] = log.entries
    assert entry.command is command and entry.outcome is Outcome.OK
    assert heard == [(Outcome.RUNNING, True), (Outcome.OK, False)]


def test_a_failed_action_keeps_its_command_and_libvirt_s_words(run: Run) -> None:
    log = CommandLog()

    async def fails() -> None:
        conn = libvirt.open("test:///default")
        try:
            conn.lookupByName("no such domain")
        finally:
            conn.close()

    command = vc.lifecycle("test:///default", Verb.RUN, "no such domain")
    with pytest.raises(libvirt.libvirtError):
        run(tracked(log, command, fails()))
    [entry] = log.entries
    assert entry.outcome is Outcome.FAILED
    assert entry.error == "Domain not found"  # libvirt's words
    assert entry.command.text().endswith("start --domain 'no such domain'")


def test_the_oldest_entries_go_first_past_the_limit() -> None:
    log = CommandLog(limit=3)
    for n in range(5):
        log.record(vc.connect(f"test:///{n}"))
    assert [e.command.lines[0][2] for e in log.entries] == ["test:///2", "test:///3", "test:///4"]


def test_unsubscribed_listeners_hear_nothing_more() -> None:
    log = CommandLog()
    heard: list[Entry] = []
    stop = log.subscribe(lambda e, _new: heard.append(e))
    log.record(vc.connect("test:///default"))
    stop()
    log.record(vc.connect("test:///default"), "refused")
    assert len(heard) == 1 and log.entries[1].outcome is Outcome.FAILED


def test_the_script_holds_every_command_after_set_e() -> None:
    log = CommandLog()
    log.record(vc.lifecycle("qemu:///system", Verb.PAUSE, "a b"))
    log.record(vc.edited("qemu:///system", "a b", "<domain/>"), "refused")
    text = log.script()
    assert text.splitlines()[:3] == [
        "#!/bin/sh",
        "set -e",
        "virsh -c qemu:///system suspend --domain 'a b'",
    ]
    assert "cat > a_b.xml <<'KVMDESK_EOF'\n<domain/>\nKVMDESK_EOF\n" in text


def test_connect_is_logged_once_connected_and_shares_the_manager_s_log(
    manager: Any, data_uri: Callable[[str], str], wait_until: Callable[..., None]
) -> None:
    conn = manager.add(data_uri("empty.xml"), persist=False)
    assert conn.command_log is manager.command_log
    open_logged(conn)
    wait_until(lambda: conn.is_connected, what="connected")
    [entry] = manager.command_log.entries
    assert entry.command.lines == (("virsh", "-c", conn.uri, "list", "--all"),)
    assert entry.outcome is Outcome.OK


def test_a_refused_connect_is_logged_with_the_reason(
    manager: Any, wait_until: Callable[..., None]
) -> None:
    conn = manager.add("qemu+ssh://-oProxyCommand=x/system", persist=False)
    open_logged(conn)
    wait_until(lambda: manager.command_log.entries[0].outcome is Outcome.FAILED, what="refused")
    [entry] = manager.command_log.entries
    assert entry.error == conn.failure.message and entry.error


def test_a_change_by_definition_is_logged_as_define_or_as_edit_with_the_error(
    open_connection: Callable[[str], Any], run: Run
) -> None:
    conn = open_connection("two-domains.xml")
    uuid = "b2b2b2b2-0000-4000-8000-000000000002"  # beta

    def retitle(virt: libvirt.virConnect, uuid: str, title: str) -> str:
        dom = virt.lookupByUUIDString(uuid)
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_TITLE, title, None, None, 0)
        return title

    def refuse(virt: libvirt.virConnect, uuid: str) -> None:
        virt.lookupByUUIDString("00000000-0000-4000-8000-00000000dead")

    assert run(defined(conn, uuid, retitle, "new 'title'")) == "new 'title'"
    with pytest.raises(libvirt.libvirtError):
        run(defined(conn, uuid, refuse))
    done, failed = conn.command_log.entries[-2:]
    assert done.outcome is Outcome.OK and done.command.lines[0][3] == "define"
    [(_name, xml)] = done.command.files
    assert "<title>new &apos;title&apos;</title>" in xml
    assert failed.command.lines == (("virsh", "-c", conn.uri, "edit", "--domain", "beta"),)
    assert failed.outcome is Outcome.FAILED and "Domain not found" in failed.error
    assert Note.NO_SINGLE_COMMAND in failed.command.notes
