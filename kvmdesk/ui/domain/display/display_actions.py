"""The Display tab's actions that ask the user something or change the domain."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit

from kvmdesk.core.command_log import defined
from kvmdesk.ui.common.errors import ask, ask_yes, report_text, show_failure
from kvmdesk.ui.domain.screenshot.screenshot_jobs import ask_png_path
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.errors import classify
from kvmdesk.virt.screenshot.naming import sanitize
from kvmdesk.virt.vnc.add_display import add_vnc_display

if TYPE_CHECKING:
    from kvmdesk.ui.domain.display.display_page import DisplayPage


class DisplayActions(QObject):
    """Save Screenshot, Enter Password, Take Over Display, Add VNC Display and
    Open in virt-viewer."""

    def __init__(self, page: DisplayPage) -> None:
        super().__init__(page)
        self.page = page
        self.folder: Path | None = None  # where the last screenshot went

    async def save(self) -> Path | None:
        page = self.page
        image = page.view.image()
        if image is None:
            return None
        target = page.target()
        record = target[0].domains.get(target[1]) if target is not None else None
        name = sanitize(record.name if record is not None else "screen")
        folder = self.folder or Path.home()
        path = await ask_png_path(page, str(folder / f"{name}.png"))
        if path is None:
            return None
        # The format as a str: PySide 6.11 refuses bytes here at run time,
        # although its type hints still ask for bytes.
        saved = image.save(str(path), "PNG")  # type: ignore[call-overload]
        words = self.tr("The screenshot was not saved to {0}.").format(str(path))
        if target is not None and record is not None:
            command = virsh_commands.screenshot(target[0].uri, record.name, str(path))
            target[0].command_log.record(command, None if saved else words)
        if not saved:
            report_text(page, self.tr("Save Screenshot"), words)
            return None
        self.folder = path.parent
        return path

    async def ask_password(self) -> None:
        page = self.page
        session = page.session
        if session is None:
            return
        dialog = QInputDialog(page)
        dialog.setWindowTitle(self.tr("Display Password"))
        dialog.setLabelText(self.tr("Password of the virtual machine's display:"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        try:
            accepted = await ask(dialog)
            password = dialog.textValue()
        finally:
            dialog.deleteLater()
        if accepted and session is page.session:
            session.retry(password)

    async def take_over(self) -> None:
        page = self.page
        session = page.session
        if session is None:
            return
        confirmed = await ask_yes(
            page,
            self.tr("Take Over Display"),
            self.tr("Disconnect the other client and show the display here?"),
            self.tr(
                "Whoever uses the display in another viewer loses it at once; "
                "anything they are typing stops."
            ),
        )
        if confirmed and session is page.session and shiboken6.isValid(session):
            session.take_over()

    async def add_display(self) -> None:
        page = self.page
        target = page.target()
        if target is None:
            return
        conn, uuid = target
        title = self.tr("Add VNC Display")
        confirmed = await ask_yes(
            page,
            title,
            self.tr("Add a VNC display to this virtual machine's definition?"),
            self.tr("It takes effect the next time the virtual machine starts."),
        )
        if not confirmed or page.target() != target:
            return
        try:
            running = await defined(conn, uuid, add_vnc_display)
        except Exception as exc:  # libvirtError, TransientDomainError, NotConnectedError
            if shiboken6.isValid(page):
                show_failure(page, title, classify(exc))
            return
        if not shiboken6.isValid(page):
            return
        if running:
            report_text(
                page,
                title,
                self.tr("The VNC display was added to the definition."),
                self.tr(
                    "It takes effect at the next boot: shut the virtual machine down "
                    "and start it again."
                ),
            )

    def open_viewer(self) -> None:
        page = self.page
        target = page.target()
        program = shutil.which("virt-viewer")  # from the package with remote-viewer
        if target is None or program is None:
            return
        conn, uuid = target
        command = virsh_commands.virt_viewer(conn.uri, uuid)
        # virt-viewer reaches the display the way libvirt reaches the host,
        # through the same ssh for +ssh URIs.
        try:
            subprocess.Popen(
                [program, "--connect", conn.uri, "--", uuid],
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            conn.command_log.record(command, exc.strerror or str(exc))
            report_text(page, self.tr("Open in virt-viewer"), str(exc.strerror or exc))
            return
        conn.command_log.record(command)
