"""Tables (issue 14): one spec, a native table in the deck and a typeset table in the brief — numbers formatted as the
language prints them and aligned on the decimal point, the unit in the header, key rows, the total row, the header
repeated where a table runs onto (cont.) slides or the next page, and every bad value located."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pptx.enum.text import PP_ALIGN

import deckgen
from conftest import MINI
from deckgen.chartcache import ChartStore
from deckgen.errors import OutlineError
from deckgen.layout import brief as bp
from deckgen.layout.brief import plan_brief
from deckgen.layout.deck import plan_deck

CONT = " (cont.)"  # what an English continuation slide adds to its title
from deckgen.layout.tables import grid
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.words import format_number
from deckgen.writers.pdf import write_brief
from deckgen.writers.pptx import write_deck

ROOT = Path(__file__).resolve().parent.parent
EPOCH = 1713484800
NBSP = "\u00a0"  # the no-break space Polish groups digits with (CLDR, through Babel)


def long_rows(n: int = 60) -> list:
    rows: list = []
    for i in range(1, n + 1):
        name = f"Site {i} at a rather long place name of the province" if i % 7 == 0 else f"Site {i}"
        rows.append([name, str(1000.5 * i), str(i % 3), "~" if i == 5 else "12.25"])
    rows[2] = {"cells": rows[2], "key": True}
    return rows


SITES = {"id": "sites", "title": "EDCA sites and investment",
         "columns": ["Site", {"name": "Investment", "unit": "US$ m", "decimals": 1}, "Units", {"name": "Share", "unit": "%"}],
         "total": True, "source": "Test source T", "notes": "Say this over the table."}


def outline_with(tmp_path: Path, tables: list[dict], section: int = 1, language: str = "en", **extra) -> Outline:
    """The mini outline with `tables` listed in one section, written as YAML and read by the real loader."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["meta"]["language"] = language
    data["tables"] = tables
    data["sections"][section]["tables"] = [t["id"] for t in tables]
    data.update(extra)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace("'~'", "~")
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return deckgen.load(path).outline


@pytest.fixture(scope="module")
def ctx():
    return typesetting(load_theme())


@pytest.fixture(scope="module")
def sixty(tmp_path_factory):
    return outline_with(tmp_path_factory.mktemp("sixty"), [{**SITES, "rows": long_rows(60)}])


@pytest.fixture(scope="module")
def deck(sixty, ctx):
    plan, warnings = plan_deck(sixty, ctx)
    return plan, warnings, write_deck(plan, ctx, EPOCH)


@pytest.fixture(scope="module")
def brief(sixty, ctx):
    plan, warnings = plan_brief(sixty, ctx)
    return plan, warnings, write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)


# ---------------------------------------------------------------- cells as printed


def test_numbers_are_formatted_as_the_language_prints_them():
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert format_number(1234.5, 1, "pl") == f"1{NBSP}234,5"
    assert format_number(1234567, 0, "pl-PL") == f"1{NBSP}234{NBSP}567"
    assert format_number(-0.04, 1, "en") == "0.0" and format_number(-2.5, 2, "en") == "-2.50"


def test_grid_formats_cells_aligns_number_columns_and_adds_the_total(sixty):
    g = grid(sixty.table("sites"), "en")
    assert g.header == ("Site", "Investment (US$ m)", "Units", "Share (%)")
    assert g.align == ("left", "right", "right", "right") and g.numeric == (False, True, True, True)
    assert g.rows[0].cells == ("Site 1", "1,000.5", "1", "12.25")
    assert g.rows[1].cells[1] == "2,001.0"  # the column's decimals on every cell: right-aligned = on the point
    assert g.rows[4].cells[3] == "\u2013"  # ~ in a number column
    assert g.rows[2].key and not g.rows[1].key
    total = g.rows[-1]
    assert total.total and len(g.rows) == 61
    assert total.cells == ("Total", "1,830,915.0", "60", "722.75")  # 59 shares of 12.25; the empty one left out
    assert {c.split(".")[1] and len(c.split(".")[1]) for c in (r.cells[3] for r in g.rows) if c != "\u2013"} == {2}


def test_polish_tables_use_a_space_and_a_comma_and_say_razem(tmp_path):
    o = outline_with(tmp_path, [{**SITES, "rows": long_rows(3)}], language="pl")
    g = grid(o.table("sites"), "pl")
    assert g.rows[0].cells[1] == f"1{NBSP}000,5" and g.rows[-1].cells == ("Razem", f"6{NBSP}003,0", "3", "36,75")


