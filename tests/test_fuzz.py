"""Fuzzing the build (issue 20): seeded mutations of the default outline — byte flips, truncation, deep nesting,
extreme numbers, odd Unicode, long text, line edits — each ends in a build or in located errors, with nothing stray on
stderr and no output lost. The generator and the judge are tools/fuzz.py's (`python tools/fuzz.py N` for long runs)."""
from __future__ import annotations

import importlib.util
import random

import pytest

from conftest import DEFAULT, ROOT

CASES = 300
SEED = 20


def _fuzz():
    spec = importlib.util.spec_from_file_location("deckgen_fuzz", ROOT / "tools" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mutations_are_seeded_and_varied():
    fuzz = _fuzz()
    text = DEFAULT.read_text(encoding="utf-8")
    first = [fuzz.mutate(text, random.Random(s)) for s in range(40)]
    assert first == [fuzz.mutate(text, random.Random(s)) for s in range(40)]  # the same seed, the same case
    assert len(set(first)) == 40 and all(m != text.encode() for m in first)
    joined = b"\n".join(first)
    for kind in (b"1e308", b"[[[[[", "\u202e".encode(), b"longwordwithoutanyspaces" * 50):  # the kinds show up
        assert kind in joined or any(kind in fuzz.mutate(text, random.Random(s)) for s in range(40, 400)), kind


def test_the_judge_tells_a_crash_from_a_clean_error(tmp_path, monkeypatch):
    """The counts could not be trusted if the judge passed a crash: one is injected and must be counted."""
    import sys

    build = sys.modules["deckgen.build"]  # (the package's `build` is the function)
    fuzz = _fuzz()
    probe = tmp_path / "probe"
    probe.mkdir()
    seed = next(s for s in range(100) if fuzz.run_case(s, probe)[0] == "build")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(build, "_build_one", broken)
    (tmp_path / "again").mkdir()
    outcome, detail = fuzz.run_case(seed, tmp_path / "again")
    assert outcome == "crash" and "unexpectedly" in detail


@pytest.mark.slow
def test_a_few_hundred_mutants_keep_the_contract(tmp_path, monkeypatch):
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    counts = _fuzz().fuzz(CASES, seed=SEED, timeout=60)
    details = counts.pop("details")
    assert counts["cases"] == CASES
    assert (counts["crash"], counts["hang"], counts["data lost"]) == (0, 0, 0), details
    assert counts["build"] >= CASES // 10 and counts["clean error"] >= CASES // 10, counts  # both ends are exercised
    assert counts["seconds"] < 120, counts
