"""Disk paths judged by what they point to, against the real daemon and real devices.

* A loop device with a mounted file system stands for a host disk in use:
  through a symlink too, it is named with its mount point, in the judge and
  on the New VM wizard's storage page; the host's own root disk, where it
  is a device node here, is judged in use as well.
* On a remote host (qemu+ssh through the test sshd) nothing is resolved
  locally: a path outside the storage pools is refused, a volume is judged
  through the storage API.

The creation of a VM on a symlink to a block device (written as
``type='block'``, and it starts) is in test_create_real.py.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow, QWizard

from kvmdesk.core.connection import Connection
from kvmdesk.domxml.install import SourceKind
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard
from kvmdesk.virt import storage
from kvmdesk.virt.disk_paths import MOUNTINFO, judge_disk_path
from kvmdesk.virt.plan_checks import PlanInputError

try:
    from .conftest import TEST_URI
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST
    from .loopdev import loop_device
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST  # type: ignore[no-redef]
    from loopdev import loop_device  # type: ignore[no-redef]  # noqa: F401

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]


def test_a_mounted_host_disk_is_in_use_through_a_symlink_too(
    libvirt_conn: Any, loop_device: Callable[[bool], tuple[str, Path | None]], tmp_path: Path
) -> None:
    device, point = loop_device(True)
    link = tmp_path / "looks-like-an-image.img"
    link.symlink_to(device)
    for path in (device, str(link)):
        judged = judge_disk_path(libvirt_conn, path)
        assert judged.block and judged.source_type == "block"
        assert judged.target == device and judged.device is not None
        assert judged.device.whole_disk and judged.device.in_use
        assert (device, str(point)) in judged.device.mounted


def _root_device() -> str | None:
    """The device node "/" is mounted from, if it is one here (not overlay, not tmpfs)."""
    for line in MOUNTINFO.read_text().splitlines():
        fields = line.split()
        if len(fields) > 4 and fields[4] == "/" and " - " in line:
            source = line.split(" - ", 1)[1].split()[1]
            try:
                if stat.S_ISBLK(os.stat(source).st_mode):
                    return source
            except OSError:
                return None
    return None


def test_the_hosts_own_disk_is_judged_in_use(libvirt_conn: Any) -> None:
    """On a machine whose root file system is on a device node (/dev/vda here)."""
    root = _root_device()
    if root is None:
        return  # an overlay or tmpfs root: no device of its own to judge
    judged = judge_disk_path(libvirt_conn, root)
    assert judged.block and judged.device is not None and judged.device.in_use
    assert any(point == "/" for _dev, point in judged.device.mounted)


def test_the_storage_page_names_a_mounted_device_behind_a_symlink(
    open_connection: Callable[[str], Connection],
    loop_device: Callable[[bool], tuple[str, Path | None]],
    wait_until: Any,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    device, point = loop_device(True)
    link = tmp_path / "disk.img"
    link.symlink_to(device)
    conn = open_connection(TEST_URI)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    wizard = NewVmWizard(conn, window, osinfo_dirs=[tmp_path / "no-osinfo"])
    wizard.show()
    wait_until(lambda: wizard.media_page.os_model.rowCount() > 0, 60, "host facts")
    wizard.source_page.buttons[SourceKind.MANUAL].setChecked(True)
    for page in (PageId.MEDIA, PageId.RESOURCES, PageId.STORAGE):
        wizard.button(QWizard.WizardButton.NextButton).click()
        wait_until(lambda page=page: wizard.currentId() == page, 60, f"page {page.name}")
    wizard.storage_page.existing.setChecked(True)
    wizard.storage_page.path.edit.setText(str(link))
    wizard.button(QWizard.WizardButton.NextButton).click()
    wait_until(lambda: not wizard.storage_page.checking, 60, "the host check")
    assert wizard.currentId() == PageId.STORAGE  # held back, loudly
    text = wizard.storage_page.message.text()
    assert text.startswith(
        f"Warning: “{link}” (that is {device}) is a whole disk of this host, and the host "
        f"uses it: {device} is mounted on {point}."
    ), text
    assert "destroy the host's data" in text
    wizard.creating = False
    wizard.reject()


def test_a_remote_path_is_judged_only_through_the_storage_api(
    ssh_bed: Any,
    open_connection: Callable[[str], Connection],
    libvirt_conn: Any,
    test_pool: ScratchPool,
    run: Any,
) -> None:
    storage.create_volume(libvirt_conn, test_pool.name, "real.qcow2", 0.1, "qcow2")
    volume = test_pool.path / "real.qcow2"
    link = test_pool.path.parent / f"{test_pool.name}-link.qcow2"
    link.symlink_to(volume)
    try:
        conn = open_connection(f"qemu+ssh://{HOST}/system")
        judged = run(conn.call(judge_disk_path, str(volume)))
        assert (judged.pool, judged.volume, judged.format) == (
            test_pool.name,
            "real.qcow2",
            "qcow2",
        )
        assert judged.target == str(volume) and not judged.block and judged.device is None
        # A symlink the pools do not hold: not resolved here, not guessed.
        with pytest.raises(PlanInputError) as caught:
            run(conn.call(judge_disk_path, str(link)))
        assert caught.value.reason == "not_volume"
    finally:
        link.unlink()
