"""Write a BriefPlan as an A4 PDF: reportlab typesets the text, pikepdf places the vector charts and metadata."""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from .. import fonts as _fontcov
from ..chartcache import ChartStore  # renders (loading matplotlib) only on a cache miss
from ..errors import RenderError
from ..inline import Run
from ..layout import brief as bp
from ..theme import Theme

_LOGO = 22.0  # masthead logo size, points
_SEP = " \u00b7 "  # middle dot between masthead / footer parts


def write_brief(plan: bp.BriefPlan, theme: Theme, epoch: int, charts: ChartStore | None = None) -> bytes:
    """The brief as PDF bytes: the same plan, theme and epoch always give the same bytes.
    `charts` gives the chart figures (the build's store); None: a store of its own, with the user's chart cache."""
    fonts = _register_fallbacks(plan, theme, _register_fonts(theme))
    styles = _Styles(plan, theme, fonts)
    previous = rl_config.canvas_basefontname
    rl_config.canvas_basefontname = fonts.regular  # the canvas would otherwise open every page in Helvetica
    try:
        final = _typeset(plan, theme, styles, fonts)
    finally:
        rl_config.canvas_basefontname = previous
    return _finish(final, plan, theme, epoch, charts)


# ---------------------------------------------------------------- fonts and styles


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallbacks: tuple[str, ...] = ()  # registered names of the fallback faces, in order


_fallback_state: dict[str, tuple] = {}  # per write: the primary face's charset and the fallback faces


def _register_fallbacks(plan: bp.BriefPlan, theme: Theme, names: _Fonts) -> _Fonts:
    """Register the plan's fallback faces (CFF faces as TrueType subsets of the characters used);
    markup() then sets characters the theme's font lacks in them."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    out = []
    faces = []
    for entry in plan.fallbacks:
        path, _, index = entry.partition("#")
        face = _fontcov.FontFile(Path(path), int(index or 0))
        chars = "".join(c for c in plan.fallback_chars if _fontcov.drawable(c, (face,)))
        if not chars:
            continue
        truetype = _fontcov.is_truetype(face)
        name = "deckgen-fb-" + face.key
        if not truetype:  # a per-document subset: its name says which characters it holds
            name += "-" + hashlib.sha256(chars.encode("utf-8")).hexdigest()[:10]
        if name not in registered:
            try:
                if truetype:
                    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=face.index))
                else:
                    data = io.BytesIO(_fontcov.truetype_subset(face, chars, name))
                    data.name = name + ".ttf"  # reportlab keys font data by file name: one name per subset
                    pdfmetrics.registerFont(TTFont(name, data))
            except Exception:  # a font reportlab cannot embed: skip it and fall through to U+FFFD
                continue
        out.append(name)
        faces.append(face)
    _fallback_state["primary"] = (_fontcov.FontFile(theme.font.regular),)
    _fallback_state["faces"] = tuple(zip(out, faces))
    return _Fonts(names.regular, names.bold, names.italic, names.bold_italic, tuple(out))


def _cover(text: str) -> str:
    """Escaped markup for `text`, characters the theme's font lacks set in the first fallback face that has them."""
    primary = _fallback_state.get("primary")
    if not primary or _fontcov.drawable_all(text, primary):
        return escape(text)
    return "".join(escape(piece) if name is None else f'<font face="{name}">{escape(piece)}</font>' for name, piece in _font_runs(text, None))


def _register_fonts(theme: Theme) -> _Fonts:
    """Register the theme's four faces (TrueType, embedded as subsets) and map <b>/<i> to them."""
    family = theme.font
    names = _Fonts(family.name, f"{family.name}-Bold", f"{family.name}-Italic", f"{family.name}-BoldItalic")
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in zip(
        (names.regular, names.bold, names.italic, names.bold_italic),
        (family.regular, family.bold, family.italic, family.bold_italic),
    ):
        if name in registered:
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as exc:  # a missing or broken font file
            raise RenderError(f"cannot use font file {path}: {exc}") from exc
    pdfmetrics.registerFontFamily(
        family.name, normal=names.regular, bold=names.bold, italic=names.italic, boldItalic=names.bold_italic
    )
    return names


