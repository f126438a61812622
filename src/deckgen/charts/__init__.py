"""Render one chart spec to SVG, PDF or PNG bytes with matplotlib's object API (no pyplot, no title or source line).

The package is the only part of deckgen that imports matplotlib, and only inside functions: importing it stays cheap.
`style` makes the theme's fonts known to matplotlib and sets the rcParams, `frame` holds what every chart kind shares
(measuring, legend, axes, ticks), `kinds` draws lines, columns and bars; this module lays out the figure and saves it.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from ..alttext import decimals_of
from ..errors import RenderError
from ..inline import clean, plain
from ..model import Chart, check_chart
from ..theme import Theme
from .frame import Data, Fit, in_language, legend, title_and_source
from .kinds import draw_bar, draw_column, draw_line
from .more import draw_area, draw_scatter
from .style import families, rc, register_fonts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Format = Literal["svg", "pdf", "png"]
FORMATS: tuple[str, ...] = ("svg", "pdf", "png")
PNG_DPI = 200
MIN_SIZE_PT = 72.0
# Bump when a change in this package alters what is drawn: chart caches (chartcache.py) key on it.
RENDERER_VERSION = "6"  # 6: PDF font subsets without layout tables (GSUB, GPOS, GDEF, kern)
# The Theme fields this package draws with (chart caches key on them; a test keeps the list complete).
THEME_FIELDS: tuple[str, ...] = ("font", "text", "muted", "accent", "primary", "series", "chart_font_size", "extra_fonts")

_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}


def render(
    chart: Chart, theme: Theme, fmt: Literal["svg", "pdf", "png"], width_pt: float, height_pt: float, *, titled: bool = False,
    language: str = "en",
) -> bytes:
    """The chart drawn as a `width_pt` x `height_pt` figure in `fmt` (PNG at 200 dpi); same input, same bytes.

    The writers print the title and source themselves; `titled` draws both into the figure (a chart on its own).
    Numbers and deckgen's own words ("Plan") are printed as `language` prints them.
    """
    if fmt not in FORMATS:
        raise RenderError(f"chart '{chart.id}': unknown image format '{fmt}' — use svg, pdf or png")
    for name, size in (("width", width_pt), ("height", height_pt)):
        if not (isinstance(size, (int, float)) and math.isfinite(size) and size >= MIN_SIZE_PT):
            raise RenderError(f"chart '{chart.id}': {name} {size!r} pt is too small — give at least {MIN_SIZE_PT:g} pt")
    problems = check_chart(chart)
    if problems:
        raise RenderError(f"chart '{chart.id}': {problems[0][1]}")
    chart = _spelled_out(chart)

    from matplotlib import rc_context

    family = register_fonts(theme)
    buf = io.BytesIO()
    with (rc_context(rc(theme, family)), warnings.catch_warnings(), in_language(language), _no_ligatures(), _quiet_logs(),
          _lean_subsets()):
        warnings.simplefilter("ignore")  # numpy's overflow and matplotlib's own warnings never reach the terminal
        warnings.filterwarnings("error", message="constrained_layout not applied", category=UserWarning)
        fig = _figure(chart, theme, family, width_pt, height_pt, PNG_DPI if fmt == "png" else 72, titled)
        try:
            if fmt == "pdf":
                from matplotlib.backends.backend_pdf import FigureCanvasPdf

                FigureCanvasPdf(fig).print_pdf(buf, metadata=_PDF_METADATA)
            elif fmt == "svg":
                from matplotlib.backends.backend_svg import FigureCanvasSVG

                FigureCanvasSVG(fig).print_svg(buf, metadata=_SVG_METADATA)
            else:
                from matplotlib.backends.backend_agg import FigureCanvasAgg

                FigureCanvasAgg(fig).print_png(buf, metadata=_PNG_METADATA)
        except UserWarning as exc:
            raise RenderError(
                f"chart '{chart.id}': its labels and legend do not fit in {width_pt:g} x {height_pt:g} pt"
                " — give the chart more room or shorten its labels"
            ) from exc
    return buf.getvalue()


NO_LIGATURES = ("-liga", "-clig", "-dlig")
_LIGATURE_CHARS = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ typed as characters


def _spelled_out(chart: Chart) -> Chart:
    """The chart with ligature characters typed in its text (U+FB00–FB06, 'ﬁ') written as their letters ('fi'):
    matplotlib's PDF backend gives such a glyph CID 0, the .notdef glyph, as it did ligatures it formed itself."""
    if not _LIGATURE_CHARS.search(chart.model_dump_json()):
        return chart

    def spell(value: Any) -> Any:
        if isinstance(value, str):
            return _LIGATURE_CHARS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), value)
        if isinstance(value, dict):
            return {k: spell(v) for k, v in value.items()}
        if isinstance(value, list):
            return [spell(v) for v in value]
        return value

    return Chart.model_validate(spell(chart.model_dump(by_alias=True)))


