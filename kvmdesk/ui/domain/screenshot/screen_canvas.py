"""The guest's screen as a widget: a frame painted scaled to fit or 1:1.

Crisp on HiDPI screens: the scaled copy is made at device pixels and tagged
with the device pixel ratio.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.core.screenshots import Frame
from kvmdesk.virt.shown import reveal


def frame_image(frame: Frame) -> QImage:
    """A QImage on the frame's own pixels, no copy: it is valid while the
    frame is kept (``ScreenCanvas.set_frame`` keeps it). An 8K frame is
    99.5 MB; a converted copy would add 133 MB."""
    return QImage(frame.rgb, frame.width, frame.height, frame.stride, QImage.Format.Format_RGB888)


def owned_image(frame: Frame) -> QImage:
    """A QImage with pixels of its own (for the clipboard, which outlives frames)."""
    return frame_image(frame).copy()


STRIP_PIXELS = 2_000_000  # source pixels scaled at once


def scaled_in_strips(image: QImage, fit: QSize) -> QImage:
    """``image`` scaled to ``fit``, a strip of rows at a time.

    Qt converts an RGB888 image to a 4-bytes-a-pixel copy before scaling it
    smoothly: 133 MB for an 8K screen, at every refresh. Strip by strip the
    copy is a few megabytes. Shrinking is smoothed; enlarging keeps the
    guest's pixels sharp.
    """
    smooth = fit.width() < image.width()
    mode = (
        Qt.TransformationMode.SmoothTransformation
        if smooth
        else Qt.TransformationMode.FastTransformation
    )
    if image.width() * image.height() <= STRIP_PIXELS or fit.isEmpty():
        return image.scaled(fit, Qt.AspectRatioMode.IgnoreAspectRatio, mode)
    out = QImage(fit, QImage.Format.Format_RGB32)
    out.fill(Qt.GlobalColor.black)
    painter = QPainter(out)
    step = max(1, STRIP_PIXELS // image.width())
    for top in range(0, image.height(), step):
        rows = min(step, image.height() - top)
        y0 = round(top * fit.height() / image.height())
        y1 = round((top + rows) * fit.height() / image.height())
        if y1 <= y0:
            continue
        strip = image.copy(0, top, image.width(), rows)
        part = strip.scaled(fit.width(), y1 - y0, Qt.AspectRatioMode.IgnoreAspectRatio, mode)
        painter.drawImage(0, y0, part)
    painter.end()
    return out


def file_name_part(text: str) -> str:
    """``text`` made safe as part of a file name (no separators, no dot files;
    hidden characters written out, see ``virt.shown``)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in reveal(text)).strip("._")
    return safe[:80] or "screenshot"


def age_text(seconds: float) -> str:
    if seconds < 1.5:
        return tr("captured just now")
    if seconds < 90:
        return tr("captured %n s ago", None, round(seconds))
    if seconds < 90 * 60:
        return tr("captured %n min ago", None, round(seconds / 60))
    return tr("captured %n h ago", None, round(seconds / 3600))


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
        self._frame: Frame | None = None  # the pixels self._image borrows
        self._native = False
        self._cache: QPixmap | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def image(self) -> QImage:
        return self._image

    def set_image(self, image: QImage) -> None:
        self._frame = None
        self._image = image
        self._cache = None
        self._fit_native_size()
        self.update()

    def set_frame(self, frame: Frame) -> None:
        """Show ``frame`` without copying its pixels (the frame is kept meanwhile)."""
        self.set_image(frame_image(frame))
        self._frame = frame

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
        if self._image.isNull() or self._native:
            pixmap = QPixmap()  # 1:1 is painted from the image itself, no copy
        else:
            room = self.size().shrunkBy(QMargins(*(self.MARGIN,) * 4))
            target = QSize(round(room.width() * ratio), round(room.height() * ratio))
            if target.isEmpty():
                return QPixmap()
            fit = self._image.size().scaled(target, Qt.AspectRatioMode.KeepAspectRatio)
            pixmap = QPixmap.fromImage(scaled_in_strips(self._image, fit))
        pixmap.setDevicePixelRatio(ratio)
        self._cache = pixmap
        return pixmap

    def resizeEvent(self, event: QResizeEvent) -> None:
        if not self._native:
            self._cache = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._native and not self._image.isNull():
            # Only the part exposed is converted for the screen.
            ratio = self.devicePixelRatioF() or 1.0
            rect = event.rect()
            source = QRect(
                round(rect.x() * ratio),
                round(rect.y() * ratio),
                round(rect.width() * ratio),
                round(rect.height() * ratio),
            )
            QPainter(self).drawImage(QRectF(rect), self._image, QRectF(source))
            return
        pixmap = self.pixmap()
        if pixmap.isNull():
            return
        size = pixmap.deviceIndependentSize().toSize()
        at = QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2)
        QPainter(self).drawPixmap(at, pixmap)
