"""How the main tree is laid out, kept in the settings: grouping, saved views, host groups.

* the grouping (``GroupBy``): by host (the connection tree), host group,
  tag, state or OS;
* saved views: a search, a grouping and the hidden columns under a name,
  shown in the tree's Views section; picking one brings all three back;
* host groups: a name per connection URI ("rack 1", "customers"), chosen
  with Move to Group or by dragging a host onto a group.

Names are the user's own and are checked (``check_name``) before they are
stored: a name that could disguise itself (bidi controls, invisible
characters) or fill the window is refused with the reason in plain words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from kvmdesk.core.messages import tr
from kvmdesk.core.search import MAX_QUERY
from kvmdesk.core.settings import Settings
from kvmdesk.virt.shown import hidden_characters

MAX_NAME = 64  # characters, for a view's or a host group's name
MAX_VIEWS = 100


class GroupBy(enum.Enum):
    HOST = "host"  # the connection tree itself
    HOST_GROUP = "hostgroup"
    TAG = "tag"
    STATE = "state"
    OS = "os"


def group_by_label(group_by: GroupBy) -> str:
    return {
        GroupBy.HOST: tr("Host"),
        GroupBy.HOST_GROUP: tr("Host Group"),
        GroupBy.TAG: tr("Tag"),
        GroupBy.STATE: tr("State"),
        GroupBy.OS: tr("Operating System"),
    }[group_by]


def read_group_by(value: object) -> GroupBy:
    """A stored grouping; anything not understood is the host tree."""
    try:
        return GroupBy(str(value))
    except ValueError:
        return GroupBy.HOST


class BadName(ValueError):
    """A view or group name that cannot be stored; the message says why."""


def check_name(text: str) -> str:
    """``text`` trimmed, or ``BadName`` saying why not."""
    name = text.strip()
    if not name:
        raise BadName(tr("Type a name."))
    if len(name) > MAX_NAME:
        raise BadName(tr("A name has at most %n character(s).", None, MAX_NAME))
    if hidden_characters(name):
        raise BadName(
            tr("A name cannot hold invisible characters or characters that change text direction.")
        )
    return name


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    query: str = ""
    group_by: GroupBy = GroupBy.HOST
    hidden_columns: tuple[int, ...] = ()


class TreeLayout(QObject):
    """The stored layout; signals say what changed so that every view follows."""

    viewsChanged = Signal()
    hostGroupsChanged = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings

    # -- grouping -----------------------------------------------------------

    @property
    def group_by(self) -> GroupBy:
        return read_group_by(self._settings.value("tree/groupBy", GroupBy.HOST.value))

    @group_by.setter
    def group_by(self, value: GroupBy) -> None:
        self._settings.set_value("tree/groupBy", value.value)

    # -- saved views --------------------------------------------------------

    def views(self) -> list[SavedView]:
        """The saved views; one stored in a shape not understood is left out."""
        found: list[SavedView] = []
        for i in range(min(MAX_VIEWS, _count(self._settings.value("views/count", 0)))):
            key = f"views/{i}"
            try:
                name = check_name(str(self._settings.value(f"{key}/name", "")))
            except BadName:
                continue
            query = str(self._settings.value(f"{key}/query", ""))[:MAX_QUERY]
            group_by = read_group_by(self._settings.value(f"{key}/groupBy", ""))
            hidden = _columns(self._settings.value(f"{key}/hidden", ""))
            found.append(SavedView(name, query, group_by, hidden))
        return found

    def save_view(self, view: SavedView) -> None:
        """Store ``view`` (its name checked), replacing one of the same name."""
        name = check_name(view.name)
        if len(view.query) > MAX_QUERY:
            raise BadName(tr("The search is longer than %n character(s).", None, MAX_QUERY))
        views = [v for v in self.views() if v.name != name]
        if len(views) >= MAX_VIEWS:
            raise BadName(tr("At most %n view(s) can be saved.", None, MAX_VIEWS))
        views.append(SavedView(name, view.query, view.group_by, tuple(view.hidden_columns)))
        self._store_views(views)

    def remove_view(self, name: str) -> None:
        self._store_views([v for v in self.views() if v.name != name])

    def _store_views(self, views: list[SavedView]) -> None:
        views.sort(key=lambda v: v.name.casefold())
        self._settings.set_value("views/count", len(views))
        for i, view in enumerate(views):
            key = f"views/{i}"
            self._settings.set_value(f"{key}/name", view.name)
            self._settings.set_value(f"{key}/query", view.query)
            self._settings.set_value(f"{key}/groupBy", view.group_by.value)
            self._settings.set_value(f"{key}/hidden", ",".join(map(str, view.hidden_columns)))
        self.viewsChanged.emit()

    # -- host groups ----------------------------------------------------------

    def host_groups(self) -> dict[str, str]:
        """URI -> group name, for the connections that are in a group."""
        found: dict[str, str] = {}
        for i in range(_count(self._settings.value("hostGroups/count", 0))):
            uri = str(self._settings.value(f"hostGroups/{i}/uri", ""))
            try:
                group = check_name(str(self._settings.value(f"hostGroups/{i}/group", "")))
            except BadName:
                continue
            if uri:
                found[uri] = group
        return found

    def group_names(self) -> list[str]:
        return sorted(set(self.host_groups().values()), key=str.casefold)

    def host_group(self, uri: str) -> str:
        """The group of the connection with ``uri``; "" when it is in none."""
        return self.host_groups().get(uri, "")

    def move_hosts(self, uris: Iterable[str], group: str) -> None:
        """Put these connections in ``group`` (checked), or in none for ""."""
        name = check_name(group) if group else ""
        groups = self.host_groups()
        for uri in uris:
            if name:
                groups[uri] = name
            else:
                groups.pop(uri, None)
        self._settings.set_value("hostGroups/count", len(groups))
        for i, (uri, group_name) in enumerate(sorted(groups.items())):
            self._settings.set_value(f"hostGroups/{i}/uri", uri)
            self._settings.set_value(f"hostGroups/{i}/group", group_name)
        self.hostGroupsChanged.emit()


def _count(value: object) -> int:
    try:
        return max(0, int(str(value)))
    except ValueError:
        return 0


def _columns(value: object) -> tuple[int, ...]:
    """Hidden column numbers stored as "1,5"; the name column is never hidden."""
    text = ",".join(value) if isinstance(value, list) else str(value or "")
    found = []
    for part in text.split(","):
        if part.strip().isdigit() and 0 < int(part) < 64:
            found.append(int(part))
    return tuple(found)
