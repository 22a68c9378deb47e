"""What the user chose in Preferences, stored with the other settings.

Each choice is read and written through ``Preferences``, which checks the
stored value (a hand-edited file may hold anything) and emits ``changed``
with the key, so that whoever applies it can do so at once. Keys live under
``preferences/``; the two intervals keep their older keys
(``stats/interval``, ``screenshot/interval``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from kvmdesk.core.settings import Settings
from kvmdesk.virt.screenshot.naming import DEFAULT_TEMPLATE, TemplateError, check_template

_E = TypeVar("_E", bound=enum.StrEnum)


class Metric(enum.StrEnum):
    """What the bulk statistics tick asks for."""

    CPU = "cpu"
    MEMORY = "memory"
    DISK = "disk"
    NETWORK = "network"


class Confirm(enum.StrEnum):
    """Actions that ask before they run, unless the user said not to."""

    FORCE_OFF = "forceOff"
    PAUSE = "pause"
    DELETE_STORAGE = "deleteStorage"  # once more, after the Delete dialog, for its files
    REMOVE_DEVICE = "removeDevice"  # the Hardware tab's Remove
    REVERT_SNAPSHOT = "revertSnapshot"  # the Snapshots tab's Revert


class Theme(enum.StrEnum):
    SYSTEM = "system"  # the palette the desktop gives (the default)
    LIGHT = "light"
    DARK = "dark"


class GrabKeys(enum.StrEnum):
    """The keys that give the keyboard back from the guest (Screenshot tab)."""

    CTRL_ALT_SHIFT = "ctrl+alt+shift"
    CTRL_ALT = "ctrl+alt"
    RIGHT_CTRL = "rightctrl"


class Scaling(enum.StrEnum):
    """How the Screenshot tab shows a guest's screen."""

    FIT = "fit"
    ACTUAL = "actual"  # pixel for pixel


@dataclass(frozen=True, slots=True)
class NewVmDefaults:
    """What the New VM wizard picks first where the host has it ("" = its own choice)."""

    pool: str = ""
    network: str = ""
    graphics: str = ""  # "vnc", "spice" or "none"; "" is VNC


# Keys, one per choice (also what ``changed`` carries).
STATS_INTERVAL = "stats/interval"
METRICS = "preferences/stats/metrics"
HIDDEN_COLUMNS = "preferences/list/hiddenColumns"
# The list's optional columns (``models.columns.OPTIONAL``), by member name.
HIDDEN_BY_DEFAULT = ("ADDRESS", "MEMORY_USE", "DISK_IO", "NETWORK_IO")
# The optional columns a stored hidden list knew of: a column added later
# starts hidden, as for a new user, instead of shown (and sampled) because an
# older list does not name it. Lists stored before this key knew only ADDRESS.
KNOWN_COLUMNS = "preferences/list/knownColumns"
SPARKLINES = "preferences/list/cpuHistory"
CONSOLE_SCROLLBACK = "preferences/console/scrollback"
CONSOLE_FONT = "preferences/console/font"
CONSOLE_FONT_SIZE = "preferences/console/fontSize"
SCREEN_SCALING = "preferences/console/scaling"
GRAB_KEYS = "preferences/console/releaseKeys"
SCREENSHOT_INTERVAL = "screenshot/interval"
SCREENSHOT_FOLDER = "preferences/screenshot/folder"
SCREENSHOT_TEMPLATE = "preferences/screenshot/template"
NEW_VM_POOL = "preferences/newVm/pool"
NEW_VM_NETWORK = "preferences/newVm/network"
NEW_VM_GRAPHICS = "preferences/newVm/graphics"
GRAPHICS = ("vnc", "spice", "none")
XML_EDITABLE = "preferences/xml/editable"
THEME = "preferences/appearance/theme"
DEMO_FALLBACK = "preferences/start/demoWhenNoHypervisor"


# As virt-manager: pause does not ask; what loses a device or the present state does.
CONFIRM_BY_DEFAULT = frozenset({Confirm.FORCE_OFF, Confirm.REMOVE_DEVICE, Confirm.REVERT_SNAPSHOT})


