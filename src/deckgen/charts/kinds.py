"""The three chart kinds drawn on prepared axes: line (plan span, target line), column and bar (grouped or stacked)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..chartrules import segment_labels
from ..errors import RenderError
from ..inline import clean, plain
from ..model import Chart
from ..theme import Theme
from .frame import (
    words,
    Data,
    Fit,
    category_axis,
    left_margin,
    num,
    set_value_axis,
    style,
    tick_labels,
    value_axis,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes



def target_value(chart: Chart) -> list[float]:
    """The target's value, as a list to widen an axis with (empty without a target)."""
    return [chart.target.value] if chart.target is not None else []


def spread(chart: Chart, rows: list[list[float]]) -> tuple[bool, list[float], float, float]:
    """Whether the series stack, each category's total, and the lowest and highest value the value axis must show
    (zero and the target included)."""
    stacked = chart.stacked and len(rows) > 1
    totals = [sum(vals[j] for vals in rows) for j in range(len(rows[0]))]
    values = totals if stacked else [v for vals in rows for v in vals]
    extra = target_value(chart)
    return stacked, totals, min(0.0, min(values), *extra), max(0.0, max(values), *extra)


def draw_target(ax: Axes, chart: Chart, theme: Theme, fit: Fit, axis: str,
                tops: list[float] | None = None, slot_pt: float = 1.0, per_pt: float = 0.0) -> None:
    """The reference line of a column, bar, area or scatter chart: dashed in the accent colour across the plot at
    its value, named at the right end above it (value axis y) or above the plot (value axis x: bars).

    With `tops` (per category, the highest value a column and its label reach; `slot_pt` a category's width and
    `per_pt` value units per point) the name goes to the first end and side of the line its columns leave free."""
    if chart.target is None:
        return
    t, label, accent = chart.target.value, plain(chart.target.label), theme.accent.css
    if axis == "y":
        right, above = True, True
        if tops:
            n, cover = len(tops), (fit.width_of(label) + 6) / max(slot_pt, 1.0)
            h = (fit.line() + 4) * per_pt

            def clash(right: bool, above: bool) -> bool:
                cats = [j for j in range(n) if (j > n - 1 - cover if right else j < cover)]
                return any(tops[j] > (t if above else t - h) for j in cats)

            right, above = next((spot for spot in ((True, True), (False, True), (True, False), (False, False))
                                 if not clash(*spot)), (True, True))
        ax.axhline(t, color=accent, linewidth=1.2, linestyle=(0, (5, 3)), zorder=4)
        ax.annotate(label, xy=(1.0 if right else 0.0, t), xycoords=("axes fraction", "data"),
                    xytext=(-2 if right else 2, 3 if above else -3), textcoords="offset points",
                    ha="right" if right else "left", va="bottom" if above else "top",
                    color=accent, parse_math=False, annotation_clip=False, zorder=5,
                    bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))
    else:
        ax.axvline(t, color=accent, linewidth=1.2, linestyle=(0, (5, 3)), zorder=4)
        ax.annotate(label, xy=(t, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", color=accent, parse_math=False, annotation_clip=False)


def draw_line(ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data, legend_h: float) -> None:
    n = len(data.categories)
    xs = list(range(n))
    p = data.categories.index(clean(chart.projected_from)) if chart.projected_from is not None else None
    style(ax, theme, "y", chart.unit)
    values = [v for vals in data.values for v in vals]
    lo, hi = min(values), max(values)
    if chart.target:
        lo, hi = min(lo, chart.target.value), max(hi, chart.target.value)
    if lo >= 0:
        lo = 0.0
    plan_h = fit.line(fit.size * 0.9) + 2 if p is not None else 0.0
    axes_h = fit.height - legend_h - plan_h - fit.line() * 2 - 14
    headroom = fit.line() + 6 if chart.target else 6.0
    scale = value_axis(lo, hi, axes_h, headroom, 6.0 if lo < 0 else 0.0, data.whole, 2 * fit.line())
    set_value_axis(ax, "y", scale, data.axis_decimals)
    left = left_margin(fit, tick_labels(scale.ticks), chart.unit)
    axes_w = fit.width - left - 10
    ax.set_xlim(-0.5, n - 0.5)
    category_axis(ax, fit, data.categories, axes_w / n, line_chart=True)
    ax.tick_params(axis="x", length=3, color=theme.muted.mix(0.4).css)
    ax.spines["bottom"].set_color(theme.muted.mix(0.4).css)
    if lo < 0:
        ax.axhline(0, color=theme.muted.css, linewidth=0.8, zorder=1)

    if p is not None:
        ax.axvspan(p - 0.5, n - 0.5, facecolor=theme.muted.mix(0.9).css, edgecolor="none", zorder=0)
        ax.annotate(
            words()["plan"],
            xy=(p - 0.5, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=fit.size * 0.9,
            fontstyle="italic",
            color=theme.muted.css,
            parse_math=False,
            annotation_clip=False,
        )
    for i, vals in enumerate(data.values):
        colour = theme.series_colour(i).css
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
        accent = theme.accent.css
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


def _bar_labels_fit(fit: Fit, labels: list[str], room: float) -> float | None:
    """The largest font size (down to the minimum) at which every label is at most `room` wide, else None."""
    return next((s for s in _label_sizes(fit.size) if max(fit.width_of(t, s) for t in labels) <= room), None)


def draw_column(ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data, legend_h: float) -> None:
    n, k = len(data.categories), len(data.values)
    xs = list(range(n))
    style(ax, theme, "y", chart.unit)
    stacked, totals, lo, hi = spread(chart, data.values)
    # first guess of the axes size, to fit labels
    guess = value_axis(lo, hi, fit.height - legend_h - 40, fit.line() + 4, integer=data.whole)
    left = left_margin(fit, tick_labels(guess.ticks), chart.unit)
    axes_w = fit.width - left - 8
    cat_h = category_axis(ax, fit, data.categories, axes_w / n, line_chart=False)
    axes_h = fit.height - legend_h - cat_h - 16
    d = data.decimals

    if stacked:
        width = 0.6
        bar_pt = axes_w / n * width
        scale = value_axis(lo, hi, axes_h, fit.line() + 4, integer=data.whole, min_gap_pt=2 * fit.line())
        per_pt = scale.span / max(axes_h, 1)
        all_labels = [num(v, d) for vals in data.values for v in vals] + [num(t, d) for t in totals]
        size = _bar_labels_fit(fit, all_labels, bar_pt - 2)
        shown = segment_labels(data.values, d, horizontal=False)  # the rule the deck applies too
        bottoms = [0.0] * n
        for i, vals in enumerate(data.values):
            fill = theme.series_colour(i)
            bars = ax.bar(xs, vals, width, bottom=bottoms, color=fill.css, edgecolor="white", linewidth=0.6, zorder=2)
            if size is not None:
                labels = [num(v, d) if shown[i][j] and v / per_pt >= fit.line(size) else "" for j, v in enumerate(vals)]
                ax.bar_label(bars, labels=labels, label_type="center", fontsize=size, color=fill.ink_on(theme.text).css, parse_math=False)
            bottoms = [b + v for b, v in zip(bottoms, vals)]
        if size is not None:
            for j in xs:
                if sum(1 for vals in data.values if vals[j] != 0) > 1:
                    ax.annotate(
                        num(totals[j], d), xy=(j, totals[j]), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=size, fontweight="bold", parse_math=False,
                    )
        set_value_axis(ax, "y", scale, data.axis_decimals)
        label_h = fit.line(size) + 2 if size is not None else 0.0
        draw_target(ax, chart, theme, fit, "y", [tt + label_h * per_pt for tt in totals], axes_w / n, per_pt)
        return

    group = 0.6 if k == 1 else min(0.84, 0.28 * k + 0.2)
    width = group / k
    pitch_pt = axes_w / n * width
    labels_all = [[num(v, d) for v in vals] for vals in data.values]
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
    scale = value_axis(lo, hi, axes_h, headroom, headroom if lo < 0 else 0.0, data.whole, 2 * fit.line())
    for i, vals in enumerate(data.values):
        colour = theme.series_colour(i).css
        offset = (i - (k - 1) / 2) * width
        bars = ax.bar([x + offset for x in xs], vals, width * (0.92 if k > 1 else 1), color=colour, edgecolor="none", zorder=2)
        if size is not None:
            ax.bar_label(bars, labels=labels_all[i], padding=2, fontsize=size, rotation=90 if turned else 0, parse_math=False)
    if lo < 0:
        ax.axhline(0, color=theme.muted.css, linewidth=0.8, zorder=3)
        ax.spines["bottom"].set_visible(False)
    set_value_axis(ax, "y", scale, data.axis_decimals)
    per_pt = scale.span / max(axes_h, 1)
    tops = [max(vals[j] for vals in data.values) + (headroom if size is not None else 0.0) * per_pt for j in range(n)]
    draw_target(ax, chart, theme, fit, "y", tops, axes_w / n, per_pt)


def draw_bar(ax: Axes, chart: Chart, theme: Theme, fit: Fit, data: Data, legend_h: float) -> None:
    n, k = len(data.categories), len(data.values)
    order = list(range(n))
    if chart.sort:
        order.sort(key=lambda j: -data.values[0][j])
    cats = [data.categories[j] for j in order]
    rows = [[vals[j] for j in order] for vals in data.values]
    ys = [n - 1 - r for r in range(n)]  # first row on top
    style(ax, theme, "x", chart.unit)
    stacked, totals, lo, hi = spread(chart, rows)
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
        end_labels = [num(t, d) for t in totals]
    else:
        height = 0.6 if k == 1 else min(0.84, 0.28 * k + 0.2) / k
        end_labels = [num(v, d) for vals in rows for v in vals]
    bar_pt = row * height
    size = next((s for s in _label_sizes(fit.size) if 0.85 * fit.line(s) <= bar_pt), None)
    room = max((fit.width_of(t, size) for t in end_labels), default=0.0) + 5 if size else 4.0
    scale = value_axis(lo, hi, axes_w, room, room if lo < 0 else 0.0, data.whole)
    per_pt = scale.span / max(axes_w, 1)

    if stacked:
        shown = segment_labels(rows, d, horizontal=True)  # the rule the deck applies too
        lefts = [0.0] * n
        for i, vals in enumerate(rows):
            fill = theme.series_colour(i)
            bars = ax.barh(ys, vals, height, left=lefts, color=fill.css, edgecolor="white", linewidth=0.6, zorder=2)
            if size is not None:
                seg = [num(v, d) if shown[i][j] and v / per_pt >= fit.width_of(num(v, d), size) + 4 else "" for j, v in enumerate(vals)]
                ax.bar_label(bars, labels=seg, label_type="center", fontsize=size, color=fill.ink_on(theme.text).css, parse_math=False)
            lefts = [a + v for a, v in zip(lefts, vals)]
        if size is not None:
            for r in range(n):
                ax.annotate(
                    num(totals[r], d), xy=(totals[r], ys[r]), xytext=(3, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=size, fontweight="bold" if k > 1 else "normal", parse_math=False,
                )
    else:
        for i, vals in enumerate(rows):
            colour = theme.series_colour(i).css
            offset = ((k - 1) / 2 - i) * height  # first series on top within each group
            bars = ax.barh([y + offset for y in ys], vals, height * (0.92 if k > 1 else 1), color=colour, edgecolor="none", zorder=2)
            if size is not None:
                ax.bar_label(bars, labels=[num(v, d) for v in vals], padding=3, fontsize=size, parse_math=False)
    ax.spines["left"].set_color(theme.muted.mix(0.4).css)
    if lo < 0:
        ax.axvline(0, color=theme.muted.css, linewidth=0.8, zorder=3)
        ax.spines["left"].set_visible(False)
    set_value_axis(ax, "x", scale, data.axis_decimals)
    draw_target(ax, chart, theme, fit, "x")