"""Builder of a tiny bootable test guest for the integration tests.

The guest is a Debian distribution kernel booted directly (no disk) with a
busybox initramfs made at test time.  Nothing binary is committed:

* the kernel comes from the ``linux-image-*-amd64`` package, fetched with
  ``apt-get download`` into a cache directory and unpacked there (the package
  is never installed system-wide); the host's ``/boot/vmlinuz-*`` is used only
  when apt cannot provide one;
* the initramfs is packed here (cpio "newc" + gzip, pure Python) from the
  static ``/usr/bin/busybox`` (Debian package ``busybox-static``), the
  modules of that kernel in :data:`MODULES` (ACPI button, input, and the
  virtio and e1000 drivers that let hot-plugged disks and NICs appear in
  the guest), and a small ``/init`` that loads them in order.

The guest's ``/init`` prints :data:`READY_MARKER` on the serial console
(ttyS0) once it can be shut down through ACPI, then runs an interactive shell
on ttyS0 for ever.  An ACPI power-button press (``virsh shutdown``) reaches
busybox ``acpid`` through the ``button`` + ``evdev`` modules and runs
``poweroff -f``, so the guest powers off cleanly by itself.

The cache lives where the QEMU process started by ``qemu:///system`` (user
``libvirt-qemu`` on Debian) can read it: ``/var/cache/kvmdesk-testbed`` by
default (directories 0755, files 0644), or ``$KVMDESK_TESTBED_CACHE``.
Assets are rebuilt only when missing, so the kernel download happens once per
machine.

This module needs no Qt and no kvmdesk code; :class:`SerialConsole` imports
libvirt lazily.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import lzma
import os
import platform
import re
import shutil
import stat
import subprocess
import tarfile
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

READY_MARKER = "KVMDESK-GUEST-READY"
"""Line printed on ttyS0 when the guest's shell is up and ACPI shutdown works."""

DEFAULT_CACHE_DIR = Path("/var/cache/kvmdesk-testbed")
CACHE_ENV = "KVMDESK_TESTBED_CACHE"
BUSYBOX = Path("/usr/bin/busybox")

# Kernel modules copied into the initramfs, in load order (each after the
# modules it depends on).  The Debian kernel builds them as modules; without
# button and evdev the ACPI power button is ignored, without psmouse the PS/2
# mouse the display tests move is not seen, without the virtio and e1000
# drivers a disk or NIC hot-plugged into the guest never shows in /sys.
MODULES = (
    "kernel/drivers/acpi/button.ko",
    "kernel/drivers/input/evdev.ko",
    "kernel/drivers/input/mouse/psmouse.ko",
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
    "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
    "kernel/drivers/virtio/virtio_pci.ko",
    "kernel/drivers/block/virtio_blk.ko",
    "kernel/net/core/failover.ko",
    "kernel/drivers/net/net_failover.ko",
    "kernel/drivers/net/virtio_net.ko",
    "kernel/drivers/net/ethernet/intel/e1000/e1000.ko",
)
_MODULE_NAMES = tuple(m.rsplit("/", 1)[1] for m in MODULES)
_COMPLETE = "ok\n" + "".join(f"{m}\n" for m in MODULES)
"""What ``.complete`` holds in a kernel directory extracted for these modules."""
MODULE_SET = hashlib.sha256(_COMPLETE.encode()).hexdigest()[:8]
"""Names the kernel directory: a cache extracted for another module set is not reused."""

# Bump when the initramfs layout changes so that cached images are rebuilt.
_INITRD_FORMAT = "5"

_INIT_SCRIPT = f"""\
#!/bin/sh
# PID 1 of the kvmdesk integration-test guest.
/bin/busybox --install -s /bin
export PATH=/bin HOME=/root TERM=vt100 PS1='guest# '
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
dmesg -n 1
# In dependency order (/etc/modules); one built into the kernel is absent.
for m in $(cat /etc/modules); do
    [ -e "/lib/modules/$m" ] && insmod "/lib/modules/$m"
done
# The button module turns the ACPI power button into an input event that
# acpid maps to /etc/acpi/PWRF/00000080.
# Ready only once the power button's input device exists and acpid runs, so
# that a shutdown request sent right after the marker is not lost.
i=0
while [ ! -e /dev/input/event0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
acpid -c /etc/acpi -l /var/log/acpid.log -p /var/run/acpid.pid
i=0
while [ ! -e /var/run/acpid.pid ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
echo {READY_MARKER}
while true; do
    setsid cttyhack sh
    sleep 1
done
"""

