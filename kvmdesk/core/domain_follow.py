"""Following one domain of one connection, for a session that shows it live.

The serial console (``core.console``) and the live display (``core.display``)
both attach while their domain runs, close when it stops or the link drops,
and attach again by themselves, sooner after a first failure and slower
after each further one. ``DomainFollow`` holds what they share: the
connection's signals that may change the picture, and the retry timer.
Each session keeps its own ``_update``, which decides what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import QMetaObject, QObject

from kvmdesk.core.connection import Connection

RETRY_START = 1.0  # seconds before attaching again after the first failure
RETRY_MAX = 30.0


class DomainFollow:
    """Mixed into a session (a QObject) that owns the state named here."""

    conn: Connection
    uuid: str
    _links: list[QMetaObject.Connection]
    _retries: int
    _retry: asyncio.TimerHandle | None

    def _update(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _follow(self) -> None:
        """Look again whenever the connection or this domain changes."""
        conn = self.conn
        self._links = [
            conn.stateChanged.connect(self._update),
            conn.domainChanged.connect(self._on_domain),
            conn.domainRemoved.connect(self._on_domain),
            conn.domainsReset.connect(self._update),
            conn.destroyed.connect(self._on_conn_destroyed),
        ]

    def _unfollow(self) -> None:
        for link in self._links:
            with contextlib.suppress(RuntimeError, TypeError):
                QObject.disconnect(link)
        self._links = []

    def _on_conn_destroyed(self, _obj: object = None) -> None:
        self._links = []
        self.close()

    def _on_domain(self, record_or_uuid: Any) -> None:
        uuid = getattr(record_or_uuid, "uuid", record_or_uuid)
        if uuid == self.uuid:
            self._update()

    def _cancel_retry(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None

    def _retry_later(self, delay: float | None = None) -> None:
        """Look again after ``delay`` s; by default slower after each failure."""
        self._cancel_retry()
        if delay is None:
            delay = min(RETRY_MAX, RETRY_START * (2**self._retries))
            self._retries += 1
        self._retry = asyncio.get_event_loop().call_later(delay, self._retry_now)

    def _retry_now(self) -> None:
        self._retry = None
        self._update()
