"""Where kvmdesk finds its bundled files (icons, demo host)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
ICONS = RESOURCES / "icons"
DEMO_HOST_XML = RESOURCES / "demo" / "demo-host.xml"


def demo_uri() -> str:
    """The test-driver URI of the bundled demo host (its path percent-encoded,
    so that an installation under a folder with spaces passes the URI check)."""
    return "test://" + quote(str(DEMO_HOST_XML), safe="/-._~")


def is_demo_uri(uri: str) -> bool:
    return uri == demo_uri()
