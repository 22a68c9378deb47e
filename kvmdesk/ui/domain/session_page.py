"""What the Console and Display tabs share about their live session.

Each tab follows one domain, opens a session while it is shown and closes
it when it is hidden or points elsewhere; a session whose closing is still
under way when the tab itself is destroyed must be closed then too.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any, Protocol

import shiboken6
from PySide6.QtWidgets import QWidget

from kvmdesk.core.connection import Connection


class Session(Protocol):
    def close(self) -> None: ...

    def deleteLater(self) -> None: ...


def followed(conn: Connection | None, uuid: str | None) -> tuple[Connection, str] | None:
    """The domain a tab follows, while its connection lives."""
    if conn is None or uuid is None or not shiboken6.isValid(conn):
        return None
    return conn, uuid


class LiveSessions:
    """The sessions a tab opened and has not closed; all closed when the tab goes."""

    def __init__(self, page: QWidget) -> None:
        self._sessions: list[Any] = []
        page.destroyed.connect(functools.partial(_close_all, self._sessions))

    def add(self, session: Session) -> None:
        self._sessions.append(session)

    def release(self, session: Session, signals: tuple[Any, ...]) -> bool:
        """Close ``session`` and cut its ``signals``; False when Qt already deleted it."""
        if session in self._sessions:
            self._sessions.remove(session)
        if not shiboken6.isValid(session):
            return False
        session.close()
        for signal in signals:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect()
        session.deleteLater()
        return True


def _close_all(sessions: list[Any], *_args: object) -> None:
    for session in list(sessions):
        if shiboken6.isValid(session):
            session.close()
            session.deleteLater()
    sessions.clear()
