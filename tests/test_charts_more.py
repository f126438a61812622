"""Charts in both products from one spec (issue 14): a target on every kind, labels that never collide, every category
label shown, the deck's plan band, axis decimals of their own, and the area, stacked bar and scatter kinds.

The deck is read back with python-pptx (chart types, series, labels) and, where only a renderer can tell, drawn by
LibreOffice; the brief's vector charts are read with pdfplumber."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.chart.plot import PlotTypeInspector
from pptx.enum.chart import XL_CHART_TYPE

import deckgen
from deckgen import charts
from deckgen.alttext import describe
from deckgen.chartrules import nice_scale, place_labels, segment_labels
from deckgen.layout.brief import figure_size
from deckgen.layout.deck import plan_deck
from deckgen.layout.deckchart import chart_plan, fit_frame
from deckgen.layout.slides import BulletsChartSlide, ChartSlide
from deckgen.model import Chart, Outline, check_chart
from deckgen.theme import load_theme
from deckgen.typeset import typesetting

CHARTS = Path(__file__).parent / "fixtures" / "charts.yaml"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.fixture(scope="module")
def outline() -> Outline:
    return deckgen.load(CHARTS).outline


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The deck and brief of the chart outline, built strictly (any warning fails the build)."""
    out = tmp_path_factory.mktemp("charts")
    deckgen.build(CHARTS, out, strict=True, cache=False)
    return out / "charts.pptx", out / "charts.pdf"


