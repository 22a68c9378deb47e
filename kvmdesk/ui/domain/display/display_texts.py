"""What the Display tab says for each state of its session, in plain words."""

from __future__ import annotations

from kvmdesk.core.display import DisplayState
from kvmdesk.core.messages import tr
from kvmdesk.ui.domain.display.display_view import Release


def state_texts(state: DisplayState, reason: str, selected: bool) -> tuple[str, str, str]:
    """The status line, and the headline and hint shown instead of the screen."""
    if state is DisplayState.CONNECTING:
        text = tr("Connecting to the display…")
        return text, text, ""
    if state is DisplayState.CONNECTED:
        return tr("Connected"), "", ""
    if state is DisplayState.DISCONNECTED:
        hint = tr("kvmdesk attaches again by itself when it can.")
        return tr("Disconnected: {0}").format(reason), reason, hint
    if state is DisplayState.NOT_RUNNING:
        return (
            tr("Not running"),
            reason,
            tr("Its display shows here by itself once it starts."),
        )
    if state is DisplayState.NO_DISPLAY:
        return (
            tr("No graphical display"),
            reason,
            tr(
                "kvmdesk can add a VNC display to its definition. "
                "It takes effect the next time the virtual machine starts."
            ),
        )
    if state is DisplayState.SPICE_ONLY:
        return (
            tr("SPICE display"),
            reason,
            tr(
                "The Screenshot tab shows its screen. kvmdesk can add a VNC display, "
                "which it shows live here from the next boot."
            ),
        )
    if state is DisplayState.PASSWORD_NEEDED:
        return (
            tr("Password needed"),
            reason,
            tr(
                "This connection may not read the password from the definition. "
                "Enter it to connect; it is not saved."
            ),
        )
    if state is DisplayState.AUTH_FAILED:
        return (
            tr("Password refused"),
            reason,
            tr("Enter the display's password (graphics passwd in the XML) to try again."),
        )
    if state is DisplayState.TAKEN:
        return (
            tr("Display taken by another client"),
            reason,
            tr(
                "Close the other viewer, or take the display over: the other client is "
                "disconnected. kvmdesk asks again every 5 seconds and shows the display "
                "as soon as it is free."
            ),
        )
    if state is DisplayState.UNREACHABLE:
        return tr("Cannot connect"), reason, ""
    if not selected:
        return "", tr("No virtual machine selected."), ""
    return "", "", ""


def connected_text(width: int, height: int, absolute: bool, release: Release) -> str:
    pointer = (
        tr("absolute pointer")
        if absolute
        else tr("relative pointer: click to grab, {0} releases").format(release.label())
    )
    return tr("Connected: {0}×{1}, {2}").format(width, height, pointer)
