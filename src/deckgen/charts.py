"""Render one chart spec to SVG, PDF or PNG bytes with matplotlib's object API (no pyplot, no title or source line)."""
from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .alttext import decimals_of, format_value
from .errors import AssetError, RenderError
from .inline import clean, plain
from .model import Chart, check_chart
from .theme import Theme

if TYPE_CHECKING:  # matplotlib is imported lazily inside render(): importing this module stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

Format = Literal["svg", "pdf", "png"]
FORMATS: tuple[str, ...] = ("svg", "pdf", "png")
PNG_DPI = 200
MIN_SIZE_PT = 72.0
PLAN_NOTE = "Plan"
MINUS = "\u2212"
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; draws only glyphs the theme font lacks
# Bump when a change here alters what is drawn: chart caches (chartcache.py) key on it.
RENDERER_VERSION = "2"
# The Theme fields this module draws with (chart caches key on them; a test keeps the list complete).
THEME_FIELDS: tuple[str, ...] = ("font", "text", "muted", "accent", "primary", "series", "chart_font_size")
TITLE_SCALE = 1.3  # a titled chart's title size, relative to the chart font size
SOURCE_SCALE = 0.85  # its source line's

_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}
_FAMILIES: dict[tuple[str, ...], str] = {}  # font files already given to matplotlib -> their family name


def render(
    chart: Chart, theme: Theme, fmt: Literal["svg", "pdf", "png"], width_pt: float, height_pt: float, *, titled: bool = False
) -> bytes:
    """The chart drawn as a `width_pt` x `height_pt` figure in `fmt` (PNG at 200 dpi); same input, same bytes.

    The writers print the title and source themselves; `titled` draws both into the figure (a chart on its own).
    """
    if fmt not in FORMATS:
        raise RenderError(f"chart '{chart.id}': unknown image format '{fmt}' — use svg, pdf or png")
    for name, size in (("width", width_pt), ("height", height_pt)):
        if not (isinstance(size, (int, float)) and math.isfinite(size) and size >= MIN_SIZE_PT):
            raise RenderError(f"chart '{chart.id}': {name} {size!r} pt is too small — give at least {MIN_SIZE_PT:g} pt")
    problems = check_chart(chart)
    if problems:
        raise RenderError(f"chart '{chart.id}': {problems[0][1]}")

    from matplotlib import rc_context

    family = _register_fonts(theme)
    buf = io.BytesIO()
    with rc_context(_rc(theme, family)), warnings.catch_warnings():
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


# --- fonts and style -------------------------------------------------------------------------------------------


def _register_fonts(theme: Theme) -> str:
    """Give the theme's TrueType files to matplotlib once; return the family name they declare."""
    f = theme.font
    paths = tuple(str(p) for p in (f.regular, f.bold, f.italic, f.bold_italic))
    family = _FAMILIES.get(paths)
    if family is None:
        from matplotlib import font_manager

        manager = font_manager.fontManager
        for p in paths:
            try:
                manager.addfont(p)
            except (OSError, RuntimeError) as exc:
                raise AssetError(f"chart font '{p}' cannot be read ({exc}) — reinstall deckgen or fix the theme") from exc
        # a system copy of the same family must not win the look-up: the bundled files go first
        # (addfont has just emptied matplotlib's look-up cache, and nothing has looked a font up since)
        ours = {str(Path(p).resolve()) for p in paths}
        manager.ttflist.sort(key=lambda entry: str(Path(entry.fname).resolve()) not in ours)
        family = font_manager.FontProperties(fname=paths[0]).get_name()
        _FAMILIES[paths] = family
    return family


