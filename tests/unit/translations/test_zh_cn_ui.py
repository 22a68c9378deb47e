"""The window under LANG=zh_CN.UTF-8 shows no untranslated text.

zh_walk.py runs the real start-up path in its own process (the system
locale picks the translations, as in the application) and lists every text
on screen: the main window, its menus, column headers and states, every
details tab, the connection overview, Connection Details, the New VM wizard
and the main dialogs, Qt's own message box and file dialog included. A text
passes when it has Chinese in it, or when nothing but names that come from
libvirt (the demo host's domains, disks, networks, descriptions, the host's
facts), from osinfo (operating systems) or from the file system (paths),
numbers, units and technical names that Chinese text keeps as they
are (KVM, QEMU, XML, UUID, ...) is left of it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kvmdesk.paths import DEMO_HOST_XML

WALK = Path(__file__).with_name("zh_walk.py")
PATH = re.compile(r"^/[^\s]*$")  # a path (an example in a field, a file's place) is data
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
# Names Chinese documentation writes in Latin letters, as Red Hat's does.
TECHNICAL = re.compile(
    r"\b(?:KVM|QEMU|libvirtd?|XML|UUID|v?CPUs?|[KMGT]iB|MHz|NUMA|DHCP|NAT|IPv[46]|IP|MAC|PNG"
    r"|ISO|BIOS|UEFI|SSH|URI|PXE|virtio|SATA|e1000|qcow2|raw|LUN|PCI|IOMMU|NX|vhost-net"
    r"|vhost-user|[Mm]acvtap|VNC|SPICE|Ctrl|Alt|Shift|Del|Backspace|PrintScreen|F\d{1,2}"
    r"|hvm|test)\b"
)


def libvirt_values(extra: list[str]) -> list[str]:
    """Every name, path, description and value the demo host's XML holds."""
    values = set(extra)
    for element in ET.parse(DEMO_HOST_XML).iter():
        if element.text and element.text.strip():
            values.add(element.text.strip())
        values.update(v for v in element.attrib.values() if v.strip())
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def untranslated(text: str, names: list[str]) -> bool:
    if CJK.search(text) or PATH.match(text.strip()):
        return False
    for name in names:
        text = text.replace(name, " ")
    return bool(re.search(r"[A-Za-z]{2,}", TECHNICAL.sub(" ", text)))


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    tmp = tmp_path_factory.mktemp("zh")
    env = {
        **os.environ,
        "LANG": "zh_CN.UTF-8",
        "LANGUAGE": "zh_CN",
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp),
        "XDG_CONFIG_HOME": str(tmp / "config"),
    }
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    # scripts/packages.sh points these at an installed package (the .deb's
    # private directory and /usr/bin/python3) to walk that instead.
    python = os.environ.get("KVMDESK_INSTALLED_PYTHON", sys.executable)
    if os.environ.get("KVMDESK_INSTALLED_PATH"):
        env["PYTHONPATH"] = os.environ["KVMDESK_INSTALLED_PATH"]
    done = subprocess.run(
        [python, str(WALK), str(tmp / "kvmdesk.conf")],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_chinese_translations_are_installed(walked: dict[str, list[list[str]]]) -> None:
    assert walked["languages"][-1] == "zh_CN"  # kvmdesk's, asked first
    assert "zh_CN" in walked["languages"][:1]  # Qt's own (qtbase)


def test_every_visible_text_is_chinese(walked: dict[str, list[list[str]]]) -> None:
    texts = walked["texts"]
    names = libvirt_values([text for where, text in texts if where == "data"])
    shown = [(where, text) for where, text in texts if where != "data"]
    assert len(shown) > 1000, "the walk saw too little to prove anything"
    bad = sorted({(where, text) for where, text in shown if untranslated(text, names)})
    assert not bad, f"{len(bad)} untranslated texts:\n" + "\n".join(
        f"  {where}: {text!r}" for where, text in bad[:60]
    )


def test_the_walk_saw_every_part(walked: dict[str, list[list[str]]]) -> None:
    wheres = " ".join(where for where, _ in walked["texts"])
    for part in (
        "menu bar",
        "domain list header",
        "overview tab",
        "screenshot tab",
        "console tab",
        "xml tab",
        "connection overview",
        "Connection Details, tab 3",
        "New VM page",
        "Delete dialog",
        "Add Connection",
        "Qt's message box",
        "Qt's file dialog",
    ):
        assert part in wheres, part
