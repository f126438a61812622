"""deckgen's library API: load an outline and build its PowerPoint deck and PDF brief."""
from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import hashlib
import json
import logging as _logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import DeckgenError, OutlineError, Problem

if TYPE_CHECKING:  # the loader pulls in yaml and pydantic: imported when first needed, so `deckgen --help` stays fast
    from .chartcache import ChartStore
    from .outline import Document

__all__ = ["BuildResult", "DeckgenError", "OutlineError", "Problem", "audience_table", "build", "check", "epoch_for", "export_charts", "load", "resolve_audiences", "watch"]
__version__ = "0.1.0"


def _quiet_font_stamps(record) -> bool:
    """fontTools notes Carlito's old 'created' stamp whenever it reads the font: true, harmless, noisy."""
    return "timestamp seems very low" not in record.getMessage()


_logging.getLogger("fontTools.ttLib.tables._h_e_a_d").addFilter(_quiet_font_stamps)
FORMATS = ("pptx", "pdf")


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    paths: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def load(path: str | Path | None = None) -> Document:
    """Read and validate an outline (the bundled default when path is None); raises OutlineError."""
    from .outline import load_outline

    if path is None:
        from .theme import default_outline

        path = default_outline()
    return load_outline(path)


def epoch_for(doc: Document) -> int:
    """The timestamp written into outputs: SOURCE_DATE_EPOCH if set, else midnight UTC of the outline's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    assert doc.outline is not None
    day = doc.outline.meta.date
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())


def audience_names(doc: Document) -> list[str]:
    """The audiences an outline defines, in the order it defines them."""
    assert doc.outline is not None
    return list(doc.outline.audiences)


def resolve_audiences(doc: Document, names: Sequence[str] = (), all_audiences: bool = False) -> list[str | None]:
    """The builds asked for: [None] for the whole outline, else audience names; unknown names raise DeckgenError."""
    known = audience_names(doc)
    if all_audiences:
        if not known:
            raise DeckgenError(f"{doc.file}: the outline defines no audiences — add an `audiences:` section or drop --all-audiences")
        return list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        lines = []
        for n in unknown:
            near = difflib.get_close_matches(n, known, n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            lines.append(f"unknown audience '{n}' — {hint}known: {', '.join(known) or '(none defined)'}")
        raise DeckgenError("\n".join(lines))
    return list(dict.fromkeys(names)) or [None]


def build(
    outline: str | Path | Document | None = None,
    out_dir: str | Path = "build",
    formats: Sequence[str] = FORMATS,
    audiences: Sequence[str] = (),
    all_audiences: bool = False,
    progress: Callable[[str], None] | None = None,
    strict: bool = False,
    write: bool = True,
    cache: bool = True,
    chart_store: ChartStore | None = None,
) -> BuildResult:
    """Build the deck and/or brief of an outline (a path, a loaded Document, or None for the default; whole, or
    once per audience) into out_dir.

    Nothing is written unless every output succeeds. A build of two or more audiences also writes
    `<stem>.manifest.json` (per audience: outputs with SHA-256, slide and page counts, the ids it received).
    `progress` is called with a short label after each output is made. With `strict`, any warning is an error
    (OutlineError, nothing written). With `write=False` everything is made in memory and nothing is written.
    `cache=False` renders every chart afresh without reading or filling the user's chart cache.
    `chart_store` is a ChartStore to reuse (watch keeps one across rebuilds), used when its theme and cache setting
    are the build's; otherwise the build makes its own. Either way its workers stop when the build ends.
    """
    from .chartcache import ChartStore
    from .output import commit, output_path
    from .outline import Document
    from .theme import load_theme

    doc = outline if isinstance(outline, Document) else load(outline)
    assert doc.outline is not None
    targets = resolve_audiences(doc, audiences, all_audiences)
    theme = load_theme(doc.outline.theme.name)
    epoch = epoch_for(doc)
    stem = Path(doc.file).stem
    out = Path(out_dir)
    files: dict[Path, bytes] = {}
    result = BuildResult(warnings=list(doc.warnings))
    manifest: dict[str, dict] = {}
    fits = chart_store is not None and (chart_store.theme, chart_store.enabled) == (theme, cache)
    store = chart_store if fits and chart_store is not None else ChartStore(theme, enabled=cache)
    try:
        for name in targets:
            product = _build_one(doc, name, theme, epoch, formats, result, store)
            entry: dict = {"outputs": [], **product.pop("received")}
            for fmt, (data, counts) in product.items():
                path = output_path(out, stem, fmt, name)
                files[path] = data
                entry["outputs"].append({"file": path.name, "format": fmt, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), **counts})
                if progress:
                    progress(path.name)
            if name is not None:
                manifest[name] = entry
    finally:
        store.close()  # the chart workers end with the build (a reused store keeps the charts it has)
    if len(manifest) >= 2:
        body = {"outline": Path(doc.file).name, "audiences": manifest}
        files[out / f"{stem}.manifest.json"] = (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if strict and result.warnings:
        ordered = sorted(dict.fromkeys(result.warnings), key=lambda w: (w.line, w.col, w.path))
        raise OutlineError([dataclasses.replace(w, severity="error", message=w.message + " (--strict)") for w in ordered])
    if write:
        result.paths = commit(files, protect=[Path(doc.file)])
    return result


def check(outline: str | Path | None = None) -> list[Problem]:
    """Every warning a build would give (the whole outline and each audience, deck and brief), nothing written;
    raises OutlineError for an invalid outline."""
    doc = load(outline)
    assert doc.outline is not None
    names: list[str | None] = [None, *audience_names(doc)]
    warnings: list[Problem] = []
    for i, name in enumerate(names):
        result = build(doc, formats=FORMATS, audiences=[name] if name else (), write=False)
        warnings += result.warnings if i == 0 else result.warnings[len(doc.warnings):]
    return sorted(dict.fromkeys(warnings), key=lambda w: (w.line, w.col, w.path))


CHART_FORMATS = ("svg", "png", "pdf")


def export_charts(
    outline: str | Path | None,
    out_dir: str | Path,
    fmt: str = "svg",
    *,
    width_pt: float = 640.0,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> list[Path]:
    """Write every chart of an outline on its own, with its title and source line, as `<out_dir>/<chart-id>.<fmt>`.

    All files are written together or none is (atomic). Returns the paths written, in the outline's order.
    """
    from .chartcache import ChartStore
    from .layout.brief import figure_size
    from .output import commit
    from .theme import load_theme

    if fmt not in CHART_FORMATS:
        raise DeckgenError(f"unknown chart format '{fmt}' — use {', '.join(CHART_FORMATS)}")
    doc = load(outline)
    assert doc.outline is not None
    theme = load_theme(doc.outline.theme.name)
    files: dict[Path, bytes] = {}
    with ChartStore(theme, cache_dir=cache_dir, enabled=cache) as store:
        for chart in doc.outline.charts:
            height = max(0.5625 * width_pt, figure_size(chart, width_pt)[1] + 60.0)  # 16:9, taller for long bar charts
            files[Path(out_dir) / f"{chart.id}.{fmt}"] = store.get(chart, fmt, width_pt, round(height, 2), titled=True)  # type: ignore[arg-type]
    return commit(files, protect=[Path(doc.file)]) if files else []


def _build_one(doc: Document, name: str | None, theme, epoch: int, formats: Sequence[str], result: BuildResult, store: ChartStore) -> dict:
    """One tailored product set in memory: {fmt: (bytes, counts)} plus the ids the audience received."""
    from .audience import tailor

    assert doc.outline is not None
    o = tailor(doc.outline, name) if name is not None else doc.outline
    tag = f" (audience {name})" if name is not None else ""
    product: dict = {
        "received": {
            "sections": [s.id for s in o.sections],
            "charts": [c.id for c in o.charts],
            "key_figures": [k.id for k in o.key_figures],
        }
    }
    brief = None
    if "pdf" in formats:  # planned first so its charts render on other cores while the deck is made
        from .layout.brief import Figure, plan_brief

        brief = plan_brief(o, theme)
        jobs = [(b.spec(), "pdf", b.width, b.height) for b in brief[0].blocks if isinstance(b, Figure)]
        store.prefetch(jobs)
    if "pptx" in formats:
        from .layout.deck import plan_deck
        from .writers.pptx import write_deck

        plan, warnings = plan_deck(o, theme)
        result.warnings += [doc.problem(_origin(doc.outline, o, loc), msg + tag, "warning") for loc, msg in warnings]
        product["pptx"] = (write_deck(plan, theme, epoch, *deck_files(doc)), {"slides": len(plan.slides)})
    if brief is not None:
        from .writers.pdf import page_count, write_brief

        plan, warnings = brief
        result.warnings += [doc.problem(_origin(doc.outline, o, loc), msg + tag, "warning") for loc, msg in warnings]
        data = write_brief(plan, theme, epoch, store)
        product["pdf"] = (data, {"pages": page_count(data)})
    return product


def _origin(full, tailored, loc: tuple) -> tuple:
    """Map a location in a tailored outline back to the outline as written (sections and points move)."""
    if full is tailored or len(loc) < 2 or loc[0] not in ("sections", "charts", "key_figures") or not isinstance(loc[1], int):
        return loc
    items = getattr(tailored, loc[0])
    if loc[1] >= len(items):
        return loc
    item = items[loc[1]]
    originals = getattr(full, loc[0])
    idx = next((i for i, x in enumerate(originals) if x.id == item.id), loc[1])
    rest = loc[2:]
    if loc[0] == "sections" and len(rest) >= 2 and rest[0] == "points" and isinstance(rest[1], int) and rest[1] < len(item.points):
        point = item.points[rest[1]]
        opoints = originals[idx].points
        pidx = next((i for i, p in enumerate(opoints) if p is point or (p.id is not None and p.id == point.id) or p.text == point.text), rest[1])
        rest = ("points", pidx, *rest[2:])
    return (loc[0], idx, *rest)


def plan_json(outline: str | Path | None = None) -> str:
    """The deck plan of an outline (the default when None) as indented JSON: slides, frames in pt, runs, notes."""
    import dataclasses

    from .layout.deck import plan_deck
    from .theme import load_theme

    doc = load(outline)
    plan, warnings = plan_deck(doc.outline, load_theme(doc.outline.theme.name))
    body = {"plan": dataclasses.asdict(plan), "warnings": [{"loc": list(loc), "message": m} for loc, m in warnings]}
    return json.dumps(body, indent=2, ensure_ascii=False, default=str)


def deck_files(doc: Document) -> tuple[bytes | None, bytes | None, dict[str, str]]:
    """The outline's own template bytes, logo bytes (None = built-in) and layout mapping, as read and checked by the loader."""
    assert doc.outline is not None
    return doc.files.get("template"), doc.files.get("logo"), dict(doc.outline.theme.layouts)


