"""The one place that opens a libvirt URI.

A URI can make libvirt run programs and read files on this computer, or
switch off host-key checks (see ``virt.uri``). Checking it at each entry
point (the Add Connection dialog, ``-c`` on the command line) left every
other way in unchecked: URIs restored from the settings file, the headless
``kvmdesk screenshot -c`` and ``kvmdesk check -c``. So the check lives here,
in front of libvirt, and nothing else in kvmdesk calls ``libvirt.open``,
``openAuth`` or ``openReadOnly`` (tests/unit/virt/test_virt_opener.py fails
if anything does).

``allow_unsafe`` is the user's consent to a URI that ``check_uri`` calls
unsafe: ``--allow-unsafe-uri`` on a command line, or "I understand" in a
dialog. It never makes a malformed URI acceptable.
"""

from __future__ import annotations

import os

import libvirt

from kvmdesk.virt.auth import AskFunction, auth_list
from kvmdesk.virt.uri import UriProblem, check_uri

UNSAFE_URI_OPTION = "--allow-unsafe-uri"


class UriRefusedError(Exception):
    """The URI failed the check; libvirt never saw it. ``problem`` says why."""

    def __init__(self, uri: str, problem: UriProblem) -> None:
        super().__init__(problem.message)
        self.uri = uri
        self.problem = problem

    @property
    def needs_consent(self) -> bool:
        """Unsafe but well-formed: the user may accept it knowingly."""
        return bool(self.problem.warning)


def default_uri() -> str:
    """The URI a command uses when none is given, so that it is checked too.

    ``$LIBVIRT_DEFAULT_URI`` when set (libvirt's own default), else
    ``qemu:///system`` for root and ``qemu:///session`` for anyone else,
    which is what libvirt's probing picks on a QEMU/KVM host.
    """
    env = os.environ.get("LIBVIRT_DEFAULT_URI", "")
    if env:
        return env
    return "qemu:///system" if os.geteuid() == 0 else "qemu:///session"


def checked(uri: str, allow_unsafe: bool = False) -> UriProblem | None:
    """The reason ``uri`` may not be opened, or None (an allowed unsafe URI is None)."""
    problem = check_uri(uri, allow_unsafe=allow_unsafe)
    if problem is None or problem.allowed:
        return None
    return problem


def open_uri(
    uri: str,
    *,
    allow_unsafe: bool = False,
    ask: AskFunction | None = None,
    read_only: bool = False,
) -> libvirt.virConnect:
    """Check ``uri``, then open it (blocking).

    ``ask`` answers libvirt's own credential requests (then ``openAuth``);
    ``read_only`` opens a read-only connection. Raises ``UriRefusedError``
    before libvirt sees a refused URI, and ``libvirtError`` as libvirt does.
    """
    problem = checked(uri, allow_unsafe)
    if problem is not None:
        raise UriRefusedError(uri, problem)
    if ask is not None:
        flags = libvirt.VIR_CONNECT_RO if read_only else 0
        return libvirt.openAuth(uri, auth_list(ask), flags)
    if read_only:
        return libvirt.openReadOnly(uri)
    return libvirt.open(uri)


def refusal_text(error: UriRefusedError) -> str:
    """One line for a terminal: why the URI was refused and how to accept it."""
    problem = error.problem
    warning = " ".join(problem.warning.splitlines())
    detail = f" {warning}" if warning else ""
    hint = f" ({UNSAFE_URI_OPTION} accepts it)" if error.needs_consent else ""
    return f"refused URI {error.uri!r}: {problem.message}{detail}{hint}"


def unsafe_warning_text(uri: str) -> str:
    """One line for a terminal about an unsafe URI the user accepted, or ""."""
    problem = check_uri(uri, allow_unsafe=True)
    if problem is None or not problem.allowed:
        return ""
    return f"unsafe URI {uri!r}: " + " ".join(problem.warning.splitlines())
