"""The deck: its plan (pure data) and the .pptx PowerPoint opens (titles, text, native charts, notes, bytes)."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import json
import zipfile

import pytest
import yaml
from lxml import etree
from pptx import Presentation
from pptx.chart.plot import PlotTypeInspector
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER

from conftest import MINI
from deckgen.typeset import typesetting
from deckgen.alttext import describe
from deckgen.inline import plain
from deckgen.layout.deck import plan_deck

CONT = " (cont.)"  # what an English continuation slide adds to its title
from deckgen.layout.jsonable import to_data
from deckgen.layout.slides import BulletsChartSlide, ChartSlide
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.writers.pptx import write_deck

EPOCH = 1713484800  # 2024-04-19T00:00:00Z
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
CHART_TYPES = {  # python-pptx reads a line chart with any marker-less series (the target) as plain LINE
    ("line", False): (XL_CHART_TYPE.LINE_MARKERS, XL_CHART_TYPE.LINE),
    ("column", False): (XL_CHART_TYPE.COLUMN_CLUSTERED,),
    ("column", True): (XL_CHART_TYPE.COLUMN_STACKED,),
    ("bar", False): (XL_CHART_TYPE.BAR_CLUSTERED,),
}


def _data() -> dict:
    return yaml.load(MINI.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _outline(data: dict | None = None) -> Outline:
    return Outline.model_validate(data if data is not None else _data())


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.fixture(scope="module")
def mini():
    return _outline()


@pytest.fixture(scope="module")
def planned(mini, theme):
    return plan_deck(mini, typesetting(theme))


@pytest.fixture(scope="module")
def deck_bytes(planned, theme):
    plan, _ = planned
    return write_deck(plan, typesetting(theme), EPOCH)


@pytest.fixture(scope="module")
def prs(deck_bytes):
    return Presentation(io.BytesIO(deck_bytes))


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text


def _charts(prs):
    """(slide, graphic frame) for every chart in the deck, in slide order."""
    return [(s, sh) for s in prs.slides for sh in s.shapes if sh.has_chart]


def _data_plot(chart):
    """The plot that holds the outline's series (not the plan band drawn behind a line chart)."""
    return next(p for p in chart.plots if not any(s.name == "Plan" for s in p.series))


def _spec_of(outline, chart):
    """The outline chart a drawn chart shows: its own title (beside bullets) or else the slide's title."""
    c = chart[1].chart
    shown = c.chart_title.text_frame.text if c.has_title else chart[0].shapes.title.text_frame.text
    return next(x for x in outline.charts if plain(x.title) == shown)


# ---------------------------------------------------------------- the plan


def test_plan_orders_the_slide_kinds_and_numbers_them(planned):
    plan, warnings = planned
    assert warnings == []
    kinds = [s.kind for s in plan.slides]
    assert kinds == ["title", "agenda", "key_figures", "bullets_chart", "bullets_chart", "chart", "conclusions", "sources", "closing"]
    assert [s.number for s in plan.slides] == list(range(1, len(plan.slides) + 1))


def test_plan_is_json_serialisable(planned):
    plan, _ = planned
    data = json.loads(json.dumps(to_data(plan)))
    assert (data["slides"][0]["type"], data["slides"][0]["kind"]) == ("TitleSlide", "title")
    chart = next(s for s in data["slides"] if s["kind"] in ("chart", "bullets_chart"))["chart"]
    assert chart["chart_id"] == "spend" and chart["series"][0]["values"][:3] == [1.0, 1.1, 1.2]


def test_plan_notes_follow_the_outline(planned, mini):
    plan, _ = planned
    by_title = {"".join(r.text for r in s.title): s for s in plan.slides}
    assert by_title[plain(mini.meta.title)].notes == plain(mini.lead)
    first = by_title["First section"].notes
    assert "Prose detail for the brief" in first and "A report (https://example.org/report)" in first
    assert by_title["Second section"].notes.startswith("Speaker notes only.\n\nColumn chart")  # then the chart's alt