def _rc(theme: Theme, family: str) -> dict[str, Any]:
    """The rcParams of every chart: theme font, sober axes, embedded fonts, no math text, fixed hashes."""
    muted = "#" + theme.muted
    return {
        "font.family": [family, FALLBACK_FAMILY],
        "font.size": theme.chart_font_size,
        "text.parse_math": False,  # '$5 and $10' stays literal in tick labels and legends too
        "text.color": "#" + theme.text,
        "text.usetex": False,
        "axes.unicode_minus": True,
        "axes.formatter.use_mathtext": False,
        "axes.edgecolor": muted,
        "axes.labelcolor": muted,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.labelsize": theme.chart_font_size,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelsize": theme.chart_font_size,
        "ytick.labelsize": theme.chart_font_size,
        "legend.fontsize": theme.chart_font_size,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "pdf.fonttype": 42,  # embedded TrueType: text stays selectable and searchable
        "svg.fonttype": "path",  # glyphs as paths: the SVG looks the same without the font installed
        "svg.hashsalt": "deckgen",
        "path.simplify": False,
    }


# --- measuring and wrapping text ----------------------------------------------------------------------------


@dataclass
class _Fit:
    """Figure size, font and text measuring for one render."""

    width: float
    height: float
    size: float
    prop: FontProperties

    def width_of(self, text: str, size: float | None = None) -> float:
        """Width in points of (possibly multi-line) text at `size`."""
        from matplotlib.textpath import text_to_path

        prop = self.prop if size is None else self.prop.copy()
        if size is not None:
            prop.set_size(size)
        with warnings.catch_warnings():  # a glyph missing from the theme font is reported once, when drawn
            warnings.simplefilter("ignore", UserWarning)
            return max(text_to_path.get_text_width_height_descent(line, prop, False)[0] for line in text.split("\n"))

    def line(self, size: float | None = None) -> float:
        """Height of one line of text, points."""
        return 1.2 * (size or self.size)

    def wrap(self, text: str, max_width: float, max_lines: int = 3) -> str:
        """Break text at spaces into lines at most `max_width` wide; long words stay whole; ellipsis past `max_lines`."""
        words = text.split()
        if not words:
            return text
        lines: list[str] = []
        for word in words:
            if lines and self.width_of(lines[-1] + " " + word) <= max_width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1]
            while " " in last and self.width_of(last + "\u2026") > max_width:
                last = last.rsplit(" ", 1)[0]
            lines[-1] = last + "\u2026"
        return "\n".join(lines)


def _hex(colour: str) -> str:
    return "#" + colour.lstrip("#")


def _mix(colour: str, amount: float) -> str:
    """`colour` mixed with white: amount 0 is the colour, 1 is white."""
    c = colour.lstrip("#")
    rgb = [int(c[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(v + (255 - v) * amount):02X}" for v in rgb)


def _ink_on(colour: str, theme: Theme) -> str:
    """Text colour readable on a filled `colour`: white on dark, theme text on light."""
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))
    lum = [(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4) for v in (r, g, b)]
    y = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    return "#FFFFFF" if y < 0.3 else _hex(theme.text)


def _num(value: float, decimals: int) -> str:
    return format_value(value, decimals).replace("-", MINUS)


# --- the figure -----------------------------------------------------------------------------------------------


@dataclass
class _Data:
    """The chart's text and numbers as drawn: clean labels, values in drawing order."""

    categories: list[str]
    names: list[str]
    values: list[list[float]]
    decimals: int
    whole: bool  # every value (and the target) is a whole number: whole-number ticks


