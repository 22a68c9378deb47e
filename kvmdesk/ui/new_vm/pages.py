"""The New VM wizard's pages, in the order Next follows them.

Each page lives in its own module: source (``source_page``), media and OS
(``media_page``), memory and CPUs (``resources_page``), storage
(``storage_page``), network (``network_page``), name and review
(``summary_page``); what they share is in ``fields``. This module gathers
them so that the wizard, and anyone driving it, imports them from one place.
"""

from __future__ import annotations

from kvmdesk.ui.new_vm.fields import PageId, PathField, form_layout
from kvmdesk.ui.new_vm.media_page import MediaPage
from kvmdesk.ui.new_vm.network_page import NetworkPage
from kvmdesk.ui.new_vm.resources_page import ResourcesPage
from kvmdesk.ui.new_vm.source_page import SourcePage
from kvmdesk.ui.new_vm.storage_page import StoragePage
from kvmdesk.ui.new_vm.summary_page import SummaryPage

__all__ = [
    "MediaPage",
    "NetworkPage",
    "PageId",
    "PathField",
    "ResourcesPage",
    "SourcePage",
    "StoragePage",
    "SummaryPage",
    "form_layout",
]
