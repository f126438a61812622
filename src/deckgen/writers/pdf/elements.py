"""The brief's images, boxes and comparisons as reportlab flowables (one builder per block, registered in story.py).

Images: PNG and JPEG embedded as they are; SVG drawn as vector graphics (svglib turns it into a reportlab Drawing).
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Image, TableStyle

from ...errors import RenderError
from ...layout import briefelements as be
from ...media import Picture
from .flow import Beside, Float, Kept, Stack, at_top, gap, table
from .flow import Para as Paragraph
from .tables import tag_rows
from .tags import Tagged, tag

if TYPE_CHECKING:
    from .story import _Story

PAD = 10.0  # inside a box
EDGE = 3.0  # the accent edge on a box's left side


def _embed_fonts(node, regular: str, bold: str) -> None:
    """Every text of an SVG drawing set in the brief's own (embedded) faces: a PDF/A file may not use the standard
    fonts svglib maps `sans-serif` and the like to."""
    from reportlab.graphics.shapes import Group, String

    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            child.fontName = bold if "bold" in (child.fontName or "").lower() else regular
        elif isinstance(child, Group):
            _embed_fonts(child, regular, bold)


def drawing(pic: Picture, width: float, height: float, faces=None) -> Flowable:
    """The picture as a flowable of exactly width × height points (an SVG's text in `faces`, the brief's fonts)."""
    if pic.kind != "svg":
        return Image(io.BytesIO(pic.data), width=width, height=height)
    import logging

    from svglib.svglib import svg2rlg

    logging.getLogger("svglib").setLevel(logging.ERROR)  # (it logs what it skips; the loader checked the file)
    d = svg2rlg(io.BytesIO(pic.data), resolve_entities=False)
    if d is None or not d.width or not d.height:
        raise RenderError(f"image '{pic.image_id}': the SVG cannot be drawn — export it as PNG")
    if faces is not None:
        _embed_fonts(d, faces.regular, faces.bold)
        d.initialFontName = faces.regular  # the renderer's starting font (Helvetica, never embedded, by default)
    d.scale(width / d.width, height / d.height)
    d.width, d.height = width, height
    return d


class Placed(Tagged, Flowable):
    """A flowable drawn `x` points in from the frame's left edge (the text column, or centred on the page); drawn as
    its structure node's content (a figure) where it has one."""

    def __init__(self, content: Flowable, x: float, width: float, height: float):
        super().__init__()
        self.content, self.x = content, x
        self.width, self.height = width, height

    def wrap(self, availWidth, availHeight):
        return availWidth, self.height

    def draw(self):
        self.content.drawOn(self.canv, self.x, 0)


def _picture(b: be.PictureFigure, s: _Story) -> None:
    st = s.st
    w, h = float(b.width), float(b.height)
    caption_text = f"<b>{s.c(b.label)}</b>" + (f"<br/>{s.c(b.title)}" if b.title else "")
    group = s.under().sub("Div")
    nodes = group.sub("Caption"), group.sub("Figure", alt=b.alt), group.sub("P")
    group.reserve(*nodes)  # read as caption, picture, credit
    if b.span == "column":
        art = tag(Placed(drawing(b.picture, w, h, s.faces), st.indent, w, h), nodes[1])
        rail = [tag(Paragraph(caption_text, st.caption), nodes[0])]
        rail += [tag(Paragraph(s.c(b.credit), st.source), nodes[2])] if b.credit else []
        s.add(Float(Beside(rail, [art], st.rail, top=10, bottom=12)))
        return
    full = float(s.plan.page.frame_width)
    art = tag(Placed(drawing(b.picture, w, h, s.faces), (full - w) / 2, w, h), nodes[1])
    under = ParagraphStyle("caption_under", parent=st.caption, spaceBefore=6)
    line = caption_text.replace("<br/>", " ", 1)
    parts: list[Flowable] = [art, tag(Paragraph(line, under), nodes[0])]
    if b.credit:
        parts.append(tag(Paragraph(s.c(b.credit), st.source), nodes[2]))
    s.add(Float(Stack(parts, space_after=12)))


