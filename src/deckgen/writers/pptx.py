"""Draw a DeckPlan as an editable PowerPoint file: the only module that imports python-pptx."""
from __future__ import annotations

import copy
import datetime as _dt
import io
import re
import uuid
import zipfile
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from ..inline import Run
from ..layout.deck import FIGURE_LABEL_SIZE, FIGURE_PADDING, SOURCE_SIZE
from ..layout.slides import (AgendaSlide, BulletsChartSlide, BulletSlide, ChartPlan, ChartSlide, ClosingSlide,
                             ConclusionsSlide, DeckPlan, Frame, Geometry, KeyFiguresSlide, PanelSlide, QuoteSlide,
                             RecommendationsSlide, SectionSlide, Slide, SourcesSlide, TextSlide, TitleSlide, body_of)
from .. import units
from ..errors import AssetError
from ..theme import Theme, builtin_logo, builtin_template
from ..typeset import Typesetting

EMU_PER_PT = units.EMU_PER_PT
GRID = "D9D9D9"
AXIS = "A6A6A6"
CHART_TEXT = 14.0  # pt: axis labels, data labels, legend
SMALL_TEXT = SOURCE_SIZE  # pt: source lines, footer, slide number
_FIELD_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "deckgen:slidenum")).upper() + "}"


def write_deck(plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None = None, logo: bytes | None = None,
               layouts: dict[str, str] | None = None) -> bytes:
    """The .pptx bytes of the plan set in `ctx`; the same plan, context, epoch and files always give the same bytes.

    `template`: the bytes of the outline's own .pptx (else the built-in policy template); `logo`: PNG/JPEG bytes
    (else the bundled logo); `layouts`: slide kind -> layout name, over the theme's mapping.
    Raises AssetError naming a missing layout or placeholder.
    """
    theme = ctx.theme
    field = "theme.template"
    src = template if template is not None else builtin_template().read_bytes()
    try:
        prs = Presentation(io.BytesIO(src))
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise AssetError(f"the template cannot be opened as a presentation ({type(exc).__name__}) — re-save it in PowerPoint", field) from None
    if template is not None:
        _check_slide_size(prs, plan.geometry, field)
        _drop_slides(prs)
    _fast_partnames(prs)
    _no_autofit([m._element for m in prs.slide_masters] + [lay._element for m in prs.slide_masters for lay in m.slide_layouts])
    chosen = _choose_layouts(prs, plan, theme, layouts or {}, field if template is not None else "theme")
    logo_bytes = logo if logo is not None else builtin_logo().read_bytes()
    for s in plan.slides:
        _draw_slide(prs, chosen[s.kind], s, plan, theme)
        if not isinstance(s, _COVERS):
            _add_logo(prs.slides[-1], logo_bytes, plan)
    _link_agenda(prs, plan)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart_part.chart_workbook
                workbook.update_from_xlsx_blob(_fixed_xlsx(workbook.xlsx_part.blob, epoch))
    _set_properties(prs, plan, epoch)
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue(), epoch)


def _label_last_point(ser, ps, theme: Theme) -> None:
    """Name a reference line at its right end (the brief labels it on the line too), as an editable data label."""
    last = max((i for i, v in enumerate(ps.values) if v is not None), default=None)
    if last is None:
        return
    label = ser.points[last].data_label
    label.has_text_frame = True
    label.text_frame.text = ps.name
    label.position = XL_LABEL_POSITION.ABOVE
    run = label.text_frame.paragraphs[0].runs[0]
    run.font.size = Pt(CHART_TEXT)
    run.font.color.rgb = _rgb(theme.accent)


def _fast_partnames(prs) -> None:
    """Name new parts by counting per name template: python-pptx walks every part for each new one (quadratic in slides).

    The names are the ones python-pptx would choose: the first scan is its own; later parts only come from here.
    """
    package = prs.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(tmpl: str) -> PackURI:
        names = taken.get(tmpl)
        if names is None:
            prefix = tmpl[: (tmpl % 42).find("42")]
            names = taken[tmpl] = {str(p.partname) for p in package.iter_parts() if p.partname.startswith(prefix)}
        n = next(k for k in range(len(names) + 1, 0, -1) if tmpl % k not in names)
        names.add(tmpl % n)
        return PackURI(tmpl % n)

    package.next_partname = next_partname


def make_builtin_template(geo: Geometry, theme: Theme) -> bytes:
    """The built-in template's bytes: python-pptx's default restyled once into the sober deckgen look at 16:9."""
    prs = Presentation()
    _prepare_template(prs, geo, theme)
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue(), 315532800)  # 1980-01-01, the earliest ZIP date


