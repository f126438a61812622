"""The brief's plan matches its golden JSON (tests/golden/brief/); only `python tools/update_golden.py brief` writes them."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "update_golden.py"


def _tool():
    spec = importlib.util.spec_from_file_location("update_golden", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


golden = _tool()
CASES = sorted(golden.SECTIONS["brief"].cases)


def test_the_golden_cases_are_the_default_outline_mini_and_polish():
    assert CASES == ["default", "mini", "polish"]


@pytest.mark.parametrize("case", CASES)
def test_plan_matches_the_golden_json(case):
    path = golden.golden_path("brief", case)
    assert path.is_file(), f"no golden plan {path} — run `python tools/update_golden.py brief`"
    want = path.read_text(encoding="utf-8")
    got = golden.golden_text("brief", case)
    assert got == want, f"the brief plan of {case} changed — if intended, run `python tools/update_golden.py brief` and review the diff"


@pytest.mark.parametrize("case", CASES)
def test_the_golden_plan_holds_no_machine_paths(case):
    text = golden.golden_path("brief", case).read_text(encoding="utf-8")
    data = json.loads(text)
    assert "/usr/" not in text and str(Path.home()) not in text and str(TOOL.parent.parent) not in text
    assert data["plan"]["type"] == "BriefPlan" and data["plan"]["blocks"][0] == {**data["plan"]["blocks"][0], "logo": True}
