"""Data from files (issue 14): charts and tables take `data: file.csv` or an .xlsx sheet/range, charts `from: table`;
every bad file, sheet, range and cell is a located error, all at once."""
from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from deckgen.cli import cli
from deckgen.errors import OutlineError
from deckgen.model import MAX_CATEGORIES
from deckgen.outline import load_outline

HEAD = "meta: {title: T, date: 2024-04-19}\nlead: L\n"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>[A-Za-z_][\w\[\]\-.]*): (?P<reason>.+) — (?P<fix>.+)$")
SPEND = [["Year", "Japan", "Korea"], ["2021", "1.0", "2.5"], ["2022", "1.1", "2.6"], ["2023", "1.25", "2.7"]]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    import csv

    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def chart_outline(tmp_path: Path, chart: str, extra: str = "") -> Path:
    """An outline with one section showing chart `c` (its YAML mapping body given, one key per line)."""
    body = "\n".join("    " + line for line in chart.strip().splitlines())
    text = (f"{HEAD}sections:\n  - id: a\n    title: A\n    charts: [c]\n    points: [one]\n"
            f"charts:\n  - id: c\n    title: C\n    source: S\n{body}\n{extra}")
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def table_outline(tmp_path: Path, table: str, extra: str = "") -> Path:
    body = "\n".join("    " + line for line in table.strip().splitlines())
    text = (f"{HEAD}sections:\n  - id: a\n    title: A\n    tables: [t]\n    points: [one]\n"
            f"tables:\n  - id: t\n    title: T\n{body}\n{extra}")
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(OutlineError) as info:
        load_outline(path)
    lines = [str(p) for p in info.value.problems]
    for line in lines:
        assert LINE.match(line), f"not file:line:col: path: reason — fix: {line!r}"
    return lines


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# --- charts from a CSV file ---------------------------------------------------------------------------------------

def test_csv_chart_categories_stay_text_series_from_the_header(tmp_path):
    write_csv(tmp_path / "spend.csv", SPEND + [["007", "1", "2"]])
    c = load_outline(chart_outline(tmp_path, "kind: line\ndata: spend.csv")).outline.charts[0]
    assert c.categories == ["2021", "2022", "2023", "007"]  # as written: no 2021.0, leading zeros kept
    assert [(s.name, s.values) for s in c.series] == [("Japan", [1.0, 1.1, 1.25, 1.0]), ("Korea", [2.5, 2.6, 2.7, 2.0])]
    assert c.data.file == "spend.csv"


def test_semicolon_csv_with_bom_and_quoted_cells(tmp_path):
    rows = [["Region", "Spending; total"], ["North, East", "1.5"], ["South", "-2"]]
    write_csv(tmp_path / "s.csv", rows, delimiter=";", encoding="utf-8-sig")
    c = load_outline(chart_outline(tmp_path, "kind: bar\ndata: s.csv")).outline.charts[0]
    assert c.categories == ["North, East", "South"]
    assert c.series[0].name == "Spending; total" and c.series[0].values == [1.5, -2.0]


def test_a_range_of_a_csv_file(tmp_path):
    rows = [["note: data below", "", ""], ["", "", ""]] + [["", *r] for r in SPEND]
    write_csv(tmp_path / "s.csv", rows)
    c = load_outline(chart_outline(tmp_path, "kind: line\ndata: {file: s.csv, range: B3:C6}")).outline.charts[0]
    assert c.categories == ["2021", "2022", "2023"] and [s.name for s in c.series] == ["Japan"]


