"""Export each chart of an outline on its own (SVG, PNG or PDF, titled, with its source line)."""
from __future__ import annotations

from pathlib import Path

from .build import load, outline_theme
from .errors import DeckgenError


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

    if fmt not in CHART_FORMATS:
        raise DeckgenError(f"unknown chart format '{fmt}' — use {', '.join(CHART_FORMATS)}")
    doc = load(outline)
    assert doc.outline is not None
    theme = outline_theme(doc)
    files: dict[Path, bytes] = {}
    with ChartStore(theme, cache_dir=cache_dir, enabled=cache) as store:
        for chart in doc.outline.charts:
            height = max(0.5625 * width_pt, figure_size(chart, width_pt)[1] + 60.0)  # 16:9, taller for long bar charts
            files[Path(out_dir) / f"{chart.id}.{fmt}"] = store.get(chart, fmt, width_pt, round(height, 2), titled=True,  # type: ignore[arg-type]
                                                                  language=doc.outline.meta.language)
    return commit(files, protect=[Path(doc.file)]) if files else []
