"""The deck's native charts follow the brief's styling rules (issue 21): projected points drawn apart under a shaded
band headed "Plan" in the audience's language, value labels clear of the bar ends, no gridlines under bars that all
carry their labels, no value-axis title repeating a title on the slide.

Decks are built in memory and read back with python-pptx; where only a renderer can tell (label gaps), LibreOffice
draws the slide and pdfplumber measures it."""
from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import yaml
from pptx import Presentation

import deckgen
from conftest import DEFAULT, MINI
from deckgen.inline import plain
from deckgen.layout.deck import plan_deck
from deckgen.layout.deckchart import every_bar_labelled, unit_in_titles
from deckgen.layout.slides import ChartPlan
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.units import Colour
from deckgen.words import Words
from deckgen.writers.pptx import write_deck
from deckgen.writers.pptx.nativecharts import LABEL_GAP

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EPOCH = 1713484800


def _deck(outline, audience: str | None = None) -> Presentation:
    built = deckgen.build(outline, formats=("pptx",), audiences=[audience] if audience else [], write=False, cache=False)
    return Presentation(io.BytesIO(next(iter(built.data.values()))))


def _charts(prs) -> dict[str, tuple]:
    """The slide title -> (slide, graphic frame) of every chart."""
    return {s.shapes.title.text_frame.text: (s, sh) for s in prs.slides for sh in s.shapes if sh.has_chart}


