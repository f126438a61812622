"""The deck's accessibility check (`deckgen check`): it finds defects injected into a real built deck — each located
at its slide and shape, with its fix — and the decks deckgen builds pass it."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Pt

import deckgen
from deckgen.access import Box, ShapeFacts, SlideFacts, TextFacts, check_deck
from deckgen.cli import cli
from deckgen.units import Colour
from deckgen.writers.pptx.audit import audit_deck

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"
ELEMENTS = ROOT / "tests" / "fixtures" / "elements" / "elements.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
CLASSIFIED = ROOT / "tests" / "fixtures" / "classified" / "classified.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The default outline's deck, built once for the module."""
    out = tmp_path_factory.mktemp("access")
    result = deckgen.build(DEFAULT, out, formats=("pptx",))
    return next(p for p in result.paths if p.suffix == ".pptx")


def _copy(built: Path, tmp_path: Path) -> tuple[Path, object]:
    path = tmp_path / "edited.pptx"
    shutil.copy(built, path)
    return path, Presentation(str(path))


def _slide_with(prs, test) -> tuple[int, object]:
    return next((n, s) for n, s in enumerate(prs.slides, 1) if test(s))


def _position(slide, shape) -> int:
    """The shape's 1-based position in the slide's shape tree (the column of a finding)."""
    kinds = ("sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")
    tree = [e for e in slide.shapes._spTree if e.tag.split("}")[1] in kinds]
    return next(i for i, e in enumerate(tree, 1) if e is shape._element)


def _found(path: Path) -> list[deckgen.Problem]:
    return deckgen.check_deck(path)


# ------------------------------------------------------------------ what deckgen builds passes


def test_the_default_deck_as_built_has_no_finding(built):
    assert _found(built) == []


@pytest.mark.parametrize("outline", [DEFAULT, ELEMENTS, MINI, CLASSIFIED], ids=lambda p: p.stem)
def test_check_of_an_outline_finds_nothing_in_its_decks_for_any_audience(outline):
    problems = deckgen.check(outline)
    assert [p for p in problems if "slide" in p.message] == [], "\n".join(map(str, problems))


def test_the_audit_reads_what_the_deck_shows(built):
    """The facts the check judges are the deck's: titles, the chart's alt text, the footer's size and colour on
    white, the key figures' text on their light panels, the sources' links."""
    slides = audit_deck(built)
    assert len(slides) == len(Presentation(str(built)).slides)
    assert slides[0].title.startswith("What Are the Regional")
    chart = next(sh for s in slides for sh in s.shapes if sh.kind == "chart")
    assert chart.alt.startswith("Line chart")
    assert all(sh.name.startswith("deckgen:") is False for s in slides for sh in s.shapes)  # the hidden marker is skipped
    footer = next(sh for sh in slides[1].shapes if sh.role == "furniture")
    assert [(t.size, t.colour, t.grounds) for t in footer.texts][:1] == [(12.0, "565D6B", ("FFFFFF",))]
    figures = next(s for s in slides if s.title == "Key figures")
    value = next(sh for sh in figures.shapes if sh.name == "Key figure").texts[0]
    values = [t for s in slides if s.title.startswith("Key figures") for sh in s.shapes for t in sh.texts[:1]
              if sh.name == "Key figure"]
    assert 28.0 <= value.size <= 48.0 and value.grounds == ("E8EDF3",)
    assert len(values) == 5 and {t.size for t in values} == {value.size}  # one size for every card's value
    links = [t for s in slides if s.title.startswith("Sources") for sh in s.shapes for t in sh.texts if t.link]
    assert links and all(t.link.startswith("https://") and not t.text.startswith("http") for t in links)


# ------------------------------------------------------------------ injected defects are found, located


