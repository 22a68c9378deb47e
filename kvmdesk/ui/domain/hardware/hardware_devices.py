"""Add Hardware… and Remove: a device more or less, now and/or at next boot.

Both build the edited definition from the one the tab was loaded from (a
device appended, or the chosen one taken out) and go through the same
``run_apply`` as the forms: the next boot through a conflict-checked
define, the running guest through ``attachDeviceFlags`` /
``detachDeviceFlags`` (waiting until the guest releases the device).
Removing a disk never deletes its storage. A new disk image made for Add
is deleted again, through the storage API, only when nothing used it. A
device a running guest cannot take now (``virt.hotplug``) is added for the
next boot, and the reason is said.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from kvmdesk.core import messages
from kvmdesk.core.command_log import logged
from kvmdesk.core.messages import tr
from kvmdesk.domxml.hardware import set_shared_memory, to_text
from kvmdesk.ui.common.errors import ask, ask_yes
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.form_base import children, live_twin
from kvmdesk.ui.domain.hardware.form_list import REMOVABLE
from kvmdesk.ui.domain.hardware.hardware_apply import run_apply
from kvmdesk.ui.domain.hardware.hardware_words import (
    input_text,
    not_live_text,
    scope_sentence,
    used_disk_warning,
)
from kvmdesk.ui.domain.hardware.nic_form import NicForm
from kvmdesk.virt import storage, virsh_commands
from kvmdesk.virt.disk_paths import judge_disk_path
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hardware import LiveOp, OpKind, Scope
from kvmdesk.virt.plan_input import PlanInputError
from kvmdesk.virt.shown import shown

if TYPE_CHECKING:
    from kvmdesk.core.connection import Connection
    from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage


def _scope_for(page: HardwarePage) -> Scope | None:
    state = page.state
    assert state is not None
    if page.live_root is None:
        return Scope.CONFIG
    return Scope.BOTH if state.persistent else Scope.LIVE


async def remove_device(page: HardwarePage) -> None:
    form = page.selected_form()
    conn, uuid, state = page.conn, page.uuid, page.state
    if (
        not isinstance(form, REMOVABLE)
        or conn is None
        or uuid is None
        or state is None
        or page.stored_root is None
    ):
        return
    scope = _scope_for(page)
    assert scope is not None
    label = page.labels[page.forms.index(form)]
    lost = [scope_sentence(scope)]
    if isinstance(form, DiskForm) and form.values().source:
        lost.insert(
            0,
            tr(
                "The disk image {0} is kept: removing a disk here never deletes its storage."
            ).format(shown(form.values().source)),
        )
    elif isinstance(form, NicForm):
        lost.insert(0, tr("The guest loses this network connection."))
    generation = page.generation
    if page.confirm_remove and not await ask_yes(
        page,
        tr("Remove Device"),
        tr("Remove {0} from this virtual machine?").format(label),
        "\n".join(lost),
    ):
        return
    if not page.current(generation):
        return
    root = copy.deepcopy(page.stored_root)
    devices = root.find("devices")
    assert devices is not None
    gone = children(root)[form.index]
    devices.remove(gone)
    edited = to_text(root, state.stored)
    config_ops = (LiveOp(OpKind.DETACH, xml=ET.tostring(gone, encoding="unicode")),)
    ops: tuple[LiveOp, ...] = ()
    twin = live_twin(page.stored_root, form.index, page.live_root)
    if twin is not None and Scope.LIVE in scope:
        alias = twin.find("alias")
        ops = (
            LiveOp(
                OpKind.DETACH,
                xml=ET.tostring(twin, encoding="unicode"),
                alias=alias.get("name", "") if alias is not None else "",
            ),
        )
    page.set_busy(True)
    await run_apply(page, generation, conn, uuid, edited, ops, scope, config_ops=config_ops)


async def _judge_existing(page: HardwarePage, conn: Connection, dialog: AddHardwareDialog) -> bool:
    """An existing image or medium: what it is on the host (format, block device), who uses it."""
    device = dialog.device
    source = device.find("source") if device is not None else None
    if device is None or device.tag != "disk" or source is None or dialog.new_volume is not None:
        return True
    path = source.get("file", "")
    generation = page.generation
    try:
        check = await conn.call(judge_disk_path, path)
    except PlanInputError as error:
        page.say(input_text(error))
        return False
    except Exception as exc:
        page.say(messages.failure_summary(classify(exc)))
        return False
    if not page.current(generation):
        return False
    media = device.get("device") in ("cdrom", "floppy")
    if check.block:
        device.set("type", "block")
        source.attrib.pop("file", None)
        source.set("dev", check.path)
    driver = device.find("driver")
    if driver is not None and not media:
        driver.set("type", check.format if check.format in ("qcow2", "raw") else "raw")
    others = [name for name in check.used_by if name != page.domain_name()]
    if others and not media:
        page.set_busy(False)
        go_on = await ask_yes(
            page,
            tr("Apply Anyway?"),
            used_disk_warning(path, others),
            tr("Apply the change anyway?"),
        )
        if not go_on or not page.current(generation):
            return False
        page.set_busy(True)
    return True


async def add_hardware(page: HardwarePage) -> None:
    conn, uuid, state = page.conn, page.uuid, page.state
    if conn is None or uuid is None or state is None or page.stored_root is None:
        return
    scope = _scope_for(page)
    assert scope is not None
    dialog = AddHardwareDialog(page, conn, state.offer, page.stored_root, page.live_root)
    dialog.set_scope(scope)
    page.dialog = dialog
    accepted = await ask(dialog)
    page.dialog = None
    dialog.deleteLater()
    if not accepted or not page.current(page.generation) or dialog.device is None:
        return
    generation = page.generation
    not_live = dialog.refused_live
    then = ""
    if not_live is not None:  # the next boot only, and why
        then = not_live_text(not_live, state.persistent)
        if not state.persistent:
            page.say(then)
            return
        scope = Scope.CONFIG
    page.set_busy(True)
    if not await _judge_existing(page, conn, dialog):
        if page.current(generation):
            page.set_busy(False)
        return
    created = None
    if dialog.new_volume is not None:
        pool, name, size_gib = dialog.new_volume
        page.say(tr("Creating the disk image…"))
        try:
            command = virsh_commands.vol_create_as(
                conn.uri, pool, name, storage.size_bytes(size_gib), "qcow2"
            )
            created = await logged(conn, command, storage.create_volume, pool, name, size_gib)
        except Exception as exc:
            if page.current(generation):
                page.set_busy(False)
                failure = classify(exc)
                page.say(f"{messages.failure_summary(failure)}\n{failure.message}")
            return
        source = dialog.device.find("source")
        assert source is not None
        source.set("file", created.path)
    root = copy.deepcopy(page.stored_root)
    devices = root.find("devices")
    assert devices is not None
    devices.append(dialog.device)
    if dialog.turn_on_shared:
        set_shared_memory(root, True)
    edited = to_text(root, state.stored)
    xml = ET.tostring(dialog.device, encoding="unicode")
    ops = (LiveOp(OpKind.ATTACH, xml=xml),) if Scope.LIVE in scope else ()
    outcome = await run_apply(
        page,
        generation,
        conn,
        uuid,
        edited,
        ops,
        scope,
        config_ops=(LiveOp(OpKind.ATTACH, xml=xml),),
        then=then,
    )
    used = outcome is not None and (outcome.stored or bool(outcome.live_done))
    if created is not None and not used and dialog.new_volume is not None:
        try:
            pool = dialog.new_volume[0]
            command = virsh_commands.vol_delete(conn.uri, pool, created.name)
            await logged(conn, command, storage.delete_volume, pool, created.name)
        except Exception as exc:  # say it: the new image stays behind
            if page.current(generation):
                page.say(
                    page.message.text()
                    + "\n"
                    + tr("The new disk image {0} could not be deleted: {1}").format(
                        shown(created.path), messages.failure_summary(classify(exc))
                    )
                )