def _hex(rgb: str) -> Color:
    return HexColor("#" + rgb)


class _Styles:
    """Every paragraph style of the brief, all in the theme's family."""

    @staticmethod
    def body_leading(size: float) -> float:
        return round(size * 1.38, 2)

    def __init__(self, plan: bp.BriefPlan, theme: Theme, fonts: _Fonts):
        size = plan.body_size
        text, primary, muted = _hex(theme.text), _hex(theme.primary), _hex(theme.muted)
        self.link_colour = "#" + theme.primary

        def style(name: str, **kw) -> ParagraphStyle:
            base = dict(
                fontName=fonts.regular,
                fontSize=size,
                leading=self.body_leading(size),
                textColor=text,
                bulletFontName=fonts.regular,
                alignment=TA_LEFT,
                splitLongWords=1,
                allowWidows=0,
                allowOrphans=0,
            )
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.masthead = style("masthead", fontSize=9, leading=12, textColor=primary)
        self.title = style("title", fontName=fonts.bold, fontSize=24, leading=28.5, textColor=primary, spaceBefore=16, spaceAfter=6)
        self.subtitle = style("subtitle", fontSize=14, leading=18, textColor=primary, spaceAfter=4)
        self.authors = style("authors", fontName=fonts.italic, fontSize=size, textColor=muted, spaceBefore=2, spaceAfter=2)
        self.lead = style(
            "lead", fontSize=size + 1.5, leading=round((size + 1.5) * 1.38, 2), backColor=_hex(theme.light),
            borderPadding=(10, 12, 10, 12), leftIndent=15, rightIndent=12, spaceBefore=22, spaceAfter=24,
        )
        self.kf_heading = style("kf_heading", fontName=fonts.bold, fontSize=9, leading=12, textColor=muted, spaceAfter=4)
        self.kf_value = style("kf_value", fontName=fonts.bold, fontSize=19, leading=22, textColor=primary)
        self.kf_label = style("kf_label", fontSize=9.5, leading=12, spaceBefore=2)
        self.kf_source = style("kf_source", fontSize=7.5, leading=9.5, textColor=muted, spaceBefore=3)
        self.heading = style(
            "heading", fontName=fonts.bold, fontSize=14, leading=18, textColor=primary, spaceBefore=16, spaceAfter=6,
            keepWithNext=1,
        )
        # a heading starts a new page unless it and three lines of what follows fit
        self.heading_room = self.heading.spaceBefore + self.heading.leading + self.heading.spaceAfter + 3 * self.body_leading(size)
        self.body = style("body", spaceAfter=6)
        self.detail = style("detail", leftIndent=14, spaceAfter=7)
        self.bullet = style("bullet", leftIndent=14, bulletIndent=2, bulletColor=primary, bulletFontName=fonts.bold, spaceAfter=3)
        self.sub_bullet = style("sub_bullet", leftIndent=28, bulletIndent=17, bulletColor=muted, spaceAfter=2)
        self.caption = style("caption", fontSize=size - 0.5, leading=round((size - 0.5) * 1.3, 2), textColor=primary, spaceBefore=10, spaceAfter=5)
        self.source = style("source", fontSize=8, leading=10.5, textColor=muted, spaceBefore=4, spaceAfter=10)
        self.ref_heading = self.heading
        self.reference = style("reference", fontSize=9, leading=12.5, leftIndent=20, bulletIndent=0, spaceAfter=4)
        self.footer_font = fonts.regular
        self.footer_size = 8.0
        self.footer_colour = muted
        self.rule_colour = _hex(theme.accent)
        self.light = _hex(theme.light)
        self.primary = primary


# ---------------------------------------------------------------- markup: user text is data


