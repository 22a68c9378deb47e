#!/usr/bin/env python3
"""Write virt-install's definitions for the New VM wizard's choices into the corpus.

For each scenario of ``tests/integration/test_virt_install_compare.py`` (the
operating systems and install sources the wizard offers), ``virt-install
--print-xml --dry-run`` is run against libvirt's test driver dressed as the
QEMU host of ``tests/data/hostcaps`` (nothing is created anywhere), and what it
prints goes to ``tests/data/domxml_corpus/virt-install/<scenario>.xml``: the
install-time definition, then the final one when there are two. The
round-trip tests read them from there; run this again after a virt-install
upgrade (``make .venv/.installed`` first; virt-install comes with
``scripts/install-system-deps.sh test``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from test_virt_install_compare import scenarios  # noqa: E402
from virt_install import available, print_xml  # noqa: E402

OUT = ROOT / "tests" / "data" / "domxml_corpus" / "virt-install"


def main() -> int:
    missing = available()
    if missing:
        print(f"not installed: {missing}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("debian-11.iso", "win10.iso", "win11.iso", "vmlinuz", "initrd.img"):
            (work / name).write_bytes(b"\0" * 4096)
        (work / "existing.qcow2").write_bytes(b"\0" * 4096)
        for scenario in scenarios(work):
            args = ["--name", "vm", "--memory", str(scenario.memory), "--vcpus", "2"]
            args += ["--os-variant", scenario.os, "--network", "network=default"]
            documents = print_xml(args + scenario.virt_install, scenario.domcaps, work)
            text = "".join(d.strip() + "\n" for d in documents).replace(tmp, "/srv/media")
            (OUT / f"{scenario.name}.xml").write_text(text, encoding="utf-8")
            print(f"{scenario.name}: {len(documents)} definition(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
