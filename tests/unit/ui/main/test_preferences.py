"""Edit → Preferences: each choice is stored with the settings and applied at once.

Every test changes one choice through the dialog's own widget, as a user
would, then checks both the settings file (a new ``Preferences`` on the same
file reads it back) and the effect on the running window.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core import manager as manager_module
from kvmdesk.core.connection import Connection
from kvmdesk.core.preferences import (
    Confirm,
    GrabKeys,
    Metric,
    NewVmDefaults,
    Preferences,
    Scaling,
    Theme,
)
from kvmdesk.core.settings import Settings
from kvmdesk.core.timing import Timing
from kvmdesk.models.columns import Column
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.ui.main.demo_banner import DemoBanner
from kvmdesk.ui.main.preferences_dialog import PreferencesDialog
from kvmdesk.ui.main.sparklines import SparklineDelegate
from kvmdesk.virt import keys
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.networks import create_nat_network
from kvmdesk.virt.screenshot.naming import DEFAULT_TEMPLATE
from kvmdesk.virt.shown import shown

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)\(\)$"),
]

Run = Callable[..., Any]


@pytest.fixture
def services(qtbot: Any, settings: Settings, fast_timing: Timing, run: Run) -> Iterator[Services]:
    palette = QPalette(QApplication.palette())
    built = build(settings, copy.copy(fast_timing))  # the shared FAST stays as it is
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    if built.preferences.dialog is not None:
        built.preferences.dialog.done(0)
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(built.window)
    QApplication.setPalette(palette)


@pytest.fixture
def dialog(services: Services) -> PreferencesDialog:
    assert services.preferences.action is not None
    services.preferences.action.trigger()
    found = services.preferences.dialog
    assert found is not None and found.isVisible()
    return found


@pytest.fixture
def connect(
    services: Services, run: Run, data_uri: Callable[[str], str]
) -> Callable[[str], Connection]:
    def add(name: str) -> Connection:
        conn = services.manager.add(data_uri(name), persist=False)
        assert run(conn.open_and_wait()), conn.failure
        return conn

    return add


def _stored(settings: Settings) -> Preferences:
    """The preferences as a fresh start would read them from the file."""
    settings.sync()
    return Preferences(Settings(Path(settings._qs.fileName())))


def test_preferences_is_in_the_edit_menu(services: Services) -> None:
    action = services.preferences.action
    assert action is not None and action in services.window.edit_menu.actions()


def test_stats_interval(services: Services, dialog: PreferencesDialog, settings: Settings) -> None:
    dialog.stats_interval.setValue(7.5)
    assert services.manager._timing.stats_interval == 7.5
    assert _stored(settings).stats_interval == 7.5


def test_metrics_polled(
    services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any
) -> None:
    conn = connect("lifecycle.xml")
    assert conn.sampled_metrics == {virt_stats.CPU}
    conn.watch_usage(dialog, True)
    assert conn.sampled_metrics == virt_stats.ALL_METRICS
    dialog.metrics[Metric.DISK].setChecked(False)
    dialog.metrics[Metric.CPU].setChecked(False)
    assert conn.sampled_metrics == {virt_stats.MEMORY, virt_stats.NETWORK}
    conn.watch_usage(dialog, False)
    assert conn.sampled_metrics == frozenset()  # not even the CPU column's
    assert _stored(settings).metrics == {Metric.MEMORY, Metric.NETWORK}


def test_list_columns(services: Services, dialog: PreferencesDialog, settings: Settings) -> None:
    tree = services.window.tree
    assert tree.isColumnHidden(Column.ADDRESS) and not tree.isColumnHidden(Column.CPU)
    dialog.columns[Column.CPU].setChecked(False)
    dialog.columns[Column.ADDRESS].setChecked(True)
    assert tree.isColumnHidden(Column.CPU) and not tree.isColumnHidden(Column.ADDRESS)
    assert services.window.model.addresses.enabled  # the addresses are fetched now
    assert _stored(settings).hidden_columns == {"CPU", "MEMORY_USE", "DISK_IO", "NETWORK_IO"}


@pytest.mark.parametrize(
    ("kind", "verb_action", "domain", "default"),
    [(Confirm.FORCE_OFF, "force_off", "running", True), (Confirm.PAUSE, "pause", "running", False)],
)
def test_confirmations(
    qtbot: Any,
    services: Services,
    dialog: PreferencesDialog,
    settings: Settings,
    connect: Any,
    monkeypatch: pytest.MonkeyPatch,
    kind: Confirm,
    verb_action: str,
    domain: str,
    default: bool,
) -> None:
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    window = services.window
    conn = connect("lifecycle.xml")
    uuid = next(r.uuid for r in conn.domains.values() if r.name == domain)
    assert window.select_domain(conn, uuid)
    action = getattr(window.acts, verb_action)
    assert dialog.confirm[kind].isChecked() is default
    dialog.confirm[kind].setChecked(True)
    action.trigger()
    assert len(asked) == 1 and domain in asked[0]  # asked, and cancelled
    assert not window._tasks
    dialog.confirm[kind].setChecked(False)
    assert _stored(settings).confirm(kind) is False
    started: list[object] = []
    monkeypatch.setattr(window.commands, "_spawn", started.append)
    action.trigger()
    assert len(asked) == 1 and len(started) == 1  # ran without asking
    started[0].close()  # type: ignore[attr-defined]


def test_console_scrollback_and_font(
    services: Services, dialog: PreferencesDialog, settings: Settings
) -> None:
    terminal = services.window.details.console_tab.terminal
    dialog.scrollback.setValue(2500)
    assert terminal._term.scrollback == 2500
    default_family = terminal.font_family()
    dialog.font_default.setChecked(False)
    dialog.font_size.setValue(17.0)
    assert terminal.font_point_size() == 17.0
    family = dialog.font_box.currentFont().family()
    assert terminal.font_family() == family
    stored = _stored(settings)
    assert (stored.console_scrollback, stored.console_font_size) == (2500, 17.0)
    assert stored.console_font == family
    dialog.font_default.setChecked(True)  # back to the desktop's font
    assert terminal.font_family() == default_family
    assert terminal.font_point_size() == terminal._cells_painter.base_size


def test_screen_scaling(services: Services, dialog: PreferencesDialog, settings: Settings) -> None:
    native = services.window.details.screenshot_tab.native_button
    assert not native.isChecked()
    dialog.scaling.setCurrentIndex(dialog.scaling.findData(Scaling.ACTUAL.value))
    assert native.isChecked()
    assert _stored(settings).screen_scaling is Scaling.ACTUAL


def test_screenshot_interval_folder_and_template(
    services: Services, dialog: PreferencesDialog, settings: Settings, tmp_path: Path
) -> None:
    view = services.window.details.screenshot_tab
    dialog.shot_interval.setValue(5.0)
    assert view.feed.interval == 5.0
    assert view.interval_box.currentData() == 5.0
    dialog.folder.setText(str(tmp_path))
    dialog.folder.editingFinished.emit()
    assert view._ask_folder == tmp_path
    dialog.template.setText("{domain}-{time}.png")
    assert view.name_template == "{domain}-{time}.png"
    stored = _stored(settings)
    assert stored.screenshot_interval == 5.0
    assert (stored.screenshot_folder, stored.screenshot_template) == (
        tmp_path,
        "{domain}-{time}.png",
    )


@pytest.mark.parametrize(
    ("folder", "words"), [("relative/dir", "full path"), ("/nonexistent/x", "does not exist")]
)
def test_bad_screenshot_folder_is_refused(
    services: Services, dialog: PreferencesDialog, settings: Settings, folder: str, words: str
) -> None:
    dialog.folder.setText(folder)
    dialog.folder.editingFinished.emit()
    assert words in dialog.problem.text() and dialog.problem.isVisibleTo(dialog)
    assert _stored(settings).screenshot_folder == Path.home()


@pytest.mark.parametrize("template", ["", "a/{domain}.png", "{domain", "{nope}.png"])
def test_bad_template_is_refused(
    services: Services, dialog: PreferencesDialog, settings: Settings, template: str
) -> None:
    dialog.template.setText(template)
    assert "not stored" in dialog.problem.text()
    assert services.window.details.screenshot_tab.name_template == DEFAULT_TEMPLATE
    assert _stored(settings).screenshot_template == DEFAULT_TEMPLATE


def test_xml_tab_editable(
    services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any, qtbot: Any
) -> None:
    window = services.window
    conn = connect("lifecycle.xml")
    uuid = next(r.uuid for r in conn.domains.values() if r.name == "running")
    window.select_domain(conn, uuid)
    window.details.show_tab("xml")
    editor = window.details.xml_tab.editor
    qtbot.waitUntil(lambda: "<domain" in editor.toPlainText() and not editor.isReadOnly())
    dialog.xml_editable.setChecked(False)
    assert editor.isReadOnly()
    assert _stored(settings).xml_editable is False
    dialog.xml_editable.setChecked(True)
    assert not editor.isReadOnly()


def test_theme(
    qtbot: Any, services: Services, dialog: PreferencesDialog, settings: Settings
) -> None:
    def lightness() -> int:
        return QApplication.palette().color(QPalette.ColorRole.Window).lightness()

    system = QApplication.palette().color(QPalette.ColorRole.Window)
    assert dialog.theme.currentData() == Theme.SYSTEM.value  # the default
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK.value))
    assert lightness() < 80
    tree = services.window.tree
    qtbot.waitUntil(lambda: tree.palette().color(QPalette.ColorRole.Base).lightness() < 80)
    assert _stored(settings).theme is Theme.DARK
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.LIGHT.value))
    assert lightness() > 160
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.SYSTEM.value))
    assert QApplication.palette().color(QPalette.ColorRole.Window) == system


def test_demo_host_when_no_hypervisor_answers(
    services: Services,
    dialog: PreferencesDialog,
    settings: Settings,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        manager_module,
        "FIRST_START_URIS",
        ("qemu+unix:///system?socket=/nonexistent/libvirt-sock",),
    )
    manager = services.manager
    assert manager.demo_fallback
    dialog.demo.setChecked(False)
    assert _stored(settings).demo_fallback is False
    assert run(manager.first_start()) is None
    assert manager.connections == []
    dialog.demo.setChecked(True)
    demo = run(manager.first_start())
    assert demo is not None and manager.connections == [demo]


def test_a_hand_edited_file_falls_back_to_defaults(settings: Settings) -> None:
    for key, value in {
        "preferences/stats/metrics": "bogus",
        "preferences/console/scrollback": "lots",
        "preferences/console/fontSize": "nan",
        "preferences/console/scaling": "stretch",
        "preferences/screenshot/folder": "relative",
        "preferences/screenshot/template": "../{x}",
        "preferences/appearance/theme": "purple",
        "preferences/confirm/forceOff": "maybe",
    }.items():
        settings.set_value(key, value)
    prefs = _stored(settings)
    assert prefs.metrics == frozenset()  # none named: nothing polled, as written
    assert prefs.console_scrollback == 10_000
    assert prefs.console_font_size == 0.0
    assert prefs.screen_scaling is Scaling.FIT
    assert prefs.screenshot_folder == Path.home()
    assert prefs.screenshot_template == DEFAULT_TEMPLATE
    assert prefs.theme is Theme.SYSTEM
    assert prefs.confirm(Confirm.FORCE_OFF) is False


def test_font_family_stored_as_chosen(dialog: PreferencesDialog, settings: Settings) -> None:
    dialog.font_default.setChecked(False)
    dialog.font_box.setCurrentFont(QFont("DejaVu Sans Mono"))
    assert _stored(settings).console_font == dialog.font_box.currentFont().family()


def test_first_start_on_the_demo_host_says_why_and_how_to_connect(
    qtbot: Any, services: Services, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        manager_module,
        "FIRST_START_URIS",
        ("qemu+unix:///system?socket=/nonexistent/libvirt-sock",),
    )
    banner = services.window.findChild(DemoBanner)
    assert banner is not None and not banner.isVisible()
    demo = run(services.manager.first_start())
    assert demo is not None
    assert banner.isVisible()
    assert "demo host" in banner.text.text() and "libvirtd" in banner.text.text()
    assert "/nonexistent/libvirt-sock" in banner.toolTip()
    banner.close_button.click()
    assert not banner.isVisible()


def test_new_vm_defaults(
    services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any, run: Run
) -> None:
    """The wizard picks the pool and network named in Preferences where the host has them."""
    conn = connect("create.xml")
    run(conn.call(create_nat_network, "lab", "192.168.77.1/24", "", ""))
    dialog.new_vm_pool.setText("spare")
    dialog.new_vm_pool.editingFinished.emit()
    dialog.new_vm_network.setText("lab")
    dialog.new_vm_network.editingFinished.emit()
    dialog.new_vm_graphics.setCurrentIndex(dialog.new_vm_graphics.findData("spice"))
    assert _stored(settings).new_vm_defaults == NewVmDefaults("spare", "lab", "spice")
    services.window.show_domain_creator(conn)
    wizard = services.window.new_vm_wizard
    try:
        run(asyncio.wait_for(asyncio.shield(wizard.loaded), 30))
        assert wizard.defaults == NewVmDefaults("spare", "lab", "spice")
        wizard.storage_page.initializePage()
        assert wizard.storage_page.pool.currentData() == "spare"
        wizard.network_page.initializePage()
        assert wizard.network_page.source.currentData() == "lab"
        wizard.resources_page.memory.setText("512")
        wizard.resources_page.vcpus.setText("1")
        assert wizard.plan().graphics == "spice"
    finally:
        wizard.reject()


def test_keys_that_give_the_keyboard_back(
    services: Services, dialog: PreferencesDialog, settings: Settings
) -> None:
    view = services.window.details.screenshot_tab
    forwarder = view.keys
    assert forwarder.release == {keys.KEY_LEFTCTRL, keys.KEY_LEFTALT, keys.KEY_LEFTSHIFT}
    dialog.grab_keys.setCurrentIndex(dialog.grab_keys.findData(GrabKeys.RIGHT_CTRL.value))
    assert forwarder.release == {keys.KEY_RIGHTCTRL}
    assert _stored(settings).grab_keys is GrabKeys.RIGHT_CTRL
    released: list[bool] = []
    forwarder.released.connect(lambda: released.append(True))
    forwarder.enabled = True  # as "Send keyboard input" does, without a guest
    forwarder.key(keys.KEY_LEFTCTRL, True)
    forwarder.key(keys.KEY_LEFTALT, True)
    forwarder.key(keys.KEY_LEFTSHIFT, True)
    assert not released  # the old combination goes to the guest now
    forwarder.key(keys.KEY_RIGHTCTRL, True)
    assert released == [True]
    forwarder.enabled = False
    forwarder._queue.clear()
    view.keys.enabled = True
    view._show_status()
    assert view.status.text() == "Keys go to the guest. Right Ctrl gives them back."
    view.keys.enabled = False


def test_cpu_history_in_the_list(
    qtbot: Any, services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any
) -> None:
    window = services.window
    conn = connect("lifecycle.xml")
    running = next(u for u, r in conn.domains.items() if r.name == "running")
    history = services.preferences.cpu_history
    assert not isinstance(window.tree.itemDelegateForColumn(Column.CPU), SparklineDelegate)
    assert not history.on  # off by default: nothing kept
    dialog.sparklines.setChecked(True)
    assert isinstance(window.tree.itemDelegateForColumn(Column.CPU), SparklineDelegate)
    assert _stored(settings).sparklines
    qtbot.waitUntil(lambda: len(history.of(conn, running)) >= 3, timeout=10_000)
    name_index = window.from_source(window.model.index_of_domain(conn, running))
    cpu_index = name_index.siblingAtColumn(Column.CPU)
    cell = window.tree.visualRect(cpu_index)

    def bluish_pixels() -> int:
        """The line is drawn in the palette's highlight colour; the figure is not."""
        window.tree.viewport().repaint()
        image = window.tree.viewport().grab(cell).toImage()
        pixels = (
            image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
        )
        return sum(1 for c in pixels if c.blue() > c.red() + 40)

    assert bluish_pixels() > 0
    dialog.sparklines.setChecked(False)
    assert not history.on and history.of(conn, running) == []
    assert bluish_pixels() == 0


