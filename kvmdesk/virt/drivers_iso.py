"""The virtio-win drivers ISO, when a storage pool of the host holds one (blocking).

Windows has no virtio drivers of its own. With the virtio-win ISO in a
second CD-ROM drive its installer can load them, and the VM gets virtio
disk, network, balloon, RNG and the guest agent. kvmdesk downloads
nothing: it offers the ISO only when the host already has it in a pool.
"""

from __future__ import annotations

import re

import libvirt

_NAME = re.compile(r"^virtio-win.*\.iso$", re.IGNORECASE)


def find_virtio_win(conn: libvirt.virConnect) -> list[str]:
    """Paths of virtio-win*.iso volumes in the active pools, newest name first."""
    found: list[str] = []
    try:
        pools = conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT:
            return []
        raise
    for pool in pools:
        try:
            names = [n for n in pool.listVolumes() if _NAME.match(n)]
            found.extend(pool.storageVolLookupByName(n).path() for n in names)
        except libvirt.libvirtError:
            continue  # a pool that went away or cannot be listed: skip it
    return sorted(found, reverse=True)


__all__ = ["find_virtio_win"]
