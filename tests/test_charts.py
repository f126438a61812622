"""Tests of deckgen.charts: the chart figures as a reader of the PDF, SVG or PNG sees them."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pdfplumber
import pypdf
import pytest
import yaml
from PIL import Image

from deckgen import charts
from deckgen.errors import RenderError
from deckgen.model import Chart, Outline
from deckgen.theme import load_theme

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
SIZES = [(480, 270), (240, 160)]
FORMATS = ["svg", "pdf", "png"]


def _mini() -> Outline:
    with MINI.open(encoding="utf-8") as f:
        return Outline.model_validate(yaml.load(f, Loader=yaml.BaseLoader))


MINI_CHARTS = {c.id: c for c in _mini().charts}

JAPAN = Chart(
    id="japan",
    kind="line",
    title="Japan's defence spending",
    unit="% of GDP",
    categories=[str(y) for y in range(2014, 2028)],
    series=[{"name": "Defence spending", "values": [0.95, 0.94, 0.93, 0.93, 0.92, 0.93, 1.0, 1.05, 1.09, 1.19, 1.6, 1.8, 1.9, 2.0]}],
    target={"value": 2.0, "label": "2% of GDP target (2027)"},
    projected_from="2024",
    source="Japan Ministry of Defense",
)
EDCA = Chart(
    id="edca",
    kind="column",
    stacked=True,
    title="EDCA sites in the Philippines",
    unit="sites",
    categories=["2016", "2023"],
    series=[{"name": "Original sites", "values": [5, 5]}, {"name": "Added in 2023", "values": [0, 4]}],
    source="U.S. DoD",
)
FDI = Chart(
    id="fdi_stock",
    kind="bar",
    sort=True,
    title="FDI stock in the U.S. by investor country",
    unit="US$ bn",
    categories=["Canada", "Japan", "Germany", "United Kingdom", "Netherlands", "Luxembourg"],
    series=[{"name": "2022", "values": [590, 775, 560, 692, 530, 410]}],
    source="BEA",
)
LONG = Chart(
    id="long",
    kind="column",
    title="Staff",
    unit="people",
    categories=["Ministry of Foreign Affairs", "Ministry of National Defence", "Prime Minister's Office", "Other"],
    series=[{"name": "2023", "values": [1200, 15400, 320, 45]}, {"name": "2024", "values": [1250, 16100, 330, 50]}],
    source="x",
)
ALL = [*MINI_CHARTS.values(), JAPAN, EDCA, FDI, LONG]


@pytest.fixture(scope="module")
def theme():
    return load_theme()


def _chart(**kw) -> Chart:
    base = dict(id="c", kind="line", title="T", categories=["a", "b", "c"], series=[{"name": "S", "values": [1, 2, 3]}], source="x")
    return Chart(**{**base, **kw})


def _words(pdf: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[0].extract_words(extra_attrs=["fontname", "non_stroking_color", "upright"])


def _text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _svg_texts(svg: bytes) -> list[str]:
    """The strings of an SVG whose glyphs are paths: matplotlib keeps each text as a comment before its glyphs."""
    return [unescape(m) for m in re.findall(r"<!-- (.*?) -->", svg.decode("utf-8"))]


# --- every chart, every format ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("chart_id", list(MINI_CHARTS))
def test_mini_charts_render_in_every_format_at_the_asked_size(theme, chart_id, fmt):
    data = charts.render(MINI_CHARTS[chart_id], theme, fmt, 480, 270)
    if fmt == "pdf":
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        assert [float(v) for v in page.mediabox] == [0, 0, 480, 270]
    elif fmt == "svg":
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert (root.get("width"), root.get("height")) == ("480pt", "270pt")
    else:
        with Image.open(io.BytesIO(data)) as im:
            assert im.size == (round(480 / 72 * 200 - 0.5), 750)  # 6.67 in x 3.75 in at 200 dpi
            assert "Software" not in im.info


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.id)
def test_same_chart_gives_the_same_bytes(theme, chart, fmt):
    assert charts.render(chart, theme, fmt, 480, 270) == charts.render(chart, theme, fmt, 480, 270)


def test_pdf_and_svg_carry_no_dates_or_software_names(theme):
    pdf = charts.render(JAPAN, theme, "pdf", 480, 270)
    info = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    assert not {"/Creator", "/Producer", "/CreationDate"} & set(info)
    svg = charts.render(JAPAN, theme, "svg", 480, 270).decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib" not in svg


def test_importing_the_module_does_not_import_matplotlib():
    code = "import sys, deckgen.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- text: labels, fonts, literal dollars ---------------------------------------------------------------------


@pytest.mark.parametrize("chart_id", list(MINI_CHARTS))
def test_pdf_has_the_category_labels_as_text(theme, chart_id):
    chart = MINI_CHARTS[chart_id]
    words = {w["text"] for w in _words(charts.render(chart, theme, "pdf", 480, 270))}
    assert set(chart.categories) <= words


@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.id)
def test_pdf_embeds_the_theme_font_and_no_other(theme, chart):
    reader = pypdf.PdfReader(io.BytesIO(charts.render(chart, theme, "pdf", 480, 270)))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"])
        assert re.fullmatch(r"/[A-Z]{6}\+Carlito(-Bold|-Italic|-BoldItalic)?", name), name
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded TrueType
    raw = reader.stream.getvalue() if hasattr(reader.stream, "getvalue") else b""
    assert b"Helvetica" not in raw and b"DejaVu" not in raw


def test_dollar_signs_stay_literal(theme):
    chart = _chart(
        kind="column",
        unit="$ bn",
        categories=["$5 and $10", "b"],
        series=[{"name": "$5 and $10 series", "values": [1, 2]}, {"name": "Other", "values": [2, 3]}],
    )
    pdf_text = _text(charts.render(chart, theme, "pdf", 480, 270))
    assert "$5 and $10 b" in pdf_text or "$5 and $10\n" in pdf_text
    assert "$5 and $10 series" in pdf_text
    svg_texts = _svg_texts(charts.render(chart, theme, "svg", 480, 270))
    assert {"$5 and $10", "$5 and $10 series", "$ bn"} <= set(svg_texts)

    line = _chart(target={"value": 2.5, "label": "Goal: $5 and $10"})
    assert "Goal: $5 and $10" in _text(charts.render(line, theme, "pdf", 480, 270))


def test_markup_in_series_names_is_shown_as_plain_text(theme):
    chart = _chart(series=[{"name": "**Bold** name", "values": [1, 2, 3]}, {"name": "Other", "values": [3, 2, 1]}])
    text = _text(charts.render(chart, theme, "pdf", 480, 270))
    assert "Bold name" in text and "**" not in text


# --- legend -----------------------------------------------------------------------------------------------------


def test_multi_series_line_chart_has_a_legend_and_single_series_has_none(theme):
    multi = _chart(
        series=[{"name": "Exports", "values": [1, 2, 3]}, {"name": "Imports", "values": [2, 2, 1]}],
        target={"value": 2.5, "label": "Ceiling"},
    )
    words = [w["text"] for w in _words(charts.render(multi, theme, "pdf", 480, 270))]
    assert "Exports" in words and "Imports" in words
    assert words.count("Ceiling") == 1  # the target is labelled on its line, not again in the legend
    assert {"Exports", "Imports"} <= set(_svg_texts(charts.render(multi, theme, "svg", 480, 270)))

    single = MINI_CHARTS["spend"]
    assert "Spending" not in _text(charts.render(single, theme, "pdf", 480, 270))
    assert "Spending" not in _svg_texts(charts.render(single, theme, "svg", 480, 270))


def test_legend_sits_above_the_plot(theme):
    words = _words(charts.render(EDCA, theme, "pdf", 480, 270))
    legend_bottom = max(w["bottom"] for w in words if w["text"] in ("Original", "Added"))
    assert all(w["top"] >= legend_bottom for w in words if w["text"] in ("9", "10", "2016"))


# --- line charts ----------------------------------------------------------------------------------------------


def test_line_target_is_labelled_at_the_right_end_above_its_line(theme):
    words = _words(charts.render(JAPAN, theme, "pdf", 480, 270))
    label = [w for w in words if w["text"] in ("target", "(2027)")]
    assert len(label) == 2
    ticks = {w["text"]: w for w in words if re.fullmatch(r"\d\.\d", w["text"])}
    two = ticks["2.0"]
    two_mid = (two["top"] + two["bottom"]) / 2  # the target line's height on the page
    assert all(w["bottom"] <= two_mid for w in label)  # above the line
    assert max(w["x1"] for w in label) > 480 - 30  # at the right end


def test_line_axis_starts_at_zero_when_all_values_are_positive(theme):
    words = _words(charts.render(JAPAN, theme, "pdf", 480, 270))
    ticks = [w for w in words if re.fullmatch(r"\d\.\d", w["text"])]
    assert max(ticks, key=lambda w: w["top"])["text"] == "0.0"


def test_line_axis_goes_below_zero_for_negative_values(theme):
    chart = _chart(series=[{"name": "S", "values": [-2, 1, 3]}])
    text = _text(charts.render(chart, theme, "pdf", 480, 270))
    assert "\u22122" in text  # a true minus sign


def _svg_series_paths(svg: bytes, colour: str) -> list[str]:
    """The style attributes of SVG paths stroked in `colour` (lowercase hex)."""
    return [s for s in re.findall(r'style="([^"]*)"', svg.decode("utf-8")) if f"stroke: {colour}" in s and "fill: none" in s]


def test_projected_values_are_drawn_dashed_and_marked_as_plan(theme):
    chart = MINI_CHARTS["spend"]
    svg = charts.render(chart, theme, "svg", 480, 270)
    colour = "#" + theme.series_colour(0).lower()
    styles = _svg_series_paths(svg, colour)
    assert any("stroke-dasharray" not in s for s in styles)  # the actual values: solid
    assert any("stroke-dasharray" in s for s in styles)  # the plan: dashed
    assert "Plan" in _text(charts.render(chart, theme, "pdf", 480, 270))

    plain = _chart()
    assert all("stroke-dasharray" not in s for s in _svg_series_paths(charts.render(plain, theme, "svg", 480, 270), colour))
    assert "Plan" not in _text(charts.render(plain, theme, "pdf", 480, 270))


def test_dashed_plan_starts_at_the_point_before_it(theme):
    from matplotlib import rc_context
    from matplotlib.colors import to_hex

    chart = MINI_CHARTS["spend"]  # 2021..2025, plan from 2024 (index 3)
    with rc_context(charts._rc(theme, charts._register_fonts(theme))):
        fig = charts._figure(chart, theme, charts._register_fonts(theme), 480, 270, 72)
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 1 and to_hex(ln.get_color()) == "#1f3a5f"]
    solid = [list(ln.get_xdata()) for ln in lines if ln.get_linestyle() == "-"]
    dashed = [list(ln.get_xdata()) for ln in lines if ln.get_linestyle() not in ("-", "None")]
    assert solid == [[0, 1, 2]] and dashed == [[2, 3, 4]]


# --- columns and bars ---------------------------------------------------------------------------------------------


def test_stacked_columns_label_each_nonzero_segment_and_the_total(theme):
    words = _words(charts.render(EDCA, theme, "pdf", 480, 270))
    on_bars = sorted(w["text"] for w in words if w["non_stroking_color"] in ((1.0,), (1.0, 1.0, 1.0)))
    assert on_bars == ["4", "5", "5"]  # the 0 added sites of 2016 get no label
    totals = [w["text"] for w in words if "Bold" in w["fontname"]]
    assert totals == ["9"]  # a one-segment stack needs no total


def test_grouped_columns_have_a_label_on_every_bar(theme):
    words = [w["text"] for w in _words(charts.render(LONG, theme, "pdf", 480, 270))]
    for label in ("1,200", "15,400", "320", "45", "1,250", "16,100", "330", "50"):
        assert label in words


def test_data_labels_use_the_charts_decimals(theme):
    chart = _chart(kind="column", decimals=1, series=[{"name": "S", "values": [1234.56, 2, 3]}])
    words = [w["text"] for w in _words(charts.render(chart, theme, "pdf", 480, 270))]
    assert {"1,234.6", "2.0", "3.0"} <= set(words)


def _bar_order(pdf: bytes, names: list[str]) -> list[str]:
    words = [w for w in _words(pdf) if w["text"] in names]
    return [w["text"] for w in sorted(words, key=lambda w: w["top"])]


def test_bars_sorted_largest_first_when_asked(theme):
    names = ["Canada", "Japan", "Germany", "Netherlands", "Luxembourg"]
    assert _bar_order(charts.render(FDI, theme, "pdf", 480, 270), names) == ["Japan", "Canada", "Germany", "Netherlands", "Luxembourg"]
    unsorted = FDI.model_copy(update={"sort": False})
    assert _bar_order(charts.render(unsorted, theme, "pdf", 480, 270), names) == names  # outline order, top to bottom


def test_bar_labels_sit_at_the_bar_ends(theme):
    words = _words(charts.render(FDI, theme, "pdf", 480, 270))
    by_text = {w["text"]: w for w in words}
    assert by_text["775"]["x0"] > by_text["410"]["x0"] + 50  # the longer bar's label is further right
    assert abs((by_text["775"]["top"] + by_text["775"]["bottom"]) / 2 - (by_text["Japan"]["top"] + by_text["Japan"]["bottom"]) / 2) < 2


def test_unit_is_the_value_axis_title(theme):
    assert "US$ bn" in _text(charts.render(FDI, theme, "pdf", 480, 270))
    chars = "".join(sorted(w["text"] for w in _words(charts.render(EDCA, theme, "pdf", 480, 270)) if not w["upright"]))
    assert sorted(chars) == sorted("sites")  # written upright along the y axis


# --- nothing clipped, nothing overlapping ---------------------------------------------------------------------


def _overlap(a: dict, b: dict, tol: float = 0.75) -> bool:
    return a["x0"] < b["x1"] - tol and b["x0"] < a["x1"] - tol and a["top"] < b["bottom"] - tol and b["top"] < a["bottom"] - tol


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chart", ALL, ids=lambda c: c.id)
def test_text_is_inside_the_figure_and_does_not_overlap(theme, chart, size):
    width, height = size
    words = _words(charts.render(chart, theme, "pdf", width, height))
    assert words
    for w in words:
        assert w["x0"] >= 0 and w["top"] >= 0 and w["x1"] <= width and w["bottom"] <= height, w["text"]
    flat = [w for w in words if w["upright"]]
    for i, a in enumerate(flat):
        for b in flat[i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])


def test_long_category_labels_are_wrapped_not_cut(theme):
    words = _text(charts.render(LONG, theme, "pdf", 480, 270)).split()
    for word in "Ministry of Foreign Affairs National Defence Prime Minister's Office".split():
        assert word in words
    assert all("\u2026" not in w for w in words)
    tops = [w["top"] for w in _words(charts.render(LONG, theme, "pdf", 480, 270)) if w["text"] == "Ministry"]
    assert len(tops) == 2 and abs(tops[0] - tops[1]) < 1  # two labels side by side: wrapped, not turned


def test_many_years_on_a_small_line_chart_are_thinned_keeping_the_last(theme):
    words = [w["text"] for w in _words(charts.render(JAPAN, theme, "pdf", 240, 160))]
    years = [w for w in words if re.fullmatch(r"20\d\d", w)]
    assert "2027" in years and 4 <= len(years) < 14


# --- errors and resources -------------------------------------------------------------------------------------


def test_bad_requests_raise_render_errors(theme):
    chart = MINI_CHARTS["spend"]
    with pytest.raises(RenderError, match="unknown image format 'gif'"):
        charts.render(chart, theme, "gif", 480, 270)  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="too small"):
        charts.render(chart, theme, "png", 10, 270)
    with pytest.raises(RenderError, match="has 2 values but the chart has 3 categories"):
        charts.render(_chart(series=[{"name": "S", "values": [1, 2]}]), theme, "png", 480, 270)


def test_a_figure_too_small_for_its_labels_is_an_error_not_a_mess(theme):
    crowded = _chart(series=[{"name": f"A long series name number {i}", "values": [1, 2, 3]} for i in range(6)])
    with pytest.raises(RenderError, match="do not fit"):
        charts.render(crowded, theme, "png", 100, 80)


def test_fonts_are_registered_once(theme):
    from matplotlib import font_manager

    for _ in range(2):
        charts.render(MINI_CHARTS["fdi"], theme, "png", 240, 160)
    ours = {str(Path(p).resolve()) for p in (theme.font.regular, theme.font.bold, theme.font.italic, theme.font.bold_italic)}
    registered = [f.fname for f in font_manager.fontManager.ttflist if str(Path(f.fname).resolve()) in ours]
    assert sorted(registered) == sorted(ours)  # each bundled file once, however often we render
    # and the bundled regular face is the one drawn, even when the system has its own Carlito
    from matplotlib import rc_context

    with rc_context(charts._rc(theme, charts._register_fonts(theme))):
        assert Path(font_manager.findfont(font_manager.FontProperties())).resolve() == Path(theme.font.regular).resolve()
