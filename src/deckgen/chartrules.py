"""Chart decisions the deck and the brief share (pure, no format library): so both products show the same thing.

- `segment_labels`: which segments of a stacked chart carry a value label — one rule, applied by the deck's native
  chart and the brief's vector chart alike, so a segment too small for its text is unlabelled in both.
- `nice_scale`: value-axis limits and step (the deck fixes its axes with it; a target or plan band needs them known).
- `place_labels`: where each scatter point's label goes (right, left, above, below) so labels do not overlap.
- `axis_format_decimals`: decimals of the value-axis labels, independent of the data labels' `decimals`.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .alttext import format_value

# A stacked segment carries its label only when it is at least this share of the largest stack (columns: the
# label's height; at the products' sizes — deck 14 pt labels on ~300 pt, brief 9 pt on ~150 pt — 9% holds a line).
MIN_SEGMENT_SHARE = 0.09
# Horizontal segments (stacked bars) must hold the label's width: a share per character of the label, plus padding.
CHAR_SHARE = 0.03


def segment_share_needed(label: str, horizontal: bool) -> float:
    """The share of the largest stack a segment needs to carry `label`."""
    if not horizontal:
        return MIN_SEGMENT_SHARE
    return max(MIN_SEGMENT_SHARE, CHAR_SHARE * (len(label) + 1))


def segment_labels(values: Sequence[Sequence[float]], decimals: int, horizontal: bool) -> list[list[bool]]:
    """For each series and category of a stacked chart: True when the segment shows its value label.

    A zero segment has no size; any other needs `segment_share_needed` of the largest stack (the sum of a
    category's values)."""
    n = max((len(v) for v in values), default=0)
    largest = max((sum(vals[j] for vals in values if j < len(vals)) for j in range(n)), default=0.0) or 1.0
    out: list[list[bool]] = []
    for vals in values:
        row = []
        for v in vals:
            label = format_value(v, decimals)
            row.append(v != 0 and abs(v) / largest >= segment_share_needed(label, horizontal))
        out.append(row)
    return out


def nice_scale(lo: float, hi: float, most: int = 6, zero: bool = True) -> tuple[float, float, float]:
    """(minimum, maximum, step) of a value axis covering lo..hi with at most `most` steps of 1, 2, 2.5 or 5 x 10^k;
    with `zero` the axis takes in 0."""
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi = lo + 1.0
    raw = (hi - lo) / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    low = math.floor(lo / step + 1e-9) * step
    high = math.ceil(hi / step - 1e-9) * step
    return _tidy(low), _tidy(high), _tidy(step)


def _tidy(x: float) -> float:
    return float(f"{x:.10g}") + 0.0


def axis_format_decimals(step: float, axis_decimals: int | None) -> int:
    """Decimals of the value-axis labels: the chart's `axis_decimals`, else the fewest that show every step."""
    if axis_decimals is not None:
        return axis_decimals
    for d in range(7):
        if abs(round(step, d) - step) < 1e-9 * max(1.0, abs(step)):
            return d
    return 6


POSITIONS = ("right", "left", "above", "below")


def place_labels(
    points: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]], box: tuple[float, float], gap: float,
    marker: float = 3.0, avoid: Sequence[tuple[float, float, float, float]] = (),
) -> list[str]:
    """Where each point's label goes, in order: the first of right, left, above, below whose box stays inside `box`
    (width, height in points, y up) and overlaps neither an earlier label, any point nor an `avoid` box (x0, y0, x1,
    y1: a target line and its name); else the least crowded.

    `points` are in points from the plot's lower left; `sizes` the labels' (width, height) in points."""

    def rect(i: int, pos: str) -> tuple[float, float, float, float]:
        (x, y), (w, h) = points[i], sizes[i]
        if pos == "right":
            return (x + gap, y - h / 2, x + gap + w, y + h / 2)
        if pos == "left":
            return (x - gap - w, y - h / 2, x - gap, y + h / 2)
        if pos == "above":
            return (x - w / 2, y + gap, x + w / 2, y + gap + h)
        return (x - w / 2, y - gap - h, x + w / 2, y - gap)

    def overlap(a, b) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    dots = [(x - marker, y - marker, x + marker, y + marker) for x, y in points]
    placed: list[tuple[float, float, float, float]] = list(avoid)
    out: list[str] = []
    for i in range(len(points)):
        best, best_cost = POSITIONS[0], math.inf
        for pos in POSITIONS:
            r = rect(i, pos)
            outside = max(0.0, -r[0]) + max(0.0, r[2] - box[0]) + max(0.0, -r[1]) + max(0.0, r[3] - box[1])
            cost = sum(overlap(r, p) for p in placed) + sum(overlap(r, d) for j, d in enumerate(dots) if j != i) + 10 * outside
            if cost < best_cost - 1e-9:
                best, best_cost = pos, cost
            if cost == 0:
                break
        placed.append(rect(i, best))
        out.append(best)
    return out


def column_labels_problem(categories: Sequence[str], width: float, size: float, width_of: Callable[[str], float],
                          kind: str) -> str | None:
    """Why a column (or area) chart `width` pt wide cannot show every category label at `size` pt, else None.

    As the brief's renderer places them: a label wraps at spaces within its slot, then turns upright (two lines at
    most across the slot); past that only every k-th would show, which the outline must hear about."""
    n = len(categories)
    if kind not in ("column", "area") or n == 0:
        return None
    slot = (width - 48) / (n - 1 if kind == "area" and n > 1 else n)  # (the value axis's labels take ~40 pt)
    longest_word = max((width_of(w) for c in categories for w in c.split()), default=0.0)
    if longest_word <= slot - 4:
        return None  # as is, or wrapped
    lines = 2 if any(" " in c for c in categories) else 1
    if kind == "column" and 1.2 * size * lines <= slot - 2:
        return None  # turned upright
    return (f"the {n} category labels do not all fit a {width:g} pt wide chart (some would be left out)"
            " — use kind: bar, shorten the labels or show fewer categories")
