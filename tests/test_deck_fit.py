"""The deck fits: real-metric wrapping, golden plans, every rendered word inside its box, schema-clean, same bytes."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

import deckgen
from deckgen.layout.slides import SOURCE_SIZE
from deckgen.typeset import typesetting
from deckgen.inline import Run
from deckgen.layout.deck import plan_deck

CONT = " (cont.)"  # what an English continuation slide adds to its title
from deckgen.layout.slides import body_of
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.writers.pptx import write_deck

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "default": ROOT / "outlines" / "us-japan-2024.yaml",
    "stress": Path(__file__).resolve().parent / "fixtures" / "stress.yaml",
}
EPOCH = 1713484800


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.fixture(scope="module")
def built(theme):
    """case -> (plan, warnings, pptx bytes)."""
    out = {}
    for case, path in CASES.items():
        plan, warnings = plan_deck(deckgen.load(path).outline, typesetting(theme))
        out[case] = (plan, warnings, write_deck(plan, typesetting(theme), EPOCH))
    return out


# ---------------------------------------------------------------- metrics


def test_carlito_widths_are_the_real_ones(theme):
    fonts = typesetting(theme).fonts
    # Carlito (= Calibri) advance widths at 1000 upm: 'i' 229, 'W' 890
    assert fonts.width("i", 1000) == pytest.approx(229, abs=1)
    assert fonts.width("W", 1000) == pytest.approx(890, abs=1)
    assert fonts.width("W", 1000, bold=True) > fonts.width("W", 1000)
    assert fonts.width("iiii", 20) < fonts.width("WWWW", 20) / 3


def test_line_height_comes_from_the_fonts_own_tables(theme):
    # Carlito's hhea: ascent 1536 + descent 512 + line gap 452 = 2500 of 2048 units (Calibri's too)
    fonts = typesetting(theme).fonts
    assert fonts.line_em == 1.22
    assert fonts.line_height(20) == pytest.approx(24.4)


def test_wrap_breaks_at_spaces_and_breaks_a_word_longer_than_the_line(theme):
    fonts = typesetting(theme).fonts
    lines = fonts.wrap((Run("alpha beta alpha beta"),), 20, fonts.width("alpha beta", 20) + 1)
    assert lines == ["alpha beta", "alpha beta"]
    long = "x" * 60
    lines = fonts.wrap((Run(long),), 20, 200)
    assert len(lines) > 1 and "".join(lines) == long
    assert all(fonts.width(line, 20) <= 200 for line in lines)
    assert fonts.lines((Run("Zażółć gęślą jaźń"),), 20, 1000) == 1


# ---------------------------------------------------------------- the plan


def test_stress_splits_forty_points_and_keeps_sub_points_with_their_point(built):
    plan, _, _ = built["stress"]
    outline = deckgen.load(CASES["stress"]).outline
    forty = [s for s in plan.slides if s.loc == ("sections", 1)]
    assert len(forty) >= 7 and all(s.continued == (k > 0) for k, s in enumerate(forty))
    titles = ["".join(r.text for r in s.title) for s in forty]
    # stress.yaml is Polish: "(cd.)", then numbered, so that no two slides share a title
    assert [t[len(titles[0]):] for t in titles[1:]] == [" (cd.)"] + [f" (cd. {k})" for k in range(2, len(forty))]
    shown = ["".join(r.text for r in p.runs) for s in forty for p in s.body]
    assert shown == [p.text for p in outline.sections[1].points]
    for s in (s for s in plan.slides if s.loc == ("sections", 0)):
        assert s.body[0].level == 0  # a slide never starts with an orphaned sub-point
    for s in plan.slides:
        for p in body_of(s):  # (the sources step down to fit one slide, to the source line's size at the least)
            assert (p.size or plan.geometry.style.sizes[min(p.level, 1)]) >= (SOURCE_SIZE if s.kind == "sources" else 18)


def test_a_title_that_cannot_fit_two_lines_is_a_located_warning(theme):
    data = deckgen.load(CASES["stress"]).outline.model_dump(mode="json", exclude_none=True)
    data["sections"][2]["title"] = "An endless title " * 20
    plan, warnings = plan_deck(Outline.model_validate(data), typesetting(theme))
    assert (("sections", 2), "the slide title needs more than 2 lines — shorten it") in warnings


def test_no_text_relies_on_normautofit(built):
    _, _, data = built["default"]
    with __import__("zipfile").ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "normAutofit" not in xml


# ---------------------------------------------------------------- the file


def test_building_twice_gives_identical_bytes(built, theme):
    for case in CASES:
        plan, _, data = built[case]
        assert write_deck(plan, typesetting(theme), EPOCH) == data


@pytest.mark.parametrize("case", sorted(CASES))
def test_openxml_audit_reports_no_error(built, case, tmp_path):
    from openxml_audit import OpenXmlValidator

    path = tmp_path / f"{case}.pptx"
    path.write_bytes(built[case][2])
    result = OpenXmlValidator().validate(str(path))
    errors = [e for e in result.errors if "error" in str(getattr(e, "severity", "error")).lower()]
    assert result.is_valid and not errors, [str(e) for e in errors[:10]]


def _boxes(prs):
    """Per slide: (left, top, right, bottom) in pt of every shape that holds text, a chart or a table (tables/test_tables.py
    checks each cell's words inside their cell)."""
    out = []
    for slide in prs.slides:
        boxes = []
        for sh in slide.shapes:
            if (sh.has_text_frame and sh.text_frame.text.strip()) or sh.has_chart or sh.has_table:
                x, y, w, h = (v / 12700 for v in (sh.left, sh.top, sh.width, sh.height))
                boxes.append((x, y, x + w, y + h))
        out.append(boxes)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_rendered_word_lands_inside_its_box_and_on_the_page(built, case, tmp_path):
    import pdfplumber

    assert shutil.which("soffice"), "LibreOffice (soffice) is required for this check — .ci/run installs libreoffice-impress"

    path = tmp_path / f"{case}.pptx"
    path.write_bytes(built[case][2])
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / f"{case}.pdf"
    assert pdf.is_file()
    boxes = _boxes(Presentation(io.BytesIO(built[case][2])))
    tol = 1.5
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(boxes)
        for n, (page, slide_boxes) in enumerate(zip(doc.pages, boxes), 1):
            assert (page.width, page.height) == pytest.approx((960, 540), abs=1)
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                assert 0 <= w["x0"] and w["x1"] <= page.width and 0 <= w["top"] and w["bottom"] <= page.height, (n, w["text"])
                inside = any(l - tol <= w["x0"] and w["x1"] <= r + tol and t - tol <= w["top"] and w["bottom"] <= b + tol
                             for l, t, r, b in slide_boxes)
                assert inside, f"slide {n}: '{w['text']}' at {w['x0']:.0f},{w['top']:.0f}-{w['x1']:.0f},{w['bottom']:.0f} is outside every box"


def test_a_column_chart_target_is_an_editable_dashed_line_series(theme, tmp_path):
    from openxml_audit import OpenXmlValidator

    data = deckgen.load(ROOT / "tests" / "fixtures" / "mini.yaml").outline.model_dump(mode="json", exclude_none=True)
    bases = next(c for c in data["charts"] if c["id"] == "bases")
    bases["target"] = {"value": 8, "label": "Goal: 8 sites"}
    plan, warnings = plan_deck(Outline.model_validate(data), typesetting(theme))
    assert not [w for w in warnings if w[0][-1:] == ("target",)]
    blob = write_deck(plan, typesetting(theme), EPOCH)
    prs = Presentation(io.BytesIO(blob))
    chart = next(sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart and sh.chart.plots[0].series[0].name == "Original")
    columns, line = chart.plots[:2]  # (then the stack totals: labels only)
    assert [s.name for s in columns.series] == ["Original", "Added"]
    assert [s.name for s in line.series] == ["Goal: 8 sites"] and list(line.series[0].values) == [8.0, 8.0]
    assert 'prstDash val="dash"' in line.series[0]._element.xml
    path = tmp_path / "t.pptx"
    path.write_bytes(blob)
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors[:5]]


