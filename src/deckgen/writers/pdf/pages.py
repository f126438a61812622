"""Typeset the brief's story onto pages with reportlab: the page template, the footer, "N / M" page numbers."""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from ...errors import RenderError
from ...layout import brief as bp
from ...scripts import visual
from .faces import NOTE_CB, Faces, fit
from .flow import Float, FlushFloats, Slot
from .story import SEP, Styles
from .tags import Marker


@dataclass
class Typeset:
    """reportlab's PDF, its page count and where each figure's box landed."""

    pdf: bytes
    pages: int
    slots: list[Slot]
    marker: Marker | None = None  # the structure the pages were drawn with and its marked content (tags.py)


class _Doc(BaseDocTemplate):
    """A document template that remembers how many pages it made and lets figures float: a `Float` that does not fit
    in what is left of the page waits (with any after it) for the next page's top while the text flows on."""

    def __init__(self, buf, **kw):
        super().__init__(buf, **kw)
        self.page_count = 0
        self.waiting: list[Float] = []

    def filterFlowables(self, flowables):
        frame = getattr(self, "frame", None)
        if not flowables or frame is None:
            return
        first = flowables[0]
        barrier = isinstance(first, FlushFloats) or isinstance(first, Float) and first.anchored
        if self.waiting and (frame._atTop or barrier):
            if barrier:
                for f in self.waiting:
                    f.final = True
            elif hasattr(first, "_postponed"):  # it was moved to this page, and now follows the figures: no error
                del first._postponed
            flowables[0:0], self.waiting = self.waiting, []
            return
        if isinstance(first, Float) and not (first.final or first.anchored or frame._atTop):
            room = frame._y - frame._y1p - first.getSpaceBefore()
            if self.waiting or first.wrap(frame._getAvailableWidth(), room)[1] > room + 1e-6:
                self.waiting.append(first)
                flowables[0] = None  # handle_flowable drops it

    def afterFlowable(self, flowable):
        notes = getattr(self, "notes", None)
        if notes is not None:
            notes.placed(self.frame, flowable)

    def afterPage(self):
        self.page_count = self.canv.getPageNumber()


class _NumberingCanvas(Canvas):
    """A canvas whose pages show "N / M" through one small form per page, filled in when the total is known.

    One typesetting pass instead of two: each footer draws form `PageNoN`; at save, every form gets its text.
    The document template opens it with the theme's font (`initialFontName`), so no page starts in Helvetica.
    """

    def __init__(self, *args, draw_number, marker: Marker | None = None, **kw):
        super().__init__(*args, **kw)
        self.draw_number = draw_number  # draw_number(canvas, number, total) draws the right-aligned text
        self.marker = marker  # the structure's marked content (tags.py), None for an untagged brief

    def drawText(self, aTextObject):
        if self.marker is None:
            return super().drawText(aTextObject)
        self.marker.text_drawn(self, lambda: super(_NumberingCanvas, self).drawText(aTextObject))

    def linkURL(self, url, rect, *args, **kw):
        if self.marker is not None:
            self.marker.link(self, url)
        return super().linkURL(url, rect, *args, **kw)

    def linkRect(self, contents, destinationname, *args, **kw):
        if self.marker is not None:
            self.marker.link(self, "#" + destinationname)
        return super().linkRect(contents, destinationname, *args, **kw)

    def save(self):
        total = self.getPageNumber() - 1  # the page after the last showPage
        for n in range(1, total + 1):
            self.beginForm(f"PageNo{n}")
            self.draw_number(self, n, total)
            self.endForm()
        super().save()


CAP_HEIGHT = 0.64  # em: the height of the (upper-case) banner label, to centre it on its band


