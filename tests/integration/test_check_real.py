"""``kvmdesk check`` on the real machine and its ``qemu:///system`` daemon.

The expectation is derived from this machine's facts, read here
independently of kvmdesk (/proc/cpuinfo, an ioctl on /dev/kvm, libvirt's
capabilities), so the test holds on a workstation with VT-x as well as on a
nested cloud VM that hides the flags but still offers KVM.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from kvmdesk.virt.hostcheck import Report, Status, evaluate, gather

try:
    from .conftest import TEST_URI
except ImportError:
    from conftest import TEST_URI  # type: ignore[no-redef]

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

HEADER = re.compile(r"^Checking (?P<uri>\S+) \((this machine|remote host)\)$")
CHECK = re.compile(
    r"^(?P<status>PASS|WARN|FAIL)  (?P<title>.+?)"
    r" \(from (?P<source>this machine and libvirt|this machine|libvirt)(?P<optional>, optional)?\):"
    r" (?P<meaning>\S.*)$"
)
ADVICE = re.compile(r"^ {6}→ \S.*$")
NOT_CHECKED = re.compile(r"^Not checked: \S.*$")
SUMMARY = re.compile(r"^Summary: (?P<status>PASS|WARN|FAIL) \(exit status (?P<code>[012])\): \S.*$")


def _machine_flags() -> set[str]:
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "flags":
                return set(value.split())
    return set()


def _kvm_api_version() -> int | None:
    """KVM_GET_API_VERSION straight from /dev/kvm; None when it does not answer."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return int(fcntl.ioctl(fd, 0xAE00))
    except OSError:
        return None
    finally:
        os.close(fd)


def _libvirt_domain_types(conn: Any) -> set[str]:
    caps = ET.fromstring(conn.getCapabilities())
    arch = caps.findtext("host/cpu/arch") or ""
    return {
        d.get("type", "")
        for d in caps.findall(f"guest/arch[@name='{arch}']/domain")
        if d.get("type")
    }


def _run_check() -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kvmdesk", "check", "-c", TEST_URI],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _parse(stdout: str) -> tuple[list[dict[str, str]], re.Match[str]]:
    """Check every line's format; return the check lines and the summary."""
    lines = stdout.splitlines()
    assert lines, "no output"
    header = HEADER.match(lines[0])
    assert header, lines[0]
    assert header["uri"] == TEST_URI
    summary = SUMMARY.match(lines[-1])
    assert summary, lines[-1]
    checks: list[dict[str, str]] = []
    for i, line in enumerate(lines[1:-1], start=1):
        m = CHECK.match(line)
        if m:
            checks.append(m.groupdict())
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if m["status"] != "PASS":
                assert ADVICE.match(following), f"no '→ what to do' under: {line}"
            continue
        assert ADVICE.match(line) or NOT_CHECKED.match(line), f"unexpected line: {line!r}"
        if ADVICE.match(line):
            assert checks and checks[-1]["status"] != "PASS", f"advice under a PASS: {line}"
    return checks, summary


def test_check_command_on_this_machine(libvirt_conn: Any) -> None:
    report: Report = evaluate(gather(libvirt_conn, TEST_URI))
    result = _run_check()
    out = result.stdout
    assert result.stderr == "", result.stderr  # libvirt's own error printing is silenced

    # The exit status is what evaluate() says for the gathered facts.
    assert result.returncode == int(report.verdict), out
    checks, summary = _parse(out)
    assert int(summary["code"]) == result.returncode
    assert summary["status"] == Status(result.returncode).name
    assert [c["title"] for c in checks] == [str(c.title) for c in report.checks]
    assert [c["status"] for c in checks] == [c.status.name for c in report.checks]
    by_title = {c["title"]: c for c in checks}
    assert by_title["libvirt connection"]["status"] == "PASS"

    # ...and what this machine's own facts, read independently, lead one to expect.
    hw = _machine_flags() & {"vmx", "svm"}
    api = _kvm_api_version()
    types = _libvirt_domain_types(libvirt_conn)
    accel = by_title["KVM acceleration"]
    assert accel["source"] == "this machine and libvirt"
    device = by_title["KVM device"]
    if api == 12:
        assert device["status"] == "PASS"
        assert device["meaning"] == "/dev/kvm answers: KVM API version 12"
    if "kvm" in types and api == 12 and not hw:
        # A nested or virtualized host: flags hidden, KVM answering.
        assert result.returncode == 1, out
        assert accel["status"] == "WARN"
        assert accel["meaning"].startswith("KVM is exposed but the CPU flags are hidden")
        assert "neither vmx (Intel VT-x) nor svm (AMD-V)" in accel["meaning"]
        assert "/dev/kvm answers (KVM API version 12)" in accel["meaning"]
        assert "libvirt offers domain type 'kvm'" in accel["meaning"]
        assert by_title["Hardware virtualization"]["status"] == "WARN"
        assert "prefer emulation" in out
    elif "kvm" in types and hw:
        assert "CPU flags are hidden" not in out
        assert accel["status"] == "PASS"
        assert by_title["Hardware virtualization"]["status"] == "PASS"
        flag = hw.pop()
        assert flag in by_title["Hardware virtualization"]["meaning"]
        assert result.returncode in (0, 1)  # 1 for example without vhost-net
    elif "kvm" not in types and "qemu" in types:
        assert accel["status"] == "WARN"
        assert accel["meaning"].startswith("KVM is not available")
        assert result.returncode == 1
    elif not types & {"kvm", "qemu"}:
        assert accel["status"] == "FAIL"
        assert result.returncode == 2

    # vhost-net follows the device node.
    vhost = by_title["vhost-net"]
    assert vhost["status"] == ("PASS" if os.path.exists("/dev/vhost-net") else "WARN")


def test_check_command_when_libvirt_cannot_be_reached(tmp_path: Path) -> None:
    uri = f"qemu+unix:///system?socket={tmp_path}/no-such-socket"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "kvmdesk", "check", "-c", uri],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"Checking {uri} (this machine)"
    assert lines[1].startswith("WARN  libvirt connection (from libvirt): libvirt could not be")
    assert ADVICE.match(lines[2])
    # The local checks still ran, and the verdict is at least a warning.
    assert any(line.startswith(("PASS  KVM device", "WARN  KVM device")) for line in lines)
    assert not any("(from libvirt)" in line for line in lines[3:] if CHECK.match(line))
    # Without libvirt nothing is fatal for sure, and nothing is confirmed either.
    assert result.returncode == 1, result.stdout
    summary = SUMMARY.match(lines[-1])
    assert summary and int(summary["code"]) == result.returncode
