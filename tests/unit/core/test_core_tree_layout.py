"""Grouping, saved views and host groups survive a restart; bad names are refused with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvmdesk.core.search import MAX_QUERY
from kvmdesk.core.settings import Settings
from kvmdesk.core.tree_layout import (
    BadName,
    GroupBy,
    SavedView,
    TreeLayout,
    check_name,
)


def test_layout_is_kept_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "kvmdesk.ini"
    layout = TreeLayout(Settings(path))
    assert layout.group_by is GroupBy.HOST  # first start: the host tree
    layout.group_by = GroupBy.TAG
    layout.save_view(SavedView("Web", "tag:web state:running", GroupBy.STATE, (2, 5)))
    layout.save_view(SavedView("all db", "name:db"))
    layout.move_hosts(["qemu+ssh://a/system", "qemu+ssh://b/system"], "rack 1")

    again = TreeLayout(Settings(path))
    assert again.group_by is GroupBy.TAG
    assert again.views() == [
        SavedView("all db", "name:db", GroupBy.HOST, ()),
        SavedView("Web", "tag:web state:running", GroupBy.STATE, (2, 5)),
    ]
    assert again.host_groups() == {
        "qemu+ssh://a/system": "rack 1",
        "qemu+ssh://b/system": "rack 1",
    }
    assert again.group_names() == ["rack 1"]


def test_a_view_of_the_same_name_is_replaced_and_one_can_be_removed(settings: Settings) -> None:
    layout = TreeLayout(settings)
    changes: list[int] = []
    layout.viewsChanged.connect(lambda: changes.append(1))
    layout.save_view(SavedView("Web", "web"))
    layout.save_view(SavedView(" Web ", "tag:web", GroupBy.OS))
    assert layout.views() == [SavedView("Web", "tag:web", GroupBy.OS)]
    layout.remove_view("Web")
    assert layout.views() == []
    assert len(changes) == 3


def test_hosts_move_between_groups_and_out(settings: Settings) -> None:
    layout = TreeLayout(settings)
    moved: list[int] = []
    layout.hostGroupsChanged.connect(lambda: moved.append(1))
    layout.move_hosts(["test:///a", "test:///b"], "lab")
    layout.move_hosts(["test:///b"], "prod")
    assert layout.host_group("test:///a") == "lab"
    assert layout.host_group("test:///b") == "prod"
    layout.move_hosts(["test:///a"], "")
    assert layout.host_groups() == {"test:///b": "prod"}
    assert layout.host_group("test:///a") == ""
    assert len(moved) == 3


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "Type a name."),
        ("   ", "Type a name."),
        ("x" * 10_000, "at most 64 characters"),
        ("prod\u202eevil", "invisible characters"),
        ("a\u200bb", "invisible characters"),
        ("line\nbreak", "invisible characters"),
    ],
)
def test_bad_names_are_refused_with_the_reason(settings: Settings, name: str, why: str) -> None:
    with pytest.raises(BadName, match=why):
        check_name(name)
    layout = TreeLayout(settings)
    with pytest.raises(BadName, match=why):
        layout.save_view(SavedView(name, "web"))
    if name:  # "" is no group at all
        with pytest.raises(BadName, match=why):
            layout.move_hosts(["test:///a"], name)
    assert layout.views() == [] and layout.host_groups() == {}


def test_names_with_xml_characters_are_kept_as_typed(settings: Settings) -> None:
    layout = TreeLayout(settings)
    layout.save_view(SavedView('<b>&"x"</b>', 'name:"a b" -tag:<x>'))
    layout.move_hosts(["test:///a"], "<rack & 'one'>")
    assert layout.views()[0].name == '<b>&"x"</b>'
    assert layout.views()[0].query == 'name:"a b" -tag:<x>'
    assert layout.host_group("test:///a") == "<rack & 'one'>"


def test_a_search_too_long_is_refused(settings: Settings) -> None:
    with pytest.raises(BadName, match="longer than"):
        TreeLayout(settings).save_view(SavedView("big", "x" * (MAX_QUERY + 1)))


def test_values_written_by_hand_in_a_shape_not_understood_are_left_out(
    settings: Settings,
) -> None:
    settings.set_value("tree/groupBy", "colour")
    settings.set_value("views/count", "3")
    settings.set_value("views/0/name", "ok")
    settings.set_value("views/0/groupBy", "nonsense")
    settings.set_value("views/0/hidden", "1,x,0,99,3")
    settings.set_value("views/1/name", "bad\u202ename")
    settings.set_value("hostGroups/count", "many")
    layout = TreeLayout(settings)
    assert layout.group_by is GroupBy.HOST
    assert layout.views() == [SavedView("ok", "", GroupBy.HOST, (1, 3))]
    assert layout.host_groups() == {}
