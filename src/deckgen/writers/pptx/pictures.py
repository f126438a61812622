"""Draw the slides of a section's images, boxes and comparison columns (python-pptx); SVG pictures are rasterised
for the deck (python-pptx embeds PNG and JPEG only) with CairoSVG."""
from __future__ import annotations

import io

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from ...errors import RenderError
from ...layout.slides import (BoxSlide, BulletsPictureSlide, ComparisonSlide, DeckPlan, Frame, Para, PictureSlide)
from ...media import Picture
from ...theme import Theme
from .shapes import box, bullet, emu, place, plate, put_runs, set_insets
from .slides import draw_body

RASTER_DPI = 200  # an SVG drawn for the deck: pixels per inch of its frame on the slide
MAX_RASTER = 4000  # pixels on the longer side


def raster(pic: Picture, frame: Frame) -> bytes:
    """PNG bytes of an SVG sized for `frame` (its aspect kept); PNG and JPEG come back as they are."""
    if pic.kind != "svg":
        return pic.data
    import cairosvg

    scale = min(RASTER_DPI / 72, MAX_RASTER / max(frame.w, frame.h))
    width = max(1, round(frame.w * scale))
    try:  # the loader refused external references; unsafe=False keeps CairoSVG from reading any file or URL anyway
        return cairosvg.svg2png(bytestring=pic.data, output_width=width, output_height=max(1, round(frame.h * scale)),
                                unsafe=False)
    except Exception as exc:  # a drawing CairoSVG cannot render
        raise RenderError(f"image '{pic.image_id}': the SVG cannot be drawn ({type(exc).__name__}: {exc}) — export it as PNG") from None


SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office's SVG-image extension of a:blip
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_picture(slide, pic: Picture, frame: Frame, alt: str):
    """The picture in `frame` with its alt text as the shape's description (what screen readers read). An SVG is
    embedded as PNG, with the SVG itself attached the way PowerPoint 2016+ does (an `asvg:svgBlip` extension of the
    blip): clients that know it draw the vector image, others the PNG."""
    shape = slide.shapes.add_picture(io.BytesIO(raster(pic, frame)), emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h))
    shape.name = f"Picture: {pic.image_id}"
    shape._element.nvPicPr.cNvPr.set("descr", alt)
    if pic.kind == "svg":
        _attach_svg(slide, shape, pic.data)
    return shape


def _attach_svg(slide, shape, data: bytes) -> None:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part

    package = slide.part.package
    part = Part(package.next_partname("/ppt/media/image%d.svg"), "image/svg+xml", package, data)
    r_id = slide.part.relate_to(part, RT.IMAGE)
    blip = shape._element.find(".//" + qn("a:blip"))
    blip.append(parse_xml(f'<a:extLst {nsdecls("a")}><a:ext uri="{SVG_EXT}"><asvg:svgBlip xmlns:asvg="{SVG_NS}" '
                          f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{r_id}"/>'
                          f'</a:ext></a:extLst>'))


def _credit(slide, s, plan: DeckPlan, theme: Theme) -> None:
    if not s.credit or s.credit_frame is None:
        return
    tb = slide.shapes.add_textbox(emu(s.credit_frame.x), emu(s.credit_frame.y), emu(s.credit_frame.w), emu(s.credit_frame.h))
    tb.name = "Credit"
    tf = tb.text_frame
    tf.word_wrap = True
    set_insets(tf, plan.geometry.style.inset)
    face = plan.look.body_font if plan.look is not None else None
    put_runs(tf.paragraphs[0], s.credit, plan.info.language, s.credit_size, theme.muted, face)


