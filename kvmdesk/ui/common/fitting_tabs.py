"""A tab bar that shows every tab's name when they fit, else icons.

In a narrow pane the names of eight tabs do not fit, and a row of scroll
arrows hides most of them. ``FittingTabBar`` then shows the current tab's
name and, for the others, an icon only, each with its name as tooltip and
as accessible name, so that every tab stays one click away and readable
by a screen reader. It measures the names whenever the space, the font or
the current tab changes.

Icons are drawn here (``glyph``) in the palette's text colour, so they read
in a dark theme as well as a light one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyleOptionTab, QTabBar, QWidget

GLYPHS = (
    "overview",
    "hardware",
    "screenshot",
    "display",
    "console",
    "xml",
    "performance",
    "snapshots",
)


def _draw(painter: QPainter, kind: str) -> None:
    """One glyph on a 16x16 grid."""
    if kind == "overview":  # an "i" in a circle
        painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
        painter.drawLine(QPointF(8, 7), QPointF(8, 11.5))
        painter.drawPoint(QPointF(8, 4.8))
    elif kind == "hardware":  # a chip with pins
        painter.drawRect(QRectF(4, 4, 8, 8))
        for at in (6.0, 10.0):
            painter.drawLine(QPointF(at, 1.5), QPointF(at, 4))
            painter.drawLine(QPointF(at, 12), QPointF(at, 14.5))
            painter.drawLine(QPointF(1.5, at), QPointF(4, at))
            painter.drawLine(QPointF(12, at), QPointF(14.5, at))
    elif kind == "screenshot":  # a picture: frame, sun, hill
        painter.drawRect(QRectF(1.5, 2.5, 13, 11))
        painter.drawEllipse(QRectF(4, 5, 2.5, 2.5))
        hill = QPainterPath(QPointF(2, 13))
        hill.lineTo(QPointF(7, 8.5))
        hill.lineTo(QPointF(10, 11))
        hill.lineTo(QPointF(14, 7.5))
        painter.drawPath(hill)
    elif kind == "display":  # a monitor on a stand
        painter.drawRect(QRectF(1.5, 2, 13, 9))
        painter.drawLine(QPointF(8, 11), QPointF(8, 13.5))
        painter.drawLine(QPointF(4.5, 14), QPointF(11.5, 14))
    elif kind == "console":  # a prompt: ">_"
        painter.drawRect(QRectF(1.5, 2, 13, 12))
        painter.drawPolyline([QPointF(4, 5.5), QPointF(7, 8), QPointF(4, 10.5)])
        painter.drawLine(QPointF(8, 11), QPointF(12, 11))
    elif kind == "xml":  # "</>"
        painter.drawPolyline([QPointF(5, 4), QPointF(1.5, 8), QPointF(5, 12)])
        painter.drawPolyline([QPointF(11, 4), QPointF(14.5, 8), QPointF(11, 12)])
        painter.drawLine(QPointF(9.5, 3), QPointF(6.5, 13))
    elif kind == "performance":  # a graph over an axis
        painter.drawPolyline([QPointF(1.5, 1.5), QPointF(1.5, 14.5), QPointF(14.5, 14.5)])
        painter.drawPolyline([QPointF(3, 12), QPointF(6, 7), QPointF(9, 10), QPointF(14, 3.5)])
    elif kind == "snapshots":  # a clock: a moment kept
        painter.drawEllipse(QRectF(1.5, 1.5, 13, 13))
        painter.drawPolyline([QPointF(8, 4), QPointF(8, 8), QPointF(11, 10)])


def glyph(kind: str, palette: QPalette, ratio: float = 1.0) -> QIcon:
    """The icon ``kind`` (one of ``GLYPHS``) in the palette's text colours."""
    result = QIcon()
    for mode, group in (
        (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
    ):
        for side in (16, 32):
            pixmap = QPixmap(round(side * ratio), round(side * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.scale(side / 16, side / 16)
            pen = QPen(palette.color(group, QPalette.ColorRole.WindowText), 1.3)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            _draw(painter, kind)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


class FittingTabBar(QTabBar):
    """Names when they fit; else the current tab's name and icons for the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._glyphs: list[str] = []
        self._watched: QWidget | None = None
        self._fitting = False
        self.compact = False  # icons for all but the current tab
        self.setElideMode(Qt.TextElideMode.ElideNone)
        self.currentChanged.connect(self.refit)
        self._watch(parent)

    # -- what the tabs are called ------------------------------------------

    def tab_name(self, index: int) -> str:
        """The tab's name, whether it is shown or not."""
        return self._names[index] if 0 <= index < len(self._names) else ""

    def set_glyph(self, index: int, kind: str) -> None:
        """The icon that stands for the tab when its name does not fit."""
        self._glyphs[index] = kind
        self.refit()

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        if not self._fitting:
            self._names.insert(index, self.tabText(index))
            self._glyphs.insert(index, "")
            self.refit()

    def tabRemoved(self, index: int) -> None:
        super().tabRemoved(index)
        if not self._fitting and index < len(self._names):
            del self._names[index]
            del self._glyphs[index]
            self.refit()

    # -- fitting -------------------------------------------------------------

    def _full_width(self, index: int) -> int:
        """The tab's width with its name (as ``QTabBar.tabSizeHint`` measures it)."""
        option = QStyleOptionTab()
        self.initStyleOption(option, index)
        option.text = self._names[index]
        option.icon = QIcon()
        style = self.style()
        text = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, option.text)
        space = style.pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, option, self)
        height = style.pixelMetric(QStyle.PixelMetric.PM_TabBarTabVSpace, option, self)
        size = QSize(text.width() + space, text.height() + height)
        return style.sizeFromContents(QStyle.ContentsType.CT_TabBarTab, option, size, self).width()

    def _room(self) -> int:
        owner = self.parentWidget()
        return owner.width() if owner is not None else self.width()

    def refit(self, *_args: object) -> None:
        if self._fitting or len(self._names) != self.count():
            return
        shown = [i for i in range(self.count()) if self.isTabVisible(i)]
        need = sum(self._full_width(i) for i in shown)
        compact = need > self._room()
        current = self.currentIndex()
        self._fitting = True
        try:
            self.compact = compact
            for i, name in enumerate(self._names):
                short = compact and i != current
                self.setTabText(i, "" if short else name)
                self.setTabToolTip(i, name if short else "")
                self.setAccessibleTabName(i, name.replace("&", ""))
                kind = self._glyphs[i]
                self.setTabIcon(
                    i,
                    glyph(kind, self.palette(), self.devicePixelRatioF())
                    if compact and kind
                    else QIcon(),
                )
        finally:
            self._fitting = False

    # -- when to fit again -------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._watch(self.parentWidget())
        elif event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.PaletteChange,
            QEvent.Type.Show,
        ):
            self.refit()
        return super().event(event)

    def _watch(self, owner: QWidget | None) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
        self._watched = owner
        if owner is not None:
            owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Resize:
            self.refit()
        return False


__all__ = ["GLYPHS", "FittingTabBar", "glyph"]