_POWER_BUTTON_HANDLER = """\
#!/bin/sh
echo 'kvmdesk-guest: ACPI power button, powering off' > /dev/console
sync
poweroff -f
"""


class GuestAssetError(RuntimeError):
    """The guest kernel or initramfs cannot be provided on this machine."""


@dataclass(frozen=True)
class GuestAssets:
    kernel: Path
    initrd: Path


# ---------------------------------------------------------------- cache dir


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    if os.geteuid() == 0 or os.access(DEFAULT_CACHE_DIR, os.W_OK):
        return DEFAULT_CACHE_DIR
    # Non-root without the system cache: only usable if every parent is
    # searchable by the QEMU user, which a 0700 home directory is not.
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "kvmdesk-testbed"


def _mkdir_public(path: Path) -> None:
    """Create ``path`` and missing parents with mode 0755."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
        d.chmod(0o755)


def _write_public(path: Path, data: bytes) -> None:
    """Atomically write ``data`` to ``path`` with mode 0644."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """Serialise builders (pytest-xdist workers, parallel runs)."""
    with open(cache_dir / ".lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# ------------------------------------------------------------------- kernel


def _run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, **kw)


def _kernel_package_name() -> str:
    """Name of the versioned Debian kernel package, e.g. linux-image-6.1.0-26-amd64."""
    if shutil.which("apt-cache") is None:
        raise GuestAssetError("apt-cache not found: cannot locate a Debian kernel package")
    pkg_re = re.compile(r"^linux-image-\d[\w.+~-]*-amd64$")
    out = _run(["apt-cache", "depends", "linux-image-amd64"]).stdout
    for line in out.splitlines():
        m = re.match(r"\s*\|?Depends:\s*(\S+)", line)
        if m and pkg_re.match(m.group(1)):
            return m.group(1)
    # No meta package in the lists: take the newest versioned image it knows.
    names = [
        n
        for n in _run(["apt-cache", "pkgnames", "linux-image-"]).stdout.split()
        if pkg_re.match(n) and not n.endswith("-unsigned-amd64")
    ]
    if not names:
        raise GuestAssetError("apt knows no linux-image-*-amd64 package (run 'apt-get update')")

    def key(name: str) -> list[int]:
        return [int(x) for x in re.findall(r"\d+", name)]

    return max(names, key=key)


def _apt_download(package: str, dest: Path) -> Path:
    cmd = ["apt-get", "download", "-q"]
    if os.geteuid() == 0:
        # Downloading into a root-owned directory; skip the _apt sandbox warning.
        cmd += ["-o", "APT::Sandbox::User=root"]
    res = _run([*cmd, package], cwd=dest)
    if res.returncode != 0:
        raise GuestAssetError(f"apt-get download {package} failed:\n{res.stderr.strip()}")
    debs = sorted(dest.glob(f"{package}_*.deb"))
    if not debs:
        raise GuestAssetError(f"apt-get download {package} left no .deb in {dest}")
    return debs[-1]


def _download_kernel_package(dest: Path) -> tuple[str, Path]:
    try:
        package = _kernel_package_name()
        return package, _apt_download(package, dest)
    except GuestAssetError:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise
    # Empty lists (fresh machine) or stale ones (the security archive drops
    # superseded kernels): refresh once and retry.
    _run(["apt-get", "update", "-q"])
    package = _kernel_package_name()
    return package, _apt_download(package, dest)


def _extract_kernel(deb: Path, out_dir: Path) -> None:
    """Pull vmlinuz and the needed modules out of a kernel .deb (no install)."""
    wanted_mods = {m.rsplit("/", 1)[1] for m in MODULES}
    found: dict[str, bytes] = {}
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|*") as tf:
            for member in tf:
                name = member.name.lstrip("./")
                if not member.isfile():
                    continue
                if re.fullmatch(r"boot/vmlinuz-[^/]+", name):
                    key = "vmlinuz"
                elif name.startswith("lib/modules/") and any(
                    name.endswith("/" + m) for m in MODULES
                ):
                    key = name.rsplit("/", 1)[1]
                else:
                    continue
                f = tf.extractfile(member)
                assert f is not None
                found[key] = f.read()
                if len(found) == len(wanted_mods) + 1:
                    break
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    if "vmlinuz" not in found:
        raise GuestAssetError(f"no /boot/vmlinuz-* in {deb.name}")
    _mkdir_public(out_dir / "modules")
    _write_public(out_dir / "vmlinuz", found.pop("vmlinuz"))
    for mod, data in found.items():
        _write_public(out_dir / "modules" / mod, data)


def _read_module(path_stem: Path) -> bytes | None:
    """Read ``X.ko`` or a compressed ``X.ko.xz``/``X.ko.gz`` (host fallback)."""
    for suffix, opener in (("", None), (".xz", lzma.decompress), (".gz", gzip.decompress)):
        p = path_stem.with_name(path_stem.name + suffix)
        if p.is_file():
            data = p.read_bytes()
            return opener(data) if opener else data
    return None


def _kernel_from_host(out_dir: Path) -> None:
    """Copy the running kernel from /boot (used when apt cannot help)."""
    release = platform.release()
    candidates = [Path(f"/boot/vmlinuz-{release}"), *sorted(Path("/boot").glob("vmlinuz-*"))]
    kernel = next((p for p in candidates if p.is_file() and os.access(p, os.R_OK)), None)
    if kernel is None:
        raise GuestAssetError("no readable /boot/vmlinuz-* and no kernel package from apt")
    version = kernel.name.removeprefix("vmlinuz-")
    _mkdir_public(out_dir / "modules")
    _write_public(out_dir / "vmlinuz", kernel.read_bytes())
    for mod in MODULES:
        data = _read_module(Path("/lib/modules", version, mod))
        # A missing module is fine when it is built in (e.g. Fedora's button).
        if data is not None:
            _write_public(out_dir / "modules" / mod.rsplit("/", 1)[1], data)


def _complete(directory: Path) -> bool:
    """A kernel directory extracted with every module of ``MODULES``."""
    try:
        return (directory / ".complete").read_text() == _COMPLETE
    except OSError:
        return False


def _ensure_kernel(cache_dir: Path) -> Path:
    """Directory holding ``vmlinuz`` and ``modules/``; fetched once per machine."""
    kernels = cache_dir / "kernel"
    _mkdir_public(kernels)
    cached = sorted(
        (d for d in kernels.iterdir() if _complete(d)),
        key=lambda d: (d / ".complete").stat().st_mtime,
    )
    if cached:
        return cached[-1]

    work = Path(tempfile.mkdtemp(dir=kernels, prefix=".build-"))
    try:
        work.chmod(0o755)
        try:
            package, deb = _download_kernel_package(work)
            out = work / "out"
            _extract_kernel(deb, out)
            final = kernels / f"{package}-{MODULE_SET}"
        except GuestAssetError as apt_error:
            out = work / "out"
            try:
                _kernel_from_host(out)
            except GuestAssetError as host_error:
                raise GuestAssetError(f"{apt_error}\n{host_error}") from None
            final = kernels / f"host-{platform.release()}-{MODULE_SET}"
        (out / ".complete").write_text(_COMPLETE)
        (out / ".complete").chmod(0o644)
        if final.exists():
            shutil.rmtree(final)
        out.rename(final)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ initrd


def _is_static_elf(path: Path) -> bool:
    """True when ``path`` is a 64-bit ELF executable without a PT_INTERP header."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:  # ELFCLASS64 only (x86_64 guest)
            return False
        order: Literal["little", "big"] = "little" if head[5] == 1 else "big"
        phoff = int.from_bytes(head[32:40], order)
        phentsize = int.from_bytes(head[54:56], order)
        phnum = int.from_bytes(head[56:58], order)
        f.seek(phoff)
        for _ in range(phnum):
            if int.from_bytes(f.read(phentsize)[:4], order) == 3:  # PT_INTERP
                return False
    return True


