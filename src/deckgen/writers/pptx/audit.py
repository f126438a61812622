"""Read any .pptx as accessibility facts (deckgen.access): per slide its title and visible shapes in shape order, with
frames, alt text, and text runs with the size, colour and ground they are shown with (inheritance resolved)."""
from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from pptx import Presentation

from ...access import Box, ShapeFacts, SlideFacts, TextFacts
from ...errors import DeckgenError
from ...layout.slides import Frame
from ...template import LayoutInfo
from ...units import Colour
from .reader import _Ctx, _clr_map, _theme, read_presentation

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
HLINK_TX = "{http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor}hlinkClr"
EMU = 12700.0
TITLE_TYPES = ("title", "ctrTitle")
BODY_TYPES = ("body", "obj", "subTitle")
FURNITURE = ("dt", "ftr", "sldNum", "hdr")
BANNER = "Classification banner"  # deckgen's banners (writers/pptx/shapes.add_banners): marking, not content
WHITE = Colour("FFFFFF")
UNKNOWN = None  # a ground nobody can tell (a picture, a pattern, a table style)


def audit_deck(deck: bytes | str | Path, name: str = "deck") -> list[SlideFacts]:
    """The facts of every slide of a deck (bytes or a path); raises DeckgenError when it is no presentation."""
    try:
        data = deck if isinstance(deck, bytes) else Path(deck).read_bytes()
        prs = Presentation(io.BytesIO(data))
    except OSError as exc:
        raise DeckgenError(f"{name}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise DeckgenError(f"{name}: cannot be opened as a presentation ({type(exc).__name__}) — is it a .pptx file?") from None
    try:
        layouts = read_presentation(prs).layouts
    except Exception:  # noqa: BLE001 — a template deckgen cannot read: grounds behind text stay unknown
        layouts = ()
    index = {id(lay._element): i for i, lay in enumerate(lay for m in prs.slide_masters for lay in m.slide_layouts)}
    default_style = prs.part._element.find(f"{P}defaultTextStyle")
    out = []
    for number, slide in enumerate(prs.slides, 1):
        i = index.get(id(slide.slide_layout._element))
        info = layouts[i] if i is not None and i < len(layouts) else None
        out.append(_Slide(slide, info, default_style).facts(number))
    return out


class _Slide:
    """One slide's reading: its layout and master (for inherited frames, text styles, fills) and colour context."""

    def __init__(self, slide, info: LayoutInfo | None, default_style) -> None:
        self.slide, self.info, self.default_style = slide, info, default_style
        self.layout = slide.slide_layout
        self.master = self.layout.slide_master
        colours, major, minor = _theme(self.master)
        self.ctx = _Ctx(colours, _clr_map(self.master._element), major, minor)
        self.styles = self.master._element.find(f"{P}txStyles")
        self.painted: list[tuple[Box, tuple[Colour, ...] | None]] = []  # the slide's shapes drawn so far: what each covers

    def facts(self, number: int) -> SlideFacts:
        title = None
        shapes = []
        tree = self.slide._element.find(f"{P}cSld/{P}spTree")
        for pos, el in enumerate((e for e in tree if etree.QName(e).localname in _KINDS), 1):
            if _hidden(el):
                continue
            ph = _ph(el)
            if title is None and ph is not None and ph[0] in TITLE_TYPES:
                title = _plain(el)
            shapes.append(self.shape(el, pos, None))
        return SlideFacts(number, title, tuple(shapes))

    # shapes -----------------------------------------------------------------------------------------------------

    def shape(self, el, pos: int, group: tuple | None) -> ShapeFacts:
        tag = etree.QName(el).localname
        nv = el.find(f"./*/{P}cNvPr")
        name = nv.get("name", "") if nv is not None else ""
        alt = (nv.get("descr") or nv.get("title") or "") if nv is not None else ""
        decorative = nv is not None and any(d.get("val") in ("1", "true") for d in nv.iter(DECORATIVE))
        ph = _ph(el)
        box = self.box(el, ph, group)
        if tag == "grpSp":
            members = tuple(self.shape(c, pos, self.group_map(el, group)) for c in el
                            if etree.QName(c).localname in _KINDS and not _hidden(c))
            texts = tuple(t for m in members for t in m.texts)
            role = "content" if any(m.role == "content" for m in members) else "decoration"
            return ShapeFacts(pos, name, "group", role, box, alt, decorative, texts, (), any(m.rtl for m in members), members)
        kind, sizes, texts = "other", (), ()
        if tag == "pic":
            kind = "picture"
            self.painted.append((box, UNKNOWN))
        elif tag == "graphicFrame":
            uri = el.find(f"{A}graphic/{A}graphicData")
            uri = uri.get("uri", "") if uri is not None else ""
            if uri.endswith("/chart"):
                kind, sizes = "chart", self.chart_sizes(el)
            elif uri.endswith("/table"):
                kind, texts = "table", self.table_texts(el, box)
            self.painted.append((box, UNKNOWN))
        elif tag == "sp":
            own = self.own_fill(el, ph)
            grounds = own if own != () else self.grounds(box)
            texts = self.texts(el, ph, grounds)
            kind = "text" if any(t.text.strip() for t in texts) else "other"
            if own != ():
                self.painted.append((box, own))
        if ph is not None and ph[0] in TITLE_TYPES:
            role = "title"
        elif ph is not None and ph[0] in FURNITURE:
            role = "furniture"
        elif name.startswith(BANNER):
            role = "banner"
        elif kind == "other":
            role = "decoration"
        else:
            role = "content"
        rtl = any(p.get("rtl") in ("1", "true") for p in el.iter(f"{A}pPr"))
        return ShapeFacts(pos, name, kind, role, box, alt, decorative, tuple(texts), tuple(sizes), rtl)

    def box(self, el, ph, group) -> Box:
        """The shape's frame in pt: its own, else its placeholder's on the layout, else on the master."""
        xfrm = el.find(f"{P}spPr/{A}xfrm") if etree.QName(el).localname != "grpSp" else el.find(f"{P}grpSpPr/{A}xfrm")
        if xfrm is None:
            xfrm = el.find(f"{P}xfrm")
        if xfrm is None and ph is not None:
            for owner in (self.layout_ph(ph), self.master_ph(ph)):
                if owner is not None and owner.find(f"{P}spPr/{A}xfrm") is not None:
                    xfrm = owner.find(f"{P}spPr/{A}xfrm")
                    break
        x = y = w = h = 0.0
        if xfrm is not None and xfrm.find(f"{A}off") is not None and xfrm.find(f"{A}ext") is not None:
            off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
            x, y = int(off.get("x", "0")) / EMU, int(off.get("y", "0")) / EMU
            w, h = int(ext.get("cx", "0")) / EMU, int(ext.get("cy", "0")) / EMU
        if group is not None:  # a group's member: from the group's own coordinates to the slide's
            (ox, oy, sx, sy, cx, cy) = group
            x, y, w, h = ox + (x - cx) * sx, oy + (y - cy) * sy, w * sx, h * sy
        return Box(x, y, w, h)

    def group_map(self, el, outer) -> tuple:
        xfrm = el.find(f"{P}grpSpPr/{A}xfrm")
        if xfrm is None:
            return outer or (0.0, 0.0, 1.0, 1.0, 0.0, 0.0)
        box = self.box(el, None, outer)

        def pair(tag: str, a: str, b: str) -> tuple[float, float]:
            e = xfrm.find(f"{A}{tag}")
            return (int(e.get(a, "0")) / EMU, int(e.get(b, "0")) / EMU) if e is not None else (0.0, 0.0)

        cx, cy = pair("chOff", "x", "y")
        cw, chh = pair("chExt", "cx", "cy")
        sx = box.w / cw if cw else 1.0
        sy = box.h / chh if chh else 1.0
        return (box.x, box.y, sx, sy, cx, cy)

    def layout_ph(self, ph):
        return _find_ph(self.layout._element, ph, by_idx=True)

    def master_ph(self, ph):
        return _find_ph(self.master._element, ph, by_idx=False)

    # fills and grounds ------------------------------------------------------------------------------------------

    def own_fill(self, el, ph) -> tuple[Colour, ...] | None | tuple[()]:
        """The colours of a shape's own fill; () when it has none (transparent); None when unknown (a picture)."""
        chain = [el] + ([o for o in (self.layout_ph(ph), self.master_ph(ph)) if o is not None] if ph is not None else [])
        for owner in chain:
            pr = owner.find(f"{P}spPr")
            found = _fill(pr, self.ctx) if pr is not None else False
            if found is not False:
                return found
        style = el.find(f"{P}style/{A}fillRef")
        if style is not None and style.get("idx", "0") not in ("0", "1000") and ph is None:
            c = self.ctx.colour(style)
            return (c,) if c is not None else UNKNOWN
        return ()

    def grounds(self, box: Box) -> tuple[Colour, ...] | None:
        """Every colour that may lie behind `box`: the slide's background (its own, else the layout's and master's
        with their shapes), then the slide's shapes drawn before it over part of it (one over all of it hides the rest)."""
        own_bg = self.slide._element.find(f"{P}cSld/{P}bg")
        if own_bg is not None:
            found = _bg(own_bg, self.ctx)
        elif self.info is not None:
            found = self.info.grounds(Frame(box.x, box.y, max(box.w, 0.01), max(box.h, 0.01)))
        else:
            found = UNKNOWN
        found = list(found) if found is not None else None
        zone = Box(box.x, box.y, box.w, box.h * 0.9)
        for painted, colours in self.painted:
            if not _overlap(painted, zone):
                continue
            if colours is None:
                return UNKNOWN
            covers = painted.x <= box.x + 0.5 and painted.y <= box.y + 0.5 and painted.right >= box.right - 0.5 and painted.bottom >= box.bottom - 0.5
            if covers:
                found = list(colours)
            elif found is not None:
                found += list(colours)
        return tuple(dict.fromkeys(found)) if found else UNKNOWN

    # text -------------------------------------------------------------------------------------------------------

    def texts(self, el, ph, grounds, body=None) -> list[TextFacts]:
        """The runs of a shape's text body (or of `body`, a table cell's) with their effective size, colour, ground."""
        body = el.find(f"{P}txBody") if body is None else body
        if body is None:
            return []
        scale = 1.0
        fit = body.find(f"{A}bodyPr/{A}normAutofit")
        if fit is not None and fit.get("fontScale"):
            scale = int(fit.get("fontScale")) / 100000
        chain = [body]
        if ph is not None:
            chain += [o.find(f"{P}txBody") for o in (self.layout_ph(ph), self.master_ph(ph)) if o is not None]
        chain = [c for c in chain if c is not None]
        style = None
        if ph is not None and self.styles is not None:
            style = self.styles.find(f"{P}titleStyle" if ph[0] in TITLE_TYPES else (
                f"{P}bodyStyle" if ph[0] in BODY_TYPES else f"{P}otherStyle"))
        font_ref = el.find(f"{P}style/{A}fontRef") if el is not None else None
        out = []
        for p in body.iterfind(f"{A}p"):
            ppr = p.find(f"{A}pPr")
            lvl = int(ppr.get("lvl", "0")) + 1 if ppr is not None else 1
            tag = f"{A}lvl{lvl}pPr"
            levels = [c.find(f"{A}lstStyle/{tag}") for c in chain]
            if style is not None:
                levels.append(style.find(tag))
            elif ph is None and self.default_style is not None:
                levels.append(self.default_style.find(tag))
            bases = ([ppr.find(f"{A}defRPr")] if ppr is not None else []) + [lv.find(f"{A}defRPr") for lv in levels if lv is not None]
            bases = [b for b in bases if b is not None]
            for r in p:
                if etree.QName(r).localname not in ("r", "fld"):
                    continue
                t = r.find(f"{A}t")
                text = t.text if t is not None and t.text else ""
                if not text.strip():
                    continue
                rpr = r.find(f"{A}rPr")
                props = ([rpr] if rpr is not None else []) + bases
                sz = next((int(x.get("sz")) for x in props if x.get("sz")), 1800)
                bold = next((x.get("b") for x in props if x.get("b") is not None), "0") in ("1", "true")
                link, colour = None, None
                click = rpr.find(f"{A}hlinkClick") if rpr is not None else None
                if click is not None:
                    link = self.target(click)
                    if not any(True for _ in click.iter(HLINK_TX)):  # PowerPoint shows links in the theme's link colour
                        colour = self.ctx.colour(_scheme("hlink"))
                if colour is None:
                    fill = next((x.find(f"{A}solidFill") for x in props if x.find(f"{A}solidFill") is not None), None)
                    if fill is not None:
                        colour = self.ctx.colour(fill)
                    elif font_ref is not None and len(font_ref):
                        colour = self.ctx.colour(font_ref)
                    elif next((x for x in props if x.find(f"{A}gradFill") is not None or x.find(f"{A}noFill") is not None), None) is None:
                        colour = self.ctx.colour(_scheme("tx1"))
                out.append(TextFacts(text, sz / 100 * scale, bold, colour, grounds, link))
        return out

    def target(self, click) -> str:
        """A link's target: the address, or '#slide N' / '#action' for a jump inside the deck."""
        rid = click.get(f"{R}id")
        action = click.get("action") or ""
        if rid and rid in self.slide.part.rels:
            rel = self.slide.part.rels[rid]
            if rel.is_external:
                return rel.target_ref
            try:
                slides = list(self.slide.part.package.presentation_part.presentation.slides)
                n = next(i for i, s in enumerate(slides, 1) if s.part is rel.target_part)
                return f"#slide {n}"
            except (StopIteration, AttributeError, KeyError):
                return "#" + action
        return "#" + action

    def table_texts(self, el, box: Box) -> list[TextFacts]:
        """A table's cell text: on the cell's own fill when it states one, else on what lies behind the table when the
        table states no style, else on an unknown ground (its table style's)."""
        tbl = el.find(f"{A}graphic/{A}graphicData/{A}tbl")
        if tbl is None:
            return []
        styled = tbl.find(f"{A}tblPr/{A}tableStyleId") is not None or tbl.find(f"{A}tblPr/{A}tableStyle") is not None
        behind = UNKNOWN if styled else self.grounds(box)
        out = []
        for tc in tbl.iter(f"{A}tc"):
            pr = tc.find(f"{A}tcPr")
            fill = _fill(pr, self.ctx) if pr is not None else False
            grounds = behind if fill is False or fill == () else fill
            out += self.texts(None, None, grounds, tc.find(f"{A}txBody"))
        return out

    def chart_sizes(self, el) -> list[float]:
        """The text sizes a chart states (its title, axes, labels, legend), in pt."""
        chart = el.find(f"{A}graphic/{A}graphicData/{C}chart")
        rid = chart.get(f"{R}id") if chart is not None else None
        if not rid or rid not in self.slide.part.rels:
            return []
        try:
            root = etree.fromstring(self.slide.part.related_part(rid).blob)
        except (etree.XMLSyntaxError, KeyError, AttributeError):
            return []
        out = []
        for tag in ("defRPr", "rPr"):
            for r in root.iter(f"{A}{tag}"):
                if r.get("sz"):
                    out.append(int(r.get("sz")) / 100)
        return sorted(set(out))


_KINDS = ("sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")


def _hidden(el) -> bool:
    nv = el.find(f"./*/{P}cNvPr")
    return nv is not None and nv.get("hidden") in ("1", "true")


def _ph(el) -> tuple[str, str] | None:
    ph = el.find(f"./*/{P}nvPr/{P}ph")
    return (ph.get("type", "obj"), ph.get("idx", "0")) if ph is not None else None


def _find_ph(tree, ph: tuple[str, str], by_idx: bool):
    """The placeholder of a layout (`by_idx`: the same idx, else the same type) or of a master (the same type; body
    for any content placeholder) that `ph` inherits from."""
    kind, idx = ph
    found = [(o, sp) for sp in tree.iter(f"{P}sp") if (o := _ph(sp)) is not None]
    if by_idx and kind not in TITLE_TYPES and idx != "0":
        hit = next((sp for o, sp in found if o[1] == idx), None)
        if hit is not None:
            return hit
    if kind in TITLE_TYPES:
        want = TITLE_TYPES if by_idx else ("title",)
    elif kind in BODY_TYPES and not by_idx:
        want = ("body", "obj")
    else:
        want = (kind,)
    return next((sp for o, sp in found if o[0] in want), None)


def _plain(el) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{A}t")) for p in el.iter(f"{A}p")).strip()


def _fill(pr, ctx: _Ctx):
    """What a shape's or cell's properties fill with: colours; () for noFill; None unknown; False when not stated."""
    for child in pr:
        tag = etree.QName(child).localname
        if tag == "noFill":
            return ()
        if tag == "solidFill":
            c = ctx.colour(child)
            return (c,) if c is not None else UNKNOWN
        if tag == "gradFill":
            stops = tuple(c for c in (ctx.colour(gs) for gs in child.iter(f"{A}gs")) if c is not None)
            return stops or UNKNOWN
        if tag in ("blipFill", "pattFill", "grpFill"):
            return UNKNOWN
    return False


def _bg(bg, ctx: _Ctx) -> tuple[Colour, ...] | None:
    pr = bg.find(f"{P}bgPr")
    if pr is not None:
        found = _fill(pr, ctx)
        return found if found not in (False, ()) else (WHITE,)
    ref = bg.find(f"{P}bgRef")
    if ref is not None and ref.get("idx", "0") in ("1001", "0", "1", "2"):
        c = ctx.colour(ref)
        return (c,) if c is not None else UNKNOWN
    return UNKNOWN


def _overlap(a: Box, b: Box) -> bool:
    return min(a.right, b.right) - max(a.x, b.x) > 0.5 and min(a.bottom, b.bottom) - max(a.y, b.y) > 0.5


def _scheme(name: str):
    el = etree.Element(f"{A}solidFill")
    etree.SubElement(el, f"{A}schemeClr", val=name)
    return el


__all__ = ["audit_deck"]
