"""`deckgen build` makes the deck in a process forked for it while the brief is made (when no chart is left to render):
the same bytes and warnings as one build in one process (parallel.run_forked, build(split=True))."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import deckgen
from conftest import DEFAULT, MINI
from deckgen import parallel

two_cores = pytest.mark.skipif(not parallel.can_fork(), reason="fork with two or more cores")


def _warned(tmp_path):
    """The mini outline with a warning from the deck (a title too long for its slide) and one from both (an empty section)."""
    text = MINI.read_text(encoding="utf-8").replace("    title: Second section\n", "    title: " + "A very long slide title " * 12 + "\n", 1)
    text = text.replace("sections:\n", "sections:\n  - id: empty\n    title: A section with nothing in it\n", 1)
    path = tmp_path / "warned.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@two_cores
def test_a_split_build_gives_the_bytes_and_warnings_of_one_build(tmp_path, monkeypatch):
    outline = _warned(tmp_path)
    deckgen.build(outline, tmp_path / "warm", write=False)  # every chart in the cache: the deck goes to a fork
    forks = []
    real = parallel.run_forked
    monkeypatch.setattr(parallel, "run_forked", lambda job: forks.append(job) or real(job))
    split = deckgen.build(outline, tmp_path / "split", split=True)
    assert len(forks) == 1
    one = deckgen.build(outline, tmp_path / "one")
    assert len(forks) == 1
    assert split.warnings == one.warnings and any("slide title" in w.message for w in one.warnings)
    assert [p.name for p in split.paths] == [p.name for p in one.paths] == ["warned.pptx", "warned.pdf"]
    assert [p.read_bytes() for p in split.paths] == [p.read_bytes() for p in one.paths]
    assert split.products == one.products


@two_cores
def test_with_charts_to_render_the_deck_is_made_here_beside_the_chart_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "run_forked", lambda job: pytest.fail("forked with charts to render"))
    result = deckgen.build(_warned(tmp_path), tmp_path / "out", cache=False, split=True)
    assert [p.suffix for p in result.paths] == [".pptx", ".pdf"]


@two_cores
def test_an_error_in_the_forked_deck_is_the_error_of_one_build(tmp_path, monkeypatch):
    from deckgen.errors import AssetError
    from deckgen.writers import pptx

    def refuse(*args, **kwargs):
        raise AssetError("no layout of the template can serve a chart slide — add one", "theme.template")

    outline = _warned(tmp_path)
    deckgen.build(outline, tmp_path / "warm", write=False)  # charts cached: the deck goes to a fork
    monkeypatch.setattr(pptx, "write_deck", refuse)  # the forked process is a copy of this one: it refuses too
    errors = []
    for split in (True, False):
        with pytest.raises(deckgen.DeckgenError) as caught:
            deckgen.build(outline, tmp_path / "out", split=split)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "no layout of the template can serve a chart slide" in errors[0]
    assert not (tmp_path / "out").exists()  # nothing written


@two_cores
def test_a_job_whose_process_dies_is_run_here():
    parent = os.getpid()
    job = parallel.run_forked(lambda: os._exit(3) if os.getpid() != parent else "made here")
    try:
        assert isinstance(job, parallel.Forked) and job.result() == "made here"
    finally:
        job.stop()
    answer = parallel.run_forked(lambda: ("made there", os.getpid() != parent))
    try:
        assert answer.result() == ("made there", True)
    finally:
        answer.stop()


@pytest.mark.slow
def test_the_command_writes_what_the_library_builds(tmp_path):
    """`deckgen build` as a user runs it, cold and then with its charts cached (the deck forked), writes the bytes
    `deckgen.build` makes in this process."""
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    made = deckgen.build(DEFAULT, tmp_path / "lib", cache=False, write=False).data
    for run in ("cold", "cached"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "deckgen", "build", str(DEFAULT), "-o", str(out), "-q"], env=env, check=True,
                       capture_output=True)
        assert {p.name: b for p, b in made.items()} == {p.name: p.read_bytes() for p in out.iterdir()}, run
