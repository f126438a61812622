"""The deck plans and one slide XML part per slide kind equal their reviewed golden files (tools/update_golden.py)."""
from __future__ import annotations

import pytest

import goldens


@pytest.mark.parametrize("case", sorted(goldens.DECK_CASES))
def test_deck_plan_equals_its_golden_file(case):
    path = goldens.plan_path(case)
    assert path.is_file(), f"no golden {path} — write it with `python tools/update_golden.py deck` and review it"
    assert goldens.deck_plan_text(case) == path.read_text(encoding="utf-8"), \
        f"the plan of {case} changed — if intended, run `python tools/update_golden.py deck` and review the diff"


@pytest.fixture(scope="module")
def parts():
    return goldens.slide_parts()


@pytest.mark.parametrize("kind", [t.kind for t in goldens.SLIDE_TYPES])
def test_slide_xml_of_each_kind_equals_its_golden_file(parts, kind):
    path = goldens.part_path(kind)
    assert path.is_file(), f"no golden {path} — write it with `python tools/update_golden.py deck` and review it"
    assert parts[kind] == path.read_text(encoding="utf-8"), \
        f"the XML of a {kind} slide changed — if intended, run `python tools/update_golden.py deck` and review the diff"