def test_notes_are_left_out_when_the_outline_says_so(theme):
    data = _data()
    data["options"] = {"speaker_notes": "false", "sources_slide": "false"}
    outline = _outline(data)
    assert (outline.options.speaker_notes, outline.options.sources_slide) == (False, False)
    default, _ = plan_deck(_outline(), typesetting(theme))  # without the options: notes and a sources slide …
    assert any(s.notes for s in default.slides) and "sources" in [s.kind for s in default.slides]
    plan, _ = plan_deck(outline, typesetting(theme))  # … with them: neither
    assert all(s.notes == "" for s in plan.slides)
    assert "sources" not in [s.kind for s in plan.slides]


def _long_section(n_points: int, subs: int = 2) -> dict:
    data = _data()
    words = "the alliance adapts its command structures to regional threats and economic security " * 2
    data["sections"][0]["points"] = [
        {"text": f"Point {i}: {words}", "points": [f"Sub {i}.{j} {words[:60]}" for j in range(subs)]}
        for i in range(n_points)
    ]
    return data


def test_a_long_section_continues_on_cont_slides_and_keeps_sub_points_with_their_point(theme):
    outline = _outline(_long_section(9))
    plan, warnings = plan_deck(outline, typesetting(theme))
    assert warnings == []
    slides = [s for s in plan.slides if "".join(r.text for r in s.title).startswith("First section")]
    assert len(slides) >= 2
    assert [s.continued for s in slides] == [False] + [True] * (len(slides) - 1)
    assert ["".join(r.text for r in s.title)[len("".join(r.text for r in slides[0].title)):] for s in slides[1:]] == \
        [CONT] + [f" (cont. {k})" for k in range(2, len(slides))]  # numbered from the second: every title its own
    seen = []
    for s in slides:
        assert s.body[0].level == 0  # never starts with an orphaned sub-point
        for p in s.body:
            if p.level == 0:
                seen.append("".join(r.text for r in p.runs).split(":")[0])
    assert seen == [f"Point {i}" for i in range(9)]


def test_an_overlong_point_is_reported_where_it_is(theme):
    data = _data()
    data["sections"][1]["points"][0]["text"] = "very long words " * 400
    plan, warnings = plan_deck(_outline(data), typesetting(theme))
    assert (("sections", 1, "points", 0), ) == tuple(loc for loc, _ in warnings if loc[:2] == ("sections", 1))
    assert any("too long for one slide" in msg for _, msg in warnings)


@pytest.mark.parametrize("count, groups, rows", [(2, [2], [2]), (3, [3], [3]), (4, [4], [2, 2]), (5, [5], [3, 2]),
                                                  (6, [6], [3, 3]), (7, [4, 3], [2, 2, 3]), (9, [5, 4], [3, 2, 2, 2])])
def test_key_figures_are_cards_of_one_size_on_the_grid(theme, count, groups, rows):
    data = _data()
    data["key_figures"] = [{"id": f"k{i}", "value": f"{i}%", "label": f"figure {i}" + " with a longer label" * (i % 3)}
                           for i in range(count)]
    plan, _ = plan_deck(_outline(data), typesetting(theme))
    slides = [s for s in plan.slides if s.kind == "key_figures"]
    assert [len(s.figures) for s in slides] == groups
    assert plan.slides[2].kind == "key_figures" and plan.slides[1].kind == "agenda"
    cards = [f for s in slides for f in s.figures]
    assert len({(f.frame.w, f.frame.h) for f in cards}) == 1  # one card size for the deck
    assert len({(f.value_size, f.label_size, f.source_size) for f in cards}) == 1  # and one set of type sizes
    body = plan.geometry.body
    found = []
    for s in slides:
        tops = sorted({f.frame.y for f in s.figures})
        found += [sum(1 for f in s.figures if f.frame.y == t) for t in tops]
        for t in tops:  # each row centred on the body
            row = [f.frame for f in s.figures if f.frame.y == t]
            left, right = row[0].x - body.x, body.x + body.w - (row[-1].x + row[-1].w)
            assert abs(left - right) < 0.05
        assert all(body.x - 0.01 <= f.frame.x and f.frame.x + f.frame.w <= body.x + body.w + 0.01 for f in s.figures)
        top, bottom = min(f.frame.y for f in s.figures), max(f.frame.y + f.frame.h for f in s.figures)
        assert abs((top - body.y) - (body.y + body.h - bottom)) < 0.05  # the block centred in the body
    assert found == rows


