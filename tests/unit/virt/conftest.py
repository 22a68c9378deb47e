"""Plain libvirt connections to private copies of the test-driver fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import libvirt
import pytest

from kvmdesk.paths import DEMO_HOST_XML
from kvmdesk.virt.errors import silence_stderr_printing


@pytest.fixture
def virt(data_uri: Callable[[str], str]) -> Iterator[Callable[[str], libvirt.virConnect]]:
    """``virt("lifecycle.xml")`` opens a fresh in-memory copy of that file."""
    silence_stderr_printing()
    opened: list[libvirt.virConnect] = []

    def opener(name: str) -> libvirt.virConnect:
        conn = libvirt.open(data_uri(name))
        opened.append(conn)
        return conn

    yield opener
    for conn in opened:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[libvirt.virConnect]:
    """A private copy of the bundled demo host."""
    silence_stderr_printing()
    copy = tmp_path / "demo-host.xml"
    shutil.copy(DEMO_HOST_XML, copy)
    conn = libvirt.open(f"test://{copy}")
    yield conn
    conn.close()