def test_a_chart_without_alt_text_is_found_at_its_slide_and_shape(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    n, slide = _slide_with(prs, lambda s: any(sh.has_chart for sh in s.shapes))
    chart = next(sh for sh in slide.shapes if sh.has_chart)
    chart._element.nvGraphicFramePr.cNvPr.attrib.pop("descr")
    prs.save(path)
    found = _found(path)
    assert [(p.line, p.col, p.path, p.severity) for p in found] == [(n, _position(slide, chart), f"slide[{n}].shape[{_position(slide, chart)}]", "warning")]
    assert "chart 'Chart' has no alt text" in found[0].message and f"slide {n} '" in found[0].message
    assert str(found[0]).startswith(f"{path}:{n}:{_position(slide, chart)}: ")


def test_a_table_and_a_picture_without_alt_text_are_found(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    n, slide = _slide_with(prs, lambda s: any(sh.has_table for sh in s.shapes))
    table = next(sh for sh in slide.shapes if sh.has_table)
    table._element.nvGraphicFramePr.cNvPr.set("descr", "  ")
    pic = slide.shapes.add_picture(str(ROOT / "assets" / "templates" / "logo.png"), Pt(700), Pt(20), height=Pt(20))
    named = slide.shapes.add_picture(str(ROOT / "assets" / "templates" / "logo.png"), Pt(760), Pt(20), height=Pt(20))
    pic._element.nvPicPr.cNvPr.attrib.pop("descr", None)  # python-pptx writes the file's name as the alt text
    prs.save(path)
    found = [(p.line, p.col, p.message.split(": ", 1)[1].split(" —")[0]) for p in _found(path)]
    assert (n, _position(slide, table), "table 'Table' has no alt text") in found
    assert (n, _position(slide, pic), f"picture '{pic.name}' has no alt text") in found
    assert (n, _position(slide, named), f"picture '{named.name}' has only a file name ('logo.png') for alt text") in found


def test_a_picture_marked_decorative_needs_no_alt_text(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    slide = prs.slides[1]
    pic = slide.shapes.add_picture(str(ROOT / "assets" / "templates" / "logo.png"), Pt(700), Pt(510), height=Pt(20))
    from pptx.oxml import parse_xml

    pic._element.nvPicPr.cNvPr.append(parse_xml(
        '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
        '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>'))
    prs.save(path)
    assert _found(path) == []


def test_a_duplicated_title_is_found_on_the_later_slide(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    first = prs.slides[4].shapes.title.text_frame.text
    prs.slides[5].shapes.title.text_frame.text = first.upper()  # the same title, whatever its case
    prs.save(path)
    found = _found(path)
    assert [(p.line, p.col, p.path) for p in found] == [(6, 0, "slide[6]")]
    assert found[0].message.startswith(f"slide 6 '{first.upper()[:47]}") and "the same title as slide 5" in found[0].message


def test_a_slide_without_a_title_is_found(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    title = prs.slides[4].shapes.title
    title._element.getparent().remove(title._element)
    prs.slides[5].shapes.title.text_frame.text = "   "
    prs.save(path)
    assert [(p.line, p.message.split(" — ")[0]) for p in _found(path)] == [(5, "slide 5 has no title"), (6, "slide 6 has no title")]


def test_low_contrast_text_is_found_with_its_ratio(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    n, slide = 5, prs.slides[4]
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    run = body.text_frame.paragraphs[0].runs[0]
    run.font.color.rgb = RGBColor.from_string("BBBBBB")
    prs.save(path)
    found = _found(path)
    assert [(p.line, p.col) for p in found] == [(n, _position(slide, body))]
    ratio = Colour("BBBBBB").contrast(Colour("FFFFFF"))
    assert f"has a contrast of {ratio:.1f}:1 (#BBBBBB on #FFFFFF) — needs 3:1 (large text)" in found[0].message  # 20 pt


def test_large_text_needs_only_three_to_one():
    """WCAG AA: 3:1 for text of 18 pt, or bold 14 pt; 4.5:1 below that. #949494 on white is 3.0:1."""
    grey, white = Colour("949494"), Colour("FFFFFF")
    assert 3.0 <= grey.contrast(white) < 4.5

    def slide(size: float, bold: bool) -> list[SlideFacts]:
        text = TextFacts("Words", size, bold, grey, (white,))
        return [SlideFacts(1, "T", (ShapeFacts(2, "Text", "text", "content", Box(0, 0, 100, 40), texts=(text,)),))]

    assert check_deck(slide(18, False)) == [] and check_deck(slide(14, True)) == []
    assert len(check_deck(slide(17.5, False))) == 1 and len(check_deck(slide(13.5, True))) == 1


def test_text_below_ten_points_is_found(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    slide = prs.slides[4]
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    body.text_frame.paragraphs[1].runs[0].font.size = Pt(8)
    prs.save(path)
    found = _found(path)
    assert [(p.line, p.col) for p in found] == [(5, _position(slide, body))]
    assert "is 8 pt (" in found[0].message and "use at least 10 pt" in found[0].message


def test_a_shrunk_text_frame_counts_at_the_size_it_shows(built, tmp_path):
    """PowerPoint's 'shrink text on overflow' stores a font scale: 24 pt at 30 % shows 7.2 pt."""
    path, prs = _copy(built, tmp_path)
    body = next(sh for sh in prs.slides[4].placeholders if sh.placeholder_format.idx == 1)
    bodyPr = body.text_frame._txBody.find(qn("a:bodyPr"))
    for old in list(bodyPr):
        bodyPr.remove(old)
    from pptx.oxml import parse_xml

    bodyPr.append(parse_xml('<a:normAutofit xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" fontScale="30000"/>'))
    prs.save(path)
    assert [p.line for p in _found(path)] == [5]


def test_a_link_that_shows_its_address_is_found(built, tmp_path):
    path, prs = _copy(built, tmp_path)
    n, slide = _slide_with(prs, lambda s: s.shapes.title.text_frame.text == "Sources")
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    run = next(r for r in body.text_frame.paragraphs[0].runs if r.hyperlink.address)
    run.text = run.hyperlink.address
    prs.save(path)
    found = _found(path)
    assert [(p.line, p.col) for p in found] == [(n, _position(slide, body))]
    assert "the link text 'https://pism.pl/" in found[0].message and "is a bare address" in found[0].message


def test_reading_order_against_visual_order(built, tmp_path):
    """A source line moved before its chart in the shape tree is read before what lies above it; a title moved
    after the chart is read late."""
    path, prs = _copy(built, tmp_path)
    n, slide = _slide_with(prs, lambda s: any(sh.has_chart for sh in s.shapes))
    tree = slide.shapes._spTree
    chart = next(sh for sh in slide.shapes if sh.has_chart)
    source = next(sh for sh in slide.shapes if sh.name == "Source")
    tree.remove(source._element)
    chart._element.addprevious(source._element)  # Source, then Chart
    m, other = _slide_with(prs, lambda s: s is not slide and any(sh.has_chart for sh in s.shapes))
    title = other.shapes.title
    tree2 = other.shapes._spTree
    tree2.remove(title._element)
    next(sh for sh in other.shapes if sh.has_chart)._element.addnext(title._element)
    prs.save(path)
    found = _found(path)
    chart_pos = _position(slide, chart)
    assert (n, chart_pos) in [(p.line, p.col) for p in found]
    moved = next(p for p in found if p.line == n)
    assert "'Chart' is read after 'Source' but lies above it" in moved.message
    late = [p for p in found if p.line == m]
    assert late and "the title is read after 'Chart'" in late[0].message


def test_columns_read_down_then_across_are_in_visual_order():
    """Two columns: the left one read top to bottom, then the right: no finding; the right column's top read before
    the left column: found (it lies right of what is on its band)."""
    left_top, left_low = Box(40, 100, 400, 100), Box(40, 220, 400, 200)
    right = Box(480, 100, 400, 320)

    def order(*boxes):
        shapes = tuple(ShapeFacts(i + 3, f"S{i}", "text", "content", b, texts=(TextFacts("x", 20),)) for i, b in enumerate(boxes))
        title = ShapeFacts(2, "Title", "text", "title", Box(40, 20, 800, 60), texts=(TextFacts("T", 30),))
        return check_deck([SlideFacts(1, "T", (title, *shapes))])

    assert order(left_top, left_low, right) == []
    found = order(right, left_top, left_low)
    assert len(found) == 2 and all("but lies left of it" in f.message for f in found)


# ------------------------------------------------------------------ the command line


def test_cli_check_of_a_deck_warns_and_strict_fails(built, tmp_path):
    runner = CliRunner()
    clean = runner.invoke(cli, ["check", str(built)])
    assert clean.exit_code == 0 and "ok: 0 warnings" in clean.output
    assert runner.invoke(cli, ["check", "--strict", str(built)]).exit_code == 0
    path, prs = _copy(built, tmp_path)
    next(sh for s in prs.slides for sh in s.shapes if sh.has_chart)._element.nvGraphicFramePr.cNvPr.set("descr", "")
    prs.save(path)
    loose = runner.invoke(cli, ["check", str(path)])
    assert loose.exit_code == 0 and "has no alt text" in loose.output and "warnings: 1 warning" in loose.output
    strict = runner.invoke(cli, ["check", "--strict", str(path)])
    assert strict.exit_code == 1 and "has no alt text" in strict.output


def test_cli_check_of_an_outline_locates_a_deck_finding_at_its_element(tmp_path):
    """An outline whose chart has its section's title: the check names the chart's slide and points at the chart in
    the outline; without --strict it exits 0, with --strict 1."""
    text = MINI.read_text(encoding="utf-8")
    outline = tmp_path / "dup.yaml"
    outline.write_text(text.replace("    title: FDI stock\n", "    title: Second section\n", 1), encoding="utf-8")
    assert outline.read_text(encoding="utf-8") != text
    doc = deckgen.load(outline)
    fdi = next(i for i, c in enumerate(doc.outline.charts) if c.id == "fdi")
    found = [p for p in deckgen.check(outline) if "the same title as slide" in p.message]
    assert found and all("'Second section'" in p.message for p in found)
    assert (found[0].line, found[0].col) == doc.locate(("charts", fdi)) and found[0].path == "charts[fdi]"
    runner = CliRunner()
    loose = runner.invoke(cli, ["check", str(outline)])
    assert loose.exit_code == 0 and "the same title as slide" in loose.output
    assert runner.invoke(cli, ["check", "--strict", str(outline)]).exit_code == 1


def test_a_file_that_is_no_deck_is_an_error(tmp_path):
    bad = tmp_path / "not.pptx"
    bad.write_bytes(b"no zip")
    result = CliRunner().invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1 and "cannot be opened as a presentation" in result.output


def test_the_deck_is_audited_from_bytes_as_from_its_file(built):
    assert audit_deck(built.read_bytes()) == audit_deck(built)
