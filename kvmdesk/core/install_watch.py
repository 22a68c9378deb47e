"""The second phase of new VMs: from the install-time definition to the final one.

A VM the New VM wizard made to install from a CD-ROM, the network or a
kernel stops instead of rebooting while it installs (``on_reboot``
``destroy``), and carries in its definition what changes afterwards
(``kvmdesk.domxml.install_marker``). ``InstallWatcher`` watches the
connections' domain updates, which follow libvirt's lifecycle events:

* when such a VM stops because its guest shut down or rebooted, the
  final definition is applied (``virt.install_phase.finish_install``) and
  the VM started again, as virt-install does, unless the user asked for
  the shutdown;
* a VM forced off or crashed keeps installing at its next start;
* the VMs still installing are remembered in the settings, and checked
  again after every (re)connect: a guest that rebooted while the link was
  down is switched then, once (the marker leaves with the define that
  applies it), and not started by surprise;
* a part of the definition someone edited meanwhile is left as it is.

A new VM that appears while connected is checked once for a marker; stops
of any VM by its guest are checked too, so VMs created elsewhere are
handled while kvmdesk watches. The outcome goes out through ``switched``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.settings import Settings
from kvmdesk.core.tasks import TaskSet
from kvmdesk.virt import lifecycle
from kvmdesk.virt.errors import Failure, NotConnectedError, classify
from kvmdesk.virt.install_phase import Switch, SwitchResult, finish_install, install_pending
from kvmdesk.virt.records import DomainRecord, DomainState

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (URI, UUID)


@dataclass(frozen=True, slots=True)
class InstallSwitched:
    """A VM now has its final definition."""

    uri: str
    result: SwitchResult
    restarted: bool = False
    start_failure: Failure | None = None


def stopped_by_guest(record: DomainRecord) -> bool:
    """Shut off because the guest shut down or rebooted (not forced off, not crashed)."""
    return (
        record.state is DomainState.SHUTOFF and record.reason == libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN
    )


class InstallWatcher(QObject):
    switched = Signal(object)  # InstallSwitched
    failed = Signal(str, str, object)  # URI, UUID, Failure: the switch could not be made

    def __init__(
        self,
        manager: ConnectionManager,
        settings: Settings,
        actions: ActionService | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self.pending: set[Key] = settings.pending_installs()
        # URI -> UUID -> state: a fleet's hosts each reset their own part.
        self._states: dict[str, dict[str, DomainState]] = {}
        self._listed: set[str] = set()  # URIs whose domain list arrived
        self._user_stopped: set[Key] = set()
        self._busy: set[Key] = set()
        self._tasks = TaskSet("install switch", log)
        manager.connectionAdded.connect(self.attach)
        for conn in manager.connections:
            self.attach(conn)
        if actions is not None:
            actions.requested.connect(self._requested)

    # -- public -----------------------------------------------------------

    def attach(self, conn: Connection) -> None:
        conn.domainsReset.connect(lambda: self._reset(conn))
        conn.domainChanged.connect(lambda record: self._changed(conn, record))
        conn.domainRemoved.connect(lambda uuid: self._removed(conn, uuid))
        if conn.is_connected:
            self._reset(conn)

    # -- connection updates ------------------------------------------------

    def _reset(self, conn: Connection) -> None:
        """The whole list arrived (first connect or reconnect): check the VMs
        still installing; one whose guest stopped meanwhile is switched, not started."""
        uri = conn.uri
        self._states.pop(uri, None)
        if not conn.is_connected:  # closed by the user: an empty list, not deletions
            self._listed.discard(uri)
            return
        self._listed.add(uri)
        self._states[uri] = {uuid: listed.state for uuid, listed in conn.domains.items()}
        for key in sorted(k for k in self.pending if k[0] == uri):
            record = conn.domains.get(key[1])
            if record is None:
                self._forget(key)  # deleted meanwhile
            elif stopped_by_guest(record):
                self._tasks.spawn(self._switch(conn, key[1], restart=False))

    def _changed(self, conn: Connection, record: DomainRecord) -> None:
        key = (conn.uri, record.uuid)
        states = self._states.setdefault(conn.uri, {})
        before = states.get(record.uuid)
        states[record.uuid] = record.state
        if before is None:
            if conn.uri in self._listed:  # a new VM while connected
                self._tasks.spawn(self._check_new(conn, record.uuid))
            return
        if before.is_active and stopped_by_guest(record):
            restart = key not in self._user_stopped
            self._user_stopped.discard(key)
            self._tasks.spawn(self._switch(conn, record.uuid, restart=restart))
        elif not record.state.is_active:
            self._user_stopped.discard(key)

    def _removed(self, conn: Connection, uuid: str) -> None:
        key = (conn.uri, uuid)
        self._states.get(conn.uri, {}).pop(uuid, None)
        if key in self.pending:
            self._forget(key)

    def _requested(self, uri: str, uuids: list[str], verb: lifecycle.Verb) -> None:
        """The user shuts a VM down: after the switch it stays off."""
        if verb is lifecycle.Verb.SHUTDOWN:
            self._user_stopped.update((uri, uuid) for uuid in uuids)

    # -- work on the connection's worker ------------------------------------

    async def _check_new(self, conn: Connection, uuid: str) -> None:
        try:
            if await conn.call(install_pending, uuid):
                self._remember((conn.uri, uuid))
        except (libvirt.libvirtError, NotConnectedError) as exc:
            log.info("checking %s for an install failed: %s", uuid, classify(exc).message)

    async def _switch(self, conn: Connection, uuid: str, restart: bool) -> None:
        key = (conn.uri, uuid)
        if key in self._busy:
            return
        self._busy.add(key)
        try:
            result = await conn.call(finish_install, uuid)
        except (libvirt.libvirtError, NotConnectedError) as exc:
            # Still pending: checked again after the next (re)connect.
            failure = classify(exc)
            log.info("finishing the install of %s failed: %s", uuid, failure.message)
            if not isinstance(exc, NotConnectedError):
                self.failed.emit(conn.uri, uuid, failure)
            return
        finally:
            self._busy.discard(key)
        if result.switch is Switch.WAITING:
            return
        self._forget(key)
        if result.switch is not Switch.DONE:
            return
        restarted, start_failure = False, None
        if restart:
            try:
                await conn.call(lifecycle.apply, uuid, lifecycle.Verb.RUN)
                restarted = True
            except (libvirt.libvirtError, NotConnectedError) as exc:
                start_failure = classify(exc)
        conn.invalidate(uuid)
        self.switched.emit(InstallSwitched(conn.uri, result, restarted, start_failure))

    # -- the remembered list ------------------------------------------------

    def _remember(self, key: Key) -> None:
        if key not in self.pending:
            self.pending.add(key)
            self._settings.set_pending_installs(self.pending)

    def _forget(self, key: Key) -> None:
        if key in self.pending:
            self.pending.discard(key)
            self._settings.set_pending_installs(self.pending)


__all__ = ["InstallSwitched", "InstallWatcher", "stopped_by_guest"]