def test_projected_values_are_split_into_overlapping_actual_and_plan_series(planned):
    plan, _ = planned
    chart = next(s.chart for s in plan.slides if isinstance(s, (ChartSlide, BulletsChartSlide)) and s.chart.chart_id == "spend")
    actual, planned_part, target = chart.series
    assert actual.values == (1.0, 1.1, 1.2, None, None)
    assert planned_part.values == (None, None, 1.2, 1.6, 1.8) and planned_part.dashed
    assert (target.role, target.name, target.values) == ("target", "Target: 2%", (2.0,) * 5)


# ---------------------------------------------------------------- the .pptx


def test_the_deck_is_16_9_with_the_planned_titles_in_order(prs, planned, mini):
    plan, _ = planned
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    titles = [_title(s) for s in prs.slides]
    assert titles == [
        plain(mini.meta.title), "Agenda", "Key figures", "First section", "Second section",
        "FDI stock", "Conclusions", "Sources", "Thank you",
    ]
    assert len(titles) == len(plan.slides)


def test_text_sits_in_real_title_and_body_placeholders(prs):
    bullets = prs.slides[3]
    assert bullets.shapes.title.is_placeholder
    body = bullets.placeholders[1]
    assert body.placeholder_format.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)
    paras = [(p.level, "".join(r.text for r in p.runs)) for p in body.text_frame.paragraphs]
    assert paras == [(0, "A point with a bold word."), (1, "A sub-point"), (1, "Another sub-point"), (0, "Plain string point.")]
    bold = [r.text for r in body.text_frame.paragraphs[0].runs if r.font.bold]
    assert bold == ["bold"]
    cover = prs.slides[0].placeholders[1]
    assert "Anna Kowalska, John Smith" in cover.text_frame.text and "19 April 2024" in cover.text_frame.text


def test_fonts_and_colours_come_from_the_theme(prs, theme):
    master = prs.slide_master._element
    title_rpr = master.find(".//p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    assert title_rpr.find("a:solidFill/a:srgbClr", NS).get("val") == theme.primary
    sizes = [int(e.get("sz")) for e in master.findall(".//p:txStyles/p:bodyStyle/*/a:defRPr", NS)]
    assert min(sizes) >= 1800
    theme_part = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    fonts = etree.fromstring(theme_part.blob).findall(".//a:fontScheme/*/a:latin", NS)
    assert {f.get("typeface") for f in fonts} == {theme.deck_font_name}
    rules = [sp for sp in master.iter("{%s}sp" % NS["p"]) if sp.find(".//a:srgbClr[@val='%s']" % theme.accent, NS) is not None]
    assert rules, "no accent rule on the master"


def test_every_chart_holds_the_outline_numbers(prs, mini, theme):
    charts = _charts(prs)
    assert len(charts) == len(mini.charts)
    for drawn in charts:
        spec = _spec_of(mini, drawn)
        chart = drawn[1].chart
        plot = _data_plot(chart)
        assert PlotTypeInspector.chart_type(plot) in CHART_TYPES[(spec.kind, spec.stacked)], spec.id
        if spec.kind == "line":  # a line chart with markers on its data series
            symbols = [m.get("val") for m in chart._chartSpace.findall(".//c:lineChart/c:ser/c:marker/c:symbol", NS)]
            assert symbols[:2] == ["circle", "circle"]
        categories = [str(c) for c in plot.categories]
        if spec.sort:  # largest first by the first series (ties keep the outline's order)
            first = dict(zip(spec.categories, spec.series[0].values))
            assert categories == sorted(spec.categories, key=lambda c: -first[c]), spec.id
        else:  # the outline's order
            assert categories == list(spec.categories), spec.id
        # undo the actual/plan split: the plan part carries the values the actual part leaves out
        got: dict[str, list] = {}
        for ser in [s for p in chart.plots for s in p.series if s.name not in ("Plan", "Total")]:
            name = ser.name.removesuffix(" (plan)")
            values = list(ser.values)
            got[name] = [a if a is not None else b for a, b in zip(got[name], values)] if name in got else values
        if spec.target:
            target = got.pop(plain(spec.target.label))
            assert target == [spec.target.value] * len(categories)
        assert list(got) == [plain(s.name) for s in spec.series], spec.id
        for s in spec.series:
            expected = dict(zip(spec.categories, s.values))
            assert dict(zip(categories, got[plain(s.name)])) == pytest.approx(expected), (spec.id, s.name)


def test_chart_styling_series_colours_dashes_labels_legend(prs, mini, theme):
    for drawn in _charts(prs):
        spec = _spec_of(mini, drawn)
        chart = drawn[1].chart
        space = chart._chartSpace
        sers = [s for s in space.findall(".//c:ser", NS) if s.find("c:tx//c:v", NS).text not in ("Plan", "Total")]
        first = sers[0].find("c:spPr", NS)
        colour = first.find("a:ln/a:solidFill/a:srgbClr" if spec.kind == "line" else "a:solidFill/a:srgbClr", NS)
        assert colour.get("val") == theme.series_colour(0)
        assert chart.has_legend == (len(spec.series) > 1)  # plan and target lines are labelled, not listed
        if spec.unit.casefold() in plain(spec.title).casefold():  # the title says it: no axis title repeats it
            assert not chart.value_axis.has_title, spec.id
        else:
            assert chart.value_axis.axis_title.text_frame.text == spec.unit
        if spec.kind == "line":
            dashed = [s.find("c:tx//c:v", NS).text for s in sers if s.find("c:spPr/a:ln/a:prstDash", NS) is not None]
            assert dashed == ["Spending (plan)", "Target: 2%"]
            target = sers[-1]
            assert [t.text for t in target.findall(".//c:dLbl//a:t", NS)] == ["Target: 2%"]  # named on the line
            target = sers[-1].find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS)
            assert target.get("val") == theme.accent
        else:
            assert all(s.find("c:dLbls/c:showVal", NS).get("val") == "1" for s in sers)
        if spec.stacked:  # a zero-height segment loses its '0' label, not its value
            added = sers[1].find("c:dLbls/c:dLbl", NS)
            assert added.find("c:idx", NS).get("val") == "0" and added.find("c:delete", NS).get("val") == "1"


