"""The error of refused input, and the text checks of paths and URIs.

Shared by the checks of what the New VM wizard collected
(``plan_checks``) and the judge of disk paths (``disk_paths``), which
``plan_checks`` offers too.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit


class PlanInputError(ValueError):
    """Input refused before anything was created.

    ``field``: "name", "memory", "vcpus", "size", "path", "pool", "format".
    ``reason``: name "empty", "long", "slash", "dash", "control", "markup"
    (one of < > & " '), "space" (leading or trailing), "taken";
    numbers "invalid" (not a plain number: "1e3", "abc"), "negative",
    "zero", "above" (more than the host has; ``limit`` holds the maximum),
    size also "space" (more than the pool's free space, ``limit`` in
    bytes); path "empty", "relative", "dotdot", "control", "missing",
    "not_volume" (a remote host's file that no storage pool holds);
    pool "missing", "inactive"; format "invalid".
    """

    def __init__(self, field: str, reason: str, detail: str = "", limit: int = 0) -> None:
        self.field = field
        self.reason = reason
        self.detail = detail
        self.limit = limit
        super().__init__(f"{field}: {reason}" + (f" ({detail})" if detail else ""))


def is_remote_uri(uri: str) -> bool:
    """A URI naming a host: its files are not on this machine's disk."""
    try:
        return bool(urlsplit(uri).hostname)
    except ValueError:
        return True


def check_path_text(path: str) -> str:
    """An absolute path without ".." or control characters, normalised."""
    if not path:
        raise PlanInputError("path", "empty")
    if any(ord(c) < 32 for c in path):
        raise PlanInputError("path", "control", path)
    if not path.startswith("/"):
        raise PlanInputError("path", "relative", path)
    if ".." in path.split("/"):
        raise PlanInputError("path", "dotdot", path)
    return posixpath.normpath(path)
