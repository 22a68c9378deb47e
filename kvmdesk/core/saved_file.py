"""Save to a file and restore from a file as jobs.

Save writes the whole memory to a file on the host, with libvirt's
progress and Cancel (``abortJob``: the domain then goes on running).
Restore reads it back; libvirt reports no progress for it and cannot stop
it. After a dropped link the host is read again: the domain stopped with
the reason "saved" (the save happened), or runs (the restore happened).
"""

from __future__ import annotations

import libvirt

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.virt import saved_file, virsh_commands
from kvmdesk.virt.commands import virsh
from kvmdesk.virt.records import DomainRecord
from kvmdesk.virt.shown import shown


def save(jobs: JobService, conn: Connection, record: DomainRecord, path: str) -> Job[str]:
    uuid = record.uuid

    def recheck(virt: libvirt.virConnect) -> str | None:
        return saved_file.saved(virt, uuid, path)

    title = tr("Save “{0}” to {1}").format(shown(record.name), shown(path))
    command = virsh_commands.domain(conn.uri, "save", record.name, "--file", path)
    return jobs.start(
        conn,
        uuid,
        title,
        saved_file.save,
        uuid,
        path,
        abortable=True,
        recheck=recheck,
        command=command,
    )


def restore(jobs: JobService, conn: Connection, path: str, uuid: str, name: str) -> Job[str]:
    """Restore ``path``, which holds domain ``uuid`` called ``name`` (read from the file)."""

    def recheck(virt: libvirt.virConnect) -> str | None:
        return saved_file.restored(virt, uuid, path)

    title = tr("Restore “{0}” from {1}").format(shown(name), shown(path))
    command = virsh(conn.uri, "restore", "--file", path)
    job = jobs.start(
        conn,
        uuid,
        title,
        saved_file.restore,
        path,
        recheck=recheck,
        subject=name,
        command=command,
    )
    job.future.add_done_callback(lambda _f: conn.invalidate())
    return job
