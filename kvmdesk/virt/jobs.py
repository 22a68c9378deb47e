"""How far a domain's running job (save, snapshot, migration, dump) has got.

libvirt reports a domain job through ``virDomainGetJobStats`` while it runs:
the bytes processed and still to go, the elapsed time and, for a
migration, the expected downtime. Drivers that keep no job (the test
driver) do not support the call: there is then no progress to show, which
is not an error. ``abortJob`` stops the jobs libvirt allows to stop
(migration, save, dump, and a snapshot of a running domain's memory).
"""

from __future__ import annotations

from dataclasses import dataclass

import libvirt


@dataclass(frozen=True, slots=True)
class JobProgress:
    """One reading of a domain job; sizes in bytes, times in milliseconds."""

    processed: int
    total: int
    elapsed_ms: int
    remaining_ms: int | None  # libvirt's own estimate, when it gives one
    downtime_ms: int | None  # expected downtime of a migration

    @property
    def fraction(self) -> float | None:
        """Done part between 0 and 1, or None when libvirt gives no total."""
        if self.total <= 0:
            return None
        return min(1.0, max(0.0, self.processed / self.total))


_UNSUPPORTED = {libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_OPERATION_INVALID}


def progress_from_stats(stats: dict[str, int]) -> JobProgress | None:
    """A ``jobStats`` dictionary as a reading; None when no job is running."""
    if int(stats.get("type", libvirt.VIR_DOMAIN_JOB_NONE)) in (
        libvirt.VIR_DOMAIN_JOB_NONE,
        libvirt.VIR_DOMAIN_JOB_COMPLETED,
    ):
        return None
    total = int(stats.get("data_total", 0)) or (
        int(stats.get("memory_total", 0)) + int(stats.get("disk_total", 0))
    )
    processed = int(stats.get("data_processed", 0)) or (
        int(stats.get("memory_processed", 0)) + int(stats.get("disk_processed", 0))
    )
    remaining = stats.get("time_remaining")
    downtime = stats.get("downtime")
    return JobProgress(
        processed=processed,
        total=total,
        elapsed_ms=int(stats.get("time_elapsed", 0)),
        remaining_ms=int(remaining) if remaining is not None else None,
        downtime_ms=int(downtime) if downtime is not None else None,
    )


def read_progress(virt: libvirt.virConnect, uuid: str) -> JobProgress | None:
    """The domain's running job, or None when there is none or the driver keeps none."""
    dom = virt.lookupByUUIDString(uuid)
    try:
        stats = dom.jobStats()
    except libvirt.libvirtError as exc:
        if exc.get_error_code() in _UNSUPPORTED:
            return None
        raise
    return progress_from_stats(stats)


def abort(virt: libvirt.virConnect, uuid: str) -> None:
    """Ask libvirt to stop the domain's running job (``virsh domjobabort``)."""
    virt.lookupByUUIDString(uuid).abortJob()
