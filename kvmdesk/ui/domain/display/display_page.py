"""The Display tab: the selected domain's screen, live, with keyboard and pointer.

A tab of its own rather than a live mode of the Screenshot tab: the
Screenshot tab is for still pictures of any guest (SPICE ones too, and
over a thin link), taken as often as its interval says, with delayed and
batch captures; the Display tab holds a live session with grabs, focus and
reconnecting — two ways of use that would fight over one toolbar and one
keyboard. The session opens while the tab is visible and closes when it is
hidden or points elsewhere, as the Console tab does.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
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

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.display import DisplaySession, DisplayState, Opener
from kvmdesk.core.display_channel import open_channel
from kvmdesk.core.settings import Settings
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.message_page import MessagePage
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.display.display_actions import DisplayActions
from kvmdesk.ui.domain.display.display_texts import connected_text, state_texts
from kvmdesk.ui.domain.display.display_view import DisplayView, Release, Scale
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu
from kvmdesk.ui.domain.session_page import LiveSessions, followed

log = logging.getLogger(__name__)


class DisplayPage(QWidget):
    """Status, scale, full screen, Send Key, Screenshot and clipboard over the live view."""

    def __init__(self, parent: QWidget | None = None, opener: Opener = open_channel) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._shown = False
        self._opener = opener
        self._settings: Settings | None = None
        self._tasks = TaskSet("display action", log)
        self.dialogs = DisplayActions(self)
        self._fullscreen: QWidget | None = None
        self.session: DisplaySession | None = None
        self._live = LiveSessions(self)

        self.status = plain_label(selectable=False, wrap=False)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scale_box = QComboBox()
        self.scale_box.addItem(self.tr("Scale to Fit"), Scale.FIT.value)
        self.scale_box.addItem(self.tr("1:1"), Scale.ONE_TO_ONE.value)
        self.scale_box.setToolTip(
            self.tr("Scale the screen to the window, or one guest pixel per pixel")
        )
        self.fullscreen_button = QToolButton()
        self.fullscreen_button.setText(self.tr("&Full Screen"))
        self.fullscreen_button.setToolTip(
            self.tr("Show the screen on the whole monitor (Ctrl+Alt+F)")
        )
        self.send_key_button = QToolButton()
        self.send_key_button.setText(self.tr("Send &Key"))
        self.send_key_button.setMenu(SendKeysMenu(self.target, self))
        self.send_key_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.screenshot_button = QToolButton()
        self.screenshot_button.setText(self.tr("Screens&hot"))
        menu = QMenu(self.screenshot_button)
        self.save_action = menu.addAction(self.tr("&Save Screenshot…"))
        self.copy_action = menu.addAction(self.tr("&Copy Screenshot"))
        self.screenshot_button.setMenu(menu)
        self.screenshot_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Options that matter seldom: kept out of the way in a menu.
        self.options_button = QToolButton()
        self.options_button.setText(self.tr("&Options"))
        options = QMenu(self.options_button)
        self.clipboard_action = options.addAction(self.tr("Share c&lipboard"))
        self.clipboard_action.setCheckable(True)
        self.clipboard_action.setToolTip(
            self.tr(
                "Text copied here is offered to the guest, and text the guest copies comes here"
            )
        )
        options.setToolTipsVisible(True)
        options.addSection(self.tr("Release the pointer with"))
        self.release_actions = QActionGroup(options)
        for release in Release:
            action = options.addAction(release.label())
            action.setCheckable(True)
            action.setData(release.value)
            self.release_actions.addAction(action)
        self.options_button.setMenu(options)
        self.options_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        bar.setSpacing(10)
        bar.addStretch(1)
        bar.addWidget(self.scale_box)
        bar.addWidget(self.fullscreen_button)
        bar.addWidget(self.screenshot_button)
        bar.addWidget(self.send_key_button)
        bar.addWidget(self.options_button)

        self.view = DisplayView()
        self.scroller = QScrollArea()
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setWidget(self.view)
        self.scroller.setWidgetResizable(True)
        self.scroller.setBackgroundRole(self.scroller.backgroundRole())
        self.message = MessagePage()
        self.add_button = QPushButton(self.tr("&Add VNC Display…"))
        self.add_button.setToolTip(
            self.tr("Add a VNC display to the definition; it takes effect at the next boot")
        )
        self.password_button = QPushButton(self.tr("Enter &Password…"))
        self.retry_button = QPushButton(self.tr("&Try Again"))
        self.take_over_button = QPushButton(self.tr("Take &Over Display…"))
        self.take_over_button.setToolTip(
            self.tr("Connect exclusively; the other client is disconnected")
        )
        self.viewer_button = QPushButton(self.tr("Open in &virt-viewer"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (
            self.add_button,
            self.password_button,
            self.retry_button,
            self.take_over_button,
            self.viewer_button,
        ):
            button.setVisible(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        holder = self.message.headline.parentWidget()
        box = holder.layout() if holder is not None else None
        if isinstance(box, QVBoxLayout):
            box.addSpacing(6)
            box.addLayout(buttons)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroller)
        self.stack.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(10, 0, 10, 6)
        status_row.addWidget(self.status, 1)
        layout.addLayout(bar)
        layout.addLayout(status_row)
        layout.addWidget(self.stack, 1)

        self.scale_box.activated.connect(self._on_scale_chosen)
        self.release_actions.triggered.connect(self._on_release_chosen)
        self.fullscreen_button.clicked.connect(self.toggle_fullscreen)
        self.view.fullscreenRequested.connect(self.toggle_fullscreen)
        self.save_action.triggered.connect(lambda: self._spawn(self.save()))
        self.copy_action.triggered.connect(self.copy)
        self.clipboard_action.toggled.connect(self._on_clipboard_toggled)
        self.add_button.clicked.connect(lambda: self._spawn(self.add_display()))
        self.password_button.clicked.connect(lambda: self._spawn(self.ask_password()))
        self.retry_button.clicked.connect(self._retry)
        self.take_over_button.clicked.connect(lambda: self._spawn(self.take_over()))
        self.viewer_button.clicked.connect(self.dialogs.open_viewer)
        self._set_release(Release.CTRL_ALT)
        self._show_state()

    # -- settings -------------------------------------------------------------

    def use_settings(self, settings: Settings) -> None:
        self._settings = settings
        self._set_release(Release(settings.display_release))

    def _set_release(self, release: Release) -> None:
        self.view.release = release
        for action in self.release_actions.actions():
            action.setChecked(action.data() == release.value)

    def _on_release_chosen(self, action: QAction) -> None:
        release = Release(str(action.data()))
        self._set_release(release)
        if self._settings is not None:
            self._settings.display_release = release.value
            self._settings.sync()

    # -- pointing at a domain ---------------------------------------------------

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is self._conn and uuid == self._uuid:
            return
        self._close_session()
        self._conn, self._uuid = conn, uuid
        self._sync()

    def clear(self) -> None:
        self._close_session()
        self._conn = self._uuid = None
        self._show_state()

    def set_shown(self, shown: bool) -> None:
        self._shown = shown
        self._sync()

    def target(self) -> tuple[Connection, str] | None:
        return followed(self._conn, self._uuid)

    def _sync(self) -> None:
        conn, uuid = self._conn, self._uuid
        wanted = self._shown and conn is not None and uuid is not None and shiboken6.isValid(conn)
        if not wanted:
            self._close_session()
            self._show_state()
            return
        if self.session is not None:
            return
        assert conn is not None and uuid is not None
        session = DisplaySession(conn, uuid, opener=self._opener)
        self._live.add(session)
        session.stateChanged.connect(self._show_state)
        session.serverText.connect(self._on_server_text)
        self.session = session
        self.view.set_session(session)
        session.start()
        self._show_state()

    def _close_session(self) -> None:
        session, self.session = self.session, None
        if self._fullscreen is not None:
            self.toggle_fullscreen()
        self.view.set_session(None)
        if session is None:
            return
        self._live.release(session, (session.stateChanged, session.serverText))

    # -- what the session says ----------------------------------------------------

    def _show_state(self) -> None:
        session = self.session
        state = session.state if session is not None else DisplayState.IDLE
        reason = session.reason if session is not None else ""
        connected = state is DisplayState.CONNECTED
        status, headline, hint = self._texts(state, reason)
        self.status.setText(status)
        self.status.setToolTip(messages.plain_tooltip(status) if status else "")
        for widget in (self.scale_box, self.fullscreen_button, self.screenshot_button):
            widget.setEnabled(connected)
        self.add_button.setVisible(state in (DisplayState.NO_DISPLAY, DisplayState.SPICE_ONLY))
        self.password_button.setVisible(
            state in (DisplayState.PASSWORD_NEEDED, DisplayState.AUTH_FAILED)
        )
        self.retry_button.setVisible(
            state in (DisplayState.AUTH_FAILED, DisplayState.UNREACHABLE, DisplayState.DISCONNECTED)
        )
        self.take_over_button.setVisible(state is DisplayState.TAKEN)
        self.viewer_button.setVisible(
            state is DisplayState.SPICE_ONLY and shutil.which("virt-viewer") is not None
        )
        if connected or not headline:
            self.stack.setCurrentWidget(self.scroller)
        else:
            self.message.show_message(headline, hint)
            self.stack.setCurrentWidget(self.message)
        if connected and self.isVisible() and self.window().isActiveWindow():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _texts(self, state: DisplayState, reason: str) -> tuple[str, str, str]:
        """The status line, and the headline and hint shown instead of the screen."""
        session = self.session
        fb = session.framebuffer if session is not None else None
        if state is DisplayState.CONNECTED and session is not None and fb is not None:
            return connected_text(fb.width, fb.height, session.absolute, self.view.release), "", ""
        return state_texts(state, reason, self._conn is not None)

    # -- view controls ----------------------------------------------------------------

    def _on_scale_chosen(self, index: int) -> None:
        self.set_scale(Scale(str(self.scale_box.itemData(index))))

    def set_scale(self, scale: Scale) -> None:
        self.scale_box.setCurrentIndex(self.scale_box.findData(scale.value))
        self.scroller.setWidgetResizable(scale is Scale.FIT)
        self.view.set_scale(scale)
        if scale is Scale.ONE_TO_ONE:
            self.view.resize(self.view.sizeHint())

    def toggle_fullscreen(self) -> None:
        window = self._fullscreen
        if window is None:
            if self.session is None or not self.session.connected:
                return
            window = QWidget(None, Qt.WindowType.Window)
            window.setWindowTitle(self.tr("Display"))
            box = QVBoxLayout(window)
            box.setContentsMargins(0, 0, 0, 0)
            self.stack.removeWidget(self.scroller)
            box.addWidget(self.scroller)
            self._fullscreen = window
            self._leave = QShortcut(QKeySequence("Ctrl+Alt+F"), window)
            self._leave.activated.connect(self.toggle_fullscreen)
            window.showFullScreen()
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._fullscreen = None
        self.stack.insertWidget(0, self.scroller)
        self._show_state()
        window.close()
        window.deleteLater()

    @property
    def fullscreen(self) -> bool:
        return self._fullscreen is not None

    # -- screenshot of the live view ---------------------------------------------------

    def copy(self) -> None:
        image = self.view.image()
        if image is not None:
            QGuiApplication.clipboard().setImage(image)

    async def save(self) -> Path | None:
        return await self.dialogs.save()

    # -- clipboard ------------------------------------------------------------------------

    def _on_clipboard_toggled(self, on: bool) -> None:
        clipboard = QGuiApplication.clipboard()
        if on:
            clipboard.dataChanged.connect(self._offer_clipboard)
            self._offer_clipboard()
        else:
            with contextlib.suppress(RuntimeError, TypeError):
                clipboard.dataChanged.disconnect(self._offer_clipboard)

    def _offer_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if self.session is not None and text:
            self.session.send_text(text)

    def _on_server_text(self, text: str) -> None:
        if self.clipboard_action.isChecked():
            QGuiApplication.clipboard().setText(text)

    # -- actions ------------------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    def _retry(self) -> None:
        if self.session is not None:
            self.session.retry()

    async def ask_password(self) -> None:
        await self.dialogs.ask_password()

    async def add_display(self) -> None:
        await self.dialogs.add_display()

    async def take_over(self) -> None:
        await self.dialogs.take_over()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self.view.release_input()
