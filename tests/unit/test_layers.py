"""Layer rules that import-linter cannot express (submodules of PySide6)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "kvmdesk"

FORBIDDEN = {
    "core": ("PySide6.QtWidgets", "PySide6.QtGui", "kvmdesk.ui", "kvmdesk.models"),
    "models": ("PySide6.QtWidgets", "kvmdesk.ui"),
    "virt": ("PySide6", "qasync", "kvmdesk.core"),
    "domxml": ("PySide6", "qasync", "libvirt", "kvmdesk.virt"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offences, "\n".join(offences)
