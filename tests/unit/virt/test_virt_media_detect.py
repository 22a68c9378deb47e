"""The OS of an install ISO, from its ISO 9660 header and osinfo's patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvmdesk.virt.media_detect import IsoIds, detect, read_iso_ids
from kvmdesk.virt.osinfo import GENERIC, OsRecord, load_catalog

OSINFO = Path("/usr/share/osinfo")


def make_iso(path: Path, volume: str, system: str = "LINUX", publisher: str = "") -> Path:
    """The first 17 sectors of an ISO 9660 image: enough for its header."""
    pvd = bytearray(b" " * 2048)
    pvd[0:6] = b"\x01CD001"
    pvd[6] = 1
    pvd[8:40] = system.encode().ljust(32)
    pvd[40:72] = volume.encode().ljust(32)
    pvd[318:446] = publisher.encode().ljust(128)
    path.write_bytes(b"\x00" * 16 * 2048 + bytes(pvd))
    return path


def test_the_header_is_read(tmp_path: Path) -> None:
    iso = make_iso(tmp_path / "a.iso", "Debian 11.5.0 amd64 n", publisher="Debian")
    assert read_iso_ids(iso) == IsoIds("Debian 11.5.0 amd64 n", "LINUX", "Debian", "")


@pytest.mark.parametrize("content", [b"", b"x" * 40000, b"\x00" * 32768 + b"\x01CD002"])
def test_not_an_iso_is_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not.iso"
    path.write_bytes(content)
    assert read_iso_ids(path) is None
    assert read_iso_ids(tmp_path / "missing.iso") is None
    assert read_iso_ids(tmp_path) is None  # a folder
    assert read_iso_ids("/srv/a\x00b.iso") is None  # typed with a NUL: refused later


def test_debian_media_is_recognised_from_the_osinfo_database(tmp_path: Path) -> None:
    if not (OSINFO / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    catalog = load_catalog([OSINFO])
    ids = read_iso_ids(make_iso(tmp_path / "d.iso", "Debian 11.5.0 amd64 n"))
    assert ids is not None
    found = detect(catalog.records, ids)
    assert found is not None and found.short_id == "debian11"
    assert detect(catalog.records, IsoIds("MY_OWN_DISK", "", "", "")) is None


def test_the_best_match_and_broken_patterns() -> None:
    loose = OsRecord("loose", "Loose", media_ids=(("Foo.*", "", "", ""),))
    exact = OsRecord("exact", "Exact", media_ids=(("Foo 1", "LINUX", "", ""),))
    broken = OsRecord("broken", "Broken", media_ids=(("Foo (", "", "", ""),))
    ids = IsoIds("Foo 1", "LINUX", "", "")
    assert detect((broken, loose, exact), ids) is exact
    assert detect((broken, loose), IsoIds("Foo 2", "WIN", "", "")) is loose
    assert detect(GENERIC, ids) is None  # no patterns: never guessed
