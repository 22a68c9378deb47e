"""Snapshots of a domain, taken, reverted and deleted as jobs.

Each change runs through the ``JobService`` (progress in the jobs view,
Cancel where libvirt can stop it, a re-read after a dropped link). The
screenshot of a running domain is taken just before its snapshot and
kept on this computer (``virt.snapshots.screen_file``) once the snapshot
exists; it goes when the snapshot is deleted here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import libvirt
from PySide6.QtCore import QObject

from kvmdesk.core.command_log import logged
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.core.settings import app_data_dir
from kvmdesk.virt import job_commands
from kvmdesk.virt import snapshots as virt_snapshots
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Mode, SnapshotListing

log = logging.getLogger(__name__)


def default_screens_dir() -> Path:
    """``~/.local/share/kvmdesk/snapshot-screens`` (the user's data folder)."""
    return app_data_dir() / "snapshot-screens"


class SnapshotService(QObject):
    def __init__(self, jobs: JobService, screens_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.screens_dir = screens_dir

    def screen_path(self, conn: Connection, uuid: str, name: str) -> Path:
        return virt_snapshots.screen_file(self.screens_dir, conn.uri, uuid, name)

    async def listing(self, conn: Connection, uuid: str) -> SnapshotListing:
        return await conn.call(virt_snapshots.list_snapshots, uuid)

    async def create(
        self, conn: Connection, uuid: str, name: str, description: str, mode: Mode
    ) -> Job[str]:
        """Start taking a snapshot; the screen is captured first if the domain runs."""
        screen: bytes | None = None
        record = conn.domains.get(uuid)
        if record is not None and record.state.is_active:
            try:
                screen = await conn.call(virt_snapshots.screen_png, uuid, conn.uri)
            except libvirt.libvirtError as exc:
                log.debug("no screenshot for snapshot %s: %s", name, exc)

        def work(virt: libvirt.virConnect) -> str:
            virt_snapshots.create_snapshot(virt, uuid, name, description, mode)
            return name

        def recheck(virt: libvirt.virConnect) -> str | None:
            return name if virt_snapshots.snapshot_exists(virt, uuid, name) else None

        parts = None
        if mode is Mode.DISK_ONLY:
            parts = await conn.call(virt_snapshots.domain_disk_parts, uuid)
        title = tr("Create snapshot “{0}”").format(shown(name))
        command = job_commands.snapshot_create(
            conn.uri, _domain_name(conn, uuid), name, description, mode, parts
        )
        # libvirt cannot stop an internal snapshot (QEMU's savevm) once started: no Cancel.
        job = self.jobs.start(conn, uuid, title, work, recheck=recheck, command=command)
        if screen is not None:
            job.future.add_done_callback(
                lambda f: self._keep_screen(f, self.screen_path(conn, uuid, name), screen)
            )
        return job

    def _keep_screen(self, done: asyncio.Future[str], path: Path, png: bytes) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        except OSError as exc:
            log.warning("cannot keep the snapshot's screenshot in %s: %s", path, exc)

    def revert(self, conn: Connection, uuid: str, name: str) -> Job[bool]:
        """Start reverting; the job's result says whether the domain runs afterwards."""

        def recheck(virt: libvirt.virConnect) -> bool | None:
            return virt_snapshots.reverted(virt, uuid, name)

        title = tr("Revert to snapshot “{0}”").format(shown(name))
        command = job_commands.snapshot_revert(conn.uri, _domain_name(conn, uuid), name)
        return self.jobs.start(
            conn, uuid, title, virt_snapshots.revert, uuid, name, recheck=recheck, command=command
        )

    def delete(
        self,
        conn: Connection,
        uuid: str,
        listing: SnapshotListing,
        name: str,
        *,
        children: bool,
        metadata_only: bool = False,
    ) -> Job[bool]:
        gone = [name]
        if children:
            gone += [s.name for s in listing.descendants(name)]

        def work(virt: libvirt.virConnect) -> bool:
            virt_snapshots.delete(virt, uuid, name, children=children, metadata_only=metadata_only)
            return True

        def recheck(virt: libvirt.virConnect) -> bool | None:
            return None if virt_snapshots.snapshot_exists(virt, uuid, name) else True

        title = tr("Delete snapshot “{0}”").format(shown(name))
        command = job_commands.snapshot_delete(
            conn.uri,
            _domain_name(conn, uuid),
            name,
            children=children,
            metadata_only=metadata_only,
        )
        job = self.jobs.start(conn, uuid, title, work, recheck=recheck, command=command)
        job.future.add_done_callback(lambda f: self._forget_screens(f, conn, uuid, gone))
        return job

    def _forget_screens(
        self, done: asyncio.Future[bool], conn: Connection, uuid: str, names: list[str]
    ) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        for name in names:
            with contextlib.suppress(OSError):
                self.screen_path(conn, uuid, name).unlink(missing_ok=True)

    async def describe(self, conn: Connection, uuid: str, name: str, text: str) -> None:
        """A new description: the metadata redefined, logged as that same redefine."""
        before = await conn.call(virt_snapshots.stored, uuid, name)
        xml = virt_snapshots.described(before.xml, text)
        command = job_commands.snapshot_redefine(
            conn.uri, _domain_name(conn, uuid), name, xml, current=before.current
        )
        await logged(conn, command, virt_snapshots.redefine, uuid, xml, before.current)


def _domain_name(conn: Connection, uuid: str) -> str:
    record = conn.domains.get(uuid)
    return record.name if record is not None else uuid
