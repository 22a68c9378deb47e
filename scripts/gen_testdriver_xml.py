#!/usr/bin/env python3
"""Generate a libvirt test-driver host (``<node>``) with many domains.

The output loads with ``libvirt.open("test:///<absolute path>")``.  Domains are
deterministic for a given ``(n, seed)``: exactly ``round(0.4 * n)`` running,
``round(0.1 * n)`` paused and the rest shut off, spread over the list in a
seeded random order.  Each domain gets one qcow2 disk that is also a volume of
the "default" dir pool (so ``storageVolLookupByPath`` finds it) and one NIC on
the "default" NAT network.

Command line::

    python scripts/gen_testdriver_xml.py --domains 10000 --seed 1 --out /tmp/host.xml

As a module (benchmarks and tests load this file by path)::

    spec = importlib.util.spec_from_file_location("gen_testdriver_xml", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    xml_text = module.generate(10_000, seed=1)
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
import xml.etree.ElementTree as ET

__all__ = ["PAUSED_SHARE", "RUNNING_SHARE", "TEST_NS", "generate", "main", "state_counts"]

TEST_NS = "http://libvirt.org/schemas/domain/test/1.0"

# virDomainState values understood by <test:runstate>.
_PAUSED = "3"
_SHUTOFF = "5"

RUNNING_SHARE = 0.4
PAUSED_SHARE = 0.1

_IMAGES = "/var/lib/libvirt/images"
_ROLES = (
    "web",
    "api",
    "db",
    "cache",
    "queue",
    "worker",
    "build",
    "test",
    "dev",
    "mail",
    "dns",
    "proxy",
    "monitor",
    "backup",
    "k8s-node",
    "desktop",
)
_VCPUS = (1, 1, 2, 2, 2, 4, 4, 8, 16)
_MEMORY_MIB = (512, 1024, 2048, 2048, 4096, 4096, 8192, 16384)
_DISK_GIB = (10, 20, 20, 40, 80)

# Written as a prefixed name with xmlns:test declared on <node>, which avoids
# ET.register_namespace() and its process-wide side effect.
_RUNSTATE = "test:runstate"


def state_counts(n: int) -> tuple[int, int, int]:
    """Return (running, paused, shut off) counts that ``generate(n)`` produces."""
    running = round(n * RUNNING_SHARE)
    paused = min(round(n * PAUSED_SHARE), n - running)
    return running, paused, n - running - paused


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _host(root: ET.Element) -> None:
    cpu = _sub(root, "cpu")
    for tag, value in (
        ("nodes", "2"),
        ("sockets", "1"),
        ("cores", "16"),
        ("threads", "2"),
        ("active", "64"),
        ("mhz", "2400"),
        ("model", "x86_64"),
    ):
        _sub(cpu, tag, value)
    _sub(root, "memory", str(512 * 1024 * 1024))  # KiB: 512 GiB


def _domain(
    root: ET.Element, name: str, uid: str, mac: str, vcpus: int, mem_mib: int, runstate: str | None
) -> None:
    dom = _sub(root, "domain", type="kvm")
    _sub(dom, "name", name)
    _sub(dom, "uuid", uid)
    kib = str(mem_mib * 1024)
    _sub(dom, "memory", kib, unit="KiB")
    _sub(dom, "currentMemory", kib, unit="KiB")
    _sub(dom, "vcpu", str(vcpus), placement="static")
    os_el = _sub(dom, "os")
    _sub(os_el, "type", "hvm", arch="x86_64", machine="pc-q35-7.2")
    _sub(os_el, "boot", dev="hd")
    features = _sub(dom, "features")
    _sub(features, "acpi")
    _sub(features, "apic")
    devices = _sub(dom, "devices")
    _sub(devices, "emulator", "/usr/bin/qemu-system-x86_64")
    disk = _sub(devices, "disk", type="file", device="disk")
    _sub(disk, "driver", name="qemu", type="qcow2")
    _sub(disk, "source", file=f"{_IMAGES}/{name}.qcow2")
    _sub(disk, "target", dev="vda", bus="virtio")
    iface = _sub(devices, "interface", type="network")
    _sub(iface, "mac", address=mac)
    _sub(iface, "source", network="default")
    _sub(iface, "model", type="virtio")
    console = _sub(devices, "console", type="pty")
    _sub(console, "target", type="serial", port="0")
    _sub(devices, "graphics", type="vnc", port="-1", autoport="yes")
    if runstate is not None:
        _sub(dom, _RUNSTATE, runstate)


def _network(root: ET.Element) -> None:
    net = _sub(root, "network")
    _sub(net, "name", "default")
    _sub(net, "uuid", "d0d0d0d0-0000-4000-8000-0000000000ff")
    _sub(net, "forward", mode="nat")
    _sub(net, "bridge", name="virbr0", stp="on", delay="0")
    ip = _sub(net, "ip", address="192.168.122.1", netmask="255.255.255.0")
    dhcp = _sub(ip, "dhcp")
    _sub(dhcp, "range", start="192.168.122.2", end="192.168.122.254")


def _volume(pool: ET.Element, name: str, capacity_gib: int, allocation_mib: int) -> None:
    vol = _sub(pool, "volume", type="file")
    _sub(vol, "name", name)
    _sub(vol, "capacity", str(capacity_gib), unit="GiB")
    _sub(vol, "allocation", str(allocation_mib), unit="MiB")
    target = _sub(vol, "target")
    _sub(target, "format", type="qcow2")


def generate(n: int, seed: int = 0) -> str:
    """Return the XML text of a test-driver ``<node>`` holding ``n`` domains."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if n > 0xFFFFFF:
        raise ValueError("n must fit the 24 bits of a 52:54:00 MAC suffix")
    rng = random.Random(seed)
    running, paused, shutoff = state_counts(n)
    states: list[str | None] = [None] * running + [_PAUSED] * paused + [_SHUTOFF] * shutoff
    rng.shuffle(states)

    root = ET.Element("node", {"xmlns:test": TEST_NS})
    _host(root)
    pool = ET.Element("pool", type="dir")
    _sub(pool, "name", "default")
    _sub(pool, "uuid", "e0e0e0e0-0000-4000-8000-0000000000ff")
    _sub(_sub(pool, "target"), "path", _IMAGES)

    # Allocations are kept small so their sum stays below the driver's fixed
    # 100 GiB pool capacity for any n up to the MAC limit.
    alloc_budget_mib = 100 * 1024 * 3 // 4
    alloc_mib = max(1, min(512, alloc_budget_mib // max(n, 1)))

    width = max(5, len(str(n)))
    choice = rng.choice
    for i, runstate in enumerate(states):
        name = f"{choice(_ROLES)}-{i:0{width}d}"
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        mac = f"52:54:00:{(i >> 16) & 0xFF:02x}:{(i >> 8) & 0xFF:02x}:{i & 0xFF:02x}"
        _domain(root, name, uid, mac, choice(_VCPUS), choice(_MEMORY_MIB), runstate)
        _volume(pool, f"{name}.qcow2", choice(_DISK_GIB), alloc_mib)

    _network(root)
    root.append(pool)
    # One top-level element per line keeps the file greppable without the
    # cost of ET.indent().
    root.text = "\n"
    for child in root:
        child.tail = "\n"
    body = ET.tostring(root, encoding="unicode")
    return "<?xml version='1.0' encoding='UTF-8'?>\n" + body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a libvirt test-driver host XML with many domains."
    )
    parser.add_argument(
        "--domains",
        "-n",
        type=int,
        default=100,
        metavar="N",
        help="number of domains (default: 100)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--out", "-o", metavar="FILE", help="output file (default: standard output)"
    )
    args = parser.parse_args(argv)
    if args.domains < 0:
        parser.error("--domains must be >= 0")
    text = generate(args.domains, seed=args.seed)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
