"""The ``loop_device`` fixture: block devices of this machine made for one test.

A loop device over a small file stands for a host disk: optionally with a
file system mounted from it (a disk the host uses). Needs root and loop
device support; outside CI their absence skips, in CI it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

try:
    from .conftest import unavailable
except ImportError:
    from conftest import unavailable  # type: ignore[no-redef]

__all__ = ["loop_device"]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def loop_device(tmp_path: Path) -> Iterator[Callable[[bool], tuple[str, Path | None]]]:
    """``make(mounted)`` -> (/dev/loopN, its mount point or None); undone afterwards."""
    if os.geteuid() != 0:
        unavailable("loop devices need root")
    for tool in ("losetup", "mkfs.ext4", "mount", "umount"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed")
    devices: list[str] = []
    mounts: list[Path] = []

    def make(mounted: bool) -> tuple[str, Path | None]:
        image = tmp_path / f"loop{len(devices)}.img"
        with image.open("wb") as handle:
            handle.truncate(16 * 1024 * 1024)
        if mounted:
            _run("mkfs.ext4", "-q", "-F", str(image))
        try:
            device = _run("losetup", "--find", "--show", str(image))
        except subprocess.CalledProcessError as exc:
            unavailable(f"no loop device: {exc.stderr.strip()}")
        devices.append(device)
        if not mounted:
            return device, None
        point = tmp_path / f"mnt{len(devices)}"
        point.mkdir()
        _run("mount", device, str(point))
        mounts.append(point)
        return device, point

    yield make
    for point in reversed(mounts):
        subprocess.run(["umount", str(point)], check=False, capture_output=True)
    for device in devices:
        subprocess.run(["losetup", "-d", device], check=False, capture_output=True)
