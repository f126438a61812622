"""Charts rendered ahead on worker processes give exactly the bytes of in-process rendering."""
from __future__ import annotations

import os

import pytest

import deckgen
from conftest import MINI
from deckgen.chartcache import ChartStore
from deckgen.theme import load_theme

two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool starts only with two or more cores")


@two_cores
def test_prefetched_charts_equal_in_process_ones(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    jobs = [(c, "pdf", 400.0, 220.0) for c in outline.charts]
    with ChartStore(theme, cache_dir=tmp_path / "a") as store:
        assert store.prefetch(jobs) == len(outline.charts)
        assert store.prefetch(jobs) == 0  # already on their way
        ahead = [store.get(c, "pdf", 400.0, 220.0) for c in outline.charts]
    inline = [ChartStore(theme, enabled=False).get(c, "pdf", 400.0, 220.0) for c in outline.charts]
    assert ahead == inline
    assert len(list((tmp_path / "a").rglob("*.pdf"))) == len(outline.charts)  # workers' results fill the cache too


@two_cores
def test_one_worker_renders_ahead_by_default_even_a_single_chart(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    with ChartStore(theme, cache_dir=tmp_path) as store:
        assert store.prefetch([(c, "pdf", 400.0, 220.0) for c in outline.charts]) == len(outline.charts)
        assert store._pool._max_workers == 1  # one matplotlib import; a core stays with the build
    with ChartStore(theme, cache_dir=tmp_path / "b") as store:
        assert store.prefetch([(outline.charts[0], "pdf", 400.0, 220.0)]) == 1


@two_cores
def test_a_closed_store_still_gives_charts_and_can_prefetch_again(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    jobs = [(c, "svg", 300.0, 200.0) for c in outline.charts]
    store = ChartStore(theme, enabled=False)
    assert store.prefetch(jobs) == len(outline.charts)
    store.close()  # pending renders dropped: get renders them in-process
    first = [store.get(c, "svg", 300.0, 200.0) for c in outline.charts]
    assert store.prefetch(jobs) == 0  # this store has them now
    other = [(c, "svg", 300.0, 201.0) for c in outline.charts]
    assert store.prefetch(other) == len(outline.charts)  # new workers after close
    try:
        assert [store.get(c, "svg", 300.0, 201.0) for c in outline.charts] == [
            ChartStore(theme, enabled=False).get(c, "svg", 300.0, 201.0) for c in outline.charts
        ]
    finally:
        store.close()
    assert first == [ChartStore(theme, enabled=False).get(c, "svg", 300.0, 200.0) for c in outline.charts]


def test_cached_charts_are_not_prefetched(tmp_path):
    outline = deckgen.load(MINI).outline
    theme = load_theme()
    with ChartStore(theme, cache_dir=tmp_path) as store:
        for c in outline.charts:
            store.get(c, "pdf", 400.0, 220.0)
    with ChartStore(theme, cache_dir=tmp_path) as fresh:  # another build: nothing in memory, all on disk
        assert fresh.prefetch([(c, "pdf", 400.0, 220.0) for c in outline.charts]) == 0


def test_build_bytes_do_not_depend_on_prefetching(tmp_path, monkeypatch):
    first = deckgen.build(MINI, tmp_path / "a", cache=False).paths
    monkeypatch.setattr(ChartStore, "prefetch", lambda self, jobs: 0)
    second = deckgen.build(MINI, tmp_path / "b", cache=False).paths
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


@two_cores
def test_a_worker_is_not_forked_while_matplotlib_is_being_imported_on_a_thread(tmp_path):
    """watch and serve import matplotlib on a background thread while the user edits; a chart worker forked in the
    middle of that import would wait forever for its lock (seen in the suite): prefetch waits for the thread first."""
    import subprocess
    import sys

    script = f"""
import threading, deckgen
from deckgen.chartcache import ChartStore
from deckgen.charts import warm_up
from deckgen.theme import load_theme
charts = deckgen.load({str(MINI)!r}).outline.charts
threading.Thread(target=warm_up, daemon=True, name="deckgen-warm-up").start()
store = ChartStore(load_theme(), enabled=False)
assert store.prefetch([(c, "pdf", 400.0, 220.0) for c in charts]) == len(charts)
assert all(store._collect(k) for k in list(store._pending))  # rendered by the worker, not in-process after a failure
store.close()
print("rendered")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "rendered", done.stderr
