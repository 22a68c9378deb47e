"""``kvmdesk-askpass PROMPT``: the program ssh runs as ``SSH_ASKPASS``.

ssh passes the prompt as the only argument and reads the answer from our
standard output; a non-zero exit status means "cancelled". The dialog is
``ui/connection/askpass_dialog.py``.

Two things about where this runs matter:

* Nothing may ever reach standard error. libvirt keeps what ssh (and so
  this program) writes there in a small buffer to explain a failure; Qt's
  warning about the C locale alone (about 250 bytes per prompt) filled it
  after a few prompts, so that "Permission denied" was lost and libvirt
  said "Cannot recv data: Value too large for defined data type" instead,
  which does not read as an authentication failure. Standard error is
  therefore pointed at /dev/null before anything else happens (before Qt
  is even imported), and stays there.
* libvirt runs ssh with ``LC_ALL=C``. The prompt (a user name, a key's
  path) may be UTF-8 all the same: the process switches to the C.UTF-8
  locale before Qt starts, reads its argument as UTF-8, and writes the
  answer as UTF-8 bytes.

The answer goes to standard output and nowhere else: it is never logged.
Questions come one at a time (``one_at_a_time``): a fleet opening many
hosts over ssh queues its prompts instead of showing them all at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import tempfile
from collections.abc import Iterator, MutableMapping, Sequence
from typing import BinaryIO


def silence_stderr() -> None:
    """Point file descriptor 2 (and ``sys.stderr``) at /dev/null for good."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
    finally:
        os.close(devnull)
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (kept open)


def utf8_locale(environ: MutableMapping[str, str] | None = None) -> None:
    """Replace a C or POSIX locale (what libvirt gives ssh) with C.UTF-8."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if value:
            if value in ("C", "POSIX"):
                env[name] = "C.UTF-8"
            return  # the first one set decides


def prompt_text(args: Sequence[str]) -> str:
    """The prompt ssh passed, as text, whatever the locale decoded it as."""
    raw = b" ".join(os.fsencode(arg) for arg in args)
    return raw.decode("utf-8", errors="replace")


def emit(answer: str | None, out: BinaryIO) -> int:
    """Hand the answer to ssh: UTF-8 bytes and a newline on ``out`` and exit 0, or exit 1."""
    if answer is None:
        return 1
    out.write(answer.encode("utf-8", errors="surrogateescape") + b"\n")
    out.flush()
    return 0


def ask(prompt: str) -> str | None:
    """Show the question in this process's own QApplication; the answer or None."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kvmdesk.ui.connection.askpass_dialog import AskpassDialog, classify

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kvmdesk")
    dialog = AskpassDialog(prompt, classify(prompt))
    dialog.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
    dialog.exec()
    return dialog.answer()


def lock_path() -> str:
    """One lock per user and session, where ssh's other askpass processes find it."""
    directory = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return os.path.join(directory, f"kvmdesk-askpass-{os.getuid()}.lock")


@contextlib.contextmanager
def one_at_a_time(path: str | None = None) -> Iterator[None]:
    """Hold the askpass lock: a fleet opening many hosts asks one question at a
    time (each names its host in ssh's own words), never a pile of dialogs."""
    fd = os.open(path or lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def main(argv: Sequence[str] | None = None) -> int:
    silence_stderr()
    utf8_locale()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with one_at_a_time():
            answer = ask(prompt_text(args))
    except Exception:  # no display, a broken Qt: ssh hears "cancelled"
        return 1
    return emit(answer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
