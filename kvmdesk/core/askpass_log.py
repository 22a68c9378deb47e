"""Which questions ssh asked through ``SSH_ASKPASS``, so that a connection
attempt knows whether it asked the user anything.

libvirt's words after a failed ssh login are not reliable: when ssh's
standard error overflows libvirt's buffer, "Permission denied" becomes
"Cannot recv data: Value too large for defined data type", which reads
like a dropped link and was retried, asking for the password again and
again. So kvmdesk does not guess from the words: ``SSH_ASKPASS`` points at
a small wrapper that notes each question (which ssh process asked, with
that ssh's arguments, never the answer) and then runs the real askpass
program with its standard error discarded. A failed attempt during which
ssh asked the user something is an authentication failure, and is not
retried by itself.

libvirt passes ssh only a fixed list of environment variables, so the
notes cannot be tied to an attempt through the environment; each attempt
remembers where the notes ended when it started, and counts the notes of
ssh processes that were started for its host.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

log = logging.getLogger(__name__)

_WRAPPER = """#!/bin/sh
# Written by kvmdesk: note that ssh asks a question (which ssh; never the
# answer), then ask it with {program_name}. Nothing goes to standard error:
# libvirt keeps ssh's in a small buffer to explain failures.
line="$PPID $(tr '\\000\\n' '  ' < "/proc/$PPID/cmdline" 2>/dev/null)"
printf '%s\\n' "$line" >> {notes} 2>/dev/null
exec {program} "$@" 2>/dev/null
"""


class AskpassLog:
    """The wrapper's notes in a private folder, removed by ``close``."""

    def __init__(self, directory: Path, program: str) -> None:
        self.directory = directory
        self.program = program
        self.notes = directory / "prompts"
        self.wrapper = directory / "askpass"
        self.wrapper.write_text(
            _WRAPPER.format(
                program_name=Path(program).name,
                notes=shlex.quote(str(self.notes)),
                program=shlex.quote(program),
            ),
            encoding="utf-8",
        )
        self.wrapper.chmod(0o700)

    def mark(self) -> int:
        """Where the notes end now; pass it to ``prompts_since`` after an attempt."""
        try:
            return self.notes.stat().st_size
        except OSError:
            return 0

    def prompts_since(self, mark: int, host: str) -> int:
        """Questions asked since ``mark`` by ssh processes started for ``host``."""
        if not host:
            return 0
        try:
            with self.notes.open("rb") as f:
                f.seek(mark)
                text = f.read().decode("utf-8", errors="replace")
        except OSError:
            return 0
        count = 0
        for line in text.splitlines():
            words = line.split()[1:]  # the first is the ssh process's pid
            if host in words or any(w.endswith("@" + host) for w in words):
                count += 1
        return count

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def watch_askpass(
    environ: MutableMapping[str, str] | None = None, runtime_dir: str | None = None
) -> AskpassLog | None:
    """Put the noting wrapper in front of whatever ``SSH_ASKPASS`` names.

    Call after ``sshenv.configure_askpass``. None when no askpass is set.
    """
    env = os.environ if environ is None else environ
    program = env.get("SSH_ASKPASS", "")
    if not program:
        return None
    base = runtime_dir or env.get("XDG_RUNTIME_DIR") or None
    try:
        directory = Path(tempfile.mkdtemp(prefix="kvmdesk-askpass-", dir=base))
    except OSError as exc:
        log.warning("cannot prepare the askpass notes: %s", exc)
        return None
    try:
        notes = AskpassLog(directory, program)
    except OSError as exc:
        log.warning("cannot prepare the askpass notes: %s", exc)
        shutil.rmtree(directory, ignore_errors=True)
        return None
    env["SSH_ASKPASS"] = str(notes.wrapper)
    return notes
