"""A chart in the brief also offers its data (`brief.chart_data`): a table for screen readers beside each figure
(`hidden`, the plan's Figure.data), a visible "Chart data" annex after the sources (`annex`), or neither (`none`)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

import deckgen
from conftest import DEFAULT, MINI, ROOT
from deckgen.audience import tailor
from deckgen.cli import cli
from deckgen.layout import brief as bp
from deckgen.layout.brief import plan_brief
from deckgen.layout.chartdata import chart_grid
from deckgen.layout.deck import plan_deck
from deckgen.model import Chart, Outline
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.words import Words, format_number

NBSP = "\u00a0"


def _ctx(language: str = "en"):
    return typesetting(load_theme(), language=language, system_fonts=False)


def _plan(outline: Outline) -> bp.BriefPlan:
    return plan_brief(outline, _ctx(outline.meta.language))[0]


def _with(outline: Outline, chart_data: str, **meta) -> Outline:
    return outline.model_copy(update={"brief": outline.brief.model_copy(update={"chart_data": chart_data}),
                                      "meta": outline.meta.model_copy(update=meta)})


@pytest.fixture(scope="module")
def default() -> Outline:
    return deckgen.load(DEFAULT).outline


def _figures(plan: bp.BriefPlan) -> list[bp.Figure]:
    return [b for b in plan.blocks if isinstance(b, bp.Figure)]


def _expected(chart: Chart, language: str) -> list[tuple[str, ...]]:
    """The chart's values as rows, straight from the outline: category, then each series' value (the chart's decimals)."""
    cats = list(range(len(chart.categories)))
    if chart.kind == "bar" and chart.sort:
        cats.sort(key=lambda j: -chart.series[0].values[j])
    return [(chart.categories[j], *(format_number(s.values[j], chart.decimals, language) for s in chart.series))
            for j in cats]


# --- hidden (the default): the figure carries its data -----------------------------------------------------------


def test_default_figures_carry_their_charts_data(default):
    assert default.brief.chart_data == "hidden"
    figures = _figures(_plan(default))
    assert [f.chart_id for f in figures] == ["defence-spending", "japan-fdi", "edca-sites"]
    for f in figures:
        chart = default.chart(f.chart_id)
        data = f.data
        assert isinstance(data, bp.DataTable) and data.caption == f"Data for Figure {f.number}"
        assert data.header[0] == "" and len(data.header) >= 1 + len(chart.series)
        assert data.header[1:1 + len(chart.series)] == tuple(f"{s.name} ({chart.unit})" for s in chart.series)
        rows = [(re.sub(r" \(plan\)$", "", r[0]), *r[1:1 + len(chart.series)]) for r in data.rows[:len(chart.categories)]]
        assert rows == _expected(chart, default.meta.language)
        assert all(len(r) == len(data.header) for r in data.rows)


def test_each_kind_of_chart_has_its_table(default):
    spending, fdi, edca = (f.data for f in _figures(_plan(default)))
    # a line chart's plan marked, its target a last row
    assert spending.rows[9] == ("2023", "1.2") and spending.rows[10] == ("2024 (plan)", "1.4")
    assert spending.rows[-1] == ("2% of GDP target (2027)", "2.0") and len(spending.rows) == 14 + 1
    # a sorted bar chart, largest first, as drawn
    assert fdi.header == ("", "FDI position, 2023 (US$ bn)") and fdi.rows[0] == ("Japan", "783.3")
    # a stacked chart adds each stack's total
    assert edca.header[-1] == "Total (sites)" and edca.rows == (("2016", "5", "0", "5"), ("2023", "5", "4", "9"))


def test_scatter_and_grouping_and_missing_decimals():
    scatter = Chart.model_validate({
        "id": "s", "kind": "scatter", "title": "T", "unit": "% of GDP", "x_unit": "US$ bn", "source": "S",
        "points": [{"label": "Japan", "x": 4212.9, "y": 1.25}, {"label": "Poland", "x": 811, "y": 4}],
        "target": {"value": 2, "label": "NATO guideline"}})
    g = chart_grid(scatter, Words("pl"))
    assert g.header == ("", "US$ bn", "% of GDP") and g.align == ("left", "right", "right")
    assert [r.cells for r in g.rows] == [("Japan", f"4{NBSP}212,9", "1,25"), ("Poland", "811,0", "4,00"),
                                         ("NATO guideline", "", "2,00")]
    bare = Chart.model_validate({"id": "b", "kind": "column", "title": "T", "source": "S", "categories": ["a", "b"],
                                 "series": [{"name": "x", "values": [1, 2.5]}]})
    g = chart_grid(bare, Words("en"))
    assert g.header == ("", "x") and [r.cells for r in g.rows] == [("a", "1.0"), ("b", "2.5")]  # no unit, decimals as needed


def test_the_polish_audience_reads_polish_numbers_and_words(default):
    pl = tailor(default, "ministerstwo")
    figures = _figures(_plan(pl))
    spending = figures[0].data
    assert spending.caption == "Dane do: Wykres 1"
    assert spending.rows[0] == ("2014", "1,0") and spending.rows[10] == ("2024 (plan)", "1,4")
    chart = pl.chart("defence-spending")
    assert spending.header == ("", f"{chart.series[0].name} ({chart.unit})") and chart.series[0].name == "Japonia"
    assert figures[1].data.rows[0][1] == "783,3" and figures[2].data.header[-1].startswith("Razem")


# --- none and annex ----------------------------------------------------------------------------------------------


def test_none_gives_neither(default):
    plan = _plan(_with(default, "none"))
    assert all(f.data is None for f in _figures(plan))
    assert not any(isinstance(b, bp.Heading) and b.text == "Chart data" for b in plan.blocks)
    assert all(not b.label.startswith("Figure") for b in plan.blocks if isinstance(b, bp.Table))


def test_the_annex_follows_the_sources_and_precedes_the_end_matter(default):
    outline = _with(default, "annex", about_authors="The authors.", copyright="© PISM 2024")
    blocks = list(_plan(outline).blocks)
    figures = _figures(_plan(outline))
    assert all(f.data is None for f in figures)  # the annex replaces the hidden tables
    kinds = [type(b).__name__ for b in blocks]
    at = next(i for i, b in enumerate(blocks) if isinstance(b, bp.Heading) and b.text == "Chart data")
    assert kinds[at - 1] == "References" and kinds[at + 1:] == ["Table"] * len(figures) + ["EndMatter"]
    annex = blocks[at + 1:at + 1 + len(figures)]
    assert [t.caption for t in annex] == [f.caption for f in figures]  # "Figure N. title": no table number taken
    assert [(t.number, t.label) for t in annex] == [(f.number, f.label) for f in figures]
    assert annex[0].rows[-1].cells == ("2% of GDP target (2027)", "2.0") and annex[0].align == ("left", "right")
    hidden = {f.chart_id: f.data for f in _figures(_plan(default))}
    for t, f in zip(annex, figures):
        assert t.header == hidden[f.chart_id].header and tuple(r.cells for r in t.rows) == hidden[f.chart_id].rows
        assert t.source is None and sum(t.widths) <= 310.0 + 1e-6
    # the outline's own table keeps its number
    own = [b for b in blocks[:at] if isinstance(b, bp.Table)]
    assert [t.label for t in own] == ["Table 1."]


def test_endnotes_still_precede_the_sources_and_the_annex():
    o = deckgen.load(MINI).outline
    data = o.model_dump(mode="json", by_alias=True)
    data["lead"] += "^[A note.]"
    data["brief"] = {"notes": "end", "chart_data": "annex"}
    data["options"] = {"sources_slide": False}  # no sources: the annex still comes after the notes
    blocks = _plan(Outline.model_validate(data)).blocks
    kinds = [type(b).__name__ for b in blocks]
    assert kinds.index("Notes") < next(i for i, b in enumerate(blocks) if isinstance(b, bp.Heading) and b.text == "Chart data")


def test_the_deck_does_not_change(default):
    ctx = _ctx(default.meta.language)
    assert plan_deck(_with(default, "annex"), ctx) == plan_deck(default, ctx)


# --- the PDF -----------------------------------------------------------------------------------------------------


def _pdftotext(path) -> list[str]:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory, default):
    """The default outline's brief with `chart_data: annex`, about-the-authors added, and with `chart_data: none`."""
    out = tmp_path_factory.mktemp("chart-data")
    text = DEFAULT.read_text(encoding="utf-8")
    assert "\nbrief:" not in text
    for mode in ("annex", "none"):
        (out / f"{mode}.yaml").write_text(text + f"\nbrief:\n  chart_data: {mode}\n", encoding="utf-8")
        deckgen.build(out / f"{mode}.yaml", out, formats=["pdf"])
    return out / "annex.pdf", out / "none.pdf"


