"""Charts rendered ahead on worker processes give exactly the bytes of in-process rendering."""
from __future__ import annotations

import os

import pytest

import deckgen
from conftest import MINI
from deckgen import chartcache
from deckgen.theme import load_theme


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool starts only with two or more cores")
def test_prefetched_charts_equal_in_process_ones(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    jobs = [(c, "pdf", 400.0, 220.0) for c in outline.charts]
    chartcache._MEMO.clear()
    try:
        assert chartcache.prefetch(jobs, theme, cache_dir=tmp_path / "a") == len(outline.charts)
        ahead = [chartcache.get_or_render(c, theme, "pdf", 400.0, 220.0, cache_dir=tmp_path / "a") for c in outline.charts]
    finally:
        chartcache.finish()
    chartcache._MEMO.clear()
    inline = [chartcache.get_or_render(c, theme, "pdf", 400.0, 220.0, enabled=False) for c in outline.charts]
    assert ahead == inline
    assert len(list((tmp_path / "a").rglob("*.pdf"))) == len(outline.charts)  # workers' results fill the cache too


def test_cached_charts_are_not_prefetched(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    chartcache._MEMO.clear()
    for c in outline.charts:
        chartcache.get_or_render(c, theme, "pdf", 400.0, 220.0, cache_dir=tmp_path)
    chartcache._MEMO.clear()
    assert chartcache.prefetch([(c, "pdf", 400.0, 220.0) for c in outline.charts], theme, cache_dir=tmp_path) == 0


def test_build_bytes_do_not_depend_on_prefetching(tmp_path, monkeypatch):
    chartcache._MEMO.clear()
    first = deckgen.build(MINI, tmp_path / "a", cache=False).paths
    chartcache._MEMO.clear()
    monkeypatch.setattr(chartcache, "prefetch", lambda *a, **k: 0)
    second = deckgen.build(MINI, tmp_path / "b", cache=False).paths
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
