"""InstallWatcher on the test driver: the second phase follows the guest's own
shutdown, not the user's, is remembered across runs, and happens once.

tests/data/create.xml: pool "images" with installer.iso and pre.qcow2. The
test driver's guest obeys a shutdown at once (state shut off, reason
"shutdown"), like a guest that rebooted with on_reboot=destroy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libvirt
import pytest

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection
from kvmdesk.core.install_watch import InstallSwitched, InstallWatcher, stopped_by_guest
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.settings import Settings
from kvmdesk.domxml import Disk, Domain
from kvmdesk.domxml.install import InstallPlan, SourceKind, StorageKind, build_domain
from kvmdesk.virt.lifecycle import Verb

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
ISO = "/var/lib/libvirt/images/installer.iso"
PLAN = InstallPlan(
    name="fresh",
    source=SourceKind.ISO,
    media=ISO,
    virt_type="test",
    storage=StorageKind.EXISTING,
    disk_path="/var/lib/libvirt/images/pre.qcow2",
    disk_format="qcow2",
)


@dataclass
class Bed:
    conn: Connection
    settings: Settings
    actions: ActionService
    manager: ConnectionManager
    events: list[InstallSwitched] = field(default_factory=list)
    watcher: InstallWatcher | None = None

    def watch(self) -> InstallWatcher:
        self.watcher = InstallWatcher(self.manager, self.settings, self.actions)
        self.watcher.switched.connect(self.events.append)
        return self.watcher


@pytest.fixture
def bed(
    manager: ConnectionManager, settings: Settings, data_uri: Callable[[str], str], run: Run
) -> Bed:
    conn = manager.add(data_uri("create.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return Bed(conn, settings, ActionService(settings), manager)


def _create(run: Run, conn: Connection) -> str:
    def make(c: libvirt.virConnect) -> str:
        dom = c.defineXMLFlags(build_domain(PLAN).to_xml(), libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
        dom.create()
        return str(dom.UUIDString())

    uuid: str = run(conn.call(make))
    conn.invalidate(uuid)  # as the wizard does once it has created the VM
    return uuid


def _guest_shuts_down(run: Run, conn: Connection, uuid: str) -> None:
    run(conn.call(lambda c: c.lookupByUUIDString(uuid).shutdown()))


def _stored(run: Run, conn: Connection, uuid: str) -> Domain:
    xml = run(
        conn.call(lambda c: c.lookupByUUIDString(uuid).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    )
    return Domain.from_xml(xml)


def _active(run: Run, conn: Connection, uuid: str) -> bool:
    return bool(run(conn.call(lambda c: c.lookupByUUIDString(uuid).isActive())))


def _cdroms(dom: Domain) -> list[str]:
    return [d.source for d in dom.devices if isinstance(d, Disk) and d.device == "cdrom"]


def test_the_guests_first_shutdown_switches_and_restarts_the_vm(
    bed: Bed, run: Run, wait_until: WaitUntil
) -> None:
    watcher = bed.watch()
    uuid = _create(run, bed.conn)
    key = (bed.conn.uri, uuid)
    wait_until(lambda: key in watcher.pending, what="the new VM noticed as installing")
    assert key in bed.settings.pending_installs()  # remembered for the next run
    _guest_shuts_down(run, bed.conn, uuid)
    wait_until(lambda: bed.events, what="the switch")
    event = bed.events[0]
    assert event.result.name == "fresh" and event.restarted and event.start_failure is None
    assert set(event.result.applied) == {"boot", "eject:sda", "on_reboot"}
    final = _stored(run, bed.conn, uuid)
    assert final.os.boot == ["hd"] and final.on_reboot == "restart" and _cdroms(final) == [""]
    assert _active(run, bed.conn, uuid)
    assert key not in watcher.pending and key not in bed.settings.pending_installs()
    # The next shutdown is an ordinary one: nothing more happens.
    _guest_shuts_down(run, bed.conn, uuid)
    wait_until(lambda: not bed.conn.domains[uuid].state.is_active, what="shut off")
    run(bed.conn.call(lambda c: c.getURI()))  # let any (wrong) task run
    assert len(bed.events) == 1


def test_a_shutdown_the_user_asked_for_switches_but_does_not_restart(
    bed: Bed, run: Run, wait_until: WaitUntil
) -> None:
    watcher = bed.watch()
    uuid = _create(run, bed.conn)
    wait_until(lambda: (bed.conn.uri, uuid) in watcher.pending, what="installing")
    assert run(bed.actions.apply(bed.conn, [uuid], Verb.SHUTDOWN)) == []
    wait_until(lambda: bed.events, what="the switch")
    assert not bed.events[0].restarted
    assert not _active(run, bed.conn, uuid)
    assert _stored(run, bed.conn, uuid).os.boot == ["hd"]


def test_forcing_off_keeps_the_install_definition(
    bed: Bed, run: Run, wait_until: WaitUntil
) -> None:
    watcher = bed.watch()
    uuid = _create(run, bed.conn)
    wait_until(lambda: (bed.conn.uri, uuid) in watcher.pending, what="installing")
    assert run(bed.actions.apply(bed.conn, [uuid], Verb.FORCE_OFF)) == []
    wait_until(lambda: not bed.conn.domains[uuid].state.is_active, what="forced off")
    assert bed.events == []
    stored = _stored(run, bed.conn, uuid)
    assert stored.os.boot == ["cdrom", "hd"] and _cdroms(stored) == [ISO]
    assert (bed.conn.uri, uuid) in watcher.pending


def test_a_vm_whose_guest_stopped_while_nobody_watched_is_switched_once_not_started(
    bed: Bed, run: Run, wait_until: WaitUntil
) -> None:
    """As after a dropped connection or a closed kvmdesk: the remembered VM is
    found shut off by its guest when the list arrives, and switched then."""
    uuid = _create(run, bed.conn)
    _guest_shuts_down(run, bed.conn, uuid)
    wait_until(
        lambda: uuid in bed.conn.domains and stopped_by_guest(bed.conn.domains[uuid]),
        what="listed as shut down by its guest",
    )
    bed.settings.set_pending_installs({(bed.conn.uri, uuid)})
    watcher = bed.watch()  # attaches to the open connection: the same check as a reconnect
    wait_until(lambda: bed.events, what="the switch")
    assert not bed.events[0].restarted
    assert not _active(run, bed.conn, uuid)
    assert _stored(run, bed.conn, uuid).os.boot == ["hd"]
    assert watcher.pending == set()
    # The list arrives once more (another reconnect): nothing is applied twice.
    watcher._reset(bed.conn)
    run(bed.conn.call(lambda c: c.getURI()))
    wait_until(lambda: not watcher._tasks, what="checks done")
    assert len(bed.events) == 1


def test_a_remembered_vm_that_was_deleted_is_forgotten(
    bed: Bed, run: Run, wait_until: WaitUntil
) -> None:
    gone = "6b1b4c54-0000-4000-8000-000000000000"
    bed.settings.set_pending_installs({(bed.conn.uri, gone), ("qemu:///other", gone)})
    watcher = bed.watch()
    assert watcher.pending == {("qemu:///other", gone)}
    assert bed.settings.pending_installs() == {("qemu:///other", gone)}


def test_closing_the_connection_forgets_nothing(bed: Bed, run: Run, wait_until: WaitUntil) -> None:
    """A closed connection lists no VM: that is no reason to forget an install."""
    watcher = bed.watch()
    uuid = _create(run, bed.conn)
    key = (bed.conn.uri, uuid)
    wait_until(lambda: key in watcher.pending, what="installing")
    bed.conn.close()
    assert key in watcher.pending and key in bed.settings.pending_installs()
