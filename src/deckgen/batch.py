"""Build many outlines in one go, in parallel processes: one summary row per outline and audience, a failed outline
kept as its row while the others are built."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .build import FORMATS
from .errors import DeckgenError, OutlineError


@dataclass(frozen=True)
class BatchRow:
    """One line of a batch's summary: an outline (and audience) built, or the outline that failed and why."""

    outline: str  # the path as given
    audience: str | None = None
    slides: int | None = None
    pages: int | None = None
    warnings: int = 0
    seconds: float = 0.0
    error: str | None = None  # every line of the error (located for a bad outline), when the build failed
    files: tuple[str, ...] = ()
    warning_lines: tuple[str, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None


def build_many(
    outlines: Sequence[str | Path],
    out_dir: str | Path = "build",
    formats: Sequence[str] = FORMATS,
    audiences: Sequence[str] = (),
    all_audiences: bool = False,
    jobs: int | None = None,
    strict: bool = False,
    cache: bool = True,
    progress: Callable[[BatchRow], None] | None = None,
) -> list[BatchRow]:
    """Build every outline into out_dir, `jobs` at a time in worker processes (default: one per core); rows come back
    in the order the outlines were given. A failed outline (bad input, unwritable output, even a bug) becomes a row
    with its error and does not stop the others. `progress` is called with each outline's first row as it finishes.

    Two outlines whose outputs would have the same name (a.yaml and other/a.yaml into one folder) raise DeckgenError
    before anything is built."""
    paths = [str(p) for p in outlines]
    _check_names(paths, Path(out_dir))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    args = (str(out_dir), tuple(formats), tuple(audiences), all_audiences, strict, cache)
    results: dict[int, list[BatchRow]] = {}
    if jobs == 1:
        for i, p in enumerate(paths):
            results[i] = build_one(p, *args)
            if progress:
                progress(results[i][0])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        methods = multiprocessing.get_all_start_methods()
        mp = multiprocessing.get_context("fork" if "fork" in methods else None)  # fork: workers start with the libraries loaded
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp) as pool:
            futures = {pool.submit(build_one, p, *args): i for i, p in enumerate(paths)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # noqa: BLE001 — a worker that died (killed, out of memory): that outline's row
                    results[i] = [BatchRow(paths[i], error=f"{paths[i]}: the build process failed ({type(exc).__name__}) — build it alone to see why")]
                if progress:
                    progress(results[i][0])
    return [row for i in range(len(paths)) for row in results[i]]


def build_one(path: str, out_dir: str, formats: tuple[str, ...], audiences: tuple[str, ...], all_audiences: bool,
              strict: bool, cache: bool) -> list[BatchRow]:
    """Build one outline (in a worker); its rows, or one row with the error."""
    from .build import build, load, outline_theme
    from .chartcache import ChartStore

    start = time.perf_counter()
    try:
        doc = load(path)
        store = ChartStore(outline_theme(doc), enabled=cache, workers=1)  # the batch is the parallelism: no nested pool
        result = build(doc, out_dir, formats, audiences, all_audiences, strict=strict, cache=cache, chart_store=store)
    except OutlineError as exc:
        return [BatchRow(path, error=str(exc), seconds=time.perf_counter() - start)]
    except DeckgenError as exc:
        return [BatchRow(path, error="\n".join(f"{path}: {line}" for line in str(exc).splitlines()), seconds=time.perf_counter() - start)]
    except Exception as exc:  # noqa: BLE001 — a bug must not stop the batch; reported like the CLI does
        detail = " ".join(str(exc).split())[:200]
        return [BatchRow(path, error=f"{path}: deckgen failed unexpectedly ({type(exc).__name__}: {detail}) — build it alone "
                         "with --debug and report the output", seconds=time.perf_counter() - start)]
    seconds = time.perf_counter() - start
    names = list(dict.fromkeys(p["audience"] for p in result.products)) or [None]
    rows = []
    for k, name in enumerate(names):
        mine = [p for p in result.products if p["audience"] == name]
        tag = f"(audience {name})"
        warned = [str(w) for w in result.warnings if "(audience " not in w.message or (name is not None and tag in w.message)]
        rows.append(BatchRow(
            path, name,
            slides=next((p["slides"] for p in mine if p["format"] == "pptx"), None),
            pages=next((p["pages"] for p in mine if p["format"] == "pdf"), None),
            warnings=len(warned), seconds=seconds if k == 0 else 0.0,
            files=tuple(p["file"] for p in mine), warning_lines=tuple(warned)))
    return rows


def _check_names(paths: list[str], out: Path) -> None:
    """Refuse outlines whose outputs would overwrite each other's (the same file name, or the same outline twice)."""
    by_stem: dict[str, list[str]] = {}
    for p in paths:
        by_stem.setdefault(Path(p).stem, []).append(p)
    clashes = [ps for ps in by_stem.values() if len(ps) > 1]
    if clashes:
        lines = [f"{' and '.join(ps)} would both write {out / Path(ps[0]).stem}.* — build them into separate folders (-o) "
                 "or rename one" for ps in clashes]
        raise DeckgenError("\n".join(lines))


def summary(rows: Sequence[BatchRow]) -> list[str]:
    """The summary table as text lines: outline, audience, slides, pages, warnings, time, status."""
    header = ["outline", "audience", "slides", "pages", "warnings", "time s", "status"]
    table = [header]
    for r in rows:
        status = "ok" if r.ok else "FAILED"
        table.append([r.outline, r.audience or "-", _n(r.slides), _n(r.pages), str(r.warnings) if r.ok else "-",
                      f"{r.seconds:.2f}" if r.seconds else "", status])
    right = {2, 3, 4, 5}
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for k, row in enumerate(table):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)
