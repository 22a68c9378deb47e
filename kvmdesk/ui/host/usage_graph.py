"""A small usage graph: the last minutes of a share (0..1) as a filled line.

Drawn with QPainter in the palette's colours (dark themes work); the
current value is shown as text beside it by the page, not in the graph.
``RateGraph`` draws a rate (bytes per second) scaled to the largest value
it shows. Used by the host's overview and a domain's Performance tab.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import Section, plain_label

SAMPLES = 60  # points kept (two minutes at one sample every two seconds)


class UsageGraph(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: deque[float] = deque(maxlen=SAMPLES)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)

    def sizeHint(self) -> QSize:
        return QSize(320, 56)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 56)

    def add(self, value: float) -> None:
        self.values.append(max(0.0, min(1.0, value)))
        self.update()

    def clear(self) -> None:
        self.values.clear()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRect(frame)
        inner = frame.adjusted(1, 2, -1, -1)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(90)
        painter.setPen(QPen(grid, 1))
        for share in (0.25, 0.5, 0.75):
            y = inner.bottom() - share * inner.height()
            painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
        if not self.values:
            painter.end()
            return
        step = inner.width() / max(1, SAMPLES - 1)
        right = inner.right()
        count = len(self.values)
        points = [
            QPointF(right - (count - 1 - i) * step, inner.bottom() - v * inner.height())
            for i, v in enumerate(self.values)
        ]
        line = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(line)
        fill.setAlpha(70)
        area = QPolygonF([QPointF(points[0].x(), inner.bottom()), *points])
        area.append(QPointF(points[-1].x(), inner.bottom()))
        painter.setPen(QPen(fill, 0))
        painter.setBrush(fill)
        painter.drawPolygon(area)
        painter.setPen(QPen(line, 1.6))
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.drawPolyline(QPolygonF(points))
        painter.end()


class RateGraph(UsageGraph):
    """A rate, drawn against the largest value among the points shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rates: deque[float] = deque(maxlen=SAMPLES)

    def add(self, value: float) -> None:
        self.rates.append(max(0.0, value))
        top = max(self.rates) or 1.0
        self.values = deque((r / top for r in self.rates), maxlen=SAMPLES)
        self.update()

    def clear(self) -> None:
        self.rates.clear()
        super().clear()


def graph_row(
    section: Section, title: str, graph: UsageGraph | None = None
) -> tuple[UsageGraph, QLabel]:
    """A "Title: [graph] value" row; returns the graph and the value label."""
    name = plain_label(title, selectable=False, wrap=False)
    graph = graph or UsageGraph()
    graph.setAccessibleName(title.rstrip(":："))
    value = plain_label(selectable=False, wrap=False)
    # As wide as the widest figure it shows, in the user's language.
    widest = tr("{0} of {1} ({2}%)").format("888.8 GiB", "888.8 GiB", 100)
    value.setMinimumWidth(value.fontMetrics().horizontalAdvance(widest) + 4)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    layout.addWidget(graph, 1)
    layout.addWidget(value)
    section.form.addRow(name, row)
    section.names.append(name)
    return graph, value
