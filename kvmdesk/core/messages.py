"""User-facing words for states and failures, translated in one place."""

from __future__ import annotations

import asyncio
import functools
import html

from PySide6.QtCore import QCoreApplication

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.paths import is_demo_uri
from kvmdesk.virt.errors import ErrorKind, Failure
from kvmdesk.virt.records import DomainState


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the user's language; ``n`` picks a plural form of "%n".

    Call it by this bare name, ``tr("...")``: that is how pyside6-lupdate
    finds the string and files it under the empty context, the one this
    function asks for (``messages.tr(...)`` would be filed under "messages";
    scripts/fix_tr_calls.py rewrites such calls).
    """
    return QCoreApplication.translate("", text, disambiguation, n)


# What may end a sentence, in the languages kvmdesk is translated to; a
# closing quote or bracket may follow it.
_TERMINAL = ".!?…。！？"
_CLOSING = "”’\"')）」』"


def sentence(text: str) -> str:
    """``text`` as a whole sentence: trimmed and ending in a full stop.

    Words from libvirt, the OS or a guest ("stream had I/O failure") often
    end without one, or with a colon; a message built from parts must not
    run them into the next sentence.
    """
    text = text.strip()
    core = text.rstrip(_CLOSING)
    if not text or (core and core[-1] in _TERMINAL):
        return text
    text = text.rstrip(":;,，：；、 ")
    return tr("{0}.", "a sentence built from parts, given its full stop").format(text)


def sentences(*parts: str) -> str:
    """Whole sentences one after the other, spaced as the language does it."""
    whole = [sentence(part) for part in parts if part.strip()]
    return functools.reduce(_two_sentences, whole) if whole else ""


def _two_sentences(first: str, second: str) -> str:
    return tr("{0} {1}", "two sentences one after the other").format(first, second)


def join_list(items: list[str] | tuple[str, ...]) -> str:
    """Items of a list inside a sentence ("a; b; c"), separated as the language does it."""
    return functools.reduce(_two_items, items) if items else ""


def _two_items(first: str, second: str) -> str:
    return tr("{0}; {1}", "items of a list inside a sentence").format(first, second)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally even if it looks like markup.

    Qt guesses whether a tooltip is rich text; escaping inside an explicit
    paragraph makes the guess certain and the text exact.
    """
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'


def state_label(state: DomainState) -> str:
    return {
        DomainState.NOSTATE: tr("Unknown"),
        DomainState.RUNNING: tr("Running"),
        DomainState.BLOCKED: tr("Running"),
        DomainState.PAUSED: tr("Paused"),
        DomainState.SHUTDOWN: tr("Shutting Down"),
        DomainState.SHUTOFF: tr("Shutoff"),
        DomainState.CRASHED: tr("Crashed"),
        DomainState.PMSUSPENDED: tr("Suspended"),
        DomainState.SAVED: tr("Saved"),
        DomainState.SAVED_TO_FILE: tr("Saved to file"),
    }[state]


def failure_summary(failure: Failure) -> str:
    """One sentence saying what went wrong."""
    return {
        ErrorKind.DAEMON_NOT_RUNNING: tr("The libvirt service is not running on this host."),
        ErrorKind.PERMISSION_DENIED: tr("Permission denied by the libvirt service."),
        ErrorKind.NO_DRIVER: tr("This kind of connection is not supported here."),
        ErrorKind.BAD_URI: tr("The connection address is not valid."),
        ErrorKind.UNSAFE_URI: tr(
            "Not opened: this address makes libvirt run a program, read a file or skip host checks."
        ),
        ErrorKind.NAME_NOT_RESOLVED: tr("The host name could not be found."),
        ErrorKind.HOST_KEY: tr("The host's SSH key could not be verified."),
        ErrorKind.HOST_UNREACHABLE: tr("The host does not answer."),
        ErrorKind.REMOTE_HELPER_MISSING: tr(
            "The host has no program that links SSH to libvirt (virt-ssh-helper or nc)."
        ),
        ErrorKind.AUTH_FAILED: tr("Authentication failed."),
        ErrorKind.AUTH_CANCELLED: tr("Authentication was cancelled."),
        ErrorKind.CONNECTION_LOST: tr("The connection to the host was lost."),
        ErrorKind.DESTINATION_LOST: tr("The destination host stopped answering."),
        ErrorKind.NOT_CONNECTED: tr("The connection is not open."),
        ErrorKind.NO_DOMAIN: tr("The virtual machine no longer exists."),
        ErrorKind.INVALID_OPERATION: tr("The virtual machine is not in a state that allows this."),
        ErrorKind.NOT_SUPPORTED: tr("The hypervisor does not support this."),
        ErrorKind.TIMEOUT: tr("The host took too long to answer."),
        ErrorKind.OTHER: tr("libvirt reported an error."),
    }[failure.kind]