def test_a_bad_cell_is_located_in_the_csv_file(tmp_path):
    write_csv(tmp_path / "spend.csv", SPEND[:2] + [["2022", "1.1", "n/a"], ["2023", "1,234", "12%"]])
    errs = errors(chart_outline(tmp_path, "kind: line\ndata: spend.csv"))
    csv_name = str(tmp_path / "spend.csv")
    assert errs == [
        f"{csv_name}:3:3: charts[c].data: cell C3: 'n/a' is not a number — write digits only, e.g. 12 or 1.5",
        f"{csv_name}:4:2: charts[c].data: cell B4: '1,234' is not a number — write it without thousands separators, e.g. 1234",
        f"{csv_name}:4:3: charts[c].data: cell C4: '12%' is not a number — write digits only and put the unit in the outline's `unit`",
    ]


def test_model_checks_apply_to_file_data_and_point_into_the_file(tmp_path):
    write_csv(tmp_path / "s.csv", [["Year", "A", "B"], ["2021", "1", "2"], ["2022", "3", "-1"]])
    (err,) = errors(chart_outline(tmp_path, "kind: column\nstacked: true\ndata: s.csv"))
    assert err.startswith(f"{tmp_path / 's.csv'}:3:3: charts[c].series[B].values[1]: cell C3: a stacked chart cannot show negative values")


def test_multi_line_cells_keep_their_line_numbers(tmp_path):
    (tmp_path / "s.csv").write_text('Name,Value\n"two\nlines",1\nx,oops\n', encoding="utf-8")
    (err,) = errors(chart_outline(tmp_path, "kind: bar\ndata: s.csv"))
    assert err.startswith(f"{tmp_path / 's.csv'}:4:2: charts[c].data: cell B3: 'oops' is not a number")


def test_a_scatter_chart_from_a_file(tmp_path):
    write_csv(tmp_path / "p.csv", [["Country", "GDP", "Spending"], ["Japan", "4.2", "1.2"], ["Korea", "1.7", "2.8"]])
    c = load_outline(chart_outline(tmp_path, "kind: scatter\ndata: p.csv")).outline.charts[0]
    assert [(p.label, p.x, p.y) for p in c.points] == [("Japan", 4.2, 1.2), ("Korea", 1.7, 2.8)]


# --- charts from a workbook ---------------------------------------------------------------------------------------

def test_xlsx_sheet_and_range(tmp_path):
    write_xlsx(tmp_path / "f.xlsx", {"Notes": [["ignore me"]],
                                     "Spending": [["Title row"], [], ["Year", "Japan", "Korea"], [2021, 1.0, 2.5], [2022, 1.1, "2.6"]]})
    c = load_outline(chart_outline(tmp_path, "kind: line\ndata: {file: f.xlsx, sheet: Spending, range: A3:C5}")).outline.charts[0]
    assert c.categories == ["2021", "2022"]  # numeric cells in the first column read as written, not 2021.0
    assert c.series[1].values == [2.5, 2.6]  # a number stored as text is a number
    c = load_outline(chart_outline(tmp_path, "kind: line\ndata: {file: f.xlsx, sheet: Spending, range: A3:B5}")).outline.charts[0]
    assert [s.name for s in c.series] == ["Japan"]


def test_xlsx_first_sheet_by_default_trimmed_of_empty_rows_and_columns(tmp_path):
    write_xlsx(tmp_path / "f.xlsx", {"First": [[], [None, "Year", "Value"], [None, 2020, 3], [None, 2021, 4]], "Second": [["x"]]})
    c = load_outline(chart_outline(tmp_path, "kind: column\ndata: f.xlsx")).outline.charts[0]
    assert c.categories == ["2020", "2021"] and c.series[0].values == [3.0, 4.0]


