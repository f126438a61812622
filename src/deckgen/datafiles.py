"""Data kept in files beside the outline (.csv, .xlsx): read safely into a grid, then into a chart's or table's data.

`read()` resolves the file with the asset rules (inside the outline's folder, no `..`, no absolute paths, no
symlinks out, size caps), and returns a `Grid` of cells as written; `chart_data()`, `scatter_data()` and
`table_data()` turn a grid into the values the model takes, with every bad cell reported as an `Issue` (row and
column of the grid) rather than an exception, so the loader can report them all at once.

Why `csv` and `openpyxl`: the standard library reads CSV exactly (quoting, multi-line cells) and openpyxl is the
reference reader of .xlsx in pure Python. A workbook is opened with `read_only=True` (streamed: memory stays bounded
whatever the file's size, and reading stops after the row limit) and `data_only=True` (a formula gives the value
the spreadsheet last saved — the figure the author sees — and no formula is ever evaluated by deckgen).
"""
from __future__ import annotations

import datetime as _dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import assets
from .errors import AssetError
from .model import MAX_CATEGORIES, MAX_SERIES, number

KINDS = ("csv", "xlsx")
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_XLSX_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS = MAX_CATEGORIES + 1  # a header row and at most MAX_CATEGORIES rows of data
MAX_COLUMNS = MAX_SERIES + 1  # a label column and at most MAX_SERIES columns of values
_SCAN_ROWS = 20_000  # rows looked at (empty ones included) before a sheet is refused as too long

Value = str | float | None  # a cell as read: text as written, a number (.xlsx numeric cells), or empty


@dataclass(frozen=True)
class Issue:
    """A problem with one cell (row, col: 0-based in the grid), one row (col None) or the whole data (both None)."""

    row: int | None
    col: int | None
    message: str


@dataclass(frozen=True)
class Grid:
    """The cells of a data file or of a range of a sheet, trimmed of empty rows and columns around them."""

    file: str  # as the outline names it
    sheet: str | None  # .xlsx: the sheet read
    rows: tuple[tuple[Value, ...], ...]
    top: int  # sheet row (1-based) of rows[0]
    left: int  # sheet column (1-based) of rows[i][0]
    lines: tuple[int, ...] = ()  # CSV: the line each row starts on (a quoted cell may hold line breaks)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> str:
        """The spreadsheet name of a grid cell, e.g. 'C4'."""
        return f"{column_letter(self.left + col)}{self.top + row}"

    def where(self, row: int, col: int | None) -> str:
        """'cell C4' (or 'row 4') with, for a workbook, its file and sheet: 'figures.xlsx, sheet Spending, cell C4'."""
        place = f"row {self.top + row}" if col is None else f"cell {self.cell(row, col)}"
        return f"{self.file}, sheet {self.sheet}, {place}" if self.sheet is not None else place

    def line_col(self, row: int, col: int | None) -> tuple[int, int]:
        """CSV: the line and the field number (1-based) of a grid cell."""
        line = self.lines[row] if row < len(self.lines) else self.top + row
        return line, self.left + (col or 0)


def column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6}):\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def parse_range(text: str) -> tuple[int, int, int, int]:
    """'B2:D9' → (top, left, bottom, right), 1-based and inclusive; raises ValueError with the fix."""
    m = _RANGE.match(text.strip())
    if not m:
        raise ValueError(f"range '{text[:40]}' is not a cell range — write its corners, e.g. A1:D9")
    left, top, right, bottom = _column_number(m.group(1)), int(m.group(2)), _column_number(m.group(3)), int(m.group(4))
    if left > right or top > bottom:
        raise ValueError(f"range '{text}' runs backwards — write the top-left corner first, e.g. "
                         f"{column_letter(min(left, right))}{min(top, bottom)}:{column_letter(max(left, right))}{max(top, bottom)}")
    if right - left + 1 > MAX_COLUMNS:
        raise ValueError(f"range '{text}' is {right - left + 1} columns wide; at most {MAX_COLUMNS} can be shown — narrow it")
    if bottom - top + 1 > MAX_ROWS:
        raise ValueError(f"range '{text}' is {bottom - top + 1} rows long; at most {MAX_ROWS} (a header and "
                         f"{MAX_CATEGORIES} rows) can be shown — shorten it")
    return top, left, bottom, right


