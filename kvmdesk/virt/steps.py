"""What a multi-step operation has done so far, for an honest report when the link drops.

An operation that changes a host in several libvirt calls (save an edited
definition, create a VM's volumes then define it, undefine a VM then delete
its volumes) records each step in a ``Journal`` as it goes: ``begin`` before
the call, ``done`` once it returned. When the connection drops in the
middle, the journal says which steps certainly happened, which one was in
flight (it may or may not have reached the host) and whether anything that
changes the host had been started at all; the caller then re-reads the host
after the reconnect (``kvmdesk.core.steps``) instead of guessing.

The operation runs on the connection's worker and writes the journal there;
the GUI thread reads it once the call has ended.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    """One planned step: a stable ``key``, and whether it changes the host."""

    key: str
    writes: bool = True


class Journal:
    """The planned steps of one operation and how far it got."""

    def __init__(self, steps: list[Step] | tuple[Step, ...]) -> None:
        self.steps: list[Step] = list(steps)
        self.completed: list[str] = []
        self.in_flight: str | None = None
        self.notes: dict[str, str] = {}  # what the steps learned (a new domain's UUID)

    def plan(self, step: Step) -> None:
        """Add a step found only while running (one per volume, say)."""
        if all(s.key != step.key for s in self.steps):
            self.steps.append(step)

    def begin(self, key: str) -> None:
        self._step(key)  # an unplanned key is a programming error
        self.in_flight = key

    def done(self, key: str) -> None:
        self._step(key)
        if key not in self.completed:
            self.completed.append(key)
        if self.in_flight == key:
            self.in_flight = None

    def skip(self, key: str) -> None:
        """A planned step that turned out not to be needed (nothing to force off)."""
        self.steps = [s for s in self.steps if s.key != key]

    def finished(self, key: str) -> bool:
        return key in self.completed

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def count_done(self) -> int:
        return len(self.completed)

    @property
    def last_done(self) -> str:
        """The key of the last step that returned, "" when none did."""
        return self.completed[-1] if self.completed else ""

    @property
    def changed_anything(self) -> bool:
        """A step that changes the host returned or was in flight: re-read to know."""
        writing = {s.key for s in self.steps if s.writes}
        if self.in_flight in writing:
            return True
        return any(key in writing for key in self.completed)

    def _step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)
