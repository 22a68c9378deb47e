"""The search hides rows in the tree itself, a slice of rows per loop turn on a large host."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel

from kvmdesk.app import Services
from kvmdesk.core.tree_layout import GroupBy
from kvmdesk.models.columns import Role
from kvmdesk.models.tree_order import CHUNK, SEARCH_NOW_MAX
from kvmdesk.virt.lifecycle import Verb, apply
from kvmdesk.virt.tags import TagEdit, edit_tags
from tests.unit.ui.main.shown_rows import shown_rows

N = SEARCH_NOW_MAX + 3 * CHUNK  # marked over several turns, said in several slices


def _big_host(tmp_path: Any) -> str:
    """``N`` domains, every third one paused; names tell their number."""
    ns = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'"
    domains = "".join(
        f"<domain type='test' {ns}><name>vm-{i:05d}</name>"
        f"<uuid>00000000-0000-4000-8000-{i:012d}</uuid><memory>65536</memory><vcpu>1</vcpu>"
        f"<os><type>hvm</type></os>"
        f"<test:runstate>{3 if i % 3 == 0 else 1}</test:runstate></domain>"
        for i in range(N)
    )
    path = tmp_path / "search-big.xml"
    path.write_text(f"<node>{domains}</node>", encoding="utf-8")
    return f"test://{path}"


def _open_big_host(app_services: Services, run: Any, tmp_path: Any, wait_until: Any) -> Any:
    """The big host added, listed and shown."""
    conn = app_services.manager.add(_big_host(tmp_path), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    wait_until(
        lambda: len(_names(app_services.window)) == N and _settled(app_services.window),
        what="the rows",
    )
    return conn


def _names(window: Any) -> list[str]:
    """The machines the tree shows, under every shown connection."""
    return [
        row.data(Role.SORT) for parent in shown_rows(window) for row in shown_rows(window, parent)
    ]


def _settled(window: Any) -> bool:
    """Marked, said, hidden, and the tree paints again (held while rows hid)."""
    return not window.model.matching and window.tree.viewport().updatesEnabled()


def test_a_search_over_many_rows_hides_the_others_and_clearing_shows_all(
    app_services: Services, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = _open_big_host(app_services, run, tmp_path, wait_until)
    paused = sorted(r.name for r in conn.domains.values() if r.state.name == "PAUSED")
    assert window.tree.model() is window.model  # no other model in between, ever

    window.search.setText("state:paused")
    wait_until(lambda: _settled(window), what="the search")
    assert _names(window) == paused

    window.search.setText("state:paused vm-0001")  # narrower: rows hide, none comes back
    wait_until(lambda: _settled(window), what="the narrower search")
    assert _names(window) == [n for n in paused if n.startswith("vm-0001")]

    window.search.setText("nothing-is-called-this")  # the connection hides with its rows
    wait_until(lambda: _settled(window), what="a search that matches nothing")
    assert shown_rows(window) == []

    window.search.clear()
    wait_until(lambda: _settled(window), what="the cleared search")
    assert len(_names(window)) == N
    assert window.tree.model() is window.model


def test_rows_that_come_change_or_go_while_searching_show_as_the_search_says(
    app_services: Services, open_host: Any, run: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("lifecycle.xml")
    window.search.setText("state:running")
    running = ["blocked", "running", "transient"]  # blocked counts as running
    assert _names(window) == running
    by_name = {r.name: r for r in conn.domains.values()}

    # A machine that starts joins the search; one that pauses leaves it.
    run(conn.call(apply, by_name["shutoff"].uuid, Verb.RUN))
    started = ["blocked", "running", "shutoff", "transient"]
    wait_until(lambda: _names(window) == started, what="the started row")
    run(conn.call(apply, by_name["running"].uuid, Verb.PAUSE))
    others = ["blocked", "shutoff", "transient"]
    wait_until(lambda: _names(window) == others, what="the paused row to leave")

    # A machine that comes matching shows; one that does not stays hidden;
    # one that goes leaves.
    run(conn.call(lambda virt: virt.defineXML(_xml("new-off"))))
    run(conn.call(lambda virt: virt.createXML(_xml("new-on"), 0)))
    wait_until(lambda: "new-off" in {r.name for r in conn.domains.values()}, what="new-off")
    wait_until(
        lambda: _names(window) == ["blocked", "new-on", "shutoff", "transient"], what="new-on"
    )
    run(conn.call(lambda virt: virt.lookupByName("new-on").destroy()))
    wait_until(lambda: _names(window) == others, what="the gone row")

    window.search.clear()
    assert {"new-off", "paused", "running", "shutoff"} <= set(_names(window))


def _xml(name: str, uuid: str | None = None) -> str:
    known = f"<uuid>{uuid}</uuid>" if uuid else ""
    return (
        f"<domain type='test'><name>{name}</name>{known}<memory>65536</memory>"
        "<os><type>hvm</type></os></domain>"
    )


def test_the_selection_stays_on_rows_the_search_shows_and_leaves_hidden_ones(
    app_services: Services, open_host: Any, run: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("lifecycle.xml")
    selection = window.tree.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    by_name = {r.name: r for r in conn.domains.values()}
    for name in ("paused", "running"):
        selection.select(window.model.index_of_domain(conn, by_name[name].uuid), flags)
    assert sorted(s.record.name for s in window.selected_domains()) == ["paused", "running"]

    window.search.setText("state:paused")
    assert [s.record.name for s in window.selected_domains()] == ["paused"]
    window.search.clear()
    assert [s.record.name for s in window.selected_domains()] == ["paused"]
    assert "running" in _names(window)


def test_a_connection_with_no_match_shows_once_a_matching_machine_comes(
    app_services: Services, open_host: Any, run: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("two-domains.xml")
    window.search.setText("new-")
    assert shown_rows(window) == []
    run(conn.call(lambda virt: virt.defineXML(_xml("other"))))
    wait_until(lambda: "other" in {r.name for r in conn.domains.values()}, what="other")
    assert shown_rows(window) == []  # still nothing under it matches
    run(conn.call(lambda virt: virt.createXML(_xml("new-on"), 0)))
    wait_until(lambda: _names(window) == ["new-on"], what="the connection with its match")
    run(conn.call(lambda virt: virt.lookupByName("new-on").destroy()))
    wait_until(lambda: shown_rows(window) == [], what="the connection hidden again")


def test_a_search_that_hides_every_row_says_so_until_it_is_cleared(
    app_services: Services, open_host: Any, wait_until: Any
) -> None:
    window = app_services.window
    notice = window.tree_source.no_match
    open_host("lifecycle.xml")
    window.search.setText("state:running")
    wait_until(lambda: _settled(window), what="a search that matches")
    notice.check()
    assert notice.isHidden()  # rows show: nothing to say

    window.search.setText("nothing-is-called-this")
    wait_until(lambda: not notice.isHidden(), what="the words over the empty tree")
    assert "No machine matches the search." in notice.text()

    window.search.setText("blocked")  # a row shows again: the words go
    wait_until(lambda: notice.isHidden(), what="the words gone with a match")

    window.search.setText("nothing-is-called-this")
    wait_until(lambda: not notice.isHidden(), what="the words again")
    window.search.clear()
    wait_until(lambda: notice.isHidden(), what="the words gone with the search")


def _typed(window: Any, wait_until: Any, text: str) -> list[str]:
    """The machines shown once ``text`` is in the search box (each key
    matches every row again)."""
    window.search.setText(text)
    wait_until(lambda: _settled(window), what=f"the search {text!r}")
    return _names(window)


def test_a_free_word_follows_tags_names_and_machines_that_come_again(
    app_services: Services, open_host: Any, run: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = open_host("two-domains.xml")
    by_name = {r.name: r.uuid for r in conn.domains.values()}
    assert _typed(window, wait_until, "web") == []

    # Tags given while searching: found at once, and by the keys after.
    tags = TagEdit(add=("web",))
    run(conn.call(lambda virt, u: edit_tags(virt, u, tags), by_name["alpha"]))
    window.model.facts.refresh(conn, [by_name["alpha"]])
    wait_until(lambda: _names(window) == ["alpha"], what="the tagged row")
    assert _typed(window, wait_until, "web ") == ["alpha"]
    untag = TagEdit(remove=("web",))
    run(conn.call(lambda virt, u: edit_tags(virt, u, untag), by_name["alpha"]))
    window.model.facts.refresh(conn, [by_name["alpha"]])
    wait_until(lambda: _names(window) == [], what="the untagged row")
    assert _typed(window, wait_until, "web") == []

    # A machine renamed by another client is searched by its new name.
    assert _typed(window, wait_until, "bet") == ["beta"]
    run(conn.call(lambda virt: virt.lookupByName("beta").rename("gamma", 0)))
    wait_until(lambda: _names(window) == [], what="the renamed row")
    assert _typed(window, wait_until, "beta") == []
    assert _typed(window, wait_until, "gamma") == ["gamma"]

    # A machine that goes, and another that comes with its uuid, is searched
    # as the one that came.
    run(conn.call(lambda virt: virt.lookupByName("gamma").undefine()))
    wait_until(lambda: _names(window) == [], what="the gone row")
    run(conn.call(lambda virt: virt.defineXML(_xml("delta", by_name["beta"]))))
    wait_until(lambda: by_name["beta"] in conn.domains, what="the row that came")
    assert _typed(window, wait_until, "gamm") == []
    assert _typed(window, wait_until, "delt") == ["delta"]


def test_the_tree_paints_again_after_a_pass_even_when_the_view_changes_during_it(
    app_services: Services, run: Any, tmp_path: Any, wait_until: Any
) -> None:
    window = app_services.window
    conn = _open_big_host(app_services, run, tmp_path, wait_until)
    viewport = window.tree.viewport()
    grouping = window.grouping
    assert grouping is not None
    painting: list[bool] = []  # as each slice of marks was said

    def said(_items: Any) -> None:
        painting.append(viewport.updatesEnabled())
        if len(painting) == 1:  # the view changes during the pass
            grouping.combo.activated.emit(list(GroupBy).index(GroupBy.STATE))

    window.model.matchesChanged.connect(said)
    window.search.setText("state:paused")
    wait_until(lambda: _settled(window) and not grouping.groups.busy, what="the grouped rows")
    assert painting[0] is False  # held while the first slice of rows hid
    assert viewport.updatesEnabled() and window.tree.model() is grouping.groups
    paused = sorted(r.name for r in conn.domains.values() if r.state.name == "PAUSED")
    assert sorted(_names(window)) == paused
