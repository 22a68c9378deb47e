"""Where kvmdesk finds its bundled files (icons, demo host, translations).

They are package data of ``kvmdesk.resources``, found through
importlib.resources: beside the code in a checkout, in site-packages from a
wheel, under /usr/lib/python3*/site-packages from a distribution package.
libvirt's test driver and Qt's file loaders need real paths, so the data must
be installed as files (every pip and distribution install is); a zipped
install is refused with a clear message instead of failing later.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from urllib.parse import quote


def _resource_dir() -> Path:
    root = files("kvmdesk.resources")
    if not isinstance(root, Path):
        raise RuntimeError(f"kvmdesk's data files must be installed as files, not in {root}")
    return root


RESOURCES = _resource_dir()
ICONS = RESOURCES / "icons"
DEMO_HOST_XML = RESOURCES / "demo" / "demo-host.xml"
TRANSLATIONS = RESOURCES / "translations"


def demo_uri() -> str:
    """The test-driver URI of the bundled demo host (its path percent-encoded,
    so that an installation under a folder with spaces passes the URI check)."""
    return "test://" + quote(str(DEMO_HOST_XML), safe="/-._~")


def is_demo_uri(uri: str) -> bool:
    return uri == demo_uri()
