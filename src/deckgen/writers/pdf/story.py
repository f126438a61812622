"""The brief's blocks as reportlab flowables: the paragraph styles (the theme's type scale), one builder per block."""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ...errors import RenderError
from ...memo import Memo
from ...layout import brief as bp
from ...typeset import Typesetting
from ...units import Colour
from .faces import Faces, attr, markup
from .flow import Beside, ChartSlot, Float, FlushFloats, KeepWithNext, KeyGrid, Marked, Slot, Stack, hyphenation, style_key, table
from .flow import Para as Paragraph
from .tables import KEEP_WHOLE, table_flowable
from .elements import ELEMENT_BUILDERS
from .tags import Node, Tagged, tag

LOGO = 30.0  # masthead logo height, points
SEP = " \u00b7 "  # middle dot between masthead / footer parts
URL_BREAKS = "/.-_?&=#"  # a URL breaks only after one of these
_BOUND: Memo[tuple, bool] = Memo(20_000)  # _Story.cited's answers: whether the markers are bound to the word before them


NBSP = "\u00a0"  # binds two words (reportlab never breaks there); Carlito lacks it, so it comes from a fallback face


def _hex(colour: Colour) -> Color:
    return HexColor(colour.css)


class Styles:
    """Every paragraph style of the brief, from the theme's type scale; body styles sit in the text column."""

    def __init__(self, plan: bp.BriefPlan, ctx: Typesetting, faces: Faces):
        theme, scale = ctx.theme, ctx.theme.brief
        indent = float(plan.page.indent)
        self.indent = indent
        self.rail = float(plan.page.rail)
        self.measure = float(plan.page.measure)
        text, primary, muted = _hex(theme.text), _hex(theme.primary), _hex(theme.muted)
        self.link_colour = theme.primary.css
        self.cite_colour = theme.muted.css
        self.light = _hex(theme.light)
        self.primary = primary
        self.rule_colour = _hex(theme.accent)
        hy = hyphenation(plan.info.language)

        def style(name: str, role, **kw) -> ParagraphStyle:
            base = dict(
                fontName=faces.regular, fontSize=role.size, leading=role.leading, textColor=text,
                bulletFontName=faces.regular, alignment=TA_LEFT, splitLongWords=1, allowWidows=0, allowOrphans=0,
                hyphenationLang=hy, embeddedHyphenation=1, uriWasteReduce=0,
            )
            base.update(kw)
            return ParagraphStyle(name, **base)

        body = scale.body
        self.nameplate = style("nameplate", scale.nameplate, fontName=faces.bold, textColor=primary, hyphenationLang="")
        self.masthead = style("masthead", scale.caption, textColor=muted, spaceBefore=1, hyphenationLang="")
        self.title = style("title", scale.title, fontName=faces.bold, textColor=primary, spaceBefore=18, spaceAfter=4, hyphenationLang="")
        self.subtitle = style("subtitle", scale.subtitle, textColor=primary, spaceBefore=2, hyphenationLang="")
        self.authors = style("authors", scale.caption, fontName=faces.bold, textColor=primary, spaceAfter=2, hyphenationLang="")
        self.standfirst = style("standfirst", scale.standfirst, leftIndent=indent, spaceBefore=16, spaceAfter=16, hyphenationLang="")
        self.kf_heading = style("kf_heading", scale.note, fontName=faces.bold, textColor=muted, spaceAfter=5, hyphenationLang="")
        self.kf_value = style("kf_value", scale.key_value, fontName=faces.bold, textColor=primary, hyphenationLang="")
        self.kf_label = style("kf_label", scale.key_label, spaceBefore=3)
        self.kf_source = style("kf_source", scale.note, textColor=muted, spaceBefore=4)
        self.heading = style("heading", scale.heading, fontName=faces.bold, textColor=primary, leftIndent=indent,
                             spaceBefore=20, spaceAfter=7, hyphenationLang="")
        self.body = style("body", body, leftIndent=indent, alignment=TA_JUSTIFY, spaceBefore=7, spaceAfter=7)
        self.detail = style("detail", body, leftIndent=indent + 14, alignment=TA_JUSTIFY, spaceBefore=2, spaceAfter=7)
        self.item = style("item", body, leftIndent=indent + 14, bulletIndent=indent + 2, alignment=TA_JUSTIFY,
                          bulletColor=primary, bulletFontName=faces.bold, spaceAfter=4)
        self.numbered = style("numbered", body, leftIndent=indent + 20, bulletIndent=indent, alignment=TA_JUSTIFY,
                              bulletColor=primary, bulletFontName=faces.bold, spaceAfter=6)
        self.sub_item = style("sub_item", body, leftIndent=indent + 14, bulletIndent=indent + 3, alignment=TA_JUSTIFY,
                              bulletColor=muted, spaceAfter=3)
        self.quote = style("quote", scale.quote, fontName=faces.italic, textColor=primary, leftIndent=indent + 16,
                           spaceBefore=6, spaceAfter=4, hyphenationLang="")
        self.attribution = style("attribution", scale.caption, textColor=muted, leftIndent=indent + 16, spaceAfter=12, hyphenationLang="")
        self.caption = style("caption", scale.caption, textColor=primary, hyphenationLang="")
        self.source = style("source", scale.note, textColor=muted, spaceBefore=5)
        self.table = style("table", scale.table, leftIndent=0, spaceBefore=0, spaceAfter=0, hyphenationLang="")
        self.reference = style("reference", scale.reference, leftIndent=indent + 18, bulletIndent=indent, spaceAfter=5)
        self.end = style("end", scale.reference, leftIndent=indent, spaceAfter=5)
        # a set-off section (conclusions, recommendations): the same styles on a tinted panel that runs on
        # (each paragraph paints its own tint; the paddings close the gaps and line the panel's left edge up)
        self.boxed = {}
        for name, top in (("heading", 10), ("body", 3.5), ("detail", 3.5), ("item", 3.5), ("numbered", 3.5), ("sub_item", 3.5)):
            base = getattr(self, name)
            left = 10 + base.leftIndent - indent
            self.boxed[name] = ParagraphStyle(f"{name}_boxed", parent=base, backColor=self.light,
                                              borderPadding=(top, 10, 3.5, left))
        self._subs: dict[tuple[float, bool], ParagraphStyle] = {}
        self.footer_font = faces.regular
        self.footer_size = scale.note.size
        self.footer_colour = muted

    def of(self, name: str, boxed: bool = False) -> ParagraphStyle:
        """The style `name`, on the tinted panel where `boxed`."""
        return self.boxed[name] if boxed else getattr(self, name)

    def sub(self, parent: float, boxed: bool = False) -> ParagraphStyle:
        """A sub-point's style under a parent whose text starts `parent` points into the column."""
        key = (parent, boxed)
        if key not in self._subs:
            base = self.of("sub_item", boxed)
            self._subs[key] = ParagraphStyle(f"sub_item_{parent:g}{'_boxed' if boxed else ''}", parent=base,
                                             leftIndent=base.leftIndent + parent, bulletIndent=base.bulletIndent + parent)
            if boxed:
                top, right, bottom, left = base.borderPadding
                self._subs[key].borderPadding = (top, right, bottom, left + parent)
        return self._subs[key]


