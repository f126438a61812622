"""Chart figures for one build: a disk cache keyed by everything the picture depends on, plus renders ahead of need.

`ChartStore` holds all of it (in-memory results, the worker pool, pending renders) and belongs to its caller: one per
build, or one kept by `watch` across rebuilds. Nothing here lives in a module global. A cache hit never imports
matplotlib.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from .model import Chart
from .theme import Theme

CACHE_FORMAT = "1"  # bump when the entry layout below changes
_MAGIC = b"deckgen-chart\n"  # an entry: magic, sha256 of the payload in hex, newline, payload


def default_cache_dir() -> Path:
    """$DECKGEN_CACHE_DIR, else the platform's user cache folder for deckgen (platformdirs): on Linux
    $XDG_CACHE_HOME/deckgen when that is an absolute path, else ~/.cache/deckgen."""
    own = os.environ.get("DECKGEN_CACHE_DIR", "").strip()
    if own:
        return Path(own).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("deckgen"))


def _theme_key(theme: Theme) -> dict[str, Any]:
    """The theme fields charts are drawn with; font files by path, size and modification time."""
    from .charts import THEME_FIELDS

    out: dict[str, Any] = {}
    for name in THEME_FIELDS:
        value = getattr(theme, name)
        if name == "font":
            files = {}
            for face in ("regular", "bold", "italic", "bold_italic"):
                path = Path(getattr(value, face))
                try:
                    st = path.stat()
                    files[face] = [str(path.resolve()), st.st_size, st.st_mtime_ns]
                except OSError:
                    files[face] = [str(path), None, None]  # the renderer reports the missing file
            value = {"name": value.name, "files": files}
        elif name == "extra_fonts":  # the outline's theme.fonts: by path, size and modification time
            value = [[str(Path(p).resolve()), *_stat(Path(p))] for p in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def _stat(path: Path) -> list:
    try:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]
    except OSError:
        return [None, None]


def cache_key(chart: Chart, theme: Theme, fmt: str, width_pt: float, height_pt: float, *, titled: bool = False,
              language: str = "en") -> str:
    """SHA-256 (hex) of the chart spec, the chart-relevant theme, format, size, title flag, language and renderer version."""
    from .charts import RENDERER_VERSION

    body = {
        "cache": CACHE_FORMAT,
        "renderer": RENDERER_VERSION,
        "chart": json.loads(chart.model_dump_json(exclude={"marking"})),  # keyed by what is drawn, as before markings
        "theme": _theme_key(theme),
        "fmt": fmt,
        "size": [round(float(width_pt), 3), round(float(height_pt), 3)],
        "titled": titled,
        "language": language,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_path(cache_dir: Path, key: str, fmt: str) -> Path:
    """Where the entry of `key` lives: <cache_dir>/charts/<key[:2]>/<key>.<fmt>."""
    return cache_dir / "charts" / key[:2] / f"{key}.{fmt}"


def read_entry(path: Path) -> bytes | None:
    """The payload of a cache entry, or None when it is missing, unreadable, truncated or altered."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC):
        return None
    head, sep, payload = raw[len(_MAGIC) :].partition(b"\n")
    if not sep or hashlib.sha256(payload).hexdigest().encode("ascii") != head:
        return None
    return payload