class _CpioWriter:
    """Minimal writer of the cpio "newc" format the kernel unpacks."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._ino = 1

    def _entry(
        self, name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0)
    ) -> None:
        encoded = name.encode() + b"\0"
        fields = (
            self._ino,
            mode,
            0,
            0,
            1,
            0,
            len(data),
            0,
            0,
            rdev[0],
            rdev[1],
            len(encoded),
            0,
        )
        self._ino += 1
        self._buf += b"070701" + b"".join(b"%08X" % v for v in fields) + encoded
        self._buf += b"\0" * (-len(self._buf) % 4)
        self._buf += data
        self._buf += b"\0" * (-len(self._buf) % 4)

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name: str, data: bytes, perm: int = 0o644) -> None:
        self._entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name: str, target: str) -> None:
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name: str, major: int, minor: int, perm: int = 0o600) -> None:
        self._entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self) -> bytes:
        self._entry("TRAILER!!!", 0)
        self._buf += b"\0" * (-len(self._buf) % 512)
        return bytes(self._buf)


def build_initramfs(busybox: bytes, modules: dict[str, bytes]) -> bytes:
    """Return the gzip-compressed cpio archive of the guest's root file system."""
    cpio = _CpioWriter()
    for d in (
        "bin",
        "dev",
        "etc",
        "etc/acpi",
        "etc/acpi/PWRF",
        "lib",
        "lib/modules",
        "proc",
        "root",
        "sys",
        "tmp",
        "var",
        "var/log",
        "var/run",
    ):
        cpio.directory(d)
    # The kernel opens /dev/console for PID 1 before devtmpfs is mounted.
    cpio.chardev("dev/console", 5, 1)
    cpio.file("bin/busybox", busybox, 0o755)
    cpio.symlink("bin/sh", "busybox")
    for name in sorted(modules):
        cpio.file(f"lib/modules/{name}", modules[name])
    cpio.file("etc/modules", "".join(f"{n}\n" for n in _MODULE_NAMES if n in modules).encode())
    cpio.file("etc/acpi/PWRF/00000080", _POWER_BUTTON_HANDLER.encode(), 0o755)
    cpio.file("init", _INIT_SCRIPT.encode(), 0o755)
    return gzip.compress(cpio.finish(), compresslevel=6, mtime=0)


