"""The commands kvmdesk shows do what kvmdesk did, on the real daemon.

Domain verbs: one guest is acted on through kvmdesk (``ActionService``,
which logs the command), and its twin (same definition, another name) by
running the logged command, its name swapped for the twin's, with the real
``virsh`` through ``sh``; then both are compared: state, autostart,
persistence and the canonical inactive XML (names, UUIDs, MACs normalised).

Networks, pools, volumes and definitions: kvmdesk creates the resource, its
state and XML are read and it is removed; then the command the dialog shows
(or the log holds) runs in ``sh``, creating it again under the same name,
and the two readings must agree.

A new row is one ``Row`` in ``ROWS`` (domain verbs), or one test below built
on ``_resource_twice``.
"""

from __future__ import annotations

import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import clone as core_clone
from kvmdesk.core import tags as core_tags
from kvmdesk.core.actions import ActionService
from kvmdesk.core.command_log import Outcome, logged
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.host.network_dialog import AddNetworkDialog
from kvmdesk.ui.host.storage_dialogs import NewVolumeDialog
from kvmdesk.virt import networks, storage, virsh_commands
from kvmdesk.virt.clone import CloneRequest
from kvmdesk.virt.commands import Command
from kvmdesk.virt.define import Mode, define_or_create
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.pool_types import PoolSpec
from kvmdesk.virt.snapshots import Mode as SnapshotMode
from kvmdesk.virt.tags import NS as TAGS_NS
from kvmdesk.virt.tags import TagEdit

try:
    from .conftest import TEST_URI, new_guest_name, remove_domain
    from .conftest_pools import ScratchPool, test_pool
    from .guest import READY_MARKER, GuestAssets, SerialConsole, default_cache_dir, guest_domain_xml
    from .test_hardware_real import _form as _hw_form
    from .test_hardware_real import _guest_xml as hardware_guest_xml
    from .test_hardware_real import _page as hardware_page
    from .virt_install import facts
except ImportError:
    from conftest import TEST_URI, new_guest_name, remove_domain  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from guest import (  # type: ignore[no-redef]
        READY_MARKER,
        GuestAssets,
        SerialConsole,
        default_cache_dir,
        guest_domain_xml,
    )
    from test_hardware_real import _form as _hw_form  # type: ignore[no-redef]
    from test_hardware_real import _guest_xml as hardware_guest_xml  # type: ignore[no-redef]
    from test_hardware_real import _page as hardware_page  # type: ignore[no-redef]
    from virt_install import facts  # type: ignore[no-redef]

pytestmark = pytest.mark.integration

Run = Callable[..., Any]
S = libvirt


