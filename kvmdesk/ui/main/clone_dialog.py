"""Clone…: the new name, what happens to each disk, the MACs, a running source.

Every disk has a choice: Clone (a new volume made from it on the same
pool), Share (the clone uses the same file; the default for read-only,
shareable disks and CD-ROMs) or Skip. A disk no storage pool holds cannot
be cloned through libvirt (it would not work on a remote host): it is
shared or skipped. The ``virt-clone`` line of the choices is shown as they
change, and is what the command log records. A running source is copied only when the user says how:
paused for the copy, or copied while running (crash-consistent). The host
is asked before anything is made (name and MACs free, room in the pools);
what it refuses is said in the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import clone as core_clone
from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.models.columns import format_memory
from kvmdesk.ui.common.command_view import CommandView
from kvmdesk.ui.common.errors import ask, report_text, show_failure
from kvmdesk.ui.common.host_checked import HostCheckedDialog
from kvmdesk.ui.common.job_wait import Done, Failed, run_job
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.wording import input_message
from kvmdesk.virt import job_commands
from kvmdesk.virt.clone import (
    CloneOutcome,
    ClonePlan,
    CloneProblem,
    CloneRequest,
    DiskAction,
)
from kvmdesk.virt.errors import classify
from kvmdesk.virt.provision import PlanInputError
from kvmdesk.virt.shown import shown

TARGET, SOURCE, SIZE, ACTION = range(4)


def problem_text(problem: CloneProblem) -> str:
    if problem.kind == "running":
        return tr(
            "“{0}” is running. Choose to pause it while its disks are copied, or to copy it "
            "while it runs."
        ).format(shown(problem.detail))
    if problem.kind == "mac-invalid":
        return tr("“{0}” is not a MAC address a network card can have.").format(problem.detail)
    if problem.kind == "mac-taken":
        return tr("The MAC address {0} is already used on this host.").format(problem.detail)
    if problem.kind == "not-in-pool":
        return tr(
            "Disk {0} is not in a storage pool, so libvirt cannot copy it. Share it or skip it."
        ).format(problem.detail)
    if problem.kind == "volume-taken":
        return tr("A volume called “{0}” appeared meanwhile. Try again.").format(
            shown(problem.detail)
        )
    return tr("Storage pool “{0}” lacks {1} for the copies.").format(
        shown(problem.detail), format_memory(problem.amount // 1024)
    )


def _action_names() -> dict[DiskAction, str]:
    return {
        DiskAction.CLONE: tr("Clone"),
        DiskAction.SHARE: tr("Share"),
        DiskAction.SKIP: tr("Skip"),
    }


class CloneDialog(HostCheckedDialog):
    """Asks how to clone ``plan``'s domain; on OK the host checks, then the job starts."""

    def __init__(
        self,
        conn: Connection,
        plan: ClonePlan,
        jobs: JobService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn, self.plan, self.jobs = conn, plan, jobs
        self.job: Job[CloneOutcome] | None = None
        self.setWindowTitle(self.tr("Clone “{0}”").format(shown(plan.name)))
        self.setMinimumWidth(620)
        form = QFormLayout()
        self.name = QLineEdit(f"{plan.name}-clone")
        form.addRow(self.tr("&Name:"), self.name)

        self.disks = QTreeWidget()
        self.disks.setRootIsDecorated(False)
        self.disks.setHeaderLabels(
            [self.tr("Disk"), self.tr("File"), self.tr("Size"), self.tr("Clone as")]
        )
        self.choices: dict[str, QComboBox] = {}
        names = _action_names()
        for disk in plan.disks:
            item = QTreeWidgetItem(
                [
                    disk.target,
                    shown(disk.source) or self.tr("(empty)"),
                    format_memory(disk.allocation // 1024) if disk.allocation else "",
                    "",
                ]
            )
            item.setToolTip(SOURCE, messages.plain_tooltip(shown(disk.source)))
            self.disks.addTopLevelItem(item)
            combo = QComboBox()
            for action in DiskAction:
                if action is DiskAction.CLONE and not disk.cloneable:
                    continue
                combo.addItem(names[action], action)
            combo.setCurrentIndex(combo.findData(disk.default_action))
            if not disk.pool and not disk.shared:
                combo.setToolTip(self.tr("Not in a storage pool: libvirt cannot copy it."))
            self.disks.setItemWidget(item, ACTION, combo)
            self.choices[disk.target] = combo
        for column in (TARGET, SOURCE, SIZE):
            self.disks.resizeColumnToContents(column)
        self.disks.setMinimumHeight(self.fontMetrics().lineSpacing() * (len(plan.disks) + 4))

        self.macs: list[QLineEdit] = []
        for index, nic in enumerate(plan.nics):
            field = QLineEdit()
            field.setPlaceholderText(self.tr("a new random MAC address"))
            label = self.tr("MAC of card {0} ({1}):").format(index + 1, shown(nic.source) or "-")
            form.addRow(label, field)
            self.macs.append(field)

        self.pause: QRadioButton | None = None
        self.live: QRadioButton | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.disks)
        if plan.running:
            layout.addWidget(
                plain_label(
                    self.tr(
                        "The virtual machine is running. For a clean copy shut it down first; "
                        "otherwise choose:"
                    )
                )
            )
            self.pause = QRadioButton(self.tr("&Pause it while its disks are copied"))
            self.live = QRadioButton(
                self.tr("Copy it &while it runs (crash-consistent, like pulling the plug)")
            )
            group = QButtonGroup(self)
            for button in (self.pause, self.live):
                group.addButton(button)
                layout.addWidget(button)
        layout.addWidget(
            dim(
                plain_label(
                    self.tr(
                        "The clone gets a new UUID and new MAC addresses; shared disks stay "
                        "shared. The source is only read."
                    )
                )
            )
        )
        # The virt-clone line of the choices so far; the log records this same line.
        self.command_view = CommandView(self, lines=3)
        layout.addWidget(self.command_view)
        changed = [self.name.textChanged, *(f.textChanged for f in self.macs)]
        changed += [c.currentIndexChanged for c in self.choices.values()]
        changed += [b.toggled for b in (self.pause, self.live) if b is not None]
        for signal in changed:
            signal.connect(self._show_command)
        self._show_command()
        layout.addWidget(self.error)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Clone"))
        layout.addWidget(self.buttons)

    def request(self) -> CloneRequest:
        return CloneRequest(
            name=self.name.text(),
            actions={t: combo.currentData() for t, combo in self.choices.items()},
            macs=[field.text() for field in self.macs],
            allow_running=self.live is not None and self.live.isChecked(),
            pause=self.pause is not None and self.pause.isChecked(),
        )

    def _show_command(self, *_args: object) -> None:
        request = self.request()
        if not request.name.strip():
            self.command_view.set_command(
                None, self.tr("The command appears once a name is given.")
            )
            return
        self.command_view.set_command(job_commands.virt_clone(self.conn.uri, self.plan, request))

    async def check_and_start(self) -> None:
        """Ask the host; start the clone job, or say what it refused and stay open."""
        request = self.request()
        check = core_clone.check(self.conn, self.plan, request)
        if not await self.host_agrees(self.tr("Checking with the host…"), check, _refusal):
            return
        self.job = core_clone.start(self.jobs, self.conn, self.plan, request)
        self.close_accepted()


def _refusal(exc: Exception) -> str | None:
    if isinstance(exc, PlanInputError):
        return input_message(exc)
    if isinstance(exc, CloneProblem):
        return problem_text(exc)
    return None


async def clone_domain(
    parent: QWidget,
    conn: Connection,
    uuid: str,
    jobs: JobService,
    made: Callable[[Connection, str], None],
) -> None:
    """Plan, ask, run the clone job and report how it ended; ``made`` gets the new domain."""
    try:
        plan = await core_clone.plan(conn, uuid)
    except Exception as exc:  # libvirtError, NotConnectedError
        show_failure(parent, tr("Cannot clone the virtual machine"), classify(exc))
        return
    dialog = CloneDialog(conn, plan, jobs, parent)
    try:
        await ask(dialog)
        job = dialog.job
    finally:
        dialog.deleteLater()
    if job is None:
        return
    outcome = await run_job(job, parent)
    if isinstance(outcome, Failed):
        if job.checked:  # the link dropped; the re-read found no clone and removed its volumes
            report_text(
                parent,
                tr("Clone not made"),
                tr("The connection was lost during the clone; the clone was not made."),
                tr("What it had made was removed."),
            )
        else:
            title = tr("Could not clone “{0}”").format(shown(plan.name))
            show_failure(parent, title, outcome.failure)
    elif isinstance(outcome, Done):
        made(conn, outcome.value.uuid)