def _ensure_initrd(cache_dir: Path, kernel_dir: Path) -> Path:
    if not BUSYBOX.is_file():
        raise GuestAssetError(f"{BUSYBOX} missing (install busybox-static)")
    if not _is_static_elf(BUSYBOX):
        raise GuestAssetError(f"{BUSYBOX} is not a static x86_64 binary (install busybox-static)")
    busybox = BUSYBOX.read_bytes()
    modules = {p.name: p.read_bytes() for p in sorted((kernel_dir / "modules").glob("*.ko"))}
    digest = hashlib.sha256()
    for part in (
        _INITRD_FORMAT.encode(),
        _INIT_SCRIPT.encode(),
        _POWER_BUTTON_HANDLER.encode(),
        busybox,
    ):
        digest.update(hashlib.sha256(part).digest())
    for name, data in sorted(modules.items()):
        digest.update(name.encode() + hashlib.sha256(data).digest())
    initrd = kernel_dir / f"initrd-{digest.hexdigest()[:16]}.img"
    if not initrd.exists():
        _write_public(initrd, build_initramfs(busybox, modules))
    return initrd


def ensure_guest_assets(cache_dir: Path | None = None) -> GuestAssets:
    """Return the test guest's kernel and initramfs, building them if missing."""
    if platform.machine() not in ("x86_64", "AMD64"):
        raise GuestAssetError(f"the test guest is x86_64 only, not {platform.machine()}")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    _mkdir_public(cache)
    with _locked(cache):
        kernel_dir = _ensure_kernel(cache)
        initrd = _ensure_initrd(cache, kernel_dir)
    return GuestAssets(kernel=kernel_dir / "vmlinuz", initrd=initrd)


# --------------------------------------------------------------- domain XML


