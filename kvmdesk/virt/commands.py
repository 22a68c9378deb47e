"""Command lines that do what kvmdesk did: the ``virsh`` (or ``virt-install``)
a user can copy into a shell.

A ``Command`` is one or more argument vectors run in order, plus the files
they read (a definition kvmdesk made, for ``virsh define --file``), which a
shell script writes first with a quoted here-document. The text is made
with ``shlex.join``: whatever a name holds (spaces, quotes, ``$``,
backticks, newlines), ``shlex.split`` of a line gives back the exact
arguments, and a name that starts with ``-`` is never read as an option,
because every name follows the option that takes it (``--domain NAME``,
``--pool NAME``), which virsh reads as that option's value.

URIs lose any password or secret before they are shown (``safe_uri``); the
command then carries ``Note.SECRET_REMOVED`` so that the window can say so.
No Qt here; the words about a command are the layers above's.
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit


class Note(enum.Enum):
    SECRET_REMOVED = "secret_removed"  # a password or secret left the URI
    PASSWORD_LEFT_OUT = "password_left_out"  # a definition's password left out of its file
    FILE = "file"  # the command reads a file kvmdesk wrote (the script writes it)
    NO_SINGLE_COMMAND = "no_single_command"  # the nearest equivalent, said plainly
    IMAGE_FORMAT = "image_format"  # virsh saves the hypervisor's format, kvmdesk a PNG


@dataclass(frozen=True, slots=True)
class Command:
    """Argument vectors run one after the other, with the files they read."""

    lines: tuple[tuple[str, ...], ...]
    files: tuple[tuple[str, str], ...] = ()  # (file name, content)
    notes: frozenset[Note] = field(default_factory=frozenset)

    def text(self) -> str:
        """The command lines, one per line, shell-quoted."""
        return "\n".join(shlex.join(argv) for argv in self.lines)

    def script(self) -> str:
        """What a shell runs to do the same: the files first, then the lines."""
        parts = [here_document(name, content) for name, content in self.files]
        parts.append(self.text())
        return "\n".join(parts)

    def then(self, other: Command) -> Command:
        """This command followed by ``other``."""
        return Command(self.lines + other.lines, self.files + other.files, self.notes | other.notes)


Commander = Callable[[str], Command]  # the command of an action, given the connection's URI


def joined(commands: list[Command]) -> Command:
    """Several commands as one, in order."""
    result = Command(())
    for command in commands:
        result = result.then(command)
    return result


def here_document(name: str, content: str) -> str:
    """``cat > NAME <<'END'`` with ``content``: quoted, so nothing in it is expanded.

    The end word is one the content does not hold on a line of its own.
    """
    word = "KVMDESK_EOF"
    lines = set(content.splitlines())
    number = 0
    while word in lines:
        number += 1
        word = f"KVMDESK_EOF_{number}"
    body = content if content.endswith("\n") else content + "\n"
    return f"cat > {shlex.quote(name)} <<'{word}'\n{body}{word}"


def script(commands: list[Command]) -> str:
    """A shell script that stops at the first command that fails."""
    body = "\n".join(c.script() for c in commands)
    return f"#!/bin/sh\nset -e\n{body}\n" if body else "#!/bin/sh\nset -e\n"


# ---------------------------------------------------------------- URIs

_SECRET_PARAM = re.compile(r"pass|secret|token|credential", re.IGNORECASE)


def safe_uri(uri: str) -> tuple[str, bool]:
    """``uri`` without a password in it, and whether one was removed.

    Removes the password of ``user:password@host`` and every query parameter
    whose name speaks of a password, secret, token or credential.
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri, False
    removed = False
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0]
            removed = True
        netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _SECRET_PARAM.search(k)]
        if len(kept) != len(pairs):
            removed = True
            query = urlencode(kept, quote_via=quote, safe="/:,")
    if not removed:
        return uri, False
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), True


def file_name(name: str, suffix: str = ".xml") -> str:
    """A harmless file name for ``name``'s definition (letters, digits, ``._-``)."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")
    return (clean or "definition") + suffix


# ---------------------------------------------------------------- virsh


def virsh(uri: str, *args: str) -> Command:
    """``virsh -c URI ARGS...``; a password in the URI is removed (and noted)."""
    shown, removed = safe_uri(uri)
    notes = frozenset({Note.SECRET_REMOVED}) if removed else frozenset()
    return Command((("virsh", "-c", shown, *args),), notes=notes)


def with_file(command: Command, name: str, content: str) -> Command:
    """``command``, reading ``content`` that a script writes to ``name`` first."""
    return Command(
        command.lines,
        (*command.files, (name, content)),
        command.notes | {Note.FILE},
    )


def noted(command: Command, note: Note) -> Command:
    return Command(command.lines, command.files, command.notes | {note})
