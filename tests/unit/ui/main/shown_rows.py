"""The rows the main tree shows: the search hides rows in the tree itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex


def shown_rows(
    window: Any, parent: QModelIndex | None = None, column: int = 0
) -> list[QModelIndex]:
    """The rows under ``parent`` the tree shows (not hidden by the search), in order."""
    parent = QModelIndex() if parent is None else parent
    model = window.shown_model
    return [
        model.index(r, column, parent)
        for r in range(model.rowCount(parent))
        if not window.tree.isRowHidden(r, parent)
    ]