def _figure(chart: Chart, theme: Theme, family: str, width_pt: float, height_pt: float, dpi: float, titled: bool = False) -> Figure:
    """Build the laid-out matplotlib Figure of the chart (rcParams of `_rc` must be active)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=dpi, layout="constrained")
    fig.get_layout_engine().set(w_pad=3 / 72, h_pad=3 / 72, wspace=0, hspace=0)
    fit = _Fit(width_pt, height_pt, theme.chart_font_size, FontProperties(family=[family, FALLBACK_FAMILY], size=theme.chart_font_size))
    data = _Data(
        categories=[clean(c) for c in chart.categories],
        names=[plain(s.name) for s in chart.series],
        values=[list(s.values) for s in chart.series],
        decimals=decimals_of(chart),
        whole=all(float(v).is_integer() for v in [*(v for x in chart.series for v in x.values), *([chart.target.value] if chart.target else [])]),
    )
    host: Any = fig
    if titled:  # title and source on the figure, the chart (with its legend on top) in a panel between them
        fit.height -= _title_and_source(fig, chart, theme, fit)
        if fit.height < MIN_SIZE_PT / 2:
            raise RenderError(
                f"chart '{chart.id}': its title and source leave no room for the chart in {width_pt:g} x {height_pt:g} pt"
                " — give the chart more room or shorten them"
            )
        host = fig.subfigures(1, 1)
    ax = host.add_subplot()
    legend_h = _legend(host, ax, chart, theme, fit, data) if len(chart.series) > 1 else 0.0
    if chart.kind == "line":
        _line(ax, chart, theme, fit, data, legend_h)
    elif chart.kind == "column":
        _column(ax, chart, theme, fit, data, legend_h)
    else:
        _bar(ax, chart, theme, fit, data, legend_h)
    return fig


def _title_and_source(fig: Figure, chart: Chart, theme: Theme, fit: _Fit) -> float:
    """The title above and 'Source: …' below the chart, wrapped to the width; returns the height they take, pt."""
    room = fit.width - 12
    title_size, source_size = fit.size * TITLE_SCALE, fit.size * SOURCE_SCALE
    # measured in the regular face: bold runs up to ~8% wider, so wrap a little short
    title = _wrap_at(fit, plain(chart.title), room * 0.9, title_size, 3)
    source = _wrap_at(fit, f"Source: {plain(chart.source)}", room, source_size, 3)
    x = 4 / fit.width
    fig.suptitle(title, x=x, ha="left", fontsize=title_size, fontweight="bold", color=_hex(theme.primary), parse_math=False)
    fig.supxlabel(source, x=x, ha="left", fontsize=source_size, color=_hex(theme.muted), parse_math=False)
    lines = lambda text: text.count("\n") + 1  # noqa: E731
    return lines(title) * fit.line(title_size) + lines(source) * fit.line(source_size) + 12


def _wrap_at(fit: _Fit, text: str, max_width: float, size: float, max_lines: int) -> str:
    """`_Fit.wrap` at another font size."""
    scaled = _Fit(fit.width, fit.height, size, fit.prop.copy())
    scaled.prop.set_size(size)
    return scaled.wrap(text, max_width, max_lines)


def _legend(fig: Figure, ax: Axes, chart: Chart, theme: Theme, fit: _Fit, data: _Data) -> float:
    """A legend row (or rows) above the plot; returns its estimated height in points."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    avail = fit.width - 12
    handle_w = 2.0 * fit.size if chart.kind == "line" else 1.0 * fit.size
    extra = handle_w + 0.8 * fit.size  # handle and the gap after it
    gap = 1.5 * fit.size
    labels = [fit.wrap(n, avail - extra, 2) for n in data.names]
    widths = [extra + fit.width_of(t) for t in labels]
    ncols = len(labels)
    while ncols > 1:
        cols = [max(widths[i] for i in range(c, len(widths), ncols)) for c in range(ncols)]
        if sum(cols) + gap * (ncols - 1) <= avail:
            break
        ncols -= 1
    handles: list[Any] = []
    for i in range(len(labels)):
        colour = _hex(theme.series_colour(i))
        if chart.kind == "line":
            handles.append(Line2D([], [], color=colour, lw=2, marker="o", markersize=4))
        else:
            handles.append(Patch(facecolor=colour, edgecolor="none"))
    leg = fig.legend(
        handles,
        labels,
        loc="outside upper left",
        ncols=ncols,
        handlelength=2.0 if chart.kind == "line" else 1.0,
        handleheight=0.8,
        handletextpad=0.6,
        columnspacing=1.5,
        borderaxespad=0.2,
        borderpad=0.2,
        alignment="left",
    )
    for text in leg.get_texts():
        text.set_parse_math(False)
        text.set_color(_hex(theme.text))
    rows = math.ceil(len(labels) / ncols)
    lines = sum(max(t.count("\n") + 1 for t in labels[r * ncols : (r + 1) * ncols]) for r in range(rows))
    return lines * fit.line() + 0.5 * fit.size * rows + 6


