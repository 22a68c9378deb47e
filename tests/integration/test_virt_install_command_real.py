"""The virt-install command the New VM wizard shows makes what kvmdesk makes.

For every scenario of ``test_virt_install_compare``, kvmdesk's plan gives the
command line the summary page shows (``virt.virt_install_command``); that
very line runs with ``--print-xml --dry-run`` (its ``--connect`` pointed at
virt-install's test host with the scenario's capabilities), and what it
prints must agree with kvmdesk's definition, fact by fact, except for the
differences ``test_virt_install_compare.ACCEPTED`` explains.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from kvmdesk.domxml.install import build_domain, final_domain
from kvmdesk.virt.virt_install_command import virt_install

try:
    from .test_virt_install_compare import KD, NAMES, VI, _plan, _reason, scenarios, work
    from .virt_install import CAPS, facts
except ImportError:
    from test_virt_install_compare import (  # type: ignore[no-redef]
        KD,
        NAMES,
        VI,
        _plan,
        _reason,
        scenarios,
        work,
    )
    from virt_install import CAPS, facts  # type: ignore[no-redef]

__all__ = ["work"]  # the module fixture, shared

URI = "qemu+ssh://admin:secret@host.example/system"  # what the page is given


def _dry_run(argv: list[str], domcaps: Path, workdir: Path) -> list[str]:
    """The shown command, run with --print-xml --dry-run against the test host."""
    test_uri = (
        "__virtinst_test__test:///default,predictable,fakeuri=qemu:///system,"
        f"caps={CAPS},domcaps={domcaps}"
    )
    at = argv.index("--connect")
    argv = [*argv[: at + 1], test_uri, *argv[at + 2 :], "--print-xml", "--dry-run"]
    env = dict(os.environ, LC_ALL="C", HOME=str(workdir), XDG_CACHE_HOME=str(workdir / "cache"))
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, f"{shlex.join(argv)}\n{done.stderr}"
    return re.findall(r"<domain\b.*?</domain>", done.stdout, re.S)


@pytest.mark.parametrize("scenario", NAMES)
def test_the_shown_virt_install_command_makes_kvmdesk_s_vm(scenario: str, work: Path) -> None:
    found = {s.name: s for s in scenarios(work)}[scenario]
    plan = _plan(found, "vm")
    command = virt_install(URI, plan)
    [argv] = command.lines
    # The password never shows, and the text is what sh hands to virt-install.
    assert "secret" not in command.text()
    assert shlex.split(command.text()) == list(argv)
    theirs = _dry_run(list(argv), found.domcaps, work)
    install, final = build_domain(plan).to_xml(), final_domain(plan).to_xml()
    ours = [install] if final == install else [install, final]
    assert len(theirs) == len(ours)
    paths = {f"/var/lib/libvirt/images/{plan.volume}", "/var/lib/libvirt/images/vm.qcow2"}
    unexplained = []
    for phase, (vi_xml, kd_xml) in enumerate(zip(theirs, ours, strict=True)):
        vi_facts, kd_facts = facts(vi_xml, paths), facts(kd_xml, paths)
        for side, only in ((VI, vi_facts - kd_facts), (KD, kd_facts - vi_facts)):
            for fact in sorted(only):
                if _reason(fact, side, set()) is None:
                    unexplained.append(f"phase {phase + 1}, only {side}: {fact}")
    assert unexplained == [], shlex.join(argv) + "\n" + "\n".join(unexplained)
