"""A chart's data as a table (pure): the header row, one row per category or point, values as the outline's language
prints them with the chart's decimals — what the brief gives screen readers beside a figure and prints in its
chart-data annex."""
from __future__ import annotations

from ..alttext import decimals_of
from ..inline import plain
from ..model import Chart
from ..words import Words
from .tables import MISSING, Grid, GridRow
from .text import one_line

CORNER = ""  # the header's first cell, over the categories (the model has no category axis title)


def _text(value: str) -> str:
    return one_line(plain(value))


def _head(name: str, unit: str | None) -> str:
    """A value column's header: its name and the unit, as a table's number column has it ('Japan (% of GDP)')."""
    return f"{name} ({_text(unit)})" if unit else name


def _needed(value: float) -> int:
    """Decimals `value` needs to be shown exactly, at most 2 (as alttext.decimals_of counts them)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def chart_grid(chart: Chart, words: Words) -> Grid:
    """The chart's data as a table, by kind:

    - line, column, bar, area: a row per category in the order drawn (a sorted bar chart largest first), a column
      per series (its unit in the header); planned categories of a line chart marked "(plan)"; a stacked chart with
      several series also has a "Total" column (the stack's height);
    - scatter: a row per point, its label, x (header: `x_unit`, else "x") and y (header: `unit`, else "y");
    - a target (reference line) is a last row: its label and its value under each value column.

    Values take the chart's `decimals` (else as many as its data need, at most 2: as its data labels show them) and
    the language's separators; a missing value is an en dash."""
    d = decimals_of(chart)
    number = lambda v, dec=d: MISSING if v is None else words.number(float(v), dec)  # noqa: E731
    target_d = d if chart.decimals is not None or chart.target is None else max(d, _needed(chart.target.value))
    if chart.kind == "scatter":
        dx = chart.decimals if chart.decimals is not None else max((_needed(p.x) for p in chart.points), default=0)
        header = (CORNER, _text(chart.x_unit) if chart.x_unit else "x", _text(chart.unit) if chart.unit else "y")
        rows = [GridRow((_text(p.label), number(p.x, dx), number(p.y))) for p in chart.points]
        if chart.target is not None:
            rows.append(GridRow((_text(chart.target.label), "", number(chart.target.value, target_d))))
        return Grid(header, ("left", "right", "right"), (False, True, True), tuple(rows))

    n = len(chart.categories)
    values = [[s.values[j] if j < len(s.values) else None for j in range(n)] for s in chart.series]
    order = list(range(n))
    if chart.kind == "bar" and chart.sort and values:
        order.sort(key=lambda j: -(values[0][j] if values[0][j] is not None else float("-inf")))
    plan_from = (chart.categories.index(chart.projected_from)
                 if chart.kind == "line" and chart.projected_from in chart.categories else None)
    total = chart.stacked and chart.kind != "line" and len(chart.series) > 1
    header = [CORNER] + [_head(_text(s.name), chart.unit) for s in chart.series]
    if total:
        header.append(_head(words["total"], chart.unit))
    rows = []
    for j in order:
        label = _text(chart.categories[j])
        if plan_from is not None and j >= plan_from:
            label = words("planned", name=label)
        cells = [number(v[j]) for v in values]
        if total:
            cells.append(number(sum(v[j] for v in values if v[j] is not None)))
        rows.append(GridRow((label, *cells)))
    if chart.target is not None:
        line = number(chart.target.value, target_d)
        rows.append(GridRow((_text(chart.target.label), *[line] * len(chart.series), *([""] if total else []))))
    k = len(header) - 1
    return Grid(tuple(header), ("left",) + ("right",) * k, (False,) + (True,) * k, tuple(rows))
