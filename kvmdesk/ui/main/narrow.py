"""A narrow window keeps its filter box and its names readable.

The toolbar drops its words first: with words beside the icons the main
toolbar needs about 900 pixels; in a smaller window Qt would hide what does
not fit, the filter box first,
behind the toolbar's extension arrow. ``ToolbarFit`` switches to icons only
(the words stay as tooltips and accessible names) while the words would not
fit, and back when the window is wide again.

The list's Name column stretches while the list is wide enough; in a
narrow list it keeps ``NAME_WIDTH`` and the list scrolls sideways, instead
of squeezing the names (and the header's own word) to nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QToolBar, QToolButton, QTreeView

WORDS = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
ICONS = Qt.ToolButtonStyle.ToolButtonIconOnly


class ToolbarFit(QObject):
    def __init__(self, toolbar: QToolBar) -> None:
        super().__init__(toolbar)
        self._toolbar = toolbar
        self._wide = 0  # width the toolbar wants with words, measured once
        toolbar.installEventFilter(self)

    @property
    def compact(self) -> bool:
        return self._toolbar.toolButtonStyle() == ICONS

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def fit(self) -> None:
        toolbar = self._toolbar
        if not self._wide:
            style = toolbar.toolButtonStyle()
            self._set(WORDS)
            self._wide = toolbar.sizeHint().width()
            self._set(style)
        self._set(ICONS if toolbar.width() < self._wide else WORDS)

    def _set(self, style: Qt.ToolButtonStyle) -> None:
        if self._toolbar.toolButtonStyle() == style:
            return
        self._toolbar.setToolButtonStyle(style)
        for button in self._toolbar.findChildren(QToolButton):
            if button.defaultAction() is not None and button.parent() is self._toolbar:
                button.setToolButtonStyle(style)  # buttons added as widgets follow too


NAME_WIDTH = 170


class NameColumnFit(QObject):
    """Stretch the first column while it gets ``NAME_WIDTH``, else keep that and scroll."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree
        tree.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self._tree.header()
        others = sum(
            header.sectionSize(c) for c in range(1, header.count()) if not header.isSectionHidden(c)
        )
        roomy = self._tree.viewport().width() - others >= NAME_WIDTH
        mode = QHeaderView.ResizeMode.Stretch if roomy else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(0) != mode:
            header.setSectionResizeMode(0, mode)
        if not roomy:
            header.resizeSection(0, NAME_WIDTH)
