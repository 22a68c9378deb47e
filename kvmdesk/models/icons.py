"""Icons from resources/icons, loaded once."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from kvmdesk.paths import ICONS
from kvmdesk.virt.records import DomainState


@cache
def icon(name: str) -> QIcon:
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


_STATE_ICONS = {
    DomainState.RUNNING: "state-running",
    DomainState.BLOCKED: "state-running",
    DomainState.SHUTDOWN: "state-running",
    DomainState.PAUSED: "state-paused",
    DomainState.SHUTOFF: "state-shutoff",
    DomainState.CRASHED: "state-crashed",
    DomainState.PMSUSPENDED: "state-pmsuspended",
    DomainState.SAVED: "state-saved",
    DomainState.NOSTATE: "state-unknown",
}


def state_icon(state: DomainState) -> QIcon:
    return icon(_STATE_ICONS[state])