def read(base_dir: Path, file: str, sheet: str | None = None, cell_range: str | None = None, field: str = "data") -> Grid:
    """The grid of a .csv file or a sheet of an .xlsx workbook beside the outline (the asset rules apply).

    Raises AssetError(message, field) for a file that cannot be used: missing, outside the folder, too large,
    not what its name says, an unknown sheet, a bad range, no cells, too many rows or columns."""
    path = assets.resolve(base_dir, file, field, KINDS)
    bounds = None
    if cell_range is not None:
        try:
            bounds = parse_range(cell_range)
        except ValueError as exc:
            raise AssetError(str(exc), field) from None
    if path.suffix.lower() == ".csv":
        if sheet is not None:
            raise AssetError(f"'{file}' is a CSV file, which has no sheets — remove `sheet`", field)
        data = assets.read_bytes(path, field, MAX_CSV_BYTES)
        rows, lines = _csv_rows(data, file, field)
        top, left = 1, 1
        if bounds is not None:
            top, left, bottom, right = bounds
            keep = [(r[left - 1 : right], ln) for r, ln in zip(rows[top - 1 : bottom], lines[top - 1 : bottom])]
            rows, lines = [r for r, _ in keep], [ln for _, ln in keep]
        grid = _trim(Grid(file, None, tuple(tuple(r) for r in rows), top, left, tuple(lines)), field)
    else:
        data = assets.read_bytes(path, field, MAX_XLSX_BYTES)
        grid = _trim(_xlsx_grid(data, file, sheet, bounds, field), field)
    if len(grid.rows) > MAX_ROWS:
        raise AssetError(f"'{file}' has {len(grid.rows) - 1} rows of data after its header; at most {MAX_CATEGORIES} can "
                         "be shown — give a `range` or split the data", field)
    if grid.width > MAX_COLUMNS:
        raise AssetError(f"'{file}' has {grid.width} columns; at most {MAX_COLUMNS} can be shown — give a `range`", field)
    return grid


def _csv_rows(data: bytes, file: str, field: str) -> tuple[list[list[Value]], list[int]]:
    import csv

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AssetError(f"'{file}' is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}) — save it as "
                         "'CSV UTF-8' (Excel) or 'Text CSV, UTF-8' (LibreOffice)", field) from None
    if "\x00" in text:
        raise AssetError(f"'{file}' holds NUL characters: it is not a CSV text file — export the data as CSV", field)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Value]] = []
    lines: list[int] = []
    try:
        start = 1
        for record in reader:
            rows.append([c if c.strip() else None for c in record])
            lines.append(start)
            start = reader.line_num + 1
            if len(rows) > _SCAN_ROWS:
                raise AssetError(f"'{file}' has more than {_SCAN_ROWS:,} lines; at most {MAX_CATEGORIES} rows can be "
                                 "shown — keep only the data shown", field)
    except csv.Error as exc:
        raise AssetError(f"'{file}' line {reader.line_num}: {exc} — check the quotes on that line", field) from None
    return rows, lines


