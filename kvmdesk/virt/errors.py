"""Sort libvirt's failures into kinds that a person can act on.

The sentence shown to the user is chosen by the layers above (they
translate); this module only decides which kind of trouble it is and keeps
libvirt's own message for a "Details" section.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import libvirt

from kvmdesk.virt.opener import UriRefusedError


class ErrorKind(enum.Enum):
    DAEMON_NOT_RUNNING = "daemon_not_running"
    PERMISSION_DENIED = "permission_denied"
    NO_DRIVER = "no_driver"
    BAD_URI = "bad_uri"
    UNSAFE_URI = "unsafe_uri"  # refused before libvirt saw it; the user may consent
    NAME_NOT_RESOLVED = "name_not_resolved"
    HOST_KEY = "host_key"  # unknown or changed host key: never retried blindly
    HOST_UNREACHABLE = "host_unreachable"
    REMOTE_HELPER_MISSING = "remote_helper_missing"  # no virt-ssh-helper / nc on the host
    AUTH_FAILED = "auth_failed"
    AUTH_CANCELLED = "auth_cancelled"
    CONNECTION_LOST = "connection_lost"
    DESTINATION_LOST = "destination_lost"  # a migration's other host stopped answering
    NOT_CONNECTED = "not_connected"
    NO_DOMAIN = "no_domain"
    INVALID_OPERATION = "invalid_operation"
    NOT_SUPPORTED = "not_supported"
    TIMEOUT = "timeout"
    OTHER = "other"


class NotConnectedError(Exception):
    """A call was asked of a connection that is not open (no libvirt error state)."""


@dataclass(frozen=True, slots=True)
class Failure:
    kind: ErrorKind
    message: str  # libvirt's (or the OS's) own words
    code: int = 0


_LOST_TEXT = (
    "end of file while reading data",
    "cannot recv data",
    "client socket is closed",
    "invalid connection pointer",
    "connection reset by peer",
    "broken pipe",
    "keepalive timeout",
)


# "sh: 1: nc: not found", "bash: virt-ssh-helper: command not found",
# "exec: nc: not found", "virt-ssh-helper: No such file or directory".
_REMOTE_HELPER_MISSING = re.compile(
    r"\b(nc|netcat|virt-ssh-helper): (command )?not found"
    r"|\b(nc|netcat|virt-ssh-helper): no such file or directory"
)

_NO_DAEMON_TEXT = (
    "failed to connect socket",
    "unix connect failed",
    "connection refused",
)


def _from_text(text: str) -> ErrorKind | None:
    low = text.lower()
    if "host key verification failed" in low or "remote host identification has changed" in low:
        return ErrorKind.HOST_KEY
    if "could not resolve" in low or "name or service not known" in low:
        return ErrorKind.NAME_NOT_RESOLVED
    if "permission denied" in low or "authentication unavailable" in low:
        if "publickey" in low or "password" in low:
            return ErrorKind.AUTH_FAILED
        return ErrorKind.PERMISSION_DENIED
    if "no route to host" in low or "network is unreachable" in low or "timed out" in low:
        return ErrorKind.HOST_UNREACHABLE
    if "ssh: connect to host" in low:  # sshd not listening (connection refused)
        return ErrorKind.HOST_UNREACHABLE
    # Over ssh these arrive wrapped in "End of file while reading data: ...",
    # so they are looked for before the words of a lost link.
    if _REMOTE_HELPER_MISSING.search(low):
        return ErrorKind.REMOTE_HELPER_MISSING
    if any(t in low for t in _NO_DAEMON_TEXT):
        return ErrorKind.DAEMON_NOT_RUNNING
    if any(t in low for t in _LOST_TEXT):
        return ErrorKind.CONNECTION_LOST
    if "no connection driver available" in low:
        return ErrorKind.NO_DRIVER
    if "unable to parse uri" in low or "invalid uri" in low:
        return ErrorKind.BAD_URI
    return None


_BY_CODE = {
    libvirt.VIR_ERR_NO_DOMAIN: ErrorKind.NO_DOMAIN,
    libvirt.VIR_ERR_OPERATION_INVALID: ErrorKind.INVALID_OPERATION,
    libvirt.VIR_ERR_NO_SUPPORT: ErrorKind.NOT_SUPPORTED,
    libvirt.VIR_ERR_AUTH_CANCELLED: ErrorKind.AUTH_CANCELLED,
    libvirt.VIR_ERR_AUTH_FAILED: ErrorKind.AUTH_FAILED,
    libvirt.VIR_ERR_NO_CONNECT: ErrorKind.NO_DRIVER,
    libvirt.VIR_ERR_OPERATION_TIMEOUT: ErrorKind.TIMEOUT,
}


def classify(exc: BaseException) -> Failure:
    """Turn an exception from a libvirt call into a ``Failure``."""
    if isinstance(exc, libvirt.libvirtError):
        code = exc.get_error_code() or 0
        message = exc.get_error_message() or str(exc)
        kind = _BY_CODE.get(code)
        text_kind = _from_text(message)
        if kind in (None, ErrorKind.NO_DRIVER) and text_kind is not None:
            kind = text_kind
        return Failure(kind or ErrorKind.OTHER, message, code)
    if isinstance(exc, UriRefusedError):
        problem = exc.problem
        kind = ErrorKind.UNSAFE_URI if exc.needs_consent else ErrorKind.BAD_URI
        text = problem.message + (
            f" {' '.join(problem.warning.splitlines())}" if problem.warning else ""
        )
        return Failure(kind, text)
    if isinstance(exc, NotConnectedError):
        return Failure(ErrorKind.NOT_CONNECTED, str(exc) or "not connected")
    if isinstance(exc, TimeoutError):
        return Failure(ErrorKind.TIMEOUT, str(exc) or "timed out")
    return Failure(_from_text(str(exc)) or ErrorKind.OTHER, str(exc) or type(exc).__name__)


def silence_stderr_printing() -> None:
    """libvirt prints every error to stderr by default; kvmdesk reports them itself."""
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
