"""Capture every running domain of one connection into a folder.

The domains are listed, then captured one by one on the connection's
worker; each PNG carries the same text chunks as the Screenshot tab's Save
and gets a name from a template (``virt.screenshot.naming``), never
overwriting a file. ``progress`` tells the window how far it got; ``cancel``
stops after the capture in flight. The outcome lists what was written and,
in plain sentences, what failed; each capture is in the command log as
``virsh screenshot``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import libvirt
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.errors import NotConnectedError, classify
from kvmdesk.virt.screenshot import (
    DomainRef,
    ScreenshotError,
    capture,
    decode,
    running_domains,
    screenshot_metadata,
    to_png,
)
from kvmdesk.virt.screenshot.naming import NameParts, check_template, render, write_new
from kvmdesk.virt.shown import shown


@dataclass(slots=True)
class CaptureOutcome:
    """What ``CaptureAll.run`` did: files written, domains that failed and why."""

    written: list[tuple[str, Path]] = field(default_factory=list)  # (domain, file)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (domain, plain sentence)
    cancelled: bool = False
    listed: int = 0  # running domains found


def save_shot(
    virt: libvirt.virConnect, ref: DomainRef, uri: str, directory: Path, template: str
) -> Path:
    """Capture ``ref``'s screen 0 and write it as a new PNG in ``directory``
    (blocking: runs on a worker). Raises ``ScreenshotError`` or ``OSError``."""
    shot = capture(virt, ref.uuid)
    image = decode(shot.data, shot.mime)
    png = to_png(image, screenshot_metadata(shot, uri))
    name = render(template, NameParts(uri, shot.name, shot.uuid, shot.taken_at))
    return write_new(directory, name, png)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ScreenshotError):
        return str(exc)
    if isinstance(exc, NotConnectedError):
        return "The connection to the host is not open."
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"The file{where} could not be written: {exc.strerror or exc}."
    return classify(exc).message or str(exc)


class CaptureAll(QObject):
    """One "capture all" run for a connection; see the module text."""

    progress = Signal(int, int, str)  # done, total, name of the domain being captured

    def __init__(
        self, conn: Connection, directory: Path, template: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.directory = Path(directory)
        self.template = check_template(template)
        self._cancelled = False

    def cancel(self) -> None:
        """Stop after the capture in flight."""
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def run(self) -> CaptureOutcome:
        outcome = CaptureOutcome()
        if not self.directory.is_dir():
            outcome.failed.append(("", f"The folder {self.directory} does not exist."))
            return outcome
        try:
            refs: list[DomainRef] = await self.conn.call(running_domains)
        except Exception as exc:  # libvirtError, NotConnectedError, a closed worker
            outcome.failed.append(("", _reason(exc)))
            return outcome
        outcome.listed = len(refs)
        uri = self.conn.uri
        for done, ref in enumerate(refs):
            self.progress.emit(done, len(refs), ref.name)
            if self._cancelled:
                outcome.cancelled = True
                break
            try:
                path: Path = await self.conn.call(
                    save_shot, ref, uri, self.directory, self.template
                )
            except Exception as exc:
                outcome.failed.append((ref.name, _reason(exc)))
                # The file it would have written: named as the template names it now.
                meant = render(self.template, NameParts(uri, ref.name, ref.uuid, datetime.now(UTC)))
                command = virsh_commands.screenshot(uri, ref.name, str(self.directory / meant))
                self.conn.command_log.record(command, _reason(exc))
            else:
                outcome.written.append((ref.name, path))
                command = virsh_commands.screenshot(uri, ref.name, str(path))
                self.conn.command_log.record(command)
        else:
            self.progress.emit(len(refs), len(refs), "")
        return outcome


def summary(outcome: CaptureOutcome) -> tuple[str, str]:
    """A headline and the details of ``outcome``, in plain sentences."""
    written, failed = outcome.written, outcome.failed
    if outcome.listed == 0 and not failed:
        return tr("No virtual machine is running on this connection."), ""
    if outcome.cancelled:
        head = tr("Stopped after {0} of %n screenshot(s).", None, outcome.listed).format(
            len(written)
        )
    elif not failed:
        head = tr("Saved %n screenshot(s).", None, len(written))
    elif not written:
        head = tr("No screenshot was saved.")
    else:
        head = tr("Saved %n screenshot(s); {0} failed.", None, len(written)).format(len(failed))
    lines = [tr("{0} ({1})").format(path.name, shown(name)) for name, path in written]
    lines += [tr("{0}: {1}").format(shown(name), why) if name else why for name, why in failed]
    return head, "\n".join(lines)
