"""What the user has selected: a domain and the connection it lives on."""

from __future__ import annotations

from dataclasses import dataclass

from kvmdesk.core.connection import Connection
from kvmdesk.virt.records import DomainRecord


@dataclass(frozen=True, slots=True)
class Selected:
    conn: Connection
    record: DomainRecord