def test_xlsx_errors_are_located_at_the_data_key_and_name_the_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Spending"
    for row in (["Year", "A", "B"], [2021, 1, "n/a"], [2022, 2, None], [2023, "=B2+B3", 4]):
        ws.append(row)
    wb.save(tmp_path / "f.xlsx")
    path = chart_outline(tmp_path, "kind: line\ndata: {file: f.xlsx, sheet: Spending}")
    errs = errors(path)
    n = line_of(path, "data:")
    assert errs[0] == f"{path}:{n}:11: charts[c].data: f.xlsx, sheet Spending, cell C2: 'n/a' is not a number — write digits only, e.g. 12 or 1.5"
    assert errs[1].startswith(f"{path}:{n}:11: charts[c].data: f.xlsx, sheet Spending, cell C3: the cell is empty — write a number")
    # a formula openpyxl wrote has no saved value: read as empty, and the message says why
    assert errs[2].startswith(f"{path}:{n}:11: charts[c].data: f.xlsx, sheet Spending, cell B4: the cell is empty")
    assert "formula with no saved value" in errs[2]
    assert len(errs) == 3


@pytest.mark.parametrize("data, expected", [
    ("{file: f.xlsx, sheet: Spendng}", "'f.xlsx' has no sheet 'Spendng' — did you mean 'Spending'?"),
    ("{file: f.xlsx, sheet: Other}", "'f.xlsx' has no sheet 'Other' — sheets: Spending, Chartless"),
    ("{file: f.xlsx, range: 'A1-C4'}", "range 'A1-C4' is not a cell range — write its corners, e.g. A1:D9"),
    ("{file: f.xlsx, range: 'C4:A1'}", "range 'C4:A1' runs backwards — write the top-left corner first, e.g. A1:C4"),
    ("{file: f.xlsx, range: 'A1:A2000'}", "rows long; at most 1001 (a header and 1000 rows) can be shown — shorten it"),
    ("{file: f.xlsx, sheet: Chartless}", "sheet 'Chartless' of 'f.xlsx' holds no data (in the range read) — name the file, sheet or range"),
    ("{file: f.xlsx, range: 'E10:F12'}", "holds no data (in the range read)"),
    ("{file: f.csv, sheet: Spending}", "'f.csv' is a CSV file, which has no sheets — remove `sheet`"),
    ("fake.xlsx", "'fake.xlsx' is not an .xlsx workbook (not a ZIP package) — save it as Excel Workbook (.xlsx)"),
    ("zip.xlsx", "'zip.xlsx' is a ZIP file but not an Excel workbook"),
    ("figures.txt", "'figures.txt' is not a csv or xlsx file — use a file ending in .csv, .xlsx"),
    ("f.xls", "is not a csv or xlsx file"),
    ("missing.csv", "file 'missing.csv' not found in"),
    ("f.cvs", "is not a csv or xlsx file"),
    ("empty.csv", "'empty.csv' is empty — the file is damaged or was not saved"),
    ("blank.csv", "'blank.csv' holds no data"),
    ("latin1.csv", "'latin1.csv' is not UTF-8 text (byte 0xe9 on line 2) — save it as 'CSV UTF-8'"),
    ("../f.csv", "points outside the outline's folder ('..') — copy the file next to the outline"),
    ("/etc/passwd.csv", "is an absolute path — give a path relative to the outline's folder"),
    ("https://example.org/f.csv", "is a URL; deckgen never downloads files"),
    ("link.csv", "is a link to a file outside the outline's folder"),
    ("folder.csv", "is a folder — name a file"),
    ("quote.csv", "'quote.csv' line 2:"),
])
def test_file_problems_are_located_at_the_data_key(tmp_path, data, expected):
    root = tmp_path / "o"
    root.mkdir()
    write_xlsx(root / "f.xlsx", {"Spending": SPEND, "Chartless": []})
    write_csv(root / "f.csv", SPEND)
    write_csv(tmp_path / "outside.csv", SPEND)
    (root / "fake.xlsx").write_bytes((root / "f.csv").read_bytes())
    import zipfile

    with zipfile.ZipFile(root / "zip.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    (root / "figures.txt").write_text("a,b\n")
    (root / "empty.csv").write_bytes(b"")
    (root / "blank.csv").write_text("\n ,  \n,,\n")
    (root / "latin1.csv").write_bytes("Name,Value\ncaf\xe9,1\n".encode("latin-1"))
    (root / "link.csv").symlink_to(tmp_path / "outside.csv")
    (root / "folder.csv").mkdir()
    (root / "quote.csv").write_text('Name,Value\n"a"b,1\n')
    path = chart_outline(root, f"kind: line\ndata: {data}")
    errs = errors(path)
    assert len(errs) == 1, errs
    n = line_of(path, "data:")
    assert errs[0].startswith(f"{path}:{n}:"), errs
    assert expected in errs[0], errs


def test_too_many_rows_and_columns(tmp_path):
    write_csv(tmp_path / "long.csv", [["Year", "V"]] + [[f"c{i}", "1"] for i in range(MAX_CATEGORIES + 1)])
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: long.csv"))
    assert f"'long.csv' has {MAX_CATEGORIES + 1} rows of data after its header; at most {MAX_CATEGORIES} can be shown — give a `range`" in err
    write_csv(tmp_path / "long.csv", [["Year", "V"]] + [[f"c{i}", "1"] for i in range(MAX_CATEGORIES)])
    assert len(load_outline(tmp_path / "o.yaml").outline.charts[0].categories) == MAX_CATEGORIES  # the limit itself is fine
    write_xlsx(tmp_path / "wide.xlsx", {"S": [["k"] + [f"s{i}" for i in range(60)], ["a"] + [1] * 60]})
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: wide.xlsx"))
    assert "'wide.xlsx' has 52 columns; at most 51 can be shown — give a `range`" in err  # read stops one past the limit


def test_ragged_empty_and_duplicate_rows(tmp_path):
    (tmp_path / "r.csv").write_text("Year,A,B\n2021,1,2\n2022,1\n2023,1,2,3\n")
    errs = errors(chart_outline(tmp_path, "kind: line\ndata: r.csv"))
    name = tmp_path / "r.csv"
    assert errs == [
        f"{name}:3:1: charts[c].data: row 3 has 2 cells but the header row has 3 — give every row one cell per column (an empty cell between two commas)",
        f"{name}:4:1: charts[c].data: row 4 has 4 cells but the header row has 3 — give every row one cell per column (an empty cell between two commas)",
    ]
    (tmp_path / "r.csv").write_text("Year,A\n2021,1\n,\n2021,2\n,5\n")
    errs = errors(tmp_path / "o.yaml")
    assert errs == [
        f"{name}:3:1: charts[c].data: row 3 is empty — delete it",
    ]
    (tmp_path / "r.csv").write_text("Year,A\n2021,1\n2021,2\n,5\n")
    assert errors(tmp_path / "o.yaml") == [
        f"{name}:3:1: charts[c].data: cell A3: category '2021' is also in cell A2 — each category must be unique",
        f"{name}:4:1: charts[c].data: cell A4: the category is empty — write a label in the first column",
    ]


def test_one_source_of_data(tmp_path):
    write_csv(tmp_path / "s.csv", SPEND)
    errs = errors(chart_outline(tmp_path, "kind: line\ndata: s.csv\ncategories: [a]\nseries: [{name: x, values: [1]}]"))
    assert any("charts[c].data: a chart takes its data from one place — remove `categories`, `series` or `data`" in e for e in errs)


def test_every_problem_of_every_file_at_once(tmp_path):
    write_csv(tmp_path / "a.csv", [["Y", "V"], ["1", "x"]])
    write_csv(tmp_path / "b.csv", [["Y", "V"], ["1", "2"], ["2"]])
    path = chart_outline(tmp_path, "kind: line\ndata: a.csv",
                         "  - {id: d, kind: line, title: D, source: S, data: b.csv}\n"
                         "  - {id: e, kind: line, title: E, source: S, data: nope.csv}\n"
                         "  - {id: f, kind: lin, title: F, source: S, data: a.csv}\n")
    errs = errors(path)
    assert any("a.csv:2:2: charts[c].data: cell B2: 'x' is not a number" in e for e in errs)
    assert any("b.csv:3:1: charts[d].data: row 3 has 1 cells" in e for e in errs)
    assert any("charts[e].data: file 'nope.csv' not found" in e for e in errs)
    assert any("charts[f].kind: 'lin' is not allowed" in e for e in errs)
    assert any("a.csv:2:2: charts[f].data: cell B2" in e for e in errs)


def test_cli_exits_1_with_located_lines_and_writes_nothing(tmp_path):
    write_csv(tmp_path / "s.csv", [["Y", "V"], ["2021", "n/a"]])
    path = chart_outline(tmp_path, "kind: line\ndata: s.csv")
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path / 's.csv'}:2:2: charts[c].data: cell B2: 'n/a' is not a number — write digits only, e.g. 12 or 1.5"
    assert not (tmp_path / "out").exists()


