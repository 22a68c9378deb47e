"""Upload a local file into a storage pool as a new volume (``virsh vol-upload``).

The bytes go through libvirt's stream (``virStorageVolUpload`` then
``virStreamSend``), so a user's ISO reaches a remote host's pool over the
same ssh link as everything else: no scp, no shell on the host. The name
and the room in the pool are checked before the volume is made; a failed
or cancelled upload aborts the stream and deletes the volume it made.
After a dropped link the partial volume is found by its name and deleted
(``remove_partial``), since nothing says how much of it arrived.
"""

from __future__ import annotations

import contextlib
import os
import threading
import xml.etree.ElementTree as ET

import libvirt

from kvmdesk.virt.jobs import JobProgress
from kvmdesk.virt.storage import InvalidStorageInput, validate_name

# libvirt's stream packets carry at most 256 KiB; fuller packets mean fewer round trips.
CHUNK = 256 * 1024 - 24


class UploadCancelled(Exception):
    """The user cancelled; the partial volume is gone."""


class Counter:
    """Bytes sent so far, written by the upload's thread and read by the window."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._sent = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        with self._lock:
            self._sent += count

    @property
    def sent(self) -> int:
        with self._lock:
            return self._sent

    def progress(self) -> JobProgress:
        return JobProgress(self.sent, self.total, 0, None, None)


def check_upload(virt: libvirt.virConnect, pool_name: str, name: str, size: int) -> None:
    """Refuse before anything is made: a bad or taken name, too little room."""
    pool = virt.storagePoolLookupByName(pool_name)
    validate_name(name, [str(n) for n in pool.listVolumes()])
    pool.refresh(0)
    available = int(pool.info()[3])
    if size > available:
        raise InvalidStorageInput("size", "space", str(available))


def _volume_xml(name: str, size: int) -> str:
    root = ET.Element("volume")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "capacity", unit="bytes").text = str(size)
    ET.SubElement(root, "allocation", unit="bytes").text = "0"
    ET.SubElement(ET.SubElement(root, "target"), "format", type="raw")
    return ET.tostring(root, encoding="unicode")


def upload(
    virt: libvirt.virConnect,
    pool_name: str,
    name: str,
    path: str,
    counter: Counter,
    cancel: threading.Event,
) -> str:
    """Make volume ``name`` in ``pool_name`` from the local file ``path``; its path on the host."""
    size = os.path.getsize(path)
    check_upload(virt, pool_name, name, size)
    pool = virt.storagePoolLookupByName(pool_name)
    vol = pool.createXML(_volume_xml(name, size), 0)
    stream = None
    try:
        stream = virt.newStream(0)
        vol.upload(stream, 0, size, 0)
        with open(path, "rb") as source:
            while True:
                if cancel.is_set():
                    raise UploadCancelled()
                data = source.read(CHUNK)
                if not data:
                    break
                offset = 0
                while offset < len(data):
                    sent = stream.send(data[offset:] if offset else data)
                    if sent <= 0:
                        raise OSError("the stream refused the data")
                    counter.add(sent)
                    offset += sent
        stream.finish()
        stream = None
        return str(vol.path())
    except BaseException:
        if stream is not None:
            with contextlib.suppress(libvirt.libvirtError):
                stream.abort()
        with contextlib.suppress(libvirt.libvirtError):
            vol.delete(0)
        raise


def remove_partial(virt: libvirt.virConnect, pool_name: str, name: str) -> str | None:
    """After a dropped link: delete what arrived of the volume; None (the upload did not end).

    Raises ``libvirtError`` when the partial volume exists and cannot be deleted.
    """
    pool = virt.storagePoolLookupByName(pool_name)
    pool.refresh(0)
    try:
        vol = pool.storageVolLookupByName(name)
    except libvirt.libvirtError:
        return None
    vol.delete(0)
    return None