def test_columns_of_years_and_of_words_stay_text_and_decimals_follow_the_data(tmp_path):
    t = {"id": "t", "title": "T", "columns": ["Year", "Name", "Value", {"name": "Count", "kind": "number"}],
         "rows": [["2016", "a", "1.5", "3"], ["2023", "b", "2.25", "~"]], "total": "All"}
    g = grid(outline_with(tmp_path, [t]).table("t"), "en")
    assert g.numeric == (False, False, True, True)
    assert [r.cells for r in g.rows] == [("2016", "a", "1.50", "3"), ("2023", "b", "2.25", "\u2013"), ("All", "", "3.75", "3")]


# ---------------------------------------------------------------- the deck


def _slides(plan):
    return [s for s in plan.slides if s.kind == "table"]


def test_a_long_table_splits_onto_cont_slides_with_the_header_repeated(deck, sixty):
    plan, warnings, _ = deck
    assert warnings == []
    slides = _slides(plan)
    assert len(slides) >= 4
    assert [s.continued for s in slides] == [False] + [True] * (len(slides) - 1)
    assert ["".join(r.text for r in s.title)[len("".join(r.text for r in slides[0].title)):] for s in slides[1:]] == \
        [CONT] + [f" (cont. {k})" for k in range(2, len(slides))]  # numbered from the second: every title its own
    assert {s.table.header.cells for s in slides} == {("Site", "Investment (US$ m)", "Units", "Share (%)")}
    shown = [r.cells for s in slides for r in s.table.rows]
    assert shown == [r.cells for r in grid(sixty.table("sites"), "en").rows]  # every row once, in order
    assert [r.total for s in slides for r in s.table.rows].count(True) == 1 and slides[-1].table.rows[-1].total
    area = plan.geometry.chart  # (a table with a source: the chart's frame, the source band under it)
    for s in slides:
        t = s.table
        assert t.frame.y + t.frame.h <= area.y + area.h + 0.01
        assert t.frame.h == pytest.approx(t.header.height + sum(r.height for r in t.rows), abs=0.05)
        assert sum(t.widths) == pytest.approx(area.w, abs=0.1)
    # the number columns stay narrow, the text column takes the room
    w = slides[0].table.widths
    assert w[0] > max(w[1:]) and w[2] < w[1]
    # notes on the first slide: the table's own and its source
    assert "Say this over the table." in slides[0].notes and "Source: Test source T" in slides[0].notes


def test_a_cell_that_wraps_makes_its_row_taller(tmp_path, ctx):
    long = "A very long description of a site " * 6
    t = {"id": "w", "title": "Wrapped", "columns": ["Name", "Description", {"name": "Value", "unit": "US$ m"}],
         "rows": [["Short", "One", "1.5"], ["Long", long.strip(), "2.5"]]}
    plan, warnings = plan_deck(outline_with(tmp_path, [t]), ctx)
    (s,) = _slides(plan)
    one, two = s.table.rows
    assert warnings == [] and two.height > 2 * (one.height - 2 * s.table.pad_y)


def test_a_table_that_nearly_fits_is_set_smaller_rather_than_split(tmp_path, ctx):
    plan, _ = plan_deck(outline_with(tmp_path, [{**SITES, "rows": long_rows(10)}]), ctx)
    (s,) = _slides(plan)
    assert s.table.size < plan.geometry.style.sizes[1] and len(s.table.rows) == 11


