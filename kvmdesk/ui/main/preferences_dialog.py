"""Edit → Preferences: every choice is stored and applied as it is made.

There is no OK: a change is written to ``Preferences`` at once (which
applies it, see ``preferences_apply``); text fields are stored when they
hold something usable, and say why not otherwise.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.core.preferences import (
    FONT_SIZE_RANGE,
    HIDDEN_COLUMNS,
    SCROLLBACK_RANGE,
    Confirm,
    GrabKeys,
    Metric,
    Preferences,
    Scaling,
    Theme,
)
from kvmdesk.models.columns import Column
from kvmdesk.ui.common.widgets import dim, plain_label, scroll_page
from kvmdesk.virt.screenshot.naming import TemplateError


def grab_keys_text(keys: GrabKeys) -> str:
    return {
        GrabKeys.CTRL_ALT_SHIFT: tr("Ctrl+Alt+Shift"),
        GrabKeys.CTRL_ALT: tr("Ctrl+Alt"),
        GrabKeys.RIGHT_CTRL: tr("Right Ctrl"),
    }[keys]


def _form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return page, form


def _row(form: QFormLayout, text: str, buddy: QWidget, row: QHBoxLayout) -> None:
    """A labelled row holding several widgets; its mnemonic goes to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, row)


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name.replace("&", "").rstrip(":"))
    return widget


