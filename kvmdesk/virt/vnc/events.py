"""What an RFB session says: its events, and why it ended (``RfbError``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kvmdesk.virt.vnc.framebuffer import Rect


class Problem(enum.Enum):
    PROTOCOL = "protocol"  # the server broke the protocol
    TOO_LARGE = "too-large"  # a size beyond the limits
    REFUSED = "refused"  # the server said no, with a reason
    NO_SECURITY = "no-security"  # no security type kvmdesk speaks
    PASSWORD_NEEDED = "password-needed"  # VNC authentication, and no password known
    AUTH_FAILED = "auth-failed"  # the password was refused


class RfbError(Exception):
    """The session cannot go on; ``problem`` says why, ``detail`` in the server's or our words."""

    def __init__(self, problem: Problem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Connected:
    width: int
    height: int
    name: str


@dataclass(frozen=True, slots=True)
class Resized:
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Updated:
    """A frame is complete; these rectangles changed."""

    rects: tuple[Rect, ...]


@dataclass(frozen=True, slots=True)
class CursorShape:
    """The guest's pointer: BGRX pixels and a 1-bit mask, row by row (w, h may be 0)."""

    hot_x: int
    hot_y: int
    width: int
    height: int
    pixels: bytes
    mask: bytes


@dataclass(frozen=True, slots=True)
class PointerMode:
    absolute: bool


@dataclass(frozen=True, slots=True)
class Leds:
    state: int  # bit 0 Scroll Lock, 1 Num Lock, 2 Caps Lock


@dataclass(frozen=True, slots=True)
class Bell:
    pass


@dataclass(frozen=True, slots=True)
class ServerText:
    text: str


Event = Connected | Resized | Updated | CursorShape | PointerMode | Leds | Bell | ServerText
