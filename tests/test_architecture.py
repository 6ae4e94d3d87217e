"""House rules that keep the layers apart: geo/ never imports the UI."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UI_MODULES = {"streamlit", "pydeck"}


@pytest.mark.parametrize("path", sorted((REPO / "geo").glob("*.py")), ids=lambda p: p.name)
def test_geo_has_no_ui_imports(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & UI_MODULES, f"{path.name} imports {imported & UI_MODULES}"


@pytest.mark.parametrize(
    "path",
    sorted([*(REPO / "geo").glob("*.py"), *(REPO / "dashboard").rglob("*.py")]),
    ids=lambda p: p.name,
)
def test_no_eval_exec_or_pickle(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"eval", "exec"}, f"{path.name}:{node.lineno}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert "pickle" not in names, f"{path.name}:{node.lineno} imports pickle"
