"""The test guest boots under the real libvirtd, answers on its serial
console and powers off on an ACPI shutdown request.  Plain libvirt-python only:
this checks the test bed itself, not kvmdesk."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

try:
    from .guest import READY_MARKER, SerialConsole
except ImportError:
    from guest import READY_MARKER, SerialConsole

BOOT_TIMEOUT = 90.0
SHUTDOWN_TIMEOUT = 60.0


def _wait_shutoff(dom: Any, timeout: float) -> float:
    import libvirt

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF:
            return time.monotonic() - start
        time.sleep(0.2)
    raise TimeoutError(f"domain {dom.name()} still running {timeout:.0f} s after shutdown()")


@pytest.mark.integration
def test_guest_boots_answers_and_shuts_down(libvirt_conn: Any, define_guest: Any) -> None:
    import libvirt

    dom = define_guest()
    assert not dom.isActive()
    # Start paused so that the console is attached before the first byte.
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(libvirt_conn, dom)
    try:
        started = time.monotonic()
        dom.resume()
        offset = console.wait_for(READY_MARKER, BOOT_TIMEOUT)
        boot_s = time.monotonic() - started

        console.send("echo $((6*7))\n")
        console.wait_for(re.compile(r"^42\r?$", re.MULTILINE), 30.0, offset)

        dom.shutdown()
        shutdown_s = _wait_shutoff(dom, SHUTDOWN_TIMEOUT)
        assert dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        assert dom.state()[1] == libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN
        print(f"guest ready after {boot_s:.1f} s, shut off {shutdown_s:.1f} s after shutdown()")
    finally:
        console.close()