def failure_hint(failure: Failure) -> str:
    """What the user can do about it, or an empty string."""
    return {
        ErrorKind.DAEMON_NOT_RUNNING: tr(
            "Start it (for example: sudo systemctl start libvirtd), "
            "or use the user session (qemu:///session)."
        ),
        ErrorKind.PERMISSION_DENIED: tr(
            "Join the libvirt group (sudo usermod -aG libvirt $USER, then log in again), "
            "or use the user session (qemu:///session)."
        ),
        ErrorKind.NO_DRIVER: tr("Check the URI, or install the libvirt driver it needs."),
        ErrorKind.BAD_URI: tr("Check the spelling, for example qemu:///system."),
        ErrorKind.UNSAFE_URI: tr(
            "Choose Connect to see what it does; you can accept it for this start, "
            "or for every start."
        ),
        ErrorKind.NAME_NOT_RESOLVED: tr("Check the host name and your DNS settings."),
        ErrorKind.HOST_KEY: tr(
            "The key is unknown or has changed. Connect once with ssh in a terminal to check "
            "its fingerprint; if it changed unexpectedly, someone may be intercepting the link."
        ),
        ErrorKind.HOST_UNREACHABLE: tr("Check that the host is up and reachable."),
        ErrorKind.REMOTE_HELPER_MISSING: tr(
            "Install libvirt's client tools on the host (virt-ssh-helper comes with the "
            "libvirt daemon packages; nc with netcat-openbsd), or choose the proxy the "
            "host has in the connection's advanced field (proxy=native or proxy=netcat)."
        ),
        ErrorKind.TIMEOUT: tr(
            "kvmdesk keeps trying. A slow link or an SSH prompt nobody answered can cause this."
        ),
        ErrorKind.CONNECTION_LOST: tr("kvmdesk reconnects by itself when the host is back."),
        ErrorKind.DESTINATION_LOST: tr(
            "The machine runs on at the source. Migrate again when the destination is back."
        ),
        ErrorKind.NO_DOMAIN: tr("Another program may have deleted it."),
    }.get(failure.kind, "")


def connection_label(conn: Connection) -> str:
    uri = conn.uri
    if is_demo_uri(uri):
        return tr("Demo host (test driver)")
    if uri == "qemu:///system":
        return tr("QEMU/KVM")
    if uri == "qemu:///session":
        return tr("QEMU/KVM User session")
    if uri.startswith("test:"):
        return tr("Test: {0}").format(uri.split("/")[-1] or "default")
    return uri


def connection_state_tooltip(conn: Connection) -> str:
    """The state, what to do about a failure, and libvirt's (or the check's) own words."""
    lines = [connection_state_text(conn)]
    if conn.failure is not None:
        hint = failure_hint(conn.failure)
        if hint:
            lines.append(hint)
        if conn.failure.message:
            lines.append(conn.failure.message)
    return "\n\n".join(lines)


def connection_state_text(conn: Connection) -> str:
    if conn.state is ConnState.CONNECTED:
        return tr("Connected")
    if conn.state is ConnState.CONNECTING:
        return tr("Connecting…")
    if conn.state is ConnState.WAITING:
        left = 0
        if conn.retry_at is not None:
            left = max(0, round(conn.retry_at - asyncio.get_event_loop().time()))
        if conn.failure is None:
            return tr("Reconnecting in {0} s").format(left)
        return tr("Reconnecting in {0} s — {1}").format(left, failure_summary(conn.failure))
    if conn.failure is not None:
        return tr("Disconnected: {0}").format(failure_summary(conn.failure))
    return tr("Disconnected")
