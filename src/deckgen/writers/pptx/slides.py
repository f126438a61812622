"""Draw each kind of slide of a DeckPlan with python-pptx, dispatched by slide type through one table."""
from __future__ import annotations

import io
import uuid
from xml.sax.saxutils import escape

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from ...inline import Run
from ...layout.deck import FIGURE_PADDING, NAMEPLATE_SIZE
from ...layout.slides import (
    COLUMN_GAP,
    AgendaSlide,
    number_hang,
    BulletsChartSlide,
    BulletSlide,
    ChartSlide,
    ClosingSlide,
    ConclusionsSlide,
    DeckPlan,
    Frame,
    Look,
    KeyFiguresSlide,
    PanelSlide,
    QuoteSlide,
    RecommendationsSlide,
    SectionSlide,
    Slide,
    SourcesSlide,
    TableSlide,
    TextSlide,
    TitleSlide,
    body_of,
)
from ...theme import Theme
from .fast import add_slide, notes_slide
from .nativecharts import draw_chart
from .tables import draw_table
from .shapes import (
    SMALL_TEXT,
    add_banners,
    body_placeholder,
    box,
    bullet,
    emu,
    fill_title,
    place,
    plate,
    put_runs,
    set_insets,
    rgb,
)

FIELD_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "deckgen:slidenum")).upper() + "}"


def add_logo(slide, data: bytes, plan: DeckPlan) -> None:
    """The logo, 20 pt high, in the footer band between the footer text and the slide number."""
    g = plan.geometry
    h = 20.0
    pic = slide.shapes.add_picture(io.BytesIO(data), emu(g.footer.x + g.footer.w + 8), emu(g.footer.y + 2), height=emu(h))
    pic.name = "Logo"
    pic._element.nvPicPr.cNvPr.set("descr", plan.info.logo_alt)


COVERS = (TitleSlide, ClosingSlide)  # full-bleed slides: no footer, no logo, the layout's own title frame