def test_the_deck_holds_native_editable_tables(deck):
    plan, _, blob = deck
    prs = Presentation(io.BytesIO(blob))
    tables = [(slide, sh) for slide in prs.slides for sh in slide.shapes if sh.has_table]
    assert len(tables) == len(_slides(plan))
    rows = []
    for k, (slide, sh) in enumerate(tables):
        t = sh.table
        header = [t.cell(0, c).text for c in range(len(t.columns))]
        assert header == ["Site", "Investment (US$ m)", "Units", "Share (%)"], k  # repeated on every (cont.) slide
        title = slide.shapes.title.text_frame.text
        assert title == "EDCA sites and investment" + ("" if not k else CONT if k == 1 else f" (cont. {k})")
        rows += [[t.cell(r, c).text for c in range(len(t.columns))] for r in range(1, len(t.rows))]
        assert t.cell(1, 1).text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
        assert t.cell(1, 0).text_frame.paragraphs[0].alignment == PP_ALIGN.LEFT
        source = [s for s in slide.shapes if s.name == "Source"]
        assert source and source[0].text_frame.text == "Source: Test source T"
        assert sh.top + sh.height <= source[0].top
    assert rows[0] == ["Site 1", "1,000.5", "1", "12.25"] and rows[-1] == ["Total", "1,830,915.0", "60", "722.75"]
    assert len(rows) == 61
    first = tables[0][1].table
    key = first.cell(3, 0).text_frame.paragraphs[0].runs[0]
    assert key.font.bold and first.cell(3, 0).text == "Site 3"
    assert not first.cell(2, 0).text_frame.paragraphs[0].runs[0].font.bold
    assert "Say this over the table." in tables[0][0].notes_slide.notes_text_frame.text


def test_the_deck_with_tables_passes_openxml_audit(deck, tmp_path):
    from openxml_audit import OpenXmlValidator

    path = tmp_path / "tables.pptx"
    path.write_bytes(deck[2])
    result = OpenXmlValidator().validate(str(path))
    errors = [e for e in result.errors if "error" in str(getattr(e, "severity", "error")).lower()]
    assert result.is_valid and not errors, [str(e) for e in errors[:10]]


def _render(blob: bytes, tmp_path: Path, name: str) -> Path:
    assert shutil.which("soffice"), "LibreOffice (soffice) is required for this check — .ci/run installs libreoffice-impress"
    path = tmp_path / f"{name}.pptx"
    path.write_bytes(blob)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    return tmp_path / f"{name}.pdf"


def _every_cell_word_inside_its_cell(plan, pdf: Path) -> int:
    """Each table slide as LibreOffice draws it: every cell's words inside the cell's planned rectangle (less its side
    insets), in order, none lost (a row LibreOffice had to make taller moves the rows under it out of their cells);
    the number of cells checked."""
    tol = 1.0
    checked = 0
    with pdfplumber.open(pdf) as doc:
        for s in _slides(plan):
            page = doc.pages[s.number - 1]
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            t = s.table
            y = t.frame.y
            for line in (t.header, *t.rows):
                x = t.frame.x
                for text, w in zip(line.cells, t.widths):
                    left, right = x + t.pad_x - tol, x + w - t.pad_x + tol
                    # (pdfplumber's word box is the font's full em box, a little taller than the line's ink)
                    top, bottom = y - 0.15 * t.size, y + line.height + 0.15 * t.size
                    inside = [wd["text"] for wd in words if left <= wd["x0"] and wd["x1"] <= right
                              and top <= wd["top"] and wd["bottom"] <= bottom]
                    want = text.replace(NBSP, " ").split()
                    got = " ".join(inside).replace(NBSP, " ").split()
                    assert got == want, f"slide {s.number}: cell '{text}' drawn as {got} inside its cell"
                    checked += bool(text)
                    x += w
                y += line.height
            cells_text = sum(len(c.replace(NBSP, " ").split()) for line in (t.header, *t.rows) for c in line.cells)
            in_frame = [wd for wd in words if t.frame.x - tol <= wd["x0"] and wd["top"] >= t.frame.y - tol
                        and wd["bottom"] <= t.frame.y + t.frame.h + 30 and wd["x1"] <= t.frame.x + t.frame.w + tol
                        and not wd["text"].startswith(("Source", "Źródło"))]
            assert len(in_frame) == cells_text, f"slide {s.number}: words under the table that no cell holds"
    return checked


@pytest.mark.slow
def test_libreoffice_draws_every_cell_inside_its_cell(deck, tmp_path):
    plan, _, blob = deck
    assert _every_cell_word_inside_its_cell(plan, _render(blob, tmp_path, "tables")) > 200


