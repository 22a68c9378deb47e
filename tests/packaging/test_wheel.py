"""The built wheel works on its own: installed into a fresh venv, kvmdesk
finds its icons, demo host and translations in site-packages.

Run by ``make packages`` (scripts/packages.sh) after ``python -m build``;
the wheel is taken from $KVMDESK_DIST (default: dist/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.packaging.smoke import start_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel() -> Path:
    dist = Path(os.environ.get("KVMDESK_DIST", ROOT / "dist"))
    wheels = sorted(dist.glob("kvmdesk-*.whl"))
    assert len(wheels) == 1, f"build the wheel first (make packages): {wheels}"
    return wheels[0]


def test_the_wheel_carries_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "kvmdesk/resources/demo/demo-host.xml",
        "kvmdesk/resources/icons/kvmdesk.svg",
        "kvmdesk/resources/icons/state-running.svg",
        "kvmdesk/resources/translations/kvmdesk_zh_CN.qm",
        "kvmdesk/resources/translations/kvmdesk_en.qm",
    ):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_sdist_carries_what_the_packages_build_from(wheel: Path) -> None:
    import tarfile

    sdist = wheel.with_name(wheel.name.split("-py3")[0] + ".tar.gz")
    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        names = set(archive.getnames())
    for needed in (
        "LICENSE",
        "hatch_build.py",
        "packaging/lrelease.py",
        "packaging/gen_cli_docs.py",
        "packaging/rpm/kvmdesk.spec",
        "debian/rules",
        "kvmdesk/resources/translations/kvmdesk_zh_CN.ts",
        "kvmdesk/resources/demo/demo-host.xml",
        "tests/conftest.py",
    ):
        assert f"{top}/{needed}" in names, needed
    assert not any(n.endswith(".qm") for n in names), "a .qm is built, never shipped as source"


def test_kvmdesk_from_the_wheel_starts_on_its_demo_host(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    # The desktop entry's Exec runs what the install put on PATH (pipx: ~/.local/bin).
    desktop = (ROOT / "packaging" / "kvmdesk.desktop").read_text(encoding="utf-8")
    program = next(line for line in desktop.splitlines() if line.startswith("Exec="))[5:]
    found = shutil.which(program.split()[0], path=str(env_dir / "bin"))
    assert found == str(env_dir / "bin" / "kvmdesk")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("kvmdesk ") and "unknown" not in version.stdout

    started = start_demo([str(env_dir / "bin" / "kvmdesk")])
    assert started.ready and not started.problems, "\n".join(started.log[-40:])
    site = str(env_dir / "lib")
    assert started.demo_xml.startswith(site), started.demo_xml  # not the checkout's copy
    assert all(path.startswith(site) for path in started.icons.values()), started.icons
    assert sys.prefix not in started.demo_xml
