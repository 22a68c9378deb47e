"""Wheel build step: compile the translations (.ts -> .qm) into the wheel.

The .qm files are build products, not sources (git ignores them), so the
wheel gets them here; an editable install uses the ones ``make`` builds in
the checkout.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TRANSLATIONS = "kvmdesk/resources/translations"


class TranslationsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, str(Path(self.root) / "packaging"))
        from lrelease import compile_all

        self._tmp = tempfile.mkdtemp(prefix="kvmdesk-qm-")
        for qm in compile_all(Path(self.root) / TRANSLATIONS, Path(self._tmp)):
            build_data["force_include"][str(qm)] = f"{TRANSLATIONS}/{qm.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
