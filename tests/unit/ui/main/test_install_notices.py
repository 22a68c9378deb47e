"""What the main window says when a new VM finishes its install."""

from __future__ import annotations

from kvmdesk.core.install_watch import InstallSwitched
from kvmdesk.ui.main.install_notices import switched_text
from kvmdesk.virt.errors import ErrorKind, Failure
from kvmdesk.virt.install_phase import Switch, SwitchResult

DONE = SwitchResult("u", "web <1>", Switch.DONE, ("boot", "eject:sda", "on_reboot"))


def test_an_ordinary_switch_is_one_line() -> None:
    head, advice = switched_text(InstallSwitched("qemu:///system", DONE, restarted=True))
    assert head == (
        "“web <1>” has finished installing: it now boots from its disk and was started again."
    )
    assert advice == ""


def test_parts_left_alone_and_a_failed_restart_are_explained() -> None:
    result = SwitchResult("u", "web", Switch.DONE, ("on_reboot",), ("boot", "eject:sdb"))
    failure = Failure(ErrorKind.OTHER, "no memory", 0)
    head, advice = switched_text(InstallSwitched("qemu:///system", result, False, failure))
    assert head.endswith("it now boots from its disk.")
    assert "the boot order" in advice and "drive sdb" in advice and "XML tab" in advice
    assert "could not be started again" in advice
