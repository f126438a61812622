"""Templates: the built-in policy template, an organisation's own .pptx with other layout names, inspect, errors."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

import deckgen
from deckgen.typeset import typesetting
from conftest import MINI
from deckgen.cli import cli
from deckgen.errors import AssetError
from deckgen.theme import builtin_template

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


def test_a_missing_layout_is_named(tmp_path):
    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx"})  # no mapping: the built-in names are missing
    with pytest.raises(AssetError) as info:
        deckgen.build(outline, tmp_path / "out", formats=("pptx",))
    assert "no layout named 'Title Slide'" in str(info.value) and "'Corporate Cover'" in str(info.value)


def test_a_layout_without_the_needed_placeholder_is_named(tmp_path):
    make_corporate_template(tmp_path / "corp.pptx")
    outline = _outline_with(tmp_path, {"template": "corp.pptx", "layouts": {**MAPPING, "conclusions": "Blank"}})
    with pytest.raises(AssetError) as info:
        deckgen.build(outline, tmp_path / "out", formats=("pptx",))
    assert "layout 'Blank' (for conclusions slides) has no title placeholder" in str(info.value)


def test_every_content_slide_shows_the_logo_with_alt_text(tmp_path):
    prs = _build(_outline_with(tmp_path, {"name": "default"}), tmp_path / "out")
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
    assert "Corporate Text" in lines
    k = lines.index("Corporate Text")
    assert lines[k + 1].split()[:3] == ["0", "TITLE", "Title"]
    assert lines[k + 2].split()[:2] == ["1", "OBJECT"]
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


def test_the_outline_logo_replaces_the_bundled_one(tmp_path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="PNG")
    (tmp_path / "mylogo.png").write_bytes(buf.getvalue())
    prs = _build(_outline_with(tmp_path, {"logo": "mylogo.png"}), tmp_path / "out")
    pics = [sh for sh in prs.slides[1].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == 1 and pics[0].image.blob == buf.getvalue()
    assert pics[0].width == pics[0].height * 2  # aspect kept
