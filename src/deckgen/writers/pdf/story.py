"""The brief's blocks as reportlab flowables: the paragraph styles, one builder per block type, the custom flowables."""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ...errors import RenderError
from ...layout import brief as bp
from ...typeset import Typesetting
from ...units import Colour
from .faces import Faces, attr, markup

LOGO = 22.0  # masthead logo size, points
SEP = " \u00b7 "  # middle dot between masthead / footer parts
CAPTION_LEADING = 1.3  # a figure caption's line height, a multiple of its size (tighter than the body's)


def _hex(colour: Colour) -> Color:
    return HexColor(colour.css)


class Styles:
    """Every paragraph style of the brief, all in the theme's family."""

    def __init__(self, plan: bp.BriefPlan, ctx: Typesetting, faces: Faces):
        theme = ctx.theme
        size = float(plan.body_size)
        self.leading = theme.brief_leading
        text, primary, muted = _hex(theme.text), _hex(theme.primary), _hex(theme.muted)
        self.link_colour = theme.primary.css
        self.cite_colour = theme.muted.css

        def style(name: str, **kw) -> ParagraphStyle:
            base = dict(
                fontName=faces.regular,
                fontSize=size,
                leading=self.body_leading(size),
                textColor=text,
                bulletFontName=faces.regular,
                alignment=TA_LEFT,
                splitLongWords=1,
                allowWidows=0,
                allowOrphans=0,
            )
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.masthead = style("masthead", fontSize=9, leading=12, textColor=primary)
        self.title = style("title", fontName=faces.bold, fontSize=24, leading=28.5, textColor=primary, spaceBefore=16, spaceAfter=6)
        self.subtitle = style("subtitle", fontSize=14, leading=18, textColor=primary, spaceAfter=4)
        self.authors = style("authors", fontName=faces.italic, fontSize=size, textColor=muted, spaceBefore=2, spaceAfter=2)
        self.lead = style(
            "lead", fontSize=size + 1.5, leading=self.body_leading(size + 1.5), backColor=_hex(theme.light),
            borderPadding=(10, 12, 10, 12), leftIndent=15, rightIndent=12, spaceBefore=22, spaceAfter=24,
        )
        self.kf_heading = style("kf_heading", fontName=faces.bold, fontSize=9, leading=12, textColor=muted, spaceAfter=4)
        self.kf_value = style("kf_value", fontName=faces.bold, fontSize=19, leading=22, textColor=primary)
        self.kf_label = style("kf_label", fontSize=9.5, leading=12, spaceBefore=2)
        self.kf_source = style("kf_source", fontSize=7.5, leading=9.5, textColor=muted, spaceBefore=3)
        self.heading = style(
            "heading", fontName=faces.bold, fontSize=14, leading=18, textColor=primary, spaceBefore=16, spaceAfter=6,
            keepWithNext=1,
        )
        # a heading starts a new page unless it and three lines of what follows fit
        self.heading_room = self.heading.spaceBefore + self.heading.leading + self.heading.spaceAfter + 3 * self.body_leading(size)
        self.body = style("body", spaceAfter=6)
        self.detail = style("detail", leftIndent=14, spaceAfter=7)
        self.bullet = style("bullet", leftIndent=14, bulletIndent=2, bulletColor=primary, bulletFontName=faces.bold, spaceAfter=3)
        self.sub_bullet = style("sub_bullet", leftIndent=28, bulletIndent=17, bulletColor=muted, spaceAfter=2)
        self.caption = style("caption", fontSize=size - 0.5, leading=round((size - 0.5) * CAPTION_LEADING, 2), textColor=primary,
                             spaceBefore=10, spaceAfter=5)
        self.source = style("source", fontSize=8, leading=10.5, textColor=muted, spaceBefore=4, spaceAfter=10)
        self.ref_heading = self.heading
        self.reference = style("reference", fontSize=9, leading=12.5, leftIndent=20, bulletIndent=0, spaceAfter=4)
        self.footer_font = faces.regular
        self.footer_size = 8.0
        self.footer_colour = muted
        self.rule_colour = _hex(theme.accent)
        self.light = _hex(theme.light)
        self.primary = primary

    def body_leading(self, size: float) -> float:
        """The body's line height at `size`: the theme's brief leading, to 1/100 pt."""
        return round(size * self.leading, 2)


# ---------------------------------------------------------------- flowables


