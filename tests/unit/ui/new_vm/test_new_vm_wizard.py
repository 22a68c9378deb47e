"""The New VM wizard driven through its pages on the test driver.

tests/data/create.xml: domain "existing" (disks /srv/disks/existing.img and
images/used.qcow2), pools "images" (pre.qcow2, used.qcow2, installer.iso),
"boot" (vmlinuz, initrd.img) and "spare", network "default". The test
driver keeps its host in memory, so every check goes through the wizard's
own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtWidgets import QDialog, QMainWindow, QWizard

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Domain
from kvmdesk.domxml.install import NetworkKind, SourceKind
from kvmdesk.ui.new_vm.host import OS_ROLE
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard
from kvmdesk.ui.new_vm.xml_dialog import XmlCustomizeDialog
from kvmdesk.virt.provision import Step

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
OSINFO = Path("/usr/share/osinfo")


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Reports are read from the page; the box itself is recorded, not shown."""
    shown: list[tuple[str, str]] = []

    def record(_parent: Any, _title: str, text: str, informative: str = "") -> None:
        shown.append((text, informative))

    monkeypatch.setattr("kvmdesk.ui.new_vm.wizard.report_text", record)
    return shown


@pytest.fixture
def conn(open_connection: Callable[[str], Connection]) -> Connection:
    return open_connection("create.xml")


@pytest.fixture
def make_wizard(
    conn: Connection, wait_until: WaitUntil, tmp_path: Path, qtbot: Any
) -> Iterator[Callable[..., NewVmWizard]]:
    made: list[NewVmWizard] = []
    windows: list[QMainWindow] = []

    def make(osinfo: list[Path] | None = None) -> NewVmWizard:
        dirs = osinfo if osinfo is not None else [tmp_path / "no-osinfo"]
        # As in the application, a window stays open under the wizard (closing
        # the last window would end the event loop).
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        wizard = NewVmWizard(conn, window, osinfo_dirs=dirs)
        wizard.show()
        made.append(wizard)
        wait_until(lambda: wizard.media_page.os_model.rowCount() > 0, what="host facts")
        wait_until(lambda: wizard.firmware is not None, what="firmware")
        return wizard

    yield make
    for wizard in made:
        if shiboken6.isValid(wizard) and wizard.isVisible():
            wizard.creating = False
            wizard.reject()


def _next(wizard: NewVmWizard, wait_until: WaitUntil, expected: PageId) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait_until(lambda: wizard.currentId() == expected, what=f"page {expected.name}")


def _refused(wizard: NewVmWizard, wait_until: WaitUntil, button: QWizard.WizardButton) -> str:
    """Press ``button``; the page stays and says why."""
    page = wizard.currentPage()
    before = wizard.currentId()
    wizard.button(button).click()
    wait_until(lambda: not page.checking, what="host check")  # type: ignore[attr-defined]
    assert wizard.currentId() == before
    text = page.message.text()  # type: ignore[attr-defined]
    assert text and page.message.isVisible()  # type: ignore[attr-defined]
    return str(text)


def _names(run: Run, conn: Connection) -> set[str]:
    return set(run(conn.call(lambda c: [d.name() for d in c.listAllDomains(0)])))


def _volumes(run: Run, conn: Connection, pool: str = "images") -> dict[str, int]:
    def read(c: libvirt.virConnect) -> dict[str, int]:
        p = c.storagePoolLookupByName(pool)
        return {v.name(): int(v.info()[1]) for v in p.listAllVolumes(0)}

    return dict(run(conn.call(read)))


def _to_storage(
    wizard: NewVmWizard,
    wait_until: WaitUntil,
    pool: str,
    resources: tuple[str, str] | None = None,
) -> None:
    """A manual install up to the storage page, its new disk in ``pool``;
    ``resources`` (memory, vCPUs) typed on the way."""
    wizard.source_page.buttons[SourceKind.MANUAL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    _next(wizard, wait_until, PageId.RESOURCES)
    if resources is not None:
        wizard.resources_page.memory.setText(resources[0])
        wizard.resources_page.vcpus.setText(resources[1])
    _next(wizard, wait_until, PageId.STORAGE)
    wizard.storage_page.pool.setCurrentIndex(wizard.storage_page.pool.findData(pool))


def _to_summary_manual(wizard: NewVmWizard, wait_until: WaitUntil) -> None:
    _to_storage(wizard, wait_until, "images", ("512", "1"))
    wizard.storage_page.size_edit.setText("2")
    _next(wizard, wait_until, PageId.NETWORK)
    _next(wizard, wait_until, PageId.SUMMARY)


def _customize(wizard: NewVmWizard, wait_until: WaitUntil) -> XmlCustomizeDialog:
    """Finish with "customize" ticked: the XML dialog opens."""
    wizard.summary_page.customize.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.xml_dialog is not None, what="XML dialog")
    dialog = wizard.xml_dialog
    assert dialog is not None
    return dialog


