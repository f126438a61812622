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
