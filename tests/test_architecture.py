"""The architecture (reader → model → planners → writers) as import-linter contracts ([tool.importlinter] in
pyproject.toml): the code keeps them, and each of them does fail when the code breaks it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _lint(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the repository's pyproject.toml, analysing the `deckgen` package found in `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "250", "NO_COLOR": "1"}
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo", *args, str(ROOT / "pyproject.toml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def _summary(result: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    m = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert m, result.stdout + result.stderr
    return int(m.group(1)), int(m.group(2))


def test_the_code_keeps_every_contract():
    result = _lint(SRC)
    assert result.returncode == 0, result.stdout + result.stderr
    kept, broken = _summary(result)
    assert (kept, broken) == (len(VIOLATIONS), 0), result.stdout


# contract id → (file of the package copy to write or extend, what to add there, the import the report must name)
VIOLATIONS = {
    "layout-format-free": ("layout/_probe.py", "from ..writers import pptx\n", "deckgen.layout._probe -> deckgen.writers.pptx"),
    "model-format-free": ("model.py", "\nfrom . import layout\n", "deckgen.model -> deckgen.layout"),
    "pptx-only-in-deck-writer": ("writers/_probe.py", "import pptx\n", "deckgen.writers._probe -> pptx"),
    "reportlab-only-in-brief-writer": ("writers/pptx/shapes.py", "\nimport reportlab\n", "deckgen.writers.pptx.shapes -> reportlab"),
    "pikepdf-only-in-brief-writer": ("chartcache.py", "\nimport pikepdf\n", "deckgen.chartcache -> pikepdf"),
    "cli-uses-only-the-api": ("cli.py", "\nfrom . import layout\n", "deckgen.cli -> deckgen.layout"),
    "matplotlib-only-in-charts": ("chartcache.py", "\nimport matplotlib\n", "deckgen.chartcache -> matplotlib"),
    "click-only-in-cli": ("_probe.py", "import click\n", "deckgen._probe -> click"),
    "openpyxl-only-in-datafiles": ("outline.py", "\nimport openpyxl\n", "deckgen.outline -> openpyxl"),
    "nothing-imports-cli": ("_probe.py", "from . import cli\n", "deckgen._probe -> deckgen.cli"),
    "svglib-only-in-brief-writer": ("writers/pptx/shapes.py", "\nimport svglib\n", "deckgen.writers.pptx.shapes -> svglib"),
    "cairosvg-only-in-deck-writer": ("writers/pdf/faces.py", "\nimport cairosvg\n", "deckgen.writers.pdf.faces -> cairosvg"),
    "importer-format-free": ("importing/infer.py", "\nfrom .. import layout\n", "deckgen.importing.infer -> deckgen.layout"),
    "docx-only-in-docx-reader": ("importing/markdown.py", "\nimport docx\n", "deckgen.importing.markdown -> docx"),
    "markdown-it-only-in-markdown-reader": ("importing/docx.py", "\nimport markdown_it\n", "deckgen.importing.docx -> markdown_it"),
    "odfdo-only-in-odt-reader": ("importing/html.py", "\nimport odfdo\n", "deckgen.importing.html -> odfdo"),
    "ruamel-only-in-yamledit": ("pull.py", "\nimport ruamel.yaml\n", "deckgen.pull -> ruamel"),
    "access-format-free": ("access.py", "\nimport lxml\n", "deckgen.access -> lxml"),
    "pypdfium2-only-in-raster": ("preview.py", "\nimport pypdfium2\n", "deckgen.preview -> pypdfium2"),
}


def _copy_with(tmp_path: Path, rel: str, code: str) -> Path:
    src = tmp_path / "src"
    shutil.copytree(SRC / "deckgen", src / "deckgen", ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "deckgen" / rel
    target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + code, encoding="utf-8")
    return src


@pytest.mark.parametrize("contract", list(VIOLATIONS))
def test_each_contract_fails_on_a_violating_import(tmp_path, contract):
    rel, code, link = VIOLATIONS[contract]
    src = _copy_with(tmp_path, rel, code)
    result = _lint(src)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert _summary(result) == (len(VIOLATIONS) - 1, 1), out  # exactly this contract breaks …
    only = _lint(src, "--contract", contract)
    assert only.returncode != 0 and _summary(only) == (0, 1), only.stdout + only.stderr  # … and it is this one
    assert link.split(" -> ")[0] in only.stdout and link.split(" -> ")[1] in only.stdout, only.stdout
