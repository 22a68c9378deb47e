"""The command log dock: each action's virsh command, copyable, saved as a script.

Hidden by default; *View → Command Log* shows it, and the choice is kept in
the settings. ``attach`` puts it into the main window from ``app.build``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.command_log import CommandLog, Entry
from kvmdesk.core.messages import tr
from kvmdesk.core.settings import Settings
from kvmdesk.models.command_log_model import CommandLogModel, LogColumn
from kvmdesk.ui.common.command_view import copy_text
from kvmdesk.ui.common.errors import show_failure
from kvmdesk.virt.commands import script
from kvmdesk.virt.errors import classify


class CommandLogDock(QDockWidget):
    def __init__(self, log: CommandLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commandLogDock")
        self.setWindowTitle(self.tr("Command Log"))
        self.model = CommandLogModel(log, self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAccessibleName(self.tr("Commands"))
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LogColumn.TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LogColumn.COMMAND, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(LogColumn.OUTCOME, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(LogColumn.OUTCOME, 340)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.copy_act = QAction(self.tr("&Copy Command"), self.view)
        self.copy_act.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_act.triggered.connect(self.copy_selected)
        self.view.addAction(self.copy_act)

        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setToolTip(self.tr("Copy the selected commands"))
        self.copy_button.clicked.connect(self.copy_selected)
        self.copy_all_button = QPushButton(self.tr("Copy All"), self)
        self.copy_all_button.setToolTip(self.tr("Copy every command in the log"))
        self.copy_all_button.clicked.connect(self.copy_all)
        self.save_button = QPushButton(self.tr("Save as Script…"), self)
        self.save_button.setToolTip(
            self.tr("Save the commands as a shell script that stops at the first failure")
        )
        self.save_button.clicked.connect(self.save_script)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.copy_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._row_added)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    # -- what is copied -----------------------------------------------------

    def selected_entries(self) -> list[Entry]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.entry(r) for r in rows]

    def copy_selected(self) -> None:
        entries = self.selected_entries()
        if entries:
            copy_text("\n".join(e.command.script() for e in entries) + "\n")

    def copy_all(self) -> None:
        entries = self.model.entries
        if entries:
            copy_text("\n".join(e.command.script() for e in entries) + "\n")

    def script_text(self) -> str:
        return script([e.command for e in self.model.entries])

    def save_script(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save Commands as Script"),
            "kvmdesk-commands.sh",
            self.tr("Shell scripts (*.sh);;All files (*)"),
        )
        if path:
            self.write_script(Path(path))

    def write_script(self, path: Path) -> bool:
        try:
            path.write_text(self.script_text(), encoding="utf-8")
            path.chmod(0o755)
        except OSError as exc:
            show_failure(self, self.tr("Could not save the script"), classify(exc))
            return False
        return True

    # -- the view -------------------------------------------------------------

    def _row_added(self, _parent: QModelIndex, _first: int, last: int) -> None:
        self._update_buttons()
        if self.isVisible():
            self.view.scrollTo(self.model.index(last, 0))

    def _update_buttons(self, *_args: object) -> None:
        some = self.model.rowCount() > 0
        self.copy_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
        self.copy_all_button.setEnabled(some)
        self.save_button.setEnabled(some)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            self.view.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        menu = QMenu(self)
        menu.addAction(self.copy_act)
        copy_all = menu.addAction(self.tr("Copy &All"))
        copy_all.triggered.connect(self.copy_all)
        menu.exec(self.view.viewport().mapToGlobal(pos))


def attach(window: QMainWindow, log: CommandLog, settings: Settings) -> CommandLogDock:
    """Add the dock (hidden unless the settings say otherwise) and its View menu entry."""
    dock = CommandLogDock(log, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [190], Qt.Orientation.Vertical)  # the tree keeps most room
    dock.setVisible(settings.command_log_visible)
    toggle = dock.toggleViewAction()
    toggle.setText(tr("Command &Log"))
    toggle.setStatusTip(tr("Show the virsh command of each action"))
    toggle.setShortcut(QKeySequence("Ctrl+L"))

    def remember(shown: bool) -> None:
        settings.command_log_visible = shown

    toggle.toggled.connect(remember)
    view_menu = _view_menu(window)
    view_menu.addAction(toggle)
    return dock


def _view_menu(window: QMainWindow) -> QMenu:
    """The window's View menu, made (before Help) if it has none yet."""
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.objectName() == "viewMenu":
            return menu
    menu = QMenu(tr("&View"), bar)
    menu.setObjectName("viewMenu")
    actions = bar.actions()
    before = actions[-1] if actions else None  # Help stays last
    if before is not None:
        bar.insertMenu(before, menu)
    else:
        bar.addMenu(menu)
    return menu