def markup(runs: tuple[Run, ...] | list[Run], link_colour: str) -> str:
    """Paragraph markup for inline runs: every run's text escaped, links as <a href> with the URL attribute-quoted."""
    out = []
    for run in runs:
        piece = _cover(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.url:
            piece = f"<a href={_attr(run.url)} color={_attr(link_colour)}><u>{piece}</u></a>"
        out.append(piece)
    return "".join(out)


def _attr(value: str) -> str:
    """A double-quoted markup attribute value."""
    return '"' + escape(value, {'"': "&quot;"}) + '"'


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
class _Slot:
    page: int  # 1-based
    x: float
    y: float
    figure: bp.Figure


class _ChartSlot(Flowable):
    """Reserves a figure's box and records where it landed; the chart is placed there after the build."""

    def __init__(self, figure: bp.Figure, sink: list[_Slot]):
        super().__init__()
        self.figure = figure
        self.sink = sink
        self.width, self.height = figure.width, figure.height

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.sink.append(_Slot(self.canv.getPageNumber(), round(x, 3), round(y, 3), self.figure))


# ---------------------------------------------------------------- the story


def _story(plan: bp.BriefPlan, theme: Theme, st: _Styles, sink: list[_Slot]) -> list[Flowable]:
    story: list[Flowable] = []
    m = lambda runs: markup(runs, st.link_colour)  # noqa: E731
    marks = 0  # bookmark keys: section-1, section-2, … in reading order
    anchors = {r.number: r.anchor for b in plan.blocks if isinstance(b, bp.References) for r in b.items}
    for block in plan.blocks:
        if isinstance(block, bp.Masthead):
            parts = [_cover(p) for p in block.parts]
            if parts and plan.info.series and block.parts[0] == plan.info.series:
                parts[0] = f"<b>{parts[0]}</b>"
            text = Paragraph(_SEP.join(parts), st.masthead)
            if block.logo:
                logo = Image(block.logo, width=_LOGO, height=_LOGO)
                head = Table([[logo, text]], colWidths=[_LOGO + 8, plan.page.frame_width - _LOGO - 8], hAlign="LEFT")
                head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                          ("FONTNAME", (0, 0), (-1, -1), st.masthead.fontName)]))
                story.append(head)
            else:
                story.append(text)
            story.append(HRFlowable(width="100%", thickness=1.5, color=st.rule_colour, spaceBefore=4, spaceAfter=0))
        elif isinstance(block, bp.Title):
            story.append(_Marked(m(block.runs), st.title, mark=("title", block.text)))
        elif isinstance(block, bp.Subtitle):
            story.append(Paragraph(m(block.runs), st.subtitle))
        elif isinstance(block, bp.Authors):
            story.append(Paragraph(_cover(block.text), st.authors))
        elif isinstance(block, bp.Lead):
            story.append(_Lead(m(block.runs), st.lead, bar=st.rule_colour))
        elif isinstance(block, bp.KeyFigures):
            story.append(_key_figures(block, plan.page.frame_width, st))
        elif isinstance(block, bp.Heading):
            marks += 1
            story.append(CondPageBreak(st.heading_room))
            story.append(_Marked(m(block.runs), st.heading, mark=(f"section-{marks}", block.text),
                                 whole_below=plan.page.frame_height / 2))
        elif isinstance(block, bp.Paragraph):
            story.append(Paragraph(m(block.runs), st.detail if block.role == "detail" else st.body))
        elif isinstance(block, bp.Bullet):
            text = m(block.runs) + "".join(
                f' <a href={_attr("#" + anchors[n])} color={_attr("#" + theme.muted)}>[{n}]</a>'
                for n in block.refs
                if n in anchors
            )
            if block.level == 1:
                story.append(Paragraph(text, st.bullet, bulletText="\u2022"))
            else:
                story.append(Paragraph(text, st.sub_bullet, bulletText="\u2013"))
        elif isinstance(block, bp.Figure):
            caption = f"<b>{_cover(block.label)}</b> {_cover(block.title)}"
            parts: list[Flowable] = [Paragraph(caption, st.caption), _ChartSlot(block, sink), Paragraph(_cover(block.source), st.source)]
            if story and isinstance(story[-1], _Marked) and story[-1].style is st.heading:
                parts.insert(0, story.pop())  # a heading directly over a figure goes where the figure goes
            story.append(KeepTogether(parts))
        elif isinstance(block, bp.References):
            marks += 1
            story.append(CondPageBreak(st.heading_room))
            story.append(_Marked(_cover(block.heading), st.ref_heading, mark=(f"section-{marks}", block.heading),
                                 whole_below=plan.page.frame_height / 2))
            for ref in block.items:
                text = f"<a name={_attr(ref.anchor)}/>" + m(ref.title)
                if ref.publisher:
                    text += ". " + _cover(ref.publisher)
                if ref.url:
                    text += ". " + f"<a href={_attr(ref.url)} color={_attr(st.link_colour)}><u>{_cover(ref.url)}</u></a>"
                story.append(Paragraph(text, st.reference, bulletText=f"{ref.number}."))
        else:  # pragma: no cover - a new block kind without a writer
            raise RenderError(f"the PDF writer cannot draw a '{getattr(block, 'kind', block)}' block")
    return story