@pytest.fixture(scope="module")
def drawn(built, outline):
    """chart id -> (slide, graphic frame), in the outline's chart order (the sections list them so)."""
    prs = Presentation(str(built[0]))
    frames = [(s, sh) for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(frames) == len(outline.charts)
    return {c.id: f for c, f in zip(outline.charts, frames)}


def _pdf_words(pdf: bytes, page: int = 0) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [w["text"] for w in doc.pages[page].extract_words()]


def _brief_chart(chart: Chart, theme) -> bytes:
    """The chart as the brief draws it: its figure size at the text column's width."""
    w, h = figure_size(chart, 310)
    return charts.render(chart, theme, "pdf", w, h)


def _data_plot(chart):
    return next(p for p in chart.plots if not any(s.name == "Plan" for s in p.series))


def _deleted(ser) -> set[int]:
    return {int(d.find(f"{C}idx").get("val")) for d in ser._element.findall(f"{C}dLbls/{C}dLbl") if d.find(f"{C}delete") is not None}


# ---------------------------------------------------------------- kinds, native in the deck


def test_every_kind_is_a_native_chart_of_its_own_type(drawn):
    expected = {
        "ranking": XL_CHART_TYPE.BAR_CLUSTERED, "bar-target": XL_CHART_TYPE.BAR_CLUSTERED,
        "column-tiny": XL_CHART_TYPE.COLUMN_STACKED, "plan": XL_CHART_TYPE.LINE, "area": XL_CHART_TYPE.AREA_STACKED,
        "stacked-bar": XL_CHART_TYPE.BAR_STACKED, "scatter": XL_CHART_TYPE.XY_SCATTER,
    }
    for cid, kind in expected.items():
        plot = _data_plot(drawn[cid][1].chart)
        assert PlotTypeInspector.chart_type(plot) == kind, cid  # (a line with a marker-less target reads as LINE)


def test_area_and_stacked_bar_hold_the_outline_values(drawn, outline):
    for cid in ("area", "stacked-bar"):
        spec = outline.chart(cid)
        plot = drawn[cid][1].chart.plots[0]
        assert [str(c) for c in plot.categories] == spec.categories
        drawn_series = [(s.name, list(s.values)) for s in plot.series if s.name != "Total"]
        assert drawn_series == [(s.name, s.values) for s in spec.series]


def test_scatter_points_carry_their_labels_and_values(drawn, outline):
    spec = outline.chart("scatter")
    chart = drawn["scatter"][1].chart
    points = chart.plots[0].series[0]
    assert list(points.values) == [p.y for p in spec.points]
    xs = [float(v.text) for v in points._element.findall(f"{C}xVal//{C}v")]
    assert xs == [p.x for p in spec.points]
    labels = [dl.findtext(f".//{A}t") for dl in points._element.findall(f"{C}dLbls/{C}dLbl")]
    assert labels == [p.label for p in spec.points]
    assert chart.category_axis.axis_title.text_frame.text == spec.x_unit  # the x axis is titled with x_unit


# ---------------------------------------------------------------- targets on every kind


def test_a_target_is_a_dashed_line_series_on_column_line_area_and_scatter(drawn, outline):
    for cid in ("column-tiny", "plan", "area", "scatter"):
        spec = outline.chart(cid)
        chart = drawn[cid][1].chart
        target = [s for p in chart.plots for s in p.series if s.name == spec.target.label]
        assert len(target) == 1, cid
        assert set(target[0].values) == {spec.target.value}, cid
        assert target[0]._element.find(f"{C}spPr/{A}ln/{A}prstDash").get("val") == "dash", cid


def test_a_bar_charts_target_is_a_dashed_line_at_its_value_over_a_fixed_plot(drawn, outline, theme):
    for cid in ("bar-target", "stacked-bar", "ranking"):
        spec = outline.chart(cid)
        slide, frame = drawn[cid]
        chart = frame.chart
        layout = chart._chartSpace.find(f".//{C}plotArea/{C}layout/{C}manualLayout")
        x, w = (float(layout.find(f"{C}{k}").get("val")) for k in ("x", "w"))
        va = chart.value_axis
        lo, hi = va.minimum_scale, va.maximum_scale
        line = next(sh for sh in slide.shapes if sh.name == "Target line")
        expected = frame.left + frame.width * (x + w * (spec.target.value - lo) / (hi - lo))
        assert line.begin_x == line.end_x == pytest.approx(expected, abs=12700)  # vertical, within 1 pt
        assert line.begin_y < line.end_y and str(line.line.color.rgb) == theme.accent
        assert line.line._ln.find(f"{A}prstDash").get("val") == "dash"
        label = next(sh for sh in slide.shapes if sh.name == "Target label")
        assert label.text_frame.text == spec.target.label


def test_no_chart_warns_that_its_target_is_only_named_in_the_notes(outline, theme):
    _, warnings = plan_deck(outline, typesetting(theme))
    assert not warnings  # (the bar charts' targets are drawn; there was a warning per bar chart)
    source = (Path(deckgen.__file__).parent / "layout" / "deckchart.py").read_text(encoding="utf-8")
    assert "named in the notes" not in source


@pytest.mark.parametrize("cid,axis", [("column-tiny", "h"), ("area", "h"), ("scatter", "h"), ("bar-target", "v"), ("stacked-bar", "v")])
def test_the_brief_draws_every_target_with_its_name(outline, theme, cid, axis):
    spec = outline.chart(cid)
    pdf = _brief_chart(spec, theme)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert spec.target.label in page.extract_text()
        accent = tuple(int(theme.accent[i:i + 2], 16) / 255 for i in (0, 2, 4))
        marks = [o for o in page.lines + page.curves
                 if isinstance(o.get("stroking_color"), (tuple, list)) and len(o["stroking_color"]) >= 3 and tuple(round(c, 3) for c in o["stroking_color"][:3]) == tuple(round(c, 3) for c in accent)]
    assert marks, cid
    if axis == "h":
        assert any(abs(m["top"] - m["bottom"]) < 0.5 and m["x1"] - m["x0"] > 100 for m in marks), cid
    else:
        assert any(abs(m["x1"] - m["x0"]) < 0.5 and m["bottom"] - m["top"] > 50 for m in marks), cid


# ---------------------------------------------------------------- labels that never collide: one rule, both products


def test_the_shared_rule_hides_segments_too_small_for_their_label():
    shown = segment_labels([[40, 40, 40], [0, 1, 12]], 0, horizontal=False)
    assert shown == [[True, True, True], [False, False, True]]
    # a bar's label must fit its width: '0.9' in a stack of 22 is hidden, '3.2' (15% of it) is shown
    shown = segment_labels([[17.7, 3.8], [0.9, 0.6], [3.2, 0.6]], 1, horizontal=True)
    assert shown == [[True, True], [False, False], [True, False]]


@pytest.mark.parametrize("cid", ["column-tiny", "stacked-bar"])
def test_deck_and_brief_hide_the_same_small_segment_labels(drawn, outline, theme, cid):
    spec = outline.chart(cid)
    rule = segment_labels([s.values for s in spec.series], spec.decimals or 0, horizontal=spec.kind == "bar")
    plot = drawn[cid][1].chart.plots[0]
    for ser, shown in zip(plot.series, rule):
        assert _deleted(ser) == {j for j, ok in enumerate(shown) if not ok}, (cid, ser.name)
    words = _pdf_words(_brief_chart(spec, theme))
    fmt = lambda v: f"{v:,.{spec.decimals or 0}f}"
    for s, shown in zip(spec.series, rule):
        for v, ok in zip(s.values, shown):
            if ok:
                assert fmt(v) in words, (cid, s.name, v)
    hidden = {fmt(v) for s, shown in zip(spec.series, rule) for v, ok in zip(s.values, shown) if not ok and v}
    assert hidden and not hidden & set(words[: len(words)]) - {"0", "5", "10", "15", "20", "25", "40", "60"}, cid


def test_a_tiny_stacked_segment_is_unlabelled_in_both(drawn, outline, theme):
    spec = outline.chart("column-tiny")  # 2020: 40 + 1 — the '1' would sit on the segment's edge
    added = drawn["column-tiny"][1].chart.plots[0].series[1]
    assert 1 in _deleted(added) and 2 not in _deleted(added)
    words = _pdf_words(_brief_chart(spec, theme))
    assert "1" not in words and "12" in words and "41" in words  # the total still tells the reader


def test_the_deck_labels_stack_totals_as_the_brief_does(drawn):
    chart = drawn["column-tiny"][1].chart
    total = next(s for p in chart.plots for s in p.series if s.name == "Total")
    assert list(total.values) == [None, 41.0, 52.0]  # one segment: no total, as in the brief
    assert total._element.find(f"{C}dLbls/{C}showVal").get("val") == "1"
    assert total._element.find(f"{C}spPr/{A}ln/{A}noFill") is not None  # labels only, no line
    legend = chart._chartSpace.find(f".//{C}legend")
    deleted = {int(e.find(f"{C}idx").get("val")) for e in legend.findall(f"{C}legendEntry")}
    assert int(total._element.find(f"{C}idx").get("val")) in deleted


def test_the_deck_labels_stacked_bar_totals_just_after_each_bar(drawn, outline):
    spec = outline.chart("stacked-bar")
    chart = drawn["stacked-bar"][1].chart
    total = chart.plots[0].series[-1]  # one more stacked series, unfilled, labelled at its base
    assert total.name == "Total"
    assert list(total.values) == pytest.approx([sum(s.values[j] for s in spec.series) for j in range(len(spec.categories))])
    assert total._element.find(f"{C}spPr/{A}noFill") is not None
    assert total._element.find(f"{C}dLbls/{C}dLblPos").get("val") == "inBase"
    assert chart.value_axis.maximum_scale >= max(total.values)  # the bars end inside the axis; the rest is cut off


def test_a_column_or_area_target_is_named_on_its_line_where_the_data_leave_room(drawn, outline):
    for cid, at in (("column-tiny", 0), ("area", 0)):  # the last column (52) and the last area (119) reach the line
        spec = outline.chart(cid)
        chart = drawn[cid][1].chart
        target = next(s for p in chart.plots for s in p.series if s.name == spec.target.label)
        named = target._element.findall(f"{C}dLbls/{C}dLbl")
        assert [(int(d.find(f"{C}idx").get("val")), d.findtext(f".//{A}t")) for d in named] == [(at, spec.target.label)]
        legend = chart._chartSpace.find(f".//{C}legend")
        hidden = {int(e.find(f"{C}idx").get("val")) for e in legend.findall(f"{C}legendEntry")}
        assert int(target._element.find(f"{C}idx").get("val")) in hidden  # named on the line, not in the legend


def test_side_by_side_column_labels_step_down_turn_upright_or_are_left_out(theme):
    def plan(n: int):
        c = Chart(id="c", kind="column", title="T", categories=[str(2000 + i) for i in range(n)], source="x",
                  series=[{"name": "A", "values": [1250 + i for i in range(n)]}, {"name": "B", "values": [15400 + i for i in range(n)]}])
        return fit_frame(chart_plan(c, 0, theme, [], ""), 880, 336)[0]

    assert (plan(4).data_labels, plan(4).label_size, plan(4).labels_turned) == (True, None, False)
    assert (plan(12).data_labels, plan(12).label_size, plan(12).labels_turned) == (True, 12.0, True)
    assert plan(40).data_labels is False  # not even upright: none rather than a pile


def test_scatter_labels_are_placed_apart():
    pts = [(10, 50), (30, 54), (50, 50), (100, 100)]  # right of each would run into the next
    sizes = [(40, 12)] * 4
    sides = place_labels(pts, sizes, (300, 200), gap=4)

    def box(i):
        (x, y), (w, h), s = pts[i], sizes[i], sides[i]
        return {"right": (x + 4, y - h / 2, x + 4 + w, y + h / 2), "left": (x - 4 - w, y - h / 2, x - 4, y + h / 2),
                "above": (x - w / 2, y + 4, x + w / 2, y + 4 + h), "below": (x - w / 2, y - 4 - h, x + w / 2, y - 4)}[s]

    boxes = [box(i) for i in range(4)]
    for i in range(4):
        for j in range(i + 1, 4):
            a, b = boxes[i], boxes[j]
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (sides, i, j)


def test_the_brief_scatter_shows_every_point_label_once(outline, theme):
    spec = outline.chart("scatter")
    with pdfplumber.open(io.BytesIO(_brief_chart(spec, theme))) as doc:
        words = doc.pages[0].extract_words()
    named = [w for w in words if w["text"] in {p.label for p in spec.points}]
    assert sorted(w["text"] for w in named) == sorted(p.label for p in spec.points)
    for i, a in enumerate(named):  # no two point labels overlap
        for b in named[i + 1:]:
            assert min(a["x1"], b["x1"]) <= max(a["x0"], b["x0"]) or min(a["bottom"], b["bottom"]) <= max(a["top"], b["top"])


# ---------------------------------------------------------------- every category label, or the frame is refused


def test_a_half_width_ranking_of_17_keeps_every_label(built, outline, theme):
    plan, _ = plan_deck(outline, typesetting(theme))
    beside = next(s for s in plan.slides if isinstance(s, BulletsChartSlide))
    assert beside.chart.chart_id == "ranking" and beside.chart_frame.w < 600
    assert beside.chart.category_size is not None and 9 <= beside.chart.category_size < 14
    words = " ".join(_pdf_words(built[1].read_bytes(), 0))
    for c in outline.chart("ranking").categories:  # the brief too
        assert c in words


def test_the_deck_never_skips_category_labels(drawn):
    for cid, (_, frame) in drawn.items():
        if cid == "scatter":
            continue
        skip = frame.chart._chartSpace.find(f".//{C}catAx/{C}tickLblSkip")
        assert skip is not None and skip.get("val") == "1", cid


def _crowded(n: int, kind: str = "bar") -> dict:
    return dict(id="crowded", kind=kind, title="Crowded", categories=[f"Country number {i}" for i in range(n)],
                series=[{"name": "S", "values": list(range(1, n + 1))}], source="x")


def test_a_frame_too_small_for_the_category_labels_is_refused_with_a_located_warning(outline, theme):
    data = outline.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["charts"].append(_crowded(30))
    data["sections"][0]["charts"] = ["crowded"]  # beside two points: refused there, on a slide of its own
    plan, warnings = plan_deck(Outline.model_validate(data), typesetting(theme))
    own = [s for s in plan.slides if isinstance(s, ChartSlide) and s.chart.chart_id == "crowded"]
    assert own and not [s for s in plan.slides if isinstance(s, BulletsChartSlide)]
    index = len(data["charts"]) - 1
    assert [(w.loc, w.message[:27]) for w in warnings] == [(("charts", index, "categories"), "30 category labels do not f")]


def test_a_crowded_column_chart_is_told_to_become_a_bar_chart(outline, theme):
    plan, _ = plan_deck(outline, typesetting(theme))
    cp = next(s.chart for s in plan.slides if isinstance(s, ChartSlide) and s.chart.chart_id == "column-tiny")
    crowded = type(cp)(**{**cp.__dict__, "categories": tuple(f"Ministry{i:02d}-of-Foreign-Affairs" for i in range(12))})
    _, problem = fit_frame(crowded, 880, 336)
    assert problem and "use kind: bar" in problem


def test_the_brief_warns_where_its_figure_would_leave_category_labels_out(outline, theme):
    from deckgen.layout.brief import plan_brief

    data = outline.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["charts"].append(_crowded(30, "column") | {"categories": [f"Internationalisation{i}" for i in range(30)]})
    data["charts"].append(_crowded(12, "column") | {"id": "years", "categories": [str(2013 + i) for i in range(12)]})
    data["sections"][1]["charts"] += ["crowded", "years"]
    _, warnings = plan_brief(Outline.model_validate(data), typesetting(theme))
    assert [(w.loc, w.message[:41]) for w in warnings] == [
        (("charts", len(data["charts"]) - 2, "categories"), "the 30 category labels do not all fit a 3")]
    years = next(c for c in Outline.model_validate(data).charts if c.id == "years")
    words = _pdf_words(_brief_chart(years, theme))
    assert all(c in words for c in years.categories)  # twelve years fit: every one is shown


# ---------------------------------------------------------------- the plan band, axis decimals


def test_the_deck_shades_the_plan_and_labels_it(drawn, outline):
    chart = drawn["plan"][1].chart
    band = chart.plots[0]  # first in the file: drawn behind the lines
    assert band.gap_width == 0 and [s.name for s in band.series] == ["Plan"]
    values = list(band.series[0].values)
    p = outline.chart("plan").categories.index("2024")
    assert values[:p] == [None] * p and set(values[p:]) == {chart.value_axis.maximum_scale}
    texts = [t.text for t in band.series[0]._element.findall(f".//{C}dLbl//{A}t")]
    assert texts == ["Plan"]
    line = _data_plot(chart)
    dashed = [s.name for s in line.series if s._element.find(f"{C}spPr/{A}ln/{A}prstDash") is not None]
    assert "Spending (plan)" in dashed


def test_axis_decimals_are_the_axis_own(drawn, outline, theme):
    spec = outline.chart("plan")  # decimals: 2 for labels; the axis steps by 1
    assert drawn["plan"][1].chart.value_axis.tick_labels.number_format == "#,##0"
    words = _pdf_words(_brief_chart(spec, theme))
    assert "1" in words and "1.00" not in words
    one = spec.model_copy(update={"axis_decimals": 1})
    assert "1.0" in _pdf_words(_brief_chart(one, theme))
    plan, _ = plan_deck(outline.model_copy(update={"charts": [one if c.id == "plan" else c for c in outline.charts]}), typesetting(theme))
    cp = next(s.chart for s in plan.slides if isinstance(s, ChartSlide) and s.chart.chart_id == "plan")
    assert cp.axis_format == "#,##0.0"


def test_nice_scale_takes_in_zero_and_ends_on_a_step():
    assert nice_scale(1.1, 3.9 * 1.08) == (0.0, 5.0, 1.0)
    assert nice_scale(200, 1620) == (0.0, 2000.0, 500.0)
    assert nice_scale(20.5, 53.5, zero=False) == (20.0, 60.0, 10.0)


# ---------------------------------------------------------------- checks, words, validity


@pytest.mark.parametrize("kw,loc,start", [
    (dict(kind="line", stacked=True), ("stacked",), "a line chart cannot be stacked"),
    (dict(kind="column", x_unit="km"), ("x_unit",), "`x_unit` is for scatter charts"),
    (dict(kind="scatter", categories=[], series=[], points=[]), ("points",), "a scatter chart needs points"),
    (dict(kind="area", projected_from="b"), ("projected_from",), "projected values can only be drawn on a line chart"),
])
def test_bad_chart_settings_are_located(kw, loc, start):
    base = dict(id="c", kind="line", title="T", categories=["a", "b"], series=[{"name": "S", "values": [1, 2]}], source="x")
    problems = check_chart(Chart(**{**base, **kw}))
    assert any(p_loc == loc and msg.startswith(start) for p_loc, msg in problems), problems


def test_alt_text_of_the_new_kinds(outline):
    assert describe(outline.chart("area")).startswith("Area chart, stacked: Forces by branch. Land rises from 60 thousand troops")
    scatter = describe(outline.chart("scatter"))
    assert scatter.startswith("Scatter chart: Spending against GDP per person. Across: GDP per person, US$ thousand; up: % of GDP.")
    assert "Poland 22.0, 3.9% of GDP" in scatter and scatter.endswith("Reference line at 2.0% of GDP: 2% guideline.")
    assert describe(outline.chart("stacked-bar")).startswith("Bar chart, stacked: Aid by type, € bn. Germany: €22.3 bn")
    assert describe(outline.chart("bar-target")).endswith("Reference line at 2.0% of GDP: NATO 2% guideline.")


def test_the_chart_deck_is_schema_valid(built):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(built[0]))
    assert result.is_valid, [str(e) for e in result.errors[:5]]