def run_shown(command: Command, workdir: Path) -> None:
    """Run the command text in ``sh`` exactly as a user pastes it."""
    done = subprocess.run(
        ["sh", "-c", "set -e\n" + command.script()],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{command.script()}\n{done.stdout}{done.stderr}"


def renamed(
    command: Command, old: str, new: str, in_files: dict[str, str] | None = None
) -> Command:
    """The same command for the twin: every argument that is ``old`` becomes
    ``new``; with ``in_files``, the files have ``old`` (and each key of
    ``in_files``) replaced too."""
    lines = tuple(tuple(new if a == old else a for a in argv) for argv in command.lines)
    files = command.files
    if in_files is not None:
        swaps = {old: new, **in_files}
        files = tuple((name, _swapped(text, swaps)) for name, text in files)
    return Command(lines, files, command.notes)


def renamed_within(command: Command, old: str, new: str) -> Command:
    """The same command for the twin, ``old`` replaced wherever an argument
    holds it (``--name=OLD-copy``, a path named after the guest)."""
    lines = tuple(tuple(a.replace(old, new) for a in argv) for argv in command.lines)
    return Command(lines, command.files, command.notes)


def _swapped(text: str, swaps: dict[str, str]) -> str:
    for old, new in swaps.items():
        text = text.replace(old, new)
    return text


# -- domains ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    verb: Verb
    word: str  # virsh's verb, as the log must show it
    before: tuple[
        str, ...
    ] = ()  # set up on both guests first: "start", "ready", "pause", "autostart"
    state: int = S.VIR_DOMAIN_SHUTOFF  # what both reach


ROWS = [
    Row(Verb.RUN, "start", state=S.VIR_DOMAIN_RUNNING),
    Row(Verb.SHUTDOWN, "shutdown", ("start", "ready")),
    Row(Verb.REBOOT, "reboot", ("start", "ready"), S.VIR_DOMAIN_RUNNING),
    Row(Verb.FORCE_OFF, "destroy", ("start",)),
    Row(Verb.PAUSE, "suspend", ("start",), S.VIR_DOMAIN_PAUSED),
    Row(Verb.RESUME, "resume", ("start", "pause"), S.VIR_DOMAIN_RUNNING),
    Row(Verb.AUTOSTART_ON, "autostart"),
    Row(Verb.AUTOSTART_OFF, "autostart", ("autostart",)),
]


def _observe(virt: Any, name: str) -> tuple[int, bool, bool, set[str]]:
    dom = virt.lookupByName(name)
    xml = dom.XMLDesc(S.VIR_DOMAIN_XML_INACTIVE)
    return dom.state()[0], bool(dom.autostart()), bool(dom.isPersistent()), facts(xml)


def _prepare(virt: Any, name: str, steps: tuple[str, ...]) -> SerialConsole | None:
    dom = virt.lookupByName(name)
    console = None
    for step in steps:
        if step == "start":
            dom.create()
            console = SerialConsole(virt, dom)
        elif step == "ready" and console is not None:
            console.wait_for(READY_MARKER, timeout=180)
        elif step == "pause":
            dom.suspend()
        elif step == "autostart":
            dom.setAutostart(1)
    return console


def _until_state(virt: Any, name: str, state: int, again: Callable[[], None] | None) -> None:
    """Wait for ``state``; a shutdown the guest missed is asked again, as a user would."""
    deadline = time.monotonic() + 120
    asked = time.monotonic()
    while virt.lookupByName(name).state()[0] != state:
        assert time.monotonic() < deadline, f"{name} never reached state {state}"
        if again is not None and time.monotonic() - asked > 15:
            again()
            asked = time.monotonic()
        time.sleep(0.2)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.word}-{r.verb.value}" for r in ROWS])
