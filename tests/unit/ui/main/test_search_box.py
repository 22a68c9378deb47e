"""The search box filters the tree with the query language and says where a query breaks."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from kvmdesk.app import Services
from kvmdesk.models.tree import Column, Role
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.records import DomainState
from tests.unit.ui.main.shown_rows import shown_rows


def _shown(window: Any) -> dict[str, list[str]]:
    """Connection label -> domain names, as the tree shows them."""
    return {
        parent.data(): [i.data(Role.SORT) for i in shown_rows(window, parent, Column.NAME)]
        for parent in shown_rows(window)
    }


def test_fields_and_negation_filter_across_connections(
    app_services: Services, open_host: Any, run: Any, data_uri: Any
) -> None:
    window = app_services.window
    open_host("lifecycle.xml")
    open_host("two-domains.xml")
    window.search.setText("state:paused,crashed")
    assert _shown(window) == {"Test: lifecycle.xml": ["crashed", "paused"]}
    window.search.setText("host:two-domains -name:beta")
    assert _shown(window) == {"Test: two-domains.xml": ["alpha"]}
    window.search.setText("mem>=1.5G state:running")
    assert _shown(window) == {
        "Test: lifecycle.xml": ["blocked"],
        "Test: two-domains.xml": ["alpha"],
    }
    window.search.setText("vcpus>3 OR alpha")
    assert _shown(window) == {
        "Test: lifecycle.xml": ["pmsuspended", "shutoff"],
        "Test: two-domains.xml": ["alpha"],
    }
    window.search.clear()
    assert len(_shown(window)["Test: lifecycle.xml"]) == 10


def test_a_row_whose_state_changes_joins_or_leaves_the_search(
    app_services: Services, open_host: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("two-domains.xml")
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    assert alpha.state is DomainState.RUNNING
    window.search.setText("state:running")
    assert "alpha" in _shown(window)["Test: two-domains.xml"]
    run(conn.call(apply, alpha.uuid, Verb.PAUSE))
    wait_until(
        lambda: "alpha" not in _shown(window).get("Test: two-domains.xml", []),
        what="the paused row to leave the search",
    )
    window.search.setText("state:paused")
    assert _shown(window) == {"Test: two-domains.xml": ["alpha"]}


def test_an_unreadable_query_says_where_and_keeps_the_last_filter(
    app_services: Services, open_host: Any, run: Any, data_uri: Any
) -> None:
    window = app_services.window
    open_host("lifecycle.xml")
    window.search.setText("state:paused")
    before = _shown(window)
    window.search.setText("state:paused colour:red")
    error = window.search.error
    assert error is not None and error.position == 13
    assert "colour" in str(error) and "character 14" in str(error)
    assert window.statusBar().currentMessage() == str(error)
    assert _shown(window) == before  # nothing jumps while the query is being typed
    window.search.setText("state:paused")
    assert window.search.error is None
    assert window.statusBar().currentMessage() == ""


@pytest.mark.parametrize(
    "text",
    [
        '<a href="x">&amp;</a>',
        "\u202eevil\u2066",
        "x" * 10_000,
        "y" * 10_001,
    ],
)
def test_hostile_search_text_neither_breaks_nor_matches_by_accident(
    app_services: Services, open_host: Any, run: Any, data_uri: Any, text: str
) -> None:
    window = app_services.window
    open_host("names.xml")
    window.search.setText(text)
    assert _shown(window) in ({}, {"Test: names.xml": []}) or window.search.error is not None


def test_tags_from_the_domains_metadata_are_searched_and_follow_edits(
    app_services: Services, open_host: Any, run: Any, data_uri: Any, wait_until: Any
) -> None:
    from kvmdesk.virt.tags import TagEdit, edit_tags

    window = app_services.window
    conn = open_host("two-domains.xml")
    alpha = next(r for r in conn.domains.values() if r.name == "alpha")
    run(conn.call(edit_tags, alpha.uuid, TagEdit(add=("prod", "web"))))
    window.search.setText("tag:prod")  # the first query about tags starts reading them
    wait_until(
        lambda: _shown(window) == {"Test: two-domains.xml": ["alpha"]}, what="alpha by its tag"
    )
    assert "prod" in window.model.index_of_domain(conn, alpha.uuid).data(
        Qt.ItemDataRole.ToolTipRole
    )
    window.search.setText("web")  # a free word matches tags too
    assert _shown(window) == {"Test: two-domains.xml": ["alpha"]}
    # Another kvmdesk removes the tag: the metadata event brings it here.
    run(conn.call(edit_tags, alpha.uuid, TagEdit(remove=("prod",))))
    window.search.setText("tag:prod")
    wait_until(lambda: _shown(window) in ({}, {"Test: two-domains.xml": []}), what="tag gone")
