"""Names that try to look like something else are shown as what they are.

``spoofed.xml`` holds "evil<U+202E>gpj.exe" (reads "evilexe.jpg"),
"<U+202E>dorp-bew" (reads "web-prod"), the real "web-prod", one with a
zero-width space and one that is a blank Hangul letter. Wherever the window
shows one of them, the hidden character is written out and the name is
isolated; the confirmations of Delete and Force Off show the UUID too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from kvmdesk.app import Services, build
from kvmdesk.core.capture_all import CaptureAll, summary
from kvmdesk.core.connection import Connection
from kvmdesk.models.tree import Column, Role
from kvmdesk.ui.main.delete_dialog import DeleteDialog
from kvmdesk.virt.shown import FSI, PDI, shown

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
EVIL = "evil\u202egpj.exe"
FAKE = "\u202edorp-bew"
FAKE_UUID = "5afe0000-0000-4000-8000-000000000002"
ZERO_WIDTH = "web\u200b-prod"
BLANK = "\u3164"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u200e\u200f\u200b\u3164")


@pytest.fixture
def services(qtbot: Any, settings: Any, fast_timing: Any, run: Run) -> Iterator[Services]:
    built = build(settings, fast_timing)
    built.window.show()
    qtbot.waitExposed(built.window)
    yield built
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, (QMessageBox, DeleteDialog)) and widget.isVisible():
            widget.done(0)
    run(built.manager.shutdown())
    built.window.hide()
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def conn(services: Services, run: Run, data_uri: Callable[[str], str]) -> Connection:
    conn = services.manager.add(data_uri("spoofed.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def _rows(services: Services, conn: Connection) -> dict[str, Any]:
    model = services.window.model
    parent = model.index_of_connection(conn)
    return {
        model.index(r, Column.NAME, parent).data(Role.SORT): model.index(r, Column.NAME, parent)
        for r in range(model.rowCount(parent))
    }


def _select(qtbot: Any, services: Services, conn: Connection, name: str) -> None:
    window = services.window
    index = _rows(services, conn)[name]
    window.tree.scrollTo(index)
    qtbot.mouseClick(
        window.tree.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.tree.visualRect(index).center(),
    )
    assert [s.record.name for s in window.selected_domains()] == [name]


def test_the_tree_writes_hidden_characters_out(services: Services, conn: Connection) -> None:
    rows = _rows(services, conn)
    assert set(rows) == {EVIL, FAKE, "web-prod", ZERO_WIDTH, BLANK}
    shown_names = {name: index.data() for name, index in rows.items()}
    assert shown_names[EVIL] == f"{FSI}evil<U+202E>gpj.exe{PDI}"
    assert shown_names[FAKE] == f"{FSI}<U+202E>dorp-bew{PDI}"
    assert shown_names[ZERO_WIDTH] == f"{FSI}web<U+200B>-prod{PDI}"
    assert shown_names[BLANK] == f"{FSI}<U+3164>{PDI}"
    assert shown_names["web-prod"] == f"{FSI}web-prod{PDI}"
    # Two names never look the same.
    assert len(set(shown_names.values())) == len(shown_names)
    for index in rows.values():
        assert not BIDI & set(index.data(Qt.ItemDataRole.ToolTipRole))


def test_the_details_write_hidden_characters_out(
    qtbot: Any, services: Services, conn: Connection, wait_until: WaitUntil
) -> None:
    _select(qtbot, services, conn, EVIL)
    page = services.window.details.domain_overview
    wait_until(lambda: page.name.text() == shown(EVIL), what="the details")
    assert "<U+202E>" in page.name.text()
    for label in services.window.details.findChildren(QLabel):
        assert not BIDI & set(label.text()), label.text()


def test_force_off_names_the_machine_by_its_uuid_too(
    qtbot: Any, services: Services, conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append((box.text(), box.informativeText()))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    _select(qtbot, services, conn, FAKE)
    services.window.acts.force_off.trigger()
    [(text, informative)] = asked
    assert text == f"Force off “{FSI}<U+202E>dorp-bew{PDI}”?"
    assert f"{FSI}<U+202E>dorp-bew{PDI} (UUID {FAKE_UUID})" in informative


def test_delete_names_the_machine_by_its_uuid_too(
    qtbot: Any, services: Services, conn: Connection, wait_until: WaitUntil, run: Run
) -> None:
    messages: list[str] = []
    services.window.statusBar().messageChanged.connect(messages.append)
    _select(qtbot, services, conn, FAKE)
    services.window.acts.delete.trigger()
    found: list[DeleteDialog] = []

    def dialog_shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, DeleteDialog) and w.isVisible()
        ]
        return bool(found)

    wait_until(dialog_shown, what="the delete dialog")
    dialog = found[0]
    assert dialog.question.text() == f"Delete virtual machine “{FSI}<U+202E>dorp-bew{PDI}”?"
    assert dialog.identity.text() == f"UUID: {FAKE_UUID}"
    assert dialog.identity.isVisible()
    dialog.delete_button.click()
    wait_until(
        lambda: any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        what="the outcome",
    )
    assert f"Deleting “{FSI}<U+202E>dorp-bew{PDI}”…" in messages
    [report] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert "<U+202E>dorp-bew" in report.text()
    report.done(0)
    assert FAKE not in {r.name for r in conn.domains.values()} or run(
        conn.call(lambda v: FAKE not in [d.name() for d in v.listAllDomains()])
    )


def test_capture_all_file_names_write_hidden_characters_out(
    conn: Connection, run: Run, tmp_path: Path
) -> None:
    outcome = run(CaptureAll(conn, tmp_path, "{domain}.png").run())
    names = sorted(path.name for _name, path in outcome.written)
    assert names == ["U_202E_dorp-bew.png", "evil_U_202E_gpj.exe.png", "web-prod.png"]
    _head, details = summary(outcome)
    assert "<U+202E>dorp-bew" in details and "\u202e" not in details
