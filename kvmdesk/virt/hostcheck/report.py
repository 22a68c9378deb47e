"""What the check returns: one ``Check`` a line, and the ``Report``."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kvmdesk.virt.hostcheck.texts import TITLES, Text


class Status(enum.IntEnum):
    PASS = 0
    WARN = 1
    FAIL = 2


class Verdict(enum.IntEnum):
    """Also the exit status of ``kvmdesk check``."""

    READY = 0  # every essential check passed
    DEGRADED = 1  # guests can run, but with a warning
    UNUSABLE = 2  # no guest can run


class Source(enum.Enum):
    LOCAL = "this machine"
    LIBVIRT = "libvirt"
    BOTH = "this machine and libvirt"


@dataclass(frozen=True, slots=True)
class Check:
    key: str  # stable: "cpu_flags", "kvm_device", ...
    title: Text
    status: Status
    source: Source
    meaning: Text  # what was found and what it means
    advice: tuple[Text, ...] = ()  # what to do; never empty unless PASS
    essential: bool = True  # optional features warn but leave the verdict alone


@dataclass(frozen=True, slots=True)
class Report:
    uri: str
    remote: bool
    checks: tuple[Check, ...]
    verdict: Verdict
    summary: Text
    not_checked: tuple[Text, ...] = ()  # checks that the facts cannot decide

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)


def new_check(
    key: str,
    status: Status,
    source: Source,
    meaning: Text,
    *advice: Text,
    essential: bool = True,
) -> Check:
    """A ``Check`` under the title that ``TITLES`` gives its key."""
    return Check(key, TITLES[key], status, source, meaning, advice, essential)