def _xlsx_grid(data: bytes, file: str, sheet: str | None, bounds: tuple[int, int, int, int] | None, field: str) -> Grid:
    if assets.sniff(data) != "zip":
        raise AssetError(f"'{file}' is not an .xlsx workbook (not a ZIP package) — save it as Excel Workbook (.xlsx)", field)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > assets.MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
                raise AssetError(f"'{file}' unpacks to more than {MAX_XLSX_UNPACKED // 1024 // 1024} MB or "
                                 f"{assets.MAX_ZIP_ENTRIES} parts — save only the data in a small workbook", field)
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise AssetError(f"'{file}' is a ZIP file but not an Excel workbook — save it as Excel Workbook (.xlsx)", field)
    except zipfile.BadZipFile as exc:
        raise AssetError(f"'{file}' is a damaged ZIP package ({exc}) — re-save the workbook", field) from None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, lxml/zip errors) for damaged files
        raise AssetError(f"'{file}' cannot be read as a workbook ({type(exc).__name__}) — re-save it as .xlsx", field) from None
    try:
        names = list(wb.sheetnames)
        if sheet is None:
            if not names:
                raise AssetError(f"'{file}' has no sheets — save the data in a workbook with a sheet", field)
            sheet = names[0]
        elif sheet not in names:
            near = difflib.get_close_matches(sheet, names, n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"sheets: {', '.join(names[:10])}"
            raise AssetError(f"'{file}' has no sheet '{sheet}' — {hint}", field)
        ws = wb[sheet]
        if not hasattr(ws, "iter_rows"):
            raise AssetError(f"sheet '{sheet}' of '{file}' is a chart, not cells — name the sheet that holds the data", field)
        top, left = (bounds[0], bounds[1]) if bounds else (1, 1)
        kwargs: dict[str, Any] = {"min_row": top, "min_col": left, "values_only": True}
        if bounds:
            kwargs.update(max_row=bounds[2], max_col=bounds[3])
        else:
            kwargs.update(max_col=MAX_COLUMNS + 1)  # one more: a wider sheet is reported, not cut silently
        rows: list[tuple[Value, ...]] = []
        try:
            for i, values in enumerate(ws.iter_rows(**kwargs)):
                if i >= _SCAN_ROWS:
                    raise AssetError(f"sheet '{sheet}' of '{file}' reaches past row {_SCAN_ROWS:,} (values or formatting); at "
                                     f"most {MAX_CATEGORIES} rows can be shown — give a `range`", field)
                rows.append(tuple(_xlsx_value(v) for v in values))
        except AssetError:
            raise
        except Exception as exc:
            raise AssetError(f"sheet '{sheet}' of '{file}' cannot be read ({type(exc).__name__}) — re-save the workbook", field) from None
    finally:
        wb.close()
    return Grid(file, sheet, tuple(rows), top, left)


def _xlsx_value(v: Any) -> Value:
    """A workbook cell as deckgen keeps it: numbers as numbers, dates and the rest as text as shown."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    text = str(v)
    return text if text.strip() else None


def _trim(grid: Grid, field: str) -> Grid:
    """Drop empty rows and columns around the data (a sheet's formatting often reaches past it)."""
    rows = [list(r) for r in grid.rows]
    lines = list(grid.lines)
    filled = [i for i, r in enumerate(rows) if any(v is not None for v in r)]
    if not filled:
        where = f"sheet '{grid.sheet}' of '{grid.file}'" if grid.sheet is not None else f"'{grid.file}'"
        raise AssetError(f"{where} holds no data (in the range read) — name the file, sheet or range that holds it", field)
    first, last = filled[0], filled[-1]
    rows = rows[first : last + 1]
    lines = lines[first : last + 1] if lines else []
    cols = [j for r in rows for j, v in enumerate(r) if v is not None]
    lo, hi = min(cols), max(cols)
    rows = [r[lo : hi + 1] for r in rows]
    return Grid(grid.file, grid.sheet, tuple(tuple(r) for r in rows), grid.top + first, grid.left + lo, tuple(lines))


# --- grid → model data ---------------------------------------------------------------------------------------------

def text_of(v: Value) -> str:
    """A cell as a label: text as written; a workbook number as it reads (2024, not 2024.0)."""
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return v


def why_not_number(v: Value) -> str:
    """Why a cell is not a number, with the fix."""
    if v is None:
        return "the cell is empty — write a number (0 if it is zero); a formula with no saved value reads as empty: open and save the file in your spreadsheet"
    t = str(v).strip()
    if isinstance(v, float):
        return f"{t} is not a finite number — write a number"
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        return f"'{t[:40]}' is not a number — write it without thousands separators, e.g. {t.replace(',', '')}"
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        return f"'{t[:40]}' is not a number — write a decimal point, not a comma: {t.replace(',', '.')}"
    if re.fullmatch(r"[+-]?[\d.]+\s*%|[$€£¥]\s*[\d.]+|[\d.]+\s*[$€£¥]", t):
        return f"'{t[:40]}' is not a number — write digits only and put the unit in the outline's `unit`"
    return f"'{t[:40]}' is not a number — write digits only, e.g. 12 or 1.5"


def _rectangular(grid: Grid, width: int) -> list[Issue]:
    out = []
    for i, r in enumerate(grid.rows):
        if len(r) != width:
            out.append(Issue(i, None, f"row {grid.top + i} has {len(r)} cells but the header row has {width} — give every "
                                       "row one cell per column (an empty cell between two commas)"))
        elif i > 0 and all(v is None for v in r):
            out.append(Issue(i, None, f"row {grid.top + i} is empty — delete it"))
    return out


def _categories(grid: Grid) -> tuple[list[str], list[Issue]]:
    cats: list[str] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(grid.rows[1:], 1):
        label = text_of(r[0]).strip() if r else ""
        if not label:
            if r and any(v is not None for v in r):
                issues.append(Issue(i, 0, "the category is empty — write a label in the first column"))
            cats.append(f"\x00{i}")
            continue
        if label in seen:
            issues.append(Issue(i, 0, f"category '{label[:40]}' is also in cell {grid.cell(seen[label], 0)} — each category must be unique"))
        seen.setdefault(label, i)
        cats.append(label)
    return cats, issues


def chart_data(grid: Grid) -> tuple[list[str], list[dict[str, Any]], list[Issue]]:
    """Categories (first column, as text) and series (first row: names; other cells: numbers) of a chart."""
    issues = _rectangular(grid, len(grid.rows[0]))
    if grid.width < 2 or len(grid.rows) < 2:
        return [], [], issues + [Issue(None, None, f"the data is {len(grid.rows)} row(s) by {grid.width} column(s) — a chart "
                                                   "needs the categories in the first column, a series name atop each next "
                                                   "column, and values under it")]
    if issues:
        return [], [], issues
    cats, issues = _categories(grid)
    series: list[dict[str, Any]] = []
    for j in range(1, grid.width):
        name = text_of(grid.rows[0][j]).strip()
        if not name:
            issues.append(Issue(0, j, "the series name is empty — write a name atop each column of values"))
        values: list[float] = []
        for i, r in enumerate(grid.rows[1:], 1):
            v = number(r[j])
            if v is None:
                issues.append(Issue(i, j, why_not_number(r[j])))
            values.append(v if v is not None else 0.0)
        series.append({"name": name or f"column {column_letter(grid.left + j)}", "values": values})
    return cats, series, issues


def scatter_data(grid: Grid) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Labelled points of a scatter chart: three columns (label, x, y) under a header row."""
    issues = _rectangular(grid, len(grid.rows[0]))
    if grid.width != 3 or len(grid.rows) < 2:
        return [], issues + [Issue(None, None, f"the data is {len(grid.rows)} row(s) by {grid.width} column(s) — a scatter "
                                               "chart takes three columns (label, x, y) under a header row")]
    if issues:
        return [], issues
    points = []
    for i, r in enumerate(grid.rows[1:], 1):
        label = text_of(r[0]).strip()
        if not label:
            issues.append(Issue(i, 0, "the label is empty — write one in the first column"))
        xy = []
        for j in (1, 2):
            v = number(r[j])
            if v is None:
                issues.append(Issue(i, j, why_not_number(r[j])))
            xy.append(v if v is not None else 0.0)
        points.append({"label": label or "?", "x": xy[0], "y": xy[1]})
    return points, issues


def table_data(grid: Grid, kinds: list[str] | None) -> tuple[list[str], list[list[Value]], list[Issue]]:
    """Headers (the first row) and rows of a table. `kinds` are the outline's column kinds when it gives `columns`
    (None: the file's header names them, all `auto`). Cells of a `text` column, and of the first column unless it is
    `number`, stay text as written; other cells that read as numbers become numbers; empty cells stay empty."""
    width = len(grid.rows[0])
    issues = _rectangular(grid, width)
    headers = [text_of(v).strip() for v in grid.rows[0]]
    if kinds is None:
        issues += [Issue(0, j, "the column header is empty — write a header atop every column (or give `columns` in the "
                               "outline)") for j, h in enumerate(headers) if not h]
        kinds = ["auto"] * width
    elif len(kinds) != width and not issues:
        issues.append(Issue(0, None, f"the header row has {width} columns but the outline's `columns` lists {len(kinds)} — "
                                     "give one entry in `columns` per column of the data"))
    if len(grid.rows) < 2:
        issues.append(Issue(None, None, "the data has a header row but no rows under it — add rows"))
    if issues:
        return headers, [], issues
    rows: list[list[Value]] = []
    for i, r in enumerate(grid.rows[1:], 1):
        row: list[Value] = []
        for j, v in enumerate(r):
            kind = kinds[j]
            if v is None:
                row.append(None)
            elif kind == "text" or (kind == "auto" and j == 0):
                row.append(text_of(v))
            else:
                n = number(v)
                if n is None and kind == "number":
                    issues.append(Issue(i, j, why_not_number(v).replace(" — ", f" but column '{headers[j][:40]}' is "
                                                                           "kind: number — ", 1)))
                row.append(n if n is not None else text_of(v))
        rows.append(row)
    return headers, rows, issues
