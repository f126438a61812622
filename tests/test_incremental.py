"""A session's rebuilds: the deck written incrementally (writers/pptx/reuse.py: only the slides whose plan changed are
drawn) and the brief made by a worker process beside it (parallel.py) — the same bytes and warnings a full build of
the edited outline gives, on the built-in template and on others' templates."""
from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

import deckgen
from deckgen.build import outline_theme
from deckgen.chartcache import ChartStore
from templates import DEFAULT_OUTLINE, make_python_pptx_default, outline_on

TEXT = DEFAULT_OUTLINE.read_text(encoding="utf-8")

# (what the edit is, old text, new text, slides a reuse may draw: None = the whole deck must be drawn again)
EDITS = [
    ("one point's wording", "Talks with President Biden", "Talks with President Biden and his team", 1),
    ("one chart value", "values: [783.3, 749.6", "values: [790.5, 749.6", 2),  # the chart's slide and the sources slide
    ("a key figure", "value: $800 bn", "value: $801 bn", 1),
    ("the lead", "Kishida Fumio's state visit", "Kishida Fumio's official state visit", None),
    ("back to the outline as it was", None, None, None),
]


def _deck(result) -> bytes:
    return next(data for path, data in result.data.items() if path.suffix == ".pptx")


def _session(outline: Path):
    """A watch-like session: one chart store, one deck memory, the outline edited in place."""
    return ChartStore(outline_theme(deckgen.load(outline))), {}


def _rebuild(outline: Path, store, decks) -> tuple[bytes, int]:
    result = deckgen.build(deckgen.load(outline), outline.parent / "out", ("pptx",), chart_store=store, deck_reuse=decks,
                           write=False)
    return _deck(result), decks[None].drawn


def _full(outline: Path) -> bytes:
    return _deck(deckgen.build(deckgen.load(outline), outline.parent / "full", ("pptx",), write=False))