def test_quote_and_side_by_side_slides_are_planned_to_fit(theme):
    data = deckgen.load(ROOT / "tests" / "fixtures" / "mini.yaml").outline.model_dump(mode="json", exclude_none=True)
    data["sections"].insert(0, {"id": "q", "title": "Said", "kind": "quote", "points": [
        {"text": "We stand together. " * 12, "points": ["A. Leader, 11 April 2024"]}, "After the quote."]})
    plan, warnings = plan_deck(Outline.model_validate(data), typesetting(theme))
    assert warnings == []
    quote = next(s for s in plan.slides if s.kind == "quote")
    assert [p.style for p in quote.body] == ["quote", "attribution"]
    assert 18 <= quote.body[0].size <= 32 and quote.body[1].runs[0].text == "— A. Leader, 11 April 2024"
    after = plan.slides[plan.slides.index(quote) + 1]
    assert after.kind == "bullets" and after.body[0].runs[0].text == "After the quote."
    side = next(s for s in plan.slides if s.kind == "bullets_chart")
    b, c = side.body_frame, side.chart_frame
    assert b.x + b.w < c.x and c.x + c.w <= plan.geometry.width - 40 and side.chart.title
    agenda = next(s for s in plan.slides if s.kind == "agenda")
    assert plan.slides[agenda.body[0].link - 1] is quote
