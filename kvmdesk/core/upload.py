"""Upload a local file to a pool as a job: bytes sent as progress, Cancel at any time."""

from __future__ import annotations

import os
import threading

import libvirt

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.virt import job_commands
from kvmdesk.virt import upload as virt_upload
from kvmdesk.virt.shown import shown


async def check(conn: Connection, pool: str, name: str, path: str) -> None:
    """Refuse before starting (raises ``InvalidStorageInput`` or ``OSError``)."""
    size = os.path.getsize(path)
    await conn.call(virt_upload.check_upload, pool, name, size)


def start(jobs: JobService, conn: Connection, pool: str, name: str, path: str) -> Job[str]:
    size = os.path.getsize(path)
    counter = virt_upload.Counter(size)
    stop = threading.Event()

    def recheck(virt: libvirt.virConnect) -> str | None:
        return virt_upload.remove_partial(virt, pool, name)

    title = tr("Upload “{0}” to pool “{1}”").format(shown(os.path.basename(path)), shown(pool))
    return jobs.start(
        conn,
        "",
        title,
        virt_upload.upload,
        pool,
        name,
        path,
        counter,
        stop,
        recheck=recheck,
        cancel=stop.set,
        counter=counter.progress,
        subject=name,
        command=job_commands.vol_upload(conn.uri, pool, name, path, size),
    )
