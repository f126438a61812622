"""Builds on two cores: a session's brief made by a long-lived worker beside the deck, or one build's deck forked.

`watch` rebuilds one outline again and again. After its first build it starts a `BriefWorker`: one process forked
from the warm session (libraries imported, fonts read), which keeps its own memory from build to build (measured
text, paragraph decisions, rendered charts), as this process keeps the deck's (writers.pptx.DeckReuse). Each
rebuild sends the loaded outline to the worker, builds the deck here meanwhile, then writes both outputs together,
all or none, as `build` does: the bytes, warnings and their order are those of one `build` of both formats.
Where fork is not the platform's way (Windows, macOS), with one core, or when the worker is gone, `build_both` is
that one `build`, in this process.

`run_forked` serves a process that builds once (`deckgen build`, `build(split=True)`): when no chart of the brief is
left to render, the deck is made by a process forked for it while this one makes the brief.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .build import FORMATS, BuildResult, build

if TYPE_CHECKING:
    from .chartcache import ChartStore
    from .outline import Document


def can_fork() -> bool:
    """Linux (fork is its native start method; elsewhere unsafe or missing) with two or more cores."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2


class BriefWorker:
    """One worker process that builds briefs (`submit`) for the session that started it; dies with it."""

    def __init__(self) -> None:
        from .chartcache import fork_pool, forking

        with forking():
            self._pool: Any = fork_pool(1, _start)
            self._pool.submit(int).result()  # forked now, from the process as it is (not later, mid-build)

    def submit(self, doc: Document, out_dir: str | Path):
        """A future of the brief of `doc`: (outputs by path, warnings after the outline's own, products)."""
        return self._pool.submit(_brief, doc, str(out_dir))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def build_both(doc: Document, out_dir: str | Path, formats: Sequence[str] = FORMATS, *, chart_store: ChartStore,
               deck_reuse: dict | None = None, worker: BriefWorker | None = None) -> BuildResult:
    """`build(doc, out_dir, formats, chart_store=…, deck_reuse=…)`, with the brief made by `worker` while the deck is
    made here (see the module). Raises what that build raises."""
    from concurrent.futures.process import BrokenProcessPool

    if worker is None or set(formats) != {"pptx", "pdf"}:
        return build(doc, out_dir, formats, chart_store=chart_store, deck_reuse=deck_reuse)
    try:
        brief = worker.submit(doc, out_dir)
    except (BrokenProcessPool, RuntimeError):
        return build(doc, out_dir, formats, chart_store=chart_store, deck_reuse=deck_reuse)
    try:
        deck = build(doc, out_dir, ("pptx",), chart_store=chart_store, write=False, deck_reuse=deck_reuse)
    except BaseException:
        brief.cancel()
        raise
    try:
        data, warnings, products = brief.result()  # the worker's DeckgenError is raised here as it was there
    except BrokenProcessPool:  # the worker was killed: the brief made here instead
        return build(doc, out_dir, formats, chart_store=chart_store, deck_reuse=deck_reuse)
    from .output import commit

    result = BuildResult(warnings=[*deck.warnings, *warnings], products=[*deck.products, *products],
                         data={**deck.data, **data})
    result.paths = commit(result.data, protect=[Path(doc.file)])
    return result


_STORE: ChartStore | None = None  # the worker's charts, kept across its builds


def _start(parent: int) -> None:
    """The worker, first thing: die with the session, leave signals to it, import matplotlib in the background."""
    from .chartcache import worker_start

    worker_start(parent)
    import threading

    from .charts import warm_up

    threading.Thread(target=warm_up, daemon=True, name="deckgen-warm-up").start()


def _brief(doc: Document, out_dir: str) -> tuple[dict, list, list]:
    """(In the worker.) The brief of `doc`, built in memory with the worker's chart store."""
    global _STORE
    from .build import outline_theme
    from .chartcache import ChartStore

    theme = outline_theme(doc)
    if _STORE is None or _STORE.theme != theme:
        _STORE = ChartStore(theme)
    result = build(doc, out_dir, ("pdf",), chart_store=_STORE, write=False)
    return result.data, result.warnings[len(doc.warnings):], result.products


class Forked:
    """A job run by a process forked for it (run_forked): `result()` waits for its answer, `stop()` ends the process."""

    def __init__(self, pool: Any, future: Any, job: Callable[[], Any]) -> None:
        self._pool, self._future, self._job = pool, future, job

    def result(self) -> Any:
        """The job's answer; an error it raised is raised here; if the process died, the job is run here instead."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._future.result()
        except BrokenProcessPool:
            return self._job()

    def stop(self) -> None:
        from .chartcache import stop_pool

        stop_pool(self._pool, kill=True)


class _Inline:
    """A job run here, where no process could be forked for it."""

    def __init__(self, job: Callable[[], Any]) -> None:
        self._job = job

    def result(self) -> Any:
        return self._job()

    def stop(self) -> None:
        pass


_JOB: list[Callable[[], Any]] = []  # the job of the process being forked (it finds it in its copy of this one)


def run_forked(job: Callable[[], Any]) -> Forked | _Inline:
    """Run `job` (any callable, a closure too: nothing of it is pickled but its answer) in a process forked from this
    one as it is now, which dies with it, while this one goes on: Linux with 2+ cores; elsewhere `result()` runs it here.
    Measured on the default outline with its charts cached: the deck made beside the brief took a cached rebuild from
    1.64 s to 1.44 s (medians of 8 paired runs on 2 cores)."""
    if not can_fork():
        return _Inline(job)
    from .chartcache import fork_pool, forking, worker_start

    _JOB[:] = [job]
    try:
        with forking():
            pool = fork_pool(1, worker_start)
            future = pool.submit(_run_job)  # a fork pool starts its process at the first job
    except (OSError, RuntimeError, ValueError):
        return _Inline(job)
    finally:
        _JOB.clear()
    return Forked(pool, future, job)


def _run_job() -> Any:
    return _JOB[0]()