def test_reading_is_deterministic(tmp_path):
    write_xlsx(tmp_path / "f.xlsx", {"S": SPEND})
    path = chart_outline(tmp_path, "kind: line\ndata: f.xlsx")
    assert load_outline(path).outline == load_outline(path).outline


# --- tables from files ----------------------------------------------------------------------------------------------

def test_table_from_csv_header_names_the_columns(tmp_path):
    write_csv(tmp_path / "sites.csv", [["Site", "Year", "Cost", "Note"], ["Misawa", "2024", "1.5", ""], ["Iwakuni", "2023", "", "new"]])
    t = load_outline(table_outline(tmp_path, "data: sites.csv\ntotal: Total")).outline.tables[0]
    assert [c.name for c in t.columns] == ["Site", "Year", "Cost", "Note"]
    assert [r.cells for r in t.rows] == [["Misawa", 2024.0, 1.5, None], ["Iwakuni", 2023.0, None, "new"]]
    assert t.total == "Total"


def test_table_columns_in_the_outline_describe_the_file_columns(tmp_path):
    write_csv(tmp_path / "sites.csv", [["site", "code", "cost"], ["Misawa", "007", "1.5"], ["Iwakuni", "012", "2"]])
    path = table_outline(tmp_path, "data: sites.csv\ncolumns: [Site, {name: Code, kind: text}, {name: Cost, unit: US$ bn, decimals: 1}]")
    t = load_outline(path).outline.tables[0]
    assert [c.name for c in t.columns] == ["Site", "Code", "Cost"]  # the file's header row is skipped
    assert [r.cells for r in t.rows] == [["Misawa", "007", 1.5], ["Iwakuni", "012", 2.0]]  # a text column keeps 007
    path = table_outline(tmp_path, "data: sites.csv\ncolumns: [Site, Cost]")
    (err,) = errors(path)
    assert err == (f"{tmp_path / 'sites.csv'}:1:1: tables[t].data: the header row has 3 columns but the outline's `columns` "
                   "lists 2 — give one entry in `columns` per column of the data")


