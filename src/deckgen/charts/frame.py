"""What every chart kind shares: text measuring and wrapping, the drawn data, title and source, legend, axes and ticks."""
from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..alttext import format_value
from ..inline import plain
from ..model import Chart
from ..theme import Theme
from ..words import Words

if TYPE_CHECKING:  # matplotlib is imported inside the functions: importing this module stays cheap
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

MINUS = "\u2212"
TITLE_SCALE = 1.3  # a titled chart's title size, relative to the chart font size
SOURCE_SCALE = 0.85  # its source line's


@dataclass
class Fit:
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


_LANGUAGE: ContextVar[str] = ContextVar("chart_language", default="en")


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Draw the chart's numbers and words in `language` for the duration."""
    token = _LANGUAGE.set(language)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def words() -> Words:
    """The words of the chart being drawn."""
    return Words(_LANGUAGE.get())


def num(value: float, decimals: int) -> str:
    """A value as the chart prints it: the language's marks, a true minus sign."""
    return format_value(value, decimals, _LANGUAGE.get()).replace("-", MINUS)


# --- the figure -----------------------------------------------------------------------------------------------


@dataclass
class Data:
    """The chart's text and numbers as drawn: clean labels, values in drawing order."""

    categories: list[str]
    names: list[str]
    values: list[list[float]]
    decimals: int
    whole: bool  # every value (and the target) is a whole number: whole-number ticks
    axis_decimals: int | None = None  # the value axis's own decimals (else the fewest its ticks need)


def title_and_source(fig: Figure, chart: Chart, theme: Theme, fit: Fit) -> float:
    """The title above and 'Source: …' below the chart, wrapped to the width; returns the height they take, pt."""
    room = fit.width - 12
    title_size, source_size = fit.size * TITLE_SCALE, fit.size * SOURCE_SCALE
    # measured in the regular face: bold runs up to ~8% wider, so wrap a little short
    title = wrap_at(fit, plain(chart.title), room * 0.9, title_size, 3)
    source = wrap_at(fit, f"{words()['source']} {plain(chart.source)}", room, source_size, 3)
    x = 4 / fit.width
    fig.suptitle(title, x=x, ha="left", fontsize=title_size, fontweight="bold", color=theme.primary.css, parse_math=False)
    fig.supxlabel(source, x=x, ha="left", fontsize=source_size, color=theme.muted.css, parse_math=False)
    lines = lambda text: text.count("\n") + 1  # noqa: E731
    return lines(title) * fit.line(title_size) + lines(source) * fit.line(source_size) + 12


def wrap_at(fit: Fit, text: str, max_width: float, size: float, max_lines: int) -> str:
    """`Fit.wrap` at another font size."""
    scaled = Fit(fit.width, fit.height, size, fit.prop.copy())
    scaled.prop.set_size(size)
    return scaled.wrap(text, max_width, max_lines)


def legend(fig: Figure, ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data) -> float:
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
        colour = theme.series_colour(i).css
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
        text.set_color(theme.text.css)
    rows = math.ceil(len(labels) / ncols)
    lines = sum(max(t.count("\n") + 1 for t in labels[r * ncols : (r + 1) * ncols]) for r in range(rows))
    return lines * fit.line() + 0.5 * fit.size * rows + 6


@dataclass
class Scale:
    """A value axis: its limits and the ticks shown between them."""

    lo: float
    hi: float
    ticks: list[float]

    @property
    def span(self) -> float:
        return (self.hi - self.lo) or 1.0


def value_axis(
    lo: float, hi: float, length_pt: float, headroom_pt: float, floor_pt: float = 0.0, integer: bool = False, min_gap_pt: float | None = None
) -> Scale:
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

    def scale_for(bins: int) -> Scale:
        ticks = [float(t) for t in MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10], integer=integer).tick_values(bottom, top)]
        while len(ticks) > 2 and ticks[-2] >= top:
            ticks.pop()
        while len(ticks) > 2 and ticks[1] <= bottom:
            ticks.pop(0)
        whole = ticks[-1] - ticks[0]
        hi_lim = ticks[-1] if ticks[-1] - top <= 0.12 * whole else top
        lo_lim = ticks[0] if bottom - ticks[0] <= 0.12 * whole else bottom
        eps = 1e-9 * whole
        return Scale(lo_lim, hi_lim, [t for t in ticks if lo_lim - eps <= t <= hi_lim + eps])

    scale = scale_for(nbins)
    for bins in range(nbins + 1, 9):
        if len(scale.ticks) >= 4 or min_gap_pt is None:
            break
        finer = scale_for(bins)
        if len(finer.ticks) > len(scale.ticks) and (finer.ticks[1] - finer.ticks[0]) * length_pt / finer.span >= min_gap_pt:
            scale = finer
    return scale


def tick_labels(ticks: list[float], decimals: int | None = None) -> list[str]:
    """Tick values with `decimals`, else the fewest decimals that show every tick exactly."""
    if decimals is not None:
        return [num(0.0 if abs(t) < 1e-12 else t, decimals) for t in ticks]
    for d in range(0, 7):
        if all(abs(round(t, d) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks):
            break
    return [num(0.0 if abs(t) < 1e-12 else t, d) for t in ticks]


def set_value_axis(ax: Axes, axis: str, scale: Scale, decimals: int | None = None) -> None:
    """Fix the value axis to the scale's limits and ticks (labelled with `decimals` when given)."""
    labels = tick_labels(scale.ticks, decimals)
    if axis == "y":
        ax.set_ylim(scale.lo, scale.hi)
        ax.set_yticks(scale.ticks, labels=labels)
    else:
        ax.set_xlim(scale.lo, scale.hi)
        ax.set_xticks(scale.ticks, labels=labels)


def style(ax: Axes, theme: Theme, axis: str, unit: str | None) -> None:
    """Sober axes: light grid along the value axis, no spine or tick marks on it, unit as its title."""
    grid = theme.muted.mix(0.75).css
    ax.grid(axis=axis, color=grid, linewidth=0.6)
    ax.grid(axis="x" if axis == "y" else "y", visible=False)
    ax.spines["left" if axis == "y" else "bottom"].set_visible(False)
    ax.tick_params(axis=axis, length=0, pad=3)
    ax.tick_params(axis="x" if axis == "y" else "y", length=0, pad=4)
    if unit:
        label = ax.set_ylabel(unit) if axis == "y" else ax.set_xlabel(unit)
        label.set_parse_math(False)


def left_margin(fit: Fit, labels: list[str], unit: str | None) -> float:
    """Room left of the plot for the value tick labels and the unit title, points."""
    return max(fit.width_of(t) for t in labels) + (fit.line() + 4 if unit else 0) + 14


def category_axis(ax: Axes, fit: Fit, cats: list[str], slot: float, line_chart: bool) -> float:
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