def _from_mini(edit) -> Presentation:
    data = yaml.load(MINI.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    edit(data)
    theme = load_theme()
    plan, _ = plan_deck(Outline.model_validate(data), typesetting(theme))
    return Presentation(io.BytesIO(write_deck(plan, typesetting(theme), EPOCH)))


@pytest.fixture(scope="module")
def english():
    return _deck(DEFAULT)


@pytest.fixture(scope="module")
def polish():
    return _deck(DEFAULT, "ministerstwo")


def _series(chart) -> list:
    return chart._chartSpace.findall(f".//{C}ser")


def _name(ser) -> str:
    return ser.findtext(f"{C}tx//{C}v")


# ---------------------------------------------------------------- 1. the plan: shaded, headed, its points apart


@pytest.mark.parametrize("audience, language", [("english", "en-GB"), ("polish", "pl-PL")])
def test_projected_points_are_drawn_apart_under_a_band_headed_plan_in_the_audience_language(request, audience, language):
    prs = request.getfixturevalue(audience)
    chart = next(f.chart for _, f in _charts(prs).values() if f.chart._chartSpace.find(f".//{C}lineChart") is not None)
    word = Words(language.split("-")[0])["plan"]
    band = next(s for s in _series(chart) if _name(s) == word)
    assert band.getparent().tag == f"{C}barChart"  # a column series behind the lines: the shading
    label = band.find(f"{C}dLbls/{C}dLbl")
    assert label.findtext(f".//{A}t") == word and label.find(f".//{A}rPr").get("lang") == language
    actual, planned = [s for s in _series(chart) if s.getparent().tag == f"{C}lineChart"][:2]
    line = lambda s: Colour(s.find(f"{C}spPr/{A}ln/{A}solidFill/{A}srgbClr").get("val"))  # noqa: E731
    assert planned.find(f"{C}spPr/{A}ln/{A}prstDash").get("val") == "dash"
    assert actual.find(f"{C}spPr/{A}ln/{A}prstDash") is None
    assert line(planned) != line(actual) and line(planned).luminance > line(actual).luminance  # lighter …
    band_fill = Colour(band.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val"))
    assert line(planned).contrast(band_fill) >= 3.0  # … yet seen on the band
    marker = planned.find(f"{C}marker/{C}spPr/{A}solidFill/{A}srgbClr").get("val")
    assert marker == "FFFFFF"  # hollow markers, as the brief's (PowerPoint; LibreOffice draws them in the line colour)
    target = [s for s in _series(chart) if s.getparent().tag == f"{C}lineChart"][-1]
    assert target.find(f"{C}dLbls/{C}dLbl//{A}bodyPr").get("wrap") == "none"  # its name on one line, as in the brief


def test_a_line_legend_names_each_series_once_and_matches_entries_by_place():
    def two_series(data):
        spend = next(c for c in data["charts"] if c["id"] == "spend")
        spend["series"].append({"name": "Other", "values": ["0.5", "0.6", "0.7", "0.9", "1.0"]})

    prs = _from_mini(two_series)
    chart = next(f.chart for _, f in _charts(prs).values() if f.chart._chartSpace.find(f".//{C}lineChart") is not None)
    sers = _series(chart)
    assert [int(s.find(f"{C}idx").get("val")) for s in sers] == list(range(len(sers)))  # index = place in the file
    assert [int(s.find(f"{C}order").get("val")) for s in sers] == list(range(len(sers)))
    legend = chart._chartSpace.find(f".//{C}legend")
    hidden = {int(e.find(f"{C}idx").get("val")) for e in legend.findall(f"{C}legendEntry")}
    shown = [_name(s) for i, s in enumerate(sers) if i not in hidden]
    assert shown == ["Spending", "Other"]  # not the band, the planned parts or the target


# ---------------------------------------------------------------- 2. labels clear of the bar ends


def _offsets(ser) -> dict[int, tuple[float, float]]:
    out = {}
    for d in ser.findall(f"{C}dLbls/{C}dLbl"):
        layout = d.find(f"{C}layout/{C}manualLayout")
        if layout is not None:
            out[int(d.find(f"{C}idx").get("val"))] = (float(layout.find(f"{C}x").get("val")), float(layout.find(f"{C}y").get("val")))
    return out


def test_every_bar_label_is_moved_off_its_bar_end_by_the_gap(english):
    slide, frame = _charts(english)["Largest foreign direct investors in the U.S., end-2023"]
    ser = _series(frame.chart)[0]
    offsets = _offsets(ser)
    assert sorted(offsets) == [0, 1, 2, 3, 4]
    width_pt = frame.width / 12700
    for x, y in offsets.values():
        assert y == 0 and x * width_pt == pytest.approx(LABEL_GAP, abs=0.01)  # rightwards, LABEL_GAP pt
    for d in ser.findall(f"{C}dLbls/{C}dLbl"):  # each label keeps the series' position, format and switches
        assert d.find(f"{C}dLblPos").get("val") == "outEnd" and d.find(f"{C}showVal").get("val") == "1"
        assert d.find(f"{C}numFmt").get("formatCode") == "#,##0.0"
    assert ser.find(f"{C}dLbls/{C}showLeaderLines").get("val") == "0"


def test_negative_bars_and_columns_put_their_labels_beyond_the_other_end():
    def signs(data):
        data["charts"] += [
            {"id": "neg-col", "kind": "column", "title": "Balance", "unit": "€ bn", "categories": ["a", "b"],
             "series": [{"name": "B", "values": ["3", "-2"]}], "source": "S"},
            {"id": "neg-bar", "kind": "bar", "title": "Change", "unit": "%", "categories": ["a", "b"],
             "series": [{"name": "B", "values": ["3", "-2"]}], "source": "S"},
        ]
        data["sections"][-1]["charts"] = ["neg-col", "neg-bar"]
        data["sections"][-1]["kind"] = "chart"

    charts = _charts(_from_mini(signs))
    col = _offsets(_series(charts["Balance"][1].chart)[0])
    bar = _offsets(_series(charts["Change"][1].chart)[0])
    assert col[0][1] < 0 < col[1][1] and col[0][0] == col[1][0] == 0  # up from a rising column, down from a falling one
    assert bar[1][0] < 0 < bar[0][0] and bar[0][1] == bar[1][1] == 0  # right of a positive bar, left of a negative one


def test_a_hidden_label_stays_hidden_and_stacked_bar_totals_keep_the_gap():
    prs = _deck(deckgen.load(MINI.parent / "charts.yaml"))
    charts = _charts(prs)
    chart = charts["Aid by type, € bn"][1].chart
    total = _series(chart)[-1]
    assert _name(total) == "Total" and sorted(_offsets(total)) == [0, 1, 2, 3]
    assert all(x > 0 and y == 0 for x, y in _offsets(total).values())
    column = charts["Sites by year"][1].chart  # its tiny '1' is hidden, not moved
    added = _series(column)[1]
    deleted = {int(d.find(f"{C}idx").get("val")) for d in added.findall(f"{C}dLbls/{C}dLbl") if d.find(f"{C}delete") is not None}
    assert 1 in deleted and not _offsets(added)  # stacked segments stay centred


@pytest.mark.slow
def test_libreoffice_draws_the_labels_clear_of_the_bar_ends(english):
    from deckgen.office import soffice, to_pdf

    assert soffice(), "LibreOffice (soffice) is required for this check"
    slide, _ = _charts(english)["Largest foreign direct investors in the U.S., end-2023"]
    index = list(english.slides).index(slide)
    buf = io.BytesIO()
    english.save(buf)
    with pdfplumber.open(io.BytesIO(to_pdf(buf.getvalue()))) as pdf:
        page = pdf.pages[index]
        bars = sorted((r for r in page.rects if r["non_stroking_color"] not in ((1.0, 1.0, 1.0), (1,), 1)), key=lambda r: r["top"])
        labels = sorted((w for w in page.extract_words() if re.fullmatch(r"\d+\.\d", w["text"])), key=lambda w: w["top"])
    assert len(bars) == len(labels) == 5
    for bar, word in zip(bars, labels):
        assert bar["top"] <= (word["top"] + word["bottom"]) / 2 <= bar["bottom"], word["text"]  # beside its own bar
        assert word["x0"] - bar["x1"] >= LABEL_GAP, (word["text"], word["x0"] - bar["x1"])  # (2.8 pt before issue 21)


# ---------------------------------------------------------------- 3. no gridlines repeating the labels


def test_no_major_gridlines_where_every_bar_carries_its_label(english, polish):
    for prs in (english, polish):
        for title, (_, frame) in _charts(prs).items():
            chart = frame.chart
            line = chart._chartSpace.find(f".//{C}lineChart/{C}ser/{C}marker/{C}symbol[@val='circle']") is not None
            assert chart.value_axis.has_major_gridlines == line, title  # the line chart keeps its grid
            assert chart.value_axis.tick_labels.font.size is not None  # the value axis keeps its labels (as the brief)


def test_a_chart_with_a_hidden_or_missing_label_keeps_its_gridlines():
    prs = _deck(deckgen.load(MINI.parent / "charts.yaml"))
    charts = _charts(prs)
    assert charts["Sites by year"][1].chart.value_axis.has_major_gridlines  # a segment too small for its label
    assert not charts["Spending, % of GDP"][1].chart.value_axis.has_major_gridlines  # every bar labelled
    assert every_bar_labelled(True, "column", [[40.0, 40.0], [0.0, 12.0]], ((), (0,)))  # a zero segment has no label to miss
    assert not every_bar_labelled(True, "column", [[40.0, 40.0], [1.0, 12.0]], ((), (0,)))
    assert not every_bar_labelled(False, "bar", [[1.0]], ())


# ---------------------------------------------------------------- 4. the axis title never repeats a title


def test_no_value_axis_title_repeats_the_slide_or_chart_title(english, polish):
    for prs in (english, polish):
        for title, (_, frame) in _charts(prs).items():
            chart = frame.chart
            if chart.value_axis.has_title:
                axis = chart.value_axis.axis_title.text_frame.text
                shown = [title] + ([chart.chart_title.text_frame.text] if chart.has_title else [])
                assert axis and all(axis.casefold() not in t.casefold() for t in shown), title
    english_charts = _charts(english)
    assert not english_charts["Japan's military spending, % of GDP"][1].chart.value_axis.has_title
    assert english_charts["Largest foreign direct investors in the U.S., end-2023"][1].chart.value_axis.axis_title.text_frame.text == "US$ bn"
    assert not _charts(polish)["Wydatki wojskowe Japonii (% PKB)"][1].chart.value_axis.has_title


def test_the_unit_repeats_a_title_only_as_whole_words():
    plan = ChartPlan("c", "column", False, ("a",), (), "% of GDP", "0", "0", True, False, False, "")
    assert unit_in_titles(plan, "Military spending, % of GDP").axis_title is None
    assert unit_in_titles(plan, "MILITARY SPENDING,  % OF  GDP").axis_title is None  # case and spacing aside
    assert unit_in_titles(plan, "Spending rose 5% of GDPs").axis_title == "% of GDP"
    sites = ChartPlan("c", "column", False, ("a",), (), "sites", "0", "0", True, False, False, "")
    assert unit_in_titles(sites, "Philippine sites open to U.S. forces").unit_in_title
    assert not unit_in_titles(sites, "Campsites by year").unit_in_title
    assert unit_in_titles(sites, "Sites", "").axis_title is None and unit_in_titles(sites).axis_title == "sites"


def test_beside_bullets_the_section_title_counts_too():
    def beside(data):
        spend = next(c for c in data["charts"] if c["id"] == "spend")
        spend["title"] = "Spending"  # the chart's own title no longer says the unit; the slide's does
        data["sections"][0]["title"] = "Spending, % of GDP"

    prs = _from_mini(beside)
    slide, frame = _charts(prs)["Spending, % of GDP"]
    assert frame.chart.has_title and frame.chart.chart_title.text_frame.text == "Spending"  # beside the points
    assert not frame.chart.value_axis.has_title
