"""Bridge libvirt's credential callback (a worker thread) to a dialog (GUI thread).

A worker calls ``CredentialBroker.request(creds)``, which blocks. The broker
emits ``requested(CredentialRequest)`` on the GUI thread; the UI shows a
dialog, fills in each ``Credential.result`` and calls ``request.answer()``,
or ``request.cancel()``. If nobody answers within the timeout the request is
withdrawn (``withdrawn`` is emitted so the UI can close its dialog) and the
worker gets False, as it does after ``cancel_all()`` at shutdown.

Nothing here logs a prompt's answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from kvmdesk.virt.auth import Credential

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 300.0  # seconds a worker waits for the user


class CredentialRequest:
    """One pending question; answered at most once, from any thread.

    ``uri`` is the connection that asks (empty when not known): with a fleet
    opening together, the dialog says which host wants the answer.
    """

    def __init__(self, creds: Sequence[Credential], uri: str = "") -> None:
        self.creds = list(creds)
        self.uri = uri
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._ok = False

    @property
    def pending(self) -> bool:
        return not self._done.is_set()

    def answer(self) -> None:
        """The results are filled in: let the worker go on."""
        self._finish(True)

    def cancel(self) -> None:
        self._finish(False)

    def _finish(self, ok: bool) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self._ok = ok
            self._done.set()

    def wait(self, timeout: float | None) -> bool:
        """Block until answered; False when cancelled or timed out."""
        if not self._done.wait(timeout):
            self.cancel()
        with self._lock:
            return self._ok


class CredentialBroker(QObject):
    requested = Signal(object)  # CredentialRequest, emitted on the GUI thread
    withdrawn = Signal(object)  # CredentialRequest that timed out or was cancelled

    _post = Signal(object, bool)  # (request, withdrawn?) from any thread

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout = timeout
        self._pending: list[CredentialRequest] = []
        self._lock = threading.Lock()
        self._post.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def request(self, creds: Sequence[Credential], uri: str = "") -> bool:
        """Ask the user from a worker thread (for the connection ``uri``);
        True when every result is filled in."""
        if QThread.currentThread() is self.thread():
            raise RuntimeError("CredentialBroker.request would block the GUI thread")
        req = CredentialRequest(creds, uri)
        with self._lock:
            self._pending.append(req)
        log.debug("asking for %d credential(s)", len(req.creds))
        self._post.emit(req, False)
        ok = req.wait(self.timeout)
        with self._lock:
            if req in self._pending:
                self._pending.remove(req)
        if not ok:
            log.debug("credential request cancelled or timed out")
            self._post.emit(req, True)
        return ok

    def cancel_all(self) -> None:
        """Release every waiting worker with False (shutdown, connection closed)."""
        with self._lock:
            pending, self._pending = self._pending, []
        for req in pending:
            req.cancel()

    @Slot(object, bool)
    def _deliver(self, req: CredentialRequest, withdrawn: bool) -> None:
        if withdrawn:
            self.withdrawn.emit(req)
        elif req.pending:
            self.requested.emit(req)
