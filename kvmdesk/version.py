"""kvmdesk's version, as the installed package's metadata states it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def kvmdesk_version() -> str:
    """The version from the package metadata (pyproject.toml is the one source)."""
    try:
        return version("kvmdesk")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        return "unknown (not installed)"
