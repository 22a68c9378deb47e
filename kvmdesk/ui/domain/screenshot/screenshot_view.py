"""The Screenshot tab: the selected domain's screen, refreshed while visible.

Frames come from a ``core.screenshots.ScreenshotFeed`` (captured and decoded
off the GUI thread); the canvas (``screen_canvas``) scales them to fit with
the aspect kept, or shows them pixel for pixel with "1:1", crisp on HiDPI
screens. The toolbar saves and copies the picture, sends keys (``send_keys``)
and, with "Keyboard" on, the key presses on the canvas (``key_capture``);
"More" captures after a delay or captures every running domain of the
connection into a folder (``screenshot_jobs``); the interval control sets
how often the picture is refreshed (saved in the settings when the view has
them, see ``use_settings``). A status line under the toolbar says how old the
picture is and shows countdowns and progress. Captures run only while the
tab is visible and the window is not minimised (``set_shown``).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QHideEvent,
    QImage,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.capture_all import CaptureAll
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import plain_tooltip
from kvmdesk.core.screenshots import (
    DEFAULT_INTERVAL,
    NOT_RUNNING,
    Frame,
    ScreenshotFeed,
)
from kvmdesk.core.settings import Settings
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import show_failure
from kvmdesk.ui.common.message_page import MessagePage
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.screenshot.key_capture import RELEASE_KEYS, KeyForwarder
from kvmdesk.ui.domain.screenshot.screen_canvas import (
    ScreenCanvas,
    age_text,
    file_name_part,
    frame_image,
    owned_image,
)
from kvmdesk.ui.domain.screenshot.screenshot_jobs import CaptureTools
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu
from kvmdesk.virt.errors import Failure
from kvmdesk.virt.screenshot.naming import DEFAULT_TEMPLATE
from kvmdesk.virt.shown import shown

__all__ = ["ScreenCanvas", "ScreenshotView", "age_text", "file_name_part", "frame_image"]


INTERVALS = (0.25, 0.5, 1.0, 2.0, 5.0)
"""Choices of the interval control, in seconds."""

DELAYS = (3, 5, 10)
"""Choices of "Capture in N s", in seconds."""


def interval_text(seconds: float) -> str:
    return f"{seconds:g} s"


class ScreenshotView(CaptureTools, QWidget):
    """Toolbar (Save, Copy, 1:1, Send Key, keyboard, More, interval) over the
    guest's screen, with a status line for age, countdowns and progress."""

    def __init__(
        self,
        interval: float = DEFAULT_INTERVAL,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings: Settings | None = None
        self.feed = ScreenshotFeed(interval, parent=self)
        self.feed.frame.connect(self._on_frame)
        self.feed.failed.connect(self._on_failed)
        self._frame: Frame | None = None
        self._shown = False  # the tab is the current one
        self._window: QWidget | None = None
        self._tasks = TaskSet("screenshot job")
        self._job: asyncio.Future[Any] | None = None  # a delayed capture or a capture-all
        self._capture_all: CaptureAll | None = None
        self._ask_folder: Path | None = None
        self.name_template = DEFAULT_TEMPLATE  # Capture All's file names (Preferences)
        self.release_text = "Ctrl+Alt+Shift"

        self.save_button = self._tool(self.tr("Save…"), self.tr("Save the screenshot as PNG"))
        self.save_button.clicked.connect(self.save)
        self.copy_button = self._tool(self.tr("Copy"), self.tr("Copy the screenshot"))
        self.copy_button.clicked.connect(self.copy)
        self.native_button = self._tool(self.tr("1:1"), self.tr("Show the screen pixel for pixel"))
        self.native_button.setCheckable(True)
        self.native_button.toggled.connect(self.set_native)

        self.send_menu = SendKeysMenu(self.target, self)
        self.send_button = self._tool(self.tr("Send Key"), self.tr("Send keys to the guest"))
        self.send_button.setMenu(self.send_menu)
        self.send_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.keyboard_button = self._tool(
            self.tr("Keyboard"),
            self.tr("Send keyboard input to the guest while the screen has focus"),
        )
        self.keyboard_button.setCheckable(True)
        self.keyboard_button.toggled.connect(self.set_keyboard_input)

        self.more_menu = QMenu(self)
        self.delay_menu = self.more_menu.addMenu(self.tr("Capture After a Delay"))
        self.delay_actions: dict[int, QAction] = {}
        for seconds in DELAYS:
            action = self.delay_menu.addAction(self.tr("Capture in {0} s…").format(seconds))
            action.triggered.connect(lambda _c=False, s=seconds: self.start_delayed_capture(s))
            self.delay_actions[seconds] = action
        self.capture_all_action = self.more_menu.addAction(self.tr("Capture All Running…"))
        self.capture_all_action.triggered.connect(self.start_capture_all)
        self.more_button = self._tool(self.tr("More"), self.tr("More ways to capture"))
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.interval_box = QComboBox()
        self.interval_box.setToolTip(self.tr("How often the picture is refreshed"))
        self.interval_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for every in INTERVALS:
            self.interval_box.addItem(self.tr("every {0}").format(interval_text(every)), every)
        self._show_interval(self.feed.interval)
        self.interval_box.activated.connect(self._interval_chosen)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        bar.setSpacing(2)
        for button in (
            self.save_button,
            self.copy_button,
            self.native_button,
            self.send_button,
            self.keyboard_button,
            self.more_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.interval_box)

        self.status = plain_label(selectable=False, wrap=False)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setFlat(True)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_job)
        self.age = dim(plain_label(selectable=False, wrap=False))
        line = QHBoxLayout()
        line.setContentsMargins(12, 0, 12, 4)
        line.addWidget(self.status, 1)
        line.addWidget(self.cancel_button)
        line.addWidget(self.age)

        self.canvas = ScreenCanvas()
        self.area = QScrollArea()
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidgetResizable(True)
        self.area.setWidget(self.canvas)
        self.message = MessagePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.area)
        self.keys = KeyForwarder(self.canvas, self.target, self)
        self.keys.released.connect(lambda: self.set_keyboard_input(False))
        self.keys.failed.connect(self._keys_failed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addLayout(line)
        layout.addWidget(self.stack, 1)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_age)
        self._reset(self.tr("No virtual machine selected."))
        if settings is not None:
            self.use_settings(settings)

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(True)
        return button

    # -- settings -----------------------------------------------------------

    def use_settings(self, settings: Settings) -> None:
        """Take the interval from ``settings`` and save it there when changed."""
        self._settings = settings
        self.set_interval(settings.screenshot_interval, save=False)

    def set_release_keys(self, name: str, text: str) -> None:
        """The keys that give the keyboard back (Preferences), and how to say them."""
        self.keys.release = RELEASE_KEYS[name]
        self.release_text = text
        if self.keys.enabled:
            self._show_status()

    def set_folder(self, folder: Path) -> None:
        """Where Save and Capture All first look (Preferences)."""
        self._ask_folder = folder

    def set_interval(self, seconds: float, save: bool = True) -> None:
        seconds = min(60.0, max(0.2, float(seconds)))
        self.feed.interval = seconds
        self._show_interval(seconds)
        if save and self._settings is not None:
            self._settings.screenshot_interval = seconds
            self._settings.sync()

    def _show_interval(self, seconds: float) -> None:
        index = self.interval_box.findData(seconds)
        if index < 0:  # a value from the settings file that is not offered
            self.interval_box.addItem(self.tr("every {0}").format(interval_text(seconds)), seconds)
            index = self.interval_box.count() - 1
        self.interval_box.setCurrentIndex(index)

    def _interval_chosen(self, index: int) -> None:
        self.set_interval(float(self.interval_box.itemData(index)))

    # -- what to show -------------------------------------------------------

    @property
    def frame(self) -> Frame | None:
        return self._frame

    def target(self) -> tuple[Connection, str] | None:
        """The shown domain, while it runs on an open connection."""
        conn, uuid = self.feed.connection, self.feed.uuid
        if conn is None or uuid is None or not shiboken6.isValid(conn) or not conn.is_connected:
            return None
        record = conn.domains.get(uuid)
        if record is None or not record.state.is_active:
            return None
        return conn, uuid

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is not self.feed.connection or uuid != self.feed.uuid:
            self.set_keyboard_input(False)
            self._reset(self.tr("Waiting for the first picture…"))
        self.feed.set_domain(conn, uuid)

    def clear(self) -> None:
        self.set_keyboard_input(False)
        self.feed.clear()
        self._reset(self.tr("No virtual machine selected."))

    def set_shown(self, shown: bool) -> None:
        """The tab is (or is no longer) the current one."""
        self._shown = shown
        self._update_active()

    def set_native(self, native: bool) -> None:
        if self.native_button.isChecked() != native:
            self.native_button.setChecked(native)  # comes back here through toggled
            return
        self.area.setWidgetResizable(not native)
        self.canvas.set_native(native)
        if not native:
            self.canvas.resize(self.area.viewport().size())

    # -- keyboard ---------------------------------------------------------------

    def set_keyboard_input(self, on: bool) -> None:
        """Send the key presses on the screen to the guest (or stop)."""
        on = bool(on) and self.target() is not None
        if self.keyboard_button.isChecked() != on:
            self.keyboard_button.setChecked(on)  # comes back here through toggled
            return
        self.keys.set_enabled(on)
        self._show_status()

    def _keys_failed(self, failure: Failure) -> None:
        self.set_keyboard_input(False)
        show_failure(self, self.tr("Keyboard input was not sent"), failure)

    # -- feed --------------------------------------------------------------

    def _reset(self, headline: str, hint: str = "") -> None:
        self._frame = None
        self.canvas.set_image(QImage())
        self.message.show_message(headline, hint)
        self.stack.setCurrentWidget(self.message)
        self._ticker.stop()
        self.age.setText("")
        self._enable_actions()

    def _on_frame(self, frame: Frame) -> None:
        self._frame = frame
        self.canvas.set_frame(frame)
        self.canvas.setToolTip(plain_tooltip(f"{shown(frame.name)} — {frame.width}×{frame.height}"))
        self.stack.setCurrentWidget(self.area)
        self._show_age()
        self._ticker.start()
        self._enable_actions()

    def _on_failed(self, reason: str) -> None:
        hint = ""
        if reason == NOT_RUNNING:
            hint = self.tr("Its screen is shown here while it runs.")
        elif self.feed.retrying:
            hint = self.tr("kvmdesk tries again while this tab is open.")
        self.set_keyboard_input(False)
        self._reset(reason, hint)

    def _show_age(self) -> None:
        if self._frame is not None:
            self.age.setText(age_text(self._frame.age(time.monotonic())))

    def _enable_actions(self) -> None:
        has = self._frame is not None
        self.save_button.setEnabled(has)
        self.copy_button.setEnabled(has)
        self.native_button.setEnabled(has)
        running = self.target() is not None
        idle = self._job is None or self._job.done()
        self.send_button.setEnabled(running)
        self.keyboard_button.setEnabled(running)
        for action in self.delay_actions.values():
            action.setEnabled(running and idle)
        self.capture_all_action.setEnabled(
            idle and self.feed.connection is not None and self.feed.connection.is_connected
        )

    def _show_status(self, text: str = "", cancellable: bool = False) -> None:
        if not text and self.keys.enabled:
            text = self.tr("Keys go to the guest. {0} gives them back.").format(self.release_text)
        self.status.setText(text)
        self.status.setToolTip(plain_tooltip(text) if text else "")
        self.cancel_button.setVisible(cancellable)

    # -- copy ---------------------------------------------------------------------

    def copy(self) -> None:
        if self._frame is not None:
            QGuiApplication.clipboard().setImage(owned_image(self._frame))

    # -- visibility ----------------------------------------------------------------

    def _minimised(self) -> bool:
        return bool(self.window().windowState() & Qt.WindowState.WindowMinimized)

    def _update_active(self) -> None:
        self.feed.set_active(self._shown and self.isVisible() and not self._minimised())
        self._enable_actions()

    def _follow_window(self) -> None:
        window = self.window()
        if window is self._window:
            return
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.WindowStateChange:
            self._update_active()
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow_window()
        self._update_active()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.set_keyboard_input(False)
        self._update_active()
