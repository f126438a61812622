"""Read a .pptx template into TemplateInfo: slide size, layouts, each placeholder's frame, insets and text styles resolved
through layout → master → the master's text styles, theme colours and fonts."""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ...layout.slides import Frame
from ...template import TITLE_TYPES, Box, LayoutInfo, Level, Paint, TemplateInfo
from ...units import Colour, Pt

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
EMU = 12700.0
_DEFAULT_INSETS = (Pt(7.2), Pt(3.6), Pt(7.2), Pt(3.6))  # 91,440 and 45,720 EMU: the OOXML defaults
_CLR_MAP = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}


def read_template(data: bytes) -> TemplateInfo:
    """The template in `data` as deckgen sees it (raises what python-pptx raises for a broken package)."""
    return read_presentation(Presentation(io.BytesIO(data)))


def read_presentation(prs) -> TemplateInfo:
    """An opened presentation as deckgen sees it, read before its example slides are dropped."""
    master0 = prs.slide_masters[0]
    colours, major, minor = _theme(master0)
    layouts = []
    index = 0
    position: dict[int, int] = {}
    for mi, master in enumerate(prs.slide_masters):
        mcolours, mmajor, mminor = _theme(master)
        cmap = _clr_map(master._element)
        ctx = _Ctx(mcolours, cmap, mmajor, mminor)
        full = Frame(0, 0, prs.slide_width / EMU, prs.slide_height / EMU)
        mbg = _background(master._element, ctx)
        mpaint = _background_paint(master, full, ctx)
        mdecor = _decor(master, ctx)
        for layout in master.slide_layouts:
            boxes = tuple(_box(sp, layout._element, master._element, ctx) for sp in _placeholders(layout._element))
            bg = _background(layout._element, ctx) or mbg
            lpaint = _background_paint(layout, full, ctx)
            shown = layout._element.get("showMasterSp", "1") not in ("0", "false")
            paints = (lpaint,) if lpaint is not None else ((mpaint,) if mpaint is not None and bg is None else ())
            decor = paints + (mdecor if shown else ()) + _decor(layout, ctx)
            layouts.append(LayoutInfo(layout.name, mi, index, boxes, bg, decor))
            position[id(layout._element)] = index
            index += 1
    examples = tuple(position[id(s.slide_layout._element)] for s in prs.slides if id(s.slide_layout._element) in position)
    layouts = _masters_own_frames(layouts, [_master_frames(m._element) for m in prs.slide_masters])
    return TemplateInfo(Pt(prs.slide_width / EMU), Pt(prs.slide_height / EMU), tuple(layouts), colours, major, minor,
                        examples)


class _Ctx:
    def __init__(self, colours: dict[str, Colour], cmap: dict[str, str], major: str, minor: str) -> None:
        self.colours, self.cmap, self.major, self.minor = colours, cmap, major, minor

    def colour(self, fill) -> Colour | None:
        """The colour of a solidFill (or any element holding one colour choice), modifiers lumMod/lumOff applied."""
        if fill is None:
            return None
        for el in fill:
            tag = etree.QName(el).localname
            base = None
            if tag == "srgbClr":
                base = Colour(el.get("val"))
            elif tag == "sysClr":
                base = Colour(el.get("lastClr") or ("000000" if el.get("val") == "windowText" else "FFFFFF"))
            elif tag == "schemeClr":
                name = el.get("val")
                name = self.cmap.get(name, _CLR_MAP.get(name, name))
                base = self.colours.get(name)
            elif tag == "prstClr":
                base = {"black": Colour("000000"), "white": Colour("FFFFFF")}.get(el.get("val"))
            if base is not None:
                return _modified(base, el)
        return None

    def font(self, typeface: str | None) -> str | None:
        if typeface is None:
            return None
        if typeface.startswith("+mj"):
            return self.major
        if typeface.startswith("+mn"):
            return self.minor
        return typeface


def _modified(c: Colour, el) -> Colour:
    r, g, b = c.rgb
    for mod in el:
        tag, val = etree.QName(mod).localname, int(mod.get("val", "100000")) / 100000
        if tag == "lumMod":
            r, g, b = r * val, g * val, b * val
        elif tag == "lumOff":
            r, g, b = r + 255 * val, g + 255 * val, b + 255 * val
        elif tag == "tint":
            r, g, b = (255 - (255 - v) * val for v in (r, g, b))
        elif tag == "shade":
            r, g, b = r * val, g * val, b * val
    return Colour("".join(f"{max(0, min(255, round(v))):02X}" for v in (r, g, b)))