@dataclass
class _Scale:
    """A value axis: its limits and the ticks shown between them."""

    lo: float
    hi: float
    ticks: list[float]

    @property
    def span(self) -> float:
        return (self.hi - self.lo) or 1.0


def _value_axis(
    lo: float, hi: float, length_pt: float, headroom_pt: float, floor_pt: float = 0.0, integer: bool = False, min_gap_pt: float | None = None
) -> _Scale:
    """Nice ticks covering lo..hi plus room (in points) for labels beyond the ends; limits on a tick when it is near.

    With `integer` (every value a whole number) the ticks are whole numbers too: 0, 2, 4, never 0.0, 2.5, 5.0.
    With `min_gap_pt`, an axis left with fewer than 4 ticks gets a finer step when its ticks stay that far apart.
    """
    from matplotlib.ticker import MaxNLocator

    length_pt = max(length_pt, 24.0)
    nbins = max(3, min(6, int(length_pt // 32)))
    span = (hi - lo) or abs(hi) or 1.0
    usable = max(length_pt - headroom_pt - floor_pt, length_pt * 0.4)
    per_pt = span / usable
    top = hi + headroom_pt * per_pt if hi > 0 or headroom_pt else hi
    bottom = lo - floor_pt * per_pt if lo < 0 else lo

    def scale_for(bins: int) -> _Scale:
        ticks = [float(t) for t in MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10], integer=integer).tick_values(bottom, top)]
        while len(ticks) > 2 and ticks[-2] >= top:
            ticks.pop()
        while len(ticks) > 2 and ticks[1] <= bottom:
            ticks.pop(0)
        whole = ticks[-1] - ticks[0]
        hi_lim = ticks[-1] if ticks[-1] - top <= 0.12 * whole else top
        lo_lim = ticks[0] if bottom - ticks[0] <= 0.12 * whole else bottom
        eps = 1e-9 * whole
        return _Scale(lo_lim, hi_lim, [t for t in ticks if lo_lim - eps <= t <= hi_lim + eps])

    scale = scale_for(nbins)
    for bins in range(nbins + 1, 9):
        if len(scale.ticks) >= 4 or min_gap_pt is None:
            break
        finer = scale_for(bins)
        if len(finer.ticks) > len(scale.ticks) and (finer.ticks[1] - finer.ticks[0]) * length_pt / finer.span >= min_gap_pt:
            scale = finer
    return scale


def _tick_labels(ticks: list[float]) -> list[str]:
    """Tick values with the fewest decimals that show every tick exactly."""
    for d in range(0, 7):
        if all(abs(round(t, d) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            break
    return [_num(0.0 if abs(t) < 1e-12 else t, d) for t in ticks]


def _set_value_axis(ax: Axes, axis: str, scale: _Scale) -> None:
    """Fix the value axis to the scale's limits and ticks."""
    labels = _tick_labels(scale.ticks)
    if axis == "y":
        ax.set_ylim(scale.lo, scale.hi)
        ax.set_yticks(scale.ticks, labels=labels)
    else:
        ax.set_xlim(scale.lo, scale.hi)
        ax.set_xticks(scale.ticks, labels=labels)


def _style(ax: Axes, theme: Theme, value_axis: str, unit: str | None) -> None:
    """Sober axes: light grid along the value axis, no spine or tick marks on it, unit as its title."""
    grid = _mix(theme.muted, 0.75)
    ax.grid(axis=value_axis, color=grid, linewidth=0.6)
    ax.grid(axis="x" if value_axis == "y" else "y", visible=False)
    ax.spines["left" if value_axis == "y" else "bottom"].set_visible(False)
    ax.tick_params(axis=value_axis, length=0, pad=3)
    ax.tick_params(axis="x" if value_axis == "y" else "y", length=0, pad=4)
    if unit:
        label = ax.set_ylabel(unit) if value_axis == "y" else ax.set_xlabel(unit)
        label.set_parse_math(False)


def _left_margin(fit: _Fit, tick_labels: list[str], unit: str | None) -> float:
    return max(fit.width_of(t) for t in tick_labels) + (fit.line() + 4 if unit else 0) + 14


def _category_axis(ax: Axes, fit: _Fit, cats: list[str], slot: float, line_chart: bool) -> float:
    """Label the x categories so they fit their slot: as is, wrapped, thinned (line) or turned; returns height in pt."""
    positions = list(range(len(cats)))
    widths = [fit.width_of(c) for c in cats]
    room = slot - 4
    if max(widths) <= room:
        ax.set_xticks(positions, labels=cats)
        return fit.line()
    wrapped = [fit.wrap(c, room) for c in cats]
    if all(fit.width_of(w) <= room for w in wrapped) and not any(w.endswith("\u2026") for w in wrapped):
        ax.set_xticks(positions, labels=wrapped)
        return max(w.count("\n") + 1 for w in wrapped) * fit.line()
    if line_chart:  # e.g. many years: label every k-th category, always the last one
        k = 2
        while k < len(cats) and max(widths) > k * slot - 6:
            k += 1
        keep = [i for i in positions if (len(cats) - 1 - i) % k == 0]
        ax.set_xticks(positions, labels=[cats[i] if i in keep else "" for i in positions])
        return fit.line()
    # columns: turn the labels upright, wrapped to a share of the figure height; thinned if even that is too tight
    turned = [fit.wrap(c, max(fit.height * 0.3, 40), 2) for c in cats]
    lines = max(t.count("\n") + 1 for t in turned)
    k = 1
    while k < len(cats) and lines * fit.line() > k * slot - 2:
        k += 1
    labels = [t if (len(cats) - 1 - i) % k == 0 else "" for i, t in enumerate(turned)]
    ax.set_xticks(positions, labels=labels, rotation=90, ha="center", va="top", rotation_mode="default")
    return max(fit.width_of(t) for t in turned)


def _line(ax: Axes, chart: Chart, theme: Theme, fit: _Fit, data: _Data, legend_h: float) -> None:
    n = len(data.categories)
    xs = list(range(n))
    p = data.categories.index(clean(chart.projected_from)) if chart.projected_from is not None else None
    _style(ax, theme, "y", chart.unit)
    values = [v for vals in data.values for v in vals]
    lo, hi = min(values), max(values)
    if chart.target:
        lo, hi = min(lo, chart.target.value), max(hi, chart.target.value)
    if lo >= 0:
        lo = 0.0
    plan_h = fit.line(fit.size * 0.9) + 2 if p is not None else 0.0
    axes_h = fit.height - legend_h - plan_h - fit.line() * 2 - 14
    headroom = fit.line() + 6 if chart.target else 6.0
    scale = _value_axis(lo, hi, axes_h, headroom, 6.0 if lo < 0 else 0.0, data.whole, 2 * fit.line())
    _set_value_axis(ax, "y", scale)
    left = _left_margin(fit, _tick_labels(scale.ticks), chart.unit)
    axes_w = fit.width - left - 10
    ax.set_xlim(-0.5, n - 0.5)
    _category_axis(ax, fit, data.categories, axes_w / n, line_chart=True)
    ax.tick_params(axis="x", length=3, color=_mix(theme.muted, 0.4))
    ax.spines["bottom"].set_color(_mix(theme.muted, 0.4))
    if lo < 0:
        ax.axhline(0, color=_hex(theme.muted), linewidth=0.8, zorder=1)

    if p is not None:
        ax.axvspan(p - 0.5, n - 0.5, facecolor=_mix(theme.muted, 0.9), edgecolor="none", zorder=0)
        ax.annotate(
            PLAN_NOTE,
            xy=(p - 0.5, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=fit.size * 0.9,
            fontstyle="italic",
            color=_hex(theme.muted),
            parse_math=False,
            annotation_clip=False,
        )
    for i, vals in enumerate(data.values):
        colour = _hex(theme.series_colour(i))
        marker = dict(marker="o", markersize=4.5, markeredgewidth=1.2, markeredgecolor=colour)
        if p is None:
            ax.plot(xs, vals, color=colour, linewidth=2, markerfacecolor=colour, zorder=3, **marker)
            continue
        if p > 0:
            ax.plot(xs[:p], vals[:p], color=colour, linewidth=2, markerfacecolor=colour, zorder=3, **marker)
        start = max(p - 1, 0)
        ax.plot(xs[start:], vals[start:], color=colour, linewidth=2, linestyle=(0, (3, 1.5)), zorder=2.9)
        ax.plot(xs[p:], vals[p:], color=colour, linestyle="none", markerfacecolor="white", zorder=3.1, **marker)

    if chart.target:
        t = chart.target.value
        accent = _hex(theme.accent)
        ax.axhline(t, color=accent, linewidth=1.2, linestyle=(0, (5, 3)), zorder=2.5)
        # its label at the right end above the line; elsewhere (below, left) only where the data would run through it
        label = plain(chart.target.label)
        w = (fit.width_of(label) + 6) * n / max(axes_w, 1)
        per_pt = scale.span / max(axes_h, 1)
        h, gap = (fit.line() + 3) * per_pt, 2.5 * per_pt  # a point sitting on the target line leaves the label be
        spots = [(right, above) for right in (True, False) for above in (True, False)]
        free = [
            (right, above)
            for right, above in spots
            if not _runs_through(data.values, (n - 0.5 - w, n - 0.5) if right else (-0.5, -0.5 + w), (t + gap, t + h) if above else (t - h, t - gap))
        ]
        right, above = (free or spots)[0]
        ax.annotate(
            label,
            xy=(1.0 if right else 0.0, t),
            xycoords=("axes fraction", "data"),
            xytext=(-2 if right else 2, 3 if above else -3),
            textcoords="offset points",
            ha="right" if right else "left",
            va="bottom" if above else "top",
            color=accent,
            parse_math=False,
            annotation_clip=False,
        )


def _runs_through(series: list[list[float]], xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    """True when any series' line (points at x = 0, 1, ...) passes through the box xs x ys."""
    x0, x1 = xs
    for vals in series:
        for j, v in enumerate(vals):
            if x0 <= j <= x1 and ys[0] <= v <= ys[1]:
                return True
        for j in range(len(vals) - 1):
            a, b = max(x0, j), min(x1, j + 1)
            if a > b:
                continue
            ya = vals[j] + (vals[j + 1] - vals[j]) * (a - j)
            yb = vals[j] + (vals[j + 1] - vals[j]) * (b - j)
            if min(ya, yb) <= ys[1] and max(ya, yb) >= ys[0]:
                return True
    return False


_MIN_LABEL_SIZE = 6.5


def _label_sizes(size: float) -> list[float]:
    """Font sizes to try for data labels: the chart size, then half a point smaller down to the minimum."""
    return [size - 0.5 * i for i in range(int((size - _MIN_LABEL_SIZE) / 0.5) + 1)] or [size]


def _bar_labels_fit(fit: _Fit, labels: list[str], room: float) -> float | None:
    """The largest font size (down to the minimum) at which every label is at most `room` wide, else None."""
    return next((s for s in _label_sizes(fit.size) if max(fit.width_of(t, s) for t in labels) <= room), None)


def _column(ax: Axes, chart: Chart, theme: Theme, fit: _Fit, data: _Data, legend_h: float) -> None:
    n, k = len(data.categories), len(data.values)
    xs = list(range(n))
    _style(ax, theme, "y", chart.unit)
    stacked = chart.stacked and k > 1
    totals = [sum(vals[j] for vals in data.values) for j in range(n)]
    values = totals if stacked else [v for vals in data.values for v in vals]
    lo, hi = min(0.0, min(values)), max(0.0, max(values))
    # first guess of the axes size, to fit labels
    guess = _value_axis(lo, hi, fit.height - legend_h - 40, fit.line() + 4, integer=data.whole)
    left = _left_margin(fit, _tick_labels(guess.ticks), chart.unit)
    axes_w = fit.width - left - 8
    cat_h = _category_axis(ax, fit, data.categories, axes_w / n, line_chart=False)
    axes_h = fit.height - legend_h - cat_h - 16
    d = data.decimals

    if stacked:
        width = 0.6
        bar_pt = axes_w / n * width
        scale = _value_axis(lo, hi, axes_h, fit.line() + 4, integer=data.whole, min_gap_pt=2 * fit.line())
        per_pt = scale.span / max(axes_h, 1)
        all_labels = [_num(v, d) for vals in data.values for v in vals] + [_num(t, d) for t in totals]
        size = _bar_labels_fit(fit, all_labels, bar_pt - 2)
        bottoms = [0.0] * n
        for i, vals in enumerate(data.values):
            colour = _hex(theme.series_colour(i))
            bars = ax.bar(xs, vals, width, bottom=bottoms, color=colour, edgecolor="white", linewidth=0.6, zorder=2)
            if size is not None:
                labels = [_num(v, d) if v != 0 and v / per_pt >= fit.line(size) else "" for v in vals]
                ax.bar_label(bars, labels=labels, label_type="center", fontsize=size, color=_ink_on(colour, theme), parse_math=False)
            bottoms = [b + v for b, v in zip(bottoms, vals)]
        if size is not None:
            for j in xs:
                if sum(1 for vals in data.values if vals[j] != 0) > 1:
                    ax.annotate(
                        _num(totals[j], d), xy=(j, totals[j]), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=size, fontweight="bold", parse_math=False,
                    )
        _set_value_axis(ax, "y", scale)
        return

    group = 0.6 if k == 1 else min(0.84, 0.28 * k + 0.2)
    width = group / k
    pitch_pt = axes_w / n * width
    labels_all = [[_num(v, d) for v in vals] for vals in data.values]
    size = _bar_labels_fit(fit, [t for row in labels_all for t in row], pitch_pt + (2 if k == 1 else -1))
    turned = False
    if size is None and fit.line() <= pitch_pt:
        size, turned = fit.size * 0.9, True
    if size is None:
        headroom = 4.0
    elif turned:
        headroom = max(fit.width_of(t, size) for row in labels_all for t in row) + 4
    else:
        headroom = fit.line(size) + 3
    scale = _value_axis(lo, hi, axes_h, headroom, headroom if lo < 0 else 0.0, data.whole, 2 * fit.line())
    for i, vals in enumerate(data.values):
        colour = _hex(theme.series_colour(i))
        offset = (i - (k - 1) / 2) * width
        bars = ax.bar([x + offset for x in xs], vals, width * (0.92 if k > 1 else 1), color=colour, edgecolor="none", zorder=2)
        if size is not None:
            ax.bar_label(bars, labels=labels_all[i], padding=2, fontsize=size, rotation=90 if turned else 0, parse_math=False)
    if lo < 0:
        ax.axhline(0, color=_hex(theme.muted), linewidth=0.8, zorder=3)
        ax.spines["bottom"].set_visible(False)
    _set_value_axis(ax, "y", scale)


def _bar(ax: Axes, chart: Chart, theme: Theme, fit: _Fit, data: _Data, legend_h: float) -> None:
    n, k = len(data.categories), len(data.values)
    order = list(range(n))
    if chart.sort:
        order.sort(key=lambda j: -data.values[0][j])
    cats = [data.categories[j] for j in order]
    rows = [[vals[j] for j in order] for vals in data.values]
    ys = [n - 1 - r for r in range(n)]  # first row on top
    _style(ax, theme, "x", chart.unit)
    stacked = chart.stacked and k > 1
    totals = [sum(vals[r] for vals in rows) for r in range(n)]
    values = totals if stacked else [v for vals in rows for v in vals]
    lo, hi = min(0.0, min(values)), max(0.0, max(values))
    d = data.decimals

    # category labels on the left: wrapped to at most a third of the width and to the lines their row has room for
    axes_h = fit.height - legend_h - fit.line() * (2 if chart.unit else 1) - 16
    row = axes_h / n
    if row < 0.6 * fit.line(_MIN_LABEL_SIZE):
        raise RenderError(
            f"chart '{chart.id}': {n} bars do not fit in {fit.height:g} pt of height"
            " — give the chart more room or show fewer categories"
        )
    label_size = min(fit.size, max(_MIN_LABEL_SIZE, row / 1.25))
    labels = [fit.wrap(c, max(fit.width * 0.33, 50), max(1, int(row // fit.line(label_size)))) for c in cats]
    left = max(fit.width_of(t, label_size) for t in labels) + 10
    axes_w = fit.width - left - 12
    ax.set_yticks(ys, labels=labels)
    ax.tick_params(axis="y", labelsize=label_size)
    ax.set_ylim(-0.5, n - 0.5)

    if stacked:
        height = 0.6
        end_labels = [_num(t, d) for t in totals]
    else:
        height = 0.6 if k == 1 else min(0.84, 0.28 * k + 0.2) / k
        end_labels = [_num(v, d) for vals in rows for v in vals]
    bar_pt = row * height
    size = next((s for s in _label_sizes(fit.size) if 0.85 * fit.line(s) <= bar_pt), None)
    room = max((fit.width_of(t, size) for t in end_labels), default=0.0) + 5 if size else 4.0
    scale = _value_axis(lo, hi, axes_w, room, room if lo < 0 else 0.0, data.whole)
    per_pt = scale.span / max(axes_w, 1)

    if stacked:
        lefts = [0.0] * n
        for i, vals in enumerate(rows):
            colour = _hex(theme.series_colour(i))
            bars = ax.barh(ys, vals, height, left=lefts, color=colour, edgecolor="white", linewidth=0.6, zorder=2)
            if size is not None:
                seg = [_num(v, d) if v != 0 and v / per_pt >= fit.width_of(_num(v, d), size) + 4 else "" for v in vals]
                ax.bar_label(bars, labels=seg, label_type="center", fontsize=size, color=_ink_on(colour, theme), parse_math=False)
            lefts = [a + v for a, v in zip(lefts, vals)]
        if size is not None:
            for r in range(n):
                ax.annotate(
                    _num(totals[r], d), xy=(totals[r], ys[r]), xytext=(3, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=size, fontweight="bold" if k > 1 else "normal", parse_math=False,
                )
    else:
        for i, vals in enumerate(rows):
            colour = _hex(theme.series_colour(i))
            offset = ((k - 1) / 2 - i) * height  # first series on top within each group
            bars = ax.barh([y + offset for y in ys], vals, height * (0.92 if k > 1 else 1), color=colour, edgecolor="none", zorder=2)
            if size is not None:
                ax.bar_label(bars, labels=[_num(v, d) for v in vals], padding=3, fontsize=size, parse_math=False)
    ax.spines["left"].set_color(_mix(theme.muted, 0.4))
    if lo < 0:
        ax.axvline(0, color=_hex(theme.muted), linewidth=0.8, zorder=3)
        ax.spines["left"].set_visible(False)
    _set_value_axis(ax, "x", scale)
