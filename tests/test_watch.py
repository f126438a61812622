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


def test_watch_rebuilds_when_a_data_file_changes(tmp_path):
    data = tmp_path / "figures.csv"
    _save(data, "Year,Spending\n2023,1.0\n2024,n/a\n", 0)
    src = tmp_path / "o.yaml"
    _save(src, "meta: {title: T, date: 2024-04-19}\nlead: L\nsections: [{id: a, title: A, points: [p], charts: [c]}]\n"
               "charts: [{id: c, kind: column, title: C, source: S, data: figures.csv}]\n", 0)
    events = deckgen.watch(src, tmp_path / "out", formats=("pptx",), interval=0.01, max_builds=3)
    first = next(events)
    assert first.result is None and "figures.csv:3:2" in str(first.error)  # the bad cell, in the data file
    _save(data, "Year,Spending\n2023,1.0\n2024,1.5\n", 1)  # only the data file is saved
    second = next(events)
    assert second.error is None
    _save(data, "Year,Spending\n2023,1.0\n2024,2.5\n", 2)
    third = next(events)
    assert third.error is None and third.changed == ["charts[c]"]
    chart = next(gf.chart for s in Presentation(tmp_path / "out" / "o.pptx").slides for gf in s.shapes if gf.has_chart)
    assert list(chart.plots[0].series[0].values) == [1.0, 2.5]
