"""Every state has an icon that loads; only Running and Blocked share one."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

from kvmdesk.models.icons import state_icon
from kvmdesk.virt.records import DomainState


def _pixels(state: DomainState) -> QImage:
    pixmap = state_icon(state).pixmap(24, 24)
    assert not pixmap.isNull(), state
    return pixmap.toImage()


def test_each_state_has_its_own_icon(qapp: Any) -> None:
    images = {state: _pixels(state) for state in DomainState}
    assert images[DomainState.RUNNING] == images[DomainState.BLOCKED]
    distinct = [s for s in DomainState if s is not DomainState.BLOCKED]
    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            assert images[a] != images[b], (a, b)
