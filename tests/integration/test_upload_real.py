"""Upload of a local file into a pool of the real daemon over ssh, as a job.

The bytes travel through libvirt's stream over the ssh link (no scp); the
volume's content is compared with the file's; a cancelled upload and one
whose daemon is killed leave no volume behind.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.core import upload as core_upload
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobCancelled, JobService, JobState
from kvmdesk.virt.storage import InvalidStorageInput

try:
    from . import daemon
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST, SshBed
except ImportError:
    import daemon  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
Run = Callable[..., Any]
REMOTE = f"qemu+ssh://{HOST}/system"


def _file(tmp_path: Path, name: str, mib: int) -> Path:
    path = tmp_path / name
    with open(path, "wb") as out:
        for _ in range(mib):
            out.write(os.urandom(1 << 20))
    return path


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_upload_over_ssh_with_progress_and_the_same_bytes(
    ssh_bed: SshBed, test_pool: ScratchPool, run: Run, tmp_path: Path
) -> None:
    source = _file(tmp_path, "user.iso", 48)
    jobs = JobService(poll_interval=0.05)
    seen: list[float] = []

    async def body() -> str:
        conn = Connection(REMOTE, persist=False)
        assert await conn.open_and_wait(), conn.failure
        try:
            await core_upload.check(conn, test_pool.name, "user.iso", str(source))
            job = core_upload.start(jobs, conn, test_pool.name, "user.iso", str(source))
            job.changed.connect(
                lambda: seen.append(job.progress.fraction or 0.0) if job.progress else None
            )
            path = await job.future
            assert job.state is JobState.DONE
            with pytest.raises(InvalidStorageInput):  # the name is taken now
                await core_upload.check(conn, test_pool.name, "user.iso", str(source))
            return path
        finally:
            await conn.shutdown()

    path = run(body(), timeout=240)
    assert Path(path) == test_pool.path / "user.iso"
    assert _sha(Path(path)) == _sha(source)
    assert seen and max(seen) > 0  # progress was shown on the way


def test_cancelled_and_killed_uploads_leave_nothing(
    ssh_bed: SshBed, test_pool: ScratchPool, run: Run, wait_until: Any, tmp_path: Path
) -> None:
    source = _file(tmp_path, "big.img", 384)
    before = {p.name for p in test_pool.path.iterdir()}
    jobs = JobService(poll_interval=0.05)
    conn = Connection(REMOTE, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    try:
        job = core_upload.start(jobs, conn, test_pool.name, "big.img", str(source))
        wait_until(lambda: job.progress is not None and job.progress.processed > 0, 60)
        job.cancel()
        wait_until(lambda: job.state.finished, 60)
        assert job.state is JobState.CANCELLED
        with pytest.raises(JobCancelled):
            job.future.result()
        assert {p.name for p in test_pool.path.iterdir()} == before
        job = core_upload.start(jobs, conn, test_pool.name, "big.img", str(source))
        wait_until(lambda: job.progress is not None and job.progress.processed > 0, 60)
        daemon.kill()
        wait_until(lambda: job.state is JobState.CHECKING, 60, "result unknown — checking")
        daemon.restart()
        wait_until(lambda: job.state.finished, 120, "the re-read after the reconnect")
        assert job.state is JobState.FAILED and job.checked
        # the partial volume was removed (the pool's directory: the old link died with the daemon)
        assert {p.name for p in test_pool.path.iterdir()} == before
    finally:
        run(conn.shutdown())
