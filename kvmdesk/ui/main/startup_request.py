"""What a ``--show-*`` option asks for, as plain data.

Kept apart from ``startup`` (which needs the window and Qt) so that the
command line, ``--help`` and the man-page generator need no Qt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class View(enum.Enum):
    """What a ``--show-*`` option opens; the value is the option's name."""

    CONSOLE = "show-domain-console"
    EDITOR = "show-domain-editor"
    PERFORMANCE = "show-domain-performance"
    SNAPSHOTS = "show-domain-snapshots"
    DELETE = "show-domain-delete"
    CREATOR = "show-domain-creator"
    HOST = "show-host-summary"


DOMAIN_TABS: dict[View, str] = {
    View.CONSOLE: "console",
    View.EDITOR: "hardware",
    View.PERFORMANCE: "performance",
    View.SNAPSHOTS: "snapshots",
}
"""The details tab each domain view opens, by ``DetailsPane.tab_names`` name:
virt-manager's editor is the Hardware tab, its performance view the
Performance tab."""


@dataclass(frozen=True)
class StartupView:
    view: View
    uri: str
    domain: str = ""  # name, UUID or ID, for the views of a domain