def test_charts_have_positive_matching_axis_ids(deck_bytes):
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        parts = [n for n in z.namelist() if n.startswith("ppt/charts/chart") and n.endswith(".xml")]
        assert len(parts) == 3
        for name in parts:
            root = etree.fromstring(z.read(name))
            ids = [int(e.get("val")) for e in root.iter("{%s}axId" % NS["c"])]
            crossed = [int(e.get("val")) for e in root.iter("{%s}crossAx" % NS["c"])]
            assert ids and all(i > 0 for i in ids + crossed), name
            assert set(crossed) <= set(ids), name


def test_chart_frames_carry_the_alt_text(prs, mini):
    for drawn in _charts(prs):
        spec = _spec_of(mini, drawn)
        descr = drawn[1]._element.nvGraphicFramePr.cNvPr.get("descr")
        assert descr == describe(spec)


def test_source_line_under_every_chart(prs, mini):
    for slide, frame in _charts(prs):
        spec = _spec_of(mini, (slide, frame))
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh.top > frame.top + frame.height - 10]
        assert f"Source: {plain(spec.source)}" in texts


def test_notes_on_content_slides(prs, mini):
    notes = {_title(s): s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide}
    assert notes[plain(mini.meta.title)] == plain(mini.lead)
    assert "Prose detail for the brief" in notes["First section"]
    assert notes["Second section"].startswith("Speaker notes only.")
    assert "$800 bn — FDI stock (Source: BEA)" in notes["Key figures"]
    drawn = _charts(prs)
    assert len(drawn) == len(mini.charts)
    for slide, frame in drawn:
        spec = _spec_of(mini, (slide, frame))
        text = slide.notes_slide.notes_text_frame.text
        assert describe(spec) in text and f"Source: {plain(spec.source)}" in text


def test_links_are_clickable(prs):
    links = {r.hyperlink.address for s in prs.slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs if r.hyperlink.address}
    assert {"https://example.org/econ", "https://example.org/report"} <= links