def template_layouts(path: str | Path) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """The layouts of a .pptx template and their placeholders (idx, type, name), for `deckgen template inspect`."""
    from . import assets
    from .writers.pptx import inspect_template

    p = Path(path)
    return inspect_template(assets.read_template(p, str(p)))


def audience_table(doc: Document) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Who gets what: (audience names, rows of (item label, one cell per audience)) for sections, charts, key figures.

    A section cell is 'in (N slides)' with the slides of its deck, or 'out'; a chart or key figure cell is 'in'/'out'.
    """
    from .audience import tailor
    from .layout.deck import plan_deck
    from .theme import load_theme

    assert doc.outline is not None
    names = audience_names(doc)
    theme = load_theme(doc.outline.theme.name)
    tailored = {n: tailor(doc.outline, n) for n in names}
    slides: dict[str, dict[str, int]] = {}
    for n, o in tailored.items():
        plan, _ = plan_deck(o, theme)
        counts: dict[str, int] = {}
        current: str | None = None  # a chart slide follows the section that shows it
        for slide in plan.slides:
            loc = slide.loc or ()
            if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
                current = o.sections[loc[1]].id
            elif not (loc and loc[0] == "charts"):
                current = None
            if current is not None:
                counts[current] = counts.get(current, 0) + 1
        slides[n] = counts
    rows: list[tuple[str, list[str]]] = []
    for s in doc.outline.sections:
        cells = []
        for n in names:
            ids = [x.id for x in tailored[n].sections]
            if s.id in ids:
                k = slides[n].get(s.id, 0)
                cells.append(f"in #{ids.index(s.id) + 1}, {k} slide{'s' if k != 1 else ''}")
            else:
                cells.append("out")
        rows.append((f"section {s.id}", cells))
    for c in doc.outline.charts:
        rows.append((f"chart {c.id}", ["in" if c.id in {x.id for x in tailored[n].charts} else "out" for n in names]))
    for k in doc.outline.key_figures:
        rows.append((f"figure {k.id}", ["in" if k.id in {x.id for x in tailored[n].key_figures} else "out" for n in names]))
    return names, rows


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
    """Build now, then again each time the outline file changes; yields one WatchEvent per build.

    Runs in one process, so libraries, fonts and rendered charts stay loaded: a text edit rebuilds fast.
    """
    import time

    from .chartcache import ChartStore
    from .theme import load_theme

    store: ChartStore | None = None  # kept across rebuilds (a new one when the outline's theme changes)
    path = Path(outline)
    before: dict[str, str] = {}
    seen_warnings: set[str] = set()
    stamp: tuple | None = None
    builds = 0
    while max_builds is None or builds < max_builds:
        try:
            st = path.stat()
            now = (st.st_mtime_ns, st.st_size)
        except OSError:
            now = None
        if now == stamp:
            time.sleep(interval)
            continue
        stamp = now
        builds += 1
        start = time.perf_counter()
        try:
            doc = load(path)  # loaded once: the build and the change report share it
            theme = load_theme(doc.outline.theme.name)
            if store is None or store.theme != theme:
                store = ChartStore(theme)
            result, error = build(doc, out_dir, formats, chart_store=store), None
            after = _fingerprint(doc)
        except DeckgenError as exc:
            result, error, after = None, exc, before
        changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k)) if before else []
        before = after
        fresh = [w for w in (result.warnings if result else []) if str(w) not in seen_warnings]
        seen_warnings = {str(w) for w in result.warnings} if result else seen_warnings
        yield WatchEvent(result, error, changed, fresh, time.perf_counter() - start)


def _fingerprint(doc: Document) -> dict[str, str]:
    """A digest per part of the outline (meta, lead, each section, chart, key figure, audience) to tell what changed."""
    o = doc.outline
    assert o is not None
    parts = {"meta": o.meta.model_dump_json(), "lead": o.lead, "sources": json.dumps([s.model_dump_json() for s in o.sources])}
    parts.update({f"sections[{s.id}]": s.model_dump_json() for s in o.sections})
    parts.update({f"charts[{c.id}]": c.model_dump_json() for c in o.charts})
    parts.update({f"key_figures[{k.id}]": k.model_dump_json() for k in o.key_figures})
    parts.update({f"audiences[{n}]": a.model_dump_json() for n, a in o.audiences.items()})
    return {k: hashlib.sha256(v.encode()).hexdigest() for k, v in parts.items()}
