"""File names for screenshots: a template with a few placeholders, made safe.

``{connection}-{domain}-{time}.png`` is the default. Only the placeholders
:data:`PLACEHOLDERS` are allowed (no format specs, no attribute access: the
template is filled by hand, not with ``str.format``). The rendered name is a
single file name: no ``/``, no control characters, never starting with ``-``
or ``.``, and it ends in ``.png``. :func:`write_new` never overwrites a file;
it adds ``_2``, ``_3``... instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from kvmdesk.virt.shown import is_hidden, reveal

DEFAULT_TEMPLATE = "{connection}-{domain}-{time}.png"
PLACEHOLDERS = ("connection", "domain", "uuid", "time")
TIME_FORMAT = "%Y%m%d-%H%M%S"
MAX_NAME = 200  # characters of a rendered name, before the suffix

_FIELD = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    """A file-name template kvmdesk cannot use; ``str()`` says why."""


def sanitize(text: str, fallback: str = "unnamed") -> str:
    """``text`` made safe as part of a file name (no separators, no leading dot).

    Hidden characters (bidi controls, zero-width and blank letters, see
    ``virt.shown``) are written out first, so that "evil\u202egpj.exe"
    becomes ``evil_U_202E_gpj.exe`` and not a name that reads otherwise.
    """
    text = reveal(unicodedata.normalize("NFC", text))
    cleaned = re.sub(r"[^\w.-]+", "_", text).lstrip("._-").rstrip("_")
    return cleaned[:64] or fallback


def connection_label(uri: str) -> str:
    """Host name of a remote URI, else the driver (``qemu-system``, ``test``)."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
    except ValueError:
        return sanitize(uri.split(":", 1)[0], "libvirt")
    if host:
        return sanitize(host, "libvirt")
    driver = parts.scheme.split("+", 1)[0] or "libvirt"
    path = parts.path.strip("/")
    if re.fullmatch(r"[A-Za-z0-9_-]+", path):
        driver = f"{driver}-{path}"
    return sanitize(driver, "libvirt")


def check_template(template: str) -> str:
    """``template`` if it can be used; raises :class:`TemplateError` otherwise."""
    if not template.strip():
        raise TemplateError("The file name template is empty.")
    if "/" in template or "\\" in template:
        raise TemplateError("The file name template must not contain “/” or “\\”.")
    if any(unicodedata.category(c) == "Cc" for c in template):
        raise TemplateError("The file name template must not contain control characters.")
    stripped = _FIELD.sub("", template)
    if "{" in stripped or "}" in stripped:
        raise TemplateError("The file name template has a “{” or “}” without its partner.")
    for field in _FIELD.findall(template):
        if field not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise TemplateError(
                f"The file name template has an unknown placeholder “{{{field}}}”; "
                f"allowed are {allowed}."
            )
    return template


@dataclass(frozen=True, slots=True)
class NameParts:
    """What a template can name: the values are raw; rendering sanitises them."""

    uri: str
    domain: str
    uuid: str
    taken_at: datetime


def render(template: str, parts: NameParts) -> str:
    """The file name for ``parts``: placeholders filled, the result made safe,
    with ``.png`` at the end."""
    check_template(template)
    values = {
        "connection": connection_label(parts.uri),
        "domain": sanitize(parts.domain),
        "uuid": sanitize(parts.uuid, "uuid"),
        "time": parts.taken_at.astimezone().strftime(TIME_FORMAT),
    }
    name = _FIELD.sub(lambda m: values[m.group(1)], template)
    return safe_file_name(name)


def safe_file_name(name: str) -> str:
    """``name`` as one safe ``.png`` file name."""
    name = unicodedata.normalize("NFC", name)
    name = "".join("_" if (is_hidden(c) and c != " ") or c in "/\\" else c for c in name)
    stem = name[:-4] if name.lower().endswith(".png") else name
    stem = stem.strip().lstrip("-.").rstrip(". ")
    stem = stem[:MAX_NAME] or "screenshot"
    return f"{stem}.png"


def write_new(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``directory/name``, or ``stem_2.png``... if it exists.

    Never overwrites: each candidate is created with ``O_EXCL``. A file left
    half-written by a failure is removed.
    """
    stem = name[:-4] if name.endswith(".png") else name
    for k in range(1, 1000):
        path = directory / (f"{stem}.png" if k == 1 else f"{stem}_{k}.png")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path
    raise FileExistsError(f"too many files named {stem}*.png in {directory}")
