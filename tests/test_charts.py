"""Tests of deckgen.charts: the chart figures as a reader of the PDF, SVG or PNG sees them."""
from __future__ import annotations

import io
import json
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
from deckgen.charts import style
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
    with rc_context(style.rc(theme, style.register_fonts(theme))):
        fig = charts._figure(chart, theme, style.register_fonts(theme), 480, 270, 72)
    lines = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) > 1 and to_hex(ln.get_color()) == "#1f3a5f"]
    solid = [list(ln.get_xdata()) for ln in lines if ln.get_linestyle() == "-"]
    dashed = [list(ln.get_xdata()) for ln in lines if ln.get_linestyle() not in ("-", "None")]
    assert solid == [[0, 1, 2]] and dashed == [[2, 3, 4]]


# --- columns and bars ---------------------------------------------------------------------------------------------


def test_stacked_columns_label_each_nonzero_segment_and_the_total(theme):
    words = _words(charts.render(EDCA, theme, "pdf", 480, 270))
    # white on the navy segments, black on the mid-blue one (white would be 4.0:1 there, under WCAG AA's 4.5:1)
    on_bars = sorted((w["text"], w["non_stroking_color"]) for w in words
                     if w["non_stroking_color"] in ((1.0,), (1.0, 1.0, 1.0), (0.0,), (0.0, 0.0, 0.0)))
    assert [t for t, _ in on_bars] == ["4", "5", "5"]  # the 0 added sites of 2016 get no label
    assert on_bars[0][1] in ((0.0,), (0.0, 0.0, 0.0)) and all(c in ((1.0,), (1.0, 1.0, 1.0)) for _, c in on_bars[1:])
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

    with rc_context(style.rc(theme, style.register_fonts(theme))):
        assert Path(font_manager.findfont(font_manager.FontProperties())).resolve() == Path(theme.font.regular).resolve()


# Two themes unlike the default: other colours and size; another TrueType family (matplotlib's own DejaVu Sans files).
_OTHER_THEMES = """
import dataclasses, hashlib, json, sys
from pathlib import Path
import matplotlib
import deckgen
from deckgen import charts
from deckgen.theme import FontFamily, load_theme

ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
THEMES = {
    "default": load_theme(),
    "big": dataclasses.replace(load_theme(), series=("2E7D5B", "E0A526", "8C9DB0"), chart_font_size=11),
    "dejavu": dataclasses.replace(load_theme(), font=FontFamily(
        "DejaVu Sans", ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf", ttf / "DejaVuSans-Oblique.ttf", ttf / "DejaVuSans-BoldOblique.ttf")),
}
CHARTS = deckgen.load(OUTLINE).outline.charts

def digests(name):
    out = []
    for chart in CHARTS:
        for fmt in ("svg", "pdf", "png"):
            out.append(hashlib.sha256(charts.render(chart, THEMES[name], fmt, 480, 270)).hexdigest())
        out.append(hashlib.sha256(charts.render(chart, THEMES[name], "pdf", 480, 360, titled=True)).hexdigest())
    return out
"""


def test_themes_rendered_alternately_in_one_process_match_each_alone_in_a_fresh_one():
    names = ["dejavu", "big", "default"]
    alone = {}
    for name in names:  # each theme first and only, in a fresh interpreter
        code = f"OUTLINE = {str(MINI)!r}\n" + _OTHER_THEMES + f"print(json.dumps(digests({name!r})))"
        alone[name] = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert alone["dejavu"] != alone["default"] != alone["big"]  # the themes really draw differently
    space: dict = {"OUTLINE": str(MINI)}
    exec(_OTHER_THEMES, space)  # noqa: S102 — the same code as the subprocesses, here in the test process
    for _ in range(2):  # alternating, twice: the second round follows every theme's registration
        for name in names:
            assert space["digests"](name) == alone[name], name


def test_a_second_font_file_set_under_a_known_family_name_is_an_error_not_a_swap(theme):
    import dataclasses

    from deckgen.errors import AssetError
    from deckgen.theme import FontFamily, assets_dir

    own = assets_dir() / "fonts" / "DejaVuSans.ttf"  # deckgen's copy (for the brief), not matplotlib's
    other = dataclasses.replace(theme, font=FontFamily("DejaVu Sans", own, own, own, own))
    before = charts.render(MINI_CHARTS["fdi"], theme, "svg", 240, 160)
    with pytest.raises(AssetError, match="chart font family 'DejaVu Sans' is already drawn from .*mpl-data"):
        charts.render(MINI_CHARTS["fdi"], other, "svg", 240, 160)
    assert charts.render(MINI_CHARTS["fdi"], theme, "svg", 240, 160) == before  # the refused theme changed nothing


