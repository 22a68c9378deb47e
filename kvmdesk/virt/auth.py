"""libvirt's own credential requests (``libvirt.openAuth``), without Qt.

libvirt asks for credentials (a SASL user name and password, a realm ...)
through a callback given with the URI. ``auth_list`` builds the
``[credtypes, callback, opaque]`` list that ``openAuth`` takes; the callback
turns libvirt's lists into ``Credential`` objects and hands them to a
blocking ``ask`` function, which fills in ``result`` and returns True, or
returns False when the user cancelled. The callback runs on the thread that
called ``openAuth`` (a connection's worker), so ``ask`` may block.

Answers are never logged: ``Credential``'s repr leaves the result out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libvirt

log = logging.getLogger(__name__)

CREDTYPES: tuple[int, ...] = (
    libvirt.VIR_CRED_AUTHNAME,
    libvirt.VIR_CRED_PASSPHRASE,
    libvirt.VIR_CRED_ECHOPROMPT,
    libvirt.VIR_CRED_NOECHOPROMPT,
    libvirt.VIR_CRED_REALM,
)

# Credential types whose answer must not be shown while typed.
SECRET_TYPES = frozenset({libvirt.VIR_CRED_PASSPHRASE, libvirt.VIR_CRED_NOECHOPROMPT})

AskFunction = Callable[[Sequence["Credential"]], bool]


@dataclass
class Credential:
    """One question from libvirt; the asker sets ``result``."""

    type: int
    prompt: str
    challenge: str = ""
    default: str = ""
    result: str | None = field(default=None, repr=False)

    @property
    def secret(self) -> bool:
        return self.type in SECRET_TYPES


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def auth_list(ask: AskFunction) -> list[Any]:
    """The ``auth`` argument for ``libvirt.openAuth(uri, auth, flags)``."""

    def callback(creds: list[list[Any]], _opaque: object) -> int:
        items = [
            Credential(
                type=int(c[0]),
                prompt=_text(c[1]),
                challenge=_text(c[2]),
                default=_text(c[3]),
            )
            for c in creds
        ]
        log.debug("libvirt asks for %d credential(s)", len(items))
        try:
            answered = ask(items)
        except Exception:  # a crash in the asker must not unwind into libvirt's C code
            log.exception("credential prompt failed")
            return -1
        if not answered:
            log.debug("credential request cancelled")
            return -1
        for cred, item in zip(creds, items, strict=True):
            cred[4] = item.result if item.result is not None else item.default
        return 0

    return [list(CREDTYPES), callback, None]
