"""Clone a domain as a job: progress from the new volumes' size, Cancel between disks.

The copy of each disk runs on a link of its own (``long_call``); the
connection's worker reads how big the new volumes have grown once a
second. Cancel takes effect before the next disk (libvirt cannot stop a
volume copy in the middle) and removes what the clone made. After a
dropped link the host is read again: the clone is there, or its partial
volumes are removed (or listed when they cannot be).
"""

from __future__ import annotations

import threading

import libvirt

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.virt import clone as virt_clone
from kvmdesk.virt import job_commands
from kvmdesk.virt.clone import ClonePlan, CloneRequest
from kvmdesk.virt.jobs import JobProgress
from kvmdesk.virt.shown import shown


async def plan(conn: Connection, uuid: str) -> ClonePlan:
    return await conn.call(virt_clone.plan_clone, uuid)


async def check(conn: Connection, clone_plan: ClonePlan, request: CloneRequest) -> None:
    """Refuse before starting (raises ``PlanInputError`` or ``CloneProblem``)."""
    await conn.call(virt_clone.check_clone, clone_plan, request)


def start(
    jobs: JobService, conn: Connection, clone_plan: ClonePlan, request: CloneRequest
) -> Job[virt_clone.CloneOutcome]:
    stop = threading.Event()
    journal = virt_clone.clone_journal(clone_plan, request)
    names = virt_clone.new_volume_names(clone_plan, request)

    def progress(virt: libvirt.virConnect) -> JobProgress | None:
        return virt_clone.clone_progress(virt, clone_plan, names)

    def recheck(virt: libvirt.virConnect) -> virt_clone.CloneOutcome | None:
        return virt_clone.recheck_clone(virt, clone_plan, request)

    title = tr("Clone “{0}” as “{1}”").format(shown(clone_plan.name), shown(request.name))
    command = job_commands.virt_clone(conn.uri, clone_plan, request)
    job = jobs.start(
        conn,
        clone_plan.uuid,
        title,
        virt_clone.execute_clone,
        clone_plan,
        request,
        journal,
        stop,
        recheck=recheck,
        progress=progress,
        cancel=stop.set,
        command=command,
    )
    job.future.add_done_callback(lambda _f: conn.invalidate())
    return job
