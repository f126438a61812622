"""The deck's template: opening a user's or the built-in one, choosing layouts per slide kind, restyling the built-in look."""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from ...layout.slides import (
    Frame,
    Geometry,
)
from ...theme import Theme
from .fast import fast_placeholders, index_relationships
from .package import fixed_zip
from .shapes import (
    SMALL_TEXT,
    emu,
    placeholder_el,
    rect_xml,
    set_xfrm,
)


LINK = "2F5F98"  # hyperlinks: 6.5:1 on white, 5.6:1 on the light panels (the series blue was 4.0:1)

def fast_partnames(prs) -> None:
    """Name new parts by counting per name template: python-pptx walks every part for each new one (quadratic in slides);
    with python-pptx's other look-ups that grow with the deck made cheap (fast.py).

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
    fast_placeholders()  # the other look-ups that grow with the deck: fast.py
    index_relationships(prs.part)


def make_builtin_template(geo: Geometry, theme: Theme) -> bytes:
    """The built-in template's bytes: python-pptx's default restyled once into the sober deckgen look at 16:9."""
    prs = Presentation()
    prepare_template(prs, geo, theme)
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue(), 315532800)  # 1980-01-01, the earliest ZIP date


def drop_slides(prs) -> None:
    """A template's own example slides are not part of the deck."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.rId)
        sld_ids.remove(sld_id)


def prepare_template(prs, geo: Geometry, theme: Theme) -> None:
    """Turn python-pptx's 4:3 default template into the deckgen look at 16:9."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = emu(geo.width), emu(geo.height)
    scale = prs.slide_width / old_w
    master = prs.slide_master
    restyle_theme_part(master.part.part_related_by(RT.THEME), theme)

    m = master._element
    for sp in m.iter(qn("p:sp")):  # keep every layout usable at the new width
        scale_x(sp, scale)
    for layout in prs.slide_layouts:
        for sp in layout._element.iter(qn("p:sp")):
            scale_x(sp, scale)

    set_xfrm(placeholder_el(m, "title"), geo.title)
    set_xfrm(placeholder_el(m, "body"), geo.body)
    set_xfrm(placeholder_el(m, "dt"), Frame(geo.footer.x + geo.footer.w, geo.number.y, geo.number.x - geo.footer.x - geo.footer.w, geo.number.h))
    set_xfrm(placeholder_el(m, "ftr"), geo.footer)
    set_xfrm(placeholder_el(m, "sldNum"), geo.number)
    placeholder_el(m, "title").find(qn("p:txBody")).find(qn("a:bodyPr")).set("anchor", "b")
    no_autofit([m] + [layout._element for layout in prs.slide_layouts])
    for ph_type, align in (("ftr", "l"), ("sldNum", "r"), ("dt", "r")):
        lst = placeholder_el(m, ph_type).find(qn("p:txBody")).find(qn("a:lstStyle"))
        for child in list(lst):
            lst.remove(child)
        lst.append(parse_xml(
            f'<a:lvl1pPr {nsdecls("a")} algn="{align}"><a:defRPr sz="{int(SMALL_TEXT * 100)}">'
            f'<a:solidFill><a:srgbClr val="{theme.muted}"/></a:solidFill></a:defRPr></a:lvl1pPr>'
        ))
    restyle_text_styles(m, geo, theme)

    tree = m.find(qn("p:cSld")).find(qn("p:spTree"))
    rule_y = geo.title.y + geo.title.h + 4
    tree.append(rect_xml(90, "Accent rule", Frame(geo.title.x + geo.style.inset, rule_y, 72, 4), theme.accent))
    tree.append(rect_xml(91, "Footer rule", Frame(geo.title.x, geo.footer.y - 4, geo.body.w, 0.75), theme.light))

    cover = next(layout for layout in prs.slide_layouts if layout.name == "Title Slide")
    restyle_cover_layout(cover._element, geo, theme)
    drop_thumbnail(prs)


def no_autofit(trees) -> None:
    """Text never shrinks behind the planner's back: every normAutofit becomes noAutofit (the plan guarantees fit)."""
    for tree in trees:
        for el in list(tree.iter(qn("a:normAutofit"))):
            el.getparent().replace(el, el.makeelement(qn("a:noAutofit"), {}))