def _apply(text: str, old: str | None, new: str | None) -> str:
    if old is None:
        return TEXT
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def test_a_rebuild_draws_only_changed_slides_and_writes_the_full_builds_bytes(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    outline.write_text(TEXT, encoding="utf-8")
    store, decks = _session(outline)
    first, drawn = _rebuild(outline, store, decks)
    slides = len(Presentation(io.BytesIO(first)).slides)
    assert drawn == slides and first == _full(outline)
    text = TEXT
    for what, old, new, expected in EDITS:  # each edit on top of the ones before
        text = _apply(text, old, new)
        outline.write_text(text, encoding="utf-8")
        data, drawn = _rebuild(outline, store, decks)
        assert data == _full(outline), what  # byte for byte, whatever was reused
        if expected is not None:
            assert 1 <= drawn <= expected, (what, drawn)
        if old is not None and new is not None and "values" not in old:
            slides = Presentation(io.BytesIO(data)).slides
            shown = "\n".join([sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame]
                              + [s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide])
            assert new.split(": ")[-1] in shown, what


def test_a_changed_slide_count_or_agenda_writes_the_whole_deck(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    outline.write_text(TEXT, encoding="utf-8")
    store, decks = _session(outline)
    first, _ = _rebuild(outline, store, decks)
    before = len(Presentation(io.BytesIO(first)).slides)
    data = yaml.safe_load(TEXT)
    data["sections"].insert(1, {"id": "added", "title": "An added section", "points": ["One point.", "Another."]})
    outline.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    larger, drawn = _rebuild(outline, store, decks)
    after = len(Presentation(io.BytesIO(larger)).slides)
    assert after > before and drawn == after and larger == _full(outline)
    first_title = data["sections"][0]["title"]
    outline.write_text(outline.read_text(encoding="utf-8").replace(first_title, first_title + " (revised)", 1), encoding="utf-8")
    retitled, drawn = _rebuild(outline, store, decks)  # the agenda's entry changes: its links reach other slides
    assert drawn == after and retitled == _full(outline)


@pytest.mark.parametrize("template", ["python-pptx-default", "Midnightblue"])
def test_reuse_holds_on_other_peoples_templates(tmp_path, corpus, template):
    source = (make_python_pptx_default(tmp_path / "default.pptx") if template == "python-pptx-default"
              else shutil.copy(corpus.template(template), tmp_path / f"{template}.pptx"))
    outline = outline_on(Path(source), tmp_path)
    text = outline.read_text(encoding="utf-8")
    store, decks = _session(outline)
    _rebuild(outline, store, decks)
    for _what, old, new, expected in EDITS[:3]:
        text = _apply(text, old, new)
        outline.write_text(text, encoding="utf-8")
        data, drawn = _rebuild(outline, store, decks)
        assert data == _full(outline)
        assert 1 <= drawn <= expected


def test_watch_writes_what_a_build_writes(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    outline.write_text(TEXT, encoding="utf-8")
    events = deckgen.watch(outline, tmp_path / "out", formats=("pptx",), interval=0.01, max_builds=2)
    next(events)
    outline.write_text(_apply(TEXT, *EDITS[0][1:3]), encoding="utf-8")
    second = next(events)
    assert second.error is None and second.changed
    assert (tmp_path / "out" / "us-japan-2024.pptx").read_bytes() == _full(outline)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_watch_with_the_brief_worker_writes_what_a_build_writes_and_warns_alike(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    # a warning from each product: the deck (a section with nothing to show), the brief (a character no font draws)
    text = TEXT.replace("\nkey_figures:", "\n  - {id: empty, title: An empty section}\nkey_figures:", 1)
    outline.write_text(text, encoding="utf-8")
    events = deckgen.watch(outline, tmp_path / "out", interval=0.01, max_builds=3)
    first = next(events)
    assert first.error is None
    for n, edit in enumerate(("Talks with President Biden \U0001FB8F", "Talks with President Biden, again \U0001FB8F")):
        outline.write_text(text.replace("Talks with President Biden", edit, 1), encoding="utf-8")
        event = next(events)  # the brief made by the worker (parallel.BriefWorker), the deck here
        assert multiprocessing.active_children(), "no brief worker"
        full = deckgen.build(deckgen.load(outline), tmp_path / f"full{n}")
        assert event.error is None
        assert _outputs(tmp_path / "out") == _outputs(tmp_path / f"full{n}")
        assert event.result.warnings == full.warnings
        messages = [w.message for w in event.result.warnings]
        assert any("no points and no charts" in m for m in messages) and any("U+1FB8F" in m for m in messages)
    events.close()
    assert not multiprocessing.active_children()  # the worker ends with the session


def test_an_error_in_the_workers_brief_is_the_builds_error_and_nothing_is_written(tmp_path, monkeypatch):
    import deckgen.writers.pdf as pdf_writer
    from deckgen.build import outline_theme
    from deckgen.errors import RenderError
    from deckgen.parallel import BriefWorker, build_both

    def broken(*_args, **_kw):
        raise RenderError("the brief could not be written (injected)")

    outline = tmp_path / "us-japan-2024.yaml"
    outline.write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(pdf_writer, "write_brief", broken)  # before the fork: the worker has it too
    worker = BriefWorker()
    try:
        doc = deckgen.load(outline)
        with pytest.raises(RenderError, match="injected"):
            build_both(doc, tmp_path / "out", chart_store=ChartStore(outline_theme(doc)), deck_reuse={}, worker=worker)
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # not even the deck
    finally:
        worker.close()


def test_a_killed_worker_leaves_the_brief_to_the_session(tmp_path):
    from deckgen.build import outline_theme
    from deckgen.parallel import BriefWorker, build_both

    outline = tmp_path / "us-japan-2024.yaml"
    outline.write_text(TEXT, encoding="utf-8")
    worker = BriefWorker()
    try:
        for pid in list(worker._pool._processes):
            os.kill(pid, signal.SIGKILL)
        doc = deckgen.load(outline)
        result = build_both(doc, tmp_path / "out", chart_store=ChartStore(outline_theme(doc)), deck_reuse={}, worker=worker)
        assert {p.suffix for p in result.paths} == {".pptx", ".pdf"}
        assert _outputs(tmp_path / "out") == _outputs(Path(deckgen.build(doc, tmp_path / "full").paths[0]).parent)
    finally:
        worker.close()


FIXTURES = Path(__file__).parent / "fixtures"


SECOND_BUILD = """
import sys
import deckgen
for path in sys.argv[1:]:
    doc = deckgen.load(path)
    audiences = bool(doc.outline.audiences)
    first = deckgen.build(doc, "out", all_audiences=audiences, write=False).data
    again = deckgen.build(deckgen.load(path), "out", all_audiences=audiences, write=False).data
    print(path, len(first), sorted(p.name for p in first if again.get(p) != first[p]))
"""


def test_what_a_session_remembers_never_changes_a_later_build(tmp_path):
    """Parses, measured words, line breaks and citation decisions are kept across the builds of one process (fonts,
    reportlab fragments, wrap() answers): in a fresh process, the second build of an outline (every audience) must
    be the first one's bytes."""
    import subprocess
    import sys

    names = ["polish.yaml", "elements/elements.yaml", "classified/classified.yaml", "stress.yaml"]
    run = subprocess.run([sys.executable, "-c", SECOND_BUILD, str(DEFAULT_OUTLINE), *(str(FIXTURES / n) for n in names)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert len(lines) == 5 and all(line.endswith(" []") for line in lines), run.stdout
    assert sum(int(line.split()[1]) for line in lines) >= 15  # every audience's deck and brief compared
