"""Upload as a job on the test driver. The test driver has no volume upload:
what it shows here is that a failed upload leaves nothing; the bytes really
travel in tests/integration/test_upload_real.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core import upload as core_upload
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService, JobState
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.storage import InvalidStorageInput

Run = Callable[..., Any]
Make = Callable[..., Connection]


def _volumes(virt: libvirt.virConnect) -> set[str]:
    pool = virt.storagePoolLookupByName("default")
    pool.refresh(0)
    return set(pool.listVolumes())


def test_a_failed_upload_removes_the_volume_it_made(
    connection: Make, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "disk.iso"
    source.write_bytes(b"k" * 1000)
    conn = connection("delete.xml")
    jobs = JobService(poll_interval=0.01)

    async def body() -> None:
        assert await conn.open_and_wait()
        before = await conn.call(_volumes)
        await core_upload.check(conn, "default", "disk.iso", str(source))
        job = core_upload.start(jobs, conn, "default", "disk.iso", str(source))
        assert job.subject == "disk.iso" and job.can_cancel
        with pytest.raises(libvirt.libvirtError):
            await job.future
        assert job.state is JobState.FAILED
        assert job.failure is not None and job.failure.kind is ErrorKind.NOT_SUPPORTED
        assert await conn.call(_volumes) == before

    run(body())


def test_upload_refuses_a_taken_name_and_a_full_pool(
    connection: Make, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "x.iso"
    source.write_bytes(b"1")
    conn = connection("delete.xml")

    async def body() -> None:
        assert await conn.open_and_wait()
        for name, reason in (("victim.qcow2", "taken"), ("a/b", "slash"), ("", "empty")):
            with pytest.raises(InvalidStorageInput) as caught:
                await core_upload.check(conn, "default", name, str(source))
            assert caught.value.reason == reason
        free = await conn.call(lambda v: v.storagePoolLookupByName("default").info()[3])
        with open(source, "r+b") as handle:
            handle.truncate(free + 1)  # sparse: as big as the pool's room, plus one
        with pytest.raises(InvalidStorageInput) as caught:
            await core_upload.check(conn, "default", "huge.iso", str(source))
        assert caught.value.reason == "space"

    run(body())
