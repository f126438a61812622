"""Tables in both products from one spec (pure): cells formatted as the outline's language prints numbers, number
columns right-aligned (every cell of a column has the column's decimals, so right-aligned is aligned on the decimal
point), the unit in the header, the total row, column widths from the measured content, and the deck's table slides
split onto (cont.) slides with the header row repeated."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..inline import Run, plain
from ..model import Loc, Table, column_kinds
from ..words import Words, words_for
from .slides import cont, MIN_TEXT, SOURCE_SIZE, Frame, TableLine, TablePlan, TableSlide
from .split import split
from .text import one_line, runs

Align = Literal["left", "right"]

MISSING = "\u2013"  # an empty cell of a number column: an en dash ("no value")
MAX_DECIMALS = 6

# the deck's table: cell insets (PowerPoint's own defaults), the smallest text size a table steps down to
DECK_PAD_X, DECK_PAD_Y = 7.2, 3.6
DECK_MIN_SIZE = 12.0
DECK_ONE_SLIDE_STEP = 4.0  # a table that fits one slide at most this much smaller is set smaller rather than split


@dataclass(frozen=True)
class GridRow:
    """One row of formatted cells; `key` highlighted, `total` the total row."""

    cells: tuple[str, ...]
    key: bool = False
    total: bool = False


@dataclass(frozen=True)
class Grid:
    """A table as text: header cells (unit included), alignment and number-ness per column, body rows (the total last)."""

    header: tuple[str, ...]
    align: tuple[Align, ...]
    numeric: tuple[bool, ...]
    rows: tuple[GridRow, ...]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_YEAR_HEADER = re.compile(r"\b(year|years|rok|lata|jahr|année|annee|fy)\b", re.I)


def is_number(cell: object) -> bool:
    """Whether a cell is a number: a float, or text that is digits only with an optional sign, decimal point and
    exponent (the outline's YAML is read as text; no thousands separators, units or %)."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return True
    return isinstance(cell, str) and bool(_NUMBER.match(cell.strip()))


def number_value(cell: object) -> float:
    return float(cell.strip()) if isinstance(cell, str) else float(cell)  # type: ignore[arg-type]


def _is_years(header: str, cells: list) -> bool:
    """A column of years (integers from 1000 to 2999, or a header that says 'year'): text, never '2,024'."""
    values = [number_value(v) for v in cells]
    whole = all(v == int(v) and not (isinstance(c, str) and "." in c) for v, c in zip(values, cells))
    return whole and (all(1000 <= v <= 2999 for v in values) or bool(_YEAR_HEADER.search(header)))


def numeric_columns(table: Table) -> tuple[bool, ...]:
    """Which columns are number columns: the model's rule (model.column_kinds: kind number, or auto with every
    filled cell a number and not the first, label column), and not a column of years."""
    out = []
    for c, (col, kind) in enumerate(zip(table.columns, column_kinds(table))):
        cells = [r.cells[c] for r in table.rows if c < len(r.cells) and r.cells[c] not in (None, "")]
        out.append(kind == "number" and (col.kind == "number" or not _is_years(col.name, cells)))
    return tuple(out)


def _decimals_of(value: object) -> int:
    """The decimals a value is written with ('12.50' has 2; a float its shortest repr's)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if "e" not in text:
            return min(MAX_DECIMALS, len(text.split(".", 1)[1])) if "." in text else 0
        value = float(text)
    text = repr(float(value))  # type: ignore[arg-type]
    if "e" in text or "E" in text:
        text = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
    return min(MAX_DECIMALS, len(text.split(".", 1)[1].rstrip("0"))) if "." in text else 0


def column_decimals(table: Table, c: int) -> int:
    """The decimals of a number column: its `decimals`, else as many as its most precise value has (at most 6)."""
    col = table.columns[c]
    if col.decimals is not None:
        return col.decimals
    values = [r.cells[c] for r in table.rows if c < len(r.cells) and is_number(r.cells[c])]
    return max((_decimals_of(v) for v in values), default=0)


def header_text(table: Table, c: int) -> str:
    col = table.columns[c]
    name = one_line(plain(col.name))
    return f"{name} ({one_line(plain(col.unit))})" if col.unit else name


def grid(table: Table, words: Words | str) -> Grid:
    """The table's cells as printed in the words' language (or a language tag's): numbers with their column's decimals and the language's
    separators, an en dash for an empty number cell, the total row (label in the first column, sums of the other
    number columns) last."""
    words = Words(words) if isinstance(words, str) else words
    numeric = numeric_columns(table)
    n = len(table.columns)
    decimals = [column_decimals(table, c) if numeric[c] else 0 for c in range(n)]

    def text(c: int, cell: object) -> str:
        if cell is None:
            return MISSING if numeric[c] else ""
        if numeric[c] and is_number(cell):
            return words.number(number_value(cell), decimals[c])
        if is_number(cell) and not isinstance(cell, str):  # a float in a text column: as short as it can be written
            return words.number(float(cell), _decimals_of(cell))
        return one_line(plain(str(cell)))

    rows = [GridRow(tuple(text(c, r.cells[c] if c < len(r.cells) else None) for c in range(n)), key=r.key)
            for r in table.rows]
    if table.total is not False and n:
        label = words["total"] if table.total is True else one_line(plain(str(table.total)))
        cells = [label]
        for c in range(1, n):
            values = [r.cells[c] for r in table.rows if c < len(r.cells) and is_number(r.cells[c])]
            cells.append(words.number(sum(map(number_value, values)), decimals[c]) if numeric[c] and values else "")
        rows.append(GridRow(tuple(cells), total=True))
    align: tuple[Align, ...] = tuple("right" if num else "left" for num in numeric)
    return Grid(tuple(header_text(table, c) for c in range(n)), align, numeric, tuple(rows))


# ---------------------------------------------------------------- column widths

Measure = Callable[[str, bool], float]  # (text, bold) -> width in pt at the table's size


def natural_and_least(g: Grid, measure: Measure, pad: float) -> tuple[list[float], list[float]]:
    """Per column: the width that sets every cell on one line, and the least width (number cells and the longest
    word never break; headers and text cells wrap between words); `pad` is a cell's left plus right inset."""
    natural, least = [], []
    for c in range(len(g.header)):
        cells = [(g.header[c], True)] + [(r.cells[c], r.key or r.total) for r in g.rows]
        natural.append(max(measure(t, b) for t, b in cells) + pad)
        longest = max((measure(w, b) for t, b in cells for w in t.split()), default=0.0)
        if g.numeric[c]:
            longest = max([longest] + [measure(t, b) for t, b in cells[1:]])
        least.append(longest + pad)
    return natural, least


def fit_widths(natural: list[float], least: list[float], width: float, numeric: tuple[bool, ...] = (),
               stretch: bool = True) -> list[float] | None:
    """Column widths that fill `width` (or, unless `stretch`, only what the content needs): the natural widths with
    the rest of the width shared in proportion to them, text columns taking twice their share (number columns stay
    narrow); where they do not fit, the least widths with what is left shared in proportion to how much more each
    column would take; None when not even the least widths fit."""
    if not natural:
        return []
    if sum(natural) <= width:
        if not stretch:
            return [round(w, 2) for w in natural]
        extra = width - sum(natural)
        grow = [w * (1 if c < len(numeric) and numeric[c] else 2) for c, w in enumerate(natural)]
        total = sum(grow)
        return [round(w + extra * g / total, 2) for w, g in zip(natural, grow)]
    if sum(least) > width + 1e-6:
        return None
    want = [n - m for n, m in zip(natural, least)]
    room = width - sum(least)
    total = sum(want) or 1.0
    return [round(m + room * w / total, 2) for m, w in zip(least, want)]


# ---------------------------------------------------------------- the deck: table slides


def table_slides(p, table: Table, index: int, extra_notes: str = "") -> list[TableSlide]:
    """The table as native table slides (the deck planner `p` measures): the largest text size up to the template's
    second level (and the theme's smallest body size) at which the columns fit the width, each row as tall as its most wrapped cell, the rows cut across
    (cont.) slides with the header repeated and the total row kept with the last row."""

    geo, st = p.geo, p.geo.style
    loc: Loc = ("tables", index)
    label = words_for(p.outline)
    g = grid(table, label)
    area = geo.chart if table.source else Frame(geo.body.x, geo.body.y, geo.body.w, geo.body.h)
    line_em = p.fonts.line_em
    pad = 2 * DECK_PAD_X

    def layout_at(size: float):
        def measure(text: str, bold: bool) -> float:
            return p.fonts.width(text, size, bold=bold) / 0.97 + 0.5  # (FIT_SLACK: as the planner measures)

        natural, least = natural_and_least(g, measure, pad)
        widths = fit_widths(natural, least, area.w, g.numeric)
        return widths, least

    def row(cells: tuple[str, ...], widths: list[float], size: float, bold: bool, **marks) -> TableLine:
        lines = max((max(1, p.lines((Run(t),), size, w - pad, bold)) if t else 1 for t, w in zip(cells, widths)), default=1)
        return TableLine(cells, round(lines * size * line_em + 2 * DECK_PAD_Y, 2), **marks)

    # the template's second level, at most the theme's smallest body size (a template's 28 pt sub-bullets would
    # give a table a row a slide)
    top = min(float(st.sizes[1]), float(p.theme.deck_min_body_size))
    size, widths = top, None
    while True:
        widths, least = layout_at(size)
        if widths is not None or size <= DECK_MIN_SIZE:
            break
        size -= 1.0
    if widths is None:  # too many columns even at the smallest size: shrink the least widths to the frame
        p.warn(loc + ("columns",), f"the table's {len(g.header)} columns are too wide for a slide even at "
               f"{DECK_MIN_SIZE:g} pt — drop columns, shorten the headers or split the table")
        k = area.w / sum(least)
        widths = [round(w * k, 2) for w in least]

    def lines_at(size: float, widths: list[float]):
        header = row(g.header, widths, size, True)
        body = [row(r.cells, widths, size, r.key or r.total, key=r.key, total=r.total) for r in g.rows]
        return header, body

    header, body = lines_at(size, widths)
    cap = area.h - header.height
    if sum(r.height for r in body) > cap:  # a little smaller rather than a (cont.) slide
        smaller = size - 1.0
        while smaller >= max(DECK_MIN_SIZE, size - DECK_ONE_SLIDE_STEP):
            w2, _ = layout_at(smaller)
            if w2 is not None:
                h2, b2 = lines_at(smaller, w2)
                if sum(r.height for r in b2) <= area.h - h2.height:
                    size, widths, header, body, cap = smaller, w2, h2, b2, area.h - h2.height
                    break
            smaller -= 1.0
    plain_rows = [r for r in body if not r.total]
    totals = [r for r in body if r.total]
    heights = [r.height for r in plain_rows]
    if totals and heights:
        heights[-1] += totals[0].height  # the total row stays with the last row
    if any(h > cap for h in heights):
        p.warn(loc + ("rows",), "a row of the table is too tall for a slide — shorten its cells")
    chunks = split(heights, cap, 10_000) if plain_rows else [[]]

    source = ()
    size_src = SOURCE_SIZE
    if table.source:
        source = (Run(label["source"] + " "),) + runs(table.source)
        width = geo.source.w - 2 * st.inset
        if p.ctx.template is not None:
            while size_src > MIN_TEXT and p.lines(source, size_src, width) > 2:
                size_src -= 1.0
        if p.lines(source, size_src, width) > 2:
            p.warn(loc + ("source",), "the source line is longer than two lines under the table — shorten it")
    notes = "\n\n".join(x for x in (extra_notes, plain(table.notes) if table.notes else "",
                                    f"{label['source']} {plain(table.source)}" if table.source else "") if x)
    alt = label("table_alt", title=one_line(plain(table.title)), rows=len(plain_rows) + len(totals),
                columns="; ".join(c for c in header.cells if c))
    out = []
    for k, chunk in enumerate(chunks):
        rows = tuple(plain_rows[i] for i in chunk) + (tuple(totals) if k == len(chunks) - 1 else ())
        height = header.height + sum(r.height for r in rows)
        plan = TablePlan(table_id=table.id, frame=Frame(area.x, area.y, round(sum(widths), 2), round(height, 2)),
                         widths=tuple(widths), align=g.align, header=header, rows=rows, size=size,
                         pad_x=DECK_PAD_X, pad_y=DECK_PAD_Y, alt=alt)
        title = runs(table.title) + cont(label, k)
        out.append(TableSlide(title=title, table=plan, source=source, source_size=size_src, notes=notes if k == 0 else "",
                              continued=k > 0, loc=loc))
    return out
