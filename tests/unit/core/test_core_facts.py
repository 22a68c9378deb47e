"""Tags and OS read in batches as the search first asks for them."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from kvmdesk.core import facts as facts_module
from kvmdesk.core.facts import FactBook
from kvmdesk.virt.tags import TagEdit, edit_tags


def test_every_domain_is_read_and_one_asked_for_during_its_read_again(
    manager: Any, run: Any, data_uri: Any, wait_until: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts_module, "LOCAL_BATCH", 3)  # lifecycle.xml: 10 domains, 4 batches
    batches: list[list[str]] = []  # what each read asked for, in order
    read = facts_module.bulk_facts
    asked = threading.Event()  # the first read waits until more was asked for

    def reading(virt: Any, uuids: list[str]) -> Any:  # in the connection's worker
        batches.append(list(uuids))
        asked.wait(10)
        return read(virt, uuids)

    monkeypatch.setattr(facts_module, "bulk_facts", reading)
    conn = manager.add(data_uri("lifecycle.xml"), persist=False)
    assert run(conn.open_and_wait()), conn.failure
    uuids = sorted(conn.domains)
    run(conn.call(lambda virt: edit_tags(virt, uuids[-1], TagEdit(add=("web",)))))
    book = FactBook(manager)
    book.set_enabled(True)
    wait_until(lambda: len(batches) == 1, what="the first read")
    being_read = batches[0][0]
    waiting = next(u for u in uuids if u not in batches[0])
    book.refresh(conn, [being_read, waiting])
    asked.set()
    wait_until(lambda: book.settled(conn), what="every domain read")
    # Each domain read, the one asked for again during its read once more.
    assert sorted(u for batch in batches for u in batch) == sorted([*uuids, being_read])
    assert all(len(batch) <= 3 for batch in batches)
    assert book.tags(conn, uuids[-1]) == ("web",)