def _finish(wizard: NewVmWizard, wait_until: WaitUntil) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(
        lambda: (
            wizard.outcome is not None
            or (
                not wizard.summary_page.checking
                and wizard.summary_page.message.isVisible()
                and not wizard.creating
            )
        ),
        what="creation",
    )


def test_manual_install_creates_the_volume_defines_and_starts(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    wizard = make_wizard()
    created: list[str] = []
    wizard.created.connect(created.append)
    _to_summary_manual(wizard, wait_until)
    wizard.summary_page.name.setText("manual vm 1")
    shown_command = wizard.summary_page.command_view.command
    assert shown_command is not None
    argv = shown_command.lines[0]
    assert argv[:6] == ("virt-install", "--connect", conn.uri, "--name", "manual vm 1", "--memory")
    assert "--import" in argv and "--noautoconsole" in argv
    disk = argv[argv.index("--disk") + 1]
    assert disk.startswith("pool=") and ",size=2,format=" in disk
    _finish(wizard, wait_until)
    assert wizard.outcome is not None and wizard.outcome.ok, wizard.summary_page.message.text()
    # What the summary page showed is what the log holds.
    [entry] = conn.command_log.entries
    assert entry.command == shown_command and entry.outcome is Outcome.OK
    assert created == [wizard.outcome.uuid]
    assert wizard.result() == QDialog.DialogCode.Accepted.value
    assert "manual vm 1" in _names(run, conn)
    volumes = _volumes(run, conn)
    assert volumes[wizard.outcome.created[0].split("/", 1)[1]] == 2 * 1024**3
    xml = run(conn.call(lambda c: c.lookupByName("manual vm 1").XMLDesc(0)))
    dom = Domain.from_xml(xml)
    kinds = [type(d).__name__ for d in dom.devices]
    assert {"Serial", "Console", "Graphics", "Disk", "Interface"} <= set(kinds)
    assert dom.memory == 512 * 1024
    assert run(conn.call(lambda c: c.lookupByName("manual vm 1").isActive()))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "Enter a name"),
        ("x" * 1024, "too long"),
        ("a/b", "/"),
        ("-x", "start with"),
        ("existing", "already taken"),
        ("<&\"'>", "cannot contain <"),
        ("\u202edorp-bew", "<U+202E> (RIGHT-TO-LEFT OVERRIDE)"),
        ("web\u200b-prod", "invisible characters"),
        ("\u3164", "<U+3164>"),
    ],
)
def test_bad_names_are_refused_before_anything_is_created(
    make_wizard: Callable[..., NewVmWizard],
    wait_until: WaitUntil,
    run: Run,
    conn: Connection,
    name: str,
    words: str,
) -> None:
    wizard = make_wizard()
    _to_summary_manual(wizard, wait_until)
    before = (_names(run, conn), _volumes(run, conn))
    wizard.summary_page.name.setText(name)
    text = _refused(wizard, wait_until, QWizard.WizardButton.FinishButton)
    assert words in text
    assert wizard.outcome is None
    assert (_names(run, conn), _volumes(run, conn)) == before


@pytest.mark.parametrize(
    ("memory", "vcpus", "words"),
    [
        ("0", "1", "at least 1"),
        ("-512", "1", "cannot be negative"),
        ("1e3", "1", "whole number"),
        ("999999", "1", "at most 8192"),
        ("512", "0", "at least 1"),
        ("512", "-2", "cannot be negative"),
        ("512", "1e3", "whole number"),
        ("512", "64", "at most 4"),
    ],
)
def test_bad_memory_and_cpus_are_refused(
    make_wizard: Callable[..., NewVmWizard],
    wait_until: WaitUntil,
    memory: str,
    vcpus: str,
    words: str,
) -> None:
    wizard = make_wizard()
    wizard.source_page.buttons[SourceKind.PXE].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    _next(wizard, wait_until, PageId.RESOURCES)
    wizard.resources_page.memory.setText(memory)
    wizard.resources_page.vcpus.setText(vcpus)
    assert words in _refused(wizard, wait_until, QWizard.WizardButton.NextButton)


@pytest.mark.parametrize(
    ("size", "words"),
    [("0", "larger than zero"), ("-5", "cannot be negative"), ("1e3", "like 20"), ("5000", "only")],
)
def test_bad_disk_sizes_are_refused(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, size: str, words: str
) -> None:
    wizard = make_wizard()
    _to_storage(wizard, wait_until, "images")
    wizard.storage_page.size_edit.setText(size)
    assert words in _refused(wizard, wait_until, QWizard.WizardButton.NextButton)


