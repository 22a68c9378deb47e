"""The ``test_pool`` fixture: a directory storage pool of one test.

Its directory lives under the test bed's cache directory (readable by the
QEMU user); the pool and everything in it are removed afterwards.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.virt import storage

try:
    from .conftest import TEST_URI, new_guest_name
    from .guest import default_cache_dir
except ImportError:
    from conftest import TEST_URI, new_guest_name  # type: ignore[no-redef]
    from guest import default_cache_dir  # type: ignore[no-redef]

__all__ = ["ScratchPool", "test_pool"]


class ScratchPool:
    """A directory pool of this test, with everything in it removed afterwards."""

    def __init__(self, conn: Any, name: str, path: Path) -> None:
        self.conn = conn
        self.name = name
        self.path = path
        self.pool: Any = conn.storagePoolLookupByName(name)

    def add_file(self, name: str, data: bytes) -> Path:
        """A file written directly into the pool's directory (a pre-existing disk)."""
        target = self.path / name
        target.write_bytes(data)
        target.chmod(0o644)
        self.pool.refresh(0)
        return target

    def copy_in(self, source: Path) -> Path:
        target = self.path / source.name
        shutil.copyfile(source, target)
        target.chmod(0o644)
        self.pool.refresh(0)
        return target

    def volumes(self) -> set[str]:
        self.pool.refresh(0)
        return set(self.pool.listVolumes())


@pytest.fixture
def test_pool(libvirt_conn: Any) -> Iterator[ScratchPool]:
    name = new_guest_name()
    path = default_cache_dir() / "pools" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    storage.create_dir_pool(libvirt_conn, name, str(path))
    libvirt_conn.storagePoolLookupByName(name).setAutostart(0)
    pool = ScratchPool(libvirt_conn, name, path)
    yield pool
    # A pool handle keeps its connection open past libvirt_conn's close.
    pool.pool = None
    try:
        _remove_pool(libvirt_conn, name)
    except libvirt.libvirtError:
        # The test may have killed the daemon: again on a new connection.
        with contextlib.suppress(libvirt.libvirtError):
            fresh = libvirt.open(TEST_URI)
            try:
                _remove_pool(fresh, name)
            finally:
                fresh.close()
    shutil.rmtree(path, ignore_errors=True)


def _remove_pool(conn: Any, name: str) -> None:
    try:
        handle = conn.storagePoolLookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL:
            return
        raise
    if handle.isActive():
        handle.refresh(0)
        for vol in handle.listAllVolumes(0):
            with contextlib.suppress(libvirt.libvirtError):
                vol.delete(0)
        handle.destroy()
    handle.undefine()
