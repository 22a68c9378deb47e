"""The rules for URI parameters, and the warnings about what unsafe parts do."""

from __future__ import annotations

import re

from kvmdesk.virt.uri.check import decode
from kvmdesk.virt.uri.fields import Refused, UriCode

_SOCKET = re.compile(r"(?:/[A-Za-z0-9._\-]+)+")

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
EXT_WARNING = (
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
            raise Refused(UriCode.PARAMETER, f"{name}= must be one of: {choices}.")
        return ""
    if name == "socket":
        if not _SOCKET.fullmatch(value):
            raise Refused(
                UriCode.PARAMETER,
                "socket= must be an absolute path of letters, digits, '.', '_', '-' and '/'.",
            )
        return ""
    if name == "sshauth":
        if not value or any(m not in _SSHAUTH for m in value.split(",")):
            raise Refused(
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


def parse_query(query: str) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    if ";" in query:
        raise Refused(UriCode.PARAMETER, "Separate URI parameters with '&'; ';' is not accepted.")
    params: list[tuple[str, str]] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for item in query.split("&"):
        raw_name, eq, raw_value = item.partition("=")
        if not raw_name or not eq:
            raise Refused(UriCode.PARAMETER, f"'{item}' is not a name=value parameter.")
        name = decode(raw_name, "parameter name")
        value = decode(raw_value, f"value of {name}=")
        key = name.lower()
        if key in seen:
            raise Refused(UriCode.PARAMETER, f"The parameter {name}= is given twice.")
        seen.add(key)
        warning = _check_param(key, value)
        if warning and warning not in warnings:
            warnings.append(warning)
        params.append((name, value))
    return tuple(params), warnings
