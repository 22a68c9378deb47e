"""The details pane: domain and connection overviews, kept current."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtCore import SIGNAL, Qt
from PySide6.QtWidgets import QLabel

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.overview.domain_page import state_reason_text, state_text
from kvmdesk.virt.records import DomainRecord, DomainState
from kvmdesk.virt.shown import shown

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

OpenConn = Callable[[str], Connection]

META = "0a0e0a0e-0000-4000-8000-000000000001"  # lab <&"'> test, running
SPACES = "0a0e0a0e-0000-4000-8000-000000000002"  # "name with  spaces", shut off
CJK = "0a0e0a0e-0000-4000-8000-000000000003"  # paused
VICTIM = "de1e7e00-0000-4000-8000-000000000001"


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> DetailsPane:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    return widget


def _loaded(pane: DetailsPane) -> bool:
    return pane.overview.currentWidget() is pane._domain_page


def _headline(pane: DetailsPane) -> str:
    if pane.overview.currentWidget() is not pane.message:
        return ""
    return pane.message.headline.text()


async def _soon(fn: Callable[[], Any]) -> None:
    """Call ``fn`` with the loop running, as a Qt slot in the application would."""
    fn()


def _change_and_wait(
    run: Any, change: Awaitable[Any], predicate: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Make a change and wait for its effect in one go, so that the events it
    causes arrive while the loop runs (qasync's run_until_complete handles
    what is left over after it stops without a running loop)."""

    async def go() -> None:
        await change
        while not predicate():
            await asyncio.sleep(0.01)

    run(go(), timeout)


def _labels_with(widget: Any, text: str) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if label.text() == text]


def test_placeholder_when_nothing_is_selected(pane: DetailsPane) -> None:
    assert pane.overview.currentWidget() is pane.placeholder
    assert pane.placeholder.text() == "Select a virtual machine or a connection"
    assert pane.tabBar().isHidden()
    assert pane.connection is None and pane.uuid is None


def test_tabs(pane: DetailsPane, open_connection: OpenConn, wait_until: Any) -> None:
    conn = open_connection("names.xml")
    pane.show_domain(conn, META)
    assert [pane.tabText(i) for i in range(pane.count())] == [
        "Overview",
        "Hardware",
        "Screenshot",
        "Display",
        "Console",
        "XML",
    ]
    assert all(pane.isTabVisible(i) for i in range(pane.count()))
    assert pane.hardware_tab is pane.widget(1)
    assert pane.screenshot_tab is pane.widget(2) and pane.console_tab is pane.widget(4)
    assert pane.display_tab is pane.widget(3)
    wait_until(lambda: _loaded(pane), what="details")
    pane.show_connection(conn)
    assert pane.isTabVisible(0)
    assert not any(pane.isTabVisible(i) for i in range(1, pane.count()))
    assert pane.currentWidget() is pane.overview


