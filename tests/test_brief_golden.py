"""The brief's plans equal their reviewed golden JSON (tests/golden/brief/); only `python tools/update_golden.py brief`
writes them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import goldens

CASES = sorted(goldens.BRIEF_CASES)


@pytest.mark.parametrize("case", CASES)
def test_plan_matches_the_golden_json(case):
    path = goldens.plan_path(case, "brief")
    assert path.is_file(), f"no golden plan {path} — run `python tools/update_golden.py brief` and review it"
    assert goldens.brief_plan_text(case) == path.read_text(encoding="utf-8"), \
        f"the brief plan of {case} changed — if intended, run `python tools/update_golden.py brief` and review the diff"


@pytest.mark.parametrize("case", CASES)
def test_the_golden_plan_holds_no_machine_paths(case):
    text = goldens.plan_path(case, "brief").read_text(encoding="utf-8")
    data = json.loads(text)
    assert "/usr/" not in text and str(Path.home()) not in text and str(goldens.ROOT) not in text
    masthead = data["plan"]["blocks"][0]
    assert (data["plan"]["type"], masthead["type"], masthead["logo"]) == ("BriefPlan", "Masthead", False)  # no logo given
