"""The New VM wizard from the main window: toolbar/menu action, creation, selection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel
from PySide6.QtWidgets import QApplication, QToolBar, QWizard

from kvmdesk.app import Services, build
from kvmdesk.core.connection import Connection
from kvmdesk.domxml.install import NetworkKind, SourceKind
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]


@pytest.fixture
def services(
    qtbot: Any, settings: Any, fast_timing: Any, run: Run, wait_until: WaitUntil
) -> Iterator[Services]:
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    wizard = getattr(built.window, "new_vm_wizard", None)
    if wizard is not None and shiboken6.isValid(wizard) and wizard.isVisible():
        wizard.reject()
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _select_connection(window: MainWindow, conn: Connection) -> None:
    index = window.from_source(window.model.index_of_connection(conn))
    window.tree.selectionModel().select(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_new_vm_action_opens_the_wizard_and_selects_the_new_vm(
    services: Services, run: Run, wait_until: WaitUntil, data_uri: Callable[[str], str]
) -> None:
    window = services.window
    act = window.new_vm_act
    toolbar = window.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None and act in toolbar.actions()
    file_menu = window.menuBar().actions()[0].menu()
    assert act in file_menu.actions()
    window.tree.clearSelection()
    assert not act.isEnabled()  # no connection is up

    conn = services.manager.add(data_uri("create.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(lambda: window.model.index_of_connection(conn).isValid(), what="row")
    window.tree.clearSelection()
    assert act.isEnabled()  # nothing selected, but a connection is up: that one
    assert window.new_vm_connection() is conn
    _select_connection(window, conn)
    assert act.isEnabled()
    act.trigger()
    wizard = window.new_vm_wizard
    assert isinstance(wizard, NewVmWizard) and wizard.conn is conn
    wait_until(lambda: wizard.facts is not None and wizard.firmware is not None, what="facts")
    wait_until(lambda: wizard.media_page.os_model.rowCount() > 0, what="the OS list")

    def go(expected: PageId) -> None:
        wizard.button(QWizard.WizardButton.NextButton).click()
        wait_until(lambda: wizard.currentId() == expected, what=expected.name)

    wizard.source_page.buttons[SourceKind.PXE].setChecked(True)
    assert wizard.source_page.subTitle().startswith("Step 1 of 6: ")
    go(PageId.MEDIA)
    assert wizard.media_page.subTitle().startswith("Step 2 of 6: ")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # no OS is chosen for the user
    wizard.media_page.search.setText("debian 12")  # the search box's own example
    assert wizard.media_page.os_record() is not None and next_button.isEnabled()
    go(PageId.RESOURCES)
    wizard.resources_page.memory.setText("256")
    go(PageId.STORAGE)
    wizard.storage_page.none.setChecked(True)
    go(PageId.NETWORK)
    assert wizard.network_page.network_kind() is NetworkKind.NETWORK
    go(PageId.SUMMARY)
    wizard.summary_page.name.setText("from the toolbar")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.outcome is not None, what="creation")
    assert wizard.outcome is not None and wizard.outcome.ok
    uuid = wizard.outcome.uuid

    def selected() -> bool:
        rows = window.tree.selectionModel().selectedRows(0)
        return rows == [window.model.index_of_domain(conn, uuid)]

    wait_until(selected, what="the new VM selected")
    assert conn.domains[uuid].name == "from the toolbar"


def test_show_domain_creator_opens_a_wizard_for_that_connection(
    services: Services, run: Run, wait_until: WaitUntil, data_uri: Callable[[str], str]
) -> None:
    conn = services.manager.add(data_uri("create.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    services.window.show_domain_creator(conn)
    wizard = services.window.new_vm_wizard
    assert wizard.isVisible() and wizard.conn is conn
    wait_until(lambda: wizard.facts is not None, what="facts")
    assert wizard.facts is not None and "existing" in wizard.facts.domain_names


def test_a_wizard_asked_for_while_connecting_waits_for_the_host(
    services: Services, run: Run, wait_until: WaitUntil, data_uri: Callable[[str], str]
) -> None:
    conn = services.manager.add(data_uri("create.xml"), persist=False)
    conn.open()  # still connecting when the wizard opens, as at start-up
    services.window.show_domain_creator(conn)
    wizard = services.window.new_vm_wizard
    wait_until(lambda: wizard.facts is not None, what="facts after connecting")
    assert wizard.source_page.isComplete() and not wizard.source_page.loading.isVisible()