def _drop_bodies(slide) -> None:
    """Remove the layout's body placeholders a slide drawn with its own shapes leaves empty."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.PICTURE):
            ph._element.getparent().remove(ph._element)


def draw_picture(slide, s: PictureSlide, plan: DeckPlan, theme: Theme) -> None:
    _drop_bodies(slide)
    if s.picture is not None and s.frame is not None:
        add_picture(slide, s.picture, s.frame, s.alt)
    _credit(slide, s, plan, theme)


def draw_beside(slide, s: BulletsPictureSlide, plan: DeckPlan, theme: Theme) -> None:
    if s.picture is not None and s.frame is not None:
        add_picture(slide, s.picture, s.frame, s.alt)
    _credit(slide, s, plan, theme)


def _no_bullet(p, margin: float = 0.0) -> None:
    pPr = p._p.get_or_add_pPr()
    pPr.set("marL", str(emu(margin)))
    pPr.set("indent", "0")
    for tag in ("a:buChar", "a:buNone", "a:buAutoNum", "a:buFont", "a:buClr", "a:buSzPct"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))


def plain_paragraphs(slide, s: BoxSlide, plan: DeckPlan, theme: Theme) -> None:
    """A box's text (style "plain") without a bullet."""
    from .shapes import body_placeholder

    body = body_placeholder(slide)
    if body is None:
        return
    for para, p in zip(s.body, body.text_frame.paragraphs):
        if para.style == "plain":
            _no_bullet(p)


def _fill(tf, paras: tuple[Para, ...], plan: DeckPlan, theme: Theme, own: bool) -> None:
    """Column paragraphs: text without a bullet, points with one (drawn where the frame is our own text box)."""
    st = plan.geometry.style
    look = plan.look
    for i, para in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if look is None:
            put_runs(p, para.runs, plan.info.language, para.size, theme.text if own else None)
        else:
            put_runs(p, para.runs, plan.info.language, para.size, look.body_colour, look.body_font)
        p.space_before = emu(st.space_before[0])
        if para.style == "plain":
            _no_bullet(p)
        elif own or look is not None:
            pPr = p._p.get_or_add_pPr()
            pPr.set("marL", str(emu(st.margins[0])))
            pPr.set("indent", str(-emu(st.margins[0])))
            for old in pPr.findall(qn("a:buNone")):
                pPr.remove(old)
            bullet(p, theme.accent, "•")


def draw_comparison(slide, s: ComparisonSlide, plan: DeckPlan, theme: Theme) -> None:
    """Two columns in the layout's comparison placeholders (headings and bodies, at the planned frames); three
    columns, or a layout without them, in text boxes."""
    look = plan.look
    inset = plan.geometry.style.inset
    bodies = [ph for ph in slide.placeholders
              if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)]
    use = len(s.columns) == 2 and len(bodies) == 4
    if use:  # left column first, heading (higher) before body
        bodies.sort(key=lambda ph: (round(ph.left / 12700 / 40), ph.top))
        pairs = [(bodies[0], bodies[1]), (bodies[2], bodies[3])]
    else:
        _drop_bodies(slide)
    face = look.body_font if look is not None else None
    head_colour = look.title_colour if look is not None else theme.primary
    for ci, col in enumerate(s.columns):
        if use:
            head, body = pairs[ci]
            place(head, col.heading_frame)
            place(body, col.body_frame)
            if look is not None:
                plate(head, look.body_plate)
                plate(body, look.body_plate)
        else:
            head = slide.shapes.add_textbox(emu(col.heading_frame.x), emu(col.heading_frame.y), emu(col.heading_frame.w),
                                            emu(col.heading_frame.h))
            head.name = f"Column {ci + 1} heading"
            body = slide.shapes.add_textbox(emu(col.body_frame.x), emu(col.body_frame.y), emu(col.body_frame.w),
                                            emu(col.body_frame.h))
            body.name = f"Column {ci + 1}"
        for tf in (head.text_frame, body.text_frame):
            tf.word_wrap = True
            set_insets(tf, inset)
            tf.vertical_anchor = MSO_ANCHOR.TOP
        hp = head.text_frame.paragraphs[0]
        hp.alignment = PP_ALIGN.LEFT
        put_runs(hp, col.heading, plan.info.language, col.heading_size, head_colour, face)
        for r in hp.runs:
            r.font.bold = True
        _no_bullet(hp)
        head.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        _fill(body.text_frame, col.body, plan, theme, own=not use)
        f = col.heading_frame
        box(slide, Frame(f.x + inset, f.y + f.h, f.w - 2 * inset, 3), theme.accent, "Accent rule")


ELEMENT_DRAW = {
    PictureSlide: (draw_picture,),
    BulletsPictureSlide: (draw_body, draw_beside),
    BoxSlide: (draw_body, plain_paragraphs),
    ComparisonSlide: (draw_comparison,),
}
