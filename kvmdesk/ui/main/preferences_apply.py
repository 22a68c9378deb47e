"""Preferences take effect at once: each change goes where it is used.

``attach`` applies every choice when the window is built, adds
Edit → Preferences…, and applies each later change as ``Preferences``
reports it. The window, the manager and the connections' ``Timing`` only
get plain values (an interval, a set of columns, a flag); none of them
reads the settings file itself.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

from kvmdesk.core import preferences as p
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.core.preferences import Metric, Preferences, Scaling, Theme
from kvmdesk.core.timing import Timing
from kvmdesk.models.columns import Column
from kvmdesk.ui.main.mainwindow import MainWindow
from kvmdesk.ui.main.preferences_dialog import PreferencesDialog, grab_keys_text
from kvmdesk.ui.main.sparklines import CpuHistory, show_sparklines
from kvmdesk.ui.main.tree_columns import set_column_shown, shown_columns


def dark_palette() -> QPalette:
    """A dark palette for "Dark" (the colours every page draws with)."""
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2b2e",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e20",
        QPalette.ColorRole.AlternateBase: "#262629",
        QPalette.ColorRole.ToolTipBase: "#3a3a3e",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#4a4a50",
        QPalette.ColorRole.Midlight: "#3d3d42",
        QPalette.ColorRole.Mid: "#5a5a60",
        QPalette.ColorRole.Dark: "#151517",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7aa9ff",
        QPalette.ColorRole.LinkVisited: "#b48aff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7c7c80"))
    return palette


class PreferencesApplier:
    """Applies ``Preferences`` to a window, a manager and their ``Timing``."""

    def __init__(
        self, prefs: Preferences, window: MainWindow, manager: ConnectionManager, timing: Timing
    ) -> None:
        self.prefs = prefs
        self.window = window
        self.manager = manager
        self.timing = timing
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        self._system_palette = QPalette(app.palette())
        self._theme: Theme | None = None
        self.dialog: PreferencesDialog | None = None
        self.action: QAction | None = None  # Edit → Preferences…
        self.cpu_history = CpuHistory(manager, window)
        window.columnsChanged.connect(self._store_columns)  # ticked in the header's menu

    def apply(self, key: str | None = None) -> None:
        """Apply the choice ``key`` (every choice when None)."""
        prefs, window, details = self.prefs, self.window, self.window.details

        def wanted(*keys: str) -> bool:
            return key is None or key in keys

        # The Timing was built with the stored interval (app.build); tests
        # pass their own, which the start must not overwrite.
        if key == p.STATS_INTERVAL:
            self.timing.stats_interval = prefs.stats_interval
        metrics = frozenset(m.value for m in prefs.metrics)
        if wanted(p.METRICS) and metrics != self.timing.stats_metrics:
            self.timing.stats_metrics = metrics
        if wanted(p.HIDDEN_COLUMNS):
            hidden = prefs.hidden_columns
            for column in Column:
                if column is not Column.NAME:
                    shown = column.name not in hidden
                    if window.tree.isColumnHidden(column) == shown:
                        set_column_shown(window.tree, window.model, column, shown)
        if wanted(p.SPARKLINES, p.METRICS):
            on = prefs.sparklines and Metric.CPU in prefs.metrics
            show_sparklines(window.tree, self.cpu_history, on)
        if key is None or key.startswith("preferences/confirm/"):
            window.commands.wants_confirmation = lambda kind: prefs.confirm(p.Confirm(kind))
            details.hardware_tab.confirm_remove = prefs.confirm(p.Confirm.REMOVE_DEVICE)
            details.snapshots_tab.confirm_revert = prefs.confirm(p.Confirm.REVERT_SNAPSHOT)
        if wanted(p.CONSOLE_SCROLLBACK):
            details.console_tab.terminal.set_scrollback(prefs.console_scrollback)
        if wanted(p.CONSOLE_FONT, p.CONSOLE_FONT_SIZE):
            details.console_tab.terminal.set_font_choice(
                prefs.console_font, prefs.console_font_size
            )
        screenshots = details.screenshot_tab
        if wanted(p.SCREEN_SCALING):
            screenshots.native_button.setChecked(prefs.screen_scaling is Scaling.ACTUAL)
        if wanted(p.GRAB_KEYS):
            screenshots.set_release_keys(prefs.grab_keys.value, grab_keys_text(prefs.grab_keys))
        if wanted(p.SCREENSHOT_INTERVAL):
            screenshots.set_interval(prefs.screenshot_interval, save=False)
        if wanted(p.SCREENSHOT_FOLDER):
            screenshots.set_folder(prefs.screenshot_folder)
        if wanted(p.SCREENSHOT_TEMPLATE):
            screenshots.name_template = prefs.screenshot_template
        if wanted(p.NEW_VM_POOL, p.NEW_VM_NETWORK, p.NEW_VM_GRAPHICS):
            window.new_vm_defaults = prefs.new_vm_defaults
        if wanted(p.XML_EDITABLE):
            details.xml_tab.set_editable(prefs.xml_editable)
        if wanted(p.THEME):
            self._apply_theme(prefs.theme)
        if wanted(p.DEMO_FALLBACK):
            self.manager.demo_fallback = prefs.demo_fallback

    def _store_columns(self) -> None:
        shown = shown_columns(self.window.tree)
        self.prefs.set_hidden_columns({c.name for c in Column if c not in shown})

    def _apply_theme(self, theme: Theme) -> None:
        if theme is self._theme or (self._theme is None and theme is Theme.SYSTEM):
            self._theme = theme
            return  # at start, "follow the system" leaves Qt's palette alone
        self._theme = theme
        if theme is Theme.DARK:
            palette = dark_palette()
        elif theme is Theme.LIGHT:
            palette = self._app.style().standardPalette()
        else:
            palette = self._system_palette
        self._app.setPalette(palette)

    def open_dialog(self) -> PreferencesDialog:
        if self.dialog is None:
            self.dialog = PreferencesDialog(self.prefs, self.window.model, self.window)
            self.dialog.finished.connect(self._forget_dialog)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None


def attach(
    prefs: Preferences, window: MainWindow, manager: ConnectionManager, timing: Timing
) -> PreferencesApplier:
    """Apply ``prefs`` now and whenever they change; add Edit → Preferences…."""
    applier = PreferencesApplier(prefs, window, manager, timing)
    applier.apply()
    prefs.changed.connect(applier.apply)
    action = QAction(tr("&Preferences…"), window)
    action.setShortcut(QKeySequence("Ctrl+,"))  # Qt has no standard key for it on Linux
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.triggered.connect(applier.open_dialog)
    window.edit_menu.addSeparator()
    window.edit_menu.addAction(action)
    applier.action = action
    return applier