def test_slide_numbers_are_fields_on_every_slide_but_the_title_and_closing(prs):
    for i, slide in enumerate(prs.slides, 1):
        fields = slide._element.findall(".//a:fld[@type='slidenum']", NS)
        if i in (1, len(prs.slides)):
            assert fields == []
            continue
        assert len(fields) == 1 and fields[0].find("a:t", NS).text == str(i)
        footer = [sh for sh in slide.placeholders if sh.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
        assert footer and footer[0].text_frame.text == "Test Bulletin · 19 April 2024 · Public"


def test_document_properties(prs):
    cp = prs.core_properties
    assert cp.title == "Mini briefing on Zażółć gęślą jaźń"
    assert cp.author == "Anna Kowalska; John Smith"
    assert cp.subject == "A test outline"
    assert cp.keywords == "test, charts"
    assert cp.language == "en-GB"
    assert cp.created == cp.modified == dt.datetime(2024, 4, 19)
    assert cp.last_modified_by == "deckgen" and cp.revision == 1


def test_the_same_input_gives_the_same_bytes(planned, theme, deck_bytes):
    plan, _ = planned
    assert write_deck(plan, typesetting(theme), EPOCH) == deck_bytes
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 4, 19, 0, 0, 0)}
        for name in z.namelist():
            if name.endswith(".xlsx"):  # the embedded chart workbooks carry no clock time either
                inner = zipfile.ZipFile(io.BytesIO(z.read(name)))
                assert b"2024-04-19T00:00:00Z" in inner.read("docProps/core.xml")
    later = write_deck(plan, typesetting(theme), EPOCH + 86400)
    assert later != deck_bytes
    assert Presentation(io.BytesIO(later)).core_properties.created == dt.datetime(2024, 4, 20)


def test_hostile_text_is_kept_as_text(theme):
    data = copy.deepcopy(_data())
    evil = "x<y & AT&T <b>not bold</b> \x01"
    data["sections"][0]["title"] = evil
    data["charts"][0]["categories"] = ["<2021>", "2022 & on", "2023", "2024", "2025"]
    data["charts"][0]["projected_from"] = "2024"
    plan, _ = plan_deck(_outline(data), typesetting(theme))
    deck = Presentation(io.BytesIO(write_deck(plan, typesetting(theme), EPOCH)))
    titles = [_title(s) for s in deck.slides]
    assert "x<y & AT&T <b>not bold</b>" in titles
    chart = _charts(deck)[0][1].chart
    assert list(chart.plots[0].categories)[:2] == ["<2021>", "2022 & on"]


def test_agenda_entries_jump_to_their_section_slides(prs, planned, theme):
    plan, _ = planned
    agenda = next(s for s in prs.slides if _title(s) == "Agenda")
    body = next(p for p in agenda.placeholders if p.placeholder_format.idx == 1)
    slides = list(prs.slides)
    for n, (p, para) in enumerate(zip(body.text_frame.paragraphs, next(s for s in plan.slides if s.kind == "agenda").body), 1):
        number, tab, *title = p.runs
        assert (number.text, tab.text) == (str(n), "\t")  # the entry's number, then its title
        assert str(number.font.color.rgb) == str(tab.font.color.rgb) == theme.accent
        links = p._p.findall(".//a:hlinkClick", NS)
        assert len(links) == 1 and number._r.find(".//a:hlinkClick", NS) is links[0]  # the link is on the number only
        assert links[0].get("action") == "ppaction://hlinksldjump"
        target = agenda.part.related_part(links[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))
        assert target is slides[para.link - 1].part
        assert _title(slides[para.link - 1]).startswith("".join(r.text for r in title))
        assert p._p.find(".//a:buNone", NS) is not None  # no automatic number besides its own


def test_section_headers_and_closing_slide(theme):
    data = _data()
    data["theme"] = {"section_headers": "true"}
    plan, _ = plan_deck(_outline(data), typesetting(theme))
    kinds = [s.kind for s in plan.slides]
    assert kinds.count("section") == 3 and kinds[-1] == "closing"
    prs = Presentation(io.BytesIO(write_deck(plan, typesetting(theme), EPOCH)))
    sec = [s for s in prs.slides if s.slide_layout.name == "Section Header"]
    assert [_title(s) for s in sec] == ["First section", "Second section", "Conclusions"]
    assert prs.slides[-1].slide_layout.name == "Title Slide" and _title(prs.slides[-1]) == "Thank you"
