"""Volume upload over ssh (libvirt's stream) against scp of the same file.

The ssh bed (tests/integration/sshbed.py) is the remote host; a directory
pool on the local libvirtd receives the volume. kvmdesk's upload engine
(``virt.upload``, what the Upload job runs) sends the file through
``qemu+ssh://``; ``scp`` copies the same file into the same directory over
the same sshd. Each is run ``reps`` times; the medians are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT

DEFINITIONS = {
    "upload_mb_s": "kvmdesk's volume upload through qemu+ssh (libvirt stream), median MB/s",
    "scp_mb_s": "scp of the same file to the same directory over the same sshd, median MB/s",
    "upload_vs_scp_pct": "upload throughput as a share of scp's, from the medians",
}


def measure(mib: int, reps: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    import libvirt
    from sshbed import HOST, ssh_bed  # type: ignore[import-not-found]

    from kvmdesk.virt import storage
    from kvmdesk.virt import upload as virt_upload
    from kvmdesk.virt.errors import silence_stderr_printing
    from kvmdesk.virt.opener import open_uri

    silence_stderr_printing()
    work = Path(tempfile.mkdtemp(prefix="kvmdesk-upload-bench-"))
    work.chmod(0o755)
    pool_dir = work / "pool"
    source = work / "file.img"
    with open(source, "wb") as out:
        for _ in range(mib):
            out.write(os.urandom(1 << 20))
    size = source.stat().st_size
    local = libvirt.open("qemu:///system")
    pool_name = f"kvmdesk-bench-{os.getpid()}"
    storage.create_dir_pool(local, pool_name, str(pool_dir))
    ours: list[float] = []
    theirs: list[float] = []
    try:
        with ssh_bed() as bed:
            remote = open_uri(f"qemu+ssh://{HOST}/system")
            try:
                for rep in range(reps):
                    name = f"up-{rep}.img"
                    started = time.perf_counter()
                    virt_upload.upload(
                        remote,
                        pool_name,
                        name,
                        str(source),
                        virt_upload.Counter(size),
                        threading.Event(),
                    )
                    ours.append(size / (time.perf_counter() - started) / 1e6)
                    remote.storagePoolLookupByName(pool_name).storageVolLookupByName(name).delete(0)
                    started = time.perf_counter()
                    subprocess.run(
                        [
                            "scp",
                            "-O",  # the scp protocol: the test sshd offers no sftp
                            "-q",
                            "-F",
                            str(bed.client_config),
                            str(source),
                            f"{HOST}:{pool_dir / 'scp.img'}",
                        ],
                        check=True,
                    )
                    theirs.append(size / (time.perf_counter() - started) / 1e6)
                    (pool_dir / "scp.img").unlink()
            finally:
                remote.close()
    finally:
        pool = local.storagePoolLookupByName(pool_name)
        pool.refresh(0)
        for vol in pool.listAllVolumes(0):
            vol.delete(0)
        pool.destroy()
        pool.undefine()
        local.close()
        shutil.rmtree(work, ignore_errors=True)
    upload = statistics.median(ours)
    scp = statistics.median(theirs)
    return {
        "mib": mib,
        "upload_mb_s": round(upload, 1),
        "scp_mb_s": round(scp, 1),
        "upload_vs_scp_pct": round(100 * upload / scp, 1),
        "upload_runs": [round(v, 1) for v in ours],
        "scp_runs": [round(v, 1) for v in theirs],
    }


def run(quick: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    raw = measure(64 if quick else 256, 3 if quick else 5)
    case = "ssh"  # the file's size is in upload_detail
    figures: dict[str, Any] = {
        key: {case: raw[key]} for key in ("upload_mb_s", "scp_mb_s", "upload_vs_scp_pct")
    }
    figures["upload_detail"] = {
        "mib": raw["mib"],
        "upload_runs": raw["upload_runs"],
        "scp_runs": raw["scp_runs"],
    }
    return figures, DEFINITIONS


def checks() -> list[tuple[str, str, str, str, float | None, bool]]:
    case = "ssh"
    return [
        ("upload_mb_s", case, "upload over ssh (libvirt stream)", "MB/s", None, True),
        ("scp_mb_s", case, "  scp of the same file", "MB/s", None, True),
        ("upload_vs_scp_pct", case, "upload throughput vs scp", "%", 70.0, True),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.upload", description=__doc__.split("\n")[0]
    )
    p.add_argument("--mib", type=int, default=256)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    figures = measure(args.mib, args.reps)
    for key, value in figures.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
