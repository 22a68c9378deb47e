"""Composition root: one QApplication, one qasync loop, the services, the window.

Order matters: the asyncio loop must exist before libvirt's event
implementation is registered, and that must happen before the first
``libvirt.open``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from kvmdesk.core.actions import ActionService
from kvmdesk.core.askpass_log import AskpassLog, watch_askpass
from kvmdesk.core.credentials import CredentialBroker
from kvmdesk.core.eventloop import register_once
from kvmdesk.core.install_watch import InstallWatcher
from kvmdesk.core.jobs import JobService
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.preferences import Preferences
from kvmdesk.core.settings import Settings
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.core.sshenv import configure_askpass
from kvmdesk.core.timing import Timing
from kvmdesk.core.tree_layout import TreeLayout
from kvmdesk.models.icons import icon
from kvmdesk.paths import TRANSLATIONS, demo_uri
from kvmdesk.ui.common.focus_ring import FocusRing
from kvmdesk.ui.connection import credentials_dialog
from kvmdesk.ui.main import command_log_dock, demo_banner, install_notices, preferences_apply
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.ui.main.preferences_apply import PreferencesApplier
from kvmdesk.ui.main.startup import show_on_start
from kvmdesk.ui.main.startup_request import StartupView
from kvmdesk.virt.errors import silence_stderr_printing

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    manager: ConnectionManager
    actions: ActionService
    window: MainWindow
    broker: CredentialBroker
    installs: InstallWatcher
    jobs: JobService
    preferences: PreferencesApplier
    focus_ring: FocusRing


GIL_SWITCH_S = 0.001


def build(
    settings: Settings, timing: Timing | None = None, askpass: AskpassLog | None = None
) -> Services:
    """Create services and the main window; the loop must already be running."""
    # Workers build records from libvirt's answers in Python; the GUI thread
    # waits up to one switch interval for the interpreter lock before each
    # of its callbacks (5 ms by default, a third of a frame).
    sys.setswitchinterval(GIL_SWITCH_S)
    timing = timing or Timing(stats_interval=settings.stats_interval)
    broker = CredentialBroker()
    manager = ConnectionManager(settings, timing, broker, askpass)
    actions = ActionService(settings)
    window = MainWindow(manager, actions)
    window.attach_layout(TreeLayout(settings, window))
    window.details.screenshot_tab.use_settings(settings)
    window.details.display_tab.use_settings(settings)
    jobs = JobService()
    window.attach_jobs(jobs, SnapshotService(jobs, settings.snapshot_screens_dir()))
    command_log_dock.attach(window, manager.command_log, settings)
    credentials_dialog.attach(broker, window)
    installs = InstallWatcher(manager, settings, actions)
    install_notices.attach(installs, window)
    demo_banner.attach(manager, window, window.add_conn)
    ring = FocusRing(window)  # follows the focus into the dialogs too
    prefs = preferences_apply.attach(Preferences(settings, window), window, manager, timing)
    # What exists now (modules, Qt wrappers, the window) lives as long as the
    # process: out of the collector's generations, a full collection while
    # a worker builds 10,000 records no longer walks it holding the lock.
    gc.freeze()
    return Services(settings, manager, actions, window, broker, installs, jobs, prefs, ring)


def install_translations(app: QCoreApplication, locale: QLocale) -> list[QTranslator]:
    """Qt's own strings (qtbase) and kvmdesk's, in the user's language.

    English comes first as the fallback: it holds only the plural forms
    ("1 virtual machine", "2 virtual machines") of the source texts. A
    translator installed later is asked first.
    """
    installed = []
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(locale, "qtbase", "_", qt_dir):
        installed.append(qt)
    english = QTranslator(app)
    if english.load("kvmdesk_en", str(TRANSLATIONS)):
        installed.append(english)
    own = QTranslator(app)
    if own.load(locale, "kvmdesk", "_", str(TRANSLATIONS)) and own.language() != "en":
        installed.append(own)
    for translator in installed:
        app.installTranslator(translator)
    return installed


def run_gui(
    uris: list[str],
    *,
    allow_unsafe: bool = False,
    demo: bool = False,
    config: Path | None = None,
    startup: StartupView | None = None,
    qt_args: list[str] | None = None,
) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *(qt_args or [])])
    assert isinstance(app, QApplication)
    app.setApplicationName("kvmdesk")
    app.setOrganizationName("kvmdesk")
    app.setDesktopFileName("kvmdesk")
    app.setWindowIcon(icon("kvmdesk"))
    install_translations(app, QLocale.system())
    configure_askpass()
    askpass = watch_askpass()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    silence_stderr_printing()

    services = build(Settings(config), askpass=askpass)
    services.window.show()
    services.manager.restore(uris, allow_unsafe=allow_unsafe)
    if demo:
        services.manager.add(demo_uri(), persist=False).open()
    background: list[asyncio.Future[None]] = []
    if startup is not None:
        background.append(
            asyncio.ensure_future(show_on_start(services.window, services.manager, startup))
        )

    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        loop.run_until_complete(quitting.wait())
        for task in background:
            task.cancel()
        services.jobs.shutdown()
        loop.run_until_complete(services.manager.shutdown())
    if askpass is not None:
        askpass.close()
    return 0
