"""Lifecycle actions and deletion, run on the owning connection's worker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.command_log import error_words, logged
from kvmdesk.core.connection import Connection
from kvmdesk.core.settings import Settings
from kvmdesk.core.steps import run_steps
from kvmdesk.virt import delete as virt_delete
from kvmdesk.virt import lifecycle, virsh_commands
from kvmdesk.virt.commands import joined
from kvmdesk.virt.errors import Failure, NotConnectedError, classify
from kvmdesk.virt.steps import Journal


class ActionService(QObject):
    """Applies verbs to domains; the window shows progress from its signals."""

    started = Signal(int)  # number of actions now running
    finished = Signal(int)  # number still running
    requested = Signal(str, list, object)  # URI, UUIDs, Verb: asked for by the user

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings
        self.running = 0

    def _begin(self) -> None:
        self.running += 1
        self.started.emit(self.running)

    def _end(self) -> None:
        self.running -= 1
        self.finished.emit(self.running)

    async def apply(
        self,
        conn: Connection,
        uuids: list[str],
        verb: lifecycle.Verb,
        names: dict[str, str] | None = None,
    ) -> list[tuple[str, Failure]]:
        """Apply ``verb`` to each domain; returns (domain name, failure) pairs.

        ``names`` are the names the caller showed, used in reports when the
        connection has meanwhile forgotten a domain.
        """
        wanted = set(uuids)  # a list here costs a scan per domain: seconds for a fleet
        known = {u: r.name for u, r in conn.domains.items() if u in wanted}
        known.update(names or {})
        self.requested.emit(conn.uri, list(uuids), verb)
        self._begin()
        try:
            results = await asyncio.gather(
                *(self._one(conn, uuid, verb, known.get(uuid, uuid)) for uuid in uuids),
                return_exceptions=False,
            )
        finally:
            self._end()
        return [r for r in results if r is not None]

    async def _one(
        self, conn: Connection, uuid: str, verb: lifecycle.Verb, name: str
    ) -> tuple[str, Failure] | None:
        try:
            command = virsh_commands.lifecycle(conn.uri, verb, name)
            await logged(conn, command, lifecycle.apply, uuid, verb)
        except (libvirt.libvirtError, NotConnectedError) as exc:
            conn.invalidate(uuid)
            return (name, classify(exc))
        conn.invalidate(uuid)  # autostart and managed save raise no event
        return None

    async def plan_delete(self, conn: Connection, uuid: str) -> virt_delete.DeletePlan:
        self._begin()
        try:
            return await conn.call(virt_delete.plan_delete, uuid)
        finally:
            self._end()

    async def delete(
        self,
        conn: Connection,
        plan: virt_delete.DeletePlan,
        sources: list[str],
        on_lost: Callable[[Journal, Failure], None] | None = None,
        *,
        keep_nvram: bool = False,
        confirmed_shared: list[str] | None = None,
    ) -> virt_delete.DeleteOutcome:
        """Delete ``plan``'s domain and the chosen volumes.

        ``keep_nvram`` keeps the UEFI variables; a chosen file another
        domain needs goes only if it is in ``confirmed_shared``. When the
        link drops after a step that changed the host, ``on_lost`` is told,
        and ``LinkLost`` carries what the re-read after the reconnect found
        (a ``virt.delete.DeleteCheck``).
        """
        backup_dir = self._settings.backup_dir()

        def work(virt: libvirt.virConnect, journal: Journal) -> virt_delete.DeleteOutcome:
            return virt_delete.execute_delete(
                virt,
                plan,
                sources,
                backup_dir,
                journal,
                keep_nvram=keep_nvram,
                confirmed_shared=confirmed_shared,
            )

        def again(virt: libvirt.virConnect, journal: Journal) -> virt_delete.DeleteCheck:
            return virt_delete.recheck(virt, plan, sources, journal)

        self._begin()
        try:
            journal = virt_delete.delete_journal(plan, sources)
            try:
                outcome = await run_steps(conn, work, journal, again, on_lost)
            except BaseException as exc:
                command = virsh_commands.deletion(conn.uri, plan, None, keep_nvram=keep_nvram)
                conn.command_log.record(command, error_words(exc))
                raise
            conn.command_log.record(
                virsh_commands.deletion(conn.uri, plan, outcome, keep_nvram=keep_nvram),
                virsh_commands.deletion_error(outcome),
            )
            return outcome
        finally:
            conn.invalidate(plan.uuid)
            self._end()

    async def delete_volumes(
        self,
        conn: Connection,
        plan: virt_delete.DeletePlan,
        sources: list[str],
        confirmed_shared: list[str] | None = None,
    ) -> virt_delete.DeleteOutcome:
        """Delete volumes a cut deletion left, once its domain is gone."""
        self._begin()
        try:
            command = joined([virsh_commands.vol_delete_path(conn.uri, p) for p in sources])
            entry = conn.command_log.add(command)
            try:
                outcome = await conn.call(
                    virt_delete.delete_volumes, plan, sources, confirmed_shared
                )
            except BaseException as exc:
                conn.command_log.failed(entry, exc)
                raise
            conn.command_log.finish(entry, virsh_commands.deletion_error(outcome))
            return outcome
        finally:
            self._end()
