"""Reading the osinfo database: inheritance, virtio support, refusals, fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kvmdesk.virt.osinfo import GENERIC, load_catalog

BASE = """<?xml version="1.0"?>
<libosinfo version="0.0.1">
  <os id="http://example.org/exos/1">
    <short-id>exos1</short-id>
    <name>ExOS 1</name>
    <name xml:lang="de">ExOS Eins</name>
    <vendor>Example Project</vendor>
    <family>linux</family>
    <release-date>2020-01-01</release-date>
    <resources arch="all">
      <minimum><n-cpus>1</n-cpus><ram>536870912</ram><storage>4294967296</storage></minimum>
      <recommended><n-cpus>2</n-cpus><ram>2147483648</ram><storage>21474836480</storage></recommended>
    </resources>
    <devices>
      <device id="http://pcisig.com/pci/1af4/1001"/>
      <device id="http://pcisig.com/pci/1af4/1000"/>
    </devices>
  </os>
</libosinfo>
"""

DERIVED = """<?xml version="1.0"?>
<libosinfo version="0.0.1">
  <os id="http://example.org/exos/2">
    <short-id>exos2</short-id>
    <name>ExOS 2</name>
    <vendor>Example Project</vendor>
    <derives-from id="http://example.org/exos/1"/>
    <release-date>2022-01-01</release-date>
  </os>
  <os id="http://example.org/oldos/1">
    <short-id>oldos1</short-id>
    <name>OldOS</name>
    <vendor>Old Vendor</vendor>
    <release-date>1999-01-01</release-date>
  </os>
  <os id="http://example.org/exos/3-nonet">
    <short-id>exos3</short-id>
    <name>ExOS 3</name>
    <vendor>Example Project</vendor>
    <derives-from id="http://example.org/exos/2"/>
    <devices><device id="http://pcisig.com/pci/1af4/1000" supported="false"/></devices>
  </os>
</libosinfo>
"""


def _db(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "os" / "example.org" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_records_inherit_resources_and_devices(tmp_path: Path) -> None:
    catalog = load_catalog([_db(tmp_path, {"exos-1.xml": BASE, "more.xml": DERIVED})])
    assert catalog.from_database
    exos2 = catalog.find("exos2")
    assert exos2 is not None
    assert (exos2.name, exos2.vendor, exos2.release_date) == (
        "ExOS 2",
        "Example Project",
        "2022-01-01",
    )
    assert (exos2.min_ram_mib, exos2.rec_ram_mib, exos2.rec_cpus) == (512, 2048, 2)
    assert (exos2.min_storage_gib, exos2.rec_storage_gib) == (4, 20)
    assert exos2.virtio_disk and exos2.virtio_net
    assert exos2.disk_bus == "virtio" and exos2.net_model == "virtio"
    exos1 = catalog.find("exos1")
    assert exos1 is not None and exos1.name == "ExOS 1"  # not the translated name
    exos3 = catalog.find("exos3")
    assert exos3 is not None and exos3.virtio_disk and not exos3.virtio_net
    old = catalog.find("oldos1")
    assert old is not None and not old.virtio_disk and old.disk_bus == "sata"
    assert old.net_model == "e1000"


def test_newest_first_within_a_vendor_and_generic_choices_at_the_end(tmp_path: Path) -> None:
    catalog = load_catalog([_db(tmp_path, {"exos-1.xml": BASE, "more.xml": DERIVED})])
    ids = [r.short_id for r in catalog.records]
    assert ids.index("exos2") < ids.index("exos1")
    assert ids[-len(GENERIC) :] == [g.short_id for g in GENERIC]


def test_a_later_directory_overrides_an_earlier_one(tmp_path: Path) -> None:
    system = _db(tmp_path / "system", {"exos-1.xml": BASE})
    local = _db(tmp_path / "local", {"exos-1.xml": BASE.replace("ExOS 1<", "ExOS One<")})
    catalog = load_catalog([system, local])
    found = catalog.find("exos1")
    assert found is not None and found.name == "ExOS One"


@pytest.mark.parametrize(
    "hostile",
    [
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
        "<libosinfo><os id='http://evil/1'><short-id>evil</short-id>"
        "<name>&a;</name></os></libosinfo>",
        '<?xml version="1.0"?>\n<!doctype libosinfo SYSTEM "file:///etc/passwd">'
        "<libosinfo><os id='http://evil/2'><short-id>evil</short-id>"
        "<name>Evil</name></os></libosinfo>",
        "<libosinfo><os id='http://evil/3'><short-id>evil</short-id><name>Evil",
    ],
)
def test_declarations_and_broken_files_are_skipped(tmp_path: Path, hostile: str) -> None:
    catalog = load_catalog([_db(tmp_path, {"exos-1.xml": BASE, "evil.xml": hostile})])
    assert catalog.find("evil") is None
    assert catalog.find("exos1") is not None


def test_no_database_gives_the_generic_list(tmp_path: Path) -> None:
    catalog = load_catalog([tmp_path / "missing", tmp_path])
    assert not catalog.from_database
    assert catalog.records == GENERIC
    linux = catalog.find("linux-generic")
    assert linux is not None and linux.virtio_disk
    windows = catalog.find("windows-generic")
    assert windows is not None and not windows.virtio_disk


def test_the_installed_database_is_read_when_present() -> None:
    system = Path("/usr/share/osinfo")
    if not (system / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    catalog = load_catalog([system])
    assert catalog.from_database
    debian = catalog.find("debian11")
    assert debian is not None and debian.virtio_disk and debian.virtio_net
    assert debian.min_ram_mib >= 256
    winxp = catalog.find("winxp")
    assert winxp is not None and not winxp.virtio_disk


UEFI_ONLY = """<?xml version="1.0"?>
<libosinfo version="0.0.1">
  <os id="http://example.org/winlike/11">
    <short-id>winlike11</short-id>
    <name>WinLike 11</name>
    <vendor>Example Project</vendor>
    <family>winnt</family>
    <derives-from id="http://example.org/exos/1"/>
    <firmware arch="x86_64" type="efi"/>
    <firmware arch="x86_64" type="bios" supported="false"/>
    <devices>
      <device id="http://qemu.org/chipset/x86/q35"/>
      <device id="http://pcisig.com/pci/1b36/0004"/>
      <device id="http://pcisig.com/pci/1af4/1041"/>
    </devices>
  </os>