def _key_figures(block: bp.KeyFigures, measure: float, st: _Styles) -> Flowable:
    items = list(block.items)
    n = len(items)
    cols = 3 if n in (5, 6, 9) else min(n, 4)
    rows = [items[i : i + cols] for i in range(0, n, cols)]
    data = []
    for row in rows:
        cells = []
        for k in row:
            cell = [Paragraph(_cover(k.value), st.kf_value), Paragraph(markup(k.label, st.link_colour), st.kf_label)]
            if k.source:
                cell.append(Paragraph(_cover(f"{block.source_label} {k.source}"), st.kf_source))
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
    return KeepTogether([Paragraph(_cover(block.heading).upper(), st.kf_heading), table, Spacer(1, 8)])


# ---------------------------------------------------------------- typesetting


@dataclass
class _Typeset:
    pdf: bytes
    pages: int
    slots: list[_Slot]


class _Doc(BaseDocTemplate):
    """A document template that remembers how many pages it made."""

    def __init__(self, buf, **kw):
        super().__init__(buf, **kw)
        self.page_count = 0

    def afterPage(self):
        self.page_count = self.canv.getPageNumber()


class _NumberingCanvas(Canvas):
    """A canvas whose pages show "N / M" through one small form per page, filled in when the total is known.

    One typesetting pass instead of two: each footer draws form `PageNoN`; at save, every form gets its text.
    """

    draw_number = None  # set per document: draw_number(canvas, number, total) draws the right-aligned text

    def save(self):
        total = self.getPageNumber() - 1  # the page after the last showPage
        for n in range(1, total + 1):
            self.beginForm(f"PageNo{n}")
            type(self).draw_number(self, n, total)
            self.endForm()
        super().save()


def _typeset(plan: bp.BriefPlan, theme: Theme, st: _Styles, fonts: _Fonts) -> _Typeset:
    page = plan.page
    info = plan.info
    buf = io.BytesIO()
    doc = _Doc(
        buf,
        pagesize=(page.width, page.height),
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        title=info.title,
        author=", ".join(info.authors),
        subject=info.subject,
        keywords=list(info.keywords),
        creator="deckgen",
        producer="deckgen",
        lang=info.language,
        invariant=1,
        initialFontName=fonts.regular,
        initialFontSize=plan.body_size,
        pageCompression=1,
    )
    frame = Frame(page.left, page.bottom, page.frame_width, page.frame_height, 0, 0, 0, 0, id="body")
    left = _SEP.join(p for p in (info.series, info.classification) if p) or info.title

    def footer(canvas, _doc):
        canvas.saveState()
        canvas.setStrokeColor(st.footer_colour)
        canvas.setLineWidth(0.4)
        canvas.line(page.left, page.footer_y + 11, page.width - page.right, page.footer_y + 11)
        canvas.setFillColor(st.footer_colour)
        canvas.setFont(st.footer_font, st.footer_size)
        reserve = f"{canvas.getPageNumber()} / {canvas.getPageNumber() * 10}"  # room for a total one digit longer
        avail = page.frame_width - pdfmetrics.stringWidth(reserve, st.footer_font, st.footer_size) - 24
        x = page.left
        for font, piece in _font_runs(_fit(left, st.footer_font, st.footer_size, avail), st.footer_font):
            canvas.setFont(font, st.footer_size)
            canvas.drawString(x, page.footer_y, piece)
            x += pdfmetrics.stringWidth(piece, font, st.footer_size)
        canvas.restoreState()
        canvas.doForm(f"PageNo{canvas.getPageNumber()}")

    def draw_number(canvas, number: int, total: int):
        canvas.setFillColor(st.footer_colour)
        canvas.setFont(st.footer_font, st.footer_size)
        canvas.drawRightString(page.width - page.right, page.footer_y, f"{number} / {total}")

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=footer)])
    slots: list[_Slot] = []
    maker = type("_Canvas", (_NumberingCanvas,), {"draw_number": staticmethod(draw_number)})
    try:
        doc.build(_story(plan, theme, st, slots), canvasmaker=maker)
    except Exception as exc:  # reportlab's LayoutError and friends
        raise RenderError(f"cannot lay out the brief: {exc}") from exc
    return _Typeset(buf.getvalue(), doc.page_count, slots)


