"""The deck looks designed (issue 21): shapes on the grid, balanced slides, one card size, sources on one slide
numbered as the brief numbers them, key points marked, a closing slide that names the publication — checked on the
plan and on the built deck, on deckgen's template and on others' (python-pptx's default, LibreOffice's Midnightblue)."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

import deckgen
from deckgen.build import outline_theme
from deckgen.layout.brief import References, plan_brief
from deckgen.layout.slides import (AgendaSlide, BulletSlide, ConclusionsSlide, Frame, KeyFiguresSlide,
                                   RecommendationsSlide, SourcesSlide)
from deckgen.preview import plan_for
from deckgen.typeset import typesetting
from templates import DEFAULT_OUTLINE, make_python_pptx_default, outline_on

TEXT = DEFAULT_OUTLINE.read_text(encoding="utf-8")
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
BALANCED = (BulletSlide, ConclusionsSlide, RecommendationsSlide, AgendaSlide, SourcesSlide)


def _frames(value, where: str = "") -> list[tuple[str, Frame]]:
    """Every Frame a slide plan holds (panels, text frames, cards, chart and source frames, edges, columns)."""
    if isinstance(value, Frame):
        return [(where, value)]
    if dataclasses.is_dataclass(value):
        return [f for fld in dataclasses.fields(value) for f in _frames(getattr(value, fld.name), f"{where}.{fld.name}")]
    if isinstance(value, tuple):
        return [f for i, v in enumerate(value) for f in _frames(v, f"{where}[{i}]")]
    return []


def _outline_on(template: str | None, tmp_path: Path, corpus) -> Path:
    if template is None:
        return DEFAULT_OUTLINE
    source = (make_python_pptx_default(tmp_path / "default.pptx") if template == "python-pptx-default"
              else shutil.copy(corpus.template(template), tmp_path / f"{template}.pptx"))
    return outline_on(Path(source), tmp_path)


def _used(plan, s) -> float:
    """The height the planner measured a text slide's paragraphs to take (lines at their size, spacing between)."""
    st = plan.geometry.style
    em = 1.22  # Carlito's (and Calibri's) line height, as the planner's fonts measure it
    used = 0.0
    for k, p in enumerate(s.body):
        lv = min(p.level, 1)
        used += (st.space_before[lv] if k else 0.0) + p.lines * float(p.size or st.sizes[lv]) * em * st.line_spacing[lv]
    columns = getattr(s, "columns", 1)
    return used / columns


@pytest.mark.parametrize("template", [None, "python-pptx-default", "Midnightblue"])
def test_every_planned_shape_lies_within_the_grids_margins(template, tmp_path, corpus):
    planned = plan_for(deckgen.load(_outline_on(template, tmp_path, corpus)))
    body = planned.plan.geometry.body
    left, right = body.x, body.x + body.w
    assert planned.plan.geometry.title.x == pytest.approx(left, abs=1.0) or template is not None
    outside = [(s.number, type(s).__name__, where, f) for s in planned.plan.slides for where, f in _frames(s)
               if f.x < left - 0.5 or f.x + f.w > right + 0.5]
    assert outside == []


def test_no_text_slide_of_the_default_deck_leaves_more_than_40_percent_of_its_body_empty():
    """The default deck: every text slide's body at least 60 % full. Its audiences' decks (fewer points): at least
    60 % full, or grown as far as the type may grow and set in the middle of the body."""
    for audience in (None, *deckgen.load(DEFAULT_OUTLINE).outline.audiences):
        plan = plan_for(deckgen.load(DEFAULT_OUTLINE), audience).plan
        room = plan.geometry.body.h - 2 * plan.geometry.style.inset
        for s in plan.slides:
            if isinstance(s, (ConclusionsSlide, RecommendationsSlide)):  # the panel fills the body
                assert s.panel.h >= plan.geometry.body.h
            if isinstance(s, BALANCED) and s.body:
                if audience is not None and s.centred:
                    assert "centred" in s.fill and max(p.size for p in s.body) > plan.geometry.style.sizes[0]
                    continue
                assert _used(plan, s) >= 0.6 * room, (audience, s.number, type(s).__name__, s.fill)
            if isinstance(s, KeyFiguresSlide):
                top = min(f.frame.y for f in s.figures)
                bottom = max(f.frame.y + f.frame.h for f in s.figures)
                assert bottom - top >= 0.6 * plan.geometry.body.h, (audience, s.number)


