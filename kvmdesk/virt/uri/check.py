"""The rules for the parts of a URI: characters, user, host, port and path.

Each check raises ``Refused`` with the reason, or returns the part decoded.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import unquote_to_bytes

from kvmdesk.virt.uri.fields import Refused, UriCode

_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?")
_IPV4 = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_PORT = re.compile(r"[1-9][0-9]{0,4}")
_SAFE_PATH = re.compile(r"(?:/[A-Za-z0-9._~\-]*)*")
_SHELL_META = set(";|&$`'\"<>()\\*?[]{}!#~ \t\n")


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = repr(ch) if unicodedata.category(ch)[0] in "CZ" else f"'{ch}'"
    return f"{shown} (U+{ord(ch):04X}{' ' + name if name else ''})"


def decode(part: str, what: str) -> str:
    """Percent-decode ``part``; refuse NUL, control characters and bad UTF-8."""
    if _PCT.search(part):
        raise Refused(
            UriCode.CHARACTERS, f"The {what} has a '%' that is not followed by two hex digits."
        )
    raw = unquote_to_bytes(part)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(
            UriCode.CHARACTERS, f"The {what} holds percent-encoded bytes that are not UTF-8."
        ) from None
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            label = "a NUL byte (%00)" if ch == "\0" else f"the control character {describe(ch)}"
            raise Refused(UriCode.CHARACTERS, f"The {what} contains {label}.")
    return text


def check_user(user: str) -> None:
    if not user:
        raise Refused(UriCode.USER, "The user name is empty; leave out the '@' or fill it in.")
    if user[0] == "-":
        raise Refused(UriCode.USER, "A user name cannot start with '-'.")
    if len(user) > 64:
        raise Refused(UriCode.USER, "The user name is longer than 64 characters.")
    for ch in user:
        if ch in "._-" or (ch.isalnum() and unicodedata.category(ch)[0] in "LN"):
            continue
        if ch == "@":
            why = "an '@' (the host name goes in its own field)"
        elif ch == ":":
            why = "a ':' (a password cannot be put in the URI)"
        elif ch == "/":
            why = "a '/'"
        elif ch.isspace():
            why = "a space"
        elif ch in _SHELL_META:
            why = f"the shell character '{ch}'"
        else:
            why = f"the character {describe(ch)}"
        raise Refused(
            UriCode.USER,
            f"The user name contains {why}. Use letters, digits, '.', '_' and '-'.",
        )


def check_host(host: str) -> str:
    """Validate the host as written between '//' (and '@') and ':'/'/'; return it decoded."""
    if host.startswith("["):
        inner = host[1:-1] if host.endswith("]") else host[1:]
        if not host.endswith("]"):
            raise Refused(UriCode.HOST, "The IPv6 address has no closing ']'.")
        if "%" in inner:
            raise Refused(
                UriCode.IPV6_ZONE,
                "IPv6 addresses with a zone (such as fe80::1%eth0) are not supported. "
                "Use a global IPv6 address or a host name.",
            )
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            raise Refused(UriCode.HOST, f"'{inner}' is not an IPv6 address.") from None
        return inner
    if "%" in host:
        # Name the character that was encoded when it is the trouble.
        check_host_text(decode(host, "host name"))
        raise Refused(UriCode.HOST, "A host name cannot contain '%'.")
    return check_host_text(host)


def _refuse_non_ascii_host(host: str) -> None:
    odd = next(ch for ch in host if ord(ch) > 127)
    raise Refused(
        UriCode.HOST_NOT_ASCII,
        f"The host name contains the non-ASCII character {describe(odd)}, which may "
        "only look like a Latin letter. Type the name in ASCII; an international "
        "domain name must be written in its xn-- form.",
    )


def check_host_text(host: str) -> str:
    if any(ord(ch) > 127 for ch in host):
        _refuse_non_ascii_host(host)
    if host.startswith("-"):
        raise Refused(UriCode.HOST, "A host name cannot start with '-'.")
    for ch in host:
        if not (ch.isascii() and (ch.isalnum() or ch in "-.")):
            what = "a space" if ch.isspace() else describe(ch)
            if ch in _SHELL_META and not ch.isspace():
                what = f"the shell character '{ch}'"
            if ch == ":":
                raise Refused(
                    UriCode.HOST, "Put an IPv6 address in square brackets, e.g. [2001:db8::1]."
                )
            raise Refused(
                UriCode.HOST,
                f"The host name contains {what}. Use letters, digits, '-' and '.'.",
            )
    labels = host.split(".")
    if all(label.isdigit() for label in labels):
        if not _IPV4.fullmatch(host) or any(int(label) > 255 for label in labels):
            raise Refused(UriCode.HOST, f"'{host}' is not an IPv4 address.")
        return host
    if len(host) > 253:
        raise Refused(UriCode.HOST, "The host name is longer than 253 characters.")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise Refused(
                UriCode.HOST,
                "Each part of a host name between dots must have 1 to 63 letters, digits "
                "or hyphens, and cannot start or end with a hyphen.",
            )
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        raise Refused(UriCode.HOST, f"'{host}' looks like an IP address but is not a valid one.")
    return host


def check_port(port: str) -> int:
    if not _PORT.fullmatch(port) or not 1 <= int(port) <= 65535:
        raise Refused(UriCode.PORT, "The port must be a number from 1 to 65535.")
    return int(port)


def check_path(path: str, driver: str, remote: bool) -> str:
    decoded = decode(path, "path")
    if remote and not _SAFE_PATH.fullmatch(path):
        raise Refused(
            UriCode.PATH,
            "The path of a remote URI may hold only letters, digits, '/', '.', '_', '~' and '-'.",
        )
    if driver == "qemu":
        allowed = ("/system", "/session") if remote else ("/system", "/session", "/embed")
        if decoded not in allowed:
            raise Refused(
                UriCode.PATH, "A QEMU/KVM URI ends in /system or /session, e.g. qemu:///system."
            )
    return decoded
