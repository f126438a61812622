"""A chart spec as the deck draws it natively: categories and series in display order, roles, colours, formats (pure)."""
from __future__ import annotations

import dataclasses
import math
import re

from ..alttext import decimals_of
from ..words import Words
from ..chartrules import axis_format_decimals, nice_scale, place_labels, segment_labels
from ..errors import PlanWarning
from ..inline import plain
from ..model import Chart
from ..theme import Theme
from ..units import Colour
from .slides import MIN_TEXT, ChartPlan, PlotSeries
from .text import one_line


def chart_plan(chart: Chart, index: int, theme: Theme, warnings: list[PlanWarning], alt: str, words: Words = Words()) -> ChartPlan:
    """The native chart of `chart` (the index-th of the outline), its own words ("Plan", "Total") in `words`'
    language; problems are appended to `warnings`."""
    if chart.kind == "scatter":
        return unit_in_titles(scatter_plan(chart, theme, alt), one_line(plain(chart.title)))
    n = len(chart.categories)
    cats = [one_line(c) for c in chart.categories]
    rows = [[float(v) for v in s.values[:n]] + [None] * (n - len(s.values)) for s in chart.series]  # check() reports bad lengths
    order = list(range(n))
    if chart.sort and chart.kind == "bar":
        first = rows[0]
        order = sorted(order, key=lambda i: -(first[i] if first[i] is not None else -math.inf))
    cats = [cats[i] for i in order]
    rows = [[r[i] for i in order] for r in rows]

    series: list[PlotSeries] = []
    # line charts are never re-ordered, so the boundary index holds in the drawn order too
    boundary = chart.categories.index(chart.projected_from) if chart.kind == "line" and chart.projected_from in chart.categories else None
    for i, (s, values) in enumerate(zip(chart.series, rows)):
        colour = theme.series_colour(i)
        name = one_line(plain(s.name))
        if boundary is not None and boundary > 0:
            actual = tuple(v if j < boundary else None for j, v in enumerate(values))
            planned = tuple(v if j >= boundary - 1 else None for j, v in enumerate(values))
            series.append(PlotSeries(name, actual, colour, "data"))
            series.append(PlotSeries(words("planned", name=name), planned, plan_tint(colour, theme), "plan", dashed=True))
        else:
            series.append(PlotSeries(name, tuple(values), colour, "data", dashed=boundary == 0))
    if chart.target is not None and chart.kind != "bar":  # a dashed line series over the columns or areas
        series.append(PlotSeries(one_line(plain(chart.target.label)), (chart.target.value,) * n, theme.accent, "target", dashed=True))
    decimals = decimals_of(chart)
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    largest = max((abs(v) for ps in series for v in ps.values if v is not None), default=0.0)
    axis_format = "#,##0" if largest >= 20 else number_format  # ticks step by whole numbers on larger scales
    plan = ChartPlan(
        chart_id=chart.id,
        kind=chart.kind,
        stacked=chart.stacked and chart.kind != "line",
        categories=tuple(cats),
        series=tuple(series),
        unit=one_line(chart.unit) if chart.unit else None,
        number_format=number_format,
        axis_format=axis_format,
        data_labels=chart.kind in ("column", "bar"),
        legend=len(chart.series) > 1,  # as in the brief: plan and target lines are labelled, not listed
        first_category_on_top=chart.kind == "bar",
        alt=alt,
        plan_label=words["plan"],
        total_label=words["total"],
        language=words.culture,
    )
    return unit_in_titles(shared_rules(plan, chart, rows, boundary), one_line(plain(chart.title)))


# ---------------------------------------------------------------- what the deck shares with the brief (chartrules)

CHART_TEXT = 14.0  # pt: the native chart's text (writers/pptx/nativecharts.py)
MIN_CATEGORY_SIZE = MIN_TEXT  # pt: category labels are never smaller (the deck's accessibility check's floor)
FULL_FRAME = (880.0, 336.0)  # pt: a chart slide's chart frame (geometry.chart)


def _value_range(chart: Chart, rows: list[list[float | None]]) -> tuple[float, float]:
    vals = [v for r in rows for v in r if v is not None]
    if chart.stacked and chart.kind != "line":
        vals += [sum(r[j] or 0.0 for r in rows) for j in range(len(rows[0]) if rows else 0)]
    if chart.target is not None:
        vals.append(chart.target.value)
    lo, hi = min(vals, default=0.0), max(vals, default=1.0)
    room = 0.08 * ((max(hi, 0.0) - min(lo, 0.0)) or 1.0)  # above the top: its data label or the target's name
    return (lo - room if lo < 0 else lo), hi + room