class PreferencesDialog(QDialog):
    def __init__(
        self, prefs: Preferences, columns: QAbstractItemModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.setWindowTitle(self.tr("Preferences"))
        self.problem = plain_label(selectable=False)  # why a text field was not stored
        self.problem.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll_page(self._general()), self.tr("General"))
        self.tabs.addTab(scroll_page(self._statistics(columns)), self.tr("Statistics and List"))
        self.tabs.addTab(scroll_page(self._console()), self.tr("Console"))
        self.tabs.addTab(scroll_page(self._screenshots()), self.tr("Screenshots"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 460)
        prefs.changed.connect(self._stored_elsewhere)

    # -- pages ---------------------------------------------------------------

    def _general(self) -> QWidget:
        prefs = self.prefs
        page, form = _form_page()
        self.theme = QComboBox()
        for theme, text in (
            (Theme.SYSTEM, self.tr("Follow the system")),
            (Theme.LIGHT, self.tr("Light")),
            (Theme.DARK, self.tr("Dark")),
        ):
            self.theme.addItem(text, theme.value)
        self.theme.setCurrentIndex(self.theme.findData(prefs.theme.value))
        self.theme.currentIndexChanged.connect(
            lambda _i: prefs.set_theme(Theme(self.theme.currentData()))
        )
        form.addRow(self.tr("&Theme:"), _named(self.theme, self.tr("Theme")))

        self.demo = QCheckBox(self.tr("Open the &demo host when no hypervisor answers"))
        self.demo.setToolTip(
            self.tr("On the very first start, when neither the system nor the session URI answers.")
        )
        self.demo.setChecked(prefs.demo_fallback)
        self.demo.toggled.connect(prefs.set_demo_fallback)
        form.addRow(self.demo)

        self.xml_editable = QCheckBox(self.tr("Allow editing in the &XML tab"))
        self.xml_editable.setChecked(prefs.xml_editable)
        self.xml_editable.toggled.connect(prefs.set_xml_editable)
        form.addRow(self.xml_editable)

        form.addRow(dim(plain_label(self.tr("Ask before:"), selectable=False)))
        self.confirm: dict[Confirm, QCheckBox] = {}
        for kind, text in (
            (Confirm.FORCE_OFF, self.tr("&Force Off")),
            (Confirm.PAUSE, self.tr("&Pause")),
            (Confirm.DELETE_STORAGE, self.tr("Deleting &storage files")),
            (Confirm.REMOVE_DEVICE, self.tr("&Removing a device")),
            (Confirm.REVERT_SNAPSHOT, self.tr("Re&verting to a snapshot")),
        ):
            box = QCheckBox(text)
            box.setAccessibleName(self.tr("Ask before {0}").format(text.replace("&", "")))
            box.setChecked(prefs.confirm(kind))
            box.toggled.connect(lambda on, k=kind: prefs.set_confirm(k, on))
            self.confirm[kind] = box
            form.addRow(box)

        form.addRow(dim(plain_label(self.tr("New virtual machines use first:"), selectable=False)))
        defaults = prefs.new_vm_defaults
        self.new_vm_pool = QLineEdit(defaults.pool)
        self.new_vm_pool.setPlaceholderText("default")
        self.new_vm_pool.setToolTip(
            self.tr("Where the host has a storage pool of this name; else its own choice.")
        )
        self.new_vm_pool.editingFinished.connect(
            lambda: prefs.set_new_vm_pool(self.new_vm_pool.text())
        )
        form.addRow(self.tr("Storage poo&l:"), self.new_vm_pool)
        self.new_vm_network = QLineEdit(defaults.network)
        self.new_vm_network.setPlaceholderText("default")
        self.new_vm_network.setToolTip(
            self.tr("Where the host has a virtual network of this name; else “default”.")
        )
        self.new_vm_network.editingFinished.connect(
            lambda: prefs.set_new_vm_network(self.new_vm_network.text())
        )
        form.addRow(self.tr("Net&work:"), self.new_vm_network)
        self.new_vm_graphics = QComboBox()
        for graphics, text in (
            ("vnc", self.tr("VNC")),
            ("spice", self.tr("SPICE")),
            ("none", self.tr("None (serial console only)")),
        ):
            self.new_vm_graphics.addItem(text, graphics)
        self.new_vm_graphics.setCurrentIndex(self.new_vm_graphics.findData(defaults.graphics))
        self.new_vm_graphics.currentIndexChanged.connect(
            lambda _i: prefs.set_new_vm_graphics(str(self.new_vm_graphics.currentData()))
        )
        form.addRow(self.tr("&Graphics:"), self.new_vm_graphics)
        return page

    def _statistics(self, columns: QAbstractItemModel) -> QWidget:
        prefs = self.prefs
        page, form = _form_page()
        self.stats_interval = QDoubleSpinBox()
        self.stats_interval.setRange(0.5, 60.0)
        self.stats_interval.setSingleStep(0.5)
        self.stats_interval.setDecimals(1)
        self.stats_interval.setSuffix(self.tr(" s"))
        self.stats_interval.setValue(prefs.stats_interval)
        self.stats_interval.valueChanged.connect(prefs.set_stats_interval)
        form.addRow(
            self.tr("&Update every:"), _named(self.stats_interval, self.tr("Statistics interval"))
        )
        form.addRow(dim(plain_label(self.tr("Statistics collected:"), selectable=False)))
        self.metrics: dict[Metric, QCheckBox] = {}
        for metric, text in (
            (Metric.CPU, self.tr("&CPU usage")),
            (Metric.MEMORY, self.tr("&Memory usage")),
            (Metric.DISK, self.tr("&Disk I/O")),
            (Metric.NETWORK, self.tr("&Network I/O")),
        ):
            box = QCheckBox(text)
            box.setChecked(metric in prefs.metrics)
            box.toggled.connect(self._metrics_changed)
            self.metrics[metric] = box
            form.addRow(box)
        self.sparklines = QCheckBox(self.tr("Draw the CPU &history behind the CPU % figures"))
        self.sparklines.setChecked(prefs.sparklines)
        self.sparklines.toggled.connect(prefs.set_sparklines)
        form.addRow(dim(plain_label(self.tr("Columns in the list:"), selectable=False)))
        form.addRow(self.sparklines)
        self.columns: dict[Column, QCheckBox] = {}
        hidden = prefs.hidden_columns
        for column in Column:
            if column is Column.NAME:
                continue
            title = str(columns.headerData(column, Qt.Orientation.Horizontal) or column.name)
            box = QCheckBox(title)
            box.setAccessibleName(self.tr("Show the {0} column").format(title))
            box.setChecked(column.name not in hidden)
            box.toggled.connect(self._columns_changed)
            self.columns[column] = box
            form.addRow(box)
        return page

    def _console(self) -> QWidget:
        prefs = self.prefs
        page, form = _form_page()
        self.scaling = QComboBox()
        self.scaling.addItem(self.tr("Scale to fit the window"), Scaling.FIT.value)
        self.scaling.addItem(self.tr("Pixel for pixel (1:1)"), Scaling.ACTUAL.value)
        self.scaling.setCurrentIndex(self.scaling.findData(prefs.screen_scaling.value))
        self.scaling.currentIndexChanged.connect(
            lambda _i: prefs.set_screen_scaling(Scaling(self.scaling.currentData()))
        )
        form.addRow(self.tr("Guest &screen:"), _named(self.scaling, self.tr("Guest screen")))
        self.grab_keys = QComboBox()
        for keys in GrabKeys:
            self.grab_keys.addItem(grab_keys_text(keys), keys.value)
        self.grab_keys.setCurrentIndex(self.grab_keys.findData(prefs.grab_keys.value))
        self.grab_keys.currentIndexChanged.connect(
            lambda _i: prefs.set_grab_keys(GrabKeys(self.grab_keys.currentData()))
        )
        form.addRow(
            self.tr("&Keyboard back with:"),
            _named(self.grab_keys, self.tr("Keys that give the keyboard back")),
        )

        self.font_default = QCheckBox(self.tr("Use the desktop's &fixed-width font"))
        self.font_box = QFontComboBox()
        self.font_box.setFontFilters(QFontComboBox.FontFilter.MonospacedFonts)
        self.font_box.setAccessibleName(self.tr("Serial console font"))
        font_edit = self.font_box.lineEdit()
        if font_edit is not None:  # the combo box is editable: its field needs the name too
            font_edit.setAccessibleName(self.tr("Serial console font"))
        self.font_size = QDoubleSpinBox()
        self.font_size.setRange(*FONT_SIZE_RANGE)
        self.font_size.setDecimals(1)
        self.font_size.setSuffix(self.tr(" pt"))
        self.font_size.setAccessibleName(self.tr("Serial console font size"))
        custom = bool(prefs.console_font or prefs.console_font_size)
        self.font_default.setChecked(not custom)
        if prefs.console_font:
            self.font_box.setCurrentFont(QFont(prefs.console_font))
        self.font_size.setValue(prefs.console_font_size or 10.0)
        self.font_box.setEnabled(custom)
        self.font_size.setEnabled(custom)
        self.font_default.toggled.connect(self._font_changed)
        self.font_box.currentFontChanged.connect(self._font_changed)
        self.font_size.valueChanged.connect(self._font_changed)
        row = QHBoxLayout()
        row.addWidget(self.font_box, 1)
        row.addWidget(self.font_size)
        form.addRow(self.font_default)
        _row(form, self.tr("Serial console f&ont:"), self.font_box, row)

        self.scrollback = QSpinBox()
        self.scrollback.setRange(*SCROLLBACK_RANGE)
        self.scrollback.setSingleStep(1000)
        self.scrollback.setSuffix(self.tr(" lines"))
        self.scrollback.setValue(prefs.console_scrollback)
        self.scrollback.valueChanged.connect(prefs.set_console_scrollback)
        form.addRow(
            self.tr("Serial scroll&back:"), _named(self.scrollback, self.tr("Serial scrollback"))
        )
        return page

    def _screenshots(self) -> QWidget:
        prefs = self.prefs
        page, form = _form_page()
        self.shot_interval = QDoubleSpinBox()
        self.shot_interval.setRange(0.2, 60.0)
        self.shot_interval.setSingleStep(0.5)
        self.shot_interval.setDecimals(1)
        self.shot_interval.setSuffix(self.tr(" s"))
        self.shot_interval.setValue(prefs.screenshot_interval)
        self.shot_interval.valueChanged.connect(prefs.set_screenshot_interval)
        form.addRow(
            self.tr("&Refresh every:"), _named(self.shot_interval, self.tr("Screenshot interval"))
        )
        self.folder = QLineEdit(str(prefs.screenshot_folder))
        self.folder.setAccessibleName(self.tr("Screenshot folder"))
        self.folder.editingFinished.connect(self._folder_changed)
        browse = QPushButton(self.tr("&Browse…"))
        browse.setAccessibleName(self.tr("Browse for the screenshot folder"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        _row(form, self.tr("F&older:"), self.folder, row)
        self.template = QLineEdit(prefs.screenshot_template)
        self.template.setAccessibleName(self.tr("Screenshot file names"))
        self.template.textChanged.connect(self._template_changed)
        form.addRow(self.tr("File &names:"), self.template)
        self._browser: QFileDialog | None = None
        return page

    # -- storing -------------------------------------------------------------

    def _metrics_changed(self) -> None:
        self.prefs.set_metrics({m for m, box in self.metrics.items() if box.isChecked()})

    def _stored_elsewhere(self, key: str) -> None:
        """Columns ticked in the list's header menu while this is open."""
        if key == HIDDEN_COLUMNS:
            hidden = self.prefs.hidden_columns
            for column, box in self.columns.items():
                blocked = box.blockSignals(True)
                box.setChecked(column.name not in hidden)
                box.blockSignals(blocked)

    def _columns_changed(self) -> None:
        self.prefs.set_hidden_columns(
            {c.name for c, box in self.columns.items() if not box.isChecked()}
        )

    def _font_changed(self) -> None:
        custom = not self.font_default.isChecked()
        self.font_box.setEnabled(custom)
        self.font_size.setEnabled(custom)
        self.prefs.set_console_font(self.font_box.currentFont().family() if custom else "")
        self.prefs.set_console_font_size(self.font_size.value() if custom else 0.0)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _folder_changed(self) -> None:
        text = self.folder.text().strip()
        folder = Path(text).expanduser()
        if not text.startswith(("/", "~")):
            self._say(self.tr("Enter a full path for the screenshot folder, starting with “/”."))
        elif not folder.is_dir():
            self._say(self.tr("The folder {0} does not exist.").format(folder))
        else:
            self._say("")
            self.prefs.set_screenshot_folder(text)

    def _template_changed(self, text: str) -> None:
        try:
            self.prefs.set_screenshot_template(text)
        except TemplateError:
            self._say(
                self.tr(
                    "File names can use {connection}, {domain}, {uuid} and {time}, "
                    "and no “/”; this template is not stored."
                )
            )
        else:
            self._say("")

    def _browse(self) -> None:
        browser = QFileDialog(self, self.tr("Folder for Screenshots"), self.folder.text())
        browser.setFileMode(QFileDialog.FileMode.Directory)
        browser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        browser.fileSelected.connect(self._folder_chosen)
        browser.finished.connect(browser.deleteLater)
        self._browser = browser
        browser.open()

    def _folder_chosen(self, path: str) -> None:
        self.folder.setText(path)
        self._folder_changed()


__all__ = ["PreferencesDialog"]
