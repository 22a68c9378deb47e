#!/usr/bin/env python3
"""Install kvmdesk with bundled Python dependencies into a private directory.

    python3 packaging/install_private.py --lib /usr/lib/kvmdesk --bin /usr/bin \
        --destdir debian/kvmdesk dist/kvmdesk-*.whl vendor/*.whl

For distributions without PySide6 (Debian 12, RHEL 9): the wheels are
unpacked into LIB (not site-packages, so nothing else sees them), and
``kvmdesk`` and ``kvmdesk-askpass`` in BIN put LIB first on the module path
and start kvmdesk with the system's Python (--python, /usr/bin/python3 by
default), whose own packages (python3-libvirt) stay visible after LIB.
Unneeded parts of the Qt wheels (QML, Designer, the developer tools, type
stubs) are left out.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import zipfile
from pathlib import Path

# Paths inside the unpacked wheels kvmdesk never uses (globs, relative to LIB).
LEAVE_OUT = [
    "*.pyi",
    "*/__pycache__/*",
    "PySide6/doc/*",
    "*.dist-info/RECORD",
    "*.data/*",
    "PySide6/Qt/qml/*",
    "PySide6/Qt/metatypes/*",
    "PySide6/Qt/libexec/*",
    "PySide6/include/*",
    "PySide6/typesystems/*",
    "PySide6/glue/*",
    "PySide6/scripts/*",
    "PySide6/support/generate_pyi.py",
    "PySide6/assistant",
    "PySide6/designer",
    "PySide6/linguist",
    "PySide6/lupdate",
    "PySide6/lrelease",
    "PySide6/balsam*",
    "PySide6/qml*",
    "PySide6/qsb",
    "PySide6/svgtoqml",
    "PySide6/Qt/translations/assistant_*",
    "PySide6/Qt/translations/designer_*",
    "PySide6/Qt/translations/linguist_*",
    "PySide6/Qt/translations/qt_help_*",
    "PySide6/Qt/translations/qtdeclarative_*",
    "PySide6/Qt/lib/libQt6Designer*",
    "PySide6/Qt/lib/libQt6Quick*",
    "PySide6/Qt/lib/libQt6Qml*",
    "PySide6/Qt/lib/libQt6LabsStyleKit*",
    "PySide6/Qt/lib/libQt6WaylandCompositor*",
    "PySide6/Qt/plugins/designer/*",
    "PySide6/Qt/plugins/qmltooling/*",
    "PySide6/Qt*Quick*.abi3.so",
    "PySide6/QtQml.abi3.so",
    "PySide6/QtDesigner.abi3.so",
]

LAUNCHER = """#!{python}
# kvmdesk with its bundled dependencies in {lib} (see packaging/install_private.py)
import sys

sys.path.insert(0, {lib!r})
from {module} import main

sys.exit(main())
"""
SCRIPTS = {"kvmdesk": "kvmdesk.__main__", "kvmdesk-askpass": "kvmdesk.cli.askpass"}


def unpack(wheel: Path, target: Path) -> int:
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir() or any(fnmatch.fnmatch(info.filename, g) for g in LEAVE_OUT):
                continue
            path = target / info.filename
            path.parent.mkdir(parents=True, exist_ok=True)
            data = archive.read(info)
            path.write_bytes(data)
            # Programs stay executable; Python and data files never are.
            executable = (info.external_attr >> 16) & 0o111 and data[:4] == b"\x7fELF"
            path.chmod(0o755 if executable else 0o644)
            count += 1
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", required=True, help="private directory, e.g. /usr/lib/kvmdesk")
    parser.add_argument("--bin", required=True, help="where the launchers go, e.g. /usr/bin")
    parser.add_argument("--destdir", default="/", help="staging root (DESTDIR)")
    parser.add_argument(
        "--python", default="/usr/bin/python3", help="interpreter of the launchers (3.11+)"
    )
    parser.add_argument("wheels", nargs="+", type=Path)
    args = parser.parse_args(argv)
    root = Path(args.destdir)
    lib = root / args.lib.lstrip("/")
    for wheel in args.wheels:
        print(f"{wheel.name}: {unpack(wheel, lib)} files")
    bindir = root / args.bin.lstrip("/")
    bindir.mkdir(parents=True, exist_ok=True)
    for name, module in SCRIPTS.items():
        launcher = bindir / name
        launcher.write_text(
            LAUNCHER.format(python=args.python, lib=args.lib, module=module), encoding="utf-8"
        )
        launcher.chmod(0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