def test_ask_again_before_deleting_storage_files(
    qtbot: Any, services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any
) -> None:
    window = services.window
    conn = connect("delete.xml")
    victim = next(u for u, r in conn.domains.items() if r.name == "victim")
    assert not dialog.confirm[Confirm.DELETE_STORAGE].isChecked()  # off by default
    dialog.confirm[Confirm.DELETE_STORAGE].setChecked(True)
    assert _stored(settings).confirm(Confirm.DELETE_STORAGE)
    window.select_domain(conn, victim)
    window.acts.delete.trigger()

    def open_delete() -> DeleteDialog:
        found = [w for w in window.findChildren(DeleteDialog) if w.isVisible()]
        return found[0] if found else None  # type: ignore[return-value]

    qtbot.waitUntil(lambda: open_delete() is not None)
    delete = open_delete()
    assert delete.ask_before_files
    qtbot.mouseClick(delete.delete_button, Qt.MouseButton.LeftButton)
    question = delete.second_confirmation
    assert question is not None
    assert question.text() == "Delete 1 storage file? It cannot be recovered."
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.Cancel)
    question.button(QMessageBox.StandardButton.Cancel).click()
    assert delete.isVisible() and delete.second_confirmation is None  # nothing happened
    qtbot.mouseClick(delete.delete_button, Qt.MouseButton.LeftButton)
    question = delete.second_confirmation
    assert question is not None
    [go] = [b for b in question.buttons() if b.text() == "Delete Files"]
    go.click()

    def report() -> list[QMessageBox]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]

    qtbot.waitUntil(lambda: bool(report()))
    assert report()[0].text() == f"Virtual machine “{shown('victim')}” was deleted."
    report()[0].done(0)
    qtbot.waitUntil(lambda: not window._tasks)