def test_the_annex_is_printed_on_the_last_pages(built, default):
    pages = _pdftotext(built[0])
    start = next(i for i, p in enumerate(pages) if re.search(r"^\s*Chart data\s*$", p, re.M))
    assert any(re.search(r"^\s*Sources\s*$", p, re.M) for p in pages[: start + 1])
    annex = "\n".join(pages[start:]).split("Chart data", 1)[1]
    for f in _figures(_plan(default)):
        assert f"{f.label} {f.title}" in annex
        for row in f.data.rows:
            assert re.search(r"\s+".join(map(re.escape, " ".join(row).split())), annex), row


def test_without_the_annex_the_brief_has_none(built):
    text = "\n".join(_pdftotext(built[1]))
    assert "Chart data" not in text and "Japan (% of GDP)" not in text and "2024 (plan)" not in text


def test_the_annex_stays_inside_the_text_area(built, default):
    import pdfplumber

    page = _plan(default).page
    with pdfplumber.open(built[0]) as pdf:
        for p in pdf.pages[-2:]:  # the annex's pages
            words = [w for w in p.extract_words() if w["top"] < float(page.height - page.bottom)]
            assert words
            assert all(float(page.left) - 0.5 <= w["x0"] and w["x1"] <= float(page.width - page.right) + 0.5 for w in words)


