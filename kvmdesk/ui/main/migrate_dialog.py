"""Migrate…: move a virtual machine to another open connection.

A running machine moves live (it runs on while its memory is copied) or
paused; a shut-off one moves offline (its definition only). kvmdesk
drives the migration, or the source host reaches the destination itself
(peer-to-peer), optionally with the memory in libvirt's own connection
(tunnelled). Disks are shared, or copied whole or incrementally. The
definition the destination gets can be edited. The ``virsh migrate``
line is shown as it is chosen. The destination is asked before anything
moves; what it lacks is said in the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core import migrate as core_migrate
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.command_view import command_row
from kvmdesk.ui.common.errors import ask, report_text, show_failure
from kvmdesk.ui.common.host_checked import HostCheckedDialog
from kvmdesk.ui.common.job_wait import Done, Failed, run_job
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.virt import job_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.errors import classify
from kvmdesk.virt.migrate import (
    MigrateOutcome,
    MigratePlan,
    MigrateProblem,
    MigrateRequest,
    Mode,
    Problem,
    Storage,
)
from kvmdesk.virt.shown import shown


def _names(names: tuple[str, ...]) -> str:
    return tr(", ").join(f"“{shown(n)}”" for n in names)


def problem_text(problem: Problem) -> str:
    kind, names = problem.kind, problem.names
    if kind == "same-host":
        return tr(
            "The destination is the host the virtual machine is on (the same host UUID). "
            "Choose another host."
        )
    if kind == "name-taken":
        return tr("The destination already has a virtual machine called {0}.").format(_names(names))
    if kind == "uuid-taken":
        return tr("The destination already has this virtual machine's UUID, called {0}.").format(
            _names(names)
        )
    if kind == "running-there":
        return tr("{0} already runs on the destination.").format(_names(names))
    if kind == "cpu":
        return tr("The destination's CPU lacks features the virtual machine needs: {0}.").format(
            _names(names)
        )
    if kind == "networks-missing":
        return tr("The destination has no network {0}.").format(_names(names))
    if kind == "networks-inactive":
        return tr("The destination's network {0} is not started.").format(_names(names))
    if kind == "pools-missing":
        return tr("The destination has no storage pool {0}.").format(_names(names))
    if kind == "no-pool-for":
        return tr(
            "To copy the disks, the destination needs a storage pool for the folder {0}."
        ).format(_names(names))
    if kind == "missing-for-incremental":
        return tr(
            "To copy only the changes, the destination must already have the disk image {0} "
            "over the same base image. Copy it there first, or copy every disk."
        ).format(_names(names))
    if kind == "address":
        return tr("{0} is not a host name or address.").format(_names(names))
    if kind == "xml":
        if names == ("uuid",):
            return tr("The edited definition must keep the virtual machine's UUID.")
        return tr("The edited definition is not valid: {0}").format(_names(names))
    if names == ("offline-storage",):
        return tr("A machine that is shut off moves without its disks; they cannot be copied.")
    if names == ("bandwidth",):
        return tr("The bandwidth limit cannot be negative.")
    return tr("The virtual machine started or stopped meanwhile. Open Migrate again.")


def problems_text(exc: MigrateProblem) -> str:
    return "\n".join(problem_text(p) for p in exc.problems)


class MigrateDialog(HostCheckedDialog):
    """Asks where and how to migrate ``plan``'s domain; on OK the destination checks."""

    def __init__(
        self,
        source: Connection,
        plan: MigratePlan,
        destinations: list[Connection],
        jobs: JobService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source, self.plan, self.jobs = source, plan, jobs
        self.destinations = destinations
        self.job: Job[MigrateOutcome] | None = None
        self.setWindowTitle(self.tr("Migrate “{0}”").format(shown(plan.name)))
        self.setMinimumWidth(640)
        form = QFormLayout()
        self.dest = QComboBox()
        for conn in destinations:
            self.dest.addItem(shown(messages.connection_label(conn)), conn.uri)
        form.addRow(self.tr("&Destination:"), self.dest)

        self.live = QRadioButton(self.tr("&Live: the guest runs on while it moves"))
        self.paused = QRadioButton(self.tr("&Paused while it moves (faster for a busy guest)"))
        self.modes = QButtonGroup(self)
        if plan.running:
            for button in (self.live, self.paused):
                self.modes.addButton(button)
            self.live.setChecked(True)
            form.addRow(self.tr("Mode:"), self.live)
            form.addRow("", self.paused)
        else:
            form.addRow(
                self.tr("Mode:"),
                plain_label(
                    self.tr("Offline: the machine is shut off, only its definition moves.")
                ),
            )

        self.transport = QComboBox()
        self.transport.addItem(self.tr("Direct: kvmdesk connects to both hosts"), "direct")
        self.transport.addItem(
            self.tr("Peer-to-peer: the source host connects to the destination"), "p2p"
        )
        self.transport.addItem(
            self.tr("Tunnelled: peer-to-peer, the memory inside libvirt's connection"), "tunnel"
        )
        form.addRow(self.tr("&Connection:"), self.transport)

        self.storage = QComboBox()
        self.storage.addItem(self.tr("Shared: both hosts see the disks"), Storage.SHARED)
        self.storage.addItem(self.tr("Copy every disk"), Storage.FULL)
        self.storage.addItem(
            self.tr("Copy the changes (the destination has the base image)"), Storage.INCREMENTAL
        )
        self.storage.setEnabled(plan.running)
        form.addRow(self.tr("&Storage:"), self.storage)

        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("the destination's host name (optional)"))
        self.address.setToolTip(
            self.tr("Where the source reaches the destination for the memory copy")
        )
        form.addRow(self.tr("&Address:"), self.address)

        self.bandwidth = QSpinBox()
        self.bandwidth.setRange(0, 1_000_000)
        self.bandwidth.setSuffix(self.tr(" MiB/s"))
        self.bandwidth.setSpecialValueText(self.tr("No limit"))
        form.addRow(self.tr("&Bandwidth:"), self.bandwidth)

        self.persistent = QCheckBox(self.tr("Keep it defined on the destination (&persistent)"))
        self.persistent.setChecked(True)
        self.persistent.setEnabled(plan.running)  # offline: always persistent
        self.undefine = QCheckBox(self.tr("&Undefine it on the source"))
        self.undefine.setEnabled(plan.persistent)
        self.unsafe = QCheckBox(self.tr("Allow &unsafe (disk cache not safe for migration)"))
        for box in (self.persistent, self.undefine, self.unsafe):
            form.addRow("", box)

        self.edit_xml = QCheckBox(self.tr("&Edit the definition the destination gets"))
        self.xml = QPlainTextEdit(plan.xml)
        self.xml.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.xml.setAccessibleName(self.tr("Definition on the destination"))
        self.xml.setVisible(False)
        self.xml.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.edit_xml.toggled.connect(self.xml.setVisible)
        form.addRow(self.edit_xml)

        below = QFormLayout()
        self.command = command_row(
            below,
            self.virsh_command,
            self.dest.currentIndexChanged,
            self.modes.buttonToggled,
            self.transport.currentIndexChanged,
            self.storage.currentIndexChanged,
            self.address.textChanged,
            self.bandwidth.valueChanged,
            self.persistent.toggled,
            self.undefine.toggled,
            self.unsafe.toggled,
            self.edit_xml.toggled,
            self.xml.textChanged,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.xml, 1)
        layout.addLayout(below)
        layout.addWidget(
            dim(
                plain_label(
                    self.tr(
                        "The destination is asked first: the networks, storage pools and CPU "
                        "features the machine needs. Cancel in the jobs view stops a live "
                        "migration; the machine then goes on on the source."
                    )
                )
            )
        )
        layout.addWidget(self.error)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Migrate"))
        layout.addWidget(self.buttons)

    def destination(self) -> Connection:
        return self.destinations[self.dest.currentIndex()]

    def request(self) -> MigrateRequest:
        if not self.plan.running:
            mode = Mode.OFFLINE
        else:
            mode = Mode.LIVE if self.live.isChecked() else Mode.PAUSED
        transport = self.transport.currentData()
        edited = self.xml.toPlainText() if self.edit_xml.isChecked() else ""
        return MigrateRequest(
            dest_uri=self.destination().uri,
            mode=mode,
            peer2peer=transport in ("p2p", "tunnel"),
            tunnelled=transport == "tunnel",
            storage=self.storage.currentData() if self.plan.running else Storage.SHARED,
            persistent=self.persistent.isChecked() or mode is Mode.OFFLINE,
            undefine_source=self.undefine.isChecked() and self.plan.persistent,
            bandwidth=self.bandwidth.value(),
            address=self.address.text().strip(),
            unsafe=self.unsafe.isChecked(),
            xml=edited if edited != self.plan.xml else "",
        )

    def virsh_command(self) -> Command | None:
        return job_commands.migrate(self.source.uri, self.plan.name, self.request())

    async def check_and_start(self) -> None:
        """Ask the destination; start the job, or say what it lacks and stay open."""
        request, dest = self.request(), self.destination()
        check = core_migrate.check(dest, self.plan, request)
        if not await self.host_agrees(self.tr("Asking the destination…"), check, _refusal):
            return
        self.job = core_migrate.start(self.jobs, self.source, dest, self.plan, request)
        self.close_accepted()


