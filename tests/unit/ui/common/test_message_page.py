"""A failure in words: headline, hint, and libvirt's message under a closed expander."""

from __future__ import annotations

from typing import Any

from kvmdesk.core import messages
from kvmdesk.ui.common.message_page import MessagePage
from kvmdesk.virt.errors import ErrorKind, Failure

FAILURE = Failure(
    ErrorKind.REMOTE_HELPER_MISSING,
    "End of file while reading data: sh: 1: nc: not found: Input/output error",
    38,
)


def test_libvirt_message_waits_under_a_closed_expander(qtbot: Any) -> None:
    page = MessagePage()
    qtbot.addWidget(page)
    page.show_failure(FAILURE)
    page.show()
    assert page.headline.text() == messages.failure_summary(FAILURE)
    assert page.hint.text() == messages.failure_hint(FAILURE)
    assert page.details_heading.isVisible()
    assert not page.details.isVisible()  # closed until asked for
    page.details_heading.click()
    assert page.details.isVisible()
    assert page.details.text() == FAILURE.message
    page.details_heading.click()
    assert not page.details.isVisible()


def test_no_details_no_expander(qtbot: Any) -> None:
    page = MessagePage()
    qtbot.addWidget(page)
    page.show()
    page.show_message("Nothing to show")
    assert not page.details_heading.isVisible()
    assert not page.details.isVisible()


def test_an_open_expander_stays_open_for_the_next_message(qtbot: Any) -> None:
    page = MessagePage()
    qtbot.addWidget(page)
    page.show()
    page.show_failure(FAILURE)
    page.details_heading.click()
    page.show_message("Other", details="<b>raw</b> text")
    assert page.details.isVisible() and page.details.text() == "<b>raw</b> text"