class _Marked(Paragraph):
    """A paragraph that sets a bookmark (PDF outline entry) where its first line is drawn."""

    def __init__(self, text, style, bulletText=None, frags=None, caseSensitive=1, encoding="utf8", *, mark=None,
                 whole_below=None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive, encoding=encoding)
        self.mark = mark  # (key, title) or None
        self.whole_below = whole_below  # never split while less than this height is left (a heading goes whole)

    def split(self, availWidth, availHeight):
        if self.whole_below and availHeight < self.whole_below:
            return []  # to the next page, whole
        parts = super().split(availWidth, availHeight)
        for i, part in enumerate(parts):
            if isinstance(part, _Marked):
                part.mark = self.mark if i == 0 else None
                part.whole_below = None
        return parts

    def draw(self):
        super().draw()
        if self.mark:
            key, title = self.mark
            self.canv.bookmarkHorizontal(key, 0, self.height)
            self.canv.addOutlineEntry(title, key, level=0)


class _Lead(Paragraph):
    """The lead: a tinted panel with an accent bar on its left edge."""

    def __init__(self, text, style, bulletText=None, frags=None, caseSensitive=1, encoding="utf8", *, bar=None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive, encoding=encoding)
        self.bar = bar

    def draw(self):
        super().draw()
        top, _, bottom, _ = self.style.borderPadding
        self.canv.saveState()
        self.canv.setFillColor(self.bar or self.style.textColor)
        self.canv.rect(0, -bottom, 3, self.height + top + bottom, stroke=0, fill=1)
        self.canv.restoreState()


@dataclass(frozen=True)
class Slot:
    """Where a figure's box landed: 1-based page, lower-left corner in points."""

    page: int
    x: float
    y: float
    figure: bp.Figure


class _ChartSlot(Flowable):
    """Reserves a figure's box and records where it landed; the chart is placed there after the build."""

    def __init__(self, figure: bp.Figure, sink: list[Slot]):
        super().__init__()
        self.figure = figure
        self.sink = sink
        self.width, self.height = float(figure.width), float(figure.height)

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.sink.append(Slot(self.canv.getPageNumber(), round(x, 3), round(y, 3), self.figure))


# ---------------------------------------------------------------- the story: one builder per block type


@dataclass
class _Story:
    """One brief's story as it is built: what every block builder needs, and the flowables so far."""

    plan: bp.BriefPlan
    st: Styles
    faces: Faces
    logo: bytes | None
    sink: list[Slot]
    anchors: dict[int, str]
    flowables: list[Flowable] = field(default_factory=list)
    marks: int = 0  # bookmark keys: section-1, section-2, … in reading order

    def m(self, runs) -> str:
        return markup(runs, self.faces, self.st.link_colour)

    def c(self, text: str) -> str:
        return self.faces.cover(text)

    def section_mark(self, text: str, title: str) -> None:
        """A heading with its bookmark, on a new page unless it and a few lines fit."""
        self.marks += 1
        self.flowables.append(CondPageBreak(self.st.heading_room))
        self.flowables.append(_Marked(text, self.st.heading, mark=(f"section-{self.marks}", title),
                                      whole_below=float(self.plan.page.frame_height) / 2))


def _masthead(b: bp.Masthead, s: _Story) -> None:
    st = s.st
    parts = [s.c(p) for p in b.parts]
    if parts and s.plan.info.series and b.parts[0] == s.plan.info.series:
        parts[0] = f"<b>{parts[0]}</b>"
    text = Paragraph(SEP.join(parts), st.masthead)
    if b.logo and s.logo:
        logo = Image(io.BytesIO(s.logo), width=LOGO, height=LOGO)
        head = Table([[logo, text]], colWidths=[LOGO + 8, float(s.plan.page.frame_width) - LOGO - 8], hAlign="LEFT")
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                  ("FONTNAME", (0, 0), (-1, -1), st.masthead.fontName)]))
        s.flowables.append(head)
    else:
        s.flowables.append(text)
    s.flowables.append(HRFlowable(width="100%", thickness=1.5, color=st.rule_colour, spaceBefore=4, spaceAfter=0))


def _title(b: bp.Title, s: _Story) -> None:
    s.flowables.append(_Marked(s.m(b.runs), s.st.title, mark=("title", b.text)))


def _subtitle(b: bp.Subtitle, s: _Story) -> None:
    s.flowables.append(Paragraph(s.m(b.runs), s.st.subtitle))


def _authors(b: bp.Authors, s: _Story) -> None:
    s.flowables.append(Paragraph(s.c(b.text), s.st.authors))


def _lead(b: bp.Lead, s: _Story) -> None:
    s.flowables.append(_Lead(s.m(b.runs), s.st.lead, bar=s.st.rule_colour))


