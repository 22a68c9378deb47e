"""The records: what a URI is made of, and why one is refused."""

from __future__ import annotations

import enum
from dataclasses import dataclass

TRANSPORTS = ("ssh", "libssh", "libssh2", "tls", "tcp", "unix")
UNSAFE_TRANSPORTS = ("ext",)


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


class Refused(Exception):
    """Raised inside the package by a check; carries the ``UriProblem`` to return."""

    def __init__(self, code: UriCode, message: str) -> None:
        super().__init__(message)
        self.problem = UriProblem(code, message)