def test_table_number_column_from_a_file_must_hold_numbers(tmp_path):
    write_xlsx(tmp_path / "s.xlsx", {"S": [["Site", "Cost"], ["Misawa", 1.5], ["Iwakuni", "tbd"]]})
    path = table_outline(tmp_path, "data: s.xlsx\ncolumns: [Site, {name: Cost, kind: number}]")
    (err,) = errors(path)
    assert err.endswith("tables[t].data: s.xlsx, sheet S, cell B3: 'tbd' is not a number but column 'Cost' is kind: number — write digits only, e.g. 12 or 1.5")


def test_table_rows_and_data_conflict_and_empty_headers(tmp_path):
    write_csv(tmp_path / "s.csv", [["Site", ""], ["Misawa", "1"]])
    errs = errors(table_outline(tmp_path, "data: s.csv\nrows: [[a, b]]"))
    assert any("tables[t].data: a table takes its rows from one place — remove `rows` or `data`" in e for e in errs)
    (err,) = errors(table_outline(tmp_path, "data: s.csv"))
    assert err.startswith(f"{tmp_path / 's.csv'}:1:2: tables[t].data: cell B1: the column header is empty")
    write_csv(tmp_path / "s.csv", [["Site", "Cost"]])
    (err,) = errors(table_outline(tmp_path, "data: s.csv"))
    assert "s.csv: the data has a header row but no rows under it — add rows" in err