@contextmanager
def _quiet_logs():
    """matplotlib's and fontTools' log warnings (e.g. 'posx and posy should be finite values') kept off the terminal
    while a chart is drawn: Python's last-resort handler would print them on stderr."""
    import logging

    loggers = [logging.getLogger(name) for name in ("matplotlib", "fontTools")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


# Tables a PDF's embedded TrueType subset never uses: the PDF places every glyph itself (matplotlib shaped the text
# and gives the subsetter the glyphs it chose). Closing the glyph set over GSUB and pruning GPOS took most of a chart's
# PDF time (about 0.07 s of 0.08 s per font face) and half of each embedded font's bytes.
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "JSTF", "BASE", "morx", "kerx")


@contextmanager
def _lean_subsets():
    """Font subsets of chart PDFs made without layout tables while a chart is drawn (matplotlib's PDF backend subsets
    each face it embeds through `_backend_pdf_ps.get_glyphs_subset`; its options are kept, these tables dropped)."""
    from matplotlib.backends import _backend_pdf_ps

    own = getattr(_backend_pdf_ps, "get_glyphs_subset", None)
    if own is None or getattr(_backend_pdf_ps, "subset", None) is None:
        yield  # another matplotlib: its own subsets
        return
    subset = _backend_pdf_ps.subset
    options_type = subset.Options

    class LeanOptions(options_type):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.layout_features = []
            self.drop_tables = [*self.drop_tables, *LAYOUT_TABLES]

    subset.Options = LeanOptions
    try:
        yield
    finally:
        subset.Options = options_type


@contextmanager
def _no_ligatures():
    """Text without ligatures while a chart is drawn: matplotlib's PDF backend gives a ligature glyph (no character
    of its own: "ti", "fi" in Carlito) CID 0, the .notdef glyph, which PDF/A and PDF/UA refuse."""
    from matplotlib.text import Text

    own = Text.get_fontfeatures
    Text.get_fontfeatures = lambda self: own(self) or NO_LIGATURES
    try:
        yield
    finally:
        Text.get_fontfeatures = own


def _figure(chart: Chart, theme: Theme, family: str, width_pt: float, height_pt: float, dpi: float, titled: bool = False) -> Figure:
    """Build the laid-out matplotlib Figure of the chart (rcParams of `rc` must be active)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=dpi, layout="constrained")
    fig.get_layout_engine().set(w_pad=3 / 72, h_pad=3 / 72, wspace=0, hspace=0)
    fit = Fit(width_pt, height_pt, theme.chart_font_size, FontProperties(family=families(theme, family), size=theme.chart_font_size))
    data = Data(
        categories=[clean(c) for c in chart.categories],
        names=[plain(s.name) for s in chart.series],
        values=[list(s.values) for s in chart.series],
        decimals=decimals_of(chart),
        whole=all(float(v).is_integer() for v in [*(v for x in chart.series for v in x.values), *(p.y for p in chart.points),
                                                   *([chart.target.value] if chart.target else [])]),
        axis_decimals=chart.axis_decimals,
    )
    host: Any = fig
    if titled:  # title and source on the figure, the chart (with its legend on top) in a panel between them
        fit.height -= title_and_source(fig, chart, theme, fit)
        if fit.height < MIN_SIZE_PT / 2:
            raise RenderError(
                f"chart '{chart.id}': its title and source leave no room for the chart in {width_pt:g} x {height_pt:g} pt"
                " — give the chart more room or shorten them"
            )
        host = fig.subfigures(1, 1)
    ax = host.add_subplot()
    legend_h = legend(host, ax, chart, theme, fit, data) if len(chart.series) > 1 else 0.0
    if chart.kind == "line":
        draw_line(ax, chart, theme, fit, data, legend_h)
    elif chart.kind == "column":
        draw_column(ax, chart, theme, fit, data, legend_h)
    elif chart.kind == "area":
        draw_area(ax, chart, theme, fit, data, legend_h)
    elif chart.kind == "scatter":
        draw_scatter(ax, chart, theme, fit, data, legend_h)
    else:
        draw_bar(ax, chart, theme, fit, data, legend_h)
    return fig


def warm_up() -> None:
    """Import matplotlib and the PDF backend ahead of the first render, e.g. on a background thread of `watch` or `serve`
    while the user edits: a chart edit then costs one render, not matplotlib's start-up as well."""
    import matplotlib.figure  # noqa: F401
    from matplotlib.backends import backend_pdf  # noqa: F401
