"""Rebuild an outline each time its file changes, in one process, reporting what changed and what is new."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .build import FORMATS, BuildResult, build, load, outline_theme
from .errors import DeckgenError, Problem
from .parallel import BriefWorker, build_both, can_fork

if TYPE_CHECKING:
    from .outline import Document


@dataclass
class WatchEvent:
    """One rebuild of a watched outline: what was written (or the error), what changed, new warnings, seconds taken."""

    result: BuildResult | None
    error: DeckgenError | None
    changed: list[str]
    new_warnings: list[Problem]
    seconds: float


def watch(
    outline: str | Path,
    out_dir: str | Path = "build",
    formats: Sequence[str] = FORMATS,
    interval: float = 0.2,
    max_builds: int | None = None,
) -> Iterator[WatchEvent]:
    """Build now, then again each time the outline file or a data file it names (`data:`) changes; yields one
    WatchEvent per build.

    Runs in one process, so libraries, fonts, measured text and rendered charts stay loaded, and the deck written
    last is kept: a rebuild draws only the slides whose plan changed (the same bytes as a full build).
    """
    import time

    from .chartcache import ChartStore

    path = Path(outline)
    store: ChartStore | None = None  # kept across rebuilds, so an unchanged chart is not rendered again
    worker: BriefWorker | None = None  # makes the brief while this process makes the deck (parallel.py)
    decks: dict = {}  # the deck written last (writers.pptx.DeckReuse): a text edit draws only the slides it changed
    before: dict[str, str] = {}
    seen_warnings: set[str] = set()
    stamp: tuple | None = None
    inputs: list[Path] = []  # the data files of the last load
    builds = 0
    try:
        while max_builds is None or builds < max_builds:
            seen = {p: file_stamp(p) for p in dict.fromkeys((path, *inputs))}
            now = tuple(seen.values())
            if now == stamp:
                time.sleep(interval)
                continue
            builds += 1
            start = time.perf_counter()
            try:
                doc = load(path)  # loaded once: the build and the change report share it
                inputs = list(doc.inputs)
                theme = outline_theme(doc)
                if store is None or store.theme != theme:
                    store = ChartStore(theme)
                result = build_both(doc, out_dir, formats, chart_store=store, deck_reuse=decks, worker=worker)
                error = None
                if worker is None and set(formats) == {"pptx", "pdf"} and can_fork():
                    worker = BriefWorker()  # forked from this process as the first build left it (warm)
                elif builds == 1 and worker is None and doc.outline is not None and doc.outline.charts:
                    _warm_up_charts()  # while the user edits (a worker warms up its own)
                after = _fingerprint(doc)
            except DeckgenError as exc:
                result, error, after = None, exc, before
                inputs = list(getattr(exc, "inputs", None) or inputs)
            stamp = tuple(seen[p] if p in seen else file_stamp(p) for p in dict.fromkeys((path, *inputs)))  # a data file may be new
            changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k)) if before else []
            before = after
            fresh = [w for w in (result.warnings if result else []) if str(w) not in seen_warnings]
            seen_warnings = {str(w) for w in result.warnings} if result else seen_warnings
            yield WatchEvent(result, error, changed, fresh, time.perf_counter() - start)
    finally:
        if worker is not None:
            worker.close()


def _warm_up_charts() -> None:
    """matplotlib imported on a background thread (charts read from the cache need none): a first chart edit then
    costs one render, not matplotlib's start-up too."""
    import threading

    from .charts import warm_up

    threading.Thread(target=warm_up, daemon=True, name="deckgen-warm-up").start()


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (None while it is missing): what tells a save."""
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return None


def _fingerprint(doc: Document) -> dict[str, str]:
    """A digest per part of the outline (meta, lead, each section, chart, key figure, audience) to tell what changed."""
    o = doc.outline
    assert o is not None
    parts = {"meta": o.meta.model_dump_json(), "lead": o.lead, "sources": json.dumps([s.model_dump_json() for s in o.sources])}
    parts.update({f"sections[{s.id}]": s.model_dump_json() for s in o.sections})
    parts.update({f"charts[{c.id}]": c.model_dump_json() for c in o.charts})
    parts.update({f"tables[{t.id}]": t.model_dump_json() for t in o.tables})
    parts.update({f"images[{i.id}]": i.model_dump_json() for i in o.images})
    parts.update({f"key_figures[{k.id}]": k.model_dump_json() for k in o.key_figures})
    parts.update({f"audiences[{n}]": a.model_dump_json() for n, a in o.audiences.items()})
    return {k: hashlib.sha256(v.encode()).hexdigest() for k, v in parts.items()}
