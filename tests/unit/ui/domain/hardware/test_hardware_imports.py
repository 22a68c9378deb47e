"""The Hardware tab's modules import first in a fresh interpreter: no import cycle with
the New VM wizard, which shows the same forms (and whose widgets the forms use)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = (
    "kvmdesk.ui.domain.hardware.hardware_words",
    "kvmdesk.ui.domain.hardware.source_field",
    "kvmdesk.ui.domain.hardware.disk_form",
    "kvmdesk.ui.domain.hardware.plan_editor",
    "kvmdesk.ui.domain.hardware.hardware_page",
    "kvmdesk.ui.new_vm.xml_dialog",
)


@pytest.mark.parametrize("module", MODULES)
def test_imports_first(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