def _theme(master) -> tuple[dict[str, Colour], str, str]:
    root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    colours: dict[str, Colour] = {}
    scheme = root.find(f".//{A}clrScheme")
    ctx = _Ctx({}, {}, "", "")
    if scheme is not None:
        for slot in scheme:
            c = ctx.colour(slot)
            if c is not None:
                colours[etree.QName(slot).localname] = c
    major = root.find(f".//{A}majorFont/{A}latin")
    minor = root.find(f".//{A}minorFont/{A}latin")
    return colours, (major.get("typeface") if major is not None else "Calibri"), (minor.get("typeface") if minor is not None else "Calibri")


def _clr_map(master) -> dict[str, str]:
    el = master.find(f"{P}clrMap")
    return dict(el.attrib) if el is not None else {}


def _background(tree, ctx: _Ctx) -> Colour | None:
    bg = tree.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    pr = bg.find(f"{P}bgPr")
    if pr is not None:
        return ctx.colour(pr.find(f"{A}solidFill"))
    ref = bg.find(f"{P}bgRef")
    if ref is not None and ref.get("idx", "0") in ("1001", "0", "1", "2"):  # a plain fill from the theme's list
        return ctx.colour(ref)
    return None


def _master_frames(master) -> dict[str, Frame]:
    """The frames of a master's own title and body placeholders."""
    out: dict[str, Frame] = {}
    for sp in _placeholders(master):
        t, _ = _ph(sp)
        key = "title" if t in TITLE_TYPES else ("body" if t in ("body", "obj") else t)
        frame = _xfrm(sp)
        if frame is not None:
            out.setdefault(key, frame)
    return out


def _masters_own_frames(layouts: list[LayoutInfo], masters: list[dict[str, Frame]]) -> list[LayoutInfo]:
    """Layouts whose title/body frames are the same under every master while the masters' own frames differ were not
    drawn for their master (LibreOffice writes one set of layout frames for all its master pages): their title and
    body take the frames of their own master, where that master's design puts them."""
    from dataclasses import replace

    groups: dict[str, list[LayoutInfo]] = {}
    for lay in layouts:
        groups.setdefault(lay.name, []).append(lay)
    out = []
    for lay in layouts:
        group = groups[lay.name]
        same = len({lay2.master for lay2 in group}) > 1 and len({tuple((b.type, b.frame) for b in g.content) for g in group}) == 1
        differ = len({tuple(sorted((k, f) for k, f in masters[g.master].items() if k in ("title", "body"))) for g in group}) > 1
        if not (same and differ):
            out.append(lay)
            continue
        own = masters[lay.master]
        boxes = []
        for b in lay.boxes:
            key = "title" if b.type in TITLE_TYPES else ("body" if b.type in ("body", "obj", "subTitle") else None)
            single = key == "body" and len(lay.of("body", "obj", "subTitle")) > 1
            boxes.append(replace(b, frame=own[key]) if key in own and not single else b)
        out.append(replace(lay, boxes=tuple(boxes)))
    return out


def _cells(part, fill) -> tuple[tuple[Colour, ...], ...]:
    """A picture fill (blipFill) as an 8 x 8 grid of its average colours."""
    if fill is None:
        return ()
    blip = fill.find(f"{A}blip")
    rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed") if blip is not None else None
    if not rid:
        return ()
    try:
        from PIL import Image

        with Image.open(io.BytesIO(part.related_part(rid).blob)) as im:
            rgba = im.convert("RGBA")  # transparent parts show a white slide
            flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            flat.alpha_composite(rgba)
            small = flat.convert("RGB").resize((8, 8), Image.Resampling.BOX)
            return tuple(tuple(Colour("%02X%02X%02X" % small.getpixel((x, y))) for x in range(8)) for y in range(8))
    except Exception:  # noqa: BLE001 — an unreadable picture is simply unknown ground
        return ()


def _background_paint(owner, full: Frame, ctx: _Ctx) -> Paint | None:
    """A picture or gradient background as a paint over the whole slide (a solid one is `background`)."""
    bg = owner._element.find(f"{P}cSld/{P}bg/{P}bgPr")
    if bg is None:
        return None
    fill = bg.find(f"{A}blipFill")
    if fill is None:
        fill = bg.find(f"{A}gradFill")
    if fill is None:
        return None
    cells = _cells_for(owner.part, fill, ctx)
    return Paint(full, None, cells)


