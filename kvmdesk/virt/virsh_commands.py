"""The ``virsh`` command for each thing kvmdesk does, one function per action.

Every name is passed as the value of the option that takes it
(``--domain``, ``--network``, ``--pool``, ``--vol``, ``--name``, ``--file``),
so a name that starts with ``-`` stays a name. A new action adds a function
here (or calls ``commands.virsh`` directly) and logs what it returns with
``core.command_log.logged``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.secrets import without_secrets
from kvmdesk.virt import tags as virt_tags
from kvmdesk.virt.commands import (
    Command,
    Note,
    file_name,
    joined,
    noted,
    safe_uri,
    virsh,
    with_file,
)
from kvmdesk.virt.delete import DeleteOutcome, DeletePlan, Part
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.pool_types import GLUSTER_ROOT, SOURCE_FORMAT, PoolSpec, pool_target

# virsh's verb for each lifecycle verb, and what follows the domain.
_VERBS: dict[Verb, tuple[str, tuple[str, ...]]] = {
    Verb.RUN: ("start", ()),
    Verb.SHUTDOWN: ("shutdown", ()),
    Verb.REBOOT: ("reboot", ()),
    Verb.FORCE_OFF: ("destroy", ()),
    Verb.PAUSE: ("suspend", ()),
    Verb.RESUME: ("resume", ()),
    Verb.SAVE: ("managedsave", ()),
    Verb.AUTOSTART_ON: ("autostart", ()),
    Verb.AUTOSTART_OFF: ("autostart", ("--disable",)),
}


def domain(uri: str, verb: str, name: str, *args: str) -> Command:
    """``virsh -c URI VERB --domain NAME ARGS...``."""
    return virsh(uri, verb, "--domain", name, *args)


def lifecycle(uri: str, verb: Verb, name: str) -> Command:
    word, extra = _VERBS[verb]
    return domain(uri, word, name, *extra)


def connect(uri: str) -> Command:
    """Connecting and listing what is there."""
    return virsh(uri, "list", "--all")


def define_file(uri: str, path: str) -> Command:
    """Define from a file the user chose (kvmdesk validates, as ``--validate``)."""
    return virsh(uri, "define", "--file", path, "--validate")


def create_file(uri: str, path: str) -> Command:
    """Start a transient domain from a file."""
    return virsh(uri, "create", "--file", path, "--validate")


def define_xml(uri: str, name: str, xml: str, verb: str = "define") -> Command:
    """Define (or ``create``) a definition kvmdesk holds as text (an edited
    XML): the script writes the file first. Passwords are left out of it
    (``domxml.secrets``), and the command says so (``Note.PASSWORD_LEFT_OUT``).
    """
    path = file_name(name)
    clean = without_secrets(xml)
    command = with_file(virsh(uri, verb, "--file", path, "--validate"), path, clean)
    return noted(command, Note.PASSWORD_LEFT_OUT) if clean != xml else command


def undefine(
    uri: str,
    name: str,
    *,
    managed_save: bool = False,
    snapshots: bool = False,
    checkpoints: bool = False,
    nvram: bool | None = None,
) -> Command:
    """``undefine`` with the options for what goes with the definition.

    ``nvram``: True removes the variable store, False keeps it, None: the
    domain has none.
    """
    options: list[str] = []
    if managed_save:
        options.append("--managed-save")
    if snapshots:
        options.append("--snapshots-metadata")
    if checkpoints:
        options.append("--checkpoints-metadata")
    if nvram is not None:
        options.append("--nvram" if nvram else "--keep-nvram")
    return domain(uri, "undefine", name, *options)


def tags(uri: str, name: str, tags: tuple[str, ...], *, config: bool, live: bool) -> Command:
    """``virsh metadata`` storing the domain's kvmdesk tags (or removing them
    when there are none left), as Edit Tags did."""
    args = ["metadata", "--domain", name, "--uri", virt_tags.NS]
    if tags:
        args += ["--key", virt_tags.PREFIX, "--set", virt_tags.tags_xml(tags)]
    else:
        args.append("--remove")
    args += [flag for flag, on in (("--config", config), ("--live", live)) if on]
    return virsh(uri, *args)


def vol_delete_path(uri: str, path: str) -> Command:
    """Delete a volume named by its path (virsh finds its pool)."""
    return virsh(uri, "vol-delete", "--vol", path)


def screenshot(uri: str, name: str, path: str, screen: int = 0) -> Command:
    """virsh writes the image as the hypervisor sends it (PPM from QEMU);
    kvmdesk writes a PNG: the note says so."""
    command = domain(uri, "screenshot", name, "--file", path, "--screen", str(screen))
    return noted(command, Note.IMAGE_FORMAT)


def send_key(uri: str, name: str, codes: tuple[int, ...], hold_ms: int = 0) -> Command:
    """One stroke: the keys pressed together, as Linux key codes."""
    hold = ("--holdtime", str(hold_ms)) if hold_ms else ()
    return domain(uri, "send-key", name, "--codeset", "linux", *hold, *map(str, codes))


def virt_viewer(uri: str, domain_key: str) -> Command:
    """The viewer kvmdesk opens: ``--`` ends its options, so any name is a name."""
    shown, removed = safe_uri(uri)
    notes = frozenset({Note.SECRET_REMOVED}) if removed else frozenset()
    return Command((("virt-viewer", "--connect", shown, "--", domain_key),), notes=notes)


def console(uri: str, name: str, device: str = "", *, force: bool = False) -> Command:
    args = ("--devname", device) if device else ()
    return domain(uri, "console", name, *args, *(("--force",) if force else ()))


# ---------------------------------------------------------------- networks


def net_define(uri: str, name: str, xml: str, *, autostart: bool = True) -> Command:
    """What Add Network does: define (validated), start, autostart."""
    path = file_name(name)
    root = ET.fromstring(xml)
    ET.indent(root)  # kvmdesk's one-line XML, laid out for reading
    xml = ET.tostring(root, encoding="unicode") + "\n"
    steps = [
        with_file(virsh(uri, "net-define", "--file", path, "--validate"), path, xml),
        network(uri, "net-start", name),
    ]
    if autostart:
        steps.append(network(uri, "net-autostart", name))
    return joined(steps)


def network(uri: str, verb: str, name: str, *args: str) -> Command:
    """``virsh -c URI VERB --network NAME ARGS...``."""
    return virsh(uri, verb, "--network", name, *args)


def net_active(uri: str, name: str, on: bool) -> Command:
    return network(uri, "net-start" if on else "net-destroy", name)


def net_autostart(uri: str, name: str, on: bool) -> Command:
    return network(uri, "net-autostart", name, *(() if on else ("--disable",)))


def net_delete(uri: str, name: str, *, active: bool, persistent: bool) -> Command:
    steps = []
    if active:
        steps.append(network(uri, "net-destroy", name))
    if persistent:
        steps.append(network(uri, "net-undefine", name))
    return joined(steps)


# ---------------------------------------------------------------- pools


def pool(uri: str, verb: str, name: str, *args: str) -> Command:
    """``virsh -c URI VERB --pool NAME ARGS...``."""
    return virsh(uri, verb, "--pool", name, *args)


def pool_create(uri: str, spec: PoolSpec) -> Command:
    """What Add Storage Pool does with a checked ``spec`` (``pool_types.check_spec``):
    ``pool-define-as`` with the options of its type, ``pool-build`` for a
    folder only (building any other type would format or partition), then
    ``pool-start`` and ``pool-autostart``."""
    source_path = spec.source_path
    if spec.kind == "gluster" and not source_path:
        source_path = GLUSTER_ROOT
    args = ["pool-define-as", "--name", spec.name, "--type", spec.kind]
    for flag, value in (
        ("--source-host", spec.host),
        ("--source-path", source_path),
        ("--source-dev", spec.device),
        ("--source-name", spec.source_name),
        ("--source-format", SOURCE_FORMAT.get(spec.kind, "")),
        ("--adapter-name", spec.adapter),
        ("--target", pool_target(spec)),
    ):
        if value:
            args += [flag, value]
    steps = [virsh(uri, *args)]
    if spec.kind == "dir":
        steps.append(pool(uri, "pool-build", spec.name))
    steps += [pool(uri, "pool-start", spec.name), pool(uri, "pool-autostart", spec.name)]
    return joined(steps)


def pool_active(uri: str, name: str, on: bool) -> Command:
    return pool(uri, "pool-start" if on else "pool-destroy", name)


def pool_autostart(uri: str, name: str, on: bool) -> Command:
    return pool(uri, "pool-autostart", name, *(() if on else ("--disable",)))


def pool_refresh(uri: str, name: str) -> Command:
    return pool(uri, "pool-refresh", name)


def pool_delete(uri: str, name: str, *, active: bool) -> Command:
    """Stop and undefine (the files stay: no ``pool-delete``)."""
    steps = [pool(uri, "pool-destroy", name)] if active else []
    steps.append(pool(uri, "pool-undefine", name))
    return joined(steps)


# ---------------------------------------------------------------- volumes


def vol_create_as(uri: str, pool_name: str, name: str, capacity: int, fmt: str) -> Command:
    """A new volume of ``capacity`` bytes; raw ones allocate nothing up front."""
    args = ["--pool", pool_name, "--name", name, "--capacity", str(capacity), "--format", fmt]
    if fmt == "raw":
        args += ["--allocation", "0"]
    return virsh(uri, "vol-create-as", *args)


def vol_resize(uri: str, pool_name: str, name: str, capacity: int) -> Command:
    return virsh(uri, "vol-resize", "--vol", name, "--capacity", str(capacity), "--pool", pool_name)


def vol_delete(uri: str, pool_name: str, name: str) -> Command:
    return virsh(uri, "vol-delete", "--vol", name, "--pool", pool_name)


def edited(uri: str, name: str, xml: str) -> Command:
    """A change made by editing the XML: ``virsh define`` of the saved file."""
    return noted(define_xml(uri, name, xml), Note.NO_SINGLE_COMMAND)


def deletion(
    uri: str, plan: DeletePlan, outcome: DeleteOutcome | None, *, keep_nvram: bool
) -> Command:
    """What Delete did: force off (if it did), undefine with the options it
    used, and delete each chosen volume it tried to delete.

    ``outcome`` None: the deletion stopped before saying (a dropped link);
    the command is then the undefine it set out to do.
    """
    extras = plan.extras
    gone = {p.part for p in outcome.removed} if outcome is not None else set()
    has_nvram = extras.has_nvram or Part.NVRAM in gone
    steps = []
    if outcome is not None and outcome.forced_off:
        steps.append(domain(uri, "destroy", plan.name))
    steps.append(
        undefine(
            uri,
            plan.name,
            managed_save=extras.managed_save or Part.MANAGED_SAVE in gone,
            snapshots=bool(extras.snapshots) or Part.SNAPSHOT in gone,
            checkpoints=bool(extras.checkpoints) or Part.CHECKPOINTS in gone,
            nvram=(not keep_nvram) if has_nvram else None,
        )
    )
    if outcome is not None:
        tried = outcome.deleted + [path for path, _reason in outcome.failed]
        steps += [vol_delete_path(uri, path) for path in tried]
    return joined(steps)


def deletion_error(outcome: DeleteOutcome) -> str | None:
    """None when the deletion did all it set out to do, else what went wrong."""
    if outcome.complete:
        return None
    words = [outcome.undefine_error] if outcome.undefine_error else []
    words += [f"{n.piece.path or n.piece.name}: {n.reason}" for n in outcome.not_done]
    return "; ".join(words) or "incomplete"
