"""The Screenshot tab: the selected domain's screen, refreshed while visible.

Frames come from a ``core.screenshots.ScreenshotFeed`` (captured and decoded
off the GUI thread); this widget turns them into images, scales them to fit
with the aspect kept (or shows them pixel for pixel with "1:1"), says how
old the picture is, and saves or copies it. Captures run only while the tab
is visible and the window is not minimised (``set_shown``).
"""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QImage,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import plain_tooltip
from kvmdesk.core.screenshots import (
    DEFAULT_INTERVAL,
    NOT_RUNNING,
    Frame,
    ScreenshotFeed,
)
from kvmdesk.ui.message_page import MessagePage
from kvmdesk.ui.widgets import dim, plain_label
from kvmdesk.virt.screenshot import to_png


def frame_image(frame: Frame) -> QImage:
    """A QImage that owns its pixels (the frame's bytes are only borrowed)."""
    image = QImage(frame.rgb, frame.width, frame.height, frame.stride, QImage.Format.Format_RGB888)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def file_name_part(text: str) -> str:
    """``text`` made safe as part of a file name (no separators, no dot files)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("._")
    return safe[:80] or "screenshot"


def age_text(seconds: float) -> str:
    if seconds < 1.5:
        return "captured just now"
    if seconds < 90:
        return f"captured {round(seconds)} s ago"
    if seconds < 90 * 60:
        return f"captured {round(seconds / 60)} min ago"
    return f"captured {round(seconds / 3600)} h ago"


class ScreenCanvas(QWidget):
    """Paints one image, scaled smoothly to fit (aspect kept) or at native size.

    The scaled copy is made at device pixels and tagged with the device
    pixel ratio, so the picture is crisp on HiDPI screens. At native size one
    guest pixel is one device pixel.
    """

    MARGIN = 8  # logical pixels around the picture when it is scaled to fit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._native = False
        self._cache: QPixmap | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._cache = None
        self._fit_native_size()
        self.update()

    def set_native(self, native: bool) -> None:
        self._native = native
        self._cache = None
        self._fit_native_size()
        self.update()

    def native_size(self) -> QSize:
        """The image's size in logical pixels when shown 1:1."""
        ratio = self.devicePixelRatioF() or 1.0
        return QSize(round(self._image.width() / ratio), round(self._image.height() / ratio))

    def _fit_native_size(self) -> None:
        if self._native and not self._image.isNull():
            self.setFixedSize(self.native_size())
        else:
            self.setMinimumSize(0, 0)
            self.setMaximumSize(16777215, 16777215)

    def pixmap(self) -> QPixmap:
        """What is painted: the image scaled for the current size and mode."""
        ratio = self.devicePixelRatioF() or 1.0
        if self._cache is not None and self._cache.devicePixelRatio() == ratio:
            return self._cache  # (a window moved to another screen has another ratio)
        if self._image.isNull():
            pixmap = QPixmap()
        elif self._native:
            pixmap = QPixmap.fromImage(self._image)
        else:
            room = self.size().shrunkBy(QMargins(*(self.MARGIN,) * 4))
            target = QSize(round(room.width() * ratio), round(room.height() * ratio))
            if target.isEmpty():
                return QPixmap()
            scaled = self._image.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self._cache = pixmap
        return pixmap

    def resizeEvent(self, event: QResizeEvent) -> None:
        if not self._native:
            self._cache = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        pixmap = self.pixmap()
        if pixmap.isNull():
            return
        size = pixmap.deviceIndependentSize().toSize()
        at = QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2)
        QPainter(self).drawPixmap(at, pixmap)


class ScreenshotView(QWidget):
    """Toolbar (Save Screenshot…, Copy, 1:1, age) over the guest's screen."""

    def __init__(self, interval: float = DEFAULT_INTERVAL, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feed = ScreenshotFeed(interval, parent=self)
        self.feed.frame.connect(self._on_frame)
        self.feed.failed.connect(self._on_failed)
        self._frame: Frame | None = None
        self._shown = False  # the tab is the current one
        self._window: QWidget | None = None

        self.save_button = QToolButton()
        self.save_button.setText(self.tr("Save Screenshot…"))
        self.save_button.clicked.connect(self.save)
        self.copy_button = QToolButton()
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        self.native_button = QToolButton()
        self.native_button.setText(self.tr("1:1"))
        self.native_button.setCheckable(True)
        self.native_button.setToolTip(self.tr("Show the screen pixel for pixel"))
        self.native_button.toggled.connect(self.set_native)
        self.age = dim(plain_label(selectable=False, wrap=False))
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        for button in (self.save_button, self.copy_button, self.native_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAutoRaise(True)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.age)

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_age)
        self._reset(self.tr("No virtual machine selected."))

    # -- what to show -------------------------------------------------------

    @property
    def frame(self) -> Frame | None:
        return self._frame

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is not self.feed.connection or uuid != self.feed.uuid:
            self._reset(self.tr("Waiting for the first picture…"))
        self.feed.set_domain(conn, uuid)

    def clear(self) -> None:
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
        self.canvas.set_image(frame_image(frame))
        self.canvas.setToolTip(plain_tooltip(f"{frame.name} — {frame.width}×{frame.height}"))
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
        self._reset(reason, hint)

    def _show_age(self) -> None:
        if self._frame is not None:
            self.age.setText(age_text(self._frame.age(time.monotonic())))

    def _enable_actions(self) -> None:
        has = self._frame is not None
        self.save_button.setEnabled(has)
        self.copy_button.setEnabled(has)
        self.native_button.setEnabled(has)

    # -- save and copy ---------------------------------------------------------

    def save(self) -> None:
        frame = self._frame
        if frame is None:
            return
        stamp = frame.taken_at.astimezone().strftime("%Y%m%d-%H%M%S")
        suggested = str(Path.home() / f"{file_name_part(frame.name)}-{stamp}.png")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save Screenshot"), suggested, self.tr("PNG images (*.png)")
        )
        if not path:
            return
        try:
            self.save_to(path, frame)
        except OSError as exc:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Save Screenshot"))
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(self.tr("The screenshot was not saved: {0}").format(exc.strerror or exc))
            box.open()

    def save_to(self, path: str | Path, frame: Frame | None = None) -> None:
        """Write ``frame`` (the latest one by default) as a PNG at native
        resolution, with its domain, URI and time as text chunks."""
        frame = frame or self._frame
        if frame is None:
            raise ValueError("no screenshot to save")
        image = Image.frombytes("RGB", (frame.width, frame.height), frame.rgb)
        Path(path).write_bytes(to_png(image, dict(frame.metadata)))

    def copy(self) -> None:
        if self._frame is not None:
            QGuiApplication.clipboard().setImage(frame_image(self._frame))

    # -- visibility ----------------------------------------------------------------

    def _minimised(self) -> bool:
        return bool(self.window().windowState() & Qt.WindowState.WindowMinimized)

    def _update_active(self) -> None:
        self.feed.set_active(self._shown and self.isVisible() and not self._minimised())

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
        self._update_active()