def _heading(b: bp.Heading, s: _Story) -> None:
    s.section_mark(s.m(b.runs), b.text)


def _paragraph(b: bp.Paragraph, s: _Story) -> None:
    s.flowables.append(Paragraph(s.m(b.runs), s.st.detail if b.role == "detail" else s.st.body))


def _bullet(b: bp.Bullet, s: _Story) -> None:
    text = s.m(b.runs) + "".join(
        f' <a href={attr("#" + s.anchors[n])} color={attr(s.st.cite_colour)}>[{n}]</a>' for n in b.refs if n in s.anchors
    )
    if b.level == 1:
        s.flowables.append(Paragraph(text, s.st.bullet, bulletText="\u2022"))
    else:
        s.flowables.append(Paragraph(text, s.st.sub_bullet, bulletText="\u2013"))


def _figure(b: bp.Figure, s: _Story) -> None:
    st, story = s.st, s.flowables
    caption = f"<b>{s.c(b.label)}</b> {s.c(b.title)}"
    parts: list[Flowable] = [Paragraph(caption, st.caption), _ChartSlot(b, s.sink), Paragraph(s.c(b.source), st.source)]
    if story and isinstance(story[-1], _Marked) and story[-1].style is st.heading:
        parts.insert(0, story.pop())  # a heading directly over a figure goes where the figure goes
    story.append(KeepTogether(parts))


def _references(b: bp.References, s: _Story) -> None:
    st = s.st
    s.section_mark(s.c(b.heading), b.heading)
    for ref in b.items:
        text = f"<a name={attr(ref.anchor)}/>" + s.m(ref.title)
        if ref.publisher:
            text += ". " + s.c(ref.publisher)
        if ref.url:
            text += ". " + f"<a href={attr(ref.url)} color={attr(st.link_colour)}><u>{s.c(ref.url)}</u></a>"
        s.flowables.append(Paragraph(text, st.reference, bulletText=f"{ref.number}."))


def _key_figures(b: bp.KeyFigures, s: _Story) -> None:
    st = s.st
    measure = float(s.plan.page.frame_width)
    items = list(b.items)
    n = len(items)
    cols = 3 if n in (5, 6, 9) else min(n, 4)
    rows = [items[i : i + cols] for i in range(0, n, cols)]
    data = []
    for row in rows:
        cells = []
        for k in row:
            cell = [Paragraph(s.c(k.value), st.kf_value), Paragraph(s.m(k.label), st.kf_label)]
            if k.source:
                cell.append(Paragraph(s.c(f"{b.source_label} {k.source}"), st.kf_source))
            cells.append(cell)
        cells += [""] * (cols - len(row))
        data.append(cells)
    table = Table(data, colWidths=[measure / cols] * cols, splitInRow=1, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
        ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, -1), st.kf_label.fontName),
    ]
    for r, row in enumerate(rows):
        for c in range(len(row)):
            commands.append(("BACKGROUND", (c, r), (c, r), st.light))
            commands.append(("LINEABOVE", (c, r), (c, r), 2.5, st.rule_colour))
    if cols > 1:
        commands.append(("LINEAFTER", (0, 0), (-2, -1), 6, white))
    if len(rows) > 1:
        commands.append(("LINEBELOW", (0, 0), (-1, -2), 6, white))
    table.setStyle(TableStyle(commands))
    s.flowables.append(KeepTogether([Paragraph(s.c(b.heading).upper(), st.kf_heading), table, Spacer(1, 8)]))


BUILDERS: dict[type, Callable] = {
    bp.Masthead: _masthead,
    bp.Title: _title,
    bp.Subtitle: _subtitle,
    bp.Authors: _authors,
    bp.Lead: _lead,
    bp.KeyFigures: _key_figures,
    bp.Heading: _heading,
    bp.Paragraph: _paragraph,
    bp.Bullet: _bullet,
    bp.Figure: _figure,
    bp.References: _references,
}


def story(plan: bp.BriefPlan, st: Styles, faces: Faces, logo: bytes | None, sink: list[Slot]) -> list[Flowable]:
    """The plan's blocks as flowables, in reading order; each figure's box reports where it lands to `sink`."""
    anchors = {r.number: r.anchor for b in plan.blocks if isinstance(b, bp.References) for r in b.items}
    s = _Story(plan, st, faces, logo, sink, anchors)
    for block in plan.blocks:
        build = BUILDERS.get(type(block))
        if build is None:  # pragma: no cover - a new block type without a builder
            raise RenderError(f"the PDF writer cannot draw a {type(block).__name__} block")
        build(block, s)
    return s.flowables