def draw_slide(prs, layout, s: Slide, plan: DeckPlan, theme: Theme):
    """Add and draw the slide `s` on `layout`; return it."""
    slide = add_slide(prs, layout)
    lang = plan.info.language
    title = slide.shapes.title
    if title is not None and not isinstance(s, (*COVERS, SectionSlide)):
        place(title, plan.geometry.title)  # the planned frame, whatever the template's layout says
    elif title is not None and isinstance(s, COVERS) and (plan.look is not None or plan.banner is not None):
        place(title, plan.geometry.cover_title)  # a user's template or banners: the frame the cover was measured in
    look = plan.look
    if look is None:
        fill_title(title.text_frame, s.title, lang, s.title_size)
    else:  # a user's template: state size, colour and font on the runs, as measured
        cover = isinstance(s, COVERS)
        fill_title(title.text_frame, s.title, lang, s.title_size, look.cover_title_colour if cover else look.title_colour,
                   look.title_font)
        plate(title, look.cover_title_plate if cover else look.title_plate)
        set_insets(title.text_frame, plan.geometry.style.inset)
    for draw in DRAW[type(s)]:
        draw(slide, s, plan, theme)
    if plan.look is not None:  # a user's layout may hold placeholders this kind of slide leaves empty
        for ph in list(slide.placeholders):
            if ph.has_text_frame and not ph.text_frame.text.strip() and ph.placeholder_format.type not in (
                    PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                ph._element.getparent().remove(ph._element)
    if not isinstance(s, COVERS):
        clear = plan.banner.clear if plan.banner is not None else None
        add_footer(slide, layout, plan.info.footer, s.number, lang, theme, plan.look, clear)
    if plan.banner is not None:
        add_banners(slide, plan.banner, lang, plan.look.body_font if plan.look is not None else theme.deck_font_name)
    if s.notes:
        notes_slide(slide).notes_text_frame.text = s.notes
    return slide


def draw_nameplate(slide, s: TitleSlide, plan: DeckPlan, theme: Theme) -> None:
    """The series' nameplate above the cover's title, in the title's colour, read after the title."""
    if not s.nameplate or s.nameplate_frame is None:
        return
    f = s.nameplate_frame
    shape = slide.shapes.add_textbox(emu(f.x), emu(f.y), emu(f.w), emu(f.h))
    shape.name = "Nameplate"
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.BOTTOM
    set_insets(tf, plan.geometry.style.inset)
    colour = plan.look.cover_title_colour if plan.look is not None else theme.light
    face = plan.look.title_font if plan.look is not None else None
    put_runs(tf.paragraphs[0], (Run(s.nameplate, bold=True),), plan.info.language, NAMEPLATE_SIZE, colour, face)
    title = slide.shapes.title
    if title is not None:  # read right after the title (a slide's title comes first), before what lies below it
        title._element.addnext(shape._element)


def draw_cover(slide, s: TextSlide, plan: DeckPlan, theme: Theme) -> None:
    lang = plan.info.language
    ph = body_placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
    if ph is None:
        return
    tf = ph.text_frame
    looks = {"subtitle": (24.0, "FFFFFF"), "authors": (20.0, theme.light), "meta": (18.0, theme.light)}
    look = plan.look
    if look is not None or plan.banner is not None:
        place(ph, plan.geometry.cover_subtitle)
    if look is not None:
        plate(ph, look.cover_plate)
    for i, para in enumerate(s.body):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        size, colour = looks.get(para.style, (18.0, theme.light))
        size = para.size or size  # the planner sets the sizes it measured with
        if para.style == "meta":
            p.space_before = Pt(14)
        if look is None:
            put_runs(p, para.runs, lang, size, colour)
        else:
            put_runs(p, para.runs, lang, size, look.cover_colour, look.body_font)


def link_agenda(prs, plan: DeckPlan) -> None:
    """Agenda entries jump to their section's first slide (a slide-jump hyperlink on the entry's number)."""
    slides = list(prs.slides)
    for s in plan.slides:
        if not isinstance(s, AgendaSlide):
            continue
        slide = slides[s.number - 1]
        body = body_placeholder(slide)
        for para, p in zip(s.body, body.text_frame.paragraphs):
            if para.link is None:
                continue
            r_id = slide.part.relate_to(slides[para.link - 1].part, RT.SLIDE)
            for r in p._p.findall(qn("a:r"))[:1]:  # the number: a short run that never wraps inside itself
                rpr = r.get_or_add_rPr()
                rpr.append(parse_xml(f'<a:hlinkClick {nsdecls("a", "r")} r:id="{r_id}" action="ppaction://hlinksldjump"/>'))


def draw_section(slide, s: SectionSlide, plan: DeckPlan, theme: Theme) -> None:
    """A section opener: the title in the middle of the slide, the section's number in accent colour above it."""
    g = plan.geometry
    title = slide.shapes.title
    top = 170 if plan.look is None else plan.look.section_title_y
    place(title, Frame(g.title.x, top, g.title.w, g.title.h))
    for r in title.text_frame.paragraphs[0].runs:
        r._r.get_or_add_rPr().set("cap", "none")
    body = body_placeholder(slide)
    if body is not None:
        place(body, Frame(g.title.x, top - 50, g.title.w, 44))
        if s.body:
            p = body.text_frame.paragraphs[0]
            put_runs(p, s.body[0].runs, plan.info.language, 28.0, theme.accent)
            for r in p.runs:
                r.font.bold = True
        else:
            body._element.getparent().remove(body._element)


def draw_body(slide, s: TextSlide, plan: DeckPlan, theme: Theme) -> None:
    body = body_placeholder(slide)
    place(body, getattr(s, "body_frame", None) or plan.geometry.body)
    if plan.look is not None:
        if not isinstance(s, PanelSlide):
            plate(body, plan.look.body_plate)
        set_insets(body.text_frame, plan.geometry.style.inset)
    tf = body.text_frame
    if s.centred:
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    if isinstance(s, SourcesSlide) and s.columns > 1:  # the text flows from column to column, as planned
        tf._txBody.bodyPr.set("numCol", str(s.columns))
        tf._txBody.bodyPr.set("spcCol", str(emu(COLUMN_GAP)))
    lang = plan.info.language
    numbered = isinstance(s, RecommendationsSlide)
    number = first_number(s, plan)
    for i, para in enumerate(s.body):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.level = para.level
        face = plan.look.body_font if plan.look is not None else None
        if isinstance(s, AgendaSlide):  # the entry's number, a run of its own (the link: link_agenda), then the title
            ink = theme.accent if plan.look is None else plan.look.body_colour  # (a user's template: its text colour)
            put_runs(p, (Run(str(number)),), lang, para.size, ink, face)  # (colour, not bold: bold would read as markup)
            # the tab in the number's colour too: LibreOffice draws a linked run in the colour of the run after it
            put_runs(p, (Run("\t"),), lang, para.size, ink, face)
        if plan.look is None:
            put_runs(p, para.runs, lang, para.size, theme.primary if para.key else None)
        else:
            put_runs(p, para.runs, lang, para.size, plan.look.body_colour, plan.look.body_font)  # (a key point: its bullet)
            marked = para.level == 0 and (numbered or isinstance(s, (ConclusionsSlide, AgendaSlide)))
            state_paragraph(p, para.level, plan, marked)
        if isinstance(s, AgendaSlide):
            st = plan.geometry.style
            hang_number(p, number_hang(st, para.size or st.sizes[0]))
            if plan.look is None:  # the spacing measured with (a layout's list may space its entries otherwise)
                p.space_before = Pt(st.space_before[0])
            number += 1
        elif para.level == 0 and numbered:
            bullet(p, theme.accent if isinstance(s, RecommendationsSlide) else theme.primary, auto_from=number)
            number += 1
        elif para.key and para.level == 0 and not isinstance(s, ConclusionsSlide):  # a key point: its bullet in the accent
            pPr = p._p.get_or_add_pPr()
            for old in pPr.findall(qn("a:buClr")):
                pPr.remove(old)
            pPr.insert(_after_spacing(pPr), parse_xml(f'<a:buClr {nsdecls("a")}><a:srgbClr val="{theme.accent}"/></a:buClr>'))
        elif para.level == 0 and isinstance(s, ConclusionsSlide):
            bullet(p, theme.accent, char="■", size_pct=70)
        elif isinstance(s, SourcesSlide):  # numbered in the text ("1. "), as in the brief: no bullet before it
            pPr = p._p.get_or_add_pPr()
            for old in pPr.findall(qn("a:buChar")) + pPr.findall(qn("a:buNone")) + pPr.findall(qn("a:buAutoNum")):
                pPr.remove(old)
            pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))
        elif para.style in ("quote", "attribution"):
            pPr = p._p.get_or_add_pPr()
            pPr.set("marL", str(emu(24)))
            pPr.set("indent", "0")
            for old in pPr.findall(qn("a:buChar")) + pPr.findall(qn("a:buNone")):
                pPr.remove(old)
            pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))
            if para.style == "attribution":
                p.space_before = Pt(12)
                for r in p.runs:
                    r.font.color.rgb = rgb(theme.muted)
            else:
                for r in p.runs:
                    r.font.italic = True
                    r.font.color.rgb = rgb(theme.primary)
    if isinstance(s, QuoteSlide) and s.edge is not None:
        box(slide, s.edge, theme.accent, "Accent edge")
    elif isinstance(s, PanelSlide) and s.panel is not None:
        # conclusions and recommendations sit on a light panel with an accent edge, behind the body text
        panel = box(slide, s.panel, theme.light, "Panel")
        edge = box(slide, Frame(s.panel.x, s.panel.y, 5, s.panel.h), theme.accent, "Accent edge")
        tree = slide.shapes._spTree
        for shape in (edge, panel):  # to the back, behind the placeholders
            tree.remove(shape._element)
            tree.insert(2, shape._element)