@pytest.mark.parametrize("cid", ["area", "scatter", "stacked-bar"])
def test_new_kinds_render_the_same_bytes_twice(outline, theme, cid):
    spec = outline.chart(cid)
    assert charts.render(spec, theme, "svg", 310, 200) == charts.render(spec, theme, "svg", 310, 200)


@pytest.mark.slow
def test_libreoffice_draws_every_label_target_and_plan(built, outline, tmp_path):
    """What only a renderer can tell: all 17 names beside the points, the bar targets' lines and names, the 'Plan'."""
    assert shutil.which("soffice"), "LibreOffice (soffice) is required for this check"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(built[0])], check=True, capture_output=True, timeout=240)
    with pdfplumber.open(tmp_path / "charts.pdf") as doc:
        pages = {i: p.extract_text() for i, p in enumerate(doc.pages)}
        ranking = next(i for i, t in pages.items() if "Seventeen countries" in t)
        for c in outline.chart("ranking").categories:
            assert c in pages[ranking], c
        bar = next(i for i, t in pages.items() if "NATO 2% guideline" in t)
        page = doc.pages[bar]
        vertical = [o for o in page.lines + page.curves + page.rects if abs(o["x1"] - o["x0"]) < 3 and o["bottom"] - o["top"] > 100]
        assert vertical, "the bar chart's target line is not drawn"
        assert "Pledge" in " ".join(pages.values())
        plan = next(i for i, t in pages.items() if "Spending plan" in t)
        assert "Plan" in pages[plan].replace("Spending plan", "")
