"""A chart spec as the deck draws it natively: categories and series in display order, roles, colours, formats (pure)."""
from __future__ import annotations

import math

from ..alttext import decimals_of
from ..errors import PlanWarning
from ..inline import plain
from ..model import Chart, Loc
from ..theme import Theme
from .slides import ChartPlan, PlotSeries
from .text import one_line


def chart_plan(chart: Chart, index: int, theme: Theme, warnings: list[PlanWarning], alt: str) -> ChartPlan:
    """The native chart of `chart` (the index-th of the outline); problems are appended to `warnings`."""
    loc: Loc = ("charts", index)
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
            series.append(PlotSeries(f"{name} (plan)", planned, colour, "plan", dashed=True))
        else:
            series.append(PlotSeries(name, tuple(values), colour, "data", dashed=boundary == 0))
    if chart.target is not None:
        if chart.kind in ("line", "column"):  # on a column chart the target is a dashed line series over the columns
            series.append(PlotSeries(one_line(plain(chart.target.label)), (chart.target.value,) * n, theme.accent, "target", dashed=True))
        else:
            warnings.append(PlanWarning(loc + ("target",), "a target line is drawn on line and column charts in the deck, not on bar charts — it is named in the notes"))
    decimals = decimals_of(chart)
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    largest = max((abs(v) for ps in series for v in ps.values if v is not None), default=0.0)
    axis_format = "#,##0" if largest >= 20 else number_format  # ticks step by whole numbers on larger scales
    return ChartPlan(
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
    )
