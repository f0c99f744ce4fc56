"""The outside checkers the suite runs (installed by `make test` into tests/tools/ with npm).

They are never served to users: axe-core runs inside the browser tests, the Nu HTML
Checker (vnu.jar, on the machine's Java) over rendered pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import service_missing

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"


def tool(path: Path) -> Path:
    """``path`` if installed; else skip (fail in CI) saying how to install it."""
    if not path.exists():
        service_missing(f"{path.relative_to(TOOLS.parent)} is missing: run `make tools`")
    return path


def java() -> str:
    """The java binary the Nu checker runs on."""
    found = shutil.which("java")
    if found is None:
        service_missing("java is not installed: the Nu HTML Checker needs it")
    assert found is not None
    return found
