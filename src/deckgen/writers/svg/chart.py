"""A native chart of the deck plan (ChartPlan) drawn in SVG for the preview: axes, grid, bars, lines, areas, points,
a target line, the legend — the same data and colours as the editable chart, drawn simply."""
from __future__ import annotations

import math

from ...layout.slides import ChartPlan, Frame
from .canvas import Canvas

GRID, AXIS, TEXT = "D9D9D9", "A6A6A6", "404040"
SIZE = 14.0  # pt: axis, data labels and legend text (the native chart's CHART_TEXT)


def nice_axis(lo: float, hi: float) -> tuple[float, float, float]:
    """A value axis (minimum, maximum, step) with round steps that holds lo..hi and zero."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi = lo + 1
    raw = (hi - lo) / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _fmt(v: float, fmt: str = "General") -> str:
    """A number as the chart's number format shows it ('0.0' one decimal, '#,##0' thousands; General: as it is)."""
    if "." in fmt:
        decimals = len(fmt.split(".")[1].rstrip("%").split(";")[0].replace("#", "0").rstrip('"').split('"')[0].strip())
        return f"{v:,.{min(decimals, 4)}f}"
    if "0" in fmt:
        return f"{v:,.0f}"
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}".rstrip("0").rstrip(".")


def draw_chart(c: Canvas, cp: ChartPlan, f: Frame, series_colours: bool = True) -> None:
    """Draw the chart in frame f."""
    legend_h = 22.0 if cp.legend else 0.0
    if cp.kind == "scatter":
        _scatter(c, cp, f)
        return
    values = [v for s in cp.series for v in s.values if v is not None]
    if cp.stacked and values:
        sums = [sum(s.values[i] or 0 for s in cp.series if s.role == "data") for i in range(len(cp.categories))]
        values += sums
    lo, hi, step = cp.axis or nice_axis(min(values, default=0.0), max(values, default=1.0))
    if cp.target:
        hi = max(hi, cp.target[0])
    horizontal = cp.kind == "bar"
    cat_room = 110.0 if horizontal else 30.0
    left = f.x + (cat_room if horizontal else 48.0)
    bottom = f.y + f.h - legend_h - (30.0 if horizontal else cat_room)
    plot = Frame(left, f.y + 12, f.x + f.w - 16 - left, bottom - f.y - 12)
    n = max(len(cp.categories), 1)

    def pos(v: float) -> float:  # value -> coordinate along the value axis
        t = (v - lo) / (hi - lo) if hi != lo else 0
        return plot.x + t * plot.w if horizontal else plot.y + plot.h - t * plot.h

    # grid and value labels
    k = 0
    while lo + k * step <= hi + 1e-9 and k < 40:
        v = lo + k * step
        if horizontal:
            if cp.gridlines:  # (none when every bar carries its value label, as in the native chart)
                c.line(pos(v), plot.y, pos(v), plot.y + plot.h, GRID, 0.75)
            c.text(pos(v), plot.y + plot.h + SIZE + 4, _fmt(v, cp.axis_format), SIZE, TEXT, anchor="middle")
        else:
            if cp.gridlines:
                c.line(plot.x, pos(v), plot.x + plot.w, pos(v), GRID, 0.75)
            c.text(plot.x - 6, pos(v) + SIZE * 0.35, _fmt(v, cp.axis_format), SIZE, TEXT, anchor="end")
        k += 1
    band = (plot.h if horizontal else plot.w) / n
    if cp.plan_from is not None and not horizontal:  # the planned categories on a shaded band headed "Plan"
        x0 = plot.x + band * cp.plan_from
        c.rect(Frame(x0, plot.y, plot.x + plot.w - x0, plot.h), "EDEEF0")
        c.text(x0 + 8, plot.y + SIZE + 2, cp.plan_label, SIZE, "6E7480", italic=True)
    order = list(range(n))
    if horizontal and cp.first_category_on_top:
        pass  # drawn top to bottom in the order given
    elif horizontal:
        order.reverse()
    for i, name in enumerate(cp.categories):
        slot = order[i]
        if horizontal:
            c.text(plot.x - 6, plot.y + band * (slot + 0.5) + SIZE * 0.35, name, SIZE, TEXT, anchor="end")
        else:
            step_n = max(1, math.ceil(n * 40 / max(plot.w, 1)))  # thin the labels where they would crowd
            if i % step_n == 0:
                c.text(plot.x + band * (slot + 0.5), plot.y + plot.h + SIZE + 4, name, SIZE, TEXT, anchor="middle")
    data = [s for s in cp.series if s.role == "data"]
    if cp.kind in ("column", "bar"):
        groups = 1 if cp.stacked else max(len(data), 1)
        width = band * 0.7 / groups
        base = [0.0] * n
        for si, s in enumerate(data):
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                slot = order[i]
                start = base[i] if cp.stacked else 0.0
                end = start + v
                a, b = sorted((pos(start), pos(end)))
                off = band * 0.15 + (0 if cp.stacked else si * width)
                hidden = si < len(cp.hidden_labels) and i in cp.hidden_labels[si]
                label = cp.data_labels and not hidden and (v != 0 or not cp.stacked)
                text = _fmt(v, cp.number_format)
                if horizontal:
                    c.rect(Frame(a, plot.y + band * slot + off, max(b - a, 0.5), width), s.colour)
                    y = plot.y + band * slot + off + width / 2 + SIZE * 0.35
                    if label and cp.stacked:
                        c.text((a + b) / 2, y, text, SIZE, "FFFFFF", anchor="middle")
                    elif label:
                        c.text(b + 4, y, text, SIZE, TEXT)
                else:
                    c.rect(Frame(plot.x + band * slot + off, a, width, max(b - a, 0.5)), s.colour)
                    x = plot.x + band * slot + off + width / 2
                    if label and cp.stacked:
                        c.text(x, (a + b) / 2 + SIZE * 0.35, text, SIZE, "FFFFFF", anchor="middle")
                    elif label:
                        c.text(x, a - 4, text, SIZE, TEXT, anchor="middle")
                if cp.stacked:
                    base[i] = end
        if cp.stacked and cp.data_labels:  # totals above the stacks of two or more parts
            for i in range(n):
                parts = [s.values[i] for s in data if i < len(s.values) and s.values[i]]
                if len(parts) >= 2:
                    end = pos(base[i])
                    mid = band * (order[i] + 0.5)
                    if horizontal:
                        c.text(end + 4, plot.y + mid + SIZE * 0.35, _fmt(base[i], cp.number_format), SIZE, TEXT, bold=True)
                    else:
                        c.text(plot.x + mid, end - 5, _fmt(base[i], cp.number_format), SIZE, TEXT, bold=True, anchor="middle")
    else:  # line, area
        for s in cp.series:
            pts = [(plot.x + band * (order[i] + 0.5), pos(v)) for i, v in enumerate(s.values) if v is not None]
            if not pts:
                continue
            if cp.kind == "area" and s.role == "data":
                path = " ".join(f"{x:.2f},{y:.2f}" for x, y in pts)
                c.raw(f'<polygon points="{pts[0][0]:.2f},{pos(max(lo, 0)):.2f} {path} {pts[-1][0]:.2f},{pos(max(lo, 0)):.2f}" '
                      f'fill="#{s.colour}" fill-opacity="0.8"/>')
            else:
                dash = ' stroke-dasharray="6 4"' if s.dashed or s.role != "data" else ""
                path = " ".join(f"{x:.2f},{y:.2f}" for x, y in pts)
                c.raw(f'<polyline points="{path}" fill="none" stroke="#{s.colour}" stroke-width="2.25"{dash}/>')
                if s.role == "data":
                    for x, y in pts:
                        c.raw(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3" fill="#{s.colour}"/>')
    if cp.target:
        v, label = cp.target
        c.line(pos(v), plot.y, pos(v), plot.y + plot.h, "C8102E", 1.5, dash=True) if horizontal else \
            c.line(plot.x, pos(v), plot.x + plot.w, pos(v), "C8102E", 1.5, dash=True)
        c.text(pos(v) + 4 if horizontal else plot.x + plot.w, plot.y + 10 if horizontal else pos(v) - 4, label, SIZE, "C8102E",
               anchor="start" if horizontal else "end")
    c.line(plot.x, plot.y, plot.x, plot.y + plot.h, AXIS, 0.75)
    c.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, AXIS, 0.75)
    if cp.legend:
        _legend(c, [(s.name, s.colour) for s in cp.series if s.role == "data"], f.x + f.w / 2, f.y + f.h - 6)