def inspect_template(data: bytes) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """The layouts of a template in order, each with its placeholders as (idx, type, name)."""
    prs = Presentation(io.BytesIO(data))
    out = []
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            phs = [(ph.placeholder_format.idx, _ph_type_name(ph.placeholder_format.type), ph.name) for ph in layout.placeholders]
            out.append((layout.name, phs))
    return out


def _ph_type_name(t) -> str:
    try:
        return PP_PLACEHOLDER(t).name
    except ValueError:
        return str(t)


NEEDS = {  # slide kind -> placeholder types it needs in its layout (any of each group)
    "title": [(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE), (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)],
    "closing": [(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)],
    "section": [(PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)],
    "chart": [(PP_PLACEHOLDER.TITLE,)],
    "key_figures": [(PP_PLACEHOLDER.TITLE,)],
}
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
TYPE_WORDS = {PP_PLACEHOLDER.TITLE: "title", PP_PLACEHOLDER.CENTER_TITLE: "centre title", PP_PLACEHOLDER.SUBTITLE: "subtitle",
              PP_PLACEHOLDER.BODY: "body", PP_PLACEHOLDER.OBJECT: "content"}


def _choose_layouts(prs, plan: DeckPlan, theme: Theme, overrides: dict[str, str], field: str) -> dict:
    """slide kind -> layout for every kind the plan uses; AssetError names a missing layout or placeholder."""
    by_name = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            by_name.setdefault(layout.name, layout)
    chosen = {}
    for kind in dict.fromkeys(s.kind for s in plan.slides):
        name = theme.layout_for(kind, overrides)
        layout = by_name.get(name)
        if layout is None:
            raise AssetError(f"the template has no layout named '{name}' (for {kind} slides); its layouts are: "
                             + ", ".join(f"'{n}'" for n in by_name) + " — map the kind in theme.layouts", field)
        types = {ph.placeholder_format.type for ph in layout.placeholders}
        for group in NEEDS.get(kind, [(PP_PLACEHOLDER.TITLE,), BODY_TYPES]):
            if not types & set(group):
                raise AssetError(f"layout '{name}' (for {kind} slides) has no {' or '.join(TYPE_WORDS.get(t, str(t)) for t in group)}"
                                 " placeholder — add one in the slide master or map the kind to another layout", field)
        chosen[kind] = layout
    return chosen


def _check_slide_size(prs, geo: Geometry, field: str) -> None:
    w, h = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    if abs(w - geo.width) > 1 or abs(h - geo.height) > 1:
        raise AssetError(f"the template's slides are {w / 72:.3g} x {h / 72:.3g} in; deckgen lays out {geo.width / 72:.4g} x "
                         f"{geo.height / 72:.3g} in (16:9 Widescreen) — set the template's slide size to Widescreen", field)