def test_an_inactive_pool_is_refused(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    wizard = make_wizard()
    _to_storage(wizard, wait_until, "spare")
    wizard.storage_page.size_edit.setText("1")
    run(conn.call(lambda c: c.storagePoolLookupByName("spare").destroy()))
    assert "not running" in _refused(wizard, wait_until, QWizard.WizardButton.NextButton)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("installer.iso", "absolute"),
        ("/srv/../etc/passwd", ".."),
        ("/srv/a\0b", "line breaks"),
        ("/srv/a\nb", "line breaks"),
        ("/nonexistent/debian.iso", "no file"),
    ],
)
def test_bad_install_media_paths_are_refused(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, path: str, words: str
) -> None:
    wizard = make_wizard()
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.iso.edit.setText(path)
    assert words in _refused(wizard, wait_until, QWizard.WizardButton.NextButton)


def test_another_vms_disk_is_warned_about_then_accepted(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    wizard = make_wizard()
    wizard.source_page.buttons[SourceKind.IMPORT].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.disk.edit.setText("/var/lib/libvirt/images/used.qcow2")
    text = _refused(wizard, wait_until, QWizard.WizardButton.NextButton)
    assert "existing" in text and "again" in text
    _next(wizard, wait_until, PageId.RESOURCES)
    # An import uses its own disk: the storage page is skipped.
    _next(wizard, wait_until, PageId.NETWORK)


def test_a_symlink_to_another_vms_disk_is_warned_about(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, tmp_path: Path
) -> None:
    """Judged by what the path points to, not by its letters."""
    link = tmp_path / "looks-new.qcow2"
    link.symlink_to("/var/lib/libvirt/images/used.qcow2")  # the disk of "existing"
    wizard = make_wizard()
    _to_storage(wizard, wait_until, "images")
    wizard.storage_page.existing.setChecked(True)
    wizard.storage_page.path.edit.setText(str(link))
    text = _refused(wizard, wait_until, QWizard.WizardButton.NextButton)
    assert "already a disk of: existing" in text
    assert "/var/lib/libvirt/images/used.qcow2" in text and "again" in text
    _next(wizard, wait_until, PageId.NETWORK)  # acknowledged: on


def test_iso_install_from_a_pool_volume_with_customized_xml(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    wizard = make_wizard()
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.iso.edit.setText("/var/lib/libvirt/images/installer.iso")
    _next(wizard, wait_until, PageId.RESOURCES)
    _next(wizard, wait_until, PageId.STORAGE)
    wizard.storage_page.none.setChecked(True)
    _next(wizard, wait_until, PageId.NETWORK)
    assert wizard.network_page.network_kind() is NetworkKind.NETWORK
    assert wizard.network_page.source_name() == "default"
    _next(wizard, wait_until, PageId.SUMMARY)
    wizard.summary_page.name.setText("custom")
    dialog = _customize(wizard, wait_until)
    assert "custom" not in _names(run, conn)  # nothing created before the edit
    dialog.editor.setPlainText("<!DOCTYPE x><domain/>")
    dialog.accept()
    assert dialog.isVisible() and "DOCTYPE" in dialog.error.text()
    edited = Domain.from_xml(wizard.plan_xml())
    edited.title = "edited before install"
    dialog.editor.setPlainText(edited.to_xml())
    dialog.accept()
    wait_until(lambda: wizard.outcome is not None, what="creation")
    xml = run(conn.call(lambda c: c.lookupByName("custom").XMLDesc(0)))
    dom = Domain.from_xml(xml)
    assert dom.title == "edited before install"
    assert dom.os.boot == ["cdrom"]
    # Customized XML is no virt-install: the log defines the XML and starts it.
    [entry] = conn.command_log.entries
    assert [argv[3] for argv in entry.command.lines] == ["define", "start"]
    assert "edited before install" in entry.command.files[0][1]


def test_customize_before_install_with_the_hardware_forms(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
    from kvmdesk.ui.domain.hardware.memory_form import MemoryForm

    wizard = make_wizard()
    _to_summary_manual(wizard, wait_until)
    wizard.summary_page.name.setText("formed")
    dialog = _customize(wizard, wait_until)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["Hardware", "XML"]
    wait_until(lambda: bool(dialog.hardware.forms), what="the forms")
    cpu = next(f for f in dialog.hardware.forms if isinstance(f, CpuForm))
    cpu.maximum.setValue(0)
    dialog.accept()
    assert dialog.isVisible() and "at least 1" in dialog.error.text()
    cpu.maximum.setValue(2)
    cpu.current.setValue(2)
    dialog.tabs.setCurrentWidget(dialog.editor)  # the XML shows the forms' change
    assert "<vcpu placement" in dialog.text() or ">2</vcpu>" in dialog.text()
    dialog.tabs.setCurrentWidget(dialog.hardware)
    memory = next(f for f in dialog.hardware.forms if isinstance(f, MemoryForm))
    memory.current.setValue(384)
    dialog.accept()
    wait_until(lambda: wizard.outcome is not None, what="creation")
    xml = run(conn.call(lambda c: c.lookupByName("formed").XMLDesc(2)))
    dom = Domain.from_xml(xml)
    assert dom.vcpus == 2 and dom.current_memory == 384 * 1024


def test_a_define_failure_removes_the_new_volume_and_says_what_exists(
    make_wizard: Callable[..., NewVmWizard],
    wait_until: WaitUntil,
    run: Run,
    conn: Connection,
    no_message_boxes: list[tuple[str, str]],
) -> None:
    wizard = make_wizard()
    _to_summary_manual(wizard, wait_until)
    before = _volumes(run, conn)
    wizard.summary_page.name.setText("doomed")
    dialog = _customize(wizard, wait_until)
    # Well-formed, but libvirt's schema refuses it: define fails after the volume exists.
    dialog.editor.setPlainText(dialog.text().replace("<vcpu>1</vcpu>", "<vcpu>many</vcpu>"))
    dialog.accept()
    wait_until(lambda: wizard.outcome is not None, what="creation")
    outcome = wizard.outcome
    assert outcome is not None and not outcome.ok
    assert outcome.failed_step is Step.DEFINE
    assert outcome.created and outcome.removed == outcome.created
    assert _volumes(run, conn) == before
    assert "doomed" not in _names(run, conn)
    text = wizard.summary_page.message.text()
    assert "deleted again" in text and "not touched" in text
    assert no_message_boxes and "refused the definition" in no_message_boxes[-1][0]
    assert wizard.isVisible()  # the user can correct and try again


def test_os_list_search_and_recommendations(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    if not (OSINFO / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    wizard = make_wizard([OSINFO])
    _next(wizard, wait_until, PageId.MEDIA)
    page = wizard.media_page
    assert not page.os_note.isVisible()
    page.search.setText("windows xp")
    assert page.os_filter.rowCount() >= 1
    assert page.select_os("winxp")
    record = page.os_record()
    assert record is not None and not record.virtio_disk
    page.search.setText("debian 11")
    assert page.select_os("debian11")
    assert "virtio" in page.os_info.text()


def test_without_osinfo_db_generic_choices_are_offered(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    wizard = make_wizard()
    _next(wizard, wait_until, PageId.MEDIA)
    page = wizard.media_page
    assert page.os_note.isVisible() and "osinfo" in page.os_note.text()
    record = page.os_record()
    assert record is not None and record.short_id == "linux-generic"


def test_a_pool_that_vanishes_during_the_wizard_is_refused(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    wizard = make_wizard()
    _to_storage(wizard, wait_until, "spare")
    wizard.storage_page.size_edit.setText("1")

    def vanish(c: libvirt.virConnect) -> None:
        pool = c.storagePoolLookupByName("spare")
        pool.destroy()
        pool.undefine()

    run(conn.call(vanish))
    text = _refused(wizard, wait_until, QWizard.WizardButton.NextButton)
    assert "“spare” no longer exists" in text
    assert wizard.outcome is None


def test_search_without_match_keeps_the_generic_choices(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    if not (OSINFO / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    wizard = make_wizard([OSINFO])
    wizard.source_page.buttons[SourceKind.MANUAL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    page = wizard.media_page
    assert page.os_record() is None  # nothing chosen for the user
    page.search.setText("no such system 42")
    shown = [
        page.os_filter.index(r, 0).data(OS_ROLE).short_id for r in range(page.os_filter.rowCount())
    ]
    assert shown == ["linux-generic", "linux-old", "windows-generic", "generic"]
    assert page.os_record() is not None and page.os_record().short_id == "linux-generic"
    _next(wizard, wait_until, PageId.RESOURCES)
    assert wizard.resources_page.vcpus.text() == "2"  # the host has them


def test_the_os_is_detected_from_the_install_iso(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, tmp_path: Path
) -> None:
    if not (OSINFO / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    from tests.unit.virt.test_virt_media_detect import make_iso

    wizard = make_wizard([OSINFO])
    wizard.source_page.buttons[SourceKind.ISO].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    page = wizard.media_page
    assert page.os_record() is None
    page.iso.edit.setText(str(make_iso(tmp_path / "debian.iso", "Debian 11.5.0 amd64 n")))
    record = page.os_record()
    assert record is not None and record.short_id == "debian11"
    assert page.detected.isVisible() and record.name in page.detected.text()
    page.iso.edit.setText(str(tmp_path / "unknown.iso"))  # not there: nothing to say
    assert not page.detected.isVisible()
    assert page.os_record() is not None and page.os_record().short_id == "debian11"  # kept
