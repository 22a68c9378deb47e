"""Saving, capturing after a delay and capturing all: the Screenshot tab's
jobs, kept apart from its widgets (``screenshot_view``).

One job at a time (a countdown or a capture-all), shown in the tab's status
line with a Cancel button. Dialogs are awaited (``errors.ask``), never
``exec()``-ed.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, cast

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kvmdesk.core.capture_all import CaptureAll, CaptureOutcome, summary
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.screenshots import Frame, ScreenshotFeed, grab_frame
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import ask, present, report_text, show_failure, widen_text
from kvmdesk.ui.domain.screenshot.capture_all_dialog import CaptureAllDialog
from kvmdesk.ui.domain.screenshot.screen_canvas import file_name_part
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.errors import classify
from kvmdesk.virt.screenshot import ScreenshotError, encode_png
from kvmdesk.virt.shown import shown


class CaptureTools:
    """Save, Capture in N s, Capture All; mixed into ``ScreenshotView``,
    which provides the attributes and methods declared here."""

    feed: ScreenshotFeed
    report: QMessageBox
    _frame: Frame | None
    _tasks: TaskSet
    _job: asyncio.Future[Any] | None
    _capture_all: CaptureAll | None
    _ask_folder: Path | None

    def target(self) -> tuple[Connection, str] | None:
        raise NotImplementedError

    def _show_status(self, text: str = "", cancellable: bool = False) -> None:
        raise NotImplementedError

    def _on_frame(self, frame: Frame) -> None:
        raise NotImplementedError

    def _enable_actions(self) -> None:
        raise NotImplementedError

    @property
    def _widget(self) -> QWidget:
        return cast(QWidget, self)

    # -- save -------------------------------------------------------------------

    def save(self) -> None:
        frame = self._frame
        if frame is not None:
            self._spawn(self.save_frame(frame))

    def _suggested_path(self, frame: Frame) -> str:
        stamp = frame.taken_at.astimezone().strftime("%Y%m%d-%H%M%S")
        folder = self._ask_folder or Path.home()
        return str(folder / f"{file_name_part(frame.name)}-{stamp}.png")

    async def save_frame(self, frame: Frame) -> Path | None:
        """Ask where to save ``frame`` and save it there; the path, or None."""
        path = await ask_png_path(self._widget, self._suggested_path(frame))
        if path is None:
            return None
        try:
            self.save_to(path, frame)
        except OSError as exc:
            self._log_save(frame, path, str(exc))
            report_text(
                self._widget,
                tr("Save Screenshot"),
                tr("The screenshot was not saved: {0}").format(exc.strerror or exc),
            )
            return None
        self._log_save(frame, path, None)
        self._ask_folder = path.parent
        return path

    def _log_save(self, frame: Frame, path: Path, error: str | None) -> None:
        """``virsh screenshot`` in the log of the frame's connection."""
        target = self.target()
        if target is not None and target[0].uri == frame.uri:
            command = virsh_commands.screenshot(frame.uri, frame.name, str(path), frame.screen)
            target[0].command_log.record(command, error)

    def save_to(self, path: str | Path, frame: Frame | None = None) -> None:
        """Write ``frame`` (the latest one by default) as a PNG at native
        resolution, with its domain, URI and time as text chunks."""
        frame = frame or self._frame
        if frame is None:
            raise ValueError("no screenshot to save")
        png = encode_png(frame.width, frame.height, frame.rgb, dict(frame.metadata))
        Path(path).write_bytes(png)

    # -- delayed capture and capture all -----------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        return self._tasks.spawn(coro)

    def _start_job(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any] | None:
        if self._job is not None and not self._job.done():
            coro.close()
            return None
        self._job = self._spawn(coro)
        self._job.add_done_callback(lambda _t: self._job_ended())
        self._enable_actions()
        return self._job

    def _job_ended(self) -> None:
        self._capture_all = None
        if shiboken6.isValid(self._widget):
            self._show_status()
            self._enable_actions()

    def cancel_job(self) -> None:
        """Stop the countdown, or the capture-all after its capture in flight."""
        if self._capture_all is not None:
            self._capture_all.cancel()
            self._show_status(tr("Stopping…"))
        elif self._job is not None and not self._job.done():
            self._job.cancel()

    def start_delayed_capture(self, seconds: float) -> asyncio.Future[Any] | None:
        return self._start_job(self.delayed_capture(seconds))

    async def delayed_capture(self, seconds: float) -> Path | None:
        """Count down, capture the shown domain, then save it like Save."""
        target = self.target()
        if target is None:
            return None
        conn, uuid = target
        remaining = float(seconds)
        while remaining > 0:
            self._show_status(
                tr("Capturing in {0} s…").format(math.ceil(remaining)),
                cancellable=True,
            )
            step = min(1.0, remaining)
            await asyncio.sleep(step)
            remaining -= step
        self._show_status(tr("Capturing…"))
        try:
            frame: Frame = await conn.call(grab_frame, uuid, conn.uri, self.feed.screen)
        except ScreenshotError as exc:
            report_text(self._widget, tr("Capture"), str(exc))
            return None
        except Exception as exc:  # libvirtError, NotConnectedError, a closed worker
            show_failure(self._widget, tr("Capture"), classify(exc))
            return None
        if conn is self.feed.connection and uuid == self.feed.uuid:
            self._on_frame(frame)
        self._show_status()
        return await self.save_frame(frame)

    def start_capture_all(self) -> asyncio.Future[Any] | None:
        return self._start_job(self.capture_all())

    async def capture_all(self) -> CaptureOutcome | None:
        """Ask for a folder and a template, then capture every running domain."""
        conn = self.feed.connection
        if conn is None or not conn.is_connected:
            return None
        dialog = CaptureAllDialog(conn.uri, self._widget, self._ask_folder)
        try:
            if not await ask(dialog):
                return None
            directory, template = dialog.directory(), dialog.template.text()
        finally:
            dialog.deleteLater()
        self._ask_folder = directory
        return await self.run_capture_all(conn, directory, template)

    async def run_capture_all(
        self, conn: Connection, directory: Path, template: str
    ) -> CaptureOutcome:
        """Capture into ``directory`` with progress in the status line; report the outcome."""
        job = CaptureAll(conn, directory, template, self._widget)
        self._capture_all = job
        job.progress.connect(self._capture_progress)
        self._show_status(tr("Listing the running virtual machines…"), cancellable=True)
        try:
            outcome = await job.run()
        finally:
            job.deleteLater()
        head, details = summary(outcome)
        box = QMessageBox(self._widget)
        box.setIcon(
            QMessageBox.Icon.Information if not outcome.failed else QMessageBox.Icon.Warning
        )
        box.setWindowTitle(tr("Capture All"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(head)
        if details:
            box.setInformativeText(details)
        widen_text(box)
        self.report = box
        present(box)
        return outcome

    def _capture_progress(self, done: int, total: int, name: str) -> None:
        if self._capture_all is not None and self._capture_all.cancelled:
            return
        if name:
            text = tr("Capturing {0} ({1} of {2})…").format(shown(name), done + 1, total)
            self._show_status(text, cancellable=True)


async def ask_png_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save a screenshot (a PNG); None when cancelled."""
    dialog = QFileDialog(parent, tr("Save Screenshot"), suggested)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(tr("PNG images (*.png)"))
    dialog.setDefaultSuffix("png")
    try:
        if not await ask(dialog) or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])
    finally:
        dialog.deleteLater()