def _cells_for(part, fill, ctx: _Ctx):
    if etree.QName(fill).localname == "gradFill":
        stops = [c for c in (ctx.colour(gs) for gs in fill.iter(f"{A}gs")) if c is not None]
        return (tuple(stops),) if stops else ()
    return _cells(part, fill)


def _decor(owner, ctx: _Ctx) -> tuple[Paint, ...]:
    """The master's or layout's own shapes (not placeholders) in drawing order: frame and what lies there (one colour,
    a picture's or gradient's colours, or unknown)."""
    out = []
    tree = owner._element
    tree_el = tree.find(f"{P}cSld/{P}spTree")
    if tree_el is None:
        return ()
    for el in tree_el:
        tag = etree.QName(el).localname
        if tag not in ("sp", "pic", "grpSp", "graphicFrame", "cxnSp"):
            continue
        if el.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None:
            continue
        pr = el.find(f"{P}spPr") if tag != "grpSp" else el.find(f"{P}grpSpPr")
        x = pr.find(f"{A}xfrm") if pr is not None else el.find(f"{P}xfrm")
        if x is None or x.find(f"{A}off") is None or x.find(f"{A}ext") is None:
            continue
        off, ext = x.find(f"{A}off"), x.find(f"{A}ext")
        frame = Frame(int(off.get("x")) / EMU, int(off.get("y")) / EMU, int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU)
        if tag == "sp" and pr is not None:
            if pr.find(f"{A}noFill") is not None and pr.find(f"{A}solidFill") is None:
                continue  # an outline or a text box without a fill hides nothing
            solid = pr.find(f"{A}solidFill")
            other = next((f for f in (pr.find(f"{A}gradFill"), pr.find(f"{A}blipFill")) if f is not None), None)
            if solid is None and other is None and pr.find(f"{A}pattFill") is None:
                continue  # no fill of its own (a line, or the theme's style: left out)
            if solid is not None:
                out.append(Paint(frame, ctx.colour(solid)))
            else:
                out.append(Paint(frame, None, _cells_for(owner.part, other, ctx) if other is not None else ()))
        elif tag == "pic":
            out.append(Paint(frame, None, _cells(owner.part, el.find(f"{P}blipFill"))))
        elif tag in ("grpSp", "graphicFrame"):
            out.append(Paint(frame))
    return tuple(out)


def _placeholders(tree):
    for sp in tree.iter(f"{P}sp"):
        ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        if ph is not None:
            yield sp


def _ph(sp) -> tuple[str, int]:
    ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
    return ph.get("type", "obj"), int(ph.get("idx", "0"))


def _master_sp(master, ph_type: str, idx: int):
    """The master placeholder a layout placeholder inherits from: same type (title for ctrTitle, body for others)."""
    want = "title" if ph_type in TITLE_TYPES else ("body" if ph_type in ("obj", "body", "subTitle") else ph_type)
    for sp in _placeholders(master):
        t, _ = _ph(sp)
        if t == want or (want == "body" and t == "obj"):
            return sp
    return None


def _xfrm(sp) -> Frame | None:
    x = sp.find(f"{P}spPr/{A}xfrm")
    if x is None:
        return None
    off, ext = x.find(f"{A}off"), x.find(f"{A}ext")
    if off is None or ext is None:
        return None
    return Frame(int(off.get("x")) / EMU, int(off.get("y")) / EMU, int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU)