def confirm_key(kind: Confirm) -> str:
    return f"preferences/confirm/{kind.value}"


SCROLLBACK_RANGE = (100, 100_000)
FONT_SIZE_RANGE = (6.0, 72.0)  # 0 stands for the desktop's monospace size


class Preferences(QObject):
    changed = Signal(str)  # the key of the choice that changed

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings

    # -- helpers ---------------------------------------------------------------

    def _bool(self, key: str, default: bool) -> bool:
        value = self._settings.value(key, default)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1", "yes")

    def _number(self, key: str, default: float, low: float, high: float) -> float:
        try:
            value = float(str(self._settings.value(key, default)))
        except ValueError:
            return default
        if value != value:  # NaN
            return default
        return min(high, max(low, value))

    def _choice(self, key: str, kind: type[_E], default: _E) -> _E:
        try:
            return kind(str(self._settings.value(key, default.value)))
        except ValueError:
            return default

    def _names(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._settings.value(key, ",".join(default))
        if isinstance(value, list):  # QSettings reads "a,b" back as a list
            value = ",".join(str(v) for v in value)
        return tuple(n for n in (p.strip() for p in str(value).split(",")) if n)

    def _store(self, key: str, value: object) -> None:
        if str(self._settings.value(key, None)).lower() == str(value).lower():
            return  # a bool reads back as "true" from the file
        self._settings.set_value(key, value)
        self.changed.emit(key)

    # -- statistics ------------------------------------------------------------

    @property
    def stats_interval(self) -> float:
        return self._settings.stats_interval

    def set_stats_interval(self, seconds: float) -> None:
        seconds = min(60.0, max(0.5, float(seconds)))
        if seconds != self.stats_interval:
            self._settings.stats_interval = seconds
            self._settings.sync()
            self.changed.emit(STATS_INTERVAL)

    @property
    def metrics(self) -> frozenset[Metric]:
        names = self._names(METRICS, tuple(m.value for m in Metric))
        return frozenset(m for m in Metric if m.value in names)

    def set_metrics(self, metrics: frozenset[Metric] | set[Metric]) -> None:
        self._store(METRICS, ",".join(m.value for m in Metric if m in metrics) or "none")

    # -- the list --------------------------------------------------------------

    @property
    def hidden_columns(self) -> frozenset[str]:
        """Names of the list's columns the user hid (``Column`` member names)."""
        hidden = set(self._names(HIDDEN_COLUMNS, HIDDEN_BY_DEFAULT))
        known = self._names(KNOWN_COLUMNS, ("ADDRESS",))
        hidden.update(name for name in HIDDEN_BY_DEFAULT if name not in known)
        return frozenset(hidden - {"none"})  # "none": stored when nothing is hidden

    def set_hidden_columns(self, names: set[str] | frozenset[str]) -> None:
        if self._names(KNOWN_COLUMNS, ()) != HIDDEN_BY_DEFAULT:
            self._settings.set_value(KNOWN_COLUMNS, ",".join(HIDDEN_BY_DEFAULT))
        self._store(HIDDEN_COLUMNS, ",".join(sorted(names)) or "none")

    @property
    def sparklines(self) -> bool:
        """A CPU history graph behind the list's CPU % figures."""
        return self._bool(SPARKLINES, False)

    def set_sparklines(self, on: bool) -> None:
        self._store(SPARKLINES, bool(on))

    # -- confirmations ---------------------------------------------------------

    def confirm(self, kind: Confirm) -> bool:
        return self._bool(confirm_key(kind), kind in CONFIRM_BY_DEFAULT)

    def set_confirm(self, kind: Confirm, on: bool) -> None:
        self._store(confirm_key(kind), bool(on))

    # -- console and screenshots -----------------------------------------------

    @property
    def console_scrollback(self) -> int:
        return int(self._number(CONSOLE_SCROLLBACK, 10_000, *SCROLLBACK_RANGE))

    def set_console_scrollback(self, lines: int) -> None:
        self._store(CONSOLE_SCROLLBACK, int(min(max(lines, SCROLLBACK_RANGE[0]), 100_000)))

    @property
    def console_font(self) -> str:
        """A font family for the serial console; "" for the desktop's monospace font."""
        return str(self._settings.value(CONSOLE_FONT, "")).strip()

    def set_console_font(self, family: str) -> None:
        self._store(CONSOLE_FONT, family.strip())

    @property
    def console_font_size(self) -> float:
        """Points; 0 for the desktop's size."""
        size = self._number(CONSOLE_FONT_SIZE, 0.0, 0.0, FONT_SIZE_RANGE[1])
        return size if size >= FONT_SIZE_RANGE[0] else 0.0

    def set_console_font_size(self, points: float) -> None:
        self._store(CONSOLE_FONT_SIZE, float(points))

    @property
    def screen_scaling(self) -> Scaling:
        return self._choice(SCREEN_SCALING, Scaling, Scaling.FIT)

    def set_screen_scaling(self, scaling: Scaling) -> None:
        self._store(SCREEN_SCALING, scaling.value)

    @property
    def grab_keys(self) -> GrabKeys:
        return self._choice(GRAB_KEYS, GrabKeys, GrabKeys.CTRL_ALT_SHIFT)

    def set_grab_keys(self, keys: GrabKeys) -> None:
        self._store(GRAB_KEYS, keys.value)

    @property
    def screenshot_interval(self) -> float:
        return self._settings.screenshot_interval

    def set_screenshot_interval(self, seconds: float) -> None:
        before = self.screenshot_interval
        self._settings.screenshot_interval = seconds
        self._settings.sync()
        if self.screenshot_interval != before:
            self.changed.emit(SCREENSHOT_INTERVAL)

    @property
    def screenshot_folder(self) -> Path:
        text = str(self._settings.value(SCREENSHOT_FOLDER, "")).strip()
        return Path(text).expanduser() if text.startswith(("/", "~")) else Path.home()

    def set_screenshot_folder(self, folder: Path | str) -> None:
        text = str(folder).strip()
        if not text.startswith(("/", "~")):
            raise ValueError(text)
        self._store(SCREENSHOT_FOLDER, text)

    @property
    def screenshot_template(self) -> str:
        text = str(self._settings.value(SCREENSHOT_TEMPLATE, DEFAULT_TEMPLATE))
        try:
            check_template(text)
        except TemplateError:
            return DEFAULT_TEMPLATE
        return text

    def set_screenshot_template(self, template: str) -> None:
        check_template(template)  # raises TemplateError, which says why
        self._store(SCREENSHOT_TEMPLATE, template)

    # -- new virtual machines --------------------------------------------------

    @property
    def new_vm_defaults(self) -> NewVmDefaults:
        def name(key: str) -> str:
            text = str(self._settings.value(key, "")).strip()
            return text if text and not any(ord(c) < 32 for c in text) else ""

        graphics = str(self._settings.value(NEW_VM_GRAPHICS, "vnc"))
        return NewVmDefaults(
            pool=name(NEW_VM_POOL),
            network=name(NEW_VM_NETWORK),
            graphics=graphics if graphics in GRAPHICS else "vnc",
        )

    def set_new_vm_pool(self, name: str) -> None:
        self._store(NEW_VM_POOL, name.strip())

    def set_new_vm_network(self, name: str) -> None:
        self._store(NEW_VM_NETWORK, name.strip())

    def set_new_vm_graphics(self, kind: str) -> None:
        if kind not in GRAPHICS:
            raise ValueError(kind)
        self._store(NEW_VM_GRAPHICS, kind)

    # -- the rest --------------------------------------------------------------

    @property
    def xml_editable(self) -> bool:
        return self._bool(XML_EDITABLE, True)

    def set_xml_editable(self, on: bool) -> None:
        self._store(XML_EDITABLE, bool(on))

    @property
    def theme(self) -> Theme:
        return self._choice(THEME, Theme, Theme.SYSTEM)

    def set_theme(self, theme: Theme) -> None:
        self._store(THEME, theme.value)

    @property
    def demo_fallback(self) -> bool:
        """Open the demo host on the first start when no hypervisor answers."""
        return self._bool(DEMO_FALLBACK, True)

    def set_demo_fallback(self, on: bool) -> None:
        self._store(DEMO_FALLBACK, bool(on))
