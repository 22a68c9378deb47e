"""The live picture of a guest's screen, and its keyboard and pointer.

The view paints the session's framebuffer through a ``QImage`` that shares
its memory (no copy per frame) and repaints only the rectangles the server
changed. It scales the picture to fit (keeping its shape) or shows it 1:1 —
one guest pixel per device pixel, so it stays crisp on HiDPI screens.

Keys go to the guest by position (QEMU scancodes) while the view has the
focus; the window's shortcuts and Tab stay out of the way. A guest with a
tablet gets absolute positions; one without gets relative motion, and the
view grabs the pointer on a click until the release combination is pressed
(a hint says which). Focus leaving the view releases every grab and every
key still held in the guest.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kvmdesk.core.display import DisplaySession
from kvmdesk.ui.domain.display.display_keys import keysym, scancode
from kvmdesk.virt.vnc.framebuffer import Rect
from kvmdesk.virt.vnc.rfb import CursorShape


class Scale(enum.Enum):
    FIT = "fit"
    ONE_TO_ONE = "1:1"


class Release(enum.Enum):
    """The keys that release a grabbed pointer (the setting ``display/release``)."""

    CTRL_ALT = "ctrl+alt"
    CTRL_ALT_SHIFT = "ctrl+alt+shift"

    def modifiers(self) -> Qt.KeyboardModifier:
        mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if self is Release.CTRL_ALT_SHIFT:
            mods |= Qt.KeyboardModifier.ShiftModifier
        return mods

    def label(self) -> str:
        return "Ctrl+Alt+Shift" if self is Release.CTRL_ALT_SHIFT else "Ctrl+Alt"


_MODIFIER_KEYS = {Qt.Key.Key_Control.value, Qt.Key.Key_Alt.value, Qt.Key.Key_Shift.value}
_BUTTONS = (
    (Qt.MouseButton.LeftButton, 1),
    (Qt.MouseButton.MiddleButton, 2),
    (Qt.MouseButton.RightButton, 4),
)


class DisplayView(QWidget):
    """Paints a ``DisplaySession``'s screen and sends it keys and pointer events."""

    grabChanged = Signal(bool)
    fullscreenRequested = Signal()  # Ctrl+Alt+F

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: DisplaySession | None = None
        self.scale = Scale.FIT
        self.release = Release.CTRL_ALT
        self.grabbed = False
        self.painted = 0  # paint events that drew the screen, for measurements
        self._image: QImage | None = None
        self._held: set[tuple[int, int]] = set()  # (scancode, keysym) pressed in the guest
        self._buttons = 0
        self._guest_cursor: QCursor | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setAutoFillBackground(True)
        self.hint.setMargin(6)
        self.hint.setVisible(False)

    # -- the session ---------------------------------------------------------------

    def set_session(self, session: DisplaySession | None) -> None:
        if self.session is not None:
            self.release_input()
        self.session = session
        self._image = None
        self._guest_cursor = None
        self.unsetCursor()
        if session is not None:
            session.resized.connect(self._on_resized)
            session.updated.connect(self._on_updated)
            session.cursorChanged.connect(self._on_cursor)
            session.pointerModeChanged.connect(self._on_pointer_mode)
            fb = session.framebuffer
            if fb is not None:
                self._on_resized(fb.width, fb.height)
        self.update()

    def image(self) -> QImage | None:
        """The screen as it is now (a copy), or None before the first picture."""
        return self._image.copy() if self._image is not None else None

    def screen_size(self) -> QSize:
        image = self._image
        return QSize(image.width(), image.height()) if image is not None else QSize()

    def _on_resized(self, width: int, height: int) -> None:
        fb = self.session.framebuffer if self.session is not None else None
        if fb is None:
            return
        self._image = QImage(fb.data, fb.width, fb.height, fb.stride, QImage.Format.Format_RGB32)
        self.updateGeometry()
        if self.scale is Scale.ONE_TO_ONE:
            self.resize(self.sizeHint())
        self.update()

    def _on_updated(self, rects: tuple[Rect, ...]) -> None:
        target = self.target_rect()
        image = self._image
        if image is None or target.isEmpty():
            return
        sx = target.width() / image.width()
        sy = target.height() / image.height()
        for r in rects:
            area = QRectF(target.x() + r.x * sx, target.y() + r.y * sy, r.w * sx, r.h * sy)
            self.update(area.toAlignedRect().adjusted(-1, -1, 1, 1))

    def _on_cursor(self, shape: CursorShape) -> None:
        if shape.width == 0 or shape.height == 0:
            self._guest_cursor = QCursor(Qt.CursorShape.BlankCursor)
        else:
            image = QImage(
                shape.pixels, shape.width, shape.height, shape.width * 4, QImage.Format.Format_RGB32
            ).convertToFormat(QImage.Format.Format_ARGB32)
            row = (shape.width + 7) // 8
            for y in range(shape.height):
                for x in range(shape.width):
                    if not shape.mask[y * row + x // 8] & (0x80 >> (x % 8)):
                        image.setPixelColor(x, y, QColor(0, 0, 0, 0))
            self._guest_cursor = QCursor(QPixmap.fromImage(image), shape.hot_x, shape.hot_y)
        self._apply_cursor()

    def _on_pointer_mode(self, absolute: bool) -> None:
        if absolute and self.grabbed:
            self.release_input()
        self._apply_cursor()

    def _apply_cursor(self) -> None:
        if self.grabbed:
            self.setCursor(Qt.CursorShape.BlankCursor)
        elif self._guest_cursor is not None and self._absolute():
            self.setCursor(self._guest_cursor)
        else:
            self.unsetCursor()

    def _absolute(self) -> bool:
        return self.session.absolute if self.session is not None else True

    # -- geometry and painting ----------------------------------------------------------

    def set_scale(self, scale: Scale) -> None:
        self.scale = scale
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        image = self._image
        if image is None:
            return QSize(640, 480)
        ratio = self.devicePixelRatioF() or 1.0
        return QSize(round(image.width() / ratio), round(image.height() / ratio))

    def target_rect(self) -> QRectF:
        """Where the screen is drawn, in the view's coordinates."""
        image = self._image
        if image is None or image.width() == 0:
            return QRectF()
        ratio = self.devicePixelRatioF() or 1.0
        natural_w, natural_h = image.width() / ratio, image.height() / ratio
        if self.scale is Scale.FIT:
            factor = min(self.width() / natural_w, self.height() / natural_h)
            w, h = natural_w * factor, natural_h * factor
        else:
            w, h = natural_w, natural_h
        x = max(0.0, (self.width() - w) / 2)
        y = max(0.0, (self.height() - h) / 2)
        return QRectF(x, y, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), Qt.GlobalColor.black)
        image = self._image
        if image is not None:
            target = self.target_rect()
            ratio = self.devicePixelRatioF() or 1.0
            if abs(target.width() * ratio - image.width()) > 0.5:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image, QRectF(image.rect()))
            self.painted += 1
        painter.end()
        if self.session is not None and image is not None:
            self.session.framePainted.emit()

    def resizeEvent(self, event: object) -> None:
        self._place_hint()

    # -- pointer ------------------------------------------------------------------------

    def to_screen(self, pos: QPointF) -> QPoint | None:
        """The guest pixel under ``pos`` (view coordinates), or None outside the picture."""
        target = self.target_rect()
        image = self._image
        if image is None or target.isEmpty():
            return None
        x = (pos.x() - target.x()) * image.width() / target.width()
        y = (pos.y() - target.y()) * image.height() / target.height()
        inside = 0 <= x < image.width() and 0 <= y < image.height()
        x = min(max(int(x), 0), image.width() - 1)
        y = min(max(int(y), 0), image.height() - 1)
        return QPoint(x, y) if inside or self._buttons else None

    def _mask(self, buttons: Qt.MouseButton) -> int:
        mask = 0
        for button, bit in _BUTTONS:
            if buttons & button:
                mask |= bit
        return mask

    def _send_absolute(self, pos: QPointF, extra: int = 0) -> None:
        point = self.to_screen(pos)
        if point is not None and self.session is not None:
            self.session.pointer(self._buttons | extra, point.x(), point.y())

    def _centre(self) -> QPoint:
        return self.mapToGlobal(self.rect().center())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self.session is None or not self.session.connected:
            return
        if not self._absolute() and not self.grabbed:
            self.grab_pointer()
            return  # the click that grabs is not the guest's
        self._buttons = self._mask(event.buttons())
        self._send_pointer(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._buttons = self._mask(event.buttons())
        self._send_pointer(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._buttons = self._mask(event.buttons())
        self._send_pointer(event)

    def _send_pointer(self, event: QMouseEvent) -> None:
        session = self.session
        if session is None or not session.connected:
            return
        if self._absolute():
            self._send_absolute(event.position())
        elif self.grabbed:
            centre = self.mapFromGlobal(self._centre())
            ratio = self.devicePixelRatioF() or 1.0
            dx = round((event.position().x() - centre.x()) * ratio)
            dy = round((event.position().y() - centre.y()) * ratio)
            if dx or dy or event.type() != QEvent.Type.MouseMove:
                session.motion(self._buttons, dx, dy)
                QCursor.setPos(self._centre())

    def wheelEvent(self, event: QWheelEvent) -> None:
        session = self.session
        if session is None or not session.connected:
            return
        delta = event.angleDelta()
        bit = 0
        if delta.y():
            bit = 8 if delta.y() > 0 else 16
        elif delta.x():
            bit = 32 if delta.x() > 0 else 64
        if not bit:
            return
        if self._absolute():
            self._send_absolute(event.position(), bit)
            self._send_absolute(event.position())
        elif self.grabbed:
            session.motion(self._buttons | bit, 0, 0)
            session.motion(self._buttons, 0, 0)
        event.accept()

    def grab_pointer(self) -> None:
        """Relative mode: hold the pointer inside the view until released."""
        if self.grabbed:
            return
        self.grabbed = True
        self.grabMouse()
        self.grabKeyboard()
        QCursor.setPos(self._centre())
        self._apply_cursor()
        self.hint.setText(self.tr("Press {0} to release the pointer").format(self.release.label()))
        self._place_hint()
        self.hint.setVisible(True)
        self.hint.raise_()
        self.grabChanged.emit(True)

    def ungrab_pointer(self) -> None:
        if not self.grabbed:
            return
        self.grabbed = False
        self.releaseMouse()
        self.releaseKeyboard()
        self.hint.setVisible(False)
        self._apply_cursor()
        self.grabChanged.emit(False)

    def _place_hint(self) -> None:
        self.hint.adjustSize()
        self.hint.move(max(0, (self.width() - self.hint.width()) // 2), 8)

    # -- keyboard -------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.session is not None:
            event.accept()  # the key is the guest's, not a shortcut of the window
            return True
        return super().event(event)

    def focusNextPrevChild(self, _next: bool) -> bool:
        return False  # Tab goes to the guest

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._release_pressed(event):
            return
        self._key(event, True)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        self._key(event, False)

    def _release_pressed(self, event: QKeyEvent) -> bool:
        mods = event.modifiers()
        wanted = self.release.modifiers()
        if event.key() == Qt.Key.Key_F and mods & wanted == wanted:
            self.release_keys()
            self.fullscreenRequested.emit()
            return True
        if event.key() in _MODIFIER_KEYS and mods == wanted and self.grabbed:
            self.ungrab_pointer()
            self.release_keys()
            return True
        return False

    def _key(self, event: QKeyEvent, down: bool) -> None:
        session = self.session
        if session is None or not session.connected:
            return
        code, sym = scancode(event), keysym(event)
        if not code and not sym:
            return
        if down:
            self._held.add((code, sym))
        elif (code, sym) in self._held:
            self._held.discard((code, sym))
        else:
            held = {k for k in self._held if k[0] == code and code}
            self._held -= held
        session.key(code, sym, down)

    def release_keys(self) -> None:
        """Let go, in the guest, of every key the view pressed there."""
        held, self._held = self._held, set()
        if self.session is not None:
            for code, sym in held:
                self.session.key(code, sym, False)
            if self._buttons:
                self._buttons = 0
                if self._absolute():
                    self._send_absolute(QPointF(self.mapFromGlobal(QCursor.pos())))

    def release_input(self) -> None:
        self.ungrab_pointer()
        self.release_keys()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.release_input()
        super().focusOutEvent(event)