def _after_spacing(pPr) -> int:
    """Where a bullet element goes in a paragraph's properties: after its line spacing, spacing and tab list."""
    spacing = {qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft")}
    return sum(1 for child in pPr if child.tag in spacing)


def hang_number(p, margin: float) -> None:
    """A paragraph that starts with its own number: no bullet, the number hanging in the left margin, the text after
    it at the margin (a tab stop there)."""
    pPr = p._p.get_or_add_pPr()
    pPr.set("marL", str(emu(margin)))
    pPr.set("indent", str(-emu(margin)))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont", "a:buClr", "a:buSzPct", "a:tabLst"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))
    pPr.append(parse_xml(f'<a:tabLst {nsdecls("a")}><a:tab pos="{emu(margin)}" algn="l"/></a:tabLst>'))


def state_paragraph(p, level: int, plan: DeckPlan, numbered: bool = False) -> None:
    """On a user's template, the margin, hang, spacing before and line spacing the planner measured with, written on
    the paragraph: clients that read the template's styles differently (or not at all) still break lines as planned."""
    st = plan.geometry.style
    lv = min(level, 1)
    margin = st.margins[lv]
    hang = margin - (st.margins[0] if lv else 0.0)
    pPr = p._p.get_or_add_pPr()
    pPr.set("marL", str(emu(margin)))
    pPr.set("indent", str(-emu(hang) if st.bullets[lv] or numbered else 0))
    for tag in ("a:lnSpc", "a:spcBef", "a:buNone", "a:buChar", "a:buAutoNum", "a:buFont"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    pPr.insert(0, parse_xml(f'<a:spcBef {nsdecls("a")}><a:spcPts val="{int(round(st.space_before[lv] * 100))}"/></a:spcBef>'))
    pPr.insert(0, parse_xml(f'<a:lnSpc {nsdecls("a")}><a:spcPct val="{int(round(st.line_spacing[lv] * 100000))}"/></a:lnSpc>'))
    if not numbered:  # the template's own bullet (or none), stated: every line starts at the margin measured with
        char = st.bullets[lv]
        if char and char != "1.":  # in the body's own font: a symbol font's tall box would stand above the frame
            pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="{escape(plan.look.body_font)}"/>'))
            pPr.append(parse_xml(f'<a:buChar {nsdecls("a")} char="{escape(char)}"/>'))
        else:
            pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))


