"""Shared fixtures of the integration tests: a libvirt connection to the real
``qemu:///system`` daemon (see ``scripts/testbed.sh``), the test guest's
kernel + initramfs, and guests that are always destroyed and undefined.

Outside CI an unreachable daemon or missing guest assets skip the tests; with
``CI`` set they fail instead, so a broken test bed cannot pass silently.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest

try:  # tests/ may or may not become a package
    from .conftest_ssh import ssh_bed  # session fixture: the test sshd
    from .guest import GuestAssetError, GuestAssets, ensure_guest_assets, guest_domain_xml
except ImportError:
    from conftest_ssh import ssh_bed  # noqa: F401  (session fixture: the test sshd)
    from guest import GuestAssetError, GuestAssets, ensure_guest_assets, guest_domain_xml

TEST_URI = os.environ.get("KVMDESK_TEST_URI", "qemu:///system")
GUEST_PREFIX = "kvmdesk-test-"
# Test guests are named kvmdesk-test-<pid of the pytest process>-<random>.
_GUEST_NAME_RE = re.compile(rf"^{GUEST_PREFIX}(\d+)-[0-9a-f]{{8}}$")
_checked_uris: set[str] = set()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine, fail in CI."""
    if in_ci():
        pytest.fail(f"integration test bed unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def new_guest_name() -> str:
    return f"{GUEST_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphan_definitions(conn: Any) -> list[str]:
    """Remove test guests left behind by test runs that are gone.

    Only domains named by this test bed whose creating pytest process no
    longer exists are touched: they are forced off and undefined.
    """
    import libvirt

    removed = []
    for dom in conn.listAllDomains(0):
        m = _GUEST_NAME_RE.match(dom.name())
        if m and not _pid_alive(int(m.group(1))):
            with contextlib.suppress(libvirt.libvirtError):
                if dom.isActive():
                    dom.destroy()
                if dom.isPersistent():
                    dom.undefine()
                removed.append(dom.name())
    return removed


@pytest.fixture
def libvirt_conn() -> Iterator[Any]:
    """Read-write connection to the system libvirtd (plain libvirt-python).

    One per test, so that a test restarting the daemon does not break the
    next ones.
    """
    try:
        import libvirt
    except ImportError as exc:
        unavailable(f"libvirt-python not importable: {exc}")
    try:
        conn = libvirt.open(TEST_URI)
    except libvirt.libvirtError as exc:
        unavailable(f"{TEST_URI} unreachable (run scripts/testbed.sh start): {exc}")
    try:
        if TEST_URI not in _checked_uris:
            caps = ET.fromstring(conn.getCapabilities())
            if not caps.findall("./guest/arch[@name='x86_64']/domain[@type='qemu']"):
                unavailable(f"{TEST_URI} cannot run x86_64 'qemu' guests (qemu-system-x86?)")
            sweep_orphan_definitions(conn)
            _checked_uris.add(TEST_URI)
        yield conn
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            conn.close()


@pytest.fixture(scope="session")
def guest_assets() -> GuestAssets:
    """Kernel + initramfs of the tiny test guest (built once per machine)."""
    try:
        return ensure_guest_assets()
    except GuestAssetError as exc:
        unavailable(f"cannot build the test guest: {exc}")


def virsh_secure_xml(name: str) -> str:
    """``virsh dumpxml --inactive --security-info``: the definition as a user checks it."""
    import subprocess

    out = subprocess.run(
        ["virsh", "-c", TEST_URI, "dumpxml", "--inactive", "--security-info", name],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def remove_domain(conn: Any, name: str) -> None:
    """Destroy and undefine ``name`` if it exists; never raises for a missing domain."""
    import libvirt

    try:
        dom = conn.lookupByName(name)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return
        raise  # a dead connection: the caller retries on a fresh one
    if dom.isActive():
        dom.destroy()
    try:
        if dom.isPersistent():
            dom.undefine()
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise


def _remove_at_teardown(conn: Any, names: list[str]) -> None:
    import libvirt

    for name in names:
        try:
            remove_domain(conn, name)
        except libvirt.libvirtError:
            # The test may have killed the daemon: retry on a new connection.
            with contextlib.suppress(libvirt.libvirtError):
                fresh = libvirt.open(TEST_URI)
                try:
                    remove_domain(fresh, name)
                finally:
                    fresh.close()


@pytest.fixture
def unique_guest_name(libvirt_conn: Any) -> Iterator[str]:
    """A fresh guest name; whatever domain has it at teardown is removed."""
    name = new_guest_name()
    yield name
    _remove_at_teardown(libvirt_conn, [name])


@pytest.fixture
def define_guest(libvirt_conn: Any, guest_assets: GuestAssets) -> Iterator[Callable[..., Any]]:
    """Factory defining a persistent test guest; all are removed at teardown."""
    names: list[str] = []

    def _define(name: str | None = None, memory_mib: int = 128) -> Any:
        name = name or new_guest_name()
        names.append(name)
        return libvirt_conn.defineXML(guest_domain_xml(name, guest_assets, memory_mib))

    yield _define
    _remove_at_teardown(libvirt_conn, names)
