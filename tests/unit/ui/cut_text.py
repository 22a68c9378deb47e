"""Text that does not fit: labels cut or elided, headers and state names truncated.

``problems(where, root)`` lists, for one screen, every visible label whose
text is wider (or, wrapped, taller) than the label, or that is clipped by a
parent that does not scroll; every list header narrower than its title;
every state name in the main list wider than its column; and a filter box
that is not on screen. Run as a script (``python cut_text.py W H``) it
walks every screen (``screens.visit``) at that size, in a process of its
own, so that ``QT_SCALE_FACTOR`` can be set before Qt starts, and prints
the problems as JSON; ``python cut_text.py W H zh_CN`` does it in Chinese.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QStyle, QTreeView, QWidget

from kvmdesk.models.columns import Column
from kvmdesk.ui.main.mainwindow import MainWindow


def _scrolls(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _label_problem(label: QLabel) -> str:
    text = re.sub(r"&(.)", r"\1", label.text())  # a mnemonic's "&" is not drawn
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"wrapped, needs {needed} px of height, has {label.height()}"
    else:
        metrics = label.fontMetrics()
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        if needed > label.contentsRect().width() + 1:
            return f"needs {needed} px of width, has {label.contentsRect().width()}"
    if not _scrolls(label):
        seen = label.visibleRegion().boundingRect()
        if seen.width() < label.width() - 1 or seen.height() < label.height() - 1:
            return f"clipped to {seen.width()}×{seen.height()} of {label.width()}×{label.height()}"
    if "…" in text and label.toolTip():
        return "elided"
    return ""


def _header_problems(tree: QTreeView) -> list[str]:
    header, model = tree.header(), tree.model()
    found = []
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        if header.stretchLastSection() and column == model.columnCount() - 1:
            continue
        if header.sectionSizeFromContents(column).width() > header.sectionSize(column):
            title = model.headerData(column, Qt.Orientation.Horizontal)
            found.append(f"header {title!r} truncated at {header.sectionSize(column)} px")
    return found


def _state_problems(window: MainWindow) -> list[str]:
    tree, model = window.tree, window.tree.model()
    style = tree.style()
    margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 8
    width = tree.columnWidth(Column.STATE)
    icon = tree.iconSize().width() if tree.iconSize().width() > 0 else 16
    found = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for child in range(model.rowCount(parent)):
            text = str(model.index(child, Column.STATE, parent).data() or "")
            needed = tree.fontMetrics().horizontalAdvance(text) + icon + margin
            if text and needed > width:
                found.append(f"state {text!r} needs {needed} px, column has {width}")
    return found


def problems(where: str, root: QWidget) -> list[str]:
    root.grab()  # lay out and paint, as on screen
    found = []
    labels = root.findChildren(QLabel)
    for label in [root, *labels] if isinstance(root, QLabel) else labels:
        if not label.isVisibleTo(root) or not label.text().strip():
            continue
        if label.textFormat() == Qt.TextFormat.RichText:
            continue
        problem = _label_problem(label)
        if problem:
            found.append(f"{label.text()[:60]!r}: {problem}")
    for tree in root.findChildren(QTreeView):
        if tree.isVisibleTo(root) and tree.model() is not None and not tree.isHeaderHidden():
            found += _header_problems(tree)
    if isinstance(root, MainWindow):
        found += _state_problems(root)
        if not root.search.isVisible() or root.search.visibleRegion().isEmpty():
            found.append("the filter box is not on screen")
    return [f"{where}: {p}" for p in sorted(set(found))]


def main() -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from kvmdesk.app import build
    from kvmdesk.core.eventloop import register_once
    from kvmdesk.core.settings import Settings
    from kvmdesk.core.timing import Timing

    sys.path.insert(0, str(Path(__file__).parent))
    from screens import visit

    width, height = int(sys.argv[1]), int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    if len(sys.argv) > 3:  # a language: its words are longer or wider
        from PySide6.QtCore import QLocale

        from kvmdesk.app import install_translations

        install_translations(app, QLocale(sys.argv[3]))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    register_once(loop)
    found: list[str] = []
    with tempfile.TemporaryDirectory() as config, loop:
        services = build(Settings(Path(config) / "kvmdesk.ini"), Timing(stats_interval=0.5))

        def look(where: str, root: QWidget) -> None:
            found.extend(problems(where, root))

        loop.run_until_complete(visit(services, look, (width, height)))
        loop.run_until_complete(services.manager.shutdown())
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