@pytest.mark.slow
def test_a_table_on_a_users_template_fits_its_cells_too(tmp_path):
    """python-pptx's own 4:3 template (Calibri, 720 x 540 pt): sizes from its body style, widths from its body frame."""
    Presentation().save(tmp_path / "plain.pptx")
    long = "A longer description of what the site holds and since when"
    t = {**SITES, "columns": SITES["columns"] + ["Note"], "rows": [r if isinstance(r, dict) else r + [long if i % 4 == 0 else "ok"]
                                                                  for i, r in enumerate(long_rows(24))]}
    t["rows"][2] = {"cells": t["rows"][2]["cells"] + ["key row"], "key": True}
    o = outline_with(tmp_path, [t], theme={"template": "plain.pptx"})
    doc = deckgen.load(tmp_path / "t.yaml")
    from deckgen.build import deck_context

    dctx = deck_context(doc, load_theme(), "en")
    plan, warnings = plan_deck(o, dctx)
    assert not [w for w in warnings if w[0][:1] == ("tables",)]
    slides = _slides(plan)
    assert len(slides) >= 2 and plan.geometry.width == pytest.approx(720)
    blob = write_deck(plan, dctx, EPOCH, template=(tmp_path / "plain.pptx").read_bytes())
    assert _every_cell_word_inside_its_cell(plan, _render(blob, tmp_path, "plain")) > 50


# ---------------------------------------------------------------- the brief


def test_the_brief_plans_a_numbered_table_after_the_points_and_before_the_charts(brief):
    plan, warnings, _ = brief
    assert warnings == []
    blocks = list(plan.blocks)
    (table,) = [b for b in blocks if isinstance(b, bp.Table)]
    i = blocks.index(table)
    assert isinstance(blocks[i - 1], (bp.Bullet, bp.Paragraph)) and isinstance(blocks[i + 1], bp.Figure)
    assert table.caption == "Table 1. EDCA sites and investment" and table.source == "Source: Test source T"
    assert table.align == ("left", "right", "right", "right") and table.rows[-1].total
    width = sum(table.widths)
    assert width == pytest.approx(plan.page.frame_width if table.wide else plan.page.measure, abs=0.1)


def test_a_table_no_section_lists_is_a_located_warning(tmp_path, ctx):
    o = outline_with(tmp_path, [{**SITES, "rows": long_rows(3)}])
    o = o.model_copy(update={"sections": [s.model_copy(update={"tables": []}) for s in o.sections]})
    _, warnings = plan_brief(o, ctx)
    assert (("tables", 0), "table 'sites' is not listed in any section's tables — the brief leaves it out") in warnings


def test_a_narrow_table_sits_in_the_text_column(tmp_path, ctx):
    t = {"id": "n", "title": "Narrow", "columns": ["Country", {"name": "Bases", "unit": "sites"}],
         "rows": [["Japan", "120"], ["Korea", "73"]], "total": True}
    plan, _ = plan_brief(outline_with(tmp_path, [t]), ctx)
    (table,) = [b for b in plan.blocks if isinstance(b, bp.Table)]
    assert not table.wide and sum(table.widths) == pytest.approx(plan.page.measure, abs=0.1)


def _lines(page) -> list[str]:
    return [" ".join(line["text"].split()) for line in page.extract_text_lines()]


def test_the_brief_prints_the_table_in_order_with_the_header_on_every_page(brief):
    _, _, pdf = brief
    header = "Site Investment (US$ m) Units Share (%)"
    rows, pages_with_table = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            lines = _lines(page)
            if any(re.match(r"Site \d+ ", line) for line in lines):
                pages_with_table.append(n)
                first_row = next(i for i, line in enumerate(lines) if re.match(r"Site \d+ ", line))
                assert lines[first_row - 1] == header, (n, lines[first_row - 3: first_row + 1])
            rows += [line for line in lines if re.match(r"(Site \d+|Total) ", line)]
            if any(line.startswith("Total ") for line in lines):
                at = next(i for i, line in enumerate(lines) if line.startswith("Total "))
                assert lines[at + 1] == "Source: Test source T"
        text = " ".join(_lines(doc.pages[pages_with_table[0] - 1]))
    assert len(pages_with_table) >= 2
    assert "Table 1. EDCA sites and investment" in text
    numbers = [int(re.match(r"Site (\d+)", r).group(1)) for r in rows if r.startswith("Site")]
    assert numbers == list(range(1, 61))
    assert rows[0].endswith("1,000.5 1 12.25") and rows[-1] == "Total 1,830,915.0 60 722.75"


