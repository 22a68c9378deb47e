"""The XML tab's sentences about a save: its steps, and what a dropped link left.

A save whose link drops is re-read after the reconnect (``core.steps``);
these say what the re-read found. The edit is either stored (it is the
definition now), not stored (it is still in the editor), or the definition
changed in a way that may or may not be the edit (a comparison follows).
"""

from __future__ import annotations

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, lost_text
from kvmdesk.virt.xmledit import SaveCheck


def step_names() -> dict[str, str]:
    return {
        "read": tr("reading the stored definition"),
        "define": tr("saving the new definition"),
        "read back": tr("reading back what was stored"),
    }


def lost_link_text(lost: LinkLost[SaveCheck]) -> str:
    """What the re-read after the reconnect found, as the tab's message."""
    head = lost_text(lost, step_names())
    check = lost.state
    if check is None:
        return messages.sentences(head, tr("Your edit is still in the editor."))
    if check.stored:
        text = messages.sentences(
            head, tr("kvmdesk read the definition again after reconnecting: your edit is stored.")
        )
        if check.running:
            text += "\n" + tr("Changes take effect at the next boot.")
        return text
    if check.stored is False:
        return messages.sentences(
            head,
            tr(
                "kvmdesk read the definition again after reconnecting: your edit is not "
                "stored. It is still in the editor; Apply saves it."
            ),
        )
    return head  # unclear: the comparison that follows says the rest


def secrets_unreadable_text() -> str:
    return tr(
        "Not saved: this connection may not read the virtual machine's passwords, and "
        "saving the definition without them would delete the password of its VNC or "
        "SPICE display. Use a connection with full access to edit it."
    )


def hidden_secret_lost_text(path: str) -> str:
    return tr(
        "A hidden password was copied or moved ({0}). Show the passwords and type it there again."
    ).format(path)
