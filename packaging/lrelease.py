"""Find Qt's lrelease and compile the .ts translations into .qm files.

Used by the wheel build (hatch_build.py), by ``make`` for a checkout, and by
the RPM and Debian builds. Any lrelease of Qt 6 will do: the one in PySide6
(``pyside6-lrelease``), the distribution's (qt6-l10n-tools on Debian,
qt6-linguist on Fedora), or the one named by $LRELEASE.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

CANDIDATES = ("pyside6-lrelease", "lrelease-qt6", "lrelease6", "lrelease")
QT_LIBEXEC = ("/usr/lib/qt6/bin", "/usr/lib64/qt6/bin", "/usr/lib/x86_64-linux-gnu/qt6/bin")


def find_lrelease() -> list[str] | None:
    """The command that runs lrelease, or None when there is none."""
    named = os.environ.get("LRELEASE")
    if named:
        return [named]
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return [found]
    for folder in QT_LIBEXEC:
        path = Path(folder) / "lrelease"
        if path.is_file() and os.access(path, os.X_OK):
            return [str(path)]
    # PySide6 importable in this interpreter: its bundled binary, no import of Qt.
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            path = Path(folder) / "lrelease"
            if path.is_file():
                return [str(path)]
    return None


def compile_all(ts_dir: Path, out_dir: Path) -> list[Path]:
    """Compile every ``*.ts`` under ``ts_dir`` into ``out_dir``; the .qm paths."""
    command = find_lrelease()
    if command is None:
        raise SystemExit(
            "kvmdesk: Qt's lrelease is needed to build the translations; install "
            "qt6-l10n-tools (Debian/Ubuntu), qt6-linguist (Fedora) or PySide6, "
            "or set LRELEASE=/path/to/lrelease"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for ts in sorted(ts_dir.glob("*.ts")):
        qm = out_dir / (ts.stem + ".qm")
        subprocess.run([*command, "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


if __name__ == "__main__":
    # python3 packaging/lrelease.py TS_DIR [OUT_DIR]
    source = Path(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else source
    for path in compile_all(source, target):
        print(path)