def shared_rules(plan: ChartPlan, chart: Chart, rows: list[list[float | None]], boundary: int | None) -> ChartPlan:
    """Fix the value axis, hide the labels `chartrules.segment_labels` hides, mark the plan band and a bar's target."""
    lo, hi = _value_range(chart, rows)
    axis = nice_scale(lo, hi)
    number_format = "#,##0" + ("." + "0" * d if (d := axis_format_decimals(axis[2], chart.axis_decimals)) else "")
    hidden: tuple[tuple[int, ...], ...] = ()
    if plan.stacked and plan.data_labels:
        shown = segment_labels([[v or 0.0 for v in r] for r in rows], decimals_of(chart), horizontal=chart.kind == "bar")
        hidden = tuple(tuple(j for j, ok in enumerate(row) if not ok) for row in shown)
    target = (chart.target.value, one_line(plain(chart.target.label))) if chart.target is not None and chart.kind == "bar" else None
    return dataclasses.replace(plan, axis=axis, axis_format=number_format, hidden_labels=hidden,
                               plan_from=boundary if chart.kind == "line" else None, target=target,
                               gridlines=not every_bar_labelled(plan.data_labels, plan.kind, rows, hidden))


def fit_frame(plan: ChartPlan, width: float, height: float) -> tuple[ChartPlan, str | None]:
    """The plan fitted to a chart frame of `width` x `height` pt: category labels sized so every one shows, scatter
    labels placed. Returns the plan and, when the frame cannot show every category label, why (else None)."""
    titled = bool(plan.title)
    if plan.kind == "scatter":
        return _place_points(plan, width, height, titled), None
    n = len(plan.categories)
    if n == 0:
        return plan, None
    chrome = 24 + (22 if plan.axis_title else 0) + (28 if plan.legend else 0) + (26 if titled else 0) + 14
    problem = None
    if plan.kind == "bar":  # one row per category: the label's line must fit its row
        row = (height - chrome) / n
        size = min(CHART_TEXT, math.floor(row / 1.25 * 2) / 2)
        if size < MIN_CATEGORY_SIZE:
            problem = (f"{n} category labels do not fit {height:g} pt of height at {MIN_CATEGORY_SIZE:g} pt"
                       " — show fewer categories or give the chart a slide of its own")
            size = MIN_CATEGORY_SIZE
    else:  # one slot per category: the longest word must fit its slot (labels wrap at spaces)
        left = 70 + (22 if plan.axis_title else 0)
        slot = (width - left - 16) / n
        longest = max((len(w) for c in plan.categories for w in c.split()), default=1)
        size = CHART_TEXT
        while size > MIN_CATEGORY_SIZE and 0.55 * size * longest > slot - 4:
            size -= 0.5
        if 0.55 * size * longest > slot - 4:
            problem = (f"{n} category labels do not fit {width:g} pt of width at {MIN_CATEGORY_SIZE:g} pt"
                       " — use kind: bar, shorten the labels or show fewer categories")
    plan = dataclasses.replace(plan, category_size=None if size >= CHART_TEXT else size)
    if plan.kind == "column" and not plan.stacked and plan.data_labels:
        plan = _column_labels(plan, width - 70 - (22 if plan.axis_title else 0) - 16)
        if not plan.data_labels:  # labels left out: the gridlines read the values again
            plan = dataclasses.replace(plan, gridlines=True)
    return plan, problem


MIN_LABEL_SIZE = MIN_TEXT  # pt: smaller value labels are left out rather than crowded


def _column_labels(plan: ChartPlan, plot_w: float) -> ChartPlan:
    """Side-by-side columns: value labels as wide as their column at most — stepped down to 10 pt, else left out
    (the brief turns or leaves them out the same way: never two labels over each other)."""
    data = [ps for ps in plan.series if ps.role == "data"]
    k, n = len(data), len(plan.categories)
    group = 0.6 if k == 1 else min(0.84, 0.28 * k + 0.2)  # (the plot's gap width 60 gives columns ~62% of a slot)
    pitch = plot_w / n * max(group, 0.62) / k
    decimals = len(plan.number_format.split(".")[1]) if "." in plan.number_format else 0
    widest = max((len(f"{v:,.{decimals}f}") for ps in data for v in ps.values if v is not None), default=1)
    size = CHART_TEXT
    while size > MIN_LABEL_SIZE and 0.52 * size * widest > pitch + 2:
        size -= 1.0
    if 0.52 * size * widest <= pitch + 2:
        return dataclasses.replace(plan, label_size=None if size >= CHART_TEXT else size)
    turned = min(CHART_TEXT, 12.0)  # upright, as the brief turns them, when a line of text fits the column
    if 1.2 * turned <= pitch + 2:
        return dataclasses.replace(plan, label_size=turned, labels_turned=True)
    return dataclasses.replace(plan, data_labels=False)