# --- charts from tables ---------------------------------------------------------------------------------------------

FROM = """\
tables:
  - id: t
    title: T
    columns: [Country, {name: Budget, unit: US$ bn}, Share, Note]
    rows:
      - [Japan, 55.9, "1.2", fine]
      - [Korea, 47.9, "2.8", ~]
"""


def test_chart_from_a_table_takes_the_number_columns(tmp_path):
    path = chart_outline(tmp_path, "kind: column\nfrom: t", FROM)
    o = load_outline(path).outline
    c = o.charts[0]
    assert c.categories == ["Japan", "Korea"]
    assert [(s.name, s.values) for s in c.series] == [("Budget", [55.9, 47.9]), ("Share", [1.2, 2.8])]
    assert c.from_ == "t" and o.tables[0].rows[0].cells[1] == "55.9"  # the table itself is as written


def test_chart_from_a_file_table(tmp_path):
    write_csv(tmp_path / "s.csv", SPEND)
    path = chart_outline(tmp_path, "kind: line\nfrom: t", "tables:\n  - {id: t, title: T, data: s.csv}\n")
    c = load_outline(path).outline.charts[0]
    assert c.categories == ["2021", "2022", "2023"] and [s.name for s in c.series] == ["Japan", "Korea"]
    path = chart_outline(tmp_path, "kind: scatter\nfrom: t", "tables:\n  - {id: t, title: T, data: s.csv}\n")
    assert [(p.label, p.x, p.y) for p in load_outline(path).outline.charts[0].points][0] == ("2021", 1.0, 2.5)


def test_chart_from_table_errors(tmp_path):
    text = FROM.replace("55.9", "lots").replace('"2.8"', '~')
    path = chart_outline(tmp_path, "kind: column\nfrom: t", text.replace('    columns: [Country, {name: Budget, unit: US$ bn}, Share, Note]', '    columns: [Country, Budget, {name: Share, kind: number}, Note]'))
    errs = errors(path)
    n = line_of(path, "Korea")
    assert errs == [f"{path}:{n}:23: tables[t].rows[1].cells[2]: chart 'c' draws column 'Share' and needs a value in every row — write a number (0 if it is zero)"]
    path = chart_outline(tmp_path, "kind: column\nfrom: t", "tables:\n  - {id: t, title: T, columns: [A, B], rows: [[x, y], [z, w]]}\n")
    (err,) = errors(path)
    assert err == (f"{path}:{line_of(path, 'from:')}:11: charts[c].from: table 't' has no number column to draw: its columns after the "
                   "first ('B') hold text — write plain numbers in them (unit in the column's `unit`), or mark a column `kind: number`")
    path = chart_outline(tmp_path, "kind: column\nfrom: tt", FROM)
    assert any("charts[c].from: no table 'tt' — did you mean 't'?" in e for e in errors(path))
    path = chart_outline(tmp_path, "kind: column\nfrom: t\ncategories: [a]", FROM)
    assert any("charts[c].from: a chart takes its data from one place — remove `categories` or `from`" in e for e in errors(path))


# --- table checks in the model ----------------------------------------------------------------------------------------

