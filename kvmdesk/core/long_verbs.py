"""Verbs that take long run as jobs: Save (managed save) and Run of a saved domain.

Saving writes the whole memory to the host's disk; Run of a saved domain
reads it back. Both go to the jobs view: with libvirt's progress, beside
the connection's worker so the host's other pages stay live, and for Save
with Cancel (``abortJob``: the domain then goes on running).
"""

from __future__ import annotations

import libvirt

from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.virt import lifecycle, virsh_commands
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainRecord, DomainState
from kvmdesk.virt.shown import shown


def is_long(verb: Verb, record: DomainRecord) -> bool:
    return verb is Verb.SAVE or (verb is Verb.RUN and record.state is DomainState.SAVED)


def start(jobs: JobService, conn: Connection, record: DomainRecord, verb: Verb) -> Job[bool]:
    uuid = record.uuid
    if verb is Verb.SAVE:
        title = tr("Save “{0}”").format(shown(record.name))
    else:
        title = tr("Restore “{0}”").format(shown(record.name))

    def work(virt: libvirt.virConnect) -> bool:
        lifecycle.apply(virt, uuid, verb)
        return True

    def recheck(virt: libvirt.virConnect) -> bool | None:
        return lifecycle.reached(virt, uuid, verb)

    command = virsh_commands.lifecycle(conn.uri, verb, record.name)
    return jobs.start(
        conn, uuid, title, work, abortable=verb is Verb.SAVE, recheck=recheck, command=command
    )
