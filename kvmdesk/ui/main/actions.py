"""The window's actions, enabled by what is selected."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from kvmdesk.models.icons import icon
from kvmdesk.ui.common.selection import Selected
from kvmdesk.virt.lifecycle import Verb, allowed
from kvmdesk.virt.records import DomainState


class DomainActions(QObject):
    """One QAction per verb, shared by toolbar, menu and context menu."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)

        def make(text: str, icon_name: str, shortcut: str = "", tip: str = "") -> QAction:
            action = QAction(icon(icon_name), text, parent)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip)
            action.setToolTip(f"{text} ({shortcut})" if shortcut else text)
            return action

        self.run = make(
            self.tr("&Run"), "action-run", "Ctrl+R", self.tr("Start the virtual machine")
        )
        self.pause = make(self.tr("&Pause"), "action-pause", "Ctrl+P", self.tr("Pause execution"))
        self.resume = make(
            self.tr("R&esume"), "action-run", "Ctrl+Shift+P", self.tr("Resume execution")
        )
        self.shutdown = make(
            self.tr("&Shut Down"),
            "action-shutdown",
            "Ctrl+D",
            self.tr("Ask the guest to shut down"),
        )
        self.reboot = make(
            self.tr("Re&boot"), "action-reboot", "Ctrl+Shift+R", self.tr("Ask the guest to reboot")
        )
        self.force_off = make(
            self.tr("&Force Off"),
            "action-forceoff",
            "Ctrl+Shift+D",
            self.tr("Stop immediately, like pulling the plug"),
        )
        self.save = make(
            self.tr("Sa&ve"),
            "action-save",
            "Ctrl+Shift+S",
            self.tr("Save the memory state to disk and stop; Run restores it"),
        )
        self.save_to_file = make(
            self.tr("Save to &File…"),
            "",
            "",
            self.tr("Save the memory state to a file on the host and stop"),
        )
        self.autostart = make(self.tr("&Autostart"), "", "", self.tr("Start when the host boots"))
        self.autostart.setCheckable(True)
        self.delete = make(
            self.tr("&Delete…"), "action-delete", "Del", self.tr("Delete the virtual machine")
        )
        self.details = make(
            self.tr("&Details"), "action-details", "Ctrl+I", self.tr("Show details")
        )
        self.clone = make(
            self.tr("C&lone…"),
            "",
            "",
            self.tr("Make a copy with a new name, UUID and MAC addresses, like virt-clone"),
        )
        self.migrate = make(
            self.tr("&Migrate…"),
            "",
            "",
            self.tr("Move the virtual machine to another open connection's host"),
        )
        self.take_snapshot = make(
            self.tr("Take S&napshot…"),
            "",
            "",
            self.tr("Take a snapshot of each selected virtual machine, with one name"),
        )
        self.snapshots = make(
            self.tr("Snaps&hots…"),
            "",
            "",
            self.tr("Show, take, revert and delete the virtual machine's snapshots"),
        )
        self.edit_tags = make(
            self.tr("Edit &Tags…"), "", "", self.tr("Add or remove tags on the selected machines")
        )
        self.send_key = make(self.tr("Send &Key"), "", "", self.tr("Send keys to the guest"))
        self.verbs: dict[QAction, Verb] = {
            self.run: Verb.RUN,
            self.pause: Verb.PAUSE,
            self.resume: Verb.RESUME,
            self.shutdown: Verb.SHUTDOWN,
            self.reboot: Verb.REBOOT,
            self.force_off: Verb.FORCE_OFF,
            self.save: Verb.SAVE,
        }
        self.update_for([])

    def lifecycle(self) -> list[QAction]:
        return [
            self.run,
            self.pause,
            self.resume,
            self.shutdown,
            self.reboot,
            self.force_off,
            self.save,
        ]

    def update_for(self, selected: list[Selected]) -> None:
        records = [s.record for s in selected]
        for action, verb in self.verbs.items():
            action.setEnabled(any(allowed(r, verb) for r in records))
        persistent = [r for r in records if r.persistent]
        self.autostart.setEnabled(bool(persistent))
        self.autostart.blockSignals(True)
        self.autostart.setChecked(bool(persistent) and all(r.autostart for r in persistent))
        self.autostart.blockSignals(False)
        self.delete.setEnabled(bool(records))
        self.edit_tags.setEnabled(bool(records))
        self.details.setEnabled(len(records) == 1)
        self.snapshots.setEnabled(len(records) == 1 and records[0].persistent)
        self.clone.setEnabled(len(records) == 1 and records[0].persistent)
        self.migrate.setEnabled(len(records) == 1)
        savable = (DomainState.RUNNING, DomainState.BLOCKED, DomainState.PAUSED)
        self.save_to_file.setEnabled(len(records) == 1 and records[0].state in savable)
        self.take_snapshot.setEnabled(bool(persistent) and len(persistent) == len(records))
        self.send_key.setEnabled(len(records) == 1 and records[0].state.is_active)
