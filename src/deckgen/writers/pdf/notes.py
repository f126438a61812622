"""Footnotes at the foot of the page where their marker lands (`brief: {notes: foot}`), in the text column above the
footer under a short rule, in the theme's note type.

reportlab cannot know where a marker lands before it has laid the text out, so the brief is typeset in passes: each
marker tells the canvas (an `onDraw` callback) the page it is drawn on; the next pass shrinks each page's text frame
by the height of the notes its markers cite there. Passes repeat until the pages' notes are what was reserved for
them (a few at most); should they not settle, the room only grows, so nothing ever overlaps. Same plan, same passes,
same bytes.
"""
from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ...layout import brief as bp
from ...layout.notes import cited
from .faces import NOTE_CB, Faces, attr, markup

RULE_W = 60.0  # the short rule over the notes
ABOVE = 9.0  # between the text frame's bottom and the rule
BELOW = 4.0  # between the rule and the first note
GAP = 1.5  # between two notes
MAX_SHARE = 0.5  # the notes take at most this share of a page's text frame
PASSES = 8


def foot_notes(plan: bp.BriefPlan) -> dict[int, tuple]:
    """The notes to set at the foot of pages: number -> runs ({} when there are none or they are endnotes)."""
    if any(isinstance(b, bp.Notes) for b in plan.blocks):
        return {}
    return {n.number: n.body for n in cited(plan.blocks)}


class FootNotes:
    """One typesetting pass's footnotes: the room reserved on each page, the markers seen on each page, drawing."""

    def __init__(self, bodies: dict[int, tuple], style: ParagraphStyle, faces: Faces, link_colour: str,
                 x: float, width: float, bottom: float, frame_height: float, reserve: dict[int, float], rule: Color):
        self.bodies, self.style, self.faces, self.link_colour = bodies, style, faces, link_colour
        self.x, self.width, self.bottom, self.rule = x, width, bottom, rule
        self.most = frame_height * MAX_SHARE
        self.reserve = reserve
        self.seen: dict[int, list[int]] = {}  # page -> note numbers, in the order their markers are drawn
        self.anchored: set[int] = set()  # notes whose link target is set (the first page that prints them)

    def room(self, page: int) -> float:
        """The height taken from the foot of the page's text frame."""
        return min(self.reserve.get(page, 0.0), self.most)

    def on_draw(self, canvas, _kind, label) -> None:
        page = canvas.getPageNumber()
        numbers = self.seen.setdefault(page, [])
        n = int(label)
        if n not in numbers:
            numbers.append(n)

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

    def needed(self) -> dict[int, float]:
        return {page: self.height(page) for page in sorted(self.seen)}

    def draw(self, canvas, page: int) -> None:
        """The notes cited on this page, bottom-aligned on the frame's foot, under a short rule."""
        paras = self.paragraphs(page, anchor=True)
        if not paras:
            return
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
    """Typeset until every page's notes fit the room reserved for them: `typeset(story, notes)` is one pass,
    `make_story()` a fresh story for it, `notes(reserve)` the footnotes of a pass with that room per page."""
    reserve: dict[int, float] = {}
    grow = False
    for attempt in range(PASSES):
        slots.clear()
        fn = notes(reserve)
        done = typeset(make_story(), fn)
        need = fn.needed()
        fits = all(min(h, fn.most) <= fn.room(p) + 1e-6 for p, h in need.items())
        if fits and (grow or all(abs(reserve.get(p, 0.0) - need.get(p, 0.0)) < 1e-6 for p in set(reserve) | set(need))):
            return done
        if fits and attempt >= PASSES // 2:
            return done  # the notes fit; some page keeps a little room it no longer needs
        grow = grow or attempt >= PASSES // 2 - 1
        reserve = ({p: max(reserve.get(p, 0.0), need.get(p, 0.0)) for p in set(reserve) | set(need)} if grow
                   else dict(need))
    return done


def typeset_notes(plan: bp.BriefPlan, st, faces: Faces, make_story: Callable[[], list[Flowable]], slots: list):
    """The brief typeset with its footnotes at the foot of the pages their markers land on (pages.typeset in passes)."""
    from .pages import typeset

    bodies = foot_notes(plan)
    style = ParagraphStyle("footnote", parent=st.source, textColor=st.end.textColor,
                           leftIndent=10, bulletIndent=0, bulletFontName=faces.regular, bulletFontSize=st.source.fontSize,
                           spaceBefore=0, spaceAfter=0, alignment=0, hyphenationLang="")
    page = plan.page

    def notes(reserve: dict[int, float]) -> FootNotes:
        return FootNotes(bodies, style, faces, st.link_colour, float(page.text_left), float(page.measure),
                         float(page.bottom), float(page.frame_height), reserve, st.footer_colour)

    return typeset_with_notes(lambda story, fn: typeset(plan, st, faces, story, slots, fn), make_story, slots, notes)