def _drop_slides(prs) -> None:
    """A template's own example slides are not part of the deck."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)


def _add_logo(slide, data: bytes, plan: DeckPlan) -> None:
    """The logo, 20 pt high, in the footer band between the footer text and the slide number."""
    g = plan.geometry
    h = 20.0
    pic = slide.shapes.add_picture(io.BytesIO(data), _emu(g.footer.x + g.footer.w + 8), _emu(g.footer.y + 2), height=_emu(h))
    pic.name = "Logo"
    pic._element.nvPicPr.cNvPr.set("descr", "Logo of " + (plan.info.organisation or "the publisher"))


# ---------------------------------------------------------------- units and small XML helpers


def _emu(length: float) -> Emu:
    """A length in points as python-pptx's Emu (the writer's one conversion)."""
    return Emu(units.Pt(length).emu)


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def _set_xfrm(sp, frame: Frame) -> None:
    """Give a template shape (`p:sp` element) an explicit position and size."""
    spPr = sp.find(qn("p:spPr"))
    for old in spPr.findall(qn("a:xfrm")):
        spPr.remove(old)
    xfrm = parse_xml(
        f'<a:xfrm {nsdecls("a")}><a:off x="{_emu(frame.x)}" y="{_emu(frame.y)}"/>'
        f'<a:ext cx="{_emu(frame.w)}" cy="{_emu(frame.h)}"/></a:xfrm>'
    )
    spPr.insert(0, xfrm)


def _rect_xml(shape_id: int, name: str, frame: Frame, colour: str) -> etree._Element:
    """A filled, borderless rectangle for a master or layout (decoration the user does not move by accident)."""
    return parse_xml(
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/>'
        f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{_emu(frame.x)}" y="{_emu(frame.y)}"/>'
        f'<a:ext cx="{_emu(frame.w)}" cy="{_emu(frame.h)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def _placeholder_el(tree, ph_type: str | None, idx: str | None = None):
    """The `p:sp` of a master/layout placeholder by type (and idx)."""
    for sp in tree.iter(qn("p:sp")):
        ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
        if ph is None:
            continue
        if ph.get("type", "obj") == (ph_type or "obj") and (idx is None or ph.get("idx", "0") == idx):
            return sp
    return None


# ---------------------------------------------------------------- the template: size, fonts, colours, frames


def _prepare_template(prs, geo: Geometry, theme: Theme) -> None:
    """Turn python-pptx's 4:3 default template into the deckgen look at 16:9."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = _emu(geo.width), _emu(geo.height)
    scale = prs.slide_width / old_w
    master = prs.slide_master
    _restyle_theme_part(master.part.part_related_by(RT.THEME), theme)

    m = master._element
    for sp in m.iter(qn("p:sp")):  # keep every layout usable at the new width
        _scale_x(sp, scale)
    for layout in prs.slide_layouts:
        for sp in layout._element.iter(qn("p:sp")):
            _scale_x(sp, scale)

    _set_xfrm(_placeholder_el(m, "title"), geo.title)
    _set_xfrm(_placeholder_el(m, "body"), geo.body)
    _set_xfrm(_placeholder_el(m, "dt"), Frame(geo.footer.x + geo.footer.w, geo.number.y, geo.number.x - geo.footer.x - geo.footer.w, geo.number.h))
    _set_xfrm(_placeholder_el(m, "ftr"), geo.footer)
    _set_xfrm(_placeholder_el(m, "sldNum"), geo.number)
    _placeholder_el(m, "title").find(qn("p:txBody")).find(qn("a:bodyPr")).set("anchor", "b")
    _no_autofit([m] + [layout._element for layout in prs.slide_layouts])
    for ph_type, align in (("ftr", "l"), ("sldNum", "r"), ("dt", "r")):
        lst = _placeholder_el(m, ph_type).find(qn("p:txBody")).find(qn("a:lstStyle"))
        for child in list(lst):
            lst.remove(child)
        lst.append(parse_xml(
            f'<a:lvl1pPr {nsdecls("a")} algn="{align}"><a:defRPr sz="{int(SMALL_TEXT * 100)}">'
            f'<a:solidFill><a:srgbClr val="{theme.muted}"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        ))
    _restyle_text_styles(m, geo, theme)

    tree = m.find(qn("p:cSld")).find(qn("p:spTree"))
    rule_y = geo.title.y + geo.title.h + 4
    tree.append(_rect_xml(90, "Accent rule", Frame(geo.title.x + geo.style.inset, rule_y, 72, 4), theme.accent))
    tree.append(_rect_xml(91, "Footer rule", Frame(geo.title.x, geo.footer.y - 4, geo.body.w, 0.75), theme.light))

    cover = next(layout for layout in prs.slide_layouts if layout.name == "Title Slide")
    _restyle_cover_layout(cover._element, geo, theme)
    _drop_thumbnail(prs)


def _no_autofit(trees) -> None:
    """Text never shrinks behind the planner's back: every normAutofit becomes noAutofit (the plan guarantees fit)."""
    for tree in trees:
        for el in list(tree.iter(qn("a:normAutofit"))):
            el.getparent().replace(el, el.makeelement(qn("a:noAutofit"), {}))


def _scale_x(sp, scale: float) -> None:
    xfrm = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    if xfrm is None:
        return
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    off.set("x", str(int(round(int(off.get("x")) * scale))))
    ext.set("cx", str(int(round(int(ext.get("cx")) * scale))))


def _restyle_theme_part(part, theme: Theme) -> None:
    """Theme fonts = the deck font; theme colours = the deckgen palette (so new shapes and links match)."""
    root = etree.fromstring(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for font in ("majorFont", "minorFont"):
        el = root.find(f".//{a}fontScheme/{a}{font}/{a}latin")
        if el is not None:
            el.set("typeface", theme.deck_font_name)
    scheme = root.find(f".//{a}clrScheme")
    colours = {"dk2": theme.primary, "lt2": theme.light, "hlink": theme.series_colour(1), "folHlink": theme.primary}
    colours.update({f"accent{i + 1}": theme.series_colour(i) for i in range(6)})
    if scheme is not None:
        scheme.set("name", "deckgen")
        for name, value in colours.items():
            slot = scheme.find(f"{a}{name}")
            if slot is not None:
                for child in list(slot):
                    slot.remove(child)
                etree.SubElement(slot, f"{a}srgbClr", val=value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _restyle_text_styles(master, geo: Geometry, theme: Theme) -> None:
    """Master title and body styles: navy bold titles, body text at the theme's sizes with hanging bullets."""
    st = geo.style
    styles = master.find(qn("p:txStyles"))
    title = styles.find(qn("p:titleStyle"))
    for child in list(title):
        title.remove(child)
    title.append(parse_xml(
        f'<a:lvl1pPr {nsdecls("a")} algn="l" defTabSz="457200" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="{int(geo.title_size * 100)}" b="1" kern="1200"><a:solidFill><a:srgbClr val="{theme.primary}"/></a:solidFill>'
        f'<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr>'
    ))
    body = styles.find(qn("p:bodyStyle"))
    for child in list(body):
        body.remove(child)
    for lvl in range(1, 10):
        level = 0 if lvl == 1 else 1
        size = st.sizes[level]
        mar = st.margins[0] if lvl == 1 else st.margins[1] + (lvl - 2) * 28
        hang = st.margins[0] if lvl == 1 else 20
        bullet = "•" if lvl == 1 else "–"
        body.append(parse_xml(
            f'<a:lvl{lvl}pPr {nsdecls("a")} marL="{_emu(mar)}" indent="{-_emu(hang)}" algn="l" defTabSz="457200" rtl="0"'
            f' eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(st.space_before[level] * 100)}"/></a:spcBef>'
            f'<a:buClr><a:srgbClr val="{theme.primary}"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>'
            f'<a:defRPr sz="{int(size * 100)}" kern="1200"><a:solidFill><a:srgbClr val="{theme.text}"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{lvl}pPr>'
        ))


def _restyle_cover_layout(layout, geo: Geometry, theme: Theme) -> None:
    """The title slide: navy background, white left-aligned title, accent rule, light byline."""
    layout.set("showMasterSp", "0")
    cSld = layout.find(qn("p:cSld"))
    for old in cSld.findall(qn("p:bg")):
        cSld.remove(old)
    cSld.insert(0, parse_xml(
        f'<p:bg {nsdecls("p", "a")}><p:bgPr><a:solidFill><a:srgbClr val="{theme.primary}"/></a:solidFill>'
        f'<a:effectLst/></p:bgPr></p:bg>'
    ))
    title = _placeholder_el(layout, "ctrTitle")
    _set_xfrm(title, geo.cover_title)
    tx = title.find(qn("p:txBody"))
    tx.find(qn("a:bodyPr")).set("anchor", "b")
    lst = tx.find(qn("a:lstStyle"))
    lst.append(parse_xml(
        f'<a:lvl1pPr {nsdecls("a")} algn="l"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        f'<a:defRPr sz="{int(geo.cover_title_size * 100)}" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    ))
    sub = _placeholder_el(layout, "subTitle")
    _set_xfrm(sub, geo.cover_subtitle)
    lst = sub.find(qn("p:txBody")).find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    lst.append(parse_xml(
        f'<a:lvl1pPr {nsdecls("a")} marL="0" indent="0" algn="l"><a:spcBef><a:spcPts val="600"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="2400"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    ))
    rule = Frame(geo.cover_title.x + geo.style.inset, geo.cover_title.y + geo.cover_title.h + 12, 96, 5)
    cSld.find(qn("p:spTree")).append(_rect_xml(90, "Accent rule", rule, theme.accent))


def _drop_thumbnail(prs) -> None:
    """The template's thumbnail shows an empty 4:3 slide: leave it out rather than mislead file browsers."""
    pkg = prs.part.package
    for rId, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.drop_rel(rId)


# ---------------------------------------------------------------- slides


_COVERS = (TitleSlide, ClosingSlide)  # full-bleed slides: no footer, no logo, the layout's own title frame


def _draw_slide(prs, layout, s: Slide, plan: DeckPlan, theme: Theme) -> None:
    slide = prs.slides.add_slide(layout)
    lang = plan.info.language
    title = slide.shapes.title
    if title is not None and not isinstance(s, (*_COVERS, SectionSlide)):
        _place(title, plan.geometry.title)  # the planned frame, whatever the template's layout says
    _fill_title(title.text_frame, s.title, lang, s.title_size)
    for draw in _DRAW[type(s)]:
        draw(slide, s, plan, theme)
    if not isinstance(s, _COVERS):
        _add_footer(slide, layout, plan.info.footer, s.number, lang, theme)
    if s.notes:
        slide.notes_slide.notes_text_frame.text = s.notes


def _fill_title(tf, runs: tuple[Run, ...], lang: str, size: float | None = None) -> None:
    p = tf.paragraphs[0]
    _put_runs(p, runs, lang, size)


def _put_runs(p, runs: tuple[Run, ...], lang: str, size: float | None = None, colour: str | None = None) -> None:
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
            font.color.rgb = _rgb(colour)
        if run.url:
            r.hyperlink.address = run.url
        r._r.get_or_add_rPr().set("lang", lang)


def _draw_cover(slide, s: TextSlide, plan: DeckPlan, theme: Theme) -> None:
    lang = plan.info.language
    ph = _body_placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
    if ph is None:
        return
    tf = ph.text_frame
    looks = {"subtitle": (24.0, "FFFFFF"), "authors": (20.0, theme.light), "meta": (18.0, theme.light)}
    for i, para in enumerate(s.body):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        size, colour = looks.get(para.style, (18.0, theme.light))
        size = para.size or size  # the planner sets the sizes it measured with
        if para.style == "meta":
            p.space_before = Pt(14)
        _put_runs(p, para.runs, lang, size, colour)


def _link_agenda(prs, plan: DeckPlan) -> None:
    """Agenda entries jump to their section's first slide (a slide-jump hyperlink on every run)."""
    slides = list(prs.slides)
    for s in plan.slides:
        if not isinstance(s, AgendaSlide):
            continue
        slide = slides[s.number - 1]
        body = _body_placeholder(slide)
        for para, p in zip(s.body, body.text_frame.paragraphs):
            if para.link is None:
                continue
            r_id = slide.part.relate_to(slides[para.link - 1].part, RT.SLIDE)
            for r in p._p.findall(qn("a:r")):
                rpr = r.get_or_add_rPr()
                rpr.append(parse_xml(f'<a:hlinkClick {nsdecls("a", "r")} r:id="{r_id}" action="ppaction://hlinksldjump"/>'))


def _draw_section(slide, s: SectionSlide, plan: DeckPlan, theme: Theme) -> None:
    """A section opener: the title in the middle of the slide, the section's number in accent colour above it."""
    g = plan.geometry
    title = slide.shapes.title
    _place(title, Frame(g.title.x, 170, g.title.w, g.title.h))
    for r in title.text_frame.paragraphs[0].runs:
        r._r.get_or_add_rPr().set("cap", "none")
    body = _body_placeholder(slide)
    if body is not None:
        _place(body, Frame(g.title.x, 120, g.title.w, 44))
        if s.body:
            p = body.text_frame.paragraphs[0]
            _put_runs(p, s.body[0].runs, plan.info.language, 28.0, theme.accent)
            for r in p.runs:
                r.font.bold = True
        else:
            body._element.getparent().remove(body._element)


def _place(shape, frame: Frame) -> None:
    shape.left, shape.top, shape.width, shape.height = _emu(frame.x), _emu(frame.y), _emu(frame.w), _emu(frame.h)


def _body_placeholder(slide, types=(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)):
    return next((p for p in slide.placeholders if p.placeholder_format.type in types), None)


def _draw_body(slide, s: TextSlide, plan: DeckPlan, theme: Theme) -> None:
    body = _body_placeholder(slide)
    _place(body, getattr(s, "body_frame", None) or plan.geometry.body)
    tf = body.text_frame
    lang = plan.info.language
    numbered = isinstance(s, (AgendaSlide, RecommendationsSlide))
    number = _first_number(s, plan)
    for i, para in enumerate(s.body):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.level = para.level
        _put_runs(p, para.runs, lang, para.size)
        if para.level == 0 and numbered:
            _bullet(p, theme.accent if isinstance(s, RecommendationsSlide) else theme.primary, auto_from=number)
            number += 1
        elif para.level == 0 and isinstance(s, ConclusionsSlide):
            _bullet(p, theme.accent, char="■", size_pct=70)
        elif para.style in ("quote", "attribution"):
            pPr = p._p.get_or_add_pPr()
            pPr.set("marL", str(_emu(24)))
            pPr.set("indent", "0")
            pPr.append(parse_xml(f'<a:buNone {nsdecls("a")}/>'))
            if para.style == "attribution":
                p.space_before = Pt(12)
                for r in p.runs:
                    r.font.color.rgb = _rgb(theme.muted)
            else:
                for r in p.runs:
                    r.font.italic = True
                    r.font.color.rgb = _rgb(theme.primary)
    if isinstance(s, QuoteSlide) and s.edge is not None:
        _box(slide, s.edge, theme.accent, "Accent edge")
    elif isinstance(s, PanelSlide) and s.panel is not None:
        # conclusions and recommendations sit on a light panel with an accent edge, behind the body text
        panel = _box(slide, s.panel, theme.light, "Panel")
        edge = _box(slide, Frame(s.panel.x, s.panel.y, 5, s.panel.h), theme.accent, "Accent edge")
        tree = slide.shapes._spTree
        for shape in (edge, panel):  # to the back, behind the placeholders
            tree.remove(shape._element)
            tree.insert(2, shape._element)


def _first_number(s: Slide, plan: DeckPlan) -> int:
    """Numbered lists continue across '(cont.)' slides: count the level-0 items on the slides before."""
    if not s.continued:
        return 1
    n = 1
    for prev in reversed(plan.slides[: s.number - 1]):
        n += sum(1 for p in body_of(prev) if p.level == 0)
        if not prev.continued:
            break
    return n


def _bullet(p, colour: str, char: str | None = None, auto_from: int | None = None, size_pct: int = 100) -> None:
    pPr = p._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<a:buClr {nsdecls("a")}><a:srgbClr val="{colour}"/></a:buClr>'))
    pPr.append(parse_xml(f'<a:buSzPct {nsdecls("a")} val="{size_pct * 1000}"/>'))
    if auto_from is not None:
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="+mj-lt"/>'))
        pPr.append(parse_xml(f'<a:buAutoNum {nsdecls("a")} type="arabicPeriod" startAt="{auto_from}"/>'))
    else:
        pPr.append(parse_xml(f'<a:buFont {nsdecls("a")} typeface="Arial"/>'))
        pPr.append(parse_xml(f'<a:buChar {nsdecls("a")} char="{escape(char or "•")}"/>'))


def _add_footer(slide, layout, footer: str, number: int, lang: str, theme: Theme) -> None:
    """Footer text and a slide-number field in clones of the layout's own footer placeholders."""
    for lph in layout.placeholders:
        kind = lph.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        if kind == PP_PLACEHOLDER.FOOTER and not footer:
            continue
        slide.shapes.clone_placeholder(lph)
        ph = slide.placeholders[lph.placeholder_format.idx]
        p = ph.text_frame.paragraphs[0]
        # explicit look as well as the inherited one: LibreOffice does not apply master styles to footer fields
        p.alignment = PP_ALIGN.LEFT if kind == PP_PLACEHOLDER.FOOTER else PP_ALIGN.RIGHT
        rpr = (
            f'<a:rPr {nsdecls("a")} lang="{escape(lang)}" sz="{int(SMALL_TEXT * 100)}"><a:solidFill><a:srgbClr val="{theme.muted}"/>'
            f'</a:solidFill><a:latin typeface="{escape(theme.deck_font_name)}"/></a:rPr>'
        )
        if kind == PP_PLACEHOLDER.FOOTER:
            r = parse_xml(f'<a:r {nsdecls("a")}><a:t>{escape(footer)}</a:t></a:r>')
        else:
            r = parse_xml(f'<a:fld {nsdecls("a")} id="{_FIELD_ID}" type="slidenum"><a:t>{number}</a:t></a:fld>')
        r.insert(0, parse_xml(rpr))
        p._p.append(r)


def _box(slide, frame: Frame, colour: str, name: str):
    """A filled rectangle without outline, shadow or theme style."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(frame.x), _emu(frame.y), _emu(frame.w), _emu(frame.h))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


def _draw_figures(slide, s: KeyFiguresSlide, plan: DeckPlan, theme: Theme) -> None:
    lang = plan.info.language
    for f in s.figures:
        panel = _box(slide, f.frame, theme.light, "Key figure")
        tf = panel.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP  # values line up across the panels
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(tf, side, _emu(FIGURE_PADDING))
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        _put_runs(p, (Run(f.value, bold=True),), lang, f.value_size, theme.primary)
        p = tf.add_paragraph()
        p.alignment = PP_ALIGN.LEFT
        p.space_before = Pt(6)
        _put_runs(p, f.label, lang, FIGURE_LABEL_SIZE, theme.text)
        if f.source:
            p = tf.add_paragraph()
            p.alignment = PP_ALIGN.LEFT
            p.space_before = Pt(10)
            _put_runs(p, (Run("Source: " + f.source),), lang, SMALL_TEXT, theme.muted)
        _box(slide, Frame(f.frame.x, f.frame.y, f.frame.w, 4), theme.accent, "Accent rule")


# ---------------------------------------------------------------- charts


def _chart_type(cp: ChartPlan):
    if cp.kind == "line":
        return XL_CHART_TYPE.LINE_MARKERS
    if cp.kind == "bar":
        return XL_CHART_TYPE.BAR_STACKED if cp.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    return XL_CHART_TYPE.COLUMN_STACKED if cp.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED


def _draw_chart(slide, s: ChartSlide | BulletsChartSlide, plan: DeckPlan, theme: Theme) -> None:
    cp = s.chart
    assert cp is not None
    g = plan.geometry
    data = CategoryChartData(number_format=cp.number_format)
    data.categories = list(cp.categories)
    for ps in cp.series:
        data.add_series(ps.name, list(ps.values))
    frame = getattr(s, "chart_frame", None) or g.chart
    gf = slide.shapes.add_chart(_chart_type(cp), _emu(frame.x), _emu(frame.y), _emu(frame.w), _emu(frame.h), data)
    gf.name = "Chart"
    gf._element.nvGraphicFramePr.cNvPr.set("descr", cp.alt)
    chart = gf.chart
    _style_chart(chart, cp, theme)
    if cp.kind != "line" and any(ps.role == "target" for ps in cp.series):
        _target_as_line(chart, cp, theme)
    _positive_axis_ids(chart._chartSpace)

    if s.source:
        sf = getattr(s, "source_frame", None) or g.source
        box = slide.shapes.add_textbox(_emu(sf.x), _emu(sf.y), _emu(sf.w), _emu(sf.h))
        box.name = "Source"
        tf = box.text_frame
        tf.word_wrap = True
        _put_runs(tf.paragraphs[0], s.source, plan.info.language, SMALL_TEXT, theme.muted)


def _style_chart(chart, cp: ChartPlan, theme: Theme) -> None:
    chart.has_title = bool(cp.title)
    if cp.title:
        tf = chart.chart_title.text_frame
        tf.text = cp.title
        font = tf.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT + 2), True
        font.color.rgb = _rgb(theme.primary)
    chart.font.size = Pt(CHART_TEXT)
    chart.font.name = theme.deck_font_name
    chart.font.color.rgb = _rgb(theme.text)
    plot = chart.plots[0]

    for ps, ser in zip(cp.series, plot.series):
        if cp.kind == "line":
            ser.smooth = False
            line = ser.format.line
            line.color.rgb = _rgb(ps.colour)
            line.width = Pt(2.0 if ps.role == "target" else 2.75)
            if ps.dashed:
                line.dash_style = MSO_LINE_DASH_STYLE.DASH
            if ps.role == "target":
                ser.marker.style = XL_MARKER_STYLE.NONE
                _label_last_point(ser, ps, theme)
            else:
                ser.marker.style = XL_MARKER_STYLE.CIRCLE
                ser.marker.size = 8
                ser.marker.format.fill.solid()
                ser.marker.format.fill.fore_color.rgb = _rgb("FFFFFF" if ps.role == "plan" else ps.colour)
                ser.marker.format.line.color.rgb = _rgb(ps.colour)
                ser.marker.format.line.width = Pt(1.5)
            if ps.role == "plan":  # the shared boundary point keeps the actual series' marker
                first = next((i for i, v in enumerate(ps.values) if v is not None), None)
                if first is not None:
                    ser.points[first].marker.style = XL_MARKER_STYLE.NONE
        elif ps.role == "target":
            continue  # becomes a line over the columns (_target_as_line)
        else:
            ser.invert_if_negative = False
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = _rgb(ps.colour)
            ser.format.line.fill.background()

    if cp.kind != "line":
        plot.gap_width = 60
        if cp.stacked:
            plot.overlap = 100
    if cp.data_labels:
        for ps, ser in zip(cp.series, plot.series):
            if ps.role == "target":
                continue
            labels = ser.data_labels
            labels.number_format = cp.number_format
            labels.number_format_is_linked = False
            labels.show_value = True
            labels.font.size = Pt(CHART_TEXT)
            if cp.stacked:
                labels.position = XL_LABEL_POSITION.CENTER
                labels.font.color.rgb = _rgb(ps.colour.ink_on(theme.text))
                _hide_zero_labels(ser, ps.values)
            else:
                labels.position = XL_LABEL_POSITION.OUTSIDE_END
                labels.font.color.rgb = _rgb(theme.text)

    chart.has_legend = cp.legend
    if cp.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_TEXT)

    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb(GRID)
    va.major_gridlines.format.line.width = Pt(0.75)
    va.format.line.fill.background()
    va.major_tick_mark = XL_TICK_MARK.NONE
    va.minor_tick_mark = XL_TICK_MARK.NONE
    va.tick_labels.number_format = cp.axis_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(CHART_TEXT)
    va.tick_labels.font.color.rgb = _rgb(theme.muted)
    if cp.unit:
        va.has_title = True
        tf = va.axis_title.text_frame
        tf.text = cp.unit
        font = tf.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT), False
        font.color.rgb = _rgb(theme.muted)

    ca = chart.category_axis
    ca.has_major_gridlines = False
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.minor_tick_mark = XL_TICK_MARK.NONE
    ca.format.line.color.rgb = _rgb(AXIS)
    ca.tick_labels.font.size = Pt(CHART_TEXT)
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below the plot even when values go negative
    if cp.first_category_on_top:
        ca.reverse_order = True
        # with categories top-down the value axis belongs at the bottom: it crosses at the last category
        val_ax = chart._chartSpace.find(f".//{qn('c:valAx')}")
        crosses = val_ax.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")


def _target_as_line(chart, cp: ChartPlan, theme: Theme) -> None:
    """Move the target series out of the column group into a line group on the same axes: an editable dashed line."""
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    bar = plot_area.find(qn("c:barChart"))
    sers = bar.findall(qn("c:ser"))
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    for ps, ser in zip(cp.series, sers):
        if ps.role != "target":
            continue
        bar.remove(ser)
        for tag in ("c:invertIfNegative", "c:pictureOptions", "c:dLbls", "c:shape", "c:spPr", "c:dPt"):
            for el in ser.findall(qn(tag)):
                ser.remove(el)
        tx = ser.find(qn("c:tx"))
        sp = parse_xml(
            f'<c:spPr {nsdecls("c", "a")}><a:ln w="{int(2.0 * EMU_PER_PT)}" cap="rnd"><a:solidFill><a:srgbClr val="{ps.colour}"/></a:solidFill>'
            f'<a:prstDash val="dash"/><a:round/></a:ln></c:spPr>'
        )
        tx.addnext(sp)
        sp.addnext(parse_xml(f'<c:marker {nsdecls("c")}><c:symbol val="none"/></c:marker>'))
        ser.find(qn("c:val")).addnext(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
        line.append(ser)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for ax in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(ax))
    bar.addnext(line)


def _hide_zero_labels(ser, values) -> None:
    """In a stacked chart a zero segment has no height: drop its '0' label (the value stays in the data)."""
    dLbls = ser._element.find(qn("c:dLbls"))
    if dLbls is None:
        return
    for i in reversed([i for i, v in enumerate(values) if v == 0]):
        dLbls.insert(0, parse_xml(
            f'<c:dLbl {nsdecls("c")}><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>'
        ))


def _positive_axis_ids(chart_space) -> None:
    """python-pptx writes negative axis ids, which the schema (unsignedInt) rejects: renumber them 1, 2, …"""
    mapping: dict[str, str] = {}
    for el in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        old = el.get("val")
        mapping.setdefault(old, str(len(mapping) + 1))
        el.set("val", mapping[old])


# which drawers make each kind of slide (after its title), in order
_DRAW = {
    TitleSlide: (_draw_cover,),
    ClosingSlide: (_draw_cover,),
    SectionSlide: (_draw_section,),
    AgendaSlide: (_draw_body,),
    BulletSlide: (_draw_body,),
    SourcesSlide: (_draw_body,),
    ConclusionsSlide: (_draw_body,),
    RecommendationsSlide: (_draw_body,),
    QuoteSlide: (_draw_body,),
    KeyFiguresSlide: (_draw_figures,),
    ChartSlide: (_draw_chart,),
    BulletsChartSlide: (_draw_body, _draw_chart),
}


# ---------------------------------------------------------------- properties and reproducible bytes


def _moment(epoch: int) -> _dt.datetime:
    """The epoch as a naive UTC datetime, kept inside what a zip file can date (1980–2107)."""
    moment = units.moment(epoch).replace(tzinfo=None)
    return min(max(moment, _dt.datetime(1980, 1, 1)), _dt.datetime(2107, 12, 31, 23, 59, 58))


def _set_properties(prs, plan: DeckPlan, epoch: int) -> None:
    info = plan.info
    when = units.moment(epoch).replace(tzinfo=None)
    cp = prs.core_properties
    cp.title = info.title
    cp.author = "; ".join(info.authors)
    cp.subject = info.subtitle
    cp.keywords = ", ".join(info.keywords)
    cp.language = info.language
    cp.comments = ""
    cp.category = ""
    cp.created = when
    cp.modified = when
    cp.last_modified_by = "deckgen"
    cp.revision = 1
    notes = sum(1 for s in plan.slides if s.notes)
    app = next(p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml")
    app._blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<TotalTime>0</TotalTime><Application>deckgen</Application>"
        f"<PresentationFormat>Widescreen</PresentationFormat><Slides>{len(plan.slides)}</Slides>"
        f"<Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode("utf-8")


def _fixed_xlsx(blob: bytes, epoch: int) -> bytes:
    """The chart's embedded workbook without the writer's clock time (XlsxWriter stamps 'created' with now)."""
    stamp = _moment(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fix(name: str, data: bytes) -> bytes:
        if name == "docProps/core.xml":
            return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
        if name == "docProps/app.xml":
            return re.sub(rb"<AppVersion>[^<]*</AppVersion>", b"", data)
        return data

    return _rezip(blob, epoch, fix)


def _fixed_zip(data: bytes, epoch: int) -> bytes:
    """The package with every entry dated from the epoch: same entries, order and compression, no clock time."""
    return _rezip(data, epoch, lambda name, content: content)


def _rezip(data: bytes, epoch: int, fix) -> bytes:
    moment = _moment(epoch)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = info.compress_type
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, fix(info.filename, src.read(info.filename)))
    return out.getvalue()
