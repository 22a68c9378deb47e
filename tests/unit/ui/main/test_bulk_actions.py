"""A verb on many machines across hosts: one summary question, per-VM failures, no blocking."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from kvmdesk.app import Services
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main import bulk_confirm
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown


def _targets(*conns: Any) -> list[Selected]:
    return [Selected(c, r) for c in conns for r in c.domains.values()]


def test_the_question_counts_machines_and_hosts_and_names_them(
    app_services: Services, open_host: Any, run: Any, data_uri: Any
) -> None:
    lifecycle = open_host("lifecycle.xml")
    two = open_host("two-domains.xml")
    title, text, details = bulk_confirm.question(Verb.SHUTDOWN, _targets(lifecycle, two))
    assert title == "Shut Down"
    assert text == "Shut down 12 virtual machines on 2 hosts?"
    assert "Test: lifecycle.xml: 10 virtual machines" in details
    assert "Test: two-domains.xml: 2 virtual machines" in details
    assert f"  {shown('alpha')}" in details.splitlines()


def test_a_long_list_is_cut_and_counted(
    app_services: Services, open_host: Any, run: Any, data_uri: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lifecycle = open_host("lifecycle.xml")
    monkeypatch.setattr(bulk_confirm, "NAMES_SHOWN", 3)
    _title, _text, details = bulk_confirm.question(Verb.PAUSE, _targets(lifecycle))
    lines = details.splitlines()
    assert len(lines) == 1 + 3 + 1
    assert lines[-1] == f"  and {len(lifecycle.domains) - 3} more"


def test_only_disruptive_verbs_on_several_machines_ask(
    app_services: Services, open_host: Any, run: Any, data_uri: Any
) -> None:
    lifecycle = open_host("lifecycle.xml")
    many, one = _targets(lifecycle), _targets(lifecycle)[:1]
    assert bulk_confirm.needs_confirmation(Verb.SHUTDOWN, many)
    assert not bulk_confirm.needs_confirmation(Verb.SHUTDOWN, one)
    assert not bulk_confirm.needs_confirmation(Verb.RUN, many)
    assert not bulk_confirm.needs_confirmation(Verb.FORCE_OFF, many)  # it has its own question


@pytest.mark.parametrize(
    "answer", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
)
def test_pause_across_hosts_asks_once_and_reports_each_failure(
    app_services: Services,
    open_host: Any,
    run: Any,
    data_uri: Any,
    wait_until: Any,
    monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
) -> None:
    window = app_services.window
    lifecycle = open_host("lifecycle.xml")
    two = open_host("two-domains.xml")
    asked: list[str] = []
    reported: list[tuple[str, list[str]]] = []

    def exec_(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box.text())
        return answer

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(
        "kvmdesk.ui.main.domain_commands.show_failures",
        lambda _parent, title, failures: reported.append((title, [n for n, _ in failures])),
    )
    running = [
        Selected(c, r)
        for c in (lifecycle, two)
        for r in c.domains.values()
        if r.state is DomainState.RUNNING
    ]
    names = {s.record.name for s in running}
    assert {"running", "alpha"} <= names
    # Another client pauses one of them first: that one fails, the others go on.
    first = next(s for s in running if s.record.name == "alpha")
    run(two.call(lambda v, u: v.lookupByUUIDString(u).suspend(), first.record.uuid))
    monkeypatch.setattr(window.commands, "_selected", lambda: running)
    window.commands.apply_verb(Verb.PAUSE)
    assert asked == [f"Pause {len(running)} virtual machines on 2 hosts?"]
    if answer is QMessageBox.StandardButton.Cancel:
        assert not window._tasks
        return
    wait_until(lambda: not window._tasks, what="the verb to end on every host")
    assert reported == [("Could not pause", ["alpha"])]
    for s in running:
        if s.record.name != "alpha":
            assert s.conn.domains[s.record.uuid].state is DomainState.PAUSED or s.record.name in (
                "blocked",
                "transient",
            )
