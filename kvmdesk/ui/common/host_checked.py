"""A dialog whose OK asks the host first and stays open with what it refused.

The check runs as a task while the window stays live; OK is disabled
meanwhile, and a second OK while it runs does nothing. Closing the dialog
cancels a check still running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from kvmdesk.core import messages
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.virt.errors import classify


class HostCheckedDialog(QDialog):
    """Subclasses lay out ``error`` and ``buttons`` and write ``check_and_start``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._checking: asyncio.Future[None] | None = None
        self.error = plain_label(selectable=False)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def say(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def accept(self) -> None:
        if self._checking is not None and not self._checking.done():
            return
        self._checking = asyncio.ensure_future(self.check_and_start())

    async def check_and_start(self) -> None:
        """Ask the host with ``host_agrees``; then start the work and ``close_accepted``."""
        raise NotImplementedError

    async def host_agrees(
        self,
        waiting: str,
        check: Awaitable[None],
        refusal: Callable[[Exception], str | None],
    ) -> bool:
        """Await ``check``; say what it refused (``refusal``'s words, else libvirt's)."""
        self.buttons.setEnabled(False)
        self.say(waiting)
        try:
            await check
        except Exception as exc:  # the check's own refusals, libvirtError, NotConnectedError
            self.say(refusal(exc) or messages.failure_summary(classify(exc)))
            return False
        finally:
            self.buttons.setEnabled(True)
        self.say("")
        return True

    def close_accepted(self) -> None:
        super().accept()

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Rejected.value and self._checking is not None:
            self._checking.cancel()
        super().done(result)
