"""What can go wrong with a screenshot; ``str()`` of each is a plain sentence.

``CaptureError`` and its kinds: libvirt or the hypervisor could not deliver
the image. ``DecodeError`` and its kinds: the bytes are not an image that
kvmdesk accepts.
"""

from __future__ import annotations

from kvmdesk.virt.errors import Failure


class ScreenshotError(Exception):
    """A screenshot could not be taken or read; ``str()`` is a plain sentence."""


class CaptureError(ScreenshotError):
    """libvirt or the hypervisor could not deliver the screenshot."""

    def __init__(self, message: str, failure: Failure | None = None) -> None:
        super().__init__(message)
        self.failure = failure


class DomainNotFoundError(CaptureError):
    """No domain with that name or UUID."""


class DomainNotRunningError(CaptureError):
    """The domain is shut off (or otherwise has no display right now)."""


class NoDisplayError(CaptureError):
    """The domain has no graphics or video device, or no such screen."""


class CaptureTimeoutError(CaptureError):
    """The image did not arrive before the deadline."""


class TooMuchDataError(CaptureError):
    """The stream carried more bytes than the cap allows."""


class DecodeError(ScreenshotError):
    """The bytes received are not an image kvmdesk accepts."""


class UnsupportedFormatError(DecodeError):
    """Neither PPM nor PNG, or not what the MIME type announced."""


class ImageTooLargeError(DecodeError):
    """The header announces more pixels than allowed."""


class CorruptImageError(DecodeError):
    """Empty, truncated or malformed image data."""


def one_line(text: str) -> str:
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(text.split())
