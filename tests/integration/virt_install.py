"""virt-install's XML for a scenario, and domain XML as comparable facts.

``print_xml`` runs ``virt-install --print-xml --dry-run`` against libvirt's
test driver dressed as a QEMU host with given capabilities (virt-install's
own test URI, ``__virtinst_test__``): nothing is created anywhere, and the
host it decides for is exactly the one kvmdesk is given. It returns the
install-time definition and, when there is a second phase, the final one.

``facts`` flattens a <domain> into strings such as
``devices/disk[cdrom]/target@bus=sata`` or ``clock/timer[hpet]@present=no``,
after normalising what legitimately differs between two tools (the name,
UUID, MAC addresses, the paths of new disks and kernels): two definitions
agree where their facts do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

HOSTCAPS = Path(__file__).parents[1] / "data" / "hostcaps"
CAPS = HOSTCAPS / "qemu-7.2-x86_64-caps.xml"

# Children told apart by attributes rather than by position.
_IDENTITY = {
    "timer": ("name",),
    "controller": ("type", "model"),
    "disk": ("device",),
    "feature": ("name",),
    "channel": ("type",),
    "input": ("type",),
    "interface": ("type",),
    "graphics": ("type",),
    "serial": ("type",),
    "console": ("type",),
}
# Children whose order matters: always numbered.
_ORDERED = {"boot"}
_NAMESPACES = {
    "http://libosinfo.org/xmlns/libvirt/domain/1.0": "libosinfo",
    "https://kvmdesk.github.io/xmlns/install/1.0": "kvmdesk",
}


def available() -> str:
    """ "" when virt-install and virt-xml-validate can run, else what is missing."""
    missing = [p for p in ("virt-install", "virt-xml-validate", "xmllint") if not shutil.which(p)]
    return ", ".join(missing)


def print_xml(args: list[str], domcaps: Path, workdir: Path) -> list[str]:
    """The definitions virt-install prints for ``args`` (install-time first)."""
    uri = (
        "__virtinst_test__test:///default,predictable,fakeuri=qemu:///system,"
        f"caps={CAPS},domcaps={domcaps}"
    )
    env = dict(os.environ, LC_ALL="C", HOME=str(workdir), XDG_CACHE_HOME=str(workdir / "cache"))
    done = subprocess.run(
        [
            "virt-install",
            "--connect",
            uri,
            "--print-xml",
            "--dry-run",
            "--noautoconsole",
            "--graphics",
            "vnc",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"virt-install {' '.join(args)} failed:\n{done.stderr}")
    found = re.findall(r"<domain\b.*?</domain>", done.stdout, re.S)
    if not found:
        raise AssertionError(f"virt-install printed no domain:\n{done.stdout}\n{done.stderr}")
    return found


def validate(xml: str, workdir: Path, label: str) -> None:
    """virt-xml-validate against libvirt's domain schema."""
    path = workdir / f"{label}.xml"
    path.write_text(xml, encoding="utf-8")
    done = subprocess.run(
        ["virt-xml-validate", str(path), "domain"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{label} does not validate:\n{done.stdout}{done.stderr}\n{xml}"


def _tag(element: ET.Element) -> str:
    tag = str(element.tag)
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{_NAMESPACES.get(uri, uri)}:{local}"
    return tag


def _normalise(root: ET.Element, paths: set[str]) -> None:
    for tag in ("name", "uuid"):
        for found in root.findall(tag):
            found.text = tag.upper()
    for mac in root.iter("mac"):
        mac.set("address", "MAC")
    for os_child in ("kernel", "initrd"):
        for found in root.findall(f"os/{os_child}"):
            found.text = "PATH"
    for source in root.iter("source"):
        for attr in ("file", "dev"):
            if source.get(attr) in paths:
                source.set(attr, "PATH")


def facts(xml: str, paths: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """Every element, attribute and text of ``xml`` as a path string; ``paths``
    are disk paths that stand for "a disk the tool makes" and read PATH."""
    root = ET.fromstring(xml)
    _normalise(root, set(paths))
    found: set[str] = set()

    def walk(element: ET.Element, path: str) -> None:
        seen: dict[str, int] = {}
        for child in element:
            tag = _tag(child)
            ident = "/".join(child.get(a, "") for a in _IDENTITY.get(tag, ()))
            key = f"{tag}[{ident}]" if ident else tag
            seen[key] = seen.get(key, 0) + 1
            number = seen[key]
            here = f"{path}/{key}" if path else key
            if number > 1 or tag in _ORDERED:
                here += f"#{number}"
            found.add(here)
            for attr, value in child.attrib.items():
                found.add(f"{here}@{attr}={value}")
            text = (child.text or "").strip()
            if text:
                found.add(f"{here}={text}")
            walk(child, here)

    for attr, value in root.attrib.items():
        found.add(f"@{attr}={value}")
    walk(root, "")
    return found
