"""Migrate a domain between two open connections as a job.

The source's long link runs the migration (``long_call``); the job reads
libvirt's progress of the source domain's job once a second and shows the
expected downtime beside the state, then the downtime libvirt measured.
Cancel asks the source to stop the job (``abortJob``): the domain then
goes on where it was. An offline migration only moves a definition: no
progress, nothing to cancel. After a dropped link the destination is asked
whether the domain arrived. When the destination stops answering while
the source still does, the move fails at once and the job says that the
domain runs on at the source (a client-driven move is stopped for it).
"""

from __future__ import annotations

from typing import Any

import libvirt

from kvmdesk.core import long_call, messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.virt import job_commands
from kvmdesk.virt import jobs as virt_jobs
from kvmdesk.virt import migrate as virt_migrate
from kvmdesk.virt.jobs import JobProgress
from kvmdesk.virt.migrate import (
    DestinationLost,
    MigrateOutcome,
    MigratePlan,
    MigrateRequest,
    Mode,
)
from kvmdesk.virt.shown import shown


async def plan(conn: Connection, uuid: str) -> MigratePlan:
    return await conn.call(virt_migrate.plan_migration, uuid)


async def check(dest: Connection, migrate_plan: MigratePlan, request: MigrateRequest) -> None:
    """Ask the destination; raises ``MigrateProblem`` naming what it lacks."""
    await dest.call(virt_migrate.check_migration, migrate_plan, request)


def stayed_text() -> str:
    return tr("the machine runs on at the source")


def downtime_text(ms: int) -> str:
    return tr("downtime {0} ms").format(ms)


def start(
    jobs: JobService,
    source: Connection,
    dest: Connection,
    migrate_plan: MigratePlan,
    request: MigrateRequest,
) -> Job[MigrateOutcome]:
    title = tr("Migrate “{0}” to {1}").format(
        shown(migrate_plan.name), messages.connection_label(dest)
    )
    link = virt_migrate.DestLink(lambda: long_call.open_link(dest))

    def recheck(_virt: libvirt.virConnect) -> MigrateOutcome | None:
        there = virt_migrate.DestLink(lambda: long_call.open_link(dest))
        try:
            return virt_migrate.recheck(there.get(), migrate_plan)
        finally:
            there.close()

    def progress(virt: libvirt.virConnect) -> JobProgress | None:
        # Client-driven: our link to the destination is the only one; if it
        # closes, the move cannot finish, so the source stops at once.
        if not request.peer2peer and not request.tunnelled:
            virt_migrate.stop_if_destination_lost(virt, migrate_plan.uuid, link)
        return virt_jobs.read_progress(virt, migrate_plan.uuid)

    job = jobs.start(
        source,
        migrate_plan.uuid,
        title,
        virt_migrate.migrate,
        migrate_plan,
        request,
        link,
        abortable=request.mode is not Mode.OFFLINE,
        recheck=recheck,
        progress=progress,
        command=job_commands.migrate(source.uri, migrate_plan.name, request),
    )

    def expected() -> None:
        progress = job.progress
        if not job.state.finished and progress is not None and progress.downtime_ms is not None:
            job.set_note(tr("expected {0}").format(downtime_text(progress.downtime_ms)))

    def ended(future: Any) -> None:
        source.invalidate()
        dest.invalidate()
        if future.cancelled() or future.exception() is not None:
            lost = not future.cancelled() and isinstance(future.exception(), DestinationLost)
            job.set_note(stayed_text() if lost else "")
            return
        outcome: MigrateOutcome = future.result()
        if outcome.downtime_ms is not None:
            job.set_note(downtime_text(outcome.downtime_ms))

    job.changed.connect(expected)
    job.future.add_done_callback(ended)
    return job