# --- whole-number ticks -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[5, 6], [3, 6], [2, 5], [6, 12]], ids=str)
@pytest.mark.parametrize("size", [(480, 270), (240, 160), (300, 130), (160, 100)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_whole_number_data_gets_whole_number_ticks(theme, values, size):
    chart = _chart(kind="column", categories=["A", "B"], series=[{"name": "S", "values": values}])
    words = [w["text"] for w in _words(charts.render(chart, theme, "pdf", *size))]
    numbers = [w for w in words if re.fullmatch(r"[\d.,]+", w)]
    assert len(numbers) >= 3  # ticks and data labels are there
    assert not [w for w in numbers if "." in w]  # no 0.0 / 2.5 / 5.0 on a count of sites


@pytest.mark.parametrize("size", [(480, 270), (481.89, 240.94), (400, 200)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_fractional_data_gets_more_than_three_ticks(theme, size):
    words = [w["text"] for w in _words(charts.render(JAPAN, theme, "pdf", *size))]
    assert {"0.0", "0.5", "1.0", "1.5", "2.0"} <= set(words)  # not just 0 / 1 / 2 on a 0.9-2.0 series


# --- a chart on its own: title and source drawn in -------------------------------------------------------------


@pytest.mark.parametrize("size", [(640, 360), (400, 260)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chart", [*MINI_CHARTS.values(), JAPAN, EDCA, FDI], ids=lambda c: c.id)
def test_titled_chart_shows_title_and_source_without_overlap(theme, chart, size):
    width, height = size
    pdf = charts.render(chart, theme, "pdf", width, height, titled=True)
    words = _words(pdf)
    text = " ".join(w["text"] for w in words)
    assert " ".join(chart.title.split()) in text
    assert f"Source: {chart.source}" in text
    title_words = [w for w in words if "Bold" in w["fontname"] and w["text"] in chart.title.split()]
    assert " ".join(w["text"] for w in title_words) == " ".join(chart.title.split())
    title_bottom = max(w["bottom"] for w in title_words)
    source_top = min(w["top"] for w in words if w["text"] == "Source:")
    for w in words:
        assert w["x0"] >= 0 and w["top"] >= 0 and w["x1"] <= width and w["bottom"] <= height, w["text"]
    flat = [w for w in words if w["upright"]]
    for i, a in enumerate(flat):
        for b in flat[i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])
    body = [w for w in flat if w not in title_words and w["top"] < source_top - 0.5]
    assert all(w["top"] >= title_bottom - 0.5 for w in body)  # legend, ticks, labels: all below the title


def test_untitled_chart_has_no_title_or_source(theme):
    text = _text(charts.render(FDI, theme, "pdf", 480, 270))
    assert "Source:" not in text and "investor country" not in text


def test_theme_fields_lists_every_theme_attribute_the_renderer_uses():
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(charts.__file__).parent.glob("*.py")))
    used = set(re.findall(r"\btheme\.([a-z_]+)", source))
    used = {"series" if u == "series_colour" else u for u in used}
    assert used and used <= set(charts.THEME_FIELDS), used - set(charts.THEME_FIELDS)


# --- alt text -----------------------------------------------------------------------------------------------------


def test_alt_text_of_a_line_chart_reads_as_a_sentence():
    from deckgen.alttext import describe

    chart = _chart(
        title="Japan's defence spending",
        unit="% of GDP",
        categories=[str(y) for y in range(2022, 2028)],
        series=[{"name": "Japan", "values": [1.0, 1.1, 1.2, 1.4, 1.7, 2.0]}],
        target={"value": 2.0, "label": "2% target"},
        decimals=1,
    )
    assert describe(chart) == "Line chart: Japan's defence spending rises from 1.0% of GDP in 2022 to a 2.0% of GDP target in 2027."
    planned = chart.model_copy(update={"projected_from": "2024"})
    assert describe(planned) == (
        "Line chart: Japan's defence spending rises from 1.0% of GDP in 2022 to 1.1% of GDP in 2023"
        " and is planned to reach a 2.0% of GDP target in 2027."
    )
    titled_with_unit = chart.model_copy(update={"title": "Japan's defence spending, % of GDP"})
    assert describe(titled_with_unit).startswith("Line chart: Japan's defence spending rises")


def test_alt_text_of_several_lines_names_each_series_and_the_reference_line():
    from deckgen.alttext import describe

    chart = _chart(
        unit="US$ bn",
        series=[{"name": "Exports", "values": [1, 2, 3]}, {"name": "Imports", "values": [3, 2, 2]}],
        target={"value": 2.5, "label": "Ceiling"},
    )
    assert describe(chart) == (
        "Line chart: T. Exports rises from US$1.0 bn in a to US$3.0 bn in c."
        " Imports falls from US$3.0 bn in a to US$2.0 bn in c. Reference line at US$2.5 bn: Ceiling."
    )


def test_alt_text_of_bars_follows_the_drawn_order_and_stacks_give_totals():
    from deckgen.alttext import describe

    unsorted = FDI.model_copy(update={"sort": True, "categories": ["Canada", "Japan", "Germany"], "series": [FDI.series[0].model_copy(update={"values": [590, 775, 560]})]})
    assert describe(unsorted) == "Bar chart: FDI stock in the U.S. by investor country. Largest first. Japan US$775 bn, Canada US$590 bn, Germany US$560 bn."
    assert describe(EDCA) == (
        "Column chart, stacked: EDCA sites in the Philippines."
        " 2016: 5 sites (Original sites 5); 2023: 9 sites (Original sites 5, Added in 2023 4)."
    )


def test_alt_text_of_the_outline_wins_and_is_plain_text():
    from deckgen.alttext import describe

    assert describe(_chart(alt="A **bold** claim")) == "A bold claim"


# --- data checks: every bad chart gives a located message (issue 3) --------------------------------------------

_OUTLINE = """meta: {{title: T, date: 2024-04-19}}
lead: L
sections:
  - id: s
    title: S
    charts: [spend]
charts:
  - id: spend
    kind: {kind}
    stacked: {stacked}
    title: C
    categories: {cats}
    series:
      - name: Exports
        values: [1, 2, 3]
      - name: Imports
        values: {vals}
    source: x
"""


def _problems(kind="line", stacked="false", cats="[a, b, c]", vals="[1, 2, 3]") -> list[str]:
    from deckgen.errors import OutlineError
    from deckgen.outline import load_bytes

    raw = _OUTLINE.format(kind=kind, stacked=stacked, cats=cats, vals=vals).encode("utf-8")
    with pytest.raises(OutlineError) as info:
        load_bytes(raw, "brief.yaml")
    return [str(p) for p in info.value.problems]


VALUES_AT = "brief.yaml:17:{col}: charts[spend].series[Imports].values[{i}]: "


@pytest.mark.parametrize(
    ("vals", "col", "index", "message"),
    [
        ("[1, NaN, 3]", 21, 1, "'NaN' is not a finite number — NaN and infinity cannot be charted"),
        ("[1, 2, 1e999]", 24, 2, "'1e999' is not a finite number"),
        ("[1, .nan, 3]", 21, 1, "'.nan' is not a number"),
        ("[1, .inf, 3]", 21, 1, "'.inf' is not a number"),
        ("[null, 2, 3]", 18, 0, "nothing (null) is not a number"),
        ('[1, "12%", 3]', 21, 1, "'12%' is not a number — write digits only"),
        ('[1, "1,000", 3]', 21, 1, "'1,000' is not a number — write digits only"),
        ("[1, 2, yes]", 24, 2, "'yes' is not a number"),
    ],
    ids=["NaN", "inf", "yaml-nan", "yaml-inf", "null", "percent", "thousands", "yes"],
)
def test_bad_values_are_located_by_chart_series_and_index(vals, col, index, message):
    problems = _problems(vals=vals)
    assert len(problems) == 1
    assert problems[0].startswith(VALUES_AT.format(col=col, i=index) + message), problems[0]


def test_a_series_of_the_wrong_length_is_named():
    (problem,) = _problems(vals="[1, 2]")
    assert problem == (
        "brief.yaml:17:17: charts[spend].series[Imports].values: series 'Imports' has 2 values but the chart has 3 categories"
        " — give one value per category"
    )


def test_an_empty_series_is_located():
    (problem,) = _problems(vals="[]")
    assert problem == "brief.yaml:17:17: charts[spend].series[Imports].values: must not be empty — give at least one item"


def test_duplicate_categories_are_named():
    (problem,) = _problems(cats="[a, b, a]")
    assert problem.startswith("brief.yaml:12:17: charts[spend].categories: category 'a' appears twice")


@pytest.mark.parametrize("kind", ["column", "bar"])
def test_negative_values_in_a_stacked_chart_are_located(kind):
    (problem,) = _problems(kind=kind, stacked="true", vals="[1, -2, 3]")
    assert problem.startswith("brief.yaml:17:21: charts[spend].series[Imports].values[1]: a stacked chart cannot show negative values")


def test_negative_values_are_fine_where_the_kind_can_show_them():
    from deckgen.outline import load_bytes

    for kind in ("line", "column", "bar"):
        raw = _OUTLINE.format(kind=kind, stacked="false", cats="[a, b, c]", vals="[1, -2, 3]").encode("utf-8")
        assert load_bytes(raw, "brief.yaml").outline.charts[0].series[1].values == [1, -2, 3]
