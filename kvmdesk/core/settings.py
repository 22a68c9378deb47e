"""Persistent settings: the saved connections, a few intervals, and the
new VMs whose install is still to be finished.

Only URIs, UUIDs and flags are stored; never a password.

Consent to an unsafe URI is stored only when the user ticked "remember",
as the exact URI it was given to: a URI changed in the file afterwards
has no consent. (Whoever can write this file can write the consent too,
as they could write any other file of the user; the check at every start
keeps a URI from running a program the user never saw.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths


@dataclass(frozen=True, slots=True)
class SavedConnection:
    uri: str
    autoconnect: bool = True
    consent: bool = False  # to an unsafe URI, remembered for every start


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        if path is None:
            self._qs = QSettings("kvmdesk", "kvmdesk")
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def connections(self) -> list[SavedConnection] | None:
        """The saved list, or None on first start (nothing saved ever)."""
        if not self._qs.contains("connections/count"):
            return None
        count = int(str(self._qs.value("connections/count", 0)))
        result = []
        for i in range(count):
            uri = str(self._qs.value(f"connections/{i}/uri", ""))
            auto = str(self._qs.value(f"connections/{i}/autoconnect", "true")).lower() == "true"
            consent = str(self._qs.value(f"connections/{i}/unsafeConsent", "")) == uri
            if uri:
                result.append(SavedConnection(uri, auto, consent))
        return result

    def set_connections(self, items: list[SavedConnection]) -> None:
        self._qs.remove("connections")
        self._qs.setValue("connections/count", len(items))
        for i, item in enumerate(items):
            self._qs.setValue(f"connections/{i}/uri", item.uri)
            self._qs.setValue(
                f"connections/{i}/autoconnect", "true" if item.autoconnect else "false"
            )
            if item.consent:
                self._qs.setValue(f"connections/{i}/unsafeConsent", item.uri)
        self._qs.sync()

    def pending_installs(self) -> set[tuple[str, str]]:
        """(URI, UUID) of new VMs whose install kvmdesk still has to finish."""
        count = int(str(self._qs.value("installs/count", 0)))
        found = set()
        for i in range(count):
            uri = str(self._qs.value(f"installs/{i}/uri", ""))
            uuid = str(self._qs.value(f"installs/{i}/uuid", ""))
            if uri and uuid:
                found.add((uri, uuid))
        return found

    def set_pending_installs(self, items: set[tuple[str, str]]) -> None:
        self._qs.remove("installs")
        self._qs.setValue("installs/count", len(items))
        for i, (uri, uuid) in enumerate(sorted(items)):
            self._qs.setValue(f"installs/{i}/uri", uri)
            self._qs.setValue(f"installs/{i}/uuid", uuid)
        self._qs.sync()

    @property
    def stats_interval(self) -> float:
        value = float(str(self._qs.value("stats/interval", 3.0)))
        return min(60.0, max(0.5, value))

    @stats_interval.setter
    def stats_interval(self, seconds: float) -> None:
        self._qs.setValue("stats/interval", float(seconds))

    @property
    def screenshot_interval(self) -> float:
        """Seconds between two captures of the Screenshot tab (0.2 to 60)."""
        try:
            value = float(str(self._qs.value("screenshot/interval", 1.0)))
        except ValueError:
            value = 1.0
        if value != value:  # NaN
            value = 1.0
        return min(60.0, max(0.2, value))

    @screenshot_interval.setter
    def screenshot_interval(self, seconds: float) -> None:
        self._qs.setValue("screenshot/interval", min(60.0, max(0.2, float(seconds))))

    @property
    def display_release(self) -> str:
        """The keys that release a grabbed pointer in the Display tab."""
        value = str(self._qs.value("display/release", "ctrl+alt"))
        return value if value in ("ctrl+alt", "ctrl+alt+shift") else "ctrl+alt"

    @display_release.setter
    def display_release(self, value: str) -> None:
        self._qs.setValue("display/release", value)

    @property
    def command_log_visible(self) -> bool:
        """Whether the command log dock is shown (hidden by default)."""
        return str(self._qs.value("commandLog/visible", "false")).lower() == "true"

    @command_log_visible.setter
    def command_log_visible(self, shown: bool) -> None:
        self._qs.setValue("commandLog/visible", "true" if shown else "false")

    def backup_dir(self) -> Path:
        """Where the XML of deleted domains is kept."""
        if self._path is not None:
            return self._path.parent / "deleted-domains"
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return Path(base or Path.home() / ".local/share/kvmdesk") / "deleted-domains"

    def sync(self) -> None:
        self._qs.sync()
