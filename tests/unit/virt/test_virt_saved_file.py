"""Save to a file and restore from it on the test driver: the note in the metadata,
the "Saved to file" state in the listing, and the path checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libvirt
import pytest

from kvmdesk.virt import inventory, saved_file
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.saved_file import SavePathError

Virt = Callable[[str], libvirt.virConnect]
MOVER = "30e0e0e0-0000-4000-8000-000000000001"


def _state(conn: libvirt.virConnect, uuid: str) -> DomainState:
    listed = {r.uuid: r for r in inventory.list_domains(conn)}
    one = inventory.fetch_domain(conn, uuid)
    assert one is not None and one.state is listed[uuid].state
    return one.state


def test_save_notes_the_file_and_restore_forgets_it(virt: Virt, tmp_path: Path) -> None:
    conn = virt("migrate-source.xml")
    path = str(tmp_path / "mover.save")
    assert saved_file.saved_path(conn, MOVER) == ""
    assert saved_file.save(conn, MOVER, path) == path
    assert Path(path).exists()
    assert saved_file.saved_path(conn, MOVER) == path
    assert _state(conn, MOVER) is DomainState.SAVED_TO_FILE
    assert saved_file.saved(conn, MOVER, path) == path  # the re-read after a dropped link
    assert saved_file.image_domain(conn, path) == ("mover", MOVER)
    assert saved_file.restore(conn, path) == MOVER
    assert saved_file.saved_path(conn, MOVER) == ""
    assert _state(conn, MOVER) is DomainState.RUNNING
    assert saved_file.restored(conn, MOVER, path) == MOVER
    assert saved_file.saved(conn, MOVER, path) is None  # running: no save took place
    assert Path(path).exists()  # the user's file stays


def test_forget_keeps_the_rest_of_the_metadata(virt: Virt, tmp_path: Path) -> None:
    conn = virt("migrate-source.xml")
    dom = conn.lookupByUUIDString(MOVER)
    dom.setMetadata(
        libvirt.VIR_DOMAIN_METADATA_ELEMENT,
        "<other/>",
        "x",
        "https://example.org/other",
        libvirt.VIR_DOMAIN_AFFECT_CONFIG,
    )
    saved_file.save(conn, MOVER, str(tmp_path / "m.save"))
    saved_file.forget(conn, MOVER)
    assert saved_file.saved_path(conn, MOVER) == ""
    assert "https://example.org/other" in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)


def test_restoring_a_missing_file_says_so(virt: Virt, tmp_path: Path) -> None:
    conn = virt("migrate-source.xml")
    with pytest.raises(libvirt.libvirtError):
        saved_file.image_domain(conn, str(tmp_path / "nothing.save"))


@pytest.mark.parametrize(
    ("path", "kind"),
    [("", "empty"), ("   ", "empty"), ("web.save", "relative"), ("/tmp/a\nb", "control")],
)
def test_bad_paths(path: str, kind: str) -> None:
    with pytest.raises(SavePathError) as caught:
        saved_file.check_path(path)
    assert caught.value.kind == kind


def test_good_path_is_trimmed() -> None:
    assert saved_file.check_path("  /var/lib/x.save ") == "/var/lib/x.save"