def draw_banners(canvas, banner, page_height: float, faces: Faces) -> None:
    """The classification banners at the page's top and bottom: a band of the level's colour, the label centred in bold."""
    size = float(banner.size)
    pieces = faces.runs(visual(banner.label), faces.bold)  # as the footer: Arabic joined, right-to-left in visual order
    width = sum(pdfmetrics.stringWidth(piece, font or faces.bold, size) for font, piece in pieces)
    canvas.saveState()
    for frame in (banner.top, banner.bottom):
        x, w, h = float(frame.x), float(frame.w), float(frame.h)
        y = page_height - float(frame.y) - h  # plans measure from the top, PDF from the bottom
        canvas.setFillColor(HexColor("#" + banner.fill))
        canvas.rect(x, y, w, h, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#" + banner.ink))
        left, base = x + (w - width) / 2, y + (h - size * CAP_HEIGHT) / 2
        for font, piece in pieces:
            canvas.setFont(font or faces.bold, size)
            canvas.drawString(left, base, piece)
            left += pdfmetrics.stringWidth(piece, font or faces.bold, size)
    canvas.restoreState()


def typeset(plan: bp.BriefPlan, st: Styles, faces: Faces, story: list[Flowable], slots: list[Slot], notes=None) -> Typeset:
    """Lay `story` out on the plan's pages, each with its footer; `slots` fills as figures land; `notes` (notes.FootNotes)
    shrinks each page's frame by the room its footnotes take and draws them at its foot."""
    page = plan.page
    width, height = float(page.width), float(page.height)
    left, right, footer_y = float(page.left), float(page.right), float(page.footer_y)
    info = plan.info
    buf = io.BytesIO()
    doc = _Doc(
        buf,
        pagesize=(width, height),
        leftMargin=left,
        rightMargin=right,
        topMargin=float(page.top),
        bottomMargin=float(page.bottom),
        title=info.title,
        author=", ".join(info.authors),
        subject=info.subject,
        keywords=list(info.keywords),
        creator="deckgen",
        producer="deckgen",
        lang=info.language,
        invariant=1,
        initialFontName=faces.regular,
        initialFontSize=float(plan.body_size),
        pageCompression=0,  # raw: finish.py's pikepdf save compresses every stream (reportlab's zlib + ASCII85 was work thrown away)
    )
    frame = Frame(left, float(page.bottom), float(page.frame_width), float(page.frame_height), 0, 0, 0, 0, id="body")
    left_text = SEP.join(p for p in (info.series, info.classification) if p) or info.title
    left_text = visual(left_text)  # one line, drawn piece by piece: Arabic joined, right-to-left runs in visual order

    def on_page(canvas, _doc):
        if marker is not None:
            marker.begin_page(canvas)
        if notes is not None:  # the footnotes take their room at the foot of the page as their markers are drawn
            canvas.setNamedCB(NOTE_CB, notes.on_draw)
            notes.begin(canvas.getPageNumber(), frame)

    def footer(canvas, _doc):
        if notes is not None:
            notes.draw(canvas, canvas.getPageNumber())
        if plan.banner is not None:
            draw_banners(canvas, plan.banner, height, faces)
        canvas.saveState()
        canvas.setStrokeColor(st.footer_colour)
        canvas.setLineWidth(0.4)
        canvas.line(left, footer_y + 11, width - right, footer_y + 11)
        canvas.setFillColor(st.footer_colour)
        canvas.setFont(st.footer_font, st.footer_size)
        reserve = info.page_label.format(page=canvas.getPageNumber(), pages=canvas.getPageNumber() * 10)  # room for a total one digit longer
        avail = float(page.frame_width) - pdfmetrics.stringWidth(reserve, st.footer_font, st.footer_size) - 24
        x = left
        for font, piece in faces.runs(fit(left_text, st.footer_font, st.footer_size, avail), st.footer_font):
            canvas.setFont(font, st.footer_size)
            canvas.drawString(x, footer_y, piece)
            x += pdfmetrics.stringWidth(piece, font, st.footer_size)
        canvas.restoreState()
        canvas.doForm(f"PageNo{canvas.getPageNumber()}")
        if marker is not None:
            marker.end_page(canvas)

    def draw_number(canvas, number: int, total: int):
        canvas.setFillColor(st.footer_colour)
        canvas.setFont(st.footer_font, st.footer_size)
        canvas.drawRightString(width - right, footer_y, info.page_label.format(page=number, pages=total))

    root = getattr(story, "root", None)
    marker = Marker(root) if root is not None else None
    doc.notes = notes
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page, onPageEnd=footer)])
    try:
        doc.build([*story, FlushFloats()], canvasmaker=partial(_NumberingCanvas, draw_number=draw_number, marker=marker))
    except Exception as exc:  # reportlab's LayoutError and friends
        raise RenderError(f"cannot lay out the brief: {exc}") from exc
    return Typeset(buf.getvalue(), doc.page_count, slots, marker)
