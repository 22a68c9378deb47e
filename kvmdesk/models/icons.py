"""Icons from kvmdesk/resources/icons, loaded once."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QIcon

from kvmdesk.paths import ICONS
from kvmdesk.virt.records import DomainState

log = logging.getLogger(__name__)


@cache
def icon(name: str) -> QIcon:
    if not name:  # an action or row without an icon
        return QIcon()
    path = ICONS / f"{name}.svg"
    loaded = QIcon(str(path)) if path.exists() else QIcon()
    if loaded.pixmap(16, 16).isNull():  # missing file, or no SVG support in this Qt
        log.warning("icon %s could not be loaded from %s", name, path)
    else:
        log.debug("icon %s loaded from %s", name, path)
    return loaded


_STATE_ICONS = {
    DomainState.RUNNING: "state-running",
    DomainState.BLOCKED: "state-running",
    DomainState.SHUTDOWN: "state-shutdown",  # its own: it is on its way off
    DomainState.PAUSED: "state-paused",
    DomainState.SHUTOFF: "state-shutoff",
    DomainState.CRASHED: "state-crashed",
    DomainState.PMSUSPENDED: "state-pmsuspended",
    DomainState.SAVED: "state-saved",
    DomainState.SAVED_TO_FILE: "state-saved-file",
    DomainState.NOSTATE: "state-unknown",
}


def state_icon(state: DomainState) -> QIcon:
    return icon(_STATE_ICONS[state])
