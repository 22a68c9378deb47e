"""The summary page's "Equivalent command": the virt-install line for the
choices made so far (``virt.virt_install_command``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.command_view import CommandView
from kvmdesk.virt.virt_install_command import virt_install

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


def show_virt_install(view: CommandView, wizard: NewVmWizard) -> None:
    try:
        plan = wizard.plan()
    except (ValueError, AttributeError):  # a page not filled in yet
        view.set_command(None, tr("The command appears once the choices are complete."))
        return
    view.set_command(virt_install(wizard.conn.uri, plan))