</libosinfo>
"""

DRIVERS = """<?xml version="1.0"?>
<libosinfo version="0.0.1">
  <os id="http://example.org/exos/1">
    <short-id>exos1</short-id>
    <name>ExOS 1 drivers only</name>
  </os>
</libosinfo>
"""


def test_firmware_chipset_and_usb3_become_traits(tmp_path: Path) -> None:
    catalog = load_catalog([_db(tmp_path, {"exos-1.xml": BASE, "winlike.xml": UEFI_ONLY})])
    win = catalog.find("winlike11")
    assert win is not None
    traits = win.traits()
    assert traits.windows and traits.modern_windows and traits.efi_required
    assert traits.q35 and traits.usb3 and traits.virtio_net
    assert traits.osinfo_id == "http://example.org/winlike/11"
    exos = catalog.find("exos1")
    assert exos is not None and not exos.efi_required and not exos.traits().windows
    # Legacy virtio-net only (no virtio 1.0): too old for q35, as virt-install judges.
    assert not exos.q35


def test_driver_directories_do_not_replace_their_os(tmp_path: Path) -> None:
    root = _db(tmp_path, {"exos-1.xml": BASE})
    drivers = root / "os" / "example.org" / "exos-1.d"
    drivers.mkdir()
    (drivers / "pre-installable-drivers.xml").write_text(DRIVERS, encoding="utf-8")
    found = load_catalog([root]).find("exos1")
    assert found is not None and found.name == "ExOS 1" and found.rec_ram_mib == 2048


def test_the_installed_windows_entries_have_the_right_traits() -> None:
    system = Path("/usr/share/osinfo")
    if not (system / "os").is_dir():
        pytest.skip("osinfo-db is not installed (scripts/install-system-deps.sh installs it)")
    catalog = load_catalog([system])
    win11, win10 = catalog.find("win11"), catalog.find("win10")
    assert win11 is not None and win11.traits().modern_windows
    assert win10 is not None and win10.q35 and win10.usb3 and not win10.traits().modern_windows