def _font_runs(text: str, font: str | None) -> list[tuple[str | None, str]]:
    """`text` cut into (font name, piece) runs: characters the theme's font (`font`) lacks go to the first fallback
    that has them; one no face has (the planner already replaced those) becomes U+FFFD from a face that has it."""
    primary = _fallback_state.get("primary", ())
    faces = _fallback_state.get("faces", ())
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        name = font
        if primary and not _fontcov.drawable(ch, primary):
            name = next((n for n, f in faces if _fontcov.drawable(ch, (f,))), None)
            if name is None:  # never a blank box
                name = next((n for n, f in faces if _fontcov.drawable(_fontcov.REPLACEMENT, (f,))), font)
                ch = _fontcov.REPLACEMENT if name != font else "?"
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a footer text with an ellipsis so it fits the width."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# ---------------------------------------------------------------- charts and metadata


def _pdf_date(epoch: int) -> str:
    t = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    return t.strftime("D:%Y%m%d%H%M%S+00'00'")


def _place(page: pikepdf.Page, chart: pikepdf.Page, name: pikepdf.Name, rect: pikepdf.Rectangle) -> None:
    """Draw a chart's page as a Form XObject in rect, under a fixed resource name (pikepdf's add_overlay picks a random one)."""
    form = chart.as_form_xobject()
    page.add_resource(form, pikepdf.Name.XObject, name, replace_existing=False)
    placement = page.calc_form_xobject_placement(form, name, rect, allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def _finish(done: _Typeset, plan: bp.BriefPlan, theme: Theme, epoch: int, charts: ChartStore | None = None) -> bytes:
    store = charts if charts is not None else ChartStore(theme)

    pdf = pikepdf.open(io.BytesIO(done.pdf))
    keep: list[pikepdf.Pdf] = []
    for slot in done.slots:
        fig = slot.figure
        data = store.get(fig.spec(), "pdf", fig.width, fig.height)
        try:
            chart_pdf = pikepdf.open(io.BytesIO(data))
        except pikepdf.PdfError as exc:
            raise RenderError(f"chart '{fig.chart_id}' did not render as a PDF: {exc}") from exc
        keep.append(chart_pdf)
        rect = pikepdf.Rectangle(slot.x, slot.y, slot.x + fig.width, slot.y + fig.height)
        _place(pdf.pages[slot.page - 1], chart_pdf.pages[0], pikepdf.Name(f"/Figure{fig.number}"), rect)
    pdf.Root.Lang = pikepdf.String(plan.info.language)
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    stamp = pikepdf.String(_pdf_date(epoch))
    pdf.docinfo[pikepdf.Name.CreationDate] = stamp
    pdf.docinfo[pikepdf.Name.ModDate] = stamp
    _pdfa(pdf, plan, epoch)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False)
    for other in keep:
        other.close()
    pdf.close()
    return _unambiguous_lengths(out.getvalue())


def _unambiguous_lengths(data: bytes) -> bytes:
    """Re-save until no content stream's raw data ends in CR: PDF/A validators read CR + LF before 'endstream' as one EOL."""
    for _ in range(8):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            fixed = 0
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
                    continue
                is_content = obj.get("/Subtype") == pikepdf.Name.Form or "/Type" not in obj and "/Subtype" not in obj and "/Length1" not in obj
                if not is_content:
                    raise RenderError("a PDF stream ends in CR and cannot be padded (PDF/A would reject it)")
                obj.write(obj.read_bytes() + b"\n")  # a trailing newline changes the compressed bytes, not the drawing
                fixed += 1
            if not fixed:
                return data
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False)
            data = out.getvalue()
    raise RenderError("could not write PDF streams without a trailing CR")


