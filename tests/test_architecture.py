"""The layering, read from the source with ``ast``: views/ → lstm_ui/ → lstm_core/ → numpy.

- lstm_core imports numpy, the standard library and itself only (no streamlit, plotly, pandas, torch);
- lstm_ui never imports a page;
- views/*.py and app.py import streamlit, the standard library and lstm_ui only (no lstm_core, numpy,
  pandas, plotly): the computation and the tables live in lstm_ui, where they can be tested;
- no module of lstm_core or lstm_ui rebinds module state with ``global``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = frozenset(sys.stdlib_module_names)
CORE_ALLOWED = STDLIB | {"numpy", "lstm_core"}
PAGE_ALLOWED = STDLIB | {"streamlit", "lstm_ui"}


def sources(*patterns: str) -> list[Path]:
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern) if "__pycache__" not in p.parts})
    assert files, f"no Python files match {patterns}: is ROOT ({ROOT}) the repository?"
    return files


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def package_of(path: Path) -> str:
    """The dotted package a file belongs to (``lstm_ui/x.py`` → ``lstm_ui``), for relative imports."""
    return ".".join(path.relative_to(ROOT).parts[:-1])


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) of every import in ``path``, nested ones included; relative imports
    are resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_of(path).split(".")
                base = base[: len(base) - (node.level - 1)]  # level 1: this package, 2: its parent
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def top(name: str) -> str:
    return name.split(".")[0]


def offending(path: Path, allowed: frozenset[str] | set[str]) -> list[str]:
    return [
        f"{rel(path)}:{line} imports {name}"
        for line, name in imported_modules(path)
        if top(name) not in allowed
    ]


@pytest.mark.parametrize("path", sources("lstm_core/**/*.py"), ids=rel)
def test_core_imports_numpy_and_the_stdlib_only(path):
    assert offending(path, CORE_ALLOWED) == []


@pytest.mark.parametrize("path", sources("lstm_ui/**/*.py"), ids=rel)
def test_ui_never_imports_a_page(path):
    pages = [
        f"{rel(path)}:{line} imports {name}"
        for line, name in imported_modules(path)
        if top(name) in {"views", "app"}
    ]
    assert pages == []


@pytest.mark.parametrize("path", [*sources("views/*.py"), ROOT / "app.py"], ids=rel)
def test_pages_import_streamlit_the_stdlib_and_lstm_ui_only(path):
    assert offending(path, PAGE_ALLOWED) == []


@pytest.mark.parametrize("path", sources("lstm_core/**/*.py", "lstm_ui/**/*.py"), ids=rel)
def test_no_global_statements_in_the_packages(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [
        f"{rel(path)}:{n.lineno} global {', '.join(n.names)}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Global)
    ]
    assert found == []


def test_the_checker_sees_what_it_forbids(tmp_path):
    """The checker itself: a page importing numpy and lstm_core is caught, a relative import resolves."""
    bad = tmp_path / "page.py"
    bad.write_text(
        "import numpy as np\nfrom lstm_core import run_lstm\nimport streamlit as st\nimport json\n"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys.modules[__name__], "ROOT", tmp_path)
        found = offending(bad, PAGE_ALLOWED)
        assert found == ["page.py:1 imports numpy", "page.py:2 imports lstm_core"]
        pkg = tmp_path / "lstm_ui"
        pkg.mkdir()
        (pkg / "x.py").write_text("from . import heatmap\nfrom .colors import SCALES\n")
        assert [name for _, name in imported_modules(pkg / "x.py")] == ["lstm_ui", "lstm_ui.colors"]
