"""The growth engine never imports Django (ARCHITECTURE.md: framework-free engines)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tumbuh.growth

PACKAGE = Path(tumbuh.growth.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "polars", "python_calamine", "xlsxwriter", "tqdm", "click"}


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_of_the_engine_imports_django() -> None:
    for path in PACKAGE.rglob("*.py"):
        roots = _imported_roots(path)
        assert "django" not in roots, f"{path.name} imports Django"
        third_party = roots - set(sys.stdlib_module_names) - {"tumbuh"}
        assert third_party <= ALLOWED_THIRD_PARTY, f"{path.name}: {third_party}"


def test_importing_and_using_the_engine_loads_no_django() -> None:
    code = (
        "import sys, tumbuh.growth as g\n"
        "g.assess(sex=1, age_days=400, weight=9.0, lenhei=75.0)\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "'django was imported'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
