"""A user's own PowerPoint template works as well as the built-in one: the default outline on real third-party templates.

The corpus (tests/templates.py, docs/templates.md): five of LibreOffice Impress's bundled templates converted to .pptx
(light, dark, picture backgrounds, 16:9 and 4:3, 1-11 masters), python-pptx's default template (4:3) and the same
resized to A4. For each: the outline names the template and no theme.layouts; the deck builds, keeps the template's slide
size, carries no deckgen logo, passes openxml-audit; LibreOffice's render puts every word inside its shape and on the
page, every word has WCAG contrast >= 4.5:1 against what lies behind it, and the plan's predicted line counts match the
render within one line per text frame. "builtin" is the control: the default outline on deckgen's own template.

Every expensive step runs once per session (fixture `corpus`); the checks themselves are cheap.
"""
from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Pt
from pathlib import Path

from templates import (
    BUILTIN,
    CORPUS,
    LIBREOFFICE,
    NO_LINES,
    PYTHON_PPTX,
    CorpusError,
    builtin_logo_hash,
    check_contrast,
    check_line_counts,
    check_page_sizes,
    check_whole_words,
    check_words_in_boxes,
    page_words,
    picture_hashes,
    render_pdf,
    render_pngs,
    slide_boxes,
    slide_tokens,
    slide_size_pt,
    template_summary,
    text_frames,
)

ROOT = Path(__file__).resolve().parent.parent
slow = pytest.mark.slow


def _cases(names):
    """LibreOffice templates need soffice to exist at all: those cases are slow; the builtin deck's render is too."""
    return [pytest.param(n, marks=slow, id=n) if n in LIBREOFFICE else pytest.param(n, id=n) for n in names]


TEMPLATES = _cases(CORPUS)
DECKS = _cases([*CORPUS, BUILTIN])
RENDERS = [pytest.param(n, marks=slow, id=n) for n in [*CORPUS, BUILTIN]]


def _report(problems: list[str], what: str, limit: int = 25) -> str:
    more = f"\n… and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} {what}:\n" + "\n".join(problems[:limit]) + more


# ---------------------------------------------------------------- the corpus itself


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_corpus_template_is_what_the_corpus_promises(corpus, name):
    info = template_summary(corpus.template(name))
    w, h = info["size_pt"]
    if name in LIBREOFFICE:
        assert w == pytest.approx(793.8, abs=0.5)
        assert h == pytest.approx(595.2 if name == "Vintage" else 446.5, abs=0.5)
        assert {"Title Slide", "Title, Content", "Title Only", "Title, 2 Content"} <= set(info["layout_names"])
        assert "Title and Content" not in info["layout_names"]  # not the built-in names: layouts must be found by placeholders
    elif name == "python-pptx-default":
        assert (w, h) == pytest.approx((720, 540), abs=0.5)
        assert {"Title Slide", "Title and Content", "Title Only"} <= set(info["layout_names"])
    else:
        assert (w, h) == pytest.approx((841.9, 595.3), abs=0.5)
    assert (w, h) != pytest.approx((960, 540), abs=1)  # none of them is deckgen's own 13.333 x 7.5 in


def test_the_corpus_holds_at_least_six_templates_of_several_sizes():
    assert len(CORPUS) >= 6 and set(LIBREOFFICE) | set(PYTHON_PPTX) == set(CORPUS)


# ---------------------------------------------------------------- the deck


@pytest.mark.parametrize("name", DECKS)
def test_the_default_outline_builds_on_the_template(corpus, name):
    deck = corpus.deck(name)
    assert deck.pptx.is_file()


@pytest.mark.parametrize("name", DECKS)
def test_the_deck_keeps_the_template_slide_size(corpus, name):
    assert slide_size_pt(corpus.presentation(name)) == pytest.approx(corpus.template_size(name), abs=0.05)


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_deck_carries_no_deckgen_logo_when_the_outline_sets_none(corpus, name):
    import yaml

    theme = yaml.safe_load(corpus.outline(name).read_text(encoding="utf-8"))["theme"]
    assert "logo" not in theme and "layouts" not in theme
    assert builtin_logo_hash() not in picture_hashes(corpus.deck(name).pptx), \
        f"the deck on '{name}' contains deckgen's built-in logo (assets/templates/logo.png) though the outline sets no theme.logo"


