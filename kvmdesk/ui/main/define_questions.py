"""Define and Create from XML: the replacement question and the sentences about outcomes.

A file with the name and UUID of an existing virtual machine replaces its
definition (libvirt's define does so without a word): the question shows
"This replaces the definition of “X”" with both definitions side by side,
and only an explicit Replace, never the default button, goes on. A name or
UUID that belongs to another machine is refused before libvirt sees it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QWidget

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, lost_text
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.virt.define import DefineCheck, Defined, Existing, Mode
from kvmdesk.virt.shown import shown


def replace_question(
    parent: QWidget | None, existing: Existing, text: str, mode: Mode
) -> tuple[CompareDialog, QAbstractButton]:
    """The question before replacing ``existing``'s definition, and its Replace button."""
    headline = tr("This replaces the definition of “{0}”.").format(shown(existing.name))
    if mode is Mode.DEFINE:
        explanation = tr(
            "A virtual machine with the same name and UUID exists on this connection. "
            "Defining the file replaces its definition: the shaded lines change. Disks "
            "that are no longer in the definition are not deleted, but it no longer uses them."
        )
        button_text = tr("&Replace")
    else:
        explanation = tr(
            "A virtual machine with the same name and UUID exists on this connection and is "
            "shut off. Creating the file starts it with this definition in place of its own "
            "(the shaded lines differ) until it shuts down."
        )
        button_text = tr("&Replace and Start")
    dialog = CompareDialog(
        parent,
        tr("Replace Virtual Machine"),
        headline,
        explanation,
        (tr("Defined now: {0}").format(shown(existing.name)), existing.xml),
        (tr("From the file"), text),
    )
    replace = dialog.add_choice(button_text, QDialogButtonBox.ButtonRole.DestructiveRole)
    return dialog, replace


def identity_taken_text(existing: Existing, mode: Mode) -> str:
    """Why a definition whose name or UUID belongs to another machine is refused."""
    if existing.other_name:
        return tr(
            "The name belongs to “{0}” and the UUID to “{1}”. Change the name and the "
            "UUID (or remove the <uuid> line) to add a new virtual machine."
        ).format(shown(existing.name), shown(existing.other_name))
    if existing.same_name and existing.same_uuid:  # Create, and it runs
        return tr(
            "“{0}” has this name and UUID and is running. Shut it down first, or change "
            "the name and the UUID to create another one."
        ).format(shown(existing.name))
    if existing.same_name:
        return tr(
            "A virtual machine named “{0}” already exists, with another UUID ({1}). "
            "Change the name to add a new one; to replace its definition, the file "
            "must have its UUID."
        ).format(shown(existing.name), existing.uuid)
    return tr(
        "The UUID {0} belongs to “{1}”. Change the UUID (or remove the <uuid> line) to "
        "add a new virtual machine."
    ).format(existing.uuid, shown(existing.name))


def step_names(mode: Mode) -> dict[str, str]:
    return {
        "look": tr("checking the name and UUID"),
        Mode.DEFINE.value: tr("defining"),
        Mode.CREATE.value: tr("creating and starting"),
        "read back": tr("reading back the new virtual machine"),
    }


def lost_link_text(lost: LinkLost[Any], mode: Mode, name: str) -> str:
    """What a define or create cut by a dropped link left, as the re-read found it."""
    head = lost_text(lost, step_names(mode))
    check: DefineCheck | None = lost.state
    if check is None:
        return messages.sentences(head, tr("The XML is still here."))
    found: Defined | None = check.domain
    if check.stored and found is not None:
        what = (
            tr("“{0}” was defined.").format(shown(found.name))
            if mode is Mode.DEFINE
            else tr("“{0}” was created and is running.").format(shown(found.name))
        )
        return messages.sentences(head, _reread(), what)
    if check.stored is False:
        nothing = (
            tr("Nothing was defined; the XML is still here.")
            if mode is Mode.DEFINE
            else tr("Nothing was created; the XML is still here.")
        )
        return messages.sentences(head, _reread(), nothing)
    return messages.sentences(
        head,
        tr(
            "“{0}” exists, but its definition differs both from the one it had and from "
            "this XML; kvmdesk cannot tell whether it holds this XML."
        ).format(shown(name)),
    )


def _reread() -> str:
    return tr("After reconnecting, kvmdesk read the host again.")
