"""deckgen watch: a rebuild per save, naming what changed, errors reported without stopping."""
from __future__ import annotations

import os

from pptx import Presentation

import deckgen
from conftest import MINI


def _save(path, text, bump):
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))  # a later mtime even within one tick


def test_watch_rebuilds_on_save_and_names_the_change(tmp_path):
    src = tmp_path / "o.yaml"
    text = MINI.read_text(encoding="utf-8")
    _save(src, text, 0)
    events = deckgen.watch(src, tmp_path / "out", formats=("pptx",), interval=0.01, max_builds=3)
    first = next(events)
    assert first.error is None and first.changed == []
    _save(src, text.replace("title: Second section", "title: Second section, edited"), 1)
    second = next(events)
    assert second.changed == ["sections[second]"]
    titles = [s.shapes.title.text_frame.text for s in Presentation(tmp_path / "out" / "o.pptx").slides if s.shapes.title]
    assert "Second section, edited" in titles
    _save(src, text.replace("lead: >-", "lead: [broken"), 2)
    third = next(events)
    assert third.result is None and "o.yaml:" in str(third.error)
    assert "Second section, edited" in [s.shapes.title.text_frame.text for s in Presentation(tmp_path / "out" / "o.pptx").slides if s.shapes.title]