def test_a_grown_slide_says_why_and_stays_under_the_title_size():
    plan = plan_for(deckgen.load(DEFAULT_OUTLINE)).plan
    st = plan.geometry.style
    grown = [s for s in plan.slides if getattr(s, "fill", "")]
    assert len(grown) >= 4
    for s in grown:
        assert s.fill.startswith("type ") and "of the body" in s.fill
        assert all(p.size is not None and p.size > st.sizes[min(p.level, 1)] for p in s.body)
        assert max(p.size for p in s.body) <= plan.geometry.title_size - 4
    for s in plan.slides:  # what was not grown is at the template's sizes
        if isinstance(s, BulletSlide) and not s.fill:
            assert all(p.size is None for p in s.body)


def test_a_slide_its_points_fill_is_not_grown(theme):
    from deckgen.layout.deck import plan_deck

    data = deckgen.load(DEFAULT_OUTLINE).outline.model_dump(by_alias=True, exclude_none=True)
    data["sections"] = [{"id": "full", "title": "Full", "points": [f"Point {i} " + "with a fairly long line of words " * 3
                                                                    for i in range(5)]}]
    data.pop("audiences", None)
    data.pop("translations", None)
    outline = type(deckgen.load(DEFAULT_OUTLINE).outline).model_validate(data)
    plan, _ = plan_deck(outline, typesetting(theme))
    slides = [s for s in plan.slides if isinstance(s, BulletSlide)]
    assert len(slides) == 1 and all(p.lines == 2 for p in slides[0].body)  # five points of two lines: 88 % of the body
    assert not slides[0].fill and all(p.size is None for p in slides[0].body)


def test_the_sources_take_one_slide_numbered_as_the_brief_numbers_them():
    doc = deckgen.load(DEFAULT_OUTLINE)
    plan = plan_for(doc).plan
    sources = [s for s in plan.slides if isinstance(s, SourcesSlide)]
    assert len(sources) == 1 and sources[0].columns == 2
    ctx = typesetting(outline_theme(doc), language=doc.outline.meta.language)
    brief, _ = plan_brief(doc.outline, ctx)
    refs = next(b for b in brief.blocks if isinstance(b, References))
    shown = ["".join(r.text for r in p.runs) for p in sources[0].body]
    assert len(shown) == len(refs.items) == 12
    for line, ref in zip(shown, refs.items):
        assert line.startswith(f"{ref.number}. " + "".join(r.text for r in ref.title))
        assert "http" not in line  # a source's link shows the site's name, never its address
    assert all(12.0 <= float(p.size) for p in sources[0].body)


def test_the_built_sources_slide_is_set_in_two_columns_and_its_links_name_sites(tmp_path):
    prs = Presentation(deckgen.build(DEFAULT_OUTLINE, tmp_path, formats=("pptx",)).paths[0])
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Sources")
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    assert body.text_frame._txBody.bodyPr.get("numCol") == "2"
    links = [r for p in body.text_frame.paragraphs for r in p.runs if r.hyperlink.address]
    assert len(links) == 12 and all("/" not in r.text and "." in r.text for r in links)


