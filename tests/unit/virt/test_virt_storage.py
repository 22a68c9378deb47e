"""Storage pools and volumes on the test driver, with a private copy of the demo host.

The test driver (libvirt 9.0) defines, builds, starts, refreshes and
undefines pools and creates and deletes volumes; it cannot resize a volume
(VIR_ERR_NO_SUPPORT), so only the refusal of a shrink is checked here.
"""

from __future__ import annotations

from collections.abc import Callable

import libvirt
import pytest

from kvmdesk.virt import storage as st
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.storage import GIB, InvalidStorageInput, VolumeInUseError


def _pools(conn: libvirt.virConnect) -> dict[str, st.PoolRecord]:
    return {p.name: p for p in st.list_pools(conn)}


def _vols(conn: libvirt.virConnect, pool: str) -> dict[str, st.VolumeRecord]:
    return {v.name: v for v in st.list_volumes(conn, pool)}


def test_list_pools(demo: libvirt.virConnect) -> None:
    pools = st.list_pools(demo)
    assert [p.name for p in pools] == ["default", "iso"]
    default = pools[0]
    assert default.uuid == "c95be011-3be9-5ecc-b086-b66d898ce8bd"
    assert default.active and not default.autostart
    assert (default.pool_type, default.path) == ("dir", "/var/lib/libvirt/images")
    assert default.capacity == default.allocation + default.available > 0


def test_list_volumes_with_their_users(demo: libvirt.virConnect) -> None:
    vols = _vols(demo, "default")
    assets = vols["web-assets.raw"]
    assert assets.format == "raw" and assets.capacity == 2 * GIB
    assert assets.path == "/var/lib/libvirt/images/web-assets.raw"
    assert assets.used_by == ("web-frontend-01", "web-frontend-02")
    assert vols["db-primary.qcow2"].format == "qcow2"
    assert "db-primary" in vols["db-primary.qcow2"].used_by


def test_stop_start_autostart_refresh(demo: libvirt.virConnect) -> None:
    st.set_pool_active(demo, "iso", False)
    assert not _pools(demo)["iso"].active
    st.set_pool_active(demo, "iso", False)  # nothing to do
    st.set_pool_active(demo, "iso", True)
    st.set_pool_autostart(demo, "iso", True)
    assert _pools(demo)["iso"].active and _pools(demo)["iso"].autostart
    st.refresh_pool(demo, "iso")


def test_create_and_delete_dir_pool(demo: libvirt.virConnect) -> None:
    rec = st.create_dir_pool(demo, "lab <&>", "/srv/lab//images/")
    assert rec.active and rec.autostart and rec.path == "/srv/lab/images"
    assert rec.pool_type == "dir"
    st.delete_pool(demo, "lab <&>")
    assert sorted(_pools(demo)) == ["default", "iso"]


@pytest.mark.parametrize(
    ("name", "path", "field", "reason"),
    [
        ("", "/srv/x", "name", "empty"),
        ("a/b", "/srv/x", "name", "slash"),
        ("-x", "/srv/x", "name", "dash"),
        ("a\nb", "/srv/x", "name", "control"),
        ("iso", "/srv/x", "name", "taken"),
        ("n", "srv/x", "path", "relative"),
        ("n", "", "path", "relative"),
        ("n", "/srv/../etc", "path", "dotdot"),
        ("n", "/srv/x\n", "path", "control"),
        ("n", "/srv/\0x", "path", "control"),
    ],
)
def test_bad_pool_input_refused(
    demo: libvirt.virConnect, name: str, path: str, field: str, reason: str
) -> None:
    with pytest.raises(InvalidStorageInput) as info:
        st.create_dir_pool(demo, name, path)
    assert (info.value.field, info.value.reason) == (field, reason)
    assert sorted(_pools(demo)) == ["default", "iso"]


def test_delete_pool_with_used_volumes_refused(demo: libvirt.virConnect) -> None:
    with pytest.raises(VolumeInUseError) as info:
        st.delete_pool(demo, "default")
    assert "web-frontend-01" in info.value.domains and info.value.volume == ""
    assert _pools(demo)["default"].active