def test_domain_name_with_markup_characters_is_plain_text(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("names.xml")
    name = conn.domains[META].name
    assert name == "lab <&\"'> test"
    pane.show_domain(conn, META)
    assert _headline(pane) == "Loading…"
    wait_until(lambda: _loaded(pane), what="details")
    found = _labels_with(pane.domain_overview, shown(name))
    assert found, "the name is shown"
    for label in found:
        assert label.text() == shown(name)  # isolated, see virt.shown
        assert label.textFormat() == Qt.TextFormat.PlainText
    description = _labels_with(pane.domain_overview, shown("XML metacharacters < & \" ' >"))
    assert description and description[0].textFormat() == Qt.TextFormat.PlainText
    assert html.escape(name) in pane.domain_overview.name.toolTip()
    assert pane.domain_overview.uuid.text() == META
    assert pane.domain_overview.state.text() == "Running"
    assert pane.domain_overview.memory.text() == "512 MiB"
    assert pane.domain_overview.vcpus.text() == "1"
    for label in pane.findChildren(QLabel):
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def test_domain_tables(pane: DetailsPane, open_connection: OpenConn, wait_until: Any) -> None:
    conn = open_connection("delete.xml")
    pane.show_domain(conn, VICTIM)
    wait_until(lambda: _loaded(pane), what="details")
    overview = pane.domain_overview
    disks = [
        [overview.disks.topLevelItem(r).text(c) for c in range(5)]
        for r in range(overview.disks.topLevelItemCount())
    ]
    # Every cell of a table of host data is shown through virt.shown.
    assert disks[0] == [
        shown(text) for text in ["vda", "Disk", "/var/lib/libvirt/images/victim.qcow2", "qcow2", ""]
    ]
    assert disks[1][0] == shown("vdb") and disks[1][4] == shown("shareable")
    assert disks[2][4] == shown("read-only")
    assert disks[3][:2] == [shown("sda"), shown("CD-ROM")]
    nic = overview.nics.topLevelItem(0)
    assert [nic.text(c) for c in range(4)] == [
        shown(text) for text in ["52:54:00:de:00:01", "Virtual network", "default", "virtio"]
    ]
    assert overview.machine.text() == "pc-q35-7.2"
    assert overview.arch.text() == "x86_64"
    assert overview.hypervisor.text() == "KVM"
    assert overview.state.text() == "Shutoff"
    assert overview.memory.text() == "2.0 GiB"


def test_a_stale_answer_is_ignored(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("names.xml")
    pane.show_domain(conn, META)
    pane.show_domain(conn, SPACES)  # before the first answer arrived
    wait_until(lambda: _loaded(pane) and not pane._tasks, what="both answers")
    assert pane.domain_overview.name.text() == shown("name with  spaces")
    assert pane.uuid == SPACES


def test_domain_undefined_elsewhere_no_longer_exists(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("names.xml")
    pane.show_domain(conn, SPACES)
    wait_until(lambda: _loaded(pane), what="details")
    gone = "This virtual machine no longer exists."
    _change_and_wait(
        run,
        conn.call(lambda v, u: v.lookupByUUIDString(u).undefine(), SPACES),
        lambda: _headline(pane) == gone,
    )
    pane.show_domain(conn, SPACES)  # showing it again asks again
    wait_until(lambda: pane._busy_for is None, what="the second answer")
    assert _headline(pane) == gone
    pane.clear()
    pane.show_domain(conn, SPACES)
    wait_until(lambda: _headline(pane) == gone, what="a fresh look")


def test_domain_change_refreshes(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("names.xml")
    pane.show_domain(conn, META)
    wait_until(lambda: _loaded(pane), what="details")
    _change_and_wait(
        run,
        conn.call(lambda v, u: v.lookupByUUIDString(u).suspend(), META),
        lambda: pane.domain_overview.state.text().startswith("Paused"),
    )


def test_disconnect_while_a_domain_is_shown(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("names.xml")
    pane.show_domain(conn, META)
    wait_until(lambda: _loaded(pane), what="details")
    run(_soon(conn.close))
    assert _headline(pane) == "Disconnected"


def test_connection_overview(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("names.xml")
    pane.show_connection(conn)
    view = pane.connection_overview
    assert pane.overview.currentWidget() is pane._connection_page
    assert view.label.text() == messages.connection_label(conn)
    assert view.uri.text() == conn.uri
    assert view.state.text() == "Connected"
    wait_until(lambda: bool(view.cpu_model.text()), what="host facts")
    host = conn.host
    assert host is not None
    assert view.hostname.text() == shown(host.hostname)
    assert view.cpus.text() == str(host.cpus) == "8"
    assert view.cores.text() == "4"
    assert view.threads.text() == "2"
    assert view.mhz.text() == "3000 MHz"
    assert view.memory.text() == "16.0 GiB"
    assert view.libvirt_version.text().count(".") == 2
    assert view.problem.isHidden()
    run(_soon(conn.close))
    assert view.state.text() == "Disconnected"
    assert view.host_section.isHidden()
    assert not view.no_host.isHidden()


def test_connection_failure_shows_summary_hint_and_details(pane: DetailsPane, run: Any) -> None:
    # A URI the check refuses fails the same way on every host, and for good.
    conn = Connection("test:///not a uri")
    assert not run(conn.open_and_wait())
    assert conn.state is ConnState.DISCONNECTED and conn.failure is not None
    pane.show_connection(conn)
    view = pane.connection_overview
    assert not view.problem.isHidden()
    assert view.problem_summary.text() == messages.failure_summary(conn.failure)
    assert view.problem_hint.text() == messages.failure_hint(conn.failure)
    assert view.problem_details.text() == conn.failure.message
    assert "A URI cannot contain spaces." in view.problem_details.text()
    assert view.state.text().startswith("Disconnected:")
    assert view.hypervisor_section.isHidden()
    shiboken6.delete(conn)


def test_deleted_connection_clears_the_pane(pane: DetailsPane) -> None:
    conn = Connection("bogus:///nowhere")
    pane.show_connection(conn)
    assert pane.connection is conn
    shiboken6.delete(conn)
    assert pane.connection is None
    assert pane.overview.currentWidget() is pane.placeholder


def test_switching_disconnects_the_old_connection(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    first = Connection("bogus:///first")
    second = open_connection("names.xml")
    signal = SIGNAL("stateChanged()")
    before = first.receivers(signal)
    pane.show_connection(first)
    assert first.receivers(signal) == before + 1
    pane.show_domain(second, META)
    assert first.receivers(signal) == before
    pane.show_connection(second)
    pane.show_domain(second, META)  # same connection: no second subscription
    assert second.receivers(signal) == 1
    pane.clear()
    assert second.receivers(signal) == 0
    wait_until(lambda: not pane._tasks, what="the fetches to end")
    shiboken6.delete(first)


def test_state_reasons_in_words() -> None:
    assert state_reason_text(DomainState.SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED) == (
        "forced off"
    )
    assert state_reason_text(DomainState.PAUSED, libvirt.VIR_DOMAIN_PAUSED_IOERROR) == "I/O error"
    assert state_reason_text(DomainState.RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED) == "booted"
    assert state_reason_text(DomainState.CRASHED, libvirt.VIR_DOMAIN_CRASHED_PANICKED) == (
        "guest panicked"
    )
    assert state_reason_text(DomainState.RUNNING, 999) == ""
    record = DomainRecord(
        uuid="u",
        name="n",
        state=DomainState.SHUTOFF,
        reason=libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN,
        vcpus=1,
        memory_kib=1024,
    )
    assert state_text(record) == "Shutoff (shut down)"
    saved = DomainRecord(
        uuid="u",
        name="n",
        state=DomainState.SAVED,
        reason=libvirt.VIR_DOMAIN_SHUTOFF_SAVED,
        vcpus=1,
        memory_kib=1024,
    )
    assert state_text(saved) == "Saved"
