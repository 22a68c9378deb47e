"""Putting a URI together from form fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

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