def test_table_cell_checks(tmp_path):
    path = table_outline(tmp_path, "columns: [Site, {name: Cost, kind: number}]\nrows:\n  - [Misawa, 1.5]\n  - [Iwakuni]\n"
                                   "  - [Yokota, n/a]\ntotal: true")
    errs = errors(path)
    assert errs == [
        f"{path}:{line_of(path, 'Iwakuni')}:9: tables[t].rows[1].cells: row 2 has 1 cell but the table has 2 columns (Site, Cost) — give one cell per column (write ~ for an empty cell)",
        f"{path}:{line_of(path, 'Yokota')}:18: tables[t].rows[2].cells[1]: 'n/a' is not a number but column 'Cost' is kind: number — write digits only (unit in the column's `unit`), leave the cell empty (~), or make the column kind: text",
    ]
    path = table_outline(tmp_path, "columns: [Site, Kind]\nrows: [[Misawa, air], [Sasebo, navy]]\ntotal: true")
    (err,) = errors(path)
    assert err.startswith(f"{path}:{line_of(path, 'total')}:12: tables[t].total: a total row sums the number columns but this table has none")
    path = table_outline(tmp_path, "columns: [Site, Kind]\nrows: [[Misawa, air]]\ntotal: false")
    assert load_outline(path).outline.tables[0].total is False  # `false` is the switch, not a label
    path = table_outline(tmp_path, "source: S")
    (err,) = errors(path)
    assert "tables[t].columns: the table has no columns — write `columns: [Name, ...]` or take them from `data: file.csv`" in err
    path = table_outline(tmp_path, "columns: [A]")
    (err,) = errors(path)
    assert "tables[t].rows: the table has no rows — write `rows: [[cell, ...], ...]`" in err


def test_column_kinds_rule():
    from deckgen.model import Table, column_kinds

    t = Table.model_validate({"id": "t", "title": "T", "columns": ["Year", "A", "B", {"name": "C", "kind": "text"}],
                              "rows": [["2021", "1", "x", "2"], ["2022", 2.5, None, "3"]]})
    assert column_kinds(t) == ["text", "number", "text", "text"]


def test_data_files_symlink_inside_the_folder_is_fine(tmp_path):
    write_csv(tmp_path / "real.csv", SPEND)
    os.symlink(tmp_path / "real.csv", tmp_path / "alias.csv")
    c = load_outline(chart_outline(tmp_path, "kind: line\ndata: alias.csv")).outline.charts[0]
    assert c.categories == ["2021", "2022", "2023"]


# --- hostile files --------------------------------------------------------------------------------------------------

def test_hostile_data_files_are_refused_before_reading_much(tmp_path, monkeypatch):
    from deckgen import datafiles

    write_xlsx(tmp_path / "big.xlsx", {"S": SPEND + [[f"r{i}", i, i] for i in range(40)]})
    monkeypatch.setattr(datafiles, "MAX_XLSX_UNPACKED", 2_000)  # stands in for a ZIP bomb: unpacked size is checked first
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: big.xlsx"))
    assert "'big.xlsx' unpacks to more than" in err
    monkeypatch.undo()
    monkeypatch.setattr(datafiles, "_SCAN_ROWS", 30)  # a sheet whose cells or formatting reach far down
    (err,) = errors(tmp_path / "o.yaml")
    assert "sheet 'S' of 'big.xlsx' reaches past row 30 (values or formatting)" in err and "give a `range`" in err
    assert load_outline(chart_outline(tmp_path, "kind: line\ndata: {file: big.xlsx, range: A1:C4}")).outline.charts[0].categories == ["2021", "2022", "2023"]
    monkeypatch.undo()
    monkeypatch.setattr(datafiles, "MAX_CSV_BYTES", 50)
    write_csv(tmp_path / "s.csv", SPEND * 3)
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: s.csv"))
    assert "'s.csv' is" in err and "the limit is 50 bytes — use a smaller file" in err
    monkeypatch.undo()
    data = (tmp_path / "big.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: cut.xlsx"))
    assert "'cut.xlsx' is a damaged ZIP package" in err
    os.mkfifo(tmp_path / "pipe.csv")
    (err,) = errors(chart_outline(tmp_path, "kind: line\ndata: pipe.csv"))
    assert "'pipe.csv' is not a regular file" in err
