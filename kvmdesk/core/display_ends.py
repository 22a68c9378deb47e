"""Why a display is not shown: the session's states, and the words for each end.

``DisplayEnds`` is the half of ``core.display.DisplaySession`` that turns a
failed open, a display that closed the connection and a refusal of the RFB
server into a state and a sentence, and says whether waiting can help (it
tries again later) or not (it halts until the user acts).
"""

from __future__ import annotations

import enum
import logging

import shiboken6

from kvmdesk.core.display_channel import Unreachable
from kvmdesk.core.domain_follow import DomainFollow
from kvmdesk.core.messages import tr
from kvmdesk.virt.errors import ErrorKind, NotConnectedError, classify
from kvmdesk.virt.vnc import rfb
from kvmdesk.virt.vnc.reach import DisplayInfo

log = logging.getLogger(__name__)


class DisplayState(enum.Enum):
    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # with a reason; attaches again by itself
    NOT_RUNNING = "not-running"
    NO_DISPLAY = "no-display"  # no graphics device at all
    SPICE_ONLY = "spice-only"
    PASSWORD_NEEDED = "password-needed"
    AUTH_FAILED = "auth-failed"
    UNREACHABLE = "unreachable"  # this kind of connection or display cannot be reached
    TAKEN = "taken"  # another client holds the display exclusively; asked again by itself


def not_running_text() -> str:
    return tr("The virtual machine is not running.")


class DisplayEnds(DomainFollow):
    """Mixed into ``DisplaySession``, which owns the state named here."""

    _halted: bool
    _opening: bool
    _password: str | None
    _exclusive: bool
    _taken_recheck: float
    _last_active: bool | None

    def _set(self, state: DisplayState, reason: str) -> None:
        raise NotImplementedError

    def _drop_channel(self) -> None:
        raise NotImplementedError

    def _halt_without_vnc(self, info: DisplayInfo) -> None:
        self._opening = False
        self._halted = True
        if info.spice:
            self._set(
                DisplayState.SPICE_ONLY,
                tr("This virtual machine has a SPICE display, which kvmdesk cannot show live."),
            )
        else:
            self._set(DisplayState.NO_DISPLAY, tr("This virtual machine has no graphical display."))

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, Unreachable):
            self._halted = True
            self._set(DisplayState.UNREACHABLE, str(error))
            return
        if isinstance(error, NotConnectedError):
            self._set(DisplayState.DISCONNECTED, tr("The connection to the host is not open."))
            return
        if isinstance(error, OSError):
            self._halted = True
            self._set(
                DisplayState.UNREACHABLE,
                tr("ssh could not be started: {0}").format(error.strerror or str(error)),
            )
            return
        failure = classify(error)
        if failure.kind is ErrorKind.NOT_SUPPORTED:
            self._halted = True
            self._set(DisplayState.UNREACHABLE, tr("This host cannot hand out its displays."))
            return
        if failure.kind is ErrorKind.NO_DOMAIN:
            self._halted = True
            self._set(DisplayState.DISCONNECTED, tr("The virtual machine no longer exists."))
            return
        self._set(DisplayState.DISCONNECTED, failure.message)
        if self._last_active:
            self._retry_later()

    def _taken(self) -> None:
        """The display closed the connection right after the client said whether it
        shares: QEMU's answer when another client holds it exclusively."""
        if self._exclusive:
            self._exclusive = False
            reason = tr(
                "The display refused to be taken over: it only allows shared connections, "
                "and another client holds it."
            )
        else:
            reason = tr(
                "Another client (virt-viewer, virt-manager, remote-viewer…) holds the display "
                "exclusively, and it refuses a shared connection."
            )
        self._set(DisplayState.TAKEN, reason)
        self._retry_later(self._taken_recheck)

    def _report_end(self, reason: str, words: str, connected_before: bool) -> None:
        record = self.conn.domains.get(self.uuid) if shiboken6.isValid(self.conn) else None
        if record is not None and not record.state.is_active:
            reason = not_running_text()
        elif words:
            reason = tr("The ssh tunnel failed: {0}").format(words)
        elif not reason:
            reason = (
                tr("The display closed the connection.")
                if connected_before
                else tr("The display closed the connection before it was shown.")
            )
        self._set(DisplayState.DISCONNECTED, reason)
        self._retry_later()

    def _rfb_failed(self, error: rfb.RfbError) -> None:
        self._drop_channel()
        problem = error.problem
        if problem is rfb.Problem.PASSWORD_NEEDED:
            self._halted = True
            self._set(DisplayState.PASSWORD_NEEDED, tr("The display asks for a password."))
        elif problem is rfb.Problem.AUTH_FAILED:
            self._halted = True
            self._password = None
            self._set(
                DisplayState.AUTH_FAILED,
                tr("The display refused the password: {0}").format(error.detail),
            )
        elif problem is rfb.Problem.NO_SECURITY:
            self._halted = True
            self._set(
                DisplayState.UNREACHABLE,
                tr(
                    "The display asks for a kind of authentication kvmdesk does not speak "
                    "(security types {0})."
                ).format(error.detail),
            )
        elif problem is rfb.Problem.REFUSED:
            self._set(
                DisplayState.DISCONNECTED,
                tr("The display refused the connection: {0}").format(error.detail),
            )
            self._retry_later()
        else:
            log.info("display of %s: %s", self.uuid, error.detail)
            self._set(
                DisplayState.DISCONNECTED,
                tr("The display sent data kvmdesk does not accept: {0}").format(error.detail),
            )
            self._retry_later()
