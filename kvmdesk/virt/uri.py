"""Build libvirt URIs from form fields and check URIs before libvirt sees them.

A libvirt URI can make libvirt run programs and read files on this computer
(``command=``, ``netcat=``, the ``+ext`` transport, ``keyfile=`` ...) and can
switch off host-key or certificate checks (``no_verify=1``). A URI pasted
from elsewhere, or put together from form fields that hold surprises such
as a host name ``-oProxyCommand=...``, must therefore be checked first.

``check_uri`` accepts a deliberately small grammar, stricter than libvirt's:

* ``driver[+transport]://[user@][host][:port][/path][?name=value&...]``,
  no fragment; only the characters RFC 3986 allows, everything else
  percent-encoded; no ``%00`` or encoded control characters anywhere.
* transports: none (local or TLS), ``ssh``, ``libssh``, ``libssh2``,
  ``tls``, ``tcp``, ``unix``; ``ext`` only as an unsafe one.
* host: a DNS name in ASCII (letters, digits, hyphens; international names
  in their ``xn--`` form), an IPv4 address, or an IPv6 address in square
  brackets. IPv6 zone ids (``fe80::1%eth0``) are refused: libvirt and
  libxml2 do not agree on how a zone is written in a URI, so a link-local
  host must be reached through a global address or a DNS name.
* user: letters, digits, ``.``, ``_`` and ``-`` (not first); non-ASCII
  letters are allowed and percent-encoded as UTF-8.
* port: 1 to 65535, digits only, no leading zero.
* parameters: ``socket`` (an absolute path), ``mode`` (auto, legacy,
  direct), ``proxy`` (auto, netcat, native), ``no_tty`` (0, 1), ``sshauth``
  (agent, privkey, password, keyboard-interactive), ``no_verify=0`` and
  ``known_hosts_verify=normal``. Names are compared case-insensitively after
  percent-decoding, as libvirt does. Every other parameter is unsafe:
  refused unless the caller allows unsafe URIs, and then reported with a
  warning that says what it does. ``;`` as a parameter separator and
  repeated parameters are refused outright.

No Qt here; the texts are plain English for the layers above to show.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes

__all__ = [
    "TRANSPORTS",
    "UriCode",
    "UriFields",
    "UriProblem",
    "build_uri",
    "check_uri",
    "parse_uri",
]

TRANSPORTS = ("ssh", "libssh", "libssh2", "tls", "tcp", "unix")
_UNSAFE_TRANSPORTS = ("ext",)


class UriCode(enum.Enum):
    EMPTY = "empty"
    SYNTAX = "syntax"
    CHARACTERS = "characters"
    DRIVER = "driver"
    TRANSPORT = "transport"
    USER = "user"
    HOST = "host"
    HOST_NOT_ASCII = "host_not_ascii"
    IPV6_ZONE = "ipv6_zone"
    PORT = "port"
    PATH = "path"
    PARAMETER = "parameter"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class UriProblem:
    """Why a URI is refused, or (``allowed``) why an accepted one is risky.

    ``warning`` is set for unsafe URIs only: one sentence per risky part,
    saying what it makes libvirt do.
    """

    code: UriCode
    message: str
    warning: str = ""
    allowed: bool = False

    @property
    def refused(self) -> bool:
        return not self.allowed


@dataclass(frozen=True, slots=True)
class UriFields:
    """The parts of a URI, decoded. ``host`` holds an IPv6 address without brackets."""

    driver: str
    transport: str | None = None
    user: str | None = None
    host: str | None = None
    port: int | None = None
    path: str = ""
    params: tuple[tuple[str, str], ...] = ()


# -- building ---------------------------------------------------------------

_IPV6_CHARS = re.compile(r"[0-9A-Fa-f:.]+")


def _host_part(host: str) -> str:
    address, pct, zone = host.partition("%")
    if ":" in address and _IPV6_CHARS.fullmatch(address):
        # A zone id is kept, percent-encoded, so that check_uri can name it.
        return "[" + address + (pct and "%25" + quote(zone, safe="")) + "]"
    return quote(host, safe="-.")


def build_uri(
    driver: str,
    transport: str | None,
    user: str | None,
    host: str | None,
    port: int | None,
    path: str,
    params: Mapping[str, str] | None = None,
) -> str:
    """Put fields together, percent-encoding what a URI cannot hold as it is.

    Nothing is checked here: whatever the fields hold, the result says it
    literally, and ``check_uri`` decides whether it may be used.
    """
    scheme = driver + (f"+{transport}" if transport else "")
    authority = ""
    if user:
        authority += quote(user, safe="") + "@"
    if host:
        authority += _host_part(host)
    if port is not None:
        authority += f":{port}"
    uri = f"{scheme}://{authority}{quote(path, safe='/-._~')}"
    if params:
        uri += "?" + "&".join(
            f"{quote(k, safe='')}={quote(v, safe='/-._~')}" for k, v in params.items()
        )
    return uri


# -- parsing ----------------------------------------------------------------

_URI = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://"
    r"(?:(?P<user>[^@/?#\[\]]*)@)?"
    r"(?P<host>\[[^\]/?#]*\]|[^:/?#\[\]]*)"
    r"(?::(?P<port>[^/?#]*))?"
    r"(?P<path>/[^?#]*)?"
    r"(?:\?(?P<query>[^#]*))?",
    re.DOTALL,
)
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DRIVER = re.compile(r"[a-z][a-z0-9]*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?")
_IPV4 = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_PORT = re.compile(r"[1-9][0-9]{0,4}")
_SAFE_PATH = re.compile(r"(?:/[A-Za-z0-9._~\-]*)*")
_SOCKET = re.compile(r"(?:/[A-Za-z0-9._\-]+)+")
_SHELL_META = set(";|&$`'\"<>()\\*?[]{}!#~ \t\n")


class _Refused(Exception):
    def __init__(self, code: UriCode, message: str) -> None:
        super().__init__(message)
        self.problem = UriProblem(code, message)


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = repr(ch) if unicodedata.category(ch)[0] in "CZ" else f"'{ch}'"
    return f"{shown} (U+{ord(ch):04X}{' ' + name if name else ''})"


def _decode(part: str, what: str) -> str:
    """Percent-decode ``part``; refuse NUL, control characters and bad UTF-8."""
    if _PCT.search(part):
        raise _Refused(
            UriCode.CHARACTERS, f"The {what} has a '%' that is not followed by two hex digits."
        )
    raw = unquote_to_bytes(part)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(
            UriCode.CHARACTERS, f"The {what} holds percent-encoded bytes that are not UTF-8."
        ) from None
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            label = "a NUL byte (%00)" if ch == "\0" else f"the control character {_describe(ch)}"
            raise _Refused(UriCode.CHARACTERS, f"The {what} contains {label}.")
    return text


def _check_user(user: str) -> None:
    if not user:
        raise _Refused(UriCode.USER, "The user name is empty; leave out the '@' or fill it in.")
    if user[0] == "-":
        raise _Refused(UriCode.USER, "A user name cannot start with '-'.")
    if len(user) > 64:
        raise _Refused(UriCode.USER, "The user name is longer than 64 characters.")
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
            why = f"the character {_describe(ch)}"
        raise _Refused(
            UriCode.USER,
            f"The user name contains {why}. Use letters, digits, '.', '_' and '-'.",
        )


def _check_host(host: str) -> str:
    """Validate the host as written between '//' (and '@') and ':'/'/'; return it decoded."""
    if host.startswith("["):
        inner = host[1:-1] if host.endswith("]") else host[1:]
        if not host.endswith("]"):
            raise _Refused(UriCode.HOST, "The IPv6 address has no closing ']'.")
        if "%" in inner:
            raise _Refused(
                UriCode.IPV6_ZONE,
                "IPv6 addresses with a zone (such as fe80::1%eth0) are not supported. "
                "Use a global IPv6 address or a host name.",
            )
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            raise _Refused(UriCode.HOST, f"'{inner}' is not an IPv6 address.") from None
        return inner
    if "%" in host:
        # Name the character that was encoded when it is the trouble.
        _check_host_text(_decode(host, "host name"))
        raise _Refused(UriCode.HOST, "A host name cannot contain '%'.")
    return _check_host_text(host)


def _refuse_non_ascii_host(host: str) -> None:
    odd = next(ch for ch in host if ord(ch) > 127)
    raise _Refused(
        UriCode.HOST_NOT_ASCII,
        f"The host name contains the non-ASCII character {_describe(odd)}, which may "
        "only look like a Latin letter. Type the name in ASCII; an international "
        "domain name must be written in its xn-- form.",
    )


def _check_host_text(host: str) -> str:
    if any(ord(ch) > 127 for ch in host):
        _refuse_non_ascii_host(host)
    if host.startswith("-"):
        raise _Refused(UriCode.HOST, "A host name cannot start with '-'.")
    for ch in host:
        if not (ch.isascii() and (ch.isalnum() or ch in "-.")):
            what = "a space" if ch.isspace() else _describe(ch)
            if ch in _SHELL_META and not ch.isspace():
                what = f"the shell character '{ch}'"
            if ch == ":":
                raise _Refused(
                    UriCode.HOST, "Put an IPv6 address in square brackets, e.g. [2001:db8::1]."
                )
            raise _Refused(
                UriCode.HOST,
                f"The host name contains {what}. Use letters, digits, '-' and '.'.",
            )
    labels = host.split(".")
    if all(label.isdigit() for label in labels):
        if not _IPV4.fullmatch(host) or any(int(label) > 255 for label in labels):
            raise _Refused(UriCode.HOST, f"'{host}' is not an IPv4 address.")
        return host
    if len(host) > 253:
        raise _Refused(UriCode.HOST, "The host name is longer than 253 characters.")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise _Refused(
                UriCode.HOST,
                "Each part of a host name between dots must have 1 to 63 letters, digits "
                "or hyphens, and cannot start or end with a hyphen.",
            )
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        raise _Refused(UriCode.HOST, f"'{host}' looks like an IP address but is not a valid one.")
    return host


def _check_port(port: str) -> int:
    if not _PORT.fullmatch(port) or not 1 <= int(port) <= 65535:
        raise _Refused(UriCode.PORT, "The port must be a number from 1 to 65535.")
    return int(port)


# parameter name -> sentence for the warning about it
_UNSAFE_PARAMS = {
    "command": (
        "command= names the program libvirt runs on this computer in place of ssh "
        "(or, with +ext, the program that carries the connection); it runs with your rights."
    ),
    "netcat": (
        "netcat= names a command that is run through a shell on the remote host "
        "to reach libvirt's socket there."
    ),
    "keyfile": (
        "keyfile= makes ssh read a private key from whatever file the URI names, "
        "such as /etc/shadow or another person's key."
    ),
    "authfile": (
        "authfile= makes libvirt read user names and passwords from whatever file the URI names."
    ),
    "pkipath": (
        "pkipath= makes libvirt take its TLS certificates and private key from "
        "whatever folder the URI names."
    ),
    "known_hosts": (
        "known_hosts= makes libvirt trust, and write, the host keys in a file the URI "
        "names instead of your own known_hosts file."
    ),
    "tls_priority": (
        "tls_priority= changes which TLS versions and ciphers are accepted and can weaken "
        "encryption."
    ),
    "name": (
        "name= is passed unchanged to the remote daemon as the URI to open, past these checks."
    ),
}
_NO_VERIFY = (
    "no_verify= switches off checking who the server is: with ssh new host keys are "
    "accepted without asking, with TLS the server's certificate is not verified. "
    "Someone on the network could pose as the host."
)
_KNOWN_HOSTS_VERIFY = (
    "known_hosts_verify=auto accepts new host keys without asking, and =ignore switches "
    "host-key checking off; someone on the network could pose as the host."
)
_EXT = (
    "The +ext transport runs the program named by command= on this computer to carry "
    "the connection."
)
_CHOICES = {
    "mode": ("auto", "legacy", "direct"),
    "proxy": ("auto", "netcat", "native"),
    "no_tty": ("0", "1"),
}
_SSHAUTH = ("agent", "privkey", "password", "keyboard-interactive")


def _check_param(name: str, value: str) -> str:
    """Refuse a malformed safe parameter; return a warning for an unsafe one, or ""."""
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            choices = ", ".join(_CHOICES[name])
            raise _Refused(UriCode.PARAMETER, f"{name}= must be one of: {choices}.")
        return ""
    if name == "socket":
        if not _SOCKET.fullmatch(value):
            raise _Refused(
                UriCode.PARAMETER,
                "socket= must be an absolute path of letters, digits, '.', '_', '-' and '/'.",
            )
        return ""
    if name == "sshauth":
        if not value or any(m not in _SSHAUTH for m in value.split(",")):
            raise _Refused(
                UriCode.PARAMETER, "sshauth= is a comma-separated list of: " + ", ".join(_SSHAUTH)
            )
        return ""
    if name == "no_verify":
        return "" if value == "0" else _NO_VERIFY
    if name == "known_hosts_verify":
        return "" if value == "normal" else _KNOWN_HOSTS_VERIFY
    if name in _UNSAFE_PARAMS:
        return _UNSAFE_PARAMS[name]
    return (
        f"{name}= is a parameter kvmdesk does not know; libvirt hands unknown parameters "
        "on to the driver."
    )


def _parse_query(query: str) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    if ";" in query:
        raise _Refused(UriCode.PARAMETER, "Separate URI parameters with '&'; ';' is not accepted.")
    params: list[tuple[str, str]] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for item in query.split("&"):
        raw_name, eq, raw_value = item.partition("=")
        if not raw_name or not eq:
            raise _Refused(UriCode.PARAMETER, f"'{item}' is not a name=value parameter.")
        name = _decode(raw_name, "parameter name")
        value = _decode(raw_value, f"value of {name}=")
        key = name.lower()
        if key in seen:
            raise _Refused(UriCode.PARAMETER, f"The parameter {name}= is given twice.")
        seen.add(key)
        warning = _check_param(key, value)
        if warning and warning not in warnings:
            warnings.append(warning)
        params.append((name, value))
    return tuple(params), warnings


def _check_path(path: str, driver: str, remote: bool) -> str:
    decoded = _decode(path, "path")
    if remote and not _SAFE_PATH.fullmatch(path):
        raise _Refused(
            UriCode.PATH,
            "The path of a remote URI may hold only letters, digits, '/', '.', '_', '~' and '-'.",
        )
    if driver == "qemu":
        allowed = ("/system", "/session") if remote else ("/system", "/session", "/embed")
        if decoded not in allowed:
            raise _Refused(
                UriCode.PATH, "A QEMU/KVM URI ends in /system or /session, e.g. qemu:///system."
            )
    return decoded


def _parse(uri: str) -> tuple[UriFields, list[str]]:
    if not uri:
        raise _Refused(UriCode.EMPTY, "Enter a URI, for example qemu:///system.")
    for ch in uri:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            raise _Refused(
                UriCode.CHARACTERS, f"The URI contains the control character {_describe(ch)}."
            )
        if ch.isspace():
            raise _Refused(UriCode.CHARACTERS, "A URI cannot contain spaces.")
    match = _URI.fullmatch(uri)
    if not match:
        if "://" not in uri:
            raise _Refused(
                UriCode.SYNTAX,
                "A URI starts with a driver name and '://', for example qemu:///system.",
            )
        raise _Refused(UriCode.SYNTAX, "This is not a URI libvirt understands.")
    host_raw = match["host"]
    if any(ord(ch) > 127 for ch in host_raw) and "%" not in host_raw:
        _check_host_text(host_raw)  # names the lookalike character
    if not _URI_CHARS.fullmatch(uri):
        odd = next(ch for ch in uri if not _URI_CHARS.fullmatch(ch))
        if ord(odd) > 127:
            raise _Refused(
                UriCode.CHARACTERS,
                f"The URI contains the non-ASCII character {_describe(odd)}; "
                "percent-encode it or type it in ASCII.",
            )
        raise _Refused(
            UriCode.CHARACTERS, f"The URI contains the character '{odd}', which URIs cannot hold."
        )
    if "#" in uri:
        raise _Refused(UriCode.SYNTAX, "A libvirt URI cannot have a '#' part.")

    scheme = match["scheme"].lower()
    driver, plus, transport = scheme.partition("+")
    if not _DRIVER.fullmatch(driver):
        raise _Refused(UriCode.DRIVER, f"'{driver}' is not a libvirt driver name.")
    warnings: list[str] = []
    if plus:
        if transport in _UNSAFE_TRANSPORTS:
            warnings.append(_EXT)
        elif transport not in TRANSPORTS:
            raise _Refused(
                UriCode.TRANSPORT,
                f"'{transport}' is not a transport; use one of: " + ", ".join(TRANSPORTS) + ".",
            )

    user = None
    if match["user"] is not None:
        user = _decode(match["user"], "user name")
        _check_user(user)
    host = _check_host(host_raw) if host_raw else None
    if user is not None and host is None:
        raise _Refused(UriCode.HOST, "A user name needs a host name.")
    port = None
    if match["port"] is not None:
        if host is None:
            raise _Refused(UriCode.HOST, "A port needs a host name.")
        port = _check_port(match["port"])
    path = _check_path(match["path"] or "", driver, bool(plus or host))
    params: tuple[tuple[str, str], ...] = ()
    if match["query"] is not None:
        params, more = _parse_query(match["query"])
        warnings += [w for w in more if w not in warnings]
    fields = UriFields(driver, transport if plus else None, user, host, port, path, params)
    return fields, warnings


def parse_uri(uri: str) -> UriFields | UriProblem:
    """The decoded parts of ``uri``, or why it is refused (unsafe parts are kept)."""
    try:
        fields, _warnings = _parse(uri)
    except _Refused as refused:
        return refused.problem
    return fields


def check_uri(uri: str, allow_unsafe: bool = False) -> UriProblem | None:
    """None for a URI that is fine to open; otherwise what is wrong or risky with it.

    A malformed URI is always refused. An unsafe one is refused unless
    ``allow_unsafe``; then the problem comes back with ``allowed`` set and
    the warning, for the caller to show.
    """
    try:
        _fields, warnings = _parse(uri)
    except _Refused as refused:
        return refused.problem
    if not warnings:
        return None
    warning = "\n".join(warnings)
    if allow_unsafe:
        return UriProblem(
            UriCode.UNSAFE, "This URI makes libvirt do risky things.", warning, allowed=True
        )
    return UriProblem(
        UriCode.UNSAFE,
        "This URI is refused because it makes libvirt do risky things.",
        warning,
    )
