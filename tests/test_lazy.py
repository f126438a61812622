"""Start-up cost: the CLI imports no heavy library until a command needs it."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("yaml", "pydantic", "pptx", "reportlab", "matplotlib", "pikepdf", "openpyxl")


def _imported_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('LOADED:', ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.rsplit("LOADED:", 1)[1].split()


def test_help_imports_no_heavy_library():
    assert _imported_after("from deckgen.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass") == []


def test_validate_does_not_import_the_writers():
    code = "import deckgen\ndeckgen.load(None)"
    assert set(_imported_after(code)) == {"yaml", "pydantic"}
