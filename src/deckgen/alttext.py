"""Words about a chart: number formatting and the alternative text generated from its data."""
from __future__ import annotations

import re

from .inline import plain
from .model import Chart
from .words import Words, format_number

def decimals_of(chart: Chart) -> int:
    """Decimals to show: the chart's own setting, else the most any value needs (at most 2)."""
    if chart.decimals is not None:
        return chart.decimals
    return max((_needed(v) for s in chart.series for v in s.values), default=max((_needed(p.y) for p in chart.points), default=0))


def _needed(value: float) -> int:
    """Decimals `value` needs to be shown exactly, at most 2."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def format_value(value: float, decimals: int, language: str = "en") -> str:
    """A value as printed in labels: fixed decimals, the language's thousands separator and decimal mark."""
    return format_number(value, decimals, language)


_CURRENCY = re.compile(r"^(US\$|C\$|A\$|\$|€|£|¥|USD|EUR|GBP|JPY|PLN|CNY|CHF|CAD|AUD)(?:\s+(.*))?$")


def with_unit(text: str, unit: str | None) -> str:
    """'1.0' + '% of GDP' -> '1.0% of GDP'; '5' + 'sites' -> '5 sites'; '783.3' + 'US$ bn' -> 'US$783.3 bn'."""
    if not unit:
        return text
    if unit.startswith("%"):
        return f"{text}{unit}"
    money = _CURRENCY.match(unit)
    if money:
        symbol, rest = money.groups()
        sep = " " if symbol.isalpha() else ""
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{symbol}{sep}{digits}{' ' + rest if rest else ''}"
    return f"{text} {unit}"


def _subject(title: str, unit: str | None) -> str:
    """The title as the subject of a sentence: a trailing unit (', % of GDP', ' (US$ bn)') dropped."""
    if unit:
        for tail in (f", {unit}", f" ({unit})", f" in {unit}", f", in {unit}"):
            if title.lower().endswith(tail.lower()) and len(title) > len(tail):
                return title[: -len(tail)].rstrip(" ,")
    return title.rstrip(" .")


def _trend(first: float, last: float, w: Words) -> str:
    return w["rises"] if last > first else w["falls"] if last < first else w["level"]


def _kind(kind: str, w: Words, stacked: bool = False) -> str:
    """'Line chart', 'Column chart, stacked' — in the words' language."""
    return w[f"chart_{kind}"] + (f", {w['stacked']}" if stacked else "")


def _line(chart: Chart, d: int, w: Words, kind: str = "line") -> list[str]:
    """Sentences for a line (or area) chart: each series from its first to its last value; the plan and the target."""
    cats, unit = chart.categories, chart.unit
    p = cats.index(chart.projected_from) if chart.projected_from in cats else None
    t = chart.target.value if chart.target else None
    if t is not None and chart.decimals is None:  # a target like 2.5 on whole-number data keeps its decimals
        d = max(d, _needed(t))
    v = lambda x: with_unit(w.number(x, d), unit)  # noqa: E731
    single = len(chart.series) == 1
    name = _kind(kind, w, kind == "area" and chart.stacked and not single)
    parts = [] if single else [f"{name}: {plain(chart.title)}."]
    target_said = False
    for s in chart.series[:4]:
        vals = s.values
        who = f"{name}: {_subject(plain(chart.title), unit)}" if single else plain(s.name)
        hit = t is not None and vals[-1] == t
        end = w("target_value", value=v(vals[-1])) if hit else v(vals[-1])
        target_said = target_said or hit
        if p is not None and p > 0:
            last_actual = vals[p - 1]
            parts.append(w("from_to_plan", who=who, trend=_trend(vals[0], last_actual, w), first=v(vals[0]), start=cats[0],
                           last=v(last_actual), end=cats[p - 1], plan=end, final=cats[-1]))
        else:
            parts.append(w("from_to", who=who, trend=_trend(vals[0], vals[-1], w), first=v(vals[0]), start=cats[0],
                           last=end, end=cats[-1]))
    if len(chart.series) > 4:
        parts.append(w("more_series", count=len(chart.series) - 4))
    if p == 0:
        parts.append(w["all_planned"])
    if chart.target and not (single and target_said):
        parts.append(w("reference_line", value=v(chart.target.value), label=plain(chart.target.label)))
    return parts


