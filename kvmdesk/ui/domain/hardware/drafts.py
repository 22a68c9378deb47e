"""Unapplied edits of the Hardware tab, kept while another domain is shown.

When the selection moves away from a domain whose forms hold changes, the
forms themselves (widgets, the definition they were loaded from) are set
aside, not rebuilt; when that domain is shown again they come back as
they were, and Apply checks them against the stored definition as usual.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask_yes
from kvmdesk.ui.domain.hardware.form_base import HardwareForm
from kvmdesk.virt.hardware import HardwareState
from kvmdesk.virt.shown import shown

if TYPE_CHECKING:
    from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage


@dataclass
class Draft:
    state: HardwareState
    stored_root: ET.Element
    live_root: ET.Element | None
    forms: list[HardwareForm]
    labels: list[str]
    pages: list[QWidget] = field(default_factory=list)  # the stack's widgets, in order
    row: int = 0


def keep_draft(page: HardwarePage) -> None:
    """Set the shown domain's forms aside when they hold changes."""
    key = page.loaded_for
    if key is None or page.state is None or page.stored_root is None or not page.is_modified():
        return
    widgets = [page.stack.widget(i) for i in range(1, page.stack.count())]
    kept = [widget for widget in widgets if widget is not None]
    for widget in kept:
        page.stack.removeWidget(widget)
    page.drafts[key] = Draft(
        page.state,
        page.stored_root,
        page.live_root,
        page.forms,
        page.labels,
        kept,
        page.items.currentRow(),
    )
    page.forms, page.labels = [], []


def restore_draft(page: HardwarePage, draft: Draft) -> None:
    page.state, page.stored_root, page.live_root = draft.state, draft.stored_root, draft.live_root
    page.forms, page.labels = draft.forms, draft.labels
    for widget in draft.pages:
        page.stack.addWidget(widget)
    for label in page.labels:
        page.items.addItem(label)
    page.relabel()
    page.update_scope()
    page.items.setCurrentRow(draft.row)
    page.update_buttons()
    page.say(tr("Your unapplied changes are shown again. Apply saves them; Revert discards them."))


async def confirm_discard(page: HardwarePage, parent: QWidget) -> bool:
    """Ask whether unapplied hardware changes may be discarded; discards them on yes."""
    names = page.unsaved_names()
    if not names:
        return True
    discard = await ask_yes(
        parent,
        tr("Unapplied Hardware Changes"),
        tr("Some hardware changes are not applied."),
        tr("Changed and not applied: {0}.\nDiscard these changes and quit?").format(
            ", ".join(shown(name) for name in names)
        ),
    )
    if discard and shiboken6.isValid(page):
        page.drafts.clear()
        page.revert()
    return discard


__all__ = ["Draft", "confirm_discard", "keep_draft", "restore_draft"]