def scatter_plan(chart: Chart, theme: Theme, alt: str) -> ChartPlan:
    """A scatter chart: one series of labelled points, fixed axes, and the target (a line across) if any."""
    pts = tuple((one_line(plain(p.label)), float(p.x), float(p.y)) for p in chart.points)
    ys = [p[2] for p in pts] + ([chart.target.value] if chart.target else [])
    xs = [p[1] for p in pts]
    yaxis = nice_scale(min(ys), max(ys) + 0.06 * ((max(ys) - min(min(ys), 0)) or 1))
    span = (max(xs) - min(xs)) or 1.0
    xaxis = nice_scale(min(xs) - 0.05 * span, max(xs) + 0.05 * span, zero=False)
    d = decimals_of(chart)
    fmt = lambda dec: "#,##0" + ("." + "0" * dec if dec else "")
    return ChartPlan(
        chart_id=chart.id, kind="scatter", stacked=False, categories=(), series=(
            PlotSeries(one_line(plain(chart.title)), tuple(p[2] for p in pts), theme.series_colour(0), "data"),),
        unit=one_line(chart.unit) if chart.unit else None, number_format=fmt(d),
        axis_format=fmt(axis_format_decimals(yaxis[2], chart.axis_decimals)), data_labels=True, legend=False,
        first_category_on_top=False, alt=alt, axis=yaxis, points=pts, x_axis=xaxis,
        x_unit=one_line(chart.x_unit) if chart.x_unit else None, x_format=fmt(axis_format_decimals(xaxis[2], None)),
        target=(chart.target.value, one_line(plain(chart.target.label))) if chart.target else None,
    )


def _place_points(plan: ChartPlan, width: float, height: float, titled: bool) -> ChartPlan:
    """Each point label's side, from the frame's estimated plot area (labels at CHART_TEXT, 0.5 em per character)."""
    assert plan.axis is not None and plan.x_axis is not None
    pw = width - 70 - (22 if plan.axis_title else 0) - 16
    ph = height - 24 - (22 if plan.x_unit else 0) - (26 if titled else 0) - 14
    (x0, x1, _), (y0, y1, _) = plan.x_axis, plan.axis
    pts = [((x - x0) / ((x1 - x0) or 1) * pw, (y - y0) / ((y1 - y0) or 1) * ph) for _, x, y in plan.points]
    sizes = [(0.5 * CHART_TEXT * len(label), 1.2 * CHART_TEXT) for label, _, _ in plan.points]
    avoid = []
    if plan.target is not None:  # the target's line and its name at the right end
        ty = (plan.target[0] - y0) / ((y1 - y0) or 1) * ph
        name_w = 0.5 * CHART_TEXT * len(plan.target[1]) + 6
        avoid = [(0.0, ty - 2, pw, ty + 2), (pw - name_w, ty, pw, ty + 1.2 * CHART_TEXT + 4)]
    return dataclasses.replace(plan, label_positions=tuple(place_labels(pts, sizes, (pw, ph), gap=6, avoid=avoid)))


# ---------------------------------------------------------------- issue 21: the brief's styling rules in the deck

PLAN_TINT = 0.35  # the planned part of a line: its colour this far towards white (dashed, hollow markers as well)
PLAN_CONTRAST = 3.0  # WCAG 1.4.11: a line the reader must see keeps 3:1 against the plan band under it


def plan_tint(colour: Colour, theme: Theme) -> Colour:
    """The planned part's colour: the series colour lightened, so projected points read as projected in any renderer
    (LibreOffice draws markers in the line's colour, ignoring their white fill) — never below 3:1 on the plan band."""
    if theme.text.luminance > 0.5:  # a dark ground: the band darkens it, a lighter line only gains contrast
        return colour.mix(PLAN_TINT)
    band = theme.muted.mix(0.9)  # (nativecharts.plan_band, the brief's axvspan)
    amount = PLAN_TINT
    while amount > 0 and colour.mix(amount).contrast(band) < PLAN_CONTRAST:
        amount = round(amount - 0.05, 2)
    return colour.mix(max(amount, 0.0))


def every_bar_labelled(labels: bool, kind: str, rows: list[list[float | None]], hidden: tuple[tuple[int, ...], ...]) -> bool:
    """True when every bar or column (every stacked segment with a height) carries its value label: gridlines would
    only repeat the labels, and the deck leaves them out."""
    if not labels or kind not in ("column", "bar"):
        return False
    return all(j not in (hidden[i] if i < len(hidden) else ()) or not v for i, r in enumerate(rows) for j, v in enumerate(r))


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def unit_in_titles(plan: ChartPlan, *titles: str) -> ChartPlan:
    """The plan without its value-axis title when a title the slide shows already states the unit ('% of GDP' under
    'Military spending, % of GDP'): the unit appears there as whole words."""
    if not plan.unit or plan.unit_in_title:
        return plan
    unit = _words(plan.unit)
    found = any(re.search(r"(?<!\w)" + re.escape(unit) + r"(?!\w)", _words(t)) for t in titles if t)
    return dataclasses.replace(plan, unit_in_title=True) if found else plan