def _scatter(chart: Chart, d: int, w: Words) -> list[str]:
    """Sentences for a scatter chart: what the axes measure, then each labelled point (x, y), at most 8."""
    dx = chart.decimals if chart.decimals is not None else max((_needed(p.x) for p in chart.points), default=0)
    title = plain(chart.title)
    parts = [f"{_kind('scatter', w)}: {title}{'' if title.endswith('.') else '.'}"]
    if chart.x_unit or chart.unit:
        parts.append(w("axes", x=chart.x_unit or "x", y=chart.unit or "y"))
    shown = "; ".join(
        f"{plain(p.label)} {w.number(p.x, dx)}, {with_unit(w.number(p.y, d), chart.unit)}" for p in chart.points[:8]
    )
    more = "; " + w("and_more", count=len(chart.points) - 8) if len(chart.points) > 8 else ""
    parts.append(shown + more + ".")
    if chart.target:
        parts.append(w("reference_line", value=with_unit(w.number(chart.target.value, d), chart.unit), label=plain(chart.target.label)))
    return parts


def _bars(chart: Chart, d: int, w: Words) -> list[str]:
    """Sentences for a column or bar chart: the values per category (totals for stacks), in drawing order."""
    cats, unit = list(chart.categories), chart.unit
    order = list(range(len(cats)))
    if chart.kind == "bar" and chart.sort:
        order.sort(key=lambda j: -chart.series[0].values[j])
    v = lambda x: with_unit(w.number(x, d), unit)  # noqa: E731
    stacked = chart.stacked and len(chart.series) > 1
    kind = _kind(chart.kind, w, stacked)
    parts = [f"{kind}: {plain(chart.title)}{'.' if not plain(chart.title).endswith('.') else ''}"]
    if chart.kind == "bar" and chart.sort:
        parts.append(w["largest_first"])
    if stacked:
        shown = []
        for j in order[:8]:
            pieces = ", ".join(f"{plain(s.name)} {w.number(s.values[j], d)}" for s in chart.series if s.values[j] != 0)
            shown.append(f"{cats[j]}: {v(sum(s.values[j] for s in chart.series))} ({pieces})")
        more = "; " + w("and_more", count=len(order) - 8) if len(order) > 8 else ""
        parts.append("; ".join(shown) + more + ".")
        if chart.target:
            parts.append(w("reference_line", value=v(chart.target.value), label=plain(chart.target.label)))
        return parts
    for s in chart.series[:4]:
        shown = ", ".join(f"{cats[j]} {v(s.values[j])}" for j in order[:8])
        more = ", " + w("and_more", count=len(order) - 8) if len(order) > 8 else ""
        parts.append(f"{plain(s.name)}: {shown}{more}." if len(chart.series) > 1 else f"{shown}{more}.")
    if len(chart.series) > 4:
        parts.append(w("more_series", count=len(chart.series) - 4))
    if chart.target:
        parts.append(w("reference_line", value=v(chart.target.value), label=plain(chart.target.label)))
    return parts


def describe(chart: Chart, words: Words = Words()) -> str:
    """The chart's alt text: the outline's `alt`, else one sentence (or a few) generated from the data, in the
    words' language.

    E.g. "Line chart: Japan's defence spending rises from 1.0% of GDP in 2022 to a 2.0% of GDP target in 2027."
    """
    if chart.alt:
        return plain(chart.alt)
    d = decimals_of(chart)
    if any(len(s.values) != len(chart.categories) for s in chart.series):  # not drawable; say what it is about
        return f"{_kind(chart.kind, words)}: {plain(chart.title)}."
    if chart.kind == "scatter":
        return " ".join(_scatter(chart, d, words))
    parts = _line(chart, d, words, chart.kind) if chart.kind in ("line", "area") else _bars(chart, d, words)
    return " ".join(parts)