def test_a_domain_verb_and_its_shown_command_do_the_same(
    row: Row,
    manager: Any,
    settings: Any,
    run: Run,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    ours, twin = new_guest_name(), new_guest_name()
    consoles = []
    try:
        for name in (ours, twin):
            libvirt_conn.defineXML(guest_domain_xml(name, guest_assets))
            consoles.append(_prepare(libvirt_conn, name, row.before))
        conn = manager.add(TEST_URI, persist=False)
        assert run(conn.open_and_wait()), conn.failure
        uuid = libvirt_conn.lookupByName(ours).UUIDString()
        service = ActionService(settings)

        def through_kvmdesk() -> None:
            assert run(service.apply(conn, [uuid], row.verb, {uuid: ours})) == []

        through_kvmdesk()
        entry = conn.command_log.entries[0]
        assert entry.outcome is Outcome.OK
        assert entry.command.lines[0][:4] == ("virsh", "-c", TEST_URI, row.word)
        assert ("--domain", ours) == entry.command.lines[0][4:6]
        shown = renamed(entry.command, ours, twin)
        run_shown(shown, tmp_path)

        again = row.verb is Verb.SHUTDOWN
        _until_state(libvirt_conn, ours, row.state, through_kvmdesk if again else None)
        _until_state(
            libvirt_conn, twin, row.state, (lambda: run_shown(shown, tmp_path)) if again else None
        )
        assert _observe(libvirt_conn, ours) == _observe(libvirt_conn, twin)
        assert _observe(libvirt_conn, ours)[0] == row.state
    finally:
        for console in consoles:
            if console is not None:
                console.close()
        for name in (ours, twin):
            remove_domain(libvirt_conn, name)


def _opened(manager: Any, run: Run) -> Connection:
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def test_define_from_a_file_and_virsh_define_of_it_do_the_same(
    manager: Any, run: Run, libvirt_conn: Any, guest_assets: GuestAssets, tmp_path: Path
) -> None:
    name = new_guest_name()
    path = tmp_path / f"{name}.xml"
    path.write_text(guest_domain_xml(name, guest_assets), encoding="utf-8")
    conn = _opened(manager, run)
    command = virsh_commands.define_file(TEST_URI, str(path))

    def kvmdesk() -> None:
        text = path.read_text(encoding="utf-8")
        run(logged(conn, command, define_or_create, text, Mode.DEFINE))

    def undo() -> None:
        remove_domain(libvirt_conn, name)

    def observe() -> Any:
        return _observe(libvirt_conn, name)

    _resource_twice(kvmdesk, command, observe, undo, tmp_path)


def test_undefine_and_its_shown_command_do_the_same(
    manager: Any,
    settings: Any,
    run: Run,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    ours, twin = new_guest_name(), new_guest_name()
    try:
        for name in (ours, twin):
            libvirt_conn.defineXML(guest_domain_xml(name, guest_assets))
        conn = _opened(manager, run)
        service = ActionService(settings)
        plan = run(service.plan_delete(conn, libvirt_conn.lookupByName(ours).UUIDString()))
        outcome = run(service.delete(conn, plan, []))
        assert outcome.complete
        [entry] = conn.command_log.entries
        assert entry.command.lines == (("virsh", "-c", TEST_URI, "undefine", "--domain", ours),)
        run_shown(renamed(entry.command, ours, twin), tmp_path)
        names = {d.name() for d in libvirt_conn.listAllDomains(0)}
        assert ours not in names and twin not in names
    finally:
        for name in (ours, twin):
            remove_domain(libvirt_conn, name)


# -- resources made twice under one name ------------------------------------------------


def _resource_twice(
    kvmdesk: Callable[[], None],
    command: Command,
    observe: Callable[[], Any],
    undo: Callable[[], None],
    workdir: Path,
) -> None:
    """kvmdesk makes it, it is read and removed; the shown command makes it again."""
    try:
        kvmdesk()
        by_kvmdesk = observe()
        undo()
        run_shown(command, workdir)
        by_virsh = observe()
    finally:
        undo()
    assert by_kvmdesk == by_virsh


def _normalised(xml: str, drop: tuple[str, ...]) -> str:
    root = ET.fromstring(xml)
    for path in drop:
        for parent in root.iter():
            for child in parent.findall(path):
                parent.remove(child)
    for mac in root.iter("mac"):
        mac.set("address", "MAC")
    return ET.tostring(root, encoding="unicode")


def test_add_network_and_its_shown_commands_do_the_same(
    qapp: Any, manager: Any, run: Run, libvirt_conn: Any, tmp_path: Path
) -> None:
    name = "kd" + new_guest_name()[-8:]
    address, start, end = "10.213.77.1/24", "10.213.77.10", "10.213.77.99"
    dialog = AddNetworkDialog(networks.list_networks(libvirt_conn), None, TEST_URI)
    dialog.name.setText(name)
    dialog.address.setText(address)
    dialog.dhcp_start.setText(start)
    dialog.dhcp_end.setText(end)
    command = dialog.command_view.command
    assert command is not None
    assert [argv[3] for argv in command.lines] == ["net-define", "net-start", "net-autostart"]
    dialog.deleteLater()
    conn = _opened(manager, run)

    def kvmdesk() -> None:
        run(logged(conn, command, networks.create_nat_network, name, address, start, end, "nat"))

    def observe() -> Any:
        net = libvirt_conn.networkLookupByName(name)
        xml = _normalised(net.XMLDesc(S.VIR_NETWORK_XML_INACTIVE), ("uuid", "bridge"))
        return bool(net.isActive()), bool(net.autostart()), bool(net.isPersistent()), xml

    def undo() -> None:
        try:
            networks.delete_network(libvirt_conn, name)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != S.VIR_ERR_NO_NETWORK:
                raise

    _resource_twice(kvmdesk, command, observe, undo, tmp_path)


def test_add_pool_and_pool_define_as_do_the_same(
    qapp: Any, manager: Any, run: Run, libvirt_conn: Any, tmp_path: Path
) -> None:
    name = new_guest_name()
    path = default_cache_dir() / "pools" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    # The command the Storage page logs for a folder pool (storage_actions.add_pool).
    command = virsh_commands.pool_create(TEST_URI, PoolSpec("dir", name, target=str(path)))
    assert [argv[3] for argv in command.lines] == [
        "pool-define-as",
        "pool-build",
        "pool-start",
        "pool-autostart",
    ]
    conn = _opened(manager, run)

    def kvmdesk() -> None:
        run(logged(conn, command, storage.create_dir_pool, name, str(path)))

    def observe() -> Any:
        pool = libvirt_conn.storagePoolLookupByName(name)
        volatile = ("uuid", "capacity", "allocation", "available")
        xml = _normalised(pool.XMLDesc(S.VIR_STORAGE_XML_INACTIVE), volatile)
        return bool(pool.isActive()), bool(pool.autostart()), xml, path.is_dir()

    def undo() -> None:
        try:
            pool = libvirt_conn.storagePoolLookupByName(name)
        except libvirt.libvirtError:
            return
        if pool.isActive():
            pool.destroy()
        pool.undefine()
        if path.is_dir():
            path.rmdir()

    _resource_twice(kvmdesk, command, observe, undo, tmp_path)


@pytest.mark.parametrize("fmt", ["qcow2", "raw"])
def test_new_volume_and_vol_create_as_do_the_same(
    fmt: str, qapp: Any, manager: Any, run: Run, test_pool: ScratchPool, tmp_path: Path
) -> None:
    name = f"disk-1 'x'.{fmt}"
    dialog = NewVolumeDialog([], 4 * 1024**3, None, TEST_URI, test_pool.name)
    dialog.name.setText(name)
    dialog.size_box.setValue(1.5)
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    command = dialog.command_view.command
    assert command is not None
    size, chosen = dialog.values()[1:]
    dialog.deleteLater()
    conn = _opened(manager, run)

    def kvmdesk() -> None:
        run(logged(conn, command, storage.create_volume, test_pool.name, name, size, chosen))

    def observe() -> Any:
        test_pool.pool.refresh(0)
        vol = test_pool.pool.storageVolLookupByName(name)
        volatile = ("allocation", "physical", "timestamps")
        return _normalised(vol.XMLDesc(0), volatile), vol.info()[1]

    def undo() -> None:
        test_pool.pool.refresh(0)
        try:
            test_pool.pool.storageVolLookupByName(name).delete(0)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != S.VIR_ERR_NO_STORAGE_VOL:
                raise

    _resource_twice(kvmdesk, command, observe, undo, tmp_path)


# -- the Hardware tab ---------------------------------------------------------------


@dataclass(frozen=True)
class HardwareRow:
    change: str  # "vcpus", "memory", "media", "attach-disk"
    word: str  # virsh's verb, as the log must show it
    running: bool = False  # a running guest: the change is made now and at next boot


HARDWARE_ROWS = [
    HardwareRow("vcpus", "setvcpus"),
    HardwareRow("memory", "setmem"),
    HardwareRow("media", "change-media"),
    HardwareRow("attach-disk", "attach-device"),
    HardwareRow("vcpus", "setvcpus", running=True),
    HardwareRow("media", "change-media", running=True),
]


def _live_view(dom: Any) -> tuple[int, int, str]:
    """What a live change shows on the running guest: vCPUs, balloon, CD-ROM medium."""
    if not dom.isActive():
        return (0, 0, "")
    root = ET.fromstring(dom.XMLDesc(0))
    source = root.find("devices/disk[@device='cdrom']/source")
    medium = source.get("file", "") if source is not None else ""
    return dom.vcpusFlags(S.VIR_DOMAIN_AFFECT_LIVE), int(dom.info()[2]), medium


def _change_on_the_page(page: Any, row: HardwareRow, media: Path, wait_until: Any) -> None:
    if row.change == "vcpus":
        _hw_form(page, CpuForm).current.setValue(2)
    elif row.change == "memory":
        _hw_form(page, MemoryForm).current.setValue(96)
    elif row.change == "media":
        _hw_form(page, DiskForm).source.setText(str(media))
    else:
        page.add_button.click()
        wait_until(lambda: isinstance(page.dialog, AddHardwareDialog), what="the dialog")
        dialog = page.dialog
        dialog.kind.setCurrentIndex(dialog.kind.findData("disk"))
        dialog.path.setText(str(media))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        return
    generation = page.generation
    page.apply_button.click()
    wait_until(lambda: page.generation > generation, 60, "the apply")


@pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")
@pytest.mark.parametrize(
    "row", HARDWARE_ROWS, ids=[f"{r.word}-{'live' if r.running else 'off'}" for r in HARDWARE_ROWS]
)
def test_a_hardware_change_and_its_logged_command_do_the_same(
    row: HardwareRow,
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    tmp_path: Path,
) -> None:
    ours, twin = new_guest_name(), new_guest_name()
    media = test_pool.add_file(f"{ours}.img", b"\0" * 2048 * 16)
    try:
        for name in (ours, twin):
            dom = libvirt_conn.defineXML(hardware_guest_xml(name, guest_assets))
            if row.running:
                dom.create()
        conn = _opened(manager, run)
        unchanged = _observe(libvirt_conn, ours)
        page = hardware_page(qtbot, conn, libvirt_conn.lookupByName(ours).UUIDString(), wait_until)
        _change_on_the_page(page, row, media, wait_until)
        wait_until(lambda: len(conn.command_log.entries) == 1, 60, "the log entry")
        entry = conn.command_log.entries[0]
        assert entry.outcome is Outcome.OK, entry.error
        argv = entry.command.lines[0]
        assert argv[3:6] == (row.word, "--domain", ours)
        assert ("--live" in argv) is row.running and "--config" in argv
        run_shown(renamed(entry.command, ours, twin), tmp_path)
        mine, theirs = libvirt_conn.lookupByName(ours), libvirt_conn.lookupByName(twin)
        assert _observe(libvirt_conn, ours) == _observe(libvirt_conn, twin)
        assert _observe(libvirt_conn, ours) != unchanged  # the change was made
        assert _live_view(mine) == _live_view(theirs)
    finally:
        for name in (ours, twin):
            remove_domain(libvirt_conn, name)


# -- snapshots ------------------------------------------------------------------------

# Everything a name can hold that a shell or virsh could misread.
HOSTILE = "-before 'the' \"upgrade\" $HOME `id` 快照"


def _guest_with_disks(conn: Any, assets: GuestAssets, pool: ScratchPool, name: str) -> None:
    """A test guest with a qcow2 disk of its own and an empty CD-ROM drive."""
    vol = storage.create_volume(conn, pool.name, f"{name}.qcow2", 0.0625, "qcow2")
    root = ET.fromstring(guest_domain_xml(name, assets))
    devices = root.find("devices")
    assert devices is not None
    disk = ET.Element("disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="qcow2")
    ET.SubElement(disk, "source", file=vol.path)
    ET.SubElement(disk, "target", dev="vda", bus="virtio")
    cdrom = ET.Element("disk", type="file", device="cdrom")
    ET.SubElement(cdrom, "target", dev="hdc", bus="ide")
    ET.SubElement(cdrom, "readonly")
    devices[0:0] = [disk, cdrom]
    conn.defineXML(ET.tostring(root, encoding="unicode"))


def _snapshots_seen(virt: Any, guest: str) -> tuple[Any, ...]:
    """The guest's definition and snapshots, its own name (and the files named
    after it) read as GUEST, times and UUIDs left out."""
    dom = virt.lookupByName(guest)
    definition = facts(dom.XMLDesc(S.VIR_DOMAIN_XML_INACTIVE).replace(guest, "GUEST"))
    snapshots = []
    for snap in dom.listAllSnapshots():
        root = ET.fromstring(snap.getXMLDesc(0).replace(guest, "GUEST"))
        inner: set[str] = set()
        for tag in ("creationTime", "domain", "inactiveDomain", "cookie"):
            for found in root.findall(tag):
                root.remove(found)
                if tag.endswith("omain"):
                    inner |= facts(ET.tostring(found, encoding="unicode"))
        snapshots.append(
            (bool(snap.isCurrent()), ET.tostring(root, encoding="unicode"), frozenset(inner))
        )
    return frozenset(definition), tuple(sorted(snapshots, key=str))


def _drop_snapshots(virt: Any, guest: str) -> None:
    try:
        dom = virt.lookupByName(guest)
    except libvirt.libvirtError:
        return
    for snap in dom.listAllSnapshots():
        try:
            snap.delete(0)
        except libvirt.libvirtError:
            snap.delete(S.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY)
    remove_domain(virt, guest)


@pytest.fixture
def twins(libvirt_conn: Any) -> Iterator[tuple[str, str]]:
    """Names for a guest and its twin; afterwards both are removed with their
    snapshots, and so are their clones (``NAME-copy``)."""
    ours, twin = new_guest_name(), new_guest_name()
    yield ours, twin
    for name in (ours, twin, f"{ours}-copy", f"{twin}-copy"):
        _drop_snapshots(libvirt_conn, name)


def test_snapshot_commands_do_what_kvmdesk_did(
    manager: Any,
    run: Run,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    tmp_path: Path,
    twins: tuple[str, str],  # last: torn down first, before the pool
) -> None:
    """Create (internal), describe, revert, delete with children, create
    (disk-only): each through kvmdesk on one guest, then its logged command
    on the twin; after each step the two guests must agree."""
    ours, twin = twins
    for name in (ours, twin):
        _guest_with_disks(libvirt_conn, guest_assets, test_pool, name)
    conn = _opened(manager, run)
    uuid = libvirt_conn.lookupByName(ours).UUIDString()
    twin_uuid = libvirt_conn.lookupByName(twin).UUIDString()
    service = SnapshotService(JobService(poll_interval=0.2), tmp_path / "screens")
    workdir = tmp_path / "work"
    workdir.mkdir()

    def step(action: Any, word: str) -> None:
        before = len(conn.command_log.entries)
        run(action(), timeout=120)
        entry = conn.command_log.entries[before]
        assert entry.outcome is Outcome.OK, entry.error
        assert entry.command.lines[-1][3:6] == (word, "--domain", ours)
        # A redefined snapshot's file holds its domain's definition: the twin's.
        run_shown(renamed(entry.command, ours, twin, {uuid: twin_uuid}), workdir)
        mine = _snapshots_seen(libvirt_conn, ours)
        assert mine == _snapshots_seen(libvirt_conn, twin)

    async def create(name: str, mode: SnapshotMode) -> None:
        job = await service.create(conn, uuid, name, "line one\nline 'two' $x", mode)
        await job.future

    async def listing_then(what: str) -> None:
        listing = await service.listing(conn, uuid)
        if what == "revert":
            await service.revert(conn, uuid, HOSTILE).future
        else:
            await service.delete(conn, uuid, listing, HOSTILE, children=True).future

    step(lambda: create(HOSTILE, SnapshotMode.INTERNAL), "snapshot-create-as")
    step(lambda: create("child", SnapshotMode.INTERNAL), "snapshot-create-as")
    step(lambda: service.describe(conn, uuid, HOSTILE, 'new <words> & "more"'), "snapshot-create")
    assert "--current" not in conn.command_log.entries[-1].command.lines[0]
    step(lambda: listing_then("revert"), "snapshot-revert")
    step(lambda: service.describe(conn, uuid, HOSTILE, ""), "snapshot-create")
    assert "--current" in conn.command_log.entries[-1].command.lines[0]
    step(lambda: listing_then("delete"), "snapshot-delete")
    assert libvirt_conn.lookupByName(ours).listAllSnapshots() == []
    step(lambda: create(HOSTILE, SnapshotMode.DISK_ONLY), "snapshot-create-as")
    argv = conn.command_log.entries[-1].command.lines[0]
    assert [argv[i + 1] for i, a in enumerate(argv) if a == "--diskspec"] == [
        "vda,snapshot=external",
        "hdc,snapshot=no",
    ]


# -- clone ----------------------------------------------------------------------------


def _clone_seen(virt: Any, clone: str) -> tuple[Any, ...]:
    """The clone's definition (its name, and the files named after it, read as
    GUEST) and its disk volume's format and size."""
    dom = virt.lookupByName(clone)
    xml = dom.XMLDesc(S.VIR_DOMAIN_XML_INACTIVE)
    source = ET.fromstring(xml).find("devices/disk[@device='disk']/source")
    assert source is not None
    vol = virt.storageVolLookupByPath(source.get("file", ""))
    fmt = ET.fromstring(vol.XMLDesc(0)).find("target/format")
    assert fmt is not None
    return frozenset(facts(xml.replace(clone, "GUEST"))), fmt.get("type"), vol.info()[1]


def test_clone_and_the_logged_virt_clone_do_the_same(
    manager: Any,
    run: Run,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    tmp_path: Path,
    twins: tuple[str, str],  # last: torn down first, before the pool
) -> None:
    ours, twin = twins
    for name in (ours, twin):
        _guest_with_disks(libvirt_conn, guest_assets, test_pool, name)
    conn = _opened(manager, run)
    plan = run(core_clone.plan(conn, libvirt_conn.lookupByName(ours).UUIDString()))
    job = core_clone.start(
        JobService(poll_interval=0.2), conn, plan, CloneRequest(f"{ours}-copy", {})
    )
    run(job.future, timeout=120)
    [entry] = conn.command_log.entries[-1:]
    assert entry.outcome is Outcome.OK, entry.error
    [argv] = entry.command.lines
    assert argv[:4] == (
        "virt-clone",
        f"--connect={TEST_URI}",
        f"--original={ours}",
        f"--name={ours}-copy",
    )
    assert argv[4:] == (f"--file={test_pool.path}/{ours}-copy.qcow2",)  # the CD-ROM stays
    run_shown(renamed_within(entry.command, ours, twin), tmp_path)
    assert _clone_seen(libvirt_conn, f"{ours}-copy") == _clone_seen(libvirt_conn, f"{twin}-copy")


# -- tags -----------------------------------------------------------------------------


def _tags_seen(virt: Any, name: str) -> tuple[str, ...]:
    """The stored tags element, in the definition and (running) live."""
    dom = virt.lookupByName(name)
    seen = []
    for flags in (S.VIR_DOMAIN_AFFECT_CONFIG, S.VIR_DOMAIN_AFFECT_LIVE):
        if flags == S.VIR_DOMAIN_AFFECT_LIVE and not dom.isActive():
            continue
        try:
            seen.append(dom.metadata(S.VIR_DOMAIN_METADATA_ELEMENT, TAGS_NS, flags))
        except libvirt.libvirtError as exc:
            assert exc.get_error_code() == S.VIR_ERR_NO_DOMAIN_METADATA
            seen.append("")
    return tuple(seen)


@pytest.mark.parametrize("running", [False, True], ids=["off", "live"])
def test_edit_tags_and_the_logged_virsh_metadata_do_the_same(
    running: bool,
    twins: tuple[str, str],
    manager: Any,
    run: Run,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    tmp_path: Path,
) -> None:
    ours, twin = twins
    for name in (ours, twin):
        dom = libvirt_conn.defineXML(guest_domain_xml(name, guest_assets))
        if running:
            dom.create()
    conn = _opened(manager, run)
    uuid = libvirt_conn.lookupByName(ours).UUIDString()
    for change in (TagEdit(add=("prod", "web-1")), TagEdit(remove=("prod", "web-1"))):
        before = len(conn.command_log.entries)
        [outcome] = run(core_tags.edit(conn, [uuid], change)).values()
        assert outcome.changed
        [entry] = conn.command_log.entries[before:]
        assert entry.command.lines[0][3:6] == ("metadata", "--domain", ours)
        assert ("--live" in entry.command.lines[0]) is running
        run_shown(renamed(entry.command, ours, twin), tmp_path)
        assert _tags_seen(libvirt_conn, ours) == _tags_seen(libvirt_conn, twin)
        assert any(_tags_seen(libvirt_conn, ours)) is bool(change.add)
