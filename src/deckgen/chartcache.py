"""A disk cache of rendered chart figures, keyed by everything the picture depends on; a hit never imports matplotlib."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from .model import Chart
from .theme import Theme

CACHE_FORMAT = "1"  # bump when the entry layout below changes
_MAGIC = b"deckgen-chart\n"  # an entry: magic, sha256 of the payload in hex, newline, payload


def default_cache_dir() -> Path:
    """$DECKGEN_CACHE_DIR, else $XDG_CACHE_HOME/deckgen, else ~/.cache/deckgen."""
    own = os.environ.get("DECKGEN_CACHE_DIR", "").strip()
    if own:
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore a relative path
        return Path(xdg) / "deckgen"
    return Path.home() / ".cache" / "deckgen"


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
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def cache_key(chart: Chart, theme: Theme, fmt: str, width_pt: float, height_pt: float, *, titled: bool = False) -> str:
    """SHA-256 (hex) of the chart spec, the chart-relevant theme, format, size, title flag and renderer version."""
    from .charts import RENDERER_VERSION

    body = {
        "cache": CACHE_FORMAT,
        "renderer": RENDERER_VERSION,
        "chart": json.loads(chart.model_dump_json()),
        "theme": _theme_key(theme),
        "fmt": fmt,
        "size": [round(float(width_pt), 3), round(float(height_pt), 3)],
        "titled": titled,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_path(cache_dir: Path, key: str, fmt: str) -> Path:
    """Where the entry of `key` lives: <cache_dir>/charts/<key[:2]>/<key>.<fmt>."""
    return cache_dir / "charts" / key[:2] / f"{key}.{fmt}"


def _read(path: Path) -> bytes | None:
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


def _write(path: Path, payload: bytes) -> None:
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


def get_or_render(
    chart: Chart,
    theme: Theme,
    fmt: Literal["svg", "pdf", "png"],
    width_pt: float,
    height_pt: float,
    *,
    titled: bool = False,
    cache_dir: Path | str | None = None,
    enabled: bool = True,
) -> bytes:
    """The bytes `charts.render` gives for these arguments: from the cache when an intact entry exists, else
    rendered and stored. `cache_dir` None means `default_cache_dir()`; `enabled=False` renders without the cache.
    Render errors are raised as by `charts.render` and never cached.
    """
    key = cache_key(chart, theme, fmt, width_pt, height_pt, titled=titled)
    if enabled:
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        path = entry_path(folder, key, fmt)
        hit = _read(path)
        if hit is not None:
            return hit
    data = _MEMO.get(key)  # one process renders a chart once, whatever the number of audiences or the cache setting
    if data is None and not titled:
        data = _collect(key)  # rendered ahead by prefetch()
    if data is None:
        from .charts import render

        data = render(chart, theme, fmt, width_pt, height_pt, titled=titled)
    if enabled:
        _write(path, data)
    return _remember(key, data)


_MEMO: dict[str, bytes] = {}
_MEMO_LIMIT = 64


def _remember(key: str, data: bytes) -> bytes:
    """Keep what this process rendered (bounded: the oldest entries go first)."""
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = data
    return data


# ---------------------------------------------------------------- rendering ahead, in parallel

_PENDING: dict[str, Any] = {}  # cache key -> Future of chart bytes being rendered in a worker process
_POOL: Any = None


def prefetch(jobs: list[tuple[Chart, str, float, float]], theme: Theme, *, cache_dir: Path | str | None = None,
             enabled: bool = True, workers: int | None = None) -> int:
    """Start rendering the charts that are neither cached nor already rendered, on a small process pool, while the
    caller goes on (planning and writing the deck); `get_or_render` then waits for them. Returns how many started.

    Only worth it for two or more misses on a machine with two or more cores; otherwise nothing starts and
    `get_or_render` renders in-process as before. Any failure to start the pool falls back the same way.
    """
    global _POOL
    misses = []
    for chart, fmt, w, h in jobs:
        key = cache_key(chart, theme, fmt, w, h)
        if key in _MEMO or key in _PENDING or any(k == key for k, *_ in misses):
            continue
        if enabled:
            folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
            if entry_path(folder, key, fmt).is_file():
                continue
        misses.append((key, chart, fmt, w, h))
    cores = os.cpu_count() or 1
    n = min(workers or cores, cores, len(misses))
    if n < 2:
        return 0
    try:
        if _POOL is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _POOL = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"))
        for key, chart, fmt, w, h in misses:
            _PENDING[key] = _POOL.submit(_render_in_worker, chart, theme, fmt, w, h)
    except (OSError, ValueError, RuntimeError):
        return 0
    return len(misses)


def finish() -> None:
    """Stop the worker pool (after a build): pending renders are collected or dropped."""
    global _POOL
    _PENDING.clear()
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
        _POOL = None


def _render_in_worker(chart: Chart, theme: Theme, fmt: str, w: float, h: float) -> bytes | None:
    """Worker side: the chart's bytes, or None when it fails (the parent then renders it itself and reports the error)."""
    try:
        from .charts import render

        return render(chart, theme, fmt, w, h)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 — the parent re-renders and raises the real, located error
        return None


def _collect(key: str) -> bytes | None:
    """The bytes a worker rendered for `key`, waiting for it; None when there is none or it failed."""
    future = _PENDING.pop(key, None)
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 — a broken pool: render in-process instead
        return None