def _srgb_icc() -> bytes:
    """An sRGB ICC profile, made the same way every time (littleCMS's built-in sRGB)."""
    from PIL import ImageCms

    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = bytes(12)  # the header's creation date-time: littleCMS writes the current time
    icc[84:100] = bytes(16)  # the profile ID (an MD5 over the header): zero means "not computed"
    return bytes(icc)


def _xmp(plan: bp.BriefPlan, epoch: int) -> bytes:
    """PDF/A-2b XMP metadata mirroring the Info dictionary; dates from the epoch."""
    info = plan.info
    when = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    x = lambda t: escape(t)  # noqa: E731
    creators = "".join(f"<rdf:li>{x(a)}</rdf:li>" for a in info.authors)
    lang = x(info.language)
    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{x(info.title)}</rdf:li></rdf:Alt></dc:title>'
        + (f"<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>" if info.authors else "")
        + f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{x(info.subject)}</rdf:li></rdf:Alt></dc:description>'
        f"<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate><xmp:CreatorTool>deckgen</xmp:CreatorTool></rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>deckgen</pdf:Producer><pdf:Keywords>{x(', '.join(info.keywords))}</pdf:Keywords></rdf:Description>",
        "</rdf:RDF></x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(parts).encode("utf-8")


def _pdfa(pdf: pikepdf.Pdf, plan: bp.BriefPlan, epoch: int) -> None:
    """Make the document PDF/A-2b: XMP metadata, an sRGB output intent, printable annotations, page groups."""
    info = plan.info
    pdf.docinfo[pikepdf.Name.Title] = pikepdf.String(info.title)
    pdf.docinfo[pikepdf.Name.Author] = pikepdf.String(", ".join(info.authors))
    pdf.docinfo[pikepdf.Name.Subject] = pikepdf.String(info.subject)
    pdf.docinfo[pikepdf.Name.Keywords] = pikepdf.String(", ".join(info.keywords))
    pdf.docinfo[pikepdf.Name.Creator] = pikepdf.String("deckgen")
    pdf.docinfo[pikepdf.Name.Producer] = pikepdf.String("deckgen")
    for key in list(pdf.docinfo.keys()):
        if key not in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
            del pdf.docinfo[key]
    meta = pdf.make_stream(_xmp(plan, epoch))
    meta.Type = pikepdf.Name.Metadata
    meta.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = meta
    icc = pdf.make_stream(_srgb_icc())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=pikepdf.String("sRGB"),
        Info=pikepdf.String("sRGB IEC61966-2.1"), DestOutputProfile=icc,
    )])
    for page in pdf.pages:
        page.obj.Group = pikepdf.Dictionary(Type=pikepdf.Name.Group, S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        for annot in page.obj.get("/Annots", []):
            annot.F = 4  # Print
        _strip_default_spaces(page.obj)


def _strip_default_spaces(page: pikepdf.Dictionary) -> None:
    """Remove /DefaultRGB|Gray colour-space overrides (device colour is covered by the output intent)."""
    seen: set = set()

    def visit(res):
        if not isinstance(res, pikepdf.Dictionary) or res.objgen in seen and res.objgen != (0, 0):
            return
        seen.add(res.objgen)
        cs = res.get("/ColorSpace")
        if isinstance(cs, pikepdf.Dictionary):
            for k in ("/DefaultRGB", "/DefaultGray", "/DefaultCMYK"):
                if k in cs:
                    del cs[k]
        for xo in (res.get("/XObject") or {}).values():
            if isinstance(xo, pikepdf.Stream) and "/Resources" in xo:
                visit(xo.Resources)

    visit(page.get("/Resources"))


def page_count(data: bytes) -> int:
    """The number of pages of a PDF made by write_brief (for the build manifest)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)