def write_entry(path: Path, payload: bytes) -> None:
    """Store an entry atomically (temp file beside it, then rename); a cache that cannot be written is skipped."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # read-only or full disk: the figure was rendered, the next build renders it again
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class ChartStore:
    """The chart figures of one theme's builds: `get` gives the bytes `charts.render` would, from (in order) what this
    store already rendered, the disk cache, a render started ahead by `prefetch`, or a render in this process.

    `cache_dir` None means `default_cache_dir()` (read once, here); `enabled=False` neither reads nor writes the disk
    cache. `workers` caps the processes `prefetch` starts (default one; never more than the cores less one). Close the store (or use it
    as a context manager) to stop its workers; a closed store keeps what it rendered and stays usable (a later
    `prefetch` starts new workers), so `watch` keeps one store across rebuilds while each build closes it.
    """

    MEMO_LIMIT = 64  # figures kept in memory (the oldest go first)

    def __init__(self, theme: Theme, *, cache_dir: Path | str | None = None, enabled: bool = True, workers: int | None = None) -> None:
        self.theme = theme
        self.enabled = enabled
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.workers = workers
        self._memo: dict[str, bytes] = {}  # cache key -> bytes rendered or read by this store
        self._pending: dict[str, Any] = {}  # cache key -> Future of bytes being rendered in a worker process
        self._pool: Any = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def get(self, chart: Chart, fmt: Literal["svg", "pdf", "png"], width_pt: float, height_pt: float, *, titled: bool = False,
            language: str = "en") -> bytes:
        """The bytes `charts.render(chart, self.theme, fmt, width_pt, height_pt, titled=titled, language=language)` gives: from the cache
        when an intact entry exists, else rendered (or collected from a worker) and stored. Render errors are raised
        as by `charts.render` and never cached.
        """
        key = cache_key(chart, self.theme, fmt, width_pt, height_pt, titled=titled, language=language)
        path = entry_path(self.cache_dir, key, fmt)
        if self.enabled:
            hit = read_entry(path)
            if hit is not None:
                return hit
        data = self._memo.get(key)  # a chart is rendered once per store, whatever the number of audiences
        if data is None and not titled:
            data = self._collect(key)  # rendered ahead by prefetch()
        if data is None:
            from .charts import render

            data = render(chart, self.theme, fmt, width_pt, height_pt, titled=titled, language=language)
        if self.enabled:
            write_entry(path, data)
        return self._remember(key, data)

    def pdf(self, chart: Chart, width_pt: float, height_pt: float, language: str = "en") -> bytes:
        """The chart as a one-page vector PDF of that size: what the brief writer places (its `chart_pdf`)."""
        return self.get(chart, "pdf", width_pt, height_pt, language=language)

    def prefetch(self, jobs: list[tuple]) -> int:
        """Start rendering the (untitled) charts of `jobs` that are neither cached nor already rendered, on a small
        process pool, while the caller goes on (planning and writing the deck); `get` then waits for them.
        A job is (chart, fmt, width, height[, language]). Returns how many started.

        On a machine with two or more cores one worker renders them all (the default `workers`): it imports
        matplotlib once and leaves a core to the caller. Measured on 2 cores, a build took 0.81x the time of two
        workers (default outline) and 0.83x at 500 slides (50 charts): a second worker's matplotlib import and
        renders fought the main process for the cores. On one core nothing starts and `get` renders in-process.
        Any failure to start the pool falls back the same way.
        """
        misses: dict[str, tuple[Chart, str, float, float, str]] = {}
        for chart, fmt, w, h, *rest in jobs:  # (chart, fmt, width, height[, language])
            language = rest[0] if rest else "en"
            key = cache_key(chart, self.theme, fmt, w, h, language=language)
            if key in self._memo or key in self._pending or key in misses:
                continue
            if self.enabled and entry_path(self.cache_dir, key, fmt).is_file():
                continue
            misses[key] = (chart, fmt, w, h, language)
        cores = os.cpu_count() or 1
        n = min(self.workers or 1, cores - 1, len(misses))
        if n < 1:
            return 0
        try:
            with forking():
                if self._pool is None:
                    self._pool = fork_pool(n, worker_start)
                for key, (chart, fmt, w, h, language) in misses.items():
                    self._pending[key] = self._pool.submit(_render_in_worker, chart, self.theme, fmt, w, h, language)
        except (OSError, ValueError, RuntimeError):
            return 0
        return len(misses)

    def close(self, kill: bool = False) -> None:
        """Stop the worker pool: pending renders are dropped (`get` renders them in-process if still asked for).
        `kill` (an interrupted build) ends the workers at once instead of letting running renders finish."""
        self._pending.clear()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            stop_pool(pool, kill)

    def _remember(self, key: str, data: bytes) -> bytes:
        if len(self._memo) >= self.MEMO_LIMIT:
            self._memo.pop(next(iter(self._memo)))
        self._memo[key] = data
        return data

    def _collect(self, key: str) -> bytes | None:
        """The bytes a worker rendered for `key`, waiting for it; None when there is none or it failed."""
        future = self._pending.pop(key, None)
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001 — a broken pool: render in-process instead
            return None


@contextmanager
def forking() -> Iterator[None]:
    """Around making a fork pool and its first job (a fork pool forks its workers then): no matplotlib warm-up thread
    (`charts.warm_up` on a thread named "deckgen-warm-up": watch, serve, a session's worker) is importing — a process
    forked meanwhile holds that import's lock forever and hangs at its first render (seen in the suite) — and no
    interrupt is taken (one raised in an at-fork hook would be swallowed); a signal that came meanwhile is handled after."""
    import signal
    import threading

    for thread in threading.enumerate():
        if thread.name == "deckgen-warm-up" and thread is not threading.current_thread():
            thread.join()
    stops = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    masked = hasattr(signal, "pthread_sigmask")
    old = signal.pthread_sigmask(signal.SIG_BLOCK, stops) if masked else None
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)


def fork_pool(workers: int, initializer: Callable[[int], None]) -> Any:
    """A pool of `workers` processes forked from this one (at its first job: inside `forking()`), each starting with
    `initializer(this process's pid)` (worker_start, or one that calls it: die with this process)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=initializer, initargs=(os.getpid(),))


def stop_pool(pool: Any, kill: bool = False) -> None:
    """Shut a pool down: after its running jobs, or with `kill` at once (SIGKILL to its workers)."""
    if kill:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.kill()
            except (OSError, ValueError, AttributeError):
                pass
    pool.shutdown(wait=True, cancel_futures=True)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def worker_start(parent: int) -> None:
    """Worker side, first thing: die with the build. On Linux the kernel sends SIGKILL when the parent goes
    (prctl PR_SET_PDEATHSIG: immediate, whatever ended the parent, SIGKILL included); everywhere a daemon thread also
    watches the parent's pid (the portable fallback, and the check for a parent gone before prctl took effect).
    A worker never writes to the caller's terminal or pipes (stdout/stderr go to /dev/null, so a script reading
    deckgen's output never waits on a worker) and leaves Ctrl-C, SIGTERM and SIGHUP to the parent's handling."""
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool; a worker's traceback helps no one
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # forked with them blocked (ChartStore.prefetch)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="deckgen-parent-watch", daemon=True).start()


def _render_in_worker(chart: Chart, theme: Theme, fmt: str, w: float, h: float, language: str = "en") -> bytes | None:
    """Worker side: the chart's bytes, or None when it fails (the parent then renders it itself and reports the error)."""
    try:
        from .charts import render

        return render(chart, theme, fmt, w, h, language=language)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 — the parent re-renders and raises the real, located error
        return None
