"""The ``virsh`` commands of a Hardware tab Apply.

A change the forms can express as one operation (``LiveOp``: vCPU count,
memory, media, link state, a device added or removed) is shown as the
virsh verb of that operation (``setvcpus``, ``setmem``, ``change-media``,
``domif-setlink``, ``attach-device``/``detach-device``/``update-device``
of the device's XML, which the script writes first), with ``--live``
and/or ``--config``. Any other next-boot edit is ``virsh define`` of the
saved definition (``virsh_commands.edited``). Passwords never reach the
text: device files lose them as definitions do (``domxml.secrets``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.secrets import without_secrets
from kvmdesk.virt.commands import Command, Note, file_name, joined, noted, with_file
from kvmdesk.virt.hardware import LiveOp, OpKind, Scope
from kvmdesk.virt.virsh_commands import domain, edited

_DEVICE_VERBS = {
    OpKind.ATTACH: "attach-device",
    OpKind.DETACH: "detach-device",
    OpKind.UPDATE: "update-device",
}


def _flags(live: bool, config: bool) -> tuple[str, ...]:
    return (*(("--live",) if live else ()), *(("--config",) if config else ()))


def setvcpus(
    uri: str, name: str, count: int, *, live: bool, config: bool, maximum: bool = False
) -> Command:
    extra = ("--maximum",) if maximum else ()
    return domain(uri, "setvcpus", name, "--count", str(count), *extra, *_flags(live, config))


def setmem(uri: str, name: str, kib: int, *, live: bool, config: bool) -> Command:
    return domain(uri, "setmem", name, "--size", f"{kib}KiB", *_flags(live, config))


def setmaxmem(uri: str, name: str, kib: int, *, live: bool, config: bool) -> Command:
    return domain(uri, "setmaxmem", name, "--size", f"{kib}KiB", *_flags(live, config))


def change_media(
    uri: str, name: str, target: str, source: str, *, had_media: bool, live: bool, config: bool
) -> Command:
    """Eject (``source`` ""), insert into an empty drive, or swap the medium."""
    if not source:
        action: tuple[str, ...] = ("--eject",)
    else:
        action = ("--source", source, "--update" if had_media else "--insert")
    return domain(uri, "change-media", name, "--path", target, *action, *_flags(live, config))


def setlink(uri: str, name: str, mac: str, up: bool, *, config: bool) -> Command:
    """``domif-setlink`` changes the running guest, or with ``--config`` the next boot."""
    state = "up" if up else "down"
    args = ("--interface", mac, "--state", state, *(("--config",) if config else ()))
    return domain(uri, "domif-setlink", name, *args)


def device_file(uri: str, verb: str, name: str, xml: str, *, live: bool, config: bool) -> Command:
    """``attach-device``/``detach-device``/``update-device`` of the device's XML."""
    path = file_name(name, "-device.xml")
    clean = without_secrets(xml)
    command = domain(uri, verb, name, "--file", path, *_flags(live, config))
    command = with_file(command, path, clean.strip() + "\n")
    return noted(command, Note.PASSWORD_LEFT_OUT) if clean != xml else command


def _source(disk: ET.Element) -> str:
    node = disk.find("source")
    if node is None:
        return ""
    return node.get("file") or node.get("dev") or ""


def _had_media(before: ET.Element | None, target: str) -> bool:
    if before is None:
        return True  # unknown: --update works on a full or an empty drive
    for disk in before.iter("disk"):
        node = disk.find("target")
        if node is not None and node.get("dev") == target:
            return bool(_source(disk))
    return True


def _link_up(element: ET.Element) -> bool:
    link = element.find("link")
    return link is None or link.get("state", "up") != "down"


def op_commands(
    uri: str, name: str, op: LiveOp, before: ET.Element | None, *, live: bool, config: bool
) -> list[Command]:
    """The command(s) of one operation; ``before``: the definition it changes."""
    if op.kind is OpKind.VCPUS:
        return [setvcpus(uri, name, op.value, live=live, config=config)]
    if op.kind is OpKind.MEMORY:
        return [setmem(uri, name, op.value, live=live, config=config)]
    element = ET.fromstring(op.xml)
    if op.kind is OpKind.UPDATE and element.tag == "disk":
        target = element.find("target")
        if target is not None and target.get("dev"):
            dev = target.get("dev", "")
            had = _had_media(before, dev)
            return [
                change_media(
                    uri, name, dev, _source(element), had_media=had, live=live, config=config
                )
            ]
    mac = element.find("mac")
    if op.kind is OpKind.UPDATE and element.tag == "interface" and mac is not None:
        up = _link_up(element)
        address = mac.get("address", "")
        both = [setlink(uri, name, address, up, config=True)] if config else []
        return both + ([setlink(uri, name, address, up, config=False)] if live else [])
    verb = _DEVICE_VERBS[op.kind]
    return [device_file(uri, verb, name, op.xml, live=live, config=config)]


def _without_config(command: Command) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(a for a in argv if a != "--config") for argv in command.lines)


def hardware_apply(
    uri: str,
    name: str,
    original: str,
    edited_xml: str,
    scope: Scope,
    *,
    config_ops: tuple[LiveOp, ...] | None,
    live_ops: tuple[LiveOp, ...],
    running: bool,
    live_xml: str | None = None,
) -> Command | None:
    """The commands of one Apply, in kvmdesk's order (next boot, then now).

    ``config_ops``: the next-boot change as operations, None when it is not
    one (the definition is then defined); ``live_xml``: the running
    definition. None when nothing would change.
    """
    store = Scope.CONFIG in scope and edited_xml != original
    now = Scope.LIVE in scope and running and bool(live_ops)
    before = ET.fromstring(original)
    now_before = ET.fromstring(live_xml) if live_xml else None
    steps: list[Command] = []
    if store and now and config_ops:
        # The same operation now and at next boot (the live device carries
        # more, such as its alias): one line with both flags.
        both = [
            c
            for op in config_ops
            for c in op_commands(uri, name, op, before, live=True, config=True)
        ]
        only_now = [
            c
            for op in live_ops
            for c in op_commands(uri, name, op, now_before, live=True, config=False)
        ]
        if [(_without_config(c), c.files) for c in both] == [(c.lines, c.files) for c in only_now]:
            return joined(both)
    if store:
        if config_ops:
            for op in config_ops:
                steps += op_commands(uri, name, op, before, live=False, config=True)
        else:
            steps.append(edited(uri, name, edited_xml))
    if now:
        for op in live_ops:
            steps += op_commands(uri, name, op, now_before, live=True, config=False)
    return joined(_distinct_files(steps)) if steps else None


def _distinct_files(steps: list[Command]) -> list[Command]:
    """Each device file under its own name: the script writes them all first."""
    seen: set[str] = set()
    result = []
    for step in steps:
        for path, _content in step.files:
            if path not in seen:
                seen.add(path)
                continue
            stem = path.removesuffix(".xml")
            number = 2
            while f"{stem}-{number}.xml" in seen:
                number += 1
            new = f"{stem}-{number}.xml"
            seen.add(new)
            lines = tuple(tuple(new if a == path else a for a in argv) for argv in step.lines)
            files = tuple((new if p == path else p, c) for p, c in step.files)
            step = Command(lines, files, step.notes)
        result.append(step)
    return result


__all__ = [
    "change_media",
    "device_file",
    "hardware_apply",
    "op_commands",
    "setlink",
    "setmaxmem",
    "setmem",
    "setvcpus",
]
