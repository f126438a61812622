"""Words about a chart: number formatting and the alternative text generated from its data."""
from __future__ import annotations

from .inline import plain
from .model import Chart

_KIND_NAMES = {"line": "Line chart", "column": "Column chart", "bar": "Bar chart"}


def decimals_of(chart: Chart) -> int:
    """Decimals to show: the chart's own setting, else the most any value needs (at most 2)."""
    if chart.decimals is not None:
        return chart.decimals
    most = 0
    for s in chart.series:
        for v in s.values:
            text = f"{v:.2f}".rstrip("0").rstrip(".")
            most = max(most, len(text.split(".")[1]) if "." in text else 0)
    return most


def format_value(value: float, decimals: int) -> str:
    """A value as printed in labels: fixed decimals, thousands separated by a thin comma."""
    return f"{value:,.{decimals}f}"


def with_unit(text: str, unit: str | None) -> str:
    """'1.0' + '% of GDP' -> '1.0% of GDP'; '5' + 'sites' -> '5 sites'."""
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def describe(chart: Chart) -> str:
    """The chart's alt text: the outline's `alt`, else one sentence (or a few) generated from the data."""
    if chart.alt:
        return plain(chart.alt)
    d = decimals_of(chart)
    title = plain(chart.title)
    cats = chart.categories
    parts = [f"{_KIND_NAMES[chart.kind]}: {title}."]
    for s in chart.series[:4]:
        name = plain(s.name)
        if chart.kind == "line":
            first, last = s.values[0], s.values[-1]
            verb = "rises" if last > first else "falls" if last < first else "stays"
            parts.append(
                f"{name} {verb} from {with_unit(format_value(first, d), chart.unit)} in {cats[0]}"
                f" to {with_unit(format_value(last, d), chart.unit)} in {cats[-1]}."
            )
        else:
            pairs = list(zip(cats, s.values))
            shown = ", ".join(f"{c} {with_unit(format_value(v, d), chart.unit)}" for c, v in pairs[:8])
            more = f", and {len(pairs) - 8} more" if len(pairs) > 8 else ""
            parts.append(f"{name}: {shown}{more}.")
    if len(chart.series) > 4:
        parts.append(f"{len(chart.series) - 4} more series.")
    if chart.projected_from:
        parts.append(f"Values from {chart.projected_from} on are planned.")
    if chart.target:
        parts.append(f"Target line: {plain(chart.target.label)} ({with_unit(format_value(chart.target.value, d), chart.unit)}).")
    return " ".join(parts)