def _open_box(wait_until: Any) -> QMessageBox:
    def box() -> QMessageBox | None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return found[0] if found else None

    wait_until(lambda: box() is not None, what="the question")
    found = box()
    assert found is not None
    return found


def test_ask_before_removing_a_device(
    services: Services, dialog: PreferencesDialog, settings: Settings, connect: Any, wait_until: Any
) -> None:
    conn = connect("hardware.xml")
    stopped = "2d2d2d2d-0000-4000-8000-000000000001"
    details = services.window.details
    page = details.hardware_tab
    assert services.window.select_domain(conn, stopped)
    details.show_tab("hardware")
    wait_until(lambda: page.state is not None and page.uuid == stopped and page.forms)

    def select_nic() -> None:
        page.select_form(next(f for f in page.forms if type(f).__name__ == "NicForm"))

    select_nic()
    assert dialog.confirm[Confirm.REMOVE_DEVICE].isChecked()  # on by default
    page.remove_button.click()
    box = _open_box(wait_until)
    assert box.text().startswith("Remove NIC")
    box.button(QMessageBox.StandardButton.Cancel).click()
    wait_until(lambda: not page.remove_button.isHidden() and page.remove_button.isEnabled())
    assert page.state is not None and "52:54:00:2d:00:01" in page.state.stored  # kept
    dialog.confirm[Confirm.REMOVE_DEVICE].setChecked(False)
    assert _stored(settings).confirm(Confirm.REMOVE_DEVICE) is False
    assert page.confirm_remove is False
    select_nic()
    page.remove_button.click()  # no question: removed at once
    wait_until(
        lambda: page.state is not None and "52:54:00:2d:00:01" not in page.state.stored,
        what="the removal",
    )
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_ask_before_reverting_to_a_snapshot(
    services: Services,
    dialog: PreferencesDialog,
    settings: Settings,
    connect: Any,
    run: Run,
    wait_until: Any,
) -> None:
    from kvmdesk.virt import snapshots as vs

    conn = connect("snapshots.xml")
    qcow = "5a5a5a5a-0000-4000-8000-000000000001"
    for name in ("old", "new"):
        run(conn.call(vs.create_snapshot, qcow, name, "", vs.Mode.INTERNAL))
    details = services.window.details
    page = details.snapshots_tab
    assert services.window.select_domain(conn, qcow)
    details.show_tab("snapshots")
    wait_until(lambda: page.listing is not None and page.listing.uuid == qcow)
    wait_until(lambda: page.listing is not None and page.listing.find("new") is not None)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))  # "old"
    assert dialog.confirm[Confirm.REVERT_SNAPSHOT].isChecked()  # on by default
    page.revert.click()
    box = _open_box(wait_until)
    assert "present state is lost" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert page.listing is not None and page.listing.find("new").current  # type: ignore[union-attr]
    dialog.confirm[Confirm.REVERT_SNAPSHOT].setChecked(False)
    assert _stored(settings).confirm(Confirm.REVERT_SNAPSHOT) is False
    assert page.confirm_revert is False
    page.revert.click()  # no question: reverted at once
    wait_until(
        lambda: page.listing is not None and page.listing.find("old").current,  # type: ignore[union-attr]
        what="the revert",
    )