# --- the option itself -------------------------------------------------------------------------------------------


def test_validate_rejects_a_bad_value_where_it_is(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(MINI.read_text(encoding="utf-8") + "\nbrief:\n  chart_data: appendix\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code != 0
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert re.search(rf"bad\.yaml:{line}:\d+: brief\.chart_data: 'appendix' is not allowed — use one of hidden, annex, none",
                     result.output), result.output


def test_the_schema_and_the_format_document_name_it():
    schema = deckgen.outline_schema()["$defs"]["BriefOptions"]["properties"]["chart_data"]
    assert schema["enum"] == ["hidden", "annex", "none"] and schema["default"] == "hidden"
    doc = (ROOT / "docs" / "outline-format.md").read_text(encoding="utf-8")
    brief = doc.split("### brief", 1)[1].split("\n## ", 1)[0]
    assert "| `chart_data` | `hidden`, `annex` or `none` | `hidden` |" in brief
    assert "| `chart_data` | Chart data | Dane do wykresów |" in doc and "| `data_for` | Data for {label} | Dane do: {label} |" in doc


def test_an_annex_table_too_wide_for_the_page_is_squeezed_and_named():
    o = deckgen.load(MINI).outline
    data = o.model_dump(mode="json", by_alias=True)
    chart = next(c for c in data["charts"] if c["kind"] != "scatter")
    n = len(chart["categories"])
    chart["series"] = [{"name": f"Series with a long name number{i}", "values": [1000.5 + i] * n} for i in range(14)]
    data["brief"] = {"chart_data": "annex"}
    plan, warnings = plan_brief(Outline.model_validate(data), _ctx())
    index = next(i for i, c in enumerate(data["charts"]) if c["id"] == chart["id"])
    assert any(w.loc == ("charts", index, "series") and "chart-data annex" in w.message for w in warnings)
    table = next(b for b in plan.blocks if isinstance(b, bp.Table) and b.table_id == f"chart-data-{chart['id']}")
    assert table.wide and abs(sum(table.widths) - plan.page.frame_width) < 0.1
