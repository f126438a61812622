"""Templates: the built-in policy template, an organisation's own .pptx with other layout names, inspect, errors."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINI
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

import deckgen
from deckgen.cli import cli
from deckgen.theme import builtin_template
from deckgen.typeset import typesetting

CORPORATE = {  # built-in name -> the corporate template's name
    "Title Slide": "Corporate Cover",
    "Title and Content": "Corporate Text",
    "Title Only": "Corporate Headline",
}
MAPPING = {"title": "Corporate Cover", "agenda": "Corporate Text", "bullets": "Corporate Text",
           "conclusions": "Corporate Text", "recommendations": "Corporate Text", "sources": "Corporate Text",
           "chart": "Corporate Headline", "key_figures": "Corporate Headline", "bullets_chart": "Corporate Text",
           "quote": "Corporate Text", "closing": "Corporate Cover"}
MARK = "CORPORATE MASTER MARK"


def make_corporate_template(path: Path) -> Path:
    """A second template: the built-in one with renamed layouts, a green master band with a text mark, one example slide."""
    prs = Presentation(str(builtin_template()))
    for layout in prs.slide_layouts:
        if layout.name in CORPORATE:
            layout._element.cSld.set("name", CORPORATE[layout.name])
    example = prs.slides.add_slide(prs.slide_layouts[0])
    example.shapes.title.text = "Example slide that must not appear"
    band = example.shapes.add_textbox(0, 0, prs.slide_width, 12700 * 14)  # drawn here, moved onto the master
    band.text_frame.text = MARK
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor(0x2E, 0x7D, 0x5B)
    band._element.nvSpPr.cNvPr.set("id", "4242")
    prs.slide_master.shapes._spTree.append(band._element)
    prs.save(str(path))
    return path


def _outline_with(tmp_path: Path, theme: dict) -> Path:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["theme"] = theme
    path = tmp_path / "outline.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _build(outline: Path, out: Path):
    deckgen.build(outline, out, formats=("pptx",))
    return Presentation(str(next(out.glob("*.pptx"))))


def test_the_built_in_template_is_the_sober_16_9_policy_design():
    prs = Presentation(str(builtin_template()))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert len(prs.slides) == 0
    cover = next(lay for lay in prs.slide_layouts if lay.name == "Title Slide")
    assert 'val="1F3A5F"' in cover._element.xml  # navy cover background, not python-pptx's white default


def test_a_corporate_template_with_other_layout_names_is_used_by_mapping(tmp_path):
    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx", "layouts": MAPPING})
    prs = _build(outline, tmp_path / "out")
    names = [s.slide_layout.name for s in prs.slides]
    assert names[0] == "Corporate Cover"
    assert set(names) <= set(CORPORATE.values()) and "Corporate Headline" in names and "Corporate Text" in names
    assert all(s.shapes.title.text != "Example slide that must not appear" for s in prs.slides)
    assert MARK in "".join(sh.text_frame.text for sh in prs.slide_master.shapes if sh.has_text_frame)
    # text still sits in real placeholders, and each content slide keeps the planned body frame
    doc = deckgen.load(outline)
    plan, _ = deckgen.layout.deck.plan_deck(doc.outline, typesetting(deckgen.theme.load_theme()))
    for s, slide in zip(plan.slides, prs.slides):
        assert slide.shapes.title.text_frame.text == "".join(r.text for r in s.title)
        if s.kind in ("bullets", "conclusions"):
            body = next(p for p in slide.placeholders if p.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
            assert body.top / 12700 == pytest.approx(plan.geometry.body.y, abs=0.1)


def test_a_corporate_template_with_other_layout_names_is_used_without_mapping(tmp_path):
    # no theme.layouts: the layouts are chosen by the placeholders they hold, not by their names
    from deckgen.build import deck_context

    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx"})
    prs = _build(outline, tmp_path / "out")
    doc = deckgen.load(outline)
    ctx = deck_context(doc, deckgen.theme.load_theme(), doc.outline.meta.language)
    plan, _ = deckgen.layout.deck.plan_deck(doc.outline, ctx)
    assert len(plan.slides) == len(prs.slides)
    names = {s.kind: slide.slide_layout.name for s, slide in zip(plan.slides, prs.slides)}
    assert names["title"] == names["closing"] == "Corporate Cover"
    assert names["agenda"] == names["conclusions"] == names["bullets_chart"] == "Corporate Text"
    assert names["chart"] == names["key_figures"] == "Corporate Headline"
    assert all(s.shapes.title.text != "Example slide that must not appear" for s in prs.slides)


def _cli_fails(outline: Path, tmp_path: Path) -> list[str]:
    """Build `outline` through the CLI; it must fail with exit 1 and no traceback. Its stderr lines."""
    res = CliRunner().invoke(cli, ["build", str(outline), "-o", str(tmp_path / "out"), "--only", "pptx"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and (res.exception is None or isinstance(res.exception, SystemExit))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pptx"))
    return res.output.splitlines()


def _template_line(outline: Path) -> int:
    """The line of `template:` in the outline as written (where template errors point)."""
    return next(i for i, line in enumerate(outline.read_text(encoding="utf-8").splitlines(), 1) if line.strip().startswith("template:"))


def test_layouts_the_template_lacks_are_all_named_at_once_with_the_outlines_location(tmp_path):
    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx", "layouts": {"bullets": "Title and Content", "chart": "Title Only"}})
    lines = _cli_fails(outline, tmp_path)
    where = f"{outline}:{_template_line(outline)}:"
    assert len(lines) == 2, lines
    assert all(line.startswith(where) and ": theme.template: " in line for line in lines)
    assert "maps bullets slides to 'Title and Content', which the template does not have" in lines[0]
    assert "maps chart slides to 'Title Only', which the template does not have" in lines[1]
    assert all("'Corporate Cover'" in line and "'Corporate Text'" in line and "'Corporate Headline'" in line for line in lines)


def test_a_template_without_a_text_layout_names_the_kinds_and_lists_its_layouts(tmp_path):
    from test_template_inspect import without_text_layouts

    without_text_layouts(tmp_path / "notext.pptx")
    outline = _outline_with(tmp_path, {"template": "notext.pptx"})
    lines = _cli_fails(outline, tmp_path)
    where = f"{outline}:{_template_line(outline)}:"
    assert lines and all(line.startswith(where) and ": theme.template: " in line for line in lines), lines
    bullets = [line for line in lines if "for bullets slides" in line]
    assert len(bullets) == 1 and "no layout has a title and one body or content placeholder" in bullets[0]
    assert all("'Title Slide' (ctrTitle + subTitle), 'Title Only' (title), 'Blank' (no placeholders)" in line for line in lines)
    assert not any("for title slides" in line or "for chart slides" in line for line in lines)  # those it can serve


@pytest.mark.parametrize("kind", ["random bytes", "zip without presentation.xml", "presentation.xml of junk"])
def test_a_broken_template_is_one_located_line(tmp_path, kind):
    import os
    import zipfile

    bad = tmp_path / "broken.pptx"
    if kind == "random bytes":
        bad.write_bytes(os.urandom(4096))
    else:
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            if kind == "presentation.xml of junk":
                zf.writestr("ppt/presentation.xml", "<p/>")
    outline = _outline_with(tmp_path, {"template": "broken.pptx"})
    lines = _cli_fails(outline, tmp_path)
    assert len(lines) == 1 and lines[0].startswith(f"{outline}:{_template_line(outline)}:"), lines
    assert ": theme.template: " in lines[0] and ("PowerPoint" in lines[0])


def test_a_layout_without_the_needed_placeholder_is_named(tmp_path):
    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx", "layouts": {**MAPPING, "conclusions": "Blank"}})
    with pytest.raises(deckgen.OutlineError) as info:
        deckgen.build(outline, tmp_path / "out", formats=("pptx",))
    assert [p.message for p in info.value.problems] == [
        "layout 'Blank' (theme.layouts, for conclusions slides) lacks a title and one body or content placeholder"]
    assert info.value.problems[0].line == _template_line(outline)


def test_every_content_slide_shows_the_logo_with_alt_text(tmp_path):
    import shutil

    from conftest import ROOT

    shutil.copy(ROOT / "assets" / "templates" / "logo.png", tmp_path / "logo.png")  # only the outline's theme.logo is drawn
    prs = _build(_outline_with(tmp_path, {"name": "default", "logo": "logo.png"}), tmp_path / "out")
    for i, slide in enumerate(prs.slides):
        pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if i in (0, len(prs.slides) - 1):  # the cover and the closing slide carry no footer band
            assert pics == []
            continue
        assert len(pics) == 1 and pics[0]._element.nvPicPr.cNvPr.get("descr") == "Logo of Test Institute"
        assert pics[0].top + pics[0].height <= prs.slide_height


def test_template_inspect_lists_layouts_and_placeholders(tmp_path):
    path = make_corporate_template(tmp_path / "corp.pptx")
    res = CliRunner().invoke(cli, ["template", "inspect", str(path)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("  'Corporate Text' (layout "))
    assert lines[k + 1].split()[:3] == ["title", "idx", "0"] and lines[k + 2].split()[:3] == ["obj", "idx", "1"]
    assert any(line.startswith("  bullets → 'Corporate Text' (master 1): title + one body, the largest and clearest") for line in lines)
    assert any(line.startswith("  title → 'Corporate Cover' (master 1): centre title + subtitle") for line in lines)
    bad = tmp_path / "not.pptx"
    bad.write_bytes(b"hello")
    res = CliRunner().invoke(cli, ["template", "inspect", str(bad)])
    assert res.exit_code == 1 and "not a PowerPoint file" in res.output


def test_plan_command_prints_the_plan_json():
    import json

    res = CliRunner().invoke(cli, ["plan", str(MINI), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["plan"]["slides"][0]["kind"] == "title" and data["warnings"] == []


def test_without_theme_logo_no_slide_carries_a_logo(tmp_path):
    prs = _build(_outline_with(tmp_path, {"name": "default"}), tmp_path / "out")
    assert not [sh for slide in prs.slides for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_the_outline_logo_replaces_the_bundled_one(tmp_path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="PNG")
    (tmp_path / "mylogo.png").write_bytes(buf.getvalue())
    prs = _build(_outline_with(tmp_path, {"logo": "mylogo.png"}), tmp_path / "out")
    pics = [sh for sh in prs.slides[1].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == 1 and pics[0].image.blob == buf.getvalue()
    assert pics[0].width == pics[0].height * 2  # aspect kept


def test_the_brief_keeps_deckgens_own_page_whatever_the_decks_template(tmp_path):
    """A template is the deck's look: the brief of the same outline is the same PDF with or without it."""
    make_corporate_template(tmp_path / "corp.pptx")
    plain = _outline_with(tmp_path, {})
    deckgen.build(plain, tmp_path / "plain", formats=("pdf",))
    themed = _outline_with(tmp_path, {"template": "corp.pptx"})
    result = deckgen.build(themed, tmp_path / "themed", formats=("pdf", "pptx"))
    assert {p.suffix for p in result.paths} == {".pdf", ".pptx"}
    assert (tmp_path / "themed" / "outline.pdf").read_bytes() == (tmp_path / "plain" / "outline.pdf").read_bytes()