def _box(sp, layout, master, ctx: _Ctx) -> Box:
    ph_type, idx = _ph(sp)
    msp = _master_sp(master, ph_type, idx)
    chain = [s for s in (sp, msp) if s is not None]
    frame = next((f for f in (_xfrm(s) for s in chain) if f is not None), Frame(0, 0, 0, 0))
    body_prs = [s.find(f"{P}txBody/{A}bodyPr") for s in chain]
    insets = []
    for i, (attr, default) in enumerate(zip(("lIns", "tIns", "rIns", "bIns"), _DEFAULT_INSETS)):
        v = next((bp.get(attr) for bp in body_prs if bp is not None and bp.get(attr) is not None), None)
        insets.append(Pt(int(v) / EMU) if v is not None else default)
    anchor = next((bp.get("anchor") for bp in body_prs if bp is not None and bp.get("anchor")), "t")
    autofit = "none"
    for bp in body_prs:
        if bp is None:
            continue
        if bp.find(f"{A}normAutofit") is not None:
            autofit = "shrink"
            break
        if bp.find(f"{A}spAutoFit") is not None:
            autofit = "grow"
            break
        if bp.find(f"{A}noAutofit") is not None:
            break
    styles = master.find(f"{P}txStyles")
    style = None
    if styles is not None:
        style = styles.find(f"{P}titleStyle") if ph_type in TITLE_TYPES else (
            styles.find(f"{P}bodyStyle") if ph_type in ("obj", "body", "subTitle") else styles.find(f"{P}otherStyle"))
    levels = []
    font = colour = None
    samples = _sample_levels(chain[1:])  # the master's sample text only: no client takes a layout's sample runs
    for lvl in (1, 2):  # deckgen sets points and sub-points: the first two levels
        tag = f"{A}lvl{lvl}pPr"
        sources = [s.find(f"{P}txBody/{A}lstStyle/{tag}") for s in chain] + ([style.find(tag)] if style is not None else [])
        sources = [s for s in sources if s is not None] + samples.get(lvl, [])

        def attr(name: str, sources=sources):
            return next((s.get(name) for s in sources if s.get(name) is not None), None)

        def rprs(sources=sources):
            for s in sources:
                for r in (s.find(f"{A}defRPr"), s if etree.QName(s).localname in ("rPr", "endParaRPr") else None):
                    if r is not None:
                        yield r

        def rpr(name: str):
            return next((r.get(name) for r in rprs() if r.get(name) is not None), None)

        def child(path: str, sources=sources):
            return next((c for c in (s.find(path) for s in sources) if c is not None), None)

        size = Pt(int(rpr("sz") or 1800) / 100)
        spacing = 1.0
        ln = child(f"{A}lnSpc")
        if ln is not None:
            pct, pts = ln.find(f"{A}spcPct"), ln.find(f"{A}spcPts")
            if pct is not None:
                spacing = int(pct.get("val")) / 100000
            elif pts is not None:
                spacing = int(pts.get("val")) / 100 / (size * 1.2)
        before = Pt(0)
        sb = child(f"{A}spcBef")
        if sb is not None:
            pct, pts = sb.find(f"{A}spcPct"), sb.find(f"{A}spcPts")
            if pts is not None:
                before = Pt(int(pts.get("val")) / 100)
            elif pct is not None:
                before = Pt(int(pct.get("val")) / 100000 * size * 1.2)
        levels.append(Level(size, Pt(int(attr("marL") or 0) / EMU), Pt(int(attr("indent") or 0) / EMU), before, spacing,
                            (rpr("b") or "0") in ("1", "true"), _bullet(sources)))
        if lvl == 1:
            latin = next((r.find(f"{A}latin") for r in rprs() if r.find(f"{A}latin") is not None), None)
            font = ctx.font(latin.get("typeface")) if latin is not None else None
            fill = next((r.find(f"{A}solidFill") for r in rprs() if r.find(f"{A}solidFill") is not None), None)
            colour = ctx.colour(fill)
    if font is None:
        font = ctx.major if ph_type in TITLE_TYPES else ctx.minor
    if colour is None:
        colour = ctx.colour(_scheme("tx1"))
    return Box(ph_type, idx, frame, tuple(insets), anchor, font, colour, tuple(levels), autofit)


def _bullet(sources) -> str:
    """The bullet a level shows: the first of buNone / buChar / buAutoNum its sources state ("" when none says)."""
    for src in sources:
        for el in src:
            tag = etree.QName(el).localname
            if tag == "buNone":
                return ""
            if tag == "buChar":
                return el.get("char", "•")
            if tag == "buAutoNum":
                return "1."
    return ""


def _sample_levels(chain) -> dict[int, list]:
    """Per level, the paragraph properties and run properties of the placeholders' own sample text (LibreOffice writes a
    template's text styles there rather than in lstStyle or the master's txStyles)."""
    out: dict[int, list] = {}
    for sp in chain:
        for p in sp.iterfind(f"{P}txBody/{A}p"):
            ppr = p.find(f"{A}pPr")
            lvl = int(ppr.get("lvl", "0")) + 1 if ppr is not None else 1
            found = out.setdefault(lvl, [])
            if ppr is not None:
                found.append(ppr)
            r = p.find(f"{A}r/{A}rPr")
            if r is None:
                r = p.find(f"{A}endParaRPr")
            if r is not None:
                found.append(r)
    return out


def _scheme(name: str):
    el = etree.Element(f"{A}solidFill")
    etree.SubElement(el, f"{A}schemeClr", val=name)
    return el
