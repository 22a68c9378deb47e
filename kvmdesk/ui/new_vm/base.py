"""A wizard page whose Next first asks the host, without blocking the window.

``validatePage`` is synchronous in Qt; host checks (is the name taken,
does the file exist) run on the connection's worker. So Next starts the
check and returns False; when the check passes the page moves on by
itself. A warning (a disk another VM uses) is shown once: Next again goes
on anyway. Refusals and warnings appear under the page, in plain text.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWizard, QWizardPage

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.virt.errors import classify
from kvmdesk.virt.provision import PlanInputError

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


def message_label() -> QLabel:
    label = plain_label(selectable=True)
    label.setForegroundRole(QPalette.ColorRole.Highlight)
    label.hide()
    return label


class CheckedPage(QWizardPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__()
        self.vm = wizard
        self.message = message_label()
        self._passed = False
        self._checking: asyncio.Task[Any] | None = None
        self._acknowledged = ""

    # -- to override ------------------------------------------------------

    def local_problem(self) -> str:
        """Problems found without the host (plain text), or ""."""
        return ""

    async def host_check(self) -> tuple[str, str]:
        """(problem, warning) found by asking the host."""
        return "", ""

    def proceed(self) -> None:
        """What a passed check does: go to the next page."""
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    # -- machinery --------------------------------------------------------

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @property
    def checking(self) -> bool:
        return self._checking is not None and not self._checking.done()

    def validatePage(self) -> bool:
        if self._passed:
            self._passed = False
            return True
        if self.checking:
            return False
        try:
            problem = self.local_problem()
        except PlanInputError as exc:
            from kvmdesk.ui.new_vm.wording import input_message

            problem = input_message(exc)
        if problem:
            self.say(problem)
            return False
        self.say(tr("Checking with the host…"))
        self._set_buttons(False)
        self._checking = asyncio.ensure_future(self._run_check())
        return False

    def _set_buttons(self, on: bool) -> None:
        wizard = self.wizard()
        if wizard is None:
            return
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            button = wizard.button(which)
            if button is not None:
                button.setEnabled(on)

    async def _run_check(self) -> None:
        from kvmdesk.ui.new_vm.wording import input_message

        try:
            problem, warning = await self.host_check()
        except PlanInputError as exc:
            problem, warning = input_message(exc), ""
        except Exception as exc:  # the host failed to answer: say why, stay here
            problem, warning = messages.failure_summary(classify(exc)), ""
        finally:
            self._set_buttons(True)
        if problem:
            self.say(problem)
            return
        if warning and warning != self._acknowledged:
            self._acknowledged = warning
            self.say(warning + "\n" + tr("Press the button again to go on anyway."))
            return
        self.say("")
        self._passed = True
        self.proceed()
        self._passed = False
