"""One question before a disruptive verb reaches several machines, maybe on several hosts.

"Shut down 37 virtual machines on 5 hosts?" with, per host, how many and
which (names through ``virt.shown``, the list cut after a screenful).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import warning_box
from kvmdesk.ui.common.selection import Selected
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.shown import shown

ASKED = (Verb.SHUTDOWN, Verb.REBOOT, Verb.PAUSE, Verb.SAVE)  # Force Off asks on its own
NAMES_SHOWN = 12  # per host; the rest are counted


def needs_confirmation(verb: Verb, targets: list[Selected]) -> bool:
    return verb in ASKED and len(targets) > 1


def question(verb: Verb, targets: list[Selected]) -> tuple[str, str, str]:
    """(title, question, details) for the box."""
    by_host: dict[Connection, list[Selected]] = {}
    for target in targets:
        by_host.setdefault(target.conn, []).append(target)
    vms = tr("%n virtual machine(s)", None, len(targets))
    hosts = tr("%n host(s)", None, len(by_host))
    title, text = {
        Verb.SHUTDOWN: (tr("Shut Down"), tr("Shut down {0} on {1}?")),
        Verb.REBOOT: (tr("Reboot"), tr("Reboot {0} on {1}?")),
        Verb.PAUSE: (tr("Pause"), tr("Pause {0} on {1}?")),
        Verb.SAVE: (tr("Save"), tr("Save {0} on {1}?")),
    }[verb]
    lines = []
    for conn, chosen in by_host.items():
        lines.append(
            tr("{0}: {1}").format(
                messages.connection_label(conn), tr("%n virtual machine(s)", None, len(chosen))
            )
        )
        names = sorted(shown(s.record.name) for s in chosen)
        lines += [f"  {name}" for name in names[:NAMES_SHOWN]]
        if len(names) > NAMES_SHOWN:
            lines.append("  " + tr("and %n more", None, len(names) - NAMES_SHOWN))
    return title, text.format(vms, hosts), "\n".join(lines)


def confirm(parent: QWidget, verb: Verb, targets: list[Selected]) -> bool:
    title, text, details = question(verb, targets)
    box = warning_box(parent, title, text, details)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(title)
    return box.exec() == QMessageBox.StandardButton.Yes


def progress(text: str, hosts_done: int, hosts: int) -> str:
    """The status bar while a verb runs on several hosts."""
    if hosts < 2:
        return text
    return tr("{0} {1} of %n host(s) done", None, hosts).format(text, hosts_done)
