"""Area and scatter charts on prepared axes (the brief's vector charts; the deck draws the same natively)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..chartrules import place_labels
from ..inline import plain
from ..model import Chart
from ..theme import Theme
from .frame import (
    Data,
    Fit,
    category_axis,
    left_margin,
    set_value_axis,
    style,
    tick_labels,
    value_axis,
)
from .kinds import draw_target, spread, target_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def draw_area(ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data, legend_h: float) -> None:
    """Filled areas from the first to the last category: stacked (each band on the one below) or overlaid."""
    n, k = len(data.categories), len(data.values)
    xs = list(range(n))
    style(ax, theme, "y", chart.unit)
    stacked, totals, lo, hi = spread(chart, data.values)
    axes_h = fit.height - legend_h - fit.line() * 2 - 14
    headroom = fit.line() + 6 if chart.target else 6.0
    scale = value_axis(lo, hi, axes_h, headroom, 6.0 if lo < 0 else 0.0, data.whole, 2 * fit.line())
    set_value_axis(ax, "y", scale, data.axis_decimals)
    left = left_margin(fit, tick_labels(scale.ticks, data.axis_decimals), chart.unit)
    axes_w = fit.width - left - 10
    ax.set_xlim(0, max(n - 1, 1))
    category_axis(ax, fit, data.categories, axes_w / max(n - 1, 1), line_chart=True)
    ax.tick_params(axis="x", length=3, color=theme.muted.mix(0.4).css)
    ax.spines["bottom"].set_color(theme.muted.mix(0.4).css)
    if stacked:
        base = [0.0] * n
        for i, vals in enumerate(data.values):
            top = [b + v for b, v in zip(base, vals)]
            colour = theme.series_colour(i).css
            ax.fill_between(xs, base, top, facecolor=colour, edgecolor="white", linewidth=0.6, zorder=2)
            base = top
    else:
        for i, vals in enumerate(data.values):
            colour = theme.series_colour(i).css
            ax.fill_between(xs, [0.0] * n, vals, facecolor=colour, alpha=0.45 if k > 1 else 0.85, edgecolor="none", zorder=2)
            ax.plot(xs, vals, color=colour, linewidth=1.5, zorder=3)
    per_pt = scale.span / max(axes_h, 1)
    draw_target(ax, chart, theme, fit, "y", totals if stacked else [max(c) for c in zip(*data.values)],
                axes_w / max(n - 1, 1), per_pt)


def draw_scatter(ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data, legend_h: float) -> None:
    """Labelled points; each label on the side (right, left, above, below) chartrules.place_labels finds free."""
    pts = chart.points
    xs, ys = [p.x for p in pts], [p.y for p in pts]
    style(ax, theme, "y", chart.unit)
    ax.grid(axis="x", color=theme.muted.mix(0.75).css, linewidth=0.6)
    if chart.x_unit:
        ax.set_xlabel(chart.x_unit).set_parse_math(False)
    ylo, yhi = min(0.0, min(ys), *target_value(chart)), max(0.0, max(ys), *target_value(chart))
    axes_h = fit.height - legend_h - fit.line() * (3 if chart.x_unit else 2) - 14
    yscale = value_axis(ylo, yhi, axes_h, fit.line() + 6, 6.0 if ylo < 0 else 0.0, data.whole, 2 * fit.line())
    set_value_axis(ax, "y", yscale, data.axis_decimals)
    left = left_margin(fit, tick_labels(yscale.ticks, data.axis_decimals), chart.unit)
    axes_w = fit.width - left - 10
    span = (max(xs) - min(xs)) or 1.0
    xscale = value_axis(min(xs) - 0.05 * span, max(xs) + 0.05 * span, axes_w, 0.0, 0.0,
                        all(float(x).is_integer() for x in xs), 3 * fit.line())
    set_value_axis(ax, "x", xscale)
    ax.tick_params(axis="x", length=3, color=theme.muted.mix(0.4).css)
    colour = theme.series_colour(0).css
    ax.scatter(xs, ys, s=22, color=colour, edgecolors="white", linewidths=0.8, zorder=3)
    labels = [plain(p.label) for p in pts]
    at = [((x - xscale.lo) / xscale.span * axes_w, (y - yscale.lo) / yscale.span * axes_h) for x, y in zip(xs, ys)]
    avoid = []
    if chart.target is not None:  # the target's line and its name (at the right end, above) are no place for labels
        ty = (chart.target.value - yscale.lo) / yscale.span * axes_h
        name_w = fit.width_of(plain(chart.target.label)) + 4
        avoid = [(0.0, ty - 1.5, axes_w, ty + 1.5), (axes_w - name_w, ty, axes_w, ty + fit.line() + 3)]
    sides = place_labels(at, [(fit.width_of(t), fit.line()) for t in labels], (axes_w, axes_h), gap=4, avoid=avoid)
    offsets = {"right": ((4, 0), "left", "center"), "left": ((-4, 0), "right", "center"),
               "above": ((0, 4), "center", "bottom"), "below": ((0, -4), "center", "top")}
    for label, x, y, side in zip(labels, xs, ys, sides):
        (dx, dy), ha, va = offsets[side]
        ax.annotate(label, xy=(x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    color=theme.text.css, parse_math=False, annotation_clip=False, zorder=5)
    draw_target(ax, chart, theme, fit, "y")