def guest_domain_xml(name: str, assets: GuestAssets, memory_mib: int = 128) -> str:
    """Libvirt domain XML for a direct-kernel-boot, disk-less test guest."""
    dom = ET.Element("domain", type="qemu")
    ET.SubElement(dom, "name").text = name
    ET.SubElement(dom, "memory", unit="MiB").text = str(memory_mib)
    ET.SubElement(dom, "currentMemory", unit="MiB").text = str(memory_mib)
    ET.SubElement(dom, "vcpu").text = "1"

    os_el = ET.SubElement(dom, "os")
    ET.SubElement(os_el, "type", arch="x86_64", machine="pc").text = "hvm"
    ET.SubElement(os_el, "kernel").text = str(assets.kernel)
    ET.SubElement(os_el, "initrd").text = str(assets.initrd)
    ET.SubElement(os_el, "cmdline").text = "console=ttyS0 quiet"

    features = ET.SubElement(dom, "features")
    ET.SubElement(features, "acpi")
    ET.SubElement(features, "apic")

    ET.SubElement(dom, "on_poweroff").text = "destroy"
    ET.SubElement(dom, "on_reboot").text = "restart"
    ET.SubElement(dom, "on_crash").text = "destroy"

    devices = ET.SubElement(dom, "devices")
    serial = ET.SubElement(devices, "serial", type="pty")
    ET.SubElement(serial, "target", port="0")
    console = ET.SubElement(devices, "console", type="pty")
    ET.SubElement(console, "target", type="serial", port="0")
    ET.SubElement(devices, "graphics", type="vnc", listen="127.0.0.1", autoport="yes")
    video = ET.SubElement(devices, "video")
    ET.SubElement(video, "model", type="vga", vram="16384", heads="1")
    ET.SubElement(devices, "memballoon", model="none")
    return ET.tostring(dom, encoding="unicode")


# ---------------------------------------------------------- serial console


class SerialConsole:
    """Blocking libvirt console stream read by a background thread.

    Uses no libvirt event loop (so it does not interfere with whatever event
    implementation the rest of the test process registers).  Open it while the
    domain is paused to not miss early output.
    """

    def __init__(self, conn: Any, dom: Any) -> None:
        import libvirt

        self._stream = conn.newStream(0)
        dom.openConsole(None, self._stream, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
        self._data = bytearray()
        self._cond = threading.Condition()
        self._eof = False
        self._thread = threading.Thread(target=self._reader, name="guest-console", daemon=True)
        self._thread.start()

    def _reader(self) -> None:
        try:
            while True:
                chunk = self._stream.recv(4096)
                if not chunk or not isinstance(chunk, bytes):
                    break
                with self._cond:
                    self._data += chunk
                    self._cond.notify_all()
        except Exception:  # stream aborted or domain gone
            pass
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    @property
    def text(self) -> str:
        with self._cond:
            return self._data.decode("utf-8", "replace")

    def wait_for(self, pattern: str | re.Pattern[str], timeout: float, start: int = 0) -> int:
        """Wait until ``pattern`` appears after offset ``start``; return the end offset."""
        regex = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = regex.search(self._data.decode("utf-8", "replace"), start)
                if m:
                    return m.end()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    tail = self._data[-2000:].decode("utf-8", "replace")
                    why = "console closed" if self._eof else f"{timeout:.0f} s timeout"
                    raise TimeoutError(f"{regex.pattern!r} not seen ({why}); output:\n{tail}")
                self._cond.wait(remaining)

    def offset(self) -> int:
        with self._cond:
            return len(self._data.decode("utf-8", "replace"))

    def say(self, command: str, answer: str, timeout: float = 30.0) -> None:
        """Run ``command`` in the guest's shell and wait for the line ``answer``."""
        start = self.offset()
        self.send(command + "\n")
        self.wait_for(re.compile(rf"^{re.escape(answer)}\r?$", re.MULTILINE), timeout, start)

    def send(self, text: str) -> None:
        data = text.encode()
        while data:
            n = self._stream.send(data)
            if n < 0:
                raise OSError("console stream send failed")
            data = data[n:]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stream.abort()
        self._thread.join(timeout=5)
