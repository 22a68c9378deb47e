"""Gathering the facts: /proc, /sys, /dev/kvm and libvirt (blocking).

For a remote URI nothing is read from this machine: the checks then come
from libvirt's capabilities (host CPU features, guest domain types, IOMMU)
and from whether the domain capabilities for type 'kvm' answer.
"""

from __future__ import annotations

import contextlib
import fcntl
import grp
import os
import pwd
from collections.abc import Callable
from pathlib import Path

import libvirt

from kvmdesk.virt.errors import classify
from kvmdesk.virt.hostcheck.facts import (
    VENDOR_MODULES,
    HostFacts,
    KvmDevice,
    LibvirtFacts,
    LocalFacts,
)
from kvmdesk.virt.hostcheck.parsing import is_remote, parse_capabilities
from kvmdesk.virt.opener import open_uri
from kvmdesk.virt.records import format_version

KVM_GET_API_VERSION = 0xAE00  # _IO(KVMIO, 0x00)
DEFAULT_URI = "qemu:///system"


def probe_kvm_device(path: str = "/dev/kvm") -> KvmDevice:
    """Open the device and ask KVM_GET_API_VERSION (blocking, local)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return KvmDevice(exists=False)
    except OSError as exc:
        return KvmDevice(exists=False, errno=exc.errno, error=exc.strerror or str(exc))
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    accessible = os.access(path, os.R_OK | os.W_OK)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        return KvmDevice(True, accessible, None, exc.errno, exc.strerror or str(exc), group)
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as exc:
        return KvmDevice(True, accessible, None, exc.errno, exc.strerror or str(exc), group)
    finally:
        os.close(fd)
    return KvmDevice(True, accessible, int(version), None, "", group)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _listdir(path: Path) -> list[str]:
    try:
        return sorted(p.name for p in path.iterdir())
    except OSError:
        return []


def _user_groups(group: str) -> tuple[str, bool, bool]:
    """(user name, process has the group, /etc/group lists the user in it)."""
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = str(os.getuid())
    if not group:
        return user, False, False
    try:
        gr = grp.getgrnam(group)
    except KeyError:
        return user, False, False
    has = gr.gr_gid in os.getgroups() or gr.gr_gid == os.getgid()
    listed = user in gr.gr_mem
    with contextlib.suppress(KeyError):
        listed = listed or pwd.getpwnam(user).pw_gid == gr.gr_gid
    return user, has, listed


def gather_local(root: Path = Path("/")) -> LocalFacts:
    """Facts of this machine: /proc, /sys, /dev (blocking, never raises)."""
    kvm = probe_kvm_device(str(root / "dev/kvm"))
    sys_modules = frozenset(
        n for n in _listdir(root / "sys/module") if n == "kvm" or n.startswith(("kvm_", "vhost"))
    )
    nested = {}
    for module in VENDOR_MODULES.values():
        text = _read(root / "sys/module" / module / "parameters/nested")
        if text is not None:
            nested[module] = text.strip()
    user, has_group, listed = _user_groups(kvm.group or "kvm")
    return LocalFacts(
        cpuinfo=_read(root / "proc/cpuinfo") or "",
        kvm=kvm,
        proc_modules=_read(root / "proc/modules"),
        sys_modules=sys_modules,
        nested=nested,
        vhost_net=(root / "dev/vhost-net").exists(),
        iommu_devices=tuple(_listdir(root / "sys/class/iommu")),
        iommu_groups=len(_listdir(root / "sys/kernel/iommu_groups")),
        user=user,
        user_has_group=has_group,
        user_listed_in_group=listed,
    )


def _answer(ask: Callable[[], str], default: str) -> str:
    """What ``ask`` returns, or ``default`` when libvirt refuses to say."""
    try:
        return ask()
    except libvirt.libvirtError:
        return default


def gather_libvirt(conn: libvirt.virConnect) -> LibvirtFacts:
    """Capabilities and the 'kvm' domain capabilities (blocking RPCs)."""
    caps = conn.getCapabilities()
    parsed = parse_capabilities(caps)
    domcaps: str | None = None
    error = ""
    unavailable = False
    try:
        domcaps = conn.getDomainCapabilities(None, parsed.arch if parsed else None, None, "kvm", 0)
    except libvirt.libvirtError as exc:
        error = classify(exc).message
        unavailable = exc.get_error_code() in (
            libvirt.VIR_ERR_OPERATION_DENIED,  # read-only connection
            libvirt.VIR_ERR_NO_SUPPORT,  # a driver without domain capabilities
        )
    driver = _answer(lambda: str(conn.getType()), "")
    hv = _answer(lambda: f"{driver} {format_version(conn.getVersion())}".strip(), driver)
    lib = _answer(lambda: format_version(conn.getLibVersion()), "")
    uri = _answer(lambda: str(conn.getURI()), "")
    return LibvirtFacts(
        uri=uri,
        capabilities=caps,
        domcaps_kvm=domcaps,
        domcaps_kvm_error=error,
        domcaps_unavailable=unavailable,
        libvirt_version=lib,
        driver=driver,
        hypervisor=hv,
    )


def open_connection(uri: str, allow_unsafe: bool = False) -> tuple[libvirt.virConnect | None, str]:
    """Open ``uri`` for the check: read-write (domain capabilities need it),
    else read-only. Returns (connection or None, why it failed).

    Goes through ``virt.opener`` like every other open; a refused URI
    raises its ``UriRefusedError`` for the caller to report.
    """
    try:
        return open_uri(uri, allow_unsafe=allow_unsafe), ""
    except libvirt.libvirtError as exc:
        error = classify(exc).message
    if is_remote(uri):  # a second attempt would ask for a password again
        return None, error
    try:
        return open_uri(uri, allow_unsafe=allow_unsafe, read_only=True), ""
    except libvirt.libvirtError:
        return None, error


def gather(conn: libvirt.virConnect | None, uri: str, connect_error: str = "") -> HostFacts:
    """Every fact ``evaluate`` needs (blocking). ``conn`` None: libvirt not reached."""
    remote = is_remote(uri)
    local = None if remote else gather_local()
    lv: LibvirtFacts | None = None
    error = connect_error
    if conn is not None:
        try:
            lv = gather_libvirt(conn)
        except libvirt.libvirtError as exc:
            error = classify(exc).message
    elif not error:
        error = "not connected"
    return HostFacts(
        uri=uri, remote=remote, local=local, libvirt=lv, libvirt_error="" if lv else error
    )
