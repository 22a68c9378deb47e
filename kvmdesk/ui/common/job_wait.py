"""Waiting for a job a window started, to tell how it ended.

A dialog starts a long operation (a clone, a migration, a snapshot ...) and
its caller waits for the end to report it in its own words. The wait is
shielded: should the waiting coroutine be cancelled, the job goes on (the
jobs list follows it to its end). The user's Cancel is no failure and asks
for no message; a window closed meanwhile has nobody left to tell.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

import shiboken6
from PySide6.QtWidgets import QWidget

from kvmdesk.core.jobs import Job, JobCancelled
from kvmdesk.virt.errors import Failure, classify

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """The job did what it was asked; ``value`` is its result."""

    value: T


@dataclass(frozen=True)
class Cancelled:
    """The user cancelled the job and libvirt stopped it."""


@dataclass(frozen=True)
class Failed:
    """The job failed with ``error``."""

    error: Exception
    job: Job[Any]

    @property
    def failure(self) -> Failure:
        """The job's own account of the failure, else the error's."""
        return self.job.failure or classify(self.error)


@dataclass(frozen=True)
class Unseen:
    """The window closed while the job ran: nobody is left to tell how it ended."""


Outcome: TypeAlias = Done[T] | Cancelled | Failed | Unseen


async def run_job(job: Job[T], window: QWidget) -> Outcome[T]:
    """Wait for ``job`` to end; how it ended, as ``window`` should report it."""
    outcome: Outcome[T]
    try:
        outcome = Done(await asyncio.shield(job.future))
    except JobCancelled:
        outcome = Cancelled()
    except Exception as exc:  # libvirtError, NotConnectedError, the operation's own
        outcome = Failed(exc, job)
    return outcome if shiboken6.isValid(window) else Unseen()