class Panel(Flowable):
    """Flowables on a tinted panel with an accent edge, `x` in from the frame's left edge and `width` wide; kept
    together, split between its parts only when taller than what a page has room for."""

    def __init__(self, parts: list[Flowable], x: float, width: float, fill, edge, page: float, space: float = 8.0):
        super().__init__()
        self.parts, self.x, self.w, self.page = parts, x, width, page
        self.fill, self.edge, self.space = fill, edge, space

    def getSpaceBefore(self):
        return self.space

    def getSpaceAfter(self):
        return self.space

    def _inner(self, availWidth):
        return self.w - 2 * PAD - EDGE

    def wrap(self, availWidth, availHeight):
        inner = self._inner(availWidth)
        self.sizes = [p.wrap(inner, availHeight) for p in self.parts]
        gaps = sum(gap(a, b) for a, b in zip(self.parts, self.parts[1:]))
        self.width, self.height = availWidth, sum(h for _, h in self.sizes) + gaps + 2 * PAD
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if len(self.parts) < 2:
            return []
        self.wrap(availWidth, availHeight)
        if not at_top(self) and self.height <= 0.6 * self.page:
            return []  # a box that fits a page goes whole to the next one
        used, k = 2 * PAD, 0
        for i, (part, (_, h)) in enumerate(zip(self.parts, self.sizes)):
            need = h + (gap(self.parts[i - 1], part) if i else 0)
            if used + need > availHeight:
                break
            used += need
            k = i + 1
        if k < 2 or k == len(self.parts):  # the title never stands alone: it keeps with the next part
            if not at_top(self):
                return []
            k = min(max(k, 2), len(self.parts) - 1) if len(self.parts) > 2 else 1
        return [Panel(self.parts[:k], self.x, self.w, self.fill, self.edge, self.page),
                Panel(self.parts[k:], self.x, self.w, self.fill, self.edge, self.page)]

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.saveState()
        canvas.setFillColor(self.fill)
        canvas.rect(x + self.x, y, self.w, self.height, stroke=0, fill=1)
        canvas.setFillColor(self.edge)
        canvas.rect(x + self.x, y, EDGE, self.height, stroke=0, fill=1)
        canvas.restoreState()
        top = y + self.height - PAD
        for i, (part, (_, h)) in enumerate(zip(self.parts, self.sizes)):
            if i:
                top -= gap(self.parts[i - 1], part)
            part.drawOn(canvas, x + self.x + EDGE + PAD, top - h)
            top -= h


def _styles(s: _Story) -> dict[str, ParagraphStyle]:
    st = s.st
    base = dict(leftIndent=0, bulletIndent=0, firstLineIndent=0)
    return {
        "title": ParagraphStyle("box_title", parent=st.body, fontName=s.faces.bold, textColor=st.primary, alignment=TA_LEFT,
                                spaceBefore=0, spaceAfter=3, hyphenationLang="", **base),
        "text": ParagraphStyle("box_text", parent=st.body, spaceBefore=2, spaceAfter=3, **base),
        "item": ParagraphStyle("box_item", parent=st.item, leftIndent=12, bulletIndent=1, spaceBefore=1, spaceAfter=2),
        "col_title": ParagraphStyle("col_title", parent=st.body, fontName=s.faces.bold, textColor=st.primary,
                                    alignment=TA_LEFT, spaceBefore=0, spaceAfter=0, hyphenationLang="", **base),
        "col_text": ParagraphStyle("col_text", parent=st.body, alignment=TA_LEFT, spaceBefore=0, spaceAfter=0, **base),
        "col_item": ParagraphStyle("col_item", parent=st.item, alignment=TA_LEFT, leftIndent=11, bulletIndent=1,
                                   spaceBefore=0, spaceAfter=0),
    }


def _callout(b: be.Callout, s: _Story) -> None:
    st = s.st
    sty = _styles(s)
    aside = s.under().sub("Aside")
    parts: list[Flowable] = [s.tag(Paragraph(s.m(b.title), sty["title"]), "P", aside)]
    if b.text:
        parts.append(s.tag(Paragraph(s.m(b.text), sty["text"]), "P", aside))
    if b.items:
        s.lists = [[1, aside.sub("L"), aside]]  # the box's own list (the story resets it at the next block)
    parts += [s.item(Paragraph(s.m(item), sty["item"], bulletText="\u2022"), 1) for item in b.items]
    s.add(Panel(parts, st.indent, st.measure, st.light, st.rule_colour, float(s.plan.page.frame_height)))


def _comparison(b: be.Comparison, s: _Story) -> None:
    st = s.st
    sty = _styles(s)
    n = len(b.columns)
    width = float(s.plan.page.frame_width)
    rows: list[list] = [[Paragraph(s.m(c.title), sty["col_title"]) for c in b.columns]]
    if any(c.text for c in b.columns):
        rows.append([Paragraph(s.m(c.text), sty["col_text"]) if c.text else "" for c in b.columns])
    for i in range(max(len(c.items) for c in b.columns)):
        rows.append([Paragraph(s.m(c.items[i]), sty["col_item"], bulletText="\u2022") if i < len(c.items) else ""
                     for c in b.columns])
    tag_rows(s.under().sub("Table"), rows, header_rows=1)
    grid = table(rows, s.faces.regular, colWidths=[width / n] * n, repeatRows=1, hAlign="LEFT", spaceBefore=10,
                 spaceAfter=10)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
             ("BACKGROUND", (0, 0), (-1, 0), st.light),
             ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
             ("LINEBELOW", (0, 0), (-1, 0), 1.5, st.rule_colour),
             ("TOPPADDING", (0, 1), (-1, 1), 7)]
    style += [("LINEAFTER", (i, 0), (i, -1), 0.5, st.light) for i in range(n - 1)]
    grid.setStyle(TableStyle(style))
    s.add(Kept(grid, float(s.plan.page.frame_height)))


ELEMENT_BUILDERS = {
    be.PictureFigure: _picture,
    be.Callout: _callout,
    be.Comparison: _comparison,
}
