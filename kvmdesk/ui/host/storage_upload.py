"""Upload…: a local file into the selected pool, as a job in the jobs view.

The file dialog and the name are asked here; the name and the room in the
pool are checked with the host before a byte is sent (refused: said at
once, nothing made). The upload itself is a job: its progress, Cancel and
outcome are in the jobs view; the pool's volumes are listed again when it
ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from kvmdesk.core import upload as core_upload
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask, report_text, show_failure
from kvmdesk.ui.common.job_wait import Failed, run_job
from kvmdesk.ui.host.storage_dialogs import input_message
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import InvalidStorageInput


async def choose_file(parent: QWidget) -> str:
    dialog = QFileDialog(parent, tr("Upload a File to the Pool"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    try:
        if await ask(dialog) != QFileDialog.DialogCode.Accepted.value:
            return ""
        files = dialog.selectedFiles()
        return files[0] if files else ""
    finally:
        dialog.deleteLater()


async def choose_name(parent: QWidget, suggested: str) -> str:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(tr("Upload a File to the Pool"))
    dialog.setLabelText(tr("Name of the new volume:"))
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(suggested)
    try:
        if await ask(dialog) != QInputDialog.DialogCode.Accepted.value:
            return ""
        return dialog.textValue()
    finally:
        dialog.deleteLater()


async def upload_file(
    parent: QWidget,
    conn: Connection,
    jobs: JobService,
    pool: str,
    path: str,
    name: str,
    ended: Callable[[], Any],
) -> None:
    """Check, then upload ``path`` as volume ``name`` of ``pool``; ``ended`` once it is over."""
    title = tr("Upload to Pool {0}").format(shown(pool))
    try:
        await core_upload.check(conn, pool, name, path)
    except InvalidStorageInput as exc:
        report_text(parent, title, input_message(exc))
        return
    except OSError as exc:
        report_text(parent, title, tr("Cannot read {0}: {1}").format(shown(path), exc.strerror))
        return
    except Exception as exc:  # libvirtError, NotConnectedError
        show_failure(parent, title, classify(exc))
        return
    job = core_upload.start(jobs, conn, pool, name, path)
    try:
        outcome = await run_job(job, parent)
        if isinstance(outcome, Failed) and not job.checked:
            show_failure(parent, title, classify(outcome.error))
    finally:
        if shiboken6.isValid(parent):
            ended()


def suggested_name(path: str) -> str:
    return os.path.basename(path)
