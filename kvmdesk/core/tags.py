"""Edit Tags on one connection's domains, each change in the command log.

The tags written are known only once the host has answered (an edit adds
and removes against what is stored then), so each domain whose tags
changed is logged afterwards as the ``virsh metadata`` that stores the same.
"""

from __future__ import annotations

from kvmdesk.core.connection import Connection
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.tags import TagEdit, TagOutcome, edit_many


async def edit(conn: Connection, uuids: list[str], change: TagEdit) -> dict[str, TagOutcome]:
    """``edit_many`` on the connection's worker; each change logged."""
    outcomes = await conn.call(edit_many, uuids, change)
    for uuid, outcome in outcomes.items():
        record = conn.domains.get(uuid)
        if not outcome.changed or outcome.tags is None:
            continue
        name = record.name if record is not None else uuid
        command = virsh_commands.tags(
            conn.uri, name, outcome.tags, config=outcome.config, live=outcome.live
        )
        conn.command_log.record(command)
    return outcomes
