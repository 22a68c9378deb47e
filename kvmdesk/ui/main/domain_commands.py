"""Running verbs on the selected virtual machines, and deleting them.

Asks before Force Off, says what is going on in the status bar and reports
what failed; the window spawns the coroutines and keeps their tasks.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from kvmdesk.core import long_verbs
from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.steps import LinkLost, checking_text
from kvmdesk.ui.common.errors import ask, present, show_failure, show_failures
from kvmdesk.ui.common.job_wait import Failed, run_job
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.main import bulk_confirm
from kvmdesk.ui.main.delete_dialog import DeleteDialog, show_outcome
from kvmdesk.ui.main.delete_lost import report_lost_delete
from kvmdesk.ui.main.delete_lost import step_names as delete_step_names
from kvmdesk.ui.main.delete_many import DeleteManyDialog, outcomes_box
from kvmdesk.ui.main.saved_file_dialogs import run_saved
from kvmdesk.virt.delete import DeleteOutcome, DeletePlan
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.lifecycle import Verb, allowed
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown
from kvmdesk.virt.steps import Journal


class DomainCommands(QObject):
    """What the virtual machine actions do once triggered.

    ``selected`` gives the selected domains, ``spawn`` runs a coroutine as
    one of the window's tasks.
    """

    def __init__(
        self,
        window: QMainWindow,
        service: ActionService,
        selected: Callable[[], list[Selected]],
        spawn: Callable[[Coroutine[Any, Any, Any]], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._selected = selected
        self._spawn = spawn
        # Whether an action asks first, by ``core.preferences.Confirm`` value.
        self.wants_confirmation: Callable[[str], bool] = lambda kind: kind == "forceOff"
        self._jobs: JobService | None = None

    def use_jobs(self, jobs: JobService) -> None:
        """Run Save and the restore of a saved domain as jobs, with progress and Cancel."""
        self._jobs = jobs

    def apply_verb(self, verb: Verb) -> None:
        targets = [s for s in self._selected() if allowed(s.record, verb)]
        if not targets:
            return
        if (
            verb is Verb.FORCE_OFF
            and self.wants_confirmation("forceOff")
            and not self._confirm_force_off(targets)
        ):
            return
        asked = verb is Verb.PAUSE and self.wants_confirmation("pause")  # Preferences
        if asked and not self._confirm_pause(targets):
            return
        if (
            not asked
            and bulk_confirm.needs_confirmation(verb, targets)
            and not bulk_confirm.confirm(self._window, verb, targets)
        ):
            return
        self._spawn(self.run_verb(verb, targets))

    def toggle_autostart(self, checked: bool) -> None:
        verb = Verb.AUTOSTART_ON if checked else Verb.AUTOSTART_OFF
        targets = [s for s in self._selected() if allowed(s.record, verb)]
        if targets:
            self._spawn(self.run_verb(verb, targets))

    def _confirm_force_off(self, targets: list[Selected]) -> bool:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Force Off"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        if len(targets) == 1:
            box.setText(self.tr("Force off “{0}”?").format(shown(targets[0].record.name)))
        else:
            box.setText(self.tr("Force off %n virtual machine(s)?", None, len(targets)))
        # Names can look alike; the UUID says which machine it really is.
        which = "\n".join(
            self.tr("{0} (UUID {1})").format(shown(s.record.name), s.record.uuid) for s in targets
        )
        box.setInformativeText(
            which
            + "\n\n"
            + self.tr("The guest stops at once, like pulling the power plug; unsaved data is lost.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _confirm_pause(self, targets: list[Selected]) -> bool:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Pause"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        if len(targets) == 1:
            box.setText(self.tr("Pause “{0}”?").format(shown(targets[0].record.name)))
        else:
            box.setText(self.tr("Pause %n virtual machine(s)?", None, len(targets)))
        box.setInformativeText(
            self.tr(
                "The guest stops running until it is resumed; its network connections may time out."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    async def run_verb(self, verb: Verb, targets: list[Selected]) -> None:
        asked: list[tuple[str, Failure]] = []
        if verb is Verb.RUN and self._jobs is not None:
            targets, asked = await self._saved_to_file(self._jobs, targets)
        by_conn: dict[Connection, list[str]] = {}
        names = {s.record.uuid: s.record.name for s in targets}
        jobs = self._jobs
        long = [s for s in targets if jobs is not None and long_verbs.is_long(verb, s.record)]
        for s in targets:
            if s not in long:
                by_conn.setdefault(s.conn, []).append(s.record.uuid)
        text = self._progress_text(verb, len(targets))
        bar = self._window.statusBar()
        bar.showMessage(bulk_confirm.progress(text, 0, len(by_conn)))
        done = 0

        async def on_host(conn: Connection, uuids: list[str]) -> list[tuple[str, Failure]]:
            nonlocal done
            try:
                return await self._service.apply(conn, uuids, verb, names)
            finally:
                done += 1
                if done < len(by_conn):
                    bar.showMessage(bulk_confirm.progress(text, done, len(by_conn)))

        # Each host on its own: a slow or dead one holds up none of the others;
        # Save and the restore of a saved machine run as jobs (the jobs view).
        results = await asyncio.gather(
            *(on_host(c, u) for c, u in by_conn.items()),
            *(self._as_job(s, verb) for s in long),
        )
        failures = asked + [f for group in results for f in group]
        self._window.statusBar().clearMessage()
        if failures:
            show_failures(self._window, self._failure_title(verb), failures)

    async def _saved_to_file(
        self, jobs: JobService, targets: list[Selected]
    ) -> tuple[list[Selected], list[tuple[str, Failure]]]:
        """Run of machines saved to a file: each restored or started afresh, as the user says.
        The ones still to start normally, and what failed."""
        rest: list[Selected] = []
        failures: list[tuple[str, Failure]] = []
        for target in targets:
            if target.record.state is not DomainState.SAVED_TO_FILE:
                rest.append(target)
                continue
            start, failed = await run_saved(self._window, jobs, target)
            failures += failed
            if start:
                rest.append(target)
        return rest, failures

    async def _as_job(self, target: Selected, verb: Verb) -> list[tuple[str, Failure]]:
        assert self._jobs is not None
        if not target.conn.is_connected:
            return [(target.record.name, Failure(ErrorKind.NOT_CONNECTED, target.conn.uri))]
        job = long_verbs.start(self._jobs, target.conn, target.record, verb)
        outcome = await run_job(job, self._window)
        if isinstance(outcome, Failed):
            return [(target.record.name, classify(outcome.error))]
        return []

    def _progress_text(self, verb: Verb, count: int) -> str:
        n = count
        return {
            Verb.RUN: self.tr("Starting %n virtual machine(s)…", None, n),
            Verb.SHUTDOWN: self.tr("Shutting down %n virtual machine(s)…", None, n),
            Verb.REBOOT: self.tr("Rebooting %n virtual machine(s)…", None, n),
            Verb.FORCE_OFF: self.tr("Forcing off %n virtual machine(s)…", None, n),
            Verb.PAUSE: self.tr("Pausing %n virtual machine(s)…", None, n),
            Verb.RESUME: self.tr("Resuming %n virtual machine(s)…", None, n),
            Verb.SAVE: self.tr("Saving %n virtual machine(s)…", None, n),
            Verb.AUTOSTART_ON: self.tr("Turning autostart on for %n virtual machine(s)…", None, n),
            Verb.AUTOSTART_OFF: self.tr(
                "Turning autostart off for %n virtual machine(s)…", None, n
            ),
        }[verb]

    def _failure_title(self, verb: Verb) -> str:
        return {
            Verb.RUN: self.tr("Could not start"),
            Verb.SHUTDOWN: self.tr("Could not shut down"),
            Verb.REBOOT: self.tr("Could not reboot"),
            Verb.FORCE_OFF: self.tr("Could not force off"),
            Verb.PAUSE: self.tr("Could not pause"),
            Verb.RESUME: self.tr("Could not resume"),
            Verb.SAVE: self.tr("Could not save"),
            Verb.AUTOSTART_ON: self.tr("Could not change autostart"),
            Verb.AUTOSTART_OFF: self.tr("Could not change autostart"),
        }[verb]

    def _checking(self, names: dict[str, str], journal: Journal, _failure: object) -> None:
        """The link dropped during a deletion: say after which step, while it is re-read."""
        self._window.statusBar().showMessage(checking_text(journal, names))

    async def delete_selected(self) -> None:
        targets = self._selected()
        if len(targets) > 1:
            await self._delete_many(targets)
            return
        for target in targets:
            plan = await self._plan(target)
            if plan is None:
                continue
            dialog = DeleteDialog(plan, self._window)
            dialog.ask_before_files = self.wants_confirmation("deleteStorage")
            if await ask(dialog) != DeleteDialog.DialogCode.Accepted:
                continue
            outcome = await self._delete_one(target, plan, dialog)
            if outcome is not None:
                show_outcome(self._window, outcome)

    async def _plan(self, target: Selected) -> DeletePlan | None:
        try:
            return await self._service.plan_delete(target.conn, target.record.uuid)
        except Exception as exc:  # libvirtError, or a lost connection
            show_failure(self._window, self.tr("Could not delete"), classify(exc))
            return None

    async def _delete_many(self, targets: list[Selected]) -> None:
        """One dialog for all of them, the deletions one after the other, one report."""
        planned = [(t, p) for t in targets if (p := await self._plan(t)) is not None]
        if not planned:
            return
        dialog = DeleteManyDialog([plan for _, plan in planned], self._window)
        dialog.ask_before_files = self.wants_confirmation("deleteStorage")
        if await ask(dialog) != DeleteManyDialog.DialogCode.Accepted:
            return
        outcomes = []
        for (target, plan), choices in zip(planned, dialog.parts, strict=True):
            outcome = await self._delete_one(target, plan, choices)
            if outcome is not None:
                outcomes.append(outcome)
        if outcomes:
            present(outcomes_box(self._window, outcomes))

    async def _delete_one(
        self, target: Selected, plan: DeletePlan, dialog: DeleteDialog
    ) -> DeleteOutcome | None:
        """Delete what ``dialog`` chose; None when it failed (reported already)."""
        self._window.statusBar().showMessage(self.tr("Deleting “{0}”…").format(shown(plan.name)))
        sources = dialog.selected_sources()
        confirmed = dialog.confirmed_shared()
        checking = functools.partial(self._checking, delete_step_names(sources))
        try:
            outcome = await self._service.delete(
                target.conn,
                plan,
                sources,
                checking,
                keep_nvram=dialog.keep_nvram(),
                confirmed_shared=confirmed,
            )
        except LinkLost as lost:
            self._window.statusBar().clearMessage()
            await report_lost_delete(
                self._window, self._service, target.conn, plan, lost, confirmed
            )
            return None
        except Exception as exc:
            self._window.statusBar().clearMessage()
            show_failure(self._window, self.tr("Could not delete"), classify(exc))
            return None
        self._window.statusBar().clearMessage()
        return outcome
