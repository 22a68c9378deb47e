"""The real daemon's storage pool capabilities: the types Add Storage Pool offers."""

from __future__ import annotations

from typing import Any

from kvmdesk.virt.pool_types import KINDS, supported_types


def test_the_daemon_names_the_pool_types_it_supports(libvirt_conn: Any) -> None:
    kinds = supported_types(libvirt_conn)
    assert kinds[0] == "dir" and set(kinds) <= set(KINDS)
    # The capabilities were read, not the fallback: a libvirtd has more than folders.
    assert len(kinds) > 1, kinds