def test_a_page_break_leaves_two_rows_at_least_and_the_total_with_a_row(brief):
    _, _, pdf = brief
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        counts = [sum(1 for line in _lines(p) if re.match(r"(Site \d+|Total) ", line)) for p in doc.pages]
        last = [p for p in doc.pages if any(line.startswith("Total ") for line in _lines(p))][0]
        body = [line for line in _lines(last) if re.match(r"(Site \d+|Total) ", line)]
    assert all(c == 0 or c >= 2 for c in counts) and len(body) >= 3


def test_the_polish_brief_prints_polish_numbers(tmp_path, ctx):
    o = outline_with(tmp_path, [{**SITES, "rows": long_rows(4)}], language="pl")
    plan, _ = plan_brief(o, ctx)
    pdf = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(line for p in doc.pages for line in _lines(p)).replace(NBSP, " ")
    assert "Tabela 1. EDCA sites and investment" in text
    assert "Site 1 1 000,5 1 12,25" in text and "Razem 10 005,0 4 49,00" in text and "Źródło: Test source T" in text


def test_a_long_table_in_long_prose_paginates_cleanly(ctx):
    """tests/pagecheck.py on a long generated brief with the 60-row table in its second section."""
    import briefgen
    import pagecheck

    data = briefgen.long_outline("en")
    rows = [r if isinstance(r, dict) else [None if c == "~" else c for c in r] for r in long_rows(60)]
    rows[2]["cells"] = [None if c == "~" else c for c in rows[2]["cells"]]
    data["tables"] = [{**SITES, "rows": rows}]
    data["sections"][1]["tables"] = ["sites"]
    outline = Outline.model_validate(data)
    plan, warnings = plan_brief(outline, ctx)
    pdf = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)
    dumped = outline.model_dump(mode="json")
    report = pagecheck.check(pdf, plan.page, body_size=float(plan.body_size), runin_heads=briefgen.runin_heads(dumped),
                             urls=briefgen.urls(dumped))
    assert warnings == [] and report.violations == [], "\n" + report.summary()


def test_the_plan_of_a_table_slide_is_json_data(deck):
    from deckgen.layout.jsonable import to_data

    data = to_data(deck[0])
    slide = next(s for s in data["slides"] if s["kind"] == "table")
    assert slide["type"] == "TableSlide" and slide["table"]["header"]["cells"][1] == "Investment (US$ m)"
    assert slide["table"]["align"] == ["left", "right", "right", "right"]


# ---------------------------------------------------------------- bad values, located


def test_every_bad_value_of_a_table_is_located(tmp_path):
    bad = {"id": "bad", "title": "Bad", "columns": ["Name", {"name": "Value", "kind": "number"},
                                                     {"name": "C", "kind": "text", "decimals": 1}],
           "rows": [["a", "12%", "x"], ["b", "3"]], "total": True}
    nothing = {"id": "nothing", "title": "No numbers", "columns": ["A", "B"], "rows": [["a", "b"]], "total": "Sum"}
    with pytest.raises(OutlineError) as exc:
        outline_with(tmp_path, [bad, nothing])
    text = str(exc.value)
    assert "tables[bad].rows[0].cells[1]: '12%' is not a number but column 'Value' is kind: number" in text
    assert "tables[bad].rows[1].cells: row 2 has 2 cells but the table has 3 columns" in text
    assert "tables[bad].columns[2].decimals: column 'C' is kind: text" in text
    assert "tables[nothing].total: a total row sums the number columns but this table has none" in text
    assert re.search(r"t\.yaml:\d+:\d+: tables\[bad\]", text)


def test_the_documented_example_builds(tmp_path, ctx):
    doc = (ROOT / "docs" / "outline-format.md").read_text(encoding="utf-8")
    block = doc.split("### tables", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    example = yaml.safe_load(block)
    head = "meta: {title: T, date: 2024-04-19}\nlead: L\n"
    (tmp_path / "doc.yaml").write_text(head + block, encoding="utf-8")
    o = deckgen.load(tmp_path / "doc.yaml").outline
    g = grid(o.table("edca-sites"), "en")
    assert g.header[-1] == "Investment (US$ m)" and g.rows[2].key and g.rows[-1].cells[-1] == "45.7"
    assert [r.cells[2] for r in g.rows[:3]] == ["2016", "2016", "2023"]
    plan, warnings = plan_deck(o, ctx)
    assert warnings == [] and [s.kind for s in plan.slides].count("table") == 1 and example["tables"][0]["id"] == "edca-sites"
