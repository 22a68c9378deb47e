"""The environment for the ``ssh`` that libvirt starts for ``+ssh`` URIs.

libvirt runs ssh without a terminal and passes it only a fixed list of
variables from our environment (among them ``SSH_ASKPASS``, ``DISPLAY``,
``XAUTHORITY``, ``SSH_AUTH_SOCK``, ``HOME``, ``PATH``; not
``SSH_ASKPASS_REQUIRE`` nor ``WAYLAND_DISPLAY``). Without a terminal ssh
asks for passwords and host-key confirmations through ``SSH_ASKPASS`` as
long as ``DISPLAY`` is set, so pointing ``SSH_ASKPASS`` at kvmdesk's own
askpass is what makes those questions reach the user.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

log = logging.getLogger(__name__)

ASKPASS_NAME = "kvmdesk-askpass"


def askpass_program(executable: str | None = None) -> Path | None:
    """The installed ``kvmdesk-askpass`` script next to the interpreter, if any."""
    candidate = Path(executable or sys.executable).with_name(ASKPASS_NAME)
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    return None


def configure_askpass(
    environ: MutableMapping[str, str] | None = None, executable: str | None = None
) -> Path | None:
    """Point ``SSH_ASKPASS`` at kvmdesk's askpass unless the user chose one.

    Returns the program now in use, or None when nothing was changed.
    """
    env = os.environ if environ is None else environ
    if env.get("SSH_ASKPASS"):
        log.debug("keeping the user's SSH_ASKPASS")
        return None
    program = askpass_program(executable)
    if program is None:
        log.debug(
            "%s not found next to %s; SSH_ASKPASS left unset",
            ASKPASS_NAME,
            executable or sys.executable,
        )
        return None
    env["SSH_ASKPASS"] = str(program)
    # libvirt does not pass this one on to ssh; it helps only an ssh started
    # some other way. ssh under libvirt has no terminal and uses askpass anyway.
    env["SSH_ASKPASS_REQUIRE"] = "force"
    if not env.get("DISPLAY"):
        log.debug("DISPLAY is not set: ssh will not run SSH_ASKPASS")
    return program
