"""Applying the XML tab's edit: check, save, and every way a save can end.

Functions of ``XmlPage`` (which holds the state they read): the save runs
through ``core.steps.run_steps``, so a dropped link is said, awaited and
re-read; a change by someone else is shown side by side with the edit; a
hidden password that cannot be put back, or a connection that may not
read passwords, stops the save before anything is defined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libvirt

from kvmdesk.core import messages
from kvmdesk.core.command_log import recorded
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, checking_text, run_steps
from kvmdesk.domxml.secrets import HiddenSecretLost
from kvmdesk.ui.common.errors import ask
from kvmdesk.ui.domain.xml.xml_questions import conflict_question
from kvmdesk.ui.domain.xml.xml_save_words import (
    hidden_secret_lost_text,
    lost_link_text,
    secrets_unreadable_text,
    step_names,
)
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.errors import classify
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.xmledit import (
    SaveCheck,
    SaveResult,
    SecretsUnreadable,
    XmlConflict,
    check_xml,
    recheck_save,
    save_journal,
    save_xml,
)

if TYPE_CHECKING:
    from kvmdesk.core.connection import Connection
    from kvmdesk.ui.domain.xml.xml_page import XmlPage


async def apply_edit(page: XmlPage, force: bool = False) -> None:
    """Check the buffer, then define it; on any error the buffer stays."""
    conn, uuid = page._conn, page._uuid
    if conn is None or uuid is None:
        return
    problem = check_xml(page.editor.toPlainText())
    if problem is not None:
        page._show_problem(problem)
        return
    try:
        text = page.secrets.full_text()
    except HiddenSecretLost as lost:
        page._say(hidden_secret_lost_text(lost.path))
        return
    generation = page._generation
    original, secure = page._original, page._original_secure
    page._set_enabled(False)
    page._say(tr("Saving…"))

    def save(virt: libvirt.virConnect, journal: Journal) -> SaveResult:
        return save_xml(
            virt, uuid, original, text, force=force, original_secure=secure, journal=journal
        )

    def recheck(virt: libvirt.virConnect, journal: Journal) -> SaveCheck:
        return recheck_save(virt, uuid, original, text, journal, original_secure=secure)

    def checking(journal: Journal, _failure: object) -> None:
        if page._current(generation):
            page._say(checking_text(journal, step_names()))

    known = conn.domains.get(uuid)
    command = virsh_commands.edited(conn.uri, known.name if known else uuid, text)
    try:
        result = await recorded(
            conn.command_log,
            command,
            run_steps(conn, save, save_journal(), recheck, checking),
            unless=(XmlConflict, SecretsUnreadable),  # refused before anything was saved
        )
    except XmlConflict as conflict:
        if page._current(generation):
            page._set_enabled(True)
            page._say("")
            await _resolve(page, text, conflict.current, generation)
        return
    except SecretsUnreadable:
        if page._current(generation):
            page._set_enabled(True)
            page._say(secrets_unreadable_text())
        return
    except LinkLost as lost:
        await _after_lost_link(page, lost, generation, conn, uuid, text)
        return
    except Exception as exc:  # libvirtError (schema validation), lost connection
        if page._current(generation):
            page._set_enabled(True)
            failure = classify(exc)
            page._say(f"{messages.failure_summary(failure)}\n{failure.message}")
        return
    if not page._current(generation):
        return
    conn.invalidate(uuid)
    page._drafts.pop((conn, uuid), None)
    await page._load(generation, conn, uuid)
    if page._current(generation):
        page._say(_saved_text(page, result))


async def _after_lost_link(
    page: XmlPage,
    lost: LinkLost[SaveCheck],
    generation: int,
    conn: Connection,
    uuid: str,
    text: str,
) -> None:
    """Say what the re-read after the reconnect found: stored, not stored, or unclear."""
    check = lost.state
    if check is not None and check.stored:
        # Stored: the edit is now the definition, not a draft of it.
        page._drafts.pop((conn, uuid), None)
    if not page._current(generation):
        return
    if check is not None and check.stored:
        conn.invalidate(uuid)
        await page._load(generation, conn, uuid)
    elif page._current(generation):
        page._set_enabled(True)
    if not page._current(generation):
        return
    page._say(lost_link_text(lost))
    if check is not None and check.stored is None:
        await _resolve(page, text, check.current, generation, maybe_mine=True)


def _saved_text(page: XmlPage, result: SaveResult) -> str:
    lines = [tr("Saved.")]
    if result.dropped:
        lines.append(tr("libvirt did not keep: {0}").format(", ".join(result.dropped)))
    if result.running:
        lines.append(tr("Changes take effect at the next boot."))
    return "\n".join(lines)


async def _resolve(
    page: XmlPage, mine: str, theirs: str, generation: int, maybe_mine: bool = False
) -> None:
    dialog, reload, overwrite = conflict_question(page, mine, theirs, maybe_mine=maybe_mine)
    page.conflict_dialog = dialog
    await ask(dialog)
    clicked = dialog.clicked
    dialog.deleteLater()
    page.conflict_dialog = None
    if not page._current(generation):
        return
    if clicked is reload:
        if page._loaded_for is not None:
            page._drafts.pop(page._loaded_for, None)
        page.reload()
    elif clicked is overwrite:
        await page.apply(force=True)
