"""Reading a URI: ``parse_uri`` gives its parts, ``check_uri`` says whether it is safe."""

from __future__ import annotations

import re
import unicodedata

from kvmdesk.virt.uri.check import (
    check_host,
    check_host_text,
    check_path,
    check_port,
    check_user,
    decode,
    describe,
)
from kvmdesk.virt.uri.fields import (
    TRANSPORTS,
    UNSAFE_TRANSPORTS,
    Refused,
    UriCode,
    UriFields,
    UriProblem,
)
from kvmdesk.virt.uri.params import EXT_WARNING, parse_query

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
_DRIVER = re.compile(r"[a-z][a-z0-9]*")


def parse(uri: str) -> tuple[UriFields, list[str]]:
    if not uri:
        raise Refused(UriCode.EMPTY, "Enter a URI, for example qemu:///system.")
    for ch in uri:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            raise Refused(
                UriCode.CHARACTERS, f"The URI contains the control character {describe(ch)}."
            )
        if ch.isspace():
            raise Refused(UriCode.CHARACTERS, "A URI cannot contain spaces.")
    match = _URI.fullmatch(uri)
    if not match:
        if "://" not in uri:
            raise Refused(
                UriCode.SYNTAX,
                "A URI starts with a driver name and '://', for example qemu:///system.",
            )
        raise Refused(UriCode.SYNTAX, "This is not a URI libvirt understands.")
    host_raw = match["host"]
    if any(ord(ch) > 127 for ch in host_raw) and "%" not in host_raw:
        check_host_text(host_raw)  # names the lookalike character
    if not _URI_CHARS.fullmatch(uri):
        odd = next(ch for ch in uri if not _URI_CHARS.fullmatch(ch))
        if ord(odd) > 127:
            raise Refused(
                UriCode.CHARACTERS,
                f"The URI contains the non-ASCII character {describe(odd)}; "
                "percent-encode it or type it in ASCII.",
            )
        raise Refused(
            UriCode.CHARACTERS, f"The URI contains the character '{odd}', which URIs cannot hold."
        )
    if "#" in uri:
        raise Refused(UriCode.SYNTAX, "A libvirt URI cannot have a '#' part.")

    scheme = match["scheme"].lower()
    driver, plus, transport = scheme.partition("+")
    if not _DRIVER.fullmatch(driver):
        raise Refused(UriCode.DRIVER, f"'{driver}' is not a libvirt driver name.")
    warnings: list[str] = []
    if plus:
        if transport in UNSAFE_TRANSPORTS:
            warnings.append(EXT_WARNING)
        elif transport not in TRANSPORTS:
            raise Refused(
                UriCode.TRANSPORT,
                f"'{transport}' is not a transport; use one of: " + ", ".join(TRANSPORTS) + ".",
            )

    user = None
    if match["user"] is not None:
        user = decode(match["user"], "user name")
        check_user(user)
    host = check_host(host_raw) if host_raw else None
    if user is not None and host is None:
        raise Refused(UriCode.HOST, "A user name needs a host name.")
    port = None
    if match["port"] is not None:
        if host is None:
            raise Refused(UriCode.HOST, "A port needs a host name.")
        port = check_port(match["port"])
    path = check_path(match["path"] or "", driver, bool(plus or host))
    params: tuple[tuple[str, str], ...] = ()
    if match["query"] is not None:
        params, more = parse_query(match["query"])
        warnings += [w for w in more if w not in warnings]
    fields = UriFields(driver, transport if plus else None, user, host, port, path, params)
    return fields, warnings


def parse_uri(uri: str) -> UriFields | UriProblem:
    """The decoded parts of ``uri``, or why it is refused (unsafe parts are kept)."""
    try:
        fields, _warnings = parse(uri)
    except Refused as refused:
        return refused.problem
    return fields


def check_uri(uri: str, allow_unsafe: bool = False) -> UriProblem | None:
    """None for a URI that is fine to open; otherwise what is wrong or risky with it.

    A malformed URI is always refused. An unsafe one is refused unless
    ``allow_unsafe``; then the problem comes back with ``allowed`` set and
    the warning, for the caller to show.
    """
    try:
        _fields, warnings = parse(uri)
    except Refused as refused:
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