def _refusal(exc: Exception) -> str | None:
    return problems_text(exc) if isinstance(exc, MigrateProblem) else None


async def migrate_domain(
    parent: QWidget,
    source: Connection,
    uuid: str,
    connections: list[Connection],
    jobs: JobService,
    arrived: Callable[[Connection, str], None],
) -> None:
    """Ask, run the migration job, report how it ended; ``arrived`` gets the moved domain."""
    destinations = [c for c in connections if c is not source and c.is_connected]
    if not destinations:
        report_text(
            parent,
            tr("Nowhere to migrate to"),
            tr("Migration needs a second open connection: the host to move the machine to."),
            tr("Add or connect the destination host first (File → Add Connection)."),
        )
        return
    try:
        plan = await core_migrate.plan(source, uuid)
    except Exception as exc:  # libvirtError, NotConnectedError
        show_failure(parent, tr("Cannot migrate the virtual machine"), classify(exc))
        return
    dialog = MigrateDialog(source, plan, destinations, jobs, parent)
    try:
        await ask(dialog)
        job, dest = dialog.job, dialog.destination()
    finally:
        dialog.deleteLater()
    if job is None:
        return
    outcome = await run_job(job, parent)
    if isinstance(outcome, Failed):
        title = tr("Could not migrate “{0}”").format(shown(plan.name))
        show_failure(parent, title, outcome.failure)
    elif isinstance(outcome, Done):
        arrived(dest, outcome.value.uuid)