def _scatter(c: Canvas, cp: ChartPlan, f: Frame) -> None:
    xs = [p[1] for p in cp.points] or [0.0]
    ys = [p[2] for p in cp.points] or [0.0]
    x0, x1, xs_ = cp.x_axis or nice_axis(min(xs), max(xs))
    y0, y1, ys_ = cp.axis or nice_axis(min(ys), max(ys))
    plot = Frame(f.x + 48, f.y + 12, f.w - 64, f.h - 50)

    def px(v: float) -> float:
        return plot.x + (v - x0) / ((x1 - x0) or 1) * plot.w

    def py(v: float) -> float:
        return plot.y + plot.h - (v - y0) / ((y1 - y0) or 1) * plot.h

    k = 0
    while y0 + k * ys_ <= y1 + 1e-9 and k < 40:
        c.line(plot.x, py(y0 + k * ys_), plot.x + plot.w, py(y0 + k * ys_), GRID, 0.75)
        c.text(plot.x - 6, py(y0 + k * ys_) + 4, _fmt(y0 + k * ys_), SIZE, TEXT, anchor="end")
        k += 1
    k = 0
    while x0 + k * xs_ <= x1 + 1e-9 and k < 40:
        c.text(px(x0 + k * xs_), plot.y + plot.h + SIZE + 4, _fmt(x0 + k * xs_), SIZE, TEXT, anchor="middle")
        k += 1
    colour = cp.series[0].colour if cp.series else "1F3A5F"
    for label, x, y in cp.points:
        c.raw(f'<circle cx="{px(x):.2f}" cy="{py(y):.2f}" r="4" fill="#{colour}"/>')
        c.text(px(x) + 6, py(y) - 4, label, SIZE, TEXT)
    c.line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, AXIS, 0.75)


def _legend(c: Canvas, items: list[tuple[str, str]], cx: float, y: float) -> None:
    widths = [c.fonts.width(name, SIZE) + 22 for name, _ in items]
    x = cx - sum(widths) / 2
    for (name, colour), w in zip(items, widths):
        c.rect(Frame(x, y - 9, 9, 9), colour)
        c.text(x + 13, y, name, SIZE, TEXT)
        x += w