def break_url(url: str, font: str, size: float, width: float) -> list[str]:
    """`url` in lines no wider than `width`, each broken after one of URL_BREAKS (a piece with no such place is cut
    where it must)."""
    pieces, start = [], 0
    for i, ch in enumerate(url):
        if ch in URL_BREAKS:
            pieces.append(url[start : i + 1])
            start = i + 1
    if start < len(url):
        pieces.append(url[start:])
    lines, line = [], ""
    for piece in pieces:
        if line and pdfmetrics.stringWidth(line + piece, font, size) > width:
            lines.append(line)
            line = ""
        while pdfmetrics.stringWidth(piece, font, size) > width:  # one piece wider than the line: cut it
            cut = len(piece) - 1
            while cut > 1 and pdfmetrics.stringWidth(line + piece[:cut], font, size) > width:
                cut -= 1
            lines.append(line + piece[:cut])
            line, piece = "", piece[cut:]
        line += piece
    if line:
        lines.append(line)
    return lines


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
    heading: Flowable | None = None  # a heading waiting for what follows it
    parent: float = 0.0  # where the last point's text starts in the column: its sub-points indent from there
    authors: tuple[str, ...] = ()  # set beside the standfirst
    foot: bool = False  # footnote markers report their page (notes at the foot of the page, notes.py)
    root: Node = field(default_factory=lambda: Node("Document", listed=True))  # the structure (tags.py)
    sect: Node | None = None  # the section being built
    lists: list[list] = field(default_factory=list)  # open lists, outermost first: [level, L, the last item's LBody]

    def under(self) -> Node:
        """Where a block's structure goes: the current section, else the document."""
        return self.sect or self.root

    def tag(self, flowable: Flowable, role: str, parent: Node | None = None, **kw) -> Flowable:
        """`flowable` as the content of a new `role` node under `parent` (default: the current section)."""
        return tag(flowable, (parent or self.under()).sub(role, **kw))

    def item(self, para: Flowable, level: int, lang: str | None = None) -> Flowable:
        """`para` (with its bullet or number) as a list item at depth `level`: L > LI > Lbl + LBody; a deeper item
        opens a list in the last item's body, a shallower one closes lists."""
        while self.lists and self.lists[-1][0] > level:
            self.lists.pop()
        if not self.lists or self.lists[-1][0] < level:
            parent = self.lists[-1][2] if self.lists else self.under()
            self.lists.append([level, parent.sub("L"), parent])
        entry = self.lists[-1]
        li = entry[1].sub("LI", lang=lang)
        lbl, body = li.sub("Lbl"), li.sub("LBody")
        li.reserve(lbl, body)
        entry[2] = body
        para._li = (lbl, body)
        return tag(para, li)

    def in_item(self) -> Node:
        """The body of the last list item (a point's prose under its bullet), else the current section."""
        return self.lists[-1][2] if self.lists else self.under()

    def m(self, runs) -> str:
        return markup(runs, self.faces, self.st.link_colour, self.foot)

    def c(self, text: str) -> str:
        return self.faces.cover(text)

    def cited(self, text: str, refs: tuple[int, ...], style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
        """A paragraph of `text` and its citation markers "[1, 4]". The markers follow a plain space, so the last
        word can still hyphenate; only where they would then stand alone on the last line are they bound to the
        word before them (a no-break space), which carries that word down with them."""
        links = [f"<a href={attr('#' + self.anchors[n])} color={attr(self.st.cite_colour)}>{n}</a>"
                 for n in refs if n in self.anchors]
        if not links:
            return Paragraph(text, style, bulletText=bullet)
        nbsp = self.c(NBSP)
        marker = "[" + f",{nbsp}".join(links) + "]"
        width = float(self.plan.page.frame_width)
        key = (text, marker, bullet, width, style_key(style))
        bound = _BOUND.get(key)
        if bound is None:  # set it to see (remembered: a session's rebuild sets only the paragraphs that changed)
            para = Paragraph(f"{text} {marker}", style, bulletText=bullet)
            para.wrap(width, 1e9)
            last = para.blPara.lines[-1]  # (the markers' links make every line a FragLine of text fragments)
            bound = "".join(getattr(w, "text", "") for w in last.words).strip().startswith("[")
            _BOUND.keep(key, bound)
            if not bound:
                return para
        return Paragraph(f"{text}{nbsp if bound else ' '}{marker}", style, bulletText=bullet)

    def add(self, flowable: Flowable) -> None:
        """Append a flowable; a waiting heading goes with it (the heading is never the last line of a page)."""
        if self.heading is not None:
            head, self.heading = self.heading, None
            if isinstance(flowable, Float):  # a heading over a figure: the two keep their place, together
                flowable = Float(Stack([head, flowable.content]), anchored=True)
            else:
                flowable = KeepWithNext(head, flowable)
        self.flowables.append(flowable)

    def flush(self) -> None:
        """A heading with nothing after it."""
        if self.heading is not None:
            self.flowables.append(self.heading)
            self.heading = None


class _Image(Tagged, Image):
    """An image drawn as its structure node's content (a figure with alt text)."""


def _masthead(b: bp.Masthead, s: _Story) -> None:
    st = s.st
    width = float(s.plan.page.frame_width)
    lines: list[Flowable] = []
    if b.series:
        lines.append(s.tag(Paragraph(s.c(b.series), st.nameplate), "P"))
    if b.parts:
        lines.append(s.tag(Paragraph(SEP.join(s.c(p) for p in b.parts), st.masthead), "P"))
    if b.logo and s.logo:
        image = Image(io.BytesIO(s.logo))
        scale = LOGO / image.imageHeight
        logo = _Image(io.BytesIO(s.logo), width=min(image.imageWidth * scale, st.rail), height=LOGO)
        s.tag(logo, "Figure", alt=b.logo_alt or "Logo")
        head = table([[lines, logo]], st.masthead.fontName, colWidths=[width - st.rail, st.rail], hAlign="LEFT")
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        s.flowables.append(head)
    else:
        s.flowables.extend(lines)
    s.flowables.append(HRFlowable(width="100%", thickness=2, color=st.rule_colour, spaceBefore=6, spaceAfter=0))


def _title(b: bp.Title, s: _Story) -> None:
    s.flowables.append(s.tag(Marked(s.m(b.runs), s.st.title, mark=("title", b.text)), "H1", lang=b.lang))


def _subtitle(b: bp.Subtitle, s: _Story) -> None:
    s.flowables.append(s.tag(Paragraph(s.m(b.runs), s.st.subtitle), "P", lang=b.lang))


def _authors(b: bp.Authors, s: _Story) -> None:
    s.authors = b.names


def _lead(b: bp.Lead, s: _Story) -> None:
    st = s.st
    standfirst = s.tag(Paragraph(s.m(b.runs), st.standfirst), "P", lang=b.lang)
    if not s.authors:
        s.flowables.append(standfirst)
        return
    rail = [s.tag(Paragraph(s.c(name), st.authors), "P") for name in s.authors]
    s.flowables.append(Beside(rail, [standfirst], st.rail, top=st.standfirst.spaceBefore))


def _heading(b: bp.Heading, s: _Story) -> None:
    s.flush()
    s.marks += 1
    boxed = b.role in ("conclusions", "recommendations")
    if b.level <= 1:
        s.sect = s.root.sub("Sect")
    s.heading = s.tag(Marked(s.m(b.runs), s.st.of("heading", boxed), mark=(f"section-{s.marks}", b.text)),
                      f"H{min(b.level + 1, 6)}", lang=b.lang)


def _paragraph(b: bp.Paragraph, s: _Story) -> None:
    text = s.m(b.runs)
    if b.head:
        text = f"<b>{s.m(b.head)}</b> {text}"
    if b.role == "detail":  # (bullets style) a point's prose, under its bullet
        s.add(s.tag(s.cited(text, b.refs, s.st.of("detail", b.boxed)), "P", s.in_item(), lang=b.lang))
        return
    style = s.st.of("numbered" if b.number is not None else "body", b.boxed)
    s.parent = style.leftIndent - s.st.indent
    para = s.cited(text, b.refs, style, f"{b.number}." if b.number is not None else None)
    s.add(s.item(para, 1, b.lang) if b.number is not None else s.tag(para, "P", lang=b.lang))


def _bullet(b: bp.Bullet, s: _Story) -> None:
    text = s.m(b.runs)
    if b.level > 1:
        s.add(s.item(s.cited(text, b.refs, s.st.sub(s.parent, b.boxed), "\u2013"), b.level, b.lang))
        return
    style = s.st.of("numbered" if b.number is not None else "item", b.boxed)
    s.parent = style.leftIndent - s.st.indent
    s.add(s.item(s.cited(text, b.refs, style, f"{b.number}." if b.number is not None else "\u2022"), 1, b.lang))


def _quote(b: bp.Quote, s: _Story) -> None:
    st = s.st
    quote = s.under().sub("BlockQuote", lang=b.lang)
    parts: list[Flowable] = [s.tag(Paragraph(f"\u201c{s.m(b.runs)}\u201d", st.quote), "P", quote)]
    if b.attribution:
        parts.append(s.tag(Paragraph("\u2014" + s.c(NBSP) + s.m(b.attribution), st.attribution), "P", quote))
    s.add(Stack(parts, bar=(st.indent, 3, st.rule_colour)))


def _figure(b: bp.Figure, s: _Story) -> None:
    st = s.st
    group = s.under().sub("Div")
    nodes = group.sub("Caption"), group.sub("Figure", alt=b.alt), group.sub("Table"), group.sub("P")
    group.reserve(*nodes)  # read as caption, chart, its data, source (the rail is drawn before the chart)
    caption = tag(Paragraph(f"<b>{s.c(b.label)}</b><br/>{s.c(b.title)}", st.caption), nodes[0])
    source = tag(Paragraph(s.c(b.source), st.source), nodes[3])
    slot = tag(ChartSlot(b, s.sink, st.indent, data=(nodes[2], s.faces)), nodes[1])
    body = Beside([caption, source], [slot], st.rail, top=10, bottom=12)
    s.add(Float(body))


def _table(b: bp.Table, s: _Story) -> None:
    flow = table_flowable(b, s)
    # a table short enough never to split floats like a figure: the text runs on where it does not fit
    s.add(Float(flow) if flow.last - flow.first <= KEEP_WHOLE else flow)


def _references(b: bp.References, s: _Story) -> None:
    st = s.st
    s.flush()
    s.flowables.append(FlushFloats())  # figures still waiting come before the list of sources
    s.marks += 1
    s.sect = s.root.sub("Sect")
    s.heading = s.tag(Marked(s.c(b.heading), st.heading, mark=(f"section-{s.marks}", b.heading)), "H2")
    font, size = st.reference.fontName, st.reference.fontSize
    width = st.measure - (st.reference.leftIndent - st.indent)
    for ref in b.items:
        text = f"<a name={attr(ref.anchor)}/>" + s.m(ref.title)
        if ref.publisher:
            text += ". " + s.c(ref.publisher)
        if ref.url:
            lines = break_url(ref.url, font, size, width)
            link = "<br/>".join(s.c(line) for line in lines)
            text += f".<br/><a href={attr(ref.url)} color={attr(st.link_colour)}>{link}</a>"
        s.add(s.item(Paragraph(text, st.reference, bulletText=f"{ref.number}."), 1))


def _notes(b: bp.Notes, s: _Story) -> None:
    """Endnotes: a heading and the numbered notes (link targets of the markers), set like the sources."""
    st = s.st
    s.flush()
    s.flowables.append(FlushFloats())  # figures still waiting come before the notes
    s.marks += 1
    s.sect = s.root.sub("Sect")
    s.heading = s.tag(Marked(s.c(b.heading), st.heading, mark=(f"section-{s.marks}", b.heading)), "H2")
    for note in b.items:
        text = f"<a name={attr(f'note-{note.number}')}/>" + s.m(note.body)
        s.add(s.item(Paragraph(text, st.reference, bulletText=f"{note.number}."), 1))


def _end_matter(b: bp.EndMatter, s: _Story) -> None:
    st = s.st
    s.flush()
    s.flowables.append(FlushFloats())  # figures and tables still waiting (the chart-data annex's) come before it
    s.sect = None
    end = s.root.sub("Div")
    parts: list[Flowable] = [HRFlowable(width=st.measure, thickness=0.8, color=st.rule_colour, hAlign="RIGHT",
                                        spaceBefore=18, spaceAfter=8)]
    for note in b.items:
        text = (f"<b>{s.c(note.label)}</b> " if note.label else "") + s.c(note.text)
        parts.append(s.tag(Paragraph(text, st.end), "P", end))
    s.flowables.append(Stack(parts))


def _key_figures(b: bp.KeyFigures, s: _Story) -> None:
    st = s.st
    sect = s.root.sub("Sect")
    cards_list = sect.sub("L")
    rows = []
    for row in b.rows:
        cards = []
        for k in row:
            body = cards_list.sub("LI").sub("LBody")
            card = [s.tag(Paragraph(s.c(k.value), st.kf_value), "P", body), s.tag(Paragraph(s.m(k.label), st.kf_label), "P", body)]
            if k.source:
                card.append(s.tag(Paragraph(s.c(f"{b.source_label} {k.source}"), st.kf_source), "P", body))
            cards.append(card)
        rows.append(cards)
    heading = s.tag(Paragraph(s.c(b.heading).upper(), st.kf_heading), "H2", sect)
    # floats like a figure: where the grid does not fit under the standfirst, the text runs on and it heads the next page
    s.flowables.append(Float(Stack([heading, KeyGrid(rows, st.light, st.rule_colour)], space_after=10)))


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
    bp.Quote: _quote,
    bp.Figure: _figure,
    bp.Table: _table,
    bp.References: _references,
    bp.EndMatter: _end_matter,
    bp.Notes: _notes,
}
BUILDERS.update(ELEMENT_BUILDERS)  # images, boxes, comparisons (elements.py)