def test_the_logo_check_finds_a_logo_the_outline_does_set(tmp_path):
    """The logo check can fail: an outline that names the bundled mark as its theme.logo gets it on its slides."""
    import shutil

    import yaml

    import deckgen

    data = yaml.safe_load((ROOT / "outlines" / "us-japan-2024.yaml").read_text(encoding="utf-8"))
    data["theme"] = {"logo": "logo.png"}
    shutil.copy(ROOT / "assets" / "templates" / "logo.png", tmp_path / "logo.png")
    (tmp_path / "o.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = deckgen.build(tmp_path / "o.yaml", tmp_path / "out", formats=("pptx",))
    assert builtin_logo_hash() in picture_hashes(result.paths[0])


@pytest.mark.parametrize("name", DECKS)
def test_the_deck_has_one_slide_per_planned_slide_and_none_of_the_templates_examples(corpus, name):
    prs, plan = corpus.presentation(name), corpus.plan(name)
    assert len(prs.slides) == len(plan["slides"]), \
        f"the deck has {len(prs.slides)} slides, the plan {len(plan['slides'])} (the template's example slides kept?)"


@pytest.mark.parametrize("name", DECKS)
def test_openxml_audit_reports_no_error(corpus, name):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(corpus.deck(name).pptx))
    errors = [e for e in result.errors if "error" in str(getattr(e, "severity", "error")).lower()]
    assert result.is_valid and not errors, [str(e) for e in errors[:10]]


# ---------------------------------------------------------------- LibreOffice's render


@pytest.mark.parametrize("name", RENDERS)
def test_the_render_has_one_page_per_slide_at_the_template_size(corpus, name):
    problems = check_page_sizes(corpus.words(name), corpus.template_size(name), len(corpus.presentation(name).slides))
    assert not problems, _report(problems, f"page problems on '{name}'")


@pytest.mark.parametrize("name", RENDERS)
def test_every_rendered_word_lands_inside_its_box_and_on_the_page(corpus, name):
    problems = check_words_in_boxes(corpus.words(name), corpus.boxes(name))
    assert not problems, _report(problems, f"words outside their boxes on '{name}'")


@pytest.mark.parametrize("name", RENDERS)
def test_no_rendered_word_is_broken_inside_itself(corpus, name):
    problems = check_whole_words(corpus.words(name), slide_tokens(corpus.presentation(name)))
    assert not problems, _report(problems, f"words broken across lines on '{name}'")


@slow
def test_the_broken_word_check_finds_a_linked_run_broken_mid_word(tmp_path):
    """LibreOffice breaks a run that is one long hyperlink anywhere when it wraps ('bu|t'); the same words unlinked
    break between words. (The deck's agenda once linked whole entries; its links are on the numbers now.)"""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls

    prs = Presentation()
    slides = [prs.slides.add_slide(prs.slide_layouts[6]) for _ in range(2)]
    text = "Japan: America's partner on the world stage, but not only in the Pacific and beyond"
    for k, slide in enumerate(slides):
        box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(170), Pt(300))
        box.text_frame.word_wrap = True
        run = box.text_frame.paragraphs[0].add_run()
        run.text, run.font.size = text, Pt(20)
        if k == 0:
            r_id = slide.part.relate_to(slides[1].part, RT.SLIDE)
            run._r.get_or_add_rPr().append(parse_xml(f'<a:hlinkClick {nsdecls("a", "r")} r:id="{r_id}" '
                                                     'action="ppaction://hlinksldjump"/>'))
    prs.save(str(tmp_path / "broken.pptx"))
    words = page_words(render_pdf(tmp_path / "broken.pptx", tmp_path / "render", tmp_path / "lo-profile"))
    problems = check_whole_words(words, slide_tokens(Presentation(str(tmp_path / "broken.pptx"))))
    assert problems and all(p.startswith("slide 1:") for p in problems), problems


@pytest.mark.parametrize("name", RENDERS)
def test_every_rendered_word_has_contrast_of_at_least_4_5_to_1(corpus, name):
    problems = check_contrast(corpus.words(name), corpus.pngs(name), owned=corpus.boxes(name))
    assert not problems, _report(problems, f"words with too little contrast on '{name}'")


