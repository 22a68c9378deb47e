"""The ``ssh_bed`` session fixture: the throwaway sshd of ``sshbed.py``.

Outside CI a missing sshd skips the tests; with ``CI`` set it fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NoReturn

import pytest

try:
    from .sshbed import HOST, UNKNOWN_KEY_HOST, BedUnavailable, SshBed
    from .sshbed import ssh_bed as _ssh_bed
except ImportError:
    from sshbed import HOST, UNKNOWN_KEY_HOST, BedUnavailable, SshBed  # type: ignore[no-redef]
    from sshbed import ssh_bed as _ssh_bed  # type: ignore[no-redef]

__all__ = ["HOST", "UNKNOWN_KEY_HOST", "SshBed", "ssh_bed"]


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine, fail in CI (as conftest.unavailable does)."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"ssh test bed unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def ssh_bed() -> Iterator[SshBed]:
    """sshd on 127.0.0.1 with throwaway keys; ``ssh`` on PATH uses its private config."""
    try:
        bed = _ssh_bed()
        value = bed.__enter__()
    except BedUnavailable as exc:
        unavailable(str(exc))
    try:
        yield value
    finally:
        bed.__exit__(None, None, None)