def scale_x(sp, scale: float) -> None:
    xfrm = sp.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    if xfrm is None:
        return
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    off.set("x", str(int(round(int(off.get("x")) * scale))))
    ext.set("cx", str(int(round(int(ext.get("cx")) * scale))))


def restyle_theme_part(part, theme: Theme) -> None:
    """Theme fonts = the deck font; theme colours = the deckgen palette (so new shapes and links match)."""
    root = etree.fromstring(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for font in ("majorFont", "minorFont"):
        el = root.find(f".//{a}fontScheme/{a}{font}/{a}latin")
        if el is not None:
            el.set("typeface", theme.deck_font_name)
    scheme = root.find(f".//{a}clrScheme")
    colours = {"dk2": theme.primary, "lt2": theme.light, "hlink": LINK, "folHlink": theme.primary}
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


def restyle_text_styles(master, geo: Geometry, theme: Theme) -> None:
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
            f'<a:lvl{lvl}pPr {nsdecls("a")} marL="{emu(mar)}" indent="{-emu(hang)}" algn="l" defTabSz="457200" rtl="0"'
            f' eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(st.space_before[level] * 100)}"/></a:spcBef>'
            f'<a:buClr><a:srgbClr val="{theme.primary}"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>'
            f'<a:defRPr sz="{int(size * 100)}" kern="1200"><a:solidFill><a:srgbClr val="{theme.text}"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{lvl}pPr>'
        ))


def restyle_cover_layout(layout, geo: Geometry, theme: Theme) -> None:
    """The title slide: navy background, white left-aligned title, accent rule, light byline."""
    layout.set("showMasterSp", "0")
    cSld = layout.find(qn("p:cSld"))
    for old in cSld.findall(qn("p:bg")):
        cSld.remove(old)
    cSld.insert(0, parse_xml(
        f'<p:bg {nsdecls("p", "a")}><p:bgPr><a:solidFill><a:srgbClr val="{theme.primary}"/></a:solidFill>'
        f'<a:effectLst/></p:bgPr></p:bg>'
    ))
    title = placeholder_el(layout, "ctrTitle")
    set_xfrm(title, geo.cover_title)
    tx = title.find(qn("p:txBody"))
    tx.find(qn("a:bodyPr")).set("anchor", "b")
    lst = tx.find(qn("a:lstStyle"))
    lst.append(parse_xml(
        f'<a:lvl1pPr {nsdecls("a")} algn="l"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        f'<a:defRPr sz="{int(geo.cover_title_size * 100)}" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    ))
    sub = placeholder_el(layout, "subTitle")
    set_xfrm(sub, geo.cover_subtitle)
    lst = sub.find(qn("p:txBody")).find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    lst.append(parse_xml(
        f'<a:lvl1pPr {nsdecls("a")} marL="0" indent="0" algn="l"><a:spcBef><a:spcPts val="600"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="2400"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    ))
    rule = Frame(geo.cover_title.x + geo.style.inset, geo.cover_title.y + geo.cover_title.h + 12, 96, 5)
    cSld.find(qn("p:spTree")).append(rect_xml(90, "Accent rule", rule, theme.accent))


def drop_thumbnail(prs) -> None:
    """The template's thumbnail shows an empty 4:3 slide: leave it out rather than mislead file browsers."""
    pkg = prs.part.package
    for rId, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.drop_rel(rId)


def ensure_view_props(prs) -> None:
    """A template without a viewProps part (LibreOffice writes none) makes PowerPoint offer to repair the deck: add the
    minimal one PowerPoint itself writes."""
    from pptx.opc.package import Part

    if any(rel.reltype == RT.VIEW_PROPS for rel in prs.part.rels.values()):
        return
    xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
           b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
           b'<p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr>'
           b'<p:gridSpacing cx="76200" cy="76200"/></p:viewPr>')
    part = Part(PackURI("/ppt/viewProps.xml"), "application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml",
                prs.part.package, xml)
    prs.part.relate_to(part, RT.VIEW_PROPS)


def set_link_colour(prs, colour: str) -> None:
    """Every master's theme colours hyperlinks `colour` (a template's own link colour unreadable on its slides)."""
    done = set()
    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        if id(part) in done:
            continue
        done.add(id(part))
        root = etree.fromstring(part.blob)
        a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        for name in ("hlink", "folHlink"):
            slot = root.find(f".//{a}clrScheme/{a}{name}")
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{a}srgbClr", val=str(colour))
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
