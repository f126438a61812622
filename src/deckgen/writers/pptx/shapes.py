"""Small python-pptx helpers of the deck writer: points to EMU, colours, placing shapes, boxes, styled runs, bullets."""
from __future__ import annotations

from xml.sax.saxutils import escape

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from ... import units
from ...inline import Note, Run
from ...layout.deck import SOURCE_SIZE
from ...layout.slides import (
    Frame,
)

EMU_PER_PT = units.EMU_PER_PT


SMALL_TEXT = SOURCE_SIZE  # pt: source lines, footer, slide number


def emu(length: float) -> Emu:
    """A length in points as python-pptx's Emu (the writer's one conversion)."""
    return Emu(units.Pt(length).emu)


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def set_xfrm(sp, frame: Frame) -> None:
    """Give a template shape (`p:sp` element) an explicit position and size."""
    spPr = sp.find(qn("p:spPr"))
    for old in spPr.findall(qn("a:xfrm")):
        spPr.remove(old)
    xfrm = parse_xml(
        f'<a:xfrm {nsdecls("a")}><a:off x="{emu(frame.x)}" y="{emu(frame.y)}"/>'
        f'<a:ext cx="{emu(frame.w)}" cy="{emu(frame.h)}"/></a:xfrm>'
    )
    spPr.insert(0, xfrm)


def rect_xml(shape_id: int, name: str, frame: Frame, colour: str) -> etree._Element:
    """A filled, borderless rectangle for a master or layout (decoration the user does not move by accident)."""
    return parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/>'
        f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{emu(frame.x)}" y="{emu(frame.y)}"/>'
        f'<a:ext cx="{emu(frame.w)}" cy="{emu(frame.h)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def placeholder_el(tree, ph_type: str | None, idx: str | None = None):
    """The `p:sp` of a master/layout placeholder by type (and idx)."""
    for sp in tree.iter(qn("p:sp")):
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is None:
            continue
        if ph.get("type", "obj") == (ph_type or "obj") and (idx is None or ph.get("idx", "0") == idx):
            return sp
    return None


def fill_title(tf, runs: tuple[Run, ...], lang: str, size: float | None = None, colour: str | None = None,
               typeface: str | None = None) -> None:
    p = tf.paragraphs[0]
    put_runs(p, runs, lang, size, colour, typeface)


def put_runs(p, runs: tuple[Run, ...], lang: str, size: float | None = None, colour: str | None = None,
             typeface: str | None = None) -> None:
    for run in runs:
        r = p.add_run()
        r.text = run.text
        font = r.font
        if run.bold:
            font.bold = True
        if run.italic:
            font.italic = True
        if size:
            font.size = Pt(size)
        if colour and not run.url:
            font.color.rgb = rgb(colour)
        if typeface:
            font.name = typeface
        if run.url:
            r.hyperlink.address = run.url
        r._r.get_or_add_rPr().set("lang", lang)
        if isinstance(run, Note):  # a footnote marker: a small raised number (its note is in the speaker notes)
            r._r.get_or_add_rPr().set("baseline", "30000")


def place(shape, frame: Frame) -> None:
    shape.left, shape.top, shape.width, shape.height = emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h)


def body_placeholder(slide, types=(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)):
    return next((p for p in slide.placeholders if p.placeholder_format.type in types), None)


def bullet(p, colour: str, char: str | None = None, auto_from: int | None = None, size_pct: int = 100) -> None:
    pPr = p._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<a:buClr {nsdecls("a")}><a:srgbClr val="{colour}"/></a:buClr>'))
    pPr.append(parse_xml(f'<a:buSzPct {nsdecls("a")} val="{size_pct * 1000}"/>'))
    if auto_from is not None:
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="+mj-lt"/>'))
        pPr.append(parse_xml(f'<a:buAutoNum {nsdecls("a")} type="arabicPeriod" startAt="{auto_from}"/>'))
    else:
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="Arial"/>'))
        pPr.append(parse_xml(f'<a:buChar {nsdecls("a")} char="{escape(char or "•")}"/>'))


def box(slide, frame: Frame, colour: str, name: str):
    """A filled rectangle without outline, shadow or theme style."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


BANNER_LOCKS = ('<a:spLocks {ns} noGrp="1" noRot="1" noMove="1" noResize="1" noTextEdit="1" noEditPoints="1" '
                'noAdjustHandles="1" noChangeShapeType="1"/>')


def add_banners(slide, banner, lang: str, typeface: str) -> None:
    """The classification banners, top and bottom: locked rectangles of the level's colour (not placeholders, not to be
    moved or retyped by accident), the label centred in bold, drawn last so nothing covers them."""
    for where, frame in (("top", banner.top), ("bottom", banner.bottom)):
        shape = box(slide, frame, banner.fill, f"Classification banner ({where})")
        shape._element.nvSpPr.cNvSpPr.append(parse_xml(BANNER_LOCKS.format(ns=nsdecls("a"))))
        tf = shape.text_frame
        tf.word_wrap = False
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = 0
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER
        put_runs(p, (Run(banner.label, bold=True),), lang, banner.size, banner.ink, typeface)


def plate(shape, colour: str | None) -> None:
    """Give a placeholder a solid fill of its own (a plate behind its text), when `colour` is set."""
    if colour:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(colour)


def set_insets(tf, inset: float) -> None:
    """The same inner margin on every side of a text frame (the one the planner measured with)."""
    tf.margin_left = tf.margin_top = tf.margin_right = tf.margin_bottom = emu(inset)
