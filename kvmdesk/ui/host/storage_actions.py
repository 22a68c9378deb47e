"""The pool and volume actions of the storage page.

Each action asks what it needs (a confirmation, a dialog), runs one storage
call on the connection's worker while the page is busy, reports a failure
in plain words (a volume in use names the domains that use it) and lists
the pools again. Mixed into ``StoragePage`` (``storage_page``), which
provides the attributes and methods declared here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any, cast

import shiboken6
from PySide6.QtWidgets import QWidget

from kvmdesk.core.command_log import logged, tracked
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask, ask_yes, report_text
from kvmdesk.ui.host.networks_page import name_list
from kvmdesk.ui.host.pool_dialog import AddPoolDialog
from kvmdesk.ui.host.relisting import run_action
from kvmdesk.ui.host.storage_dialogs import (
    NewVolumeDialog,
    ResizeVolumeDialog,
    input_message,
)
from kvmdesk.ui.host.storage_upload import choose_file, choose_name, suggested_name, upload_file
from kvmdesk.virt import pool_types, storage, virsh_commands
from kvmdesk.virt.commands import Command, Commander
from kvmdesk.virt.provision import is_remote_uri
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import (
    InvalidStorageInput,
    PoolRecord,
    VolumeInUseError,
    VolumeRecord,
    size_bytes,
)

log = logging.getLogger(__name__)


class StorageActions:
    """Start, stop, autostart, refresh, add and delete pools; new, resize and
    delete volumes."""

    conn: Connection | None
    jobs: JobService | None
    pools: list[PoolRecord]
    volumes: list[VolumeRecord]
    _busy: bool
    # Provided by ResourcePage and StoragePage; declared, not defined, so
    # that nothing here shadows them in the page's method order.
    _set_busy: Callable[[bool], None]
    refresh: Callable[[], Coroutine[Any, Any, bool]]

    def select(self, pool: str) -> None:
        raise NotImplementedError

    def _uri(self) -> str:
        return self.conn.uri if self.conn is not None else ""

    @property
    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    async def _act(
        self,
        title: str,
        name: str,
        command: Commander,
        fn: Callable[..., Any],
        *args: Any,
        job: str = "",
    ) -> bool:
        """Run ``fn(virConnect, *args)`` with ``command(uri)`` logged, report a
        failure, list again.

        With ``job`` (its title) the call runs as a job of the jobs view, beside
        the connection's worker, when the page has a jobs service.
        """
        jobs = self.jobs

        def call(conn: Connection) -> Awaitable[Any]:
            if job and jobs is not None:
                running = jobs.start(conn, "", job, fn, *args, subject=name).future
                return tracked(conn.command_log, command(conn.uri), asyncio.shield(running))
            return logged(conn, command(conn.uri), fn, *args)

        return await run_action(
            self,
            self._widget,
            title,
            name,
            call,
            (VolumeInUseError, lambda exc: self._report_in_use(title, exc)),
            (InvalidStorageInput, input_message),
        )

    def _report_in_use(self, title: str, exc: VolumeInUseError) -> None:
        if exc.volume:
            text = tr("The volume {0} is in use and was not deleted.").format(shown(exc.volume))
        else:
            text = tr("Volumes of the pool {0} are in use: it was not deleted.").format(
                shown(exc.pool)
            )
        report_text(
            self._widget,
            title,
            text,
            tr("These virtual machines use it:")
            + "\n"
            + name_list(exc.domains)
            + "\n\n"
            + tr("Remove the disks from them first."),
        )

    async def set_active(self, pool: str, on: bool) -> bool:
        title = tr("Start Pool") if on else tr("Stop Pool")
        command = partial(virsh_commands.pool_active, name=pool, on=on)
        return await self._act(title, pool, command, storage.set_pool_active, pool, on)

    async def set_autostart(self, pool: str, on: bool) -> bool:
        command = partial(virsh_commands.pool_autostart, name=pool, on=on)
        title = tr("Pool Autostart")
        return await self._act(title, pool, command, storage.set_pool_autostart, pool, on)

    async def refresh_pool(self, pool: str) -> bool:
        command = partial(virsh_commands.pool_refresh, name=pool)
        return await self._act(tr("Refresh Pool"), pool, command, storage.refresh_pool, pool)

    async def delete_pool(self, pool: str, confirm: bool = True) -> bool:
        if confirm and not await ask_yes(
            self._widget,
            tr("Delete Pool"),
            tr("Delete the storage pool {0}?").format(shown(pool)),
            tr("It is stopped and its definition removed; the files in it stay on the host."),
        ):
            return False
        record = next((p for p in self.pools if p.name == pool), None)
        active = record is None or record.active
        command = partial(virsh_commands.pool_delete, name=pool, active=active)
        return await self._act(tr("Delete Pool"), pool, command, storage.delete_pool, pool)

    async def add_pool(self) -> bool:
        conn = self.conn
        if conn is None:
            return False
        title = tr("Add Storage Pool")
        try:
            kinds = await conn.call(pool_types.supported_types)
        except Exception as exc:  # libvirtError, or the link went: offer folders only
            log.info("pool types of %s: %s", conn.uri, exc)
            kinds = ("dir",)
        local = not is_remote_uri(conn.uri)
        existing = [p.name for p in self.pools]
        dialog = AddPoolDialog(existing, self._widget, kinds, local, conn.uri)
        accepted = await ask(dialog) == AddPoolDialog.DialogCode.Accepted.value
        spec = dialog.spec()
        dialog.deleteLater()
        if not accepted:
            return False
        name = spec.name

        def command(uri: str) -> Command:
            try:
                return virsh_commands.pool_create(uri, pool_types.check_spec(spec, existing))
            except InvalidStorageInput:  # create_pool refuses it the same way; log as typed
                return virsh_commands.pool_create(uri, spec)

        ok = await self._act(title, name, command, pool_types.create_pool, spec)
        if ok and shiboken6.isValid(self):
            self.select(name)
        return ok

    async def new_volume(self, pool: str) -> bool:
        record = next((p for p in self.pools if p.name == pool), None)
        if record is None:
            return False
        dialog = NewVolumeDialog(
            [v.name for v in self.volumes], record.available, self._widget, self._uri(), pool
        )
        accepted = await ask(dialog) == NewVolumeDialog.DialogCode.Accepted.value
        name, size, fmt = dialog.values()
        dialog.deleteLater()
        if not accepted:
            return False
        title = tr("New Volume")
        command = partial(
            virsh_commands.vol_create_as,
            pool_name=pool,
            name=name,
            capacity=size_bytes(size),
            fmt=fmt,
        )
        return await self._act(title, name, command, storage.create_volume, pool, name, size, fmt)

    async def upload(self, pool: str) -> bool:
        """Upload a local file into ``pool`` as a job; the volumes are listed when it ends."""
        jobs, conn = self.jobs, self.conn
        if jobs is None or conn is None:
            return False
        path = await choose_file(self._widget)
        if not path:
            return False
        name = await choose_name(self._widget, suggested_name(path))
        if not name:
            return False
        await upload_file(self._widget, conn, jobs, pool, path, name, lambda: self.select(pool))
        return True

    async def resize_volume(self, pool: str, volume: str) -> bool:
        record = next((v for v in self.volumes if v.name == volume), None)
        if record is None:
            return False
        dialog = ResizeVolumeDialog(volume, record.capacity, self._widget)
        accepted = await ask(dialog) == ResizeVolumeDialog.DialogCode.Accepted.value
        size = dialog.value()
        dialog.deleteLater()
        if not accepted:
            return False
        title = tr("Resize Volume")
        command = partial(
            virsh_commands.vol_resize, pool_name=pool, name=volume, capacity=size_bytes(size)
        )
        return await self._act(title, volume, command, storage.resize_volume, pool, volume, size)

    async def delete_volume(self, pool: str, volume: str, confirm: bool = True) -> bool:
        if confirm and not await ask_yes(
            self._widget,
            tr("Delete Volume"),
            tr("Delete the volume {0}?").format(shown(volume)),
            tr("Its data is deleted from the host. This cannot be undone."),
        ):
            return False
        command = partial(virsh_commands.vol_delete, pool_name=pool, name=volume)
        title = tr("Delete Volume")
        job = tr("Delete volume “{0}”").format(shown(volume))
        return await self._act(title, volume, command, storage.delete_volume, pool, volume, job=job)