def test_key_points_carry_the_accent_and_the_closing_slide_names_the_publication(tmp_path, theme):
    doc = deckgen.load(DEFAULT_OUTLINE)
    plan = plan_for(doc).plan
    prs = Presentation(deckgen.build(DEFAULT_OUTLINE, tmp_path, formats=("pptx",)).paths[0])
    marked = 0
    for s, slide in zip(plan.slides, prs.slides):
        if not isinstance(s, BulletSlide):
            continue
        body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
        for para, p in zip(s.body, body.text_frame.paragraphs):
            colour = p._p.find("a:pPr/a:buClr/a:srgbClr", NS)
            if para.key:
                marked += 1
                assert colour is not None and colour.get("val") == theme.accent
                assert all(str(r.font.color.rgb) == theme.primary for r in p.runs)
            else:
                assert colour is None
    assert marked >= 5
    closing = prs.slides[-1]
    text = "\n".join(sh.text_frame.text for sh in closing.shapes if sh.has_text_frame)
    assert "pism.pl" in text and "http" not in text and "PISM Bulletin No. 70" in text
    assert not any(sh.shape_type == 13 for s in prs.slides for sh in s.shapes)  # no picture: the outline sets no logo


def test_a_closing_slide_keeps_what_its_frame_holds(tmp_path, corpus):
    """On a template whose cover frame is short, the site and contact lines give way before anything overflows."""
    outline = _outline_on("Beehive", tmp_path, corpus)
    plan = plan_for(deckgen.load(outline)).plan
    closing = plan.slides[-1]
    shown = ["".join(r.text for r in p.runs) for p in closing.body]
    assert shown[0] == "Oskar Pietrewicz, Damian Wnukowski" and "PISM Bulletin No. 70" in shown[-1]


def test_one_card_size_for_every_key_figure_of_the_deck():
    plan = plan_for(deckgen.load(DEFAULT_OUTLINE)).plan
    cards = [f for s in plan.slides if isinstance(s, KeyFiguresSlide) for f in s.figures]
    assert len(cards) == 5 and len([s for s in plan.slides if isinstance(s, KeyFiguresSlide)]) == 1
    assert len({(f.frame.w, f.frame.h, f.value_size, f.label_size, f.source_size) for f in cards}) == 1
    assert min(f.frame.x for f in cards) == pytest.approx(plan.geometry.title.x, abs=0.5)  # the left edge: the title's


@pytest.fixture
def theme():
    from deckgen.theme import load_theme

    return load_theme()


def test_a_short_slide_stands_in_the_middle_of_its_body(tmp_path):
    plan = plan_for(deckgen.load(DEFAULT_OUTLINE), "defence").plan
    centred = [s for s in plan.slides if getattr(s, "centred", False)]
    assert centred
    built = deckgen.build(DEFAULT_OUTLINE, tmp_path, formats=("pptx",), audiences=["defence"]).paths[0]
    prs = Presentation(built)
    for s in centred:
        body = next(sh for sh in prs.slides[s.number - 1].placeholders if sh.placeholder_format.idx == 1)
        assert body.text_frame._txBody.bodyPr.get("anchor") == "ctr"


def test_the_cover_carries_the_series_nameplate_once(tmp_path):
    plan = plan_for(deckgen.load(DEFAULT_OUTLINE)).plan
    cover = plan.slides[0]
    assert cover.nameplate == "PISM Bulletin No. 70"
    assert cover.nameplate_frame.y + cover.nameplate_frame.h <= plan.geometry.cover_title.y  # above the title
    lines = ["".join(r.text for r in p.runs) for p in cover.body]
    assert sum(line.count("PISM Bulletin") for line in lines) == 0  # the series named once, on the nameplate
    prs = Presentation(deckgen.build(DEFAULT_OUTLINE, tmp_path, formats=("pptx",)).paths[0])
    shapes = list(prs.slides[0].shapes)
    names = [sh.name for sh in shapes]
    assert names.index("Nameplate") == names.index(prs.slides[0].shapes.title.name) + 1  # read right after the title
    plate = shapes[names.index("Nameplate")]
    assert plate.text_frame.text == "PISM Bulletin No. 70"
