"""Edit Tags across hosts: typed tags are checked, each host edits its machines."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from kvmdesk.app import Services
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main import tag_dialog
from kvmdesk.virt.tags import NS, read_tags


@pytest.mark.parametrize(
    ("add", "message"),
    [
        ("two\u202ewords", "invisible characters"),
        ("x" * 10_000, "at most 64 characters"),
        ("a,b", "no spaces, commas"),
        ("", "Type tags to add or to remove."),
    ],
)
def test_bad_tags_are_refused_in_the_dialog(
    app_services: Services, open_host: Any, run: Any, data_uri: Any, add: str, message: str
) -> None:
    conn = open_host("two-domains.xml")
    targets = [Selected(conn, r) for r in conn.domains.values()]
    dialog = tag_dialog.TagDialog(targets, app_services.window.model.facts, app_services.window)
    dialog.add_field.setText(add)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert message in dialog.problem.text()
    assert "\u202e" not in dialog.problem.text()


def test_tags_are_edited_on_every_host_and_a_malformed_one_is_reported(
    app_services: Services,
    open_host: Any,
    run: Any,
    data_uri: Any,
    wait_until: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = app_services.window
    two = open_host("two-domains.xml")
    other = open_host("lifecycle.xml")
    # Another tool wrote something kvmdesk cannot read into one domain's tags.
    odd = next(r for r in other.domains.values() if r.name == "shutoff")

    def spoil(virt: Any, uuid: str) -> None:
        import libvirt

        virt.lookupByUUIDString(uuid).setMetadata(
            libvirt.VIR_DOMAIN_METADATA_ELEMENT, "<tags><colour>red</colour></tags>", "k", NS, 0
        )

    run(other.call(spoil, odd.uuid))
    targets = [Selected(two, r) for r in two.domains.values()] + [Selected(other, odd)]

    async def answer(dialog: Any) -> int:
        dialog.add_field.setText("prod web")
        dialog.accept()
        return int(dialog.result())

    reports: list[tuple[str, str]] = []
    monkeypatch.setattr(tag_dialog, "ask", answer)
    monkeypatch.setattr(
        tag_dialog, "present", lambda box: reports.append((box.text(), box.informativeText()))
    )
    run(tag_dialog.edit_selected_tags(window, targets, window.model.facts))
    for r in two.domains.values():
        tags = run(two.call(lambda v, u: read_tags(v.lookupByUUIDString(u)), r.uuid))
        assert tags == ("prod", "web")
    # Each domain whose tags changed is logged as the virsh metadata that does the same.
    logged = [e.command.lines for e in two.command_log.entries if e.command.lines[0][2] == two.uri]
    assert sorted(logged) == sorted(
        (
            (
                "virsh",
                "-c",
                two.uri,
                "metadata",
                "--domain",
                r.name,
                "--uri",
                NS,
                "--key",
                "kvmdesk",
                "--set",
                "<tags><tag>prod</tag><tag>web</tag></tags>",
                "--config",
                *(("--live",) if r.state.is_active else ()),
            ),
        )
        for r in two.domains.values()
    )
    # the spoiled domain was left alone: nothing logged for its host
    assert not [e for e in other.command_log.entries if e.command.lines[0][2] == other.uri]
    assert len(reports) == 1
    assert "kept their tags" in reports[0][0] or "kept its tags" in reports[0][0]
    assert "another program" in reports[0][1]
    # The spoiled element is left exactly as it was.
    stored = run(other.call(lambda v, u: v.lookupByUUIDString(u).metadata(2, NS, 0), odd.uuid))
    assert "colour" in stored
    wait_until(
        lambda: all(
            window.model.facts.tags(two, r.uuid) == ("prod", "web") for r in two.domains.values()
        ),
        what="the new tags known to the window",
    )
