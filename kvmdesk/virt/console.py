"""A domain's serial console: its devices, opening a stream, adding one.

``open_console`` runs on a connection's worker: it reads the domain's live
definition, picks the device, and opens a NON-BLOCKING console stream on it
(``virDomainOpenConsole``). The stream is the one live libvirt object that
leaves the worker: the GUI thread reads and writes it only in non-blocking
mode, from libvirt's stream events, which do no RPC round trip.

libvirt's answers are sorted into the cases a person can act on: another
client holds the console (``ConsoleBusyError``), the domain has no console
device kvmdesk can open (``NoConsoleDeviceError``), and the domain is not
running (``ConsoleNotRunningError``).

``add_serial_console`` adds a pty serial port plus a console on it to the
persistent definition, effective at the next boot, as virt-manager does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import libvirt

# libvirt opens only pty character devices as consoles.
_OPENABLE = frozenset({"pty"})


@dataclass(frozen=True, slots=True)
class ConsoleDevice:
    """One serial or console device of a domain."""

    element: str  # "serial" or "console"
    alias: str  # the device name for openConsole ("serial0"); "" when undefined
    source_type: str  # pty, file, tcp, unix, ...
    target_type: str  # isa-serial, serial, virtio, sclp, ...; "" when unset
    port: int | None
    primary: bool  # the one libvirt opens without a device name

    @property
    def openable(self) -> bool:
        return self.source_type in _OPENABLE

    @property
    def label(self) -> str:
        """A short name for a selector: the alias plus what it is."""
        what = self.target_type or self.element
        name = self.alias or f"{self.element}{'' if self.port is None else self.port}"
        return f"{name} ({what}, {self.source_type})"


@dataclass(frozen=True, slots=True)
class OpenedConsole:
    """What ``open_console`` hands back: a stream the GUI thread reads non-blocking."""

    stream: libvirt.virStream
    devices: tuple[ConsoleDevice, ...]
    device: ConsoleDevice
    forced: bool


class ConsoleError(Exception):
    """The console cannot be opened; ``devices`` are those the domain has."""

    def __init__(self, message: str, devices: tuple[ConsoleDevice, ...] = ()) -> None:
        super().__init__(message)
        self.devices = devices


class ConsoleBusyError(ConsoleError):
    """Another client holds the console (safe mode refuses to take it)."""


class NoConsoleDeviceError(ConsoleError):
    """The domain has no serial or console device that can be opened."""


class ConsoleNotRunningError(ConsoleError):
    """The domain is not running: it has no console to attach to."""


class ConsoleOpenError(ConsoleError):
    """libvirt refused for another reason; ``cause`` is its error."""

    def __init__(self, cause: libvirt.libvirtError, devices: tuple[ConsoleDevice, ...]) -> None:
        super().__init__(cause.get_error_message() or str(cause), devices)
        self.cause = cause


class TransientDomainError(ConsoleError):
    """A transient domain has no persistent definition to add a device to."""


def _port(element: ET.Element) -> int | None:
    target = element.find("target")
    value = target.get("port") if target is not None else None
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _target_type(element: ET.Element) -> str:
    target = element.find("target")
    return (target.get("type") or "") if target is not None else ""


def _alias(element: ET.Element) -> str:
    alias = element.find("alias")
    return (alias.get("name") or "") if alias is not None else ""


def list_devices(xml: str) -> tuple[ConsoleDevice, ...]:
    """The domain's serial and console devices, each device once.

    A ``<console>`` whose target is a serial port is that serial port seen a
    second time (libvirt gives both the same alias): it is listed once, as
    the serial. The primary device is the one ``openConsole(None)`` opens:
    the first console, or else the first serial port.
    """
    devices_el = ET.fromstring(xml).find("devices")
    if devices_el is None:
        return ()
    serials = devices_el.findall("serial")
    consoles = devices_el.findall("console")
    primary_el = consoles[0] if consoles else (serials[0] if serials else None)
    primary_alias = _alias(primary_el) if primary_el is not None else ""
    serial_ports = {_port(s) for s in serials}
    found: list[ConsoleDevice] = []
    seen: set[str] = set()
    for element in serials + consoles:
        tag = element.tag
        alias = _alias(element)
        if alias and alias in seen:  # <console> on a serial port: the same alias
            continue
        if (
            tag == "console"
            and _target_type(element) == "serial"
            and not alias
            and _port(element) in serial_ports
        ):
            continue  # the same device, without aliases: matched by port
        if alias:
            seen.add(alias)
        is_primary = element is primary_el or (bool(alias) and alias == primary_alias)
        if not is_primary and primary_el is not None and primary_el.tag == "console":
            # <console target=serial port=N> without aliases stands for serial N.
            is_primary = (
                tag == "serial"
                and not alias
                and _target_type(primary_el) == "serial"
                and _port(element) == _port(primary_el)
            )
        found.append(
            ConsoleDevice(
                element=tag,
                alias=alias,
                source_type=element.get("type") or "pty",
                target_type=_target_type(element),
                port=_port(element),
                primary=is_primary,
            )
        )
    return tuple(found)


def _choose(devices: tuple[ConsoleDevice, ...], alias: str | None) -> ConsoleDevice:
    openable = [d for d in devices if d.openable]
    if not openable:
        raise NoConsoleDeviceError("the domain has no serial console", devices)
    if alias:
        for device in openable:
            if device.alias == alias:
                return device
    for device in openable:
        if device.primary:
            return device
    return openable[0]


def open_console(
    conn: libvirt.virConnect, uuid: str, alias: str | None = None, force: bool = False
) -> OpenedConsole:
    """Open a non-blocking console stream on ``alias`` (None: the primary device).

    Safe mode unless ``force``: a console held by another client raises
    ``ConsoleBusyError`` instead of being taken from it.
    """
    dom = conn.lookupByUUIDString(uuid)
    active = bool(dom.isActive())
    devices = list_devices(str(dom.XMLDesc(0 if active else libvirt.VIR_DOMAIN_XML_INACTIVE)))
    device = _choose(devices, alias)
    if not active:
        raise ConsoleNotRunningError("the domain is not running", devices)
    stream = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
    flags = libvirt.VIR_DOMAIN_CONSOLE_FORCE if force else libvirt.VIR_DOMAIN_CONSOLE_SAFE
    try:
        dom.openConsole(device.alias or None, stream, flags)
    except libvirt.libvirtError as exc:
        raise _sorted_error(exc, devices) from exc
    return OpenedConsole(stream, devices, device, force)


def _sorted_error(exc: libvirt.libvirtError, devices: tuple[ConsoleDevice, ...]) -> ConsoleError:
    code = exc.get_error_code()
    text = exc.get_error_message() or str(exc)
    low = text.lower()
    if "active console session exists" in low or "console is busy" in low:
        return ConsoleBusyError(text, devices)
    if code == libvirt.VIR_ERR_OPERATION_INVALID and "not running" in low:
        return ConsoleNotRunningError(text, devices)
    if "cannot find character device" in low or "not using a pty" in low:
        return NoConsoleDeviceError(text, devices)
    return ConsoleOpenError(exc, devices)


def close_stream(_conn: libvirt.virConnect | None, stream: libvirt.virStream, finish: bool) -> None:
    """On the worker: end a console stream (an RPC round trip), never raising.

    ``finish`` after the far end hung up (end of file), abort otherwise.
    """
    try:
        if finish:
            stream.finish()
        else:
            stream.abort()
    except libvirt.libvirtError:
        pass  # already ended by the far side, or the link is gone
    _release(stream)


def _release(stream: libvirt.virStream) -> None:
    """Free libvirt's stream object now.

    libvirt-python keeps a reference to a stream that ever had an event
    callback (libvirt 9.0 does not call the callback's free function when
    it is removed), so the stream is never freed, and neither is the
    connection it holds: a closed connection would keep its socket (and its
    ssh process) open. Once ended, nothing uses the stream any more; free
    it as the binding's own ``__del__`` would, and make that a no-op.
    """
    handle = getattr(stream, "_o", None)
    if handle is None:
        return
    stream._o = None
    if hasattr(stream, "cb"):
        del stream.cb
    libvirt.libvirtmod.virStreamFree(handle)


def add_serial_console(conn: libvirt.virConnect, uuid: str) -> bool:
    """Add a pty serial port and a console on it to the persistent definition.

    Effective at the next boot. Returns whether the domain runs now (the
    caller says the change waits for a restart). A definition that already
    has a pty serial port or console is left alone.
    """
    dom = conn.lookupByUUIDString(uuid)
    if not dom.isPersistent():
        raise TransientDomainError("a transient domain has no definition to change")
    xml = str(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    root = ET.fromstring(xml)
    if any(d.openable for d in list_devices(xml)):
        return bool(dom.isActive())
    devices = root.find("devices")
    if devices is None:
        devices = ET.SubElement(root, "devices")
    ports = {_port(s) for s in devices.findall("serial")}
    port = next(n for n in range(len(ports) + 1) if n not in ports)
    serial = ET.Element("serial", type="pty")
    ET.SubElement(serial, "target", port=str(port))
    console = ET.Element("console", type="pty")
    ET.SubElement(console, "target", type="serial", port=str(port))
    # libvirt's schema wants serial ports before consoles, after other devices.
    insert_at = len(devices)
    for index, child in enumerate(list(devices)):
        if child.tag in ("serial", "parallel", "console", "channel"):
            insert_at = index
            break
    devices.insert(insert_at, serial)
    if not devices.findall("console"):
        devices.insert(insert_at + 1, console)
    flags = getattr(libvirt, "VIR_DOMAIN_DEFINE_VALIDATE", 0)
    defined = conn.defineXMLFlags(ET.tostring(root, encoding="unicode"), flags)
    stored = str(defined.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    if not any(d.openable for d in list_devices(stored)):
        raise ConsoleError("libvirt did not keep the serial console")
    return bool(defined.isActive())