def first_number(s: Slide, plan: DeckPlan) -> int:
    """Numbered lists continue across '(cont.)' slides: count the level-0 items on the slides before."""
    if not s.continued:
        return 1
    n = 1
    for prev in reversed(plan.slides[: s.number - 1]):
        n += sum(1 for p in body_of(prev) if p.level == 0)
        if not prev.continued:
            break
    return n


def add_footer(slide, layout, footer: str, number: int, lang: str, theme: Theme, look: Look | None = None,
               clear: tuple[float, float] | None = None) -> None:
    """Footer text and a slide-number field in clones of the layout's own footer placeholders; with `clear` (the room
    between classification banners, top and bottom in pt) each moves up or down into it, keeping its size and x."""
    for lph in layout.placeholders:
        kind = lph.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        if kind == PP_PLACEHOLDER.FOOTER and not footer:
            continue
        slide.shapes.clone_placeholder(lph)
        ph = slide.placeholders[lph.placeholder_format.idx]
        if clear is not None:
            top, height = Emu(ph.top).pt, Emu(ph.height).pt  # the layout's frame, inherited
            moved = min(max(top, clear[0]), clear[1] - height)
            if moved != top:
                ph.left, ph.width, ph.height = ph.left, ph.width, ph.height  # state the inherited frame on the slide
                ph.top = emu(moved)
        p = ph.text_frame.paragraphs[0]
        # explicit look as well as the inherited one: LibreOffice does not apply master styles to footer fields
        ink = theme.muted
        if look is None:
            p.alignment = PP_ALIGN.LEFT if kind == PP_PLACEHOLDER.FOOTER else PP_ALIGN.RIGHT
        else:  # a user's template keeps its own alignment; the colour is the one readable where the field sits
            ink = (look.footer_colour if kind == PP_PLACEHOLDER.FOOTER else look.number_colour) or ink
        rpr = (
            f'<a:rPr {nsdecls("a")} lang="{escape(lang)}" sz="{int(SMALL_TEXT * 100)}"><a:solidFill><a:srgbClr val="{ink}"/>'
            f'</a:solidFill><a:latin typeface="{escape(theme.deck_font_name)}"/></a:rPr>'
        )
        if kind == PP_PLACEHOLDER.FOOTER:
            r = parse_xml(f'<a:r {nsdecls("a")}><a:t>{escape(footer)}</a:t></a:r>')
        else:
            r = parse_xml(f'<a:fld {nsdecls("a")} id="{FIELD_ID}" type="slidenum"><a:t>{number}</a:t></a:fld>')
        r.insert(0, parse_xml(rpr))
        p._p.append(r)


def draw_figures(slide, s: KeyFiguresSlide, plan: DeckPlan, theme: Theme) -> None:
    lang = plan.info.language
    face = plan.look.body_font if plan.look is not None else None  # a user's template: the font it was measured in
    for f in s.figures:
        panel = box(slide, f.frame, theme.light, "Key figure")
        tf = panel.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP  # values line up across the panels
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(tf, side, emu(FIGURE_PADDING))
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        put_runs(p, (Run(f.value, bold=True),), lang, f.value_size, theme.primary, face)
        p = tf.add_paragraph()
        p.alignment = PP_ALIGN.LEFT
        p.space_before = Pt(6)
        put_runs(p, f.label, lang, f.label_size, theme.text, face)
        if f.source:
            p = tf.add_paragraph()
            p.alignment = PP_ALIGN.LEFT
            p.space_before = Pt(10)
            put_runs(p, (Run(f.source),), lang, f.source_size, theme.muted, face)
        box(slide, Frame(f.frame.x, f.frame.y, f.frame.w, 4), theme.accent, "Accent rule")


# which drawers make each kind of slide (after its title), in order
DRAW = {
    TitleSlide: (draw_cover, draw_nameplate),
    ClosingSlide: (draw_cover,),
    SectionSlide: (draw_section,),
    AgendaSlide: (draw_body,),
    BulletSlide: (draw_body,),
    SourcesSlide: (draw_body,),
    ConclusionsSlide: (draw_body,),
    RecommendationsSlide: (draw_body,),
    QuoteSlide: (draw_body,),
    KeyFiguresSlide: (draw_figures,),
    ChartSlide: (draw_chart,),
    BulletsChartSlide: (draw_body, draw_chart),
    TableSlide: (draw_table,),
}

from .pictures import ELEMENT_DRAW  # noqa: E402  (images, boxes, comparisons: drawers of their own module)

DRAW.update(ELEMENT_DRAW)