def story(plan: bp.BriefPlan, st: Styles, faces: Faces, logo: bytes | None, sink: list[Slot]) -> list[Flowable]:
    """The plan's blocks as flowables, in reading order; each figure's box reports where it lands to `sink`."""
    anchors = {r.number: r.anchor for b in plan.blocks if isinstance(b, bp.References) for r in b.items}
    s = _Story(plan, st, faces, logo, sink, anchors)
    s.foot = not any(isinstance(b, bp.Notes) for b in plan.blocks)
    for block in plan.blocks:
        build = BUILDERS.get(type(block))
        if build is None:  # pragma: no cover - a new block type without a builder
            raise RenderError(f"the PDF writer cannot draw a {type(block).__name__} block")
        if not _in_list(block):
            s.lists.clear()
        build(block, s)
    s.flush()
    return Story(s.flowables, s.root)


def _in_list(block) -> bool:
    """Whether a block continues a list (a bullet, a numbered paragraph, a point's prose under its bullet)."""
    return isinstance(block, bp.Bullet) or isinstance(block, bp.Paragraph) and (block.number is not None or block.role == "detail")


class Story(list):
    """The story's flowables, and the structure (tags.py) they are drawn as."""

    def __init__(self, flowables: list[Flowable], root: Node):
        super().__init__(flowables)
        self.root = root