@pytest.mark.parametrize("name", RENDERS)
def test_the_plans_line_counts_match_the_render_within_one_line_per_frame(corpus, name):
    plan = corpus.plan(name)
    problems = check_line_counts(plan, corpus.words(name), corpus.boxes(name))
    assert not problems, _report(problems, f"frames whose line count LibreOffice does not confirm on '{name}'")


# ---------------------------------------------------------------- the checks can fail


def _canary(path):
    """A deck the checks must reject: pale grey words on white, and a paragraph that overflows its small box."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # Title Only
    slide.shapes.title.text = "Canary title"
    pale = slide.shapes.add_textbox(Pt(40), Pt(200), Pt(600), Pt(120))
    pale.text_frame.word_wrap = True
    for k, text in enumerate(["Pale first line", "Pale second line", "Pale third line"]):
        para = pale.text_frame.paragraphs[0] if k == 0 else pale.text_frame.add_paragraph()
        para.text = text
        para.runs[0].font.size = Pt(20)
        para.runs[0].font.color.rgb = RGBColor(0xC8, 0xC8, 0xC8)
    spill = slide.shapes.add_textbox(Pt(40), Pt(400), Pt(150), Pt(30))
    spill.text_frame.word_wrap = True
    spill.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    spill.text_frame.text = "overflowing words " * 12
    for run in spill.text_frame.paragraphs[0].runs:
        run.font.size = Pt(18)
    prs.save(str(path))
    return path


@slow
def test_the_render_checks_reject_a_bad_deck_and_count_its_lines(tmp_path):
    pptx = _canary(tmp_path / "canary.pptx")
    pdf = render_pdf(pptx, tmp_path / "render", tmp_path / "lo-profile")
    words, pngs = page_words(pdf), render_pngs(pdf, tmp_path / "png")
    boxes = slide_boxes(Presentation(str(pptx)))

    assert check_page_sizes(words, (720, 540), 1) == []
    assert check_page_sizes(words, (960, 540), 1)  # a page of another size is reported

    outside = check_words_in_boxes(words, boxes)
    assert outside and all("overflowing" in p or "words" in p for p in outside), outside

    pale = check_contrast(words, pngs)
    flagged = {p.split("'")[1] for p in pale}
    assert {"Pale", "first", "second", "third", "line"} <= flagged and "Canary" not in flagged, pale
    assert all("#C8C8C8 on #FFFFFF" in p for p in pale), pale

    def plan(title_lines, lines):
        body = [{"runs": [{"text": t}], "lines": lines} for t in ("Pale first line", "Pale second line", "Pale third line")]
        return {"slides": [{"number": 1, "kind": "bullets", "title": [{"text": "Canary title"}],
                            "title_lines": title_lines, "body": body}]}

    assert check_line_counts(plan(1, 1), words, boxes) == []  # 1 title line, 3 body lines: as rendered
    assert check_line_counts(plan(2, 1), words, boxes) == []  # within one line
    assert check_line_counts(plan(1, 2), words, boxes) == []  # a line long per paragraph: room wasted, no overflow
    wrong = check_line_counts(plan(3, 3), words, boxes)
    assert len(wrong) == 2 and "predicts 3 lines, LibreOffice rendered 1" in wrong[0] and "predicts 9" in wrong[1], wrong
    short = [{"runs": [{"text": "Pale first line Pale second line Pale third line"}], "lines": 1}]
    one = {"slides": [{"number": 1, "kind": "bullets", "title": [{"text": "Canary title"}], "title_lines": 1, "body": short}]}
    assert check_line_counts(one, words, boxes) == ["slide 1 body ('TextBox 2'): the plan predicts 1 lines, "
                                                    "LibreOffice rendered 3"]  # more than a line short: overflow risk


def test_a_plan_without_line_counts_is_reported_as_such():
    slide = {"number": 2, "kind": "bullets", "title": [{"text": "T"}], "title_lines": 1,
             "body": [{"runs": [{"text": "a"}], "level": 0}]}
    with pytest.raises(CorpusError, match=NO_LINES):
        text_frames(slide)
    with pytest.raises(CorpusError, match=NO_LINES):
        text_frames({"number": 1, "kind": "title", "title": [{"text": "T"}]})
    assert text_frames({**slide, "body": [{"runs": [{"text": "a"}], "lines": 2}]}) == [("title", ["T"], 1), ("body", ["a"], 2)]
