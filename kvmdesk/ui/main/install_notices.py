"""What the main window says when a new VM switches to its final definition.

An ordinary switch is a line in the status bar. A switch that left parts
of the definition alone (someone edited them during the install), a
restart that failed, or a switch that could not be made at all gets a
box that says what to do.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from kvmdesk.core import messages
from kvmdesk.core.install_watch import InstallSwitched, InstallWatcher
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import report_text
from kvmdesk.virt.errors import Failure


def part_text(part: str) -> str:
    """One change of the second phase, as the user knows it."""
    kind, _, target = part.partition(":")
    texts = {
        "boot": tr("the boot order (from the disk)"),
        "kernel": tr("the direct kernel boot (removed)"),
        "on_reboot": tr("what a reboot does (restart instead of stopping)"),
        "eject": tr("the install media in drive {0} (ejected)").format(target),
    }
    return texts.get(kind, part)


def switched_text(event: InstallSwitched) -> tuple[str, str]:
    """(the status line or headline, what to do about parts left alone)."""
    name = event.result.name
    if event.restarted:
        head = tr(
            "“{0}” has finished installing: it now boots from its disk and was started again."
        )
    else:
        head = tr("“{0}” has finished installing: it now boots from its disk.")
    head = head.format(name)
    advice = ""
    if event.result.skipped:
        parts = "; ".join(part_text(p) for p in event.result.skipped)
        advice = tr(
            "These parts of its definition were changed during the install and were left as "
            "they are: {0}. Check them in the XML tab."
        ).format(parts)
    if event.start_failure is not None:
        advice = "\n".join(
            t
            for t in (
                advice,
                tr("It could not be started again: {0}").format(
                    messages.failure_summary(event.start_failure)
                ),
            )
            if t
        )
    return head, advice


def attach(watcher: InstallWatcher, window: QMainWindow) -> None:
    title = tr("Installation finished")

    def switched(event: InstallSwitched) -> None:
        head, advice = switched_text(event)
        window.statusBar().showMessage(head, 30000)
        if advice:
            report_text(window, title, head, advice)

    def failed(_uri: str, uuid: str, failure: Failure) -> None:
        text = tr(
            "The definition of a new virtual machine ({0}) could not be switched to boot "
            "from its disk: {1}"
        ).format(uuid, messages.failure_summary(failure))
        report_text(
            window,
            title,
            text,
            tr("kvmdesk tries again after its next connection to the host."),
        )

    watcher.switched.connect(switched)
    watcher.failed.connect(failed)
