"""A focus ring that every style draws the same: where the keyboard is, is seen.

Styles draw focus differently, and some (Fusion on a tab bar, a check box
in some themes, a tool button, a scroll area) hardly at all. ``FocusRing``
follows the application's focus and draws a two-pixel frame in the
palette's highlight colour around the focused widget, on a transparent
overlay of its window that lets every click through.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

WIDTH = 2


class _Overlay(QWidget):
    """A frame drawn over a window, around ``target``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ring = QRect()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()


class FocusRing(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target: QWidget | None = None
        self._overlays: dict[int, _Overlay] = {}
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    @property
    def target(self) -> QWidget | None:
        return self._target

    def overlay_of(self, widget: QWidget) -> _Overlay | None:
        overlay = self._overlays.get(id(widget.window()))
        return overlay if overlay is not None and shiboken6.isValid(overlay) else None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._target is not None and shiboken6.isValid(self._target):
            self._target.removeEventFilter(self)
            overlay = self.overlay_of(self._target)
            if overlay is not None:
                overlay.hide()
        self._target = new if new is not None and shiboken6.isValid(new) else None
        if self._target is not None:
            self._target.installEventFilter(self)
            self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self._place()
        return False

    def _place(self) -> None:
        target = self._target
        if target is None or not shiboken6.isValid(target):
            return
        window = target.window()
        overlay = self.overlay_of(target)
        if overlay is None:
            overlay = _Overlay(window)
            self._overlays[id(window)] = overlay
        if not target.isVisible() or target is window:
            overlay.hide()
            return
        top_left = target.mapTo(window, target.rect().topLeft())
        ring = QRect(top_left, target.size()).adjusted(-WIDTH, -WIDTH, WIDTH, WIDTH)
        overlay.setGeometry(ring.intersected(window.rect()))
        overlay.show()
        overlay.raise_()
