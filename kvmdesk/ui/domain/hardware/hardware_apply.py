"""Applying the Hardware tab's edits, and every way an Apply can end.

Functions of ``HardwarePage``: check each edited form (refusals named in
plain words, the form brought to the front), ask the host about the
disks and MACs (another VM's is named, as a warning), build the edited
definition from a copy of the one the forms were loaded from, and run
``virt.hardware.apply_hardware`` through ``core.steps.run_steps`` so that a
dropped link is said, awaited and re-read. Someone else's change since
the load is shown beside the edit and never overwritten: Reload or Cancel.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libvirt

from kvmdesk.core import messages
from kvmdesk.core.command_log import error_words
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, checking_text, run_steps
from kvmdesk.domxml import secrets
from kvmdesk.domxml.hardware import to_text
from kvmdesk.ui.common.errors import ask, ask_yes
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.form_base import HardwareForm
from kvmdesk.ui.domain.hardware.hardware_words import (
    input_text,
    lost_link_words,
    outcome_text,
    used_disk_warning,
    used_mac_warning,
)
from kvmdesk.ui.domain.hardware.nic_form import NicForm
from kvmdesk.ui.domain.xml.xml_questions import conflict_question
from kvmdesk.ui.domain.xml.xml_save_words import secrets_unreadable_text, step_names
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.disk_paths import judge_disk_path
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hardware import (
    ApplyOutcome,
    HardwareState,
    LiveOp,
    Scope,
    apply_hardware,
    set_autostart,
)
from kvmdesk.virt.hardware_commands import hardware_apply
from kvmdesk.virt.hardware_input import PlanInputError, mac_users
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.steps import Journal
from kvmdesk.virt.xmledit import (
    SaveCheck,
    SecretsUnreadable,
    XmlConflict,
    recheck_save,
    save_journal,
)

if TYPE_CHECKING:
    from kvmdesk.core.connection import Connection
    from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage


def _ordered(forms: list[HardwareForm]) -> list[HardwareForm]:
    """Devices first, the boot order last: it numbers the devices as they end up."""
    return sorted(forms, key=lambda form: isinstance(form, BootForm))


def edited_definition(original: str, forms: list[HardwareForm]) -> str:
    """``original`` with the fields of ``forms`` written in; the rest untouched."""
    root = ET.fromstring(original)
    for form in _ordered(forms):
        form.edit(root)
    return to_text(root, original)


async def _refused(page: HardwarePage, forms: list[HardwareForm]) -> bool:
    for form in forms:
        try:
            form.check()
        except PlanInputError as error:
            page.select_form(form)
            page.say(input_text(error))
            return True
    return False


async def _host_warnings(
    page: HardwarePage, conn: Connection, uuid: str, forms: list[HardwareForm]
) -> list[str] | None:
    """Warnings about disks and MACs others use; None when a path is refused."""
    name = page.domain_name()
    warnings: list[str] = []
    for form in forms:
        if isinstance(form, DiskForm) and form.source_editable:
            path = form.values().source
            if not path or path == form._loaded.source:
                continue
            try:
                check = await conn.call(judge_disk_path, path)
            except PlanInputError as error:
                page.select_form(form)
                page.say(input_text(error))
                return None
            others = [user for user in check.used_by if user != name]
            if others and not form.shareable.isChecked() and not form.readonly.isChecked():
                warnings.append(used_disk_warning(path, others))
        if isinstance(form, NicForm) and form.mac_changed and form.values().mac:
            users = await conn.call(mac_users, form.values().mac, uuid)
            if users:
                warnings.append(used_mac_warning(form.values().mac, users))
    return warnings


async def apply_forms(page: HardwarePage) -> None:
    conn, uuid, state = page.conn, page.uuid, page.state
    if conn is None or uuid is None or state is None:
        return
    dirty = page.dirty_forms()
    if not dirty or await _refused(page, dirty):
        return
    scope = page.chosen_scope()
    if scope is None:
        page.say(
            tr(
                "This virtual machine is transient: it has no next-boot definition, and this "
                "change cannot be made while it runs."
            )
        )
        return
    generation = page.generation
    page.set_busy(True)
    page.say(tr("Checking…"))
    try:
        warnings = await _host_warnings(page, conn, uuid, dirty)
    except Exception as exc:
        warnings = None
        if page.current(generation):
            page.say(messages.failure_summary(classify(exc)))
    if not page.current(generation):
        return
    if warnings is None:
        page.set_busy(False)
        return
    if warnings:
        page.set_busy(False)
        go_on = await ask_yes(
            page, tr("Apply Anyway?"), "\n".join(warnings), tr("Apply the change anyway?")
        )
        if not go_on or not page.current(generation):
            page.say("")
            return
        page.set_busy(True)
    plan = planned(page, dirty, scope)
    await run_apply(
        page,
        generation,
        conn,
        uuid,
        plan.edited,
        plan.live_ops,
        scope,
        plan.autostart,
        config_ops=plan.config_ops,
    )


@dataclass(frozen=True)
class Planned:
    """What an Apply of the edited forms sends."""

    edited: str
    live_ops: tuple[LiveOp, ...]
    config_ops: tuple[LiveOp, ...] | None
    autostart: bool | None


def planned(page: HardwarePage, dirty: list[HardwareForm], scope: Scope) -> Planned:
    state = page.state
    assert state is not None
    boot = next((f for f in dirty if isinstance(f, BootForm)), None)
    definition_forms = [f for f in dirty if not isinstance(f, BootForm) or f.definition_dirty()]
    edited = edited_definition(state.stored, definition_forms)
    live_ops: tuple[LiveOp, ...] = ()
    if Scope.LIVE in scope and page.live_root is not None:
        for form in definition_forms:
            live_ops += form.live_ops(page.live_root) or ()
    autostart = boot.autostart_change() if boot is not None else None
    config_ops = next_boot_ops(definition_forms, state.stored)
    return Planned(edited, live_ops, config_ops, autostart)


def preview_command(page: HardwarePage) -> Command | None:
    """The command Apply would log now; None while nothing (valid) is edited."""
    conn, state, scope, dirty = page.conn, page.state, page.chosen_scope(), page.dirty_forms()
    if conn is None or state is None or scope is None or not dirty:
        return None
    try:
        for form in dirty:
            form.check()
        plan = planned(page, dirty, scope)
    except (PlanInputError, ValueError, ET.ParseError):
        return None
    return apply_command(
        conn.uri,
        page.domain_name(),
        state,
        plan.edited,
        scope,
        plan.config_ops,
        plan.live_ops,
        plan.autostart,
    )


def apply_command(
    uri: str,
    name: str,
    state: HardwareState,
    edited: str,
    scope: Scope,
    config_ops: tuple[LiveOp, ...] | None,
    live_ops: tuple[LiveOp, ...],
    autostart: bool | None,
) -> Command | None:
    """The virsh equivalent of one Apply, autostart last as kvmdesk sets it."""
    command = hardware_apply(
        uri,
        name,
        state.stored,
        edited,
        scope,
        config_ops=config_ops,
        live_ops=live_ops,
        running=state.live is not None,
        live_xml=state.live,
    )
    if autostart is None:
        return command
    verb = Verb.AUTOSTART_ON if autostart else Verb.AUTOSTART_OFF
    shown = virsh_commands.lifecycle(uri, verb, name)
    return shown if command is None else command.then(shown)


def next_boot_ops(forms: list[HardwareForm], stored: str) -> tuple[LiveOp, ...] | None:
    """The next-boot edit of ``forms`` as operations, None when one is not one."""
    root = ET.fromstring(stored)
    ops: tuple[LiveOp, ...] = ()
    for form in forms:
        mine = form.live_ops(root)
        if mine is None:
            return None
        ops += mine
    return ops


async def run_apply(
    page: HardwarePage,
    generation: int,
    conn: Connection,
    uuid: str,
    edited: str,
    live_ops: tuple[LiveOp, ...],
    scope: Scope,
    autostart: bool | None = None,
    *,
    config_ops: tuple[LiveOp, ...] | None = None,
    then: str = "",
) -> ApplyOutcome | None:
    """Store and/or apply live, logging the equivalent commands; then reload
    the page and say how it ended (and ``then``)."""
    state = page.state
    assert state is not None
    original, secure = state.stored, state.secure
    command = apply_command(
        conn.uri, page.domain_name(), state, edited, scope, config_ops, live_ops, autostart
    )
    page.say(tr("Saving…"))

    def work(virt: libvirt.virConnect, journal: Journal) -> ApplyOutcome:
        outcome = apply_hardware(
            virt, uuid, original, edited, live_ops, scope, original_secure=secure, journal=journal
        )
        if autostart is not None:
            set_autostart(virt, uuid, autostart)
        return outcome

    def recheck(virt: libvirt.virConnect, journal: Journal) -> SaveCheck:
        return recheck_save(virt, uuid, original, edited, journal, original_secure=secure)

    def checking(journal: Journal, _failure: object) -> None:
        if page.current(generation):
            page.say(checking_text(journal, step_names()))

    try:
        outcome = await run_steps(conn, work, save_journal(), recheck, checking)
    except XmlConflict as conflict:
        if page.current(generation):
            page.set_busy(False)
            page.say(tr("Not applied: someone else changed this virtual machine meanwhile."))
            await _conflict(page, edited, conflict.current, generation)
        return None
    except SecretsUnreadable:
        if page.current(generation):
            page.set_busy(False)
            page.say(secrets_unreadable_text())
        return None
    except LinkLost as lost:
        if command is not None:
            conn.command_log.record(command, lost_link_words(lost))
        if page.current(generation):
            page.set_busy(False)
            await _after_lost_link(page, lost, generation, conn, uuid, edited)
        return None
    except Exception as exc:  # libvirtError (validation, refused), lost connection
        if command is not None:
            conn.command_log.record(command, error_words(exc))
        if page.current(generation):
            page.set_busy(False)
            failure = classify(exc)
            page.say(
                tr("Nothing was changed.")
                + f"\n{messages.failure_summary(failure)}\n{failure.message}"
            )
        return None
    if command is not None:
        failures = [failure.message for _op, failure in outcome.live_failed]
        conn.command_log.record(command, "; ".join(failures) or None)
    conn.invalidate(uuid)
    if page.current(generation):
        page.set_busy(False)
        page.reload("\n".join(t for t in (outcome_text(outcome, scope), then) if t))
    return outcome


async def _after_lost_link(
    page: HardwarePage,
    lost: LinkLost[SaveCheck],
    generation: int,
    conn: Connection,
    uuid: str,
    edited: str,
) -> None:
    """Stored: show what is stored now. Not stored: the forms keep the edit. Unclear: compare."""
    check = lost.state
    text = lost_link_words(lost)
    if check is not None and check.stored:
        conn.invalidate(uuid)
        page.reload(text)
        return
    page.say(text)
    if check is not None and check.stored is None:
        await _conflict(page, edited, check.current, generation)


async def _conflict(page: HardwarePage, mine: str, theirs: str, generation: int) -> None:
    state = page.state
    loaded = state.stored if state is not None else ""
    shown_theirs, shown_mine = secrets.mask_pair(loaded, theirs)[1], secrets.mask(mine)[0]
    dialog, reload, overwrite = conflict_question(page, shown_mine, shown_theirs)
    overwrite.setVisible(False)  # the forms never overwrite someone else's change
    page.dialog = dialog
    await ask(dialog)
    clicked = dialog.clicked
    dialog.deleteLater()
    page.dialog = None
    if page.current(generation) and clicked is reload:
        page.reload()


__all__ = [
    "Planned",
    "apply_command",
    "apply_forms",
    "copy",
    "edited_definition",
    "next_boot_ops",
    "planned",
    "preview_command",
    "run_apply",
]
