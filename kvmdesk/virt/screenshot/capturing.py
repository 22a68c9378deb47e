"""Taking a screenshot: finding the domain and asking libvirt for its screen.

The bytes come back raw (``Screenshot``); ``decoding`` checks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import libvirt

from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.screenshot.errors import (
    CaptureError,
    DomainNotFoundError,
    DomainNotRunningError,
    NoDisplayError,
    one_line,
)
from kvmdesk.virt.screenshot.limits import stream_limit
from kvmdesk.virt.screenshot.mime import normalize_mime
from kvmdesk.virt.screenshot.stream import DEFAULT_TIMEOUT, MAX_BYTES, abort_quietly, read_stream


@dataclass(frozen=True, slots=True)
class Screenshot:
    """Raw screenshot bytes as the hypervisor sent them (not yet decoded)."""

    data: bytes | bytearray
    mime: str  # lower case, without parameters
    uuid: str
    name: str
    screen: int
    taken_at: datetime  # UTC, when the screenshot was requested


@dataclass(frozen=True, slots=True)
class DomainRef:
    uuid: str
    name: str
    active: bool


def _capture_failure(exc: libvirt.libvirtError) -> CaptureError:
    failure = classify(exc)
    detail = one_line(failure.message)
    low = detail.lower()
    if failure.kind is ErrorKind.NO_DOMAIN:
        return DomainNotFoundError("The virtual machine does not exist.", failure)
    if "no screens" in low or "no video" in low or "no graphics" in low:
        return NoDisplayError("The virtual machine has no display to take a picture of.", failure)
    if "no such screen" in low or "screen id" in low:
        return NoDisplayError("The virtual machine has no screen with that number.", failure)
    if "not running" in low:
        return DomainNotRunningError("The virtual machine is not running.", failure)
    return CaptureError(f"libvirt could not take the screenshot: {detail}", failure)


def find_domain(conn: libvirt.virConnect, name_or_uuid: str) -> DomainRef:
    """The domain called ``name_or_uuid``, or else the one with that UUID."""
    try:
        try:
            dom = conn.lookupByName(name_or_uuid)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN or not _looks_like_uuid(
                name_or_uuid
            ):
                raise
            dom = conn.lookupByUUIDString(name_or_uuid)
        return DomainRef(str(dom.UUIDString()), str(dom.name()), bool(dom.isActive()))
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc


def running_domains(conn: libvirt.virConnect) -> list[DomainRef]:
    """Every active domain of the connection, sorted by name."""
    try:
        doms = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
        refs = [DomainRef(str(d.UUIDString()), str(d.name()), True) for d in doms]
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    return sorted(refs, key=lambda r: (r.name.casefold(), r.name))


_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _looks_like_uuid(text: str) -> bool:
    return bool(_UUID_RE.match(text))


def capture(
    conn: libvirt.virConnect,
    uuid: str,
    screen: int = 0,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Screenshot:
    """Take a screenshot of screen ``screen`` of the domain ``uuid``.

    Returns the raw bytes and their MIME type; :func:`decode` checks them.
    Raises a :class:`CaptureError` (subclass) for every failure. ``timeout``
    bounds reading the stream; the screenshot request itself is bounded by
    libvirt's own job timeouts.
    """
    try:
        dom = conn.lookupByUUIDString(uuid)
        name = str(dom.name())
        active = bool(dom.isActive())
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    if not active:
        # Some drivers (the test driver) would answer anyway.
        raise DomainNotRunningError("The virtual machine is not running.")
    taken_at = datetime.now(UTC)
    try:
        stream = conn.newStream(0)
    except libvirt.libvirtError as exc:
        raise _capture_failure(exc) from exc
    try:
        mime = dom.screenshot(stream, screen, 0)
    except libvirt.libvirtError as exc:
        abort_quietly(stream)
        raise _capture_failure(exc) from exc
    except BaseException:
        abort_quietly(stream)
        raise
    kind = normalize_mime(mime)
    data = read_stream(stream, max_bytes=min(max_bytes, stream_limit(kind)), timeout=timeout)
    return Screenshot(
        data=data,
        mime=kind,
        uuid=uuid,
        name=name,
        screen=screen,
        taken_at=taken_at,
    )