def test_create_volume(demo: libvirt.virConnect) -> None:
    before = _pools(demo)["iso"].available
    rec = st.create_volume(demo, "iso", "new.qcow2", 1.5, "qcow2")
    assert (rec.format, rec.capacity, rec.used_by) == ("qcow2", int(1.5 * GIB), ())
    assert _vols(demo, "iso")["new.qcow2"].path.endswith("/new.qcow2")
    assert _pools(demo)["iso"].available < before
    st.create_volume(demo, "iso", "new.raw", 1, "raw")
    assert _vols(demo, "iso")["new.raw"].format == "raw"


@pytest.mark.parametrize(
    ("name", "size", "fmt", "field", "reason"),
    [
        ("v", 0, "qcow2", "size", "zero"),
        ("v", -3, "qcow2", "size", "zero"),
        ("v", float("nan"), "qcow2", "size", "invalid"),
        ("v", 100_000, "qcow2", "size", "space"),
        ("v", 1, "vmdk", "format", "invalid"),
        ("", 1, "qcow2", "name", "empty"),
        ("a/b", 1, "qcow2", "name", "slash"),
        ("web-assets.raw", 1, "raw", "name", "taken"),
    ],
)
def test_bad_volume_input_refused(
    demo: libvirt.virConnect, name: str, size: float, fmt: str, field: str, reason: str
) -> None:
    count = len(st.list_volumes(demo, "default"))
    with pytest.raises(InvalidStorageInput) as info:
        st.create_volume(demo, "default", name, size, fmt)
    assert (info.value.field, info.value.reason) == (field, reason)
    assert len(st.list_volumes(demo, "default")) == count


def test_resize_refuses_shrink_and_grow_reaches_libvirt(demo: libvirt.virConnect) -> None:
    with pytest.raises(InvalidStorageInput) as info:
        st.resize_volume(demo, "default", "web-assets.raw", 1)
    assert info.value.reason == "shrink"
    st.resize_volume(demo, "default", "web-assets.raw", 2)  # same size: nothing to do
    with pytest.raises(libvirt.libvirtError) as err:
        st.resize_volume(demo, "default", "web-assets.raw", 3)
    assert classify(err.value).kind is ErrorKind.NOT_SUPPORTED


def test_delete_volume_in_use_refused_unless_forced(demo: libvirt.virConnect) -> None:
    with pytest.raises(VolumeInUseError) as info:
        st.delete_volume(demo, "default", "web-assets.raw")
    assert info.value.domains == ["web-frontend-01", "web-frontend-02"]
    assert "web-frontend-01" in str(info.value)
    assert "web-assets.raw" in _vols(demo, "default")
    st.delete_volume(demo, "default", "web-assets.raw", force=True)
    assert "web-assets.raw" not in _vols(demo, "default")


def test_delete_unused_volume(demo: libvirt.virConnect) -> None:
    st.create_volume(demo, "iso", "spare.raw", 1, "raw")
    st.delete_volume(demo, "iso", "spare.raw")
    assert "spare.raw" not in _vols(demo, "iso")


def test_volume_users_follow_backing_chains_and_aliases(
    virt: Callable[[str], libvirt.virConnect],
) -> None:
    """chains.xml: a base under another domain's overlay, a base named only
    by a live definition and one file under two spellings are all in use."""
    conn = virt("chains.xml")
    used = {v.name: v.used_by for v in st.list_volumes(conn, "images")}
    assert used["base.qcow2"] == ("base-owner", "overlay-user")
    assert used["overlay.qcow2"] == ("overlay-user",)
    assert used["live-base.qcow2"] == ("live-base-owner", "live-user")
    assert used["alias.raw"] == ("alias-a", "alias-b")
    assert used["golden.qcow2"] == ("golden-child",)  # only a backing file
    assert used["lonely.raw"] == ("lonely",)


def test_a_backing_file_is_not_deleted_while_an_overlay_needs_it(
    virt: Callable[[str], libvirt.virConnect],
) -> None:
    conn = virt("chains.xml")
    with pytest.raises(VolumeInUseError) as info:
        st.delete_volume(conn, "images", "golden.qcow2")
    assert info.value.domains == ["golden-child"]
    assert "golden.qcow2" in {v.name for v in st.list_volumes(conn, "images")}
    conn.lookupByName("golden-child").undefine()
    st.delete_volume(conn, "images", "golden.qcow2")
    assert "golden.qcow2" not in {v.name for v in st.list_volumes(conn, "images")}
