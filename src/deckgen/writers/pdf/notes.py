"""Footnotes at the foot of the page where their marker lands (`brief: {notes: foot}`), in the text column above the
footer under a short rule, in the theme's note type.

Each marker tells the canvas (an `onDraw` callback) that it is being drawn; the page's text frame then ends higher by
the room the page's notes take, so what follows on the page stops above them. Only the paragraph that holds the
marker was placed before it knew: where it reaches into the notes' room, the page is marked, and the brief is set
again with that page's room kept from its top (a few passes at most; the room only grows, so it settles). Same plan,
same passes, same bytes.
"""
from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from ...layout import brief as bp
from ...layout.notes import cited
from .faces import Faces, attr, markup
from .flow import Para as Paragraph
from .tags import tag

RULE_W = 60.0  # the short rule over the notes
ABOVE = 9.0  # between the text frame's bottom and the rule
BELOW = 4.0  # between the rule and the first note
GAP = 1.5  # between two notes
MAX_SHARE = 0.5  # the notes take at most this share of a page's text frame
PASSES = 8
FUZZ = 0.5


def foot_notes(plan: bp.BriefPlan) -> dict[int, tuple]:
    """The notes to set at the foot of pages: number -> runs ({} when there are none or they are endnotes)."""
    if any(isinstance(b, bp.Notes) for b in plan.blocks):
        return {}
    return {n.number: n.body for n in cited(plan.blocks)}


class FootNotes:
    """One typesetting pass's footnotes: the room kept on each page from its top (`floor`, from earlier passes), the
    markers seen on each page, the frame raised as they are drawn, the pages where text reached into the notes."""

    def __init__(self, bodies: dict[int, tuple], style: ParagraphStyle, faces: Faces, link_colour: str,
                 x: float, width: float, bottom: float, frame_height: float, floor: dict[int, float], rule: Color):
        self.bodies, self.style, self.faces, self.link_colour = bodies, style, faces, link_colour
        self.x, self.width, self.bottom, self.frame_height, self.rule = x, width, bottom, frame_height, rule
        self.most = frame_height * MAX_SHARE
        self.floor = floor
        self.seen: dict[int, list[int]] = {}  # page -> note numbers, in the order their markers are drawn
        self.anchored: set[int] = set()  # notes whose link target is set (the first page that prints them)
        self.overlaps: set[int] = set()  # pages where text was drawn in the room the notes then took
        self.page, self.frame, self.raised = 0, None, 0.0
        self.where: dict = {}  # note number -> the structure node its marker was drawn in (tags.py)
        self.tagged: set[int] = set()

    def begin(self, page: int, frame) -> None:
        """A new page: its frame ends above the room kept for it."""
        self.page, self.frame = page, frame
        self._set(min(self.floor.get(page, 0.0), self.most))

    def _set(self, room: float) -> None:
        self.raised = room
        self.frame._y1, self.frame._height = self.bottom + room, self.frame_height - room
        self.frame._geom()

    def on_draw(self, canvas, _kind, label) -> None:
        page = canvas.getPageNumber()
        numbers = self.seen.setdefault(page, [])
        n = int(label)
        marker = getattr(canvas, "marker", None)
        if marker is not None and n not in self.where:
            self.where[n] = marker.current or marker.root
        if n not in numbers:
            numbers.append(n)
            room = min(self.height(page), self.most)
            if page == self.page and room > self.raised:
                self._set(room)

    def placed(self, frame, flowable: Flowable) -> None:
        """After a flowable is drawn: did it reach into the notes' room?"""
        if frame is self.frame and self.raised and frame._y + flowable.getSpaceAfter() < frame._y1p - FUZZ:
            self.overlaps.add(self.page)

    def paragraphs(self, page: int, anchor: bool = False) -> list[Flowable]:
        out = []
        for n in sorted(self.seen.get(page, [])):
            target = ""
            if anchor and n not in self.anchored:
                self.anchored.add(n)
                target = f"<a name={attr(f'note-{n}')}/>"
            text = target + markup(self.bodies.get(n, ()), self.faces, self.link_colour)
            out.append(Paragraph(text, self.style, bulletText=str(n)))
        return out

    def height(self, page: int) -> float:
        """The room the notes cited on `page` need (0 without notes)."""
        paras = self.paragraphs(page)
        if not paras:
            return 0.0
        hs = [p.wrap(self.width, 1e6)[1] for p in paras]
        return round(ABOVE + BELOW + sum(hs) + GAP * (len(hs) - 1), 2)

    def draw(self, canvas, page: int) -> None:
        """The notes cited on this page, bottom-aligned on the frame's foot, under a short rule."""
        paras = self.paragraphs(page, anchor=True)
        if not paras:
            return
        marker = getattr(canvas, "marker", None)
        if marker is not None:  # a Note in the structure, where its marker is read
            for n, p in zip(sorted(self.seen.get(page, [])), paras):
                ident = f"note-{n}" if n not in self.tagged else f"note-{n}-p{page}"  # (a note printed again)
                self.tagged.add(n)
                tag(p, self.where.get(n, marker.root).sub("Note", ident=ident))
        sizes = [p.wrap(self.width, 1e6)[1] for p in paras]
        top = self.bottom + sum(sizes) + GAP * (len(sizes) - 1)
        canvas.saveState()
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.5)
        canvas.line(self.x, top + BELOW, self.x + RULE_W, top + BELOW)
        canvas.restoreState()
        for p, h in zip(paras, sizes):
            p.drawOn(canvas, self.x, top - h)
            top -= h + GAP


def typeset_with_notes(typeset: Callable, make_story: Callable[[], list[Flowable]], slots: list, notes: Callable[[dict], FootNotes]):
    """Typeset until no text reaches into a page's notes: `typeset(story, notes)` is one pass, `make_story()` a fresh
    story for it, `notes(floor)` the footnotes of a pass that keeps that room on each page from its top."""
    floor: dict[int, float] = {}
    for _ in range(PASSES):
        slots.clear()
        fn = notes(floor)
        done = typeset(make_story(), fn)
        if not fn.overlaps:
            return done
        floor = dict(floor)
        for page in fn.overlaps:
            floor[page] = max(floor.get(page, 0.0), fn.height(page))
    return done


def typeset_notes(plan: bp.BriefPlan, st, faces: Faces, make_story: Callable[[], list[Flowable]], slots: list):
    """The brief typeset with its footnotes at the foot of the pages their markers land on (pages.typeset in passes)."""
    from .pages import typeset

    bodies = foot_notes(plan)
    style = ParagraphStyle("footnote", parent=st.source, textColor=st.end.textColor,
                           leftIndent=10, bulletIndent=0, bulletFontName=faces.regular, bulletFontSize=st.source.fontSize,
                           spaceBefore=0, spaceAfter=0, alignment=0, hyphenationLang="")
    page = plan.page

    def notes(floor: dict[int, float]) -> FootNotes:
        return FootNotes(bodies, style, faces, st.link_colour, float(page.text_left), float(page.measure),
                         float(page.bottom), float(page.frame_height), floor, st.footer_colour)

    return typeset_with_notes(lambda story, fn: typeset(plan, st, faces, story, slots, fn), make_story, slots, notes)
