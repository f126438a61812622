"""The deck plan drawn as SVG, one document per slide: every frame where the plan puts it, its text broken into lines
with the planner's own font metrics, charts and tables from their plans — a preview that needs no office suite."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ...inline import Run
from ...layout.deck import FIGURE_PADDING, NAMEPLATE_SIZE
from ...layout.slides import (
    COLUMN_GAP,
    AgendaSlide,
    number_hang,
    BoxSlide,
    BulletSlide,
    BulletsChartSlide,
    BulletsPictureSlide,
    ChartSlide,
    ClosingSlide,
    ComparisonSlide,
    ConclusionsSlide,
    DeckPlan,
    Frame,
    KeyFiguresSlide,
    PanelSlide,
    PictureSlide,
    QuoteSlide,
    RecommendationsSlide,
    SectionSlide,
    Slide,
    SourcesSlide,
    TableSlide,
    TextSlide,
    TitleSlide,
)
from .canvas import P, Canvas, TextBox
from .chart import draw_chart

__all__ = ["SlideDrawing", "TextBox", "draw_deck", "draw_slide"]

WHITE = "FFFFFF"
SMALL = 12.0  # pt: footer, slide number, sources under charts


@dataclass(frozen=True)
class SlideDrawing:
    """One slide drawn: its number, the SVG document, and each text frame with its lines (for comparing line breaks)."""

    number: int
    svg: str
    boxes: tuple[TextBox, ...]


def draw_deck(plan: DeckPlan, ctx) -> list[SlideDrawing]:
    """Every slide of the plan drawn; `ctx` is the deck's typesetting context (fonts measured as the planner did)."""
    return [draw_slide(plan, ctx, s) for s in plan.slides]


def draw_slide(plan: DeckPlan, ctx, s: Slide) -> SlideDrawing:
    """One slide of the plan as SVG."""
    g = plan.geometry
    theme = ctx.theme
    c = Canvas(float(g.width), float(g.height), ctx.fonts, family=ctx.fonts.declared)
    look = plan.look
    cover = isinstance(s, (TitleSlide, ClosingSlide))
    builtin = look is None
    c.rect(Frame(0, 0, g.width, g.height), theme.primary if cover and builtin else WHITE)
    body_ink = look.body_colour if look else theme.text
    title_ink = (look.cover_title_colour if cover else look.title_colour) if look else (WHITE if cover else theme.primary)
    # the title
    size = float(s.title_size or (g.cover_title_size if cover else g.title_size))
    frame = g.cover_title if cover else g.title
    if isinstance(s, SectionSlide):
        frame = Frame(g.title.x, 170 if look is None else look.section_title_y, g.title.w, g.title.h)
    c.textbox("title", frame, [P(s.title, size, title_ink, bold=True, spacing=g.title_spacing)], anchor="t" if isinstance(s, SectionSlide) else "b",
              inset_y=3.6)
    if builtin and not isinstance(s, SectionSlide):
        rule = Frame(71.2, 324, 96, 5) if cover else Frame(g.title.x + 7.2, g.title.y + g.title.h + 4, 72, 4)
        c.rect(rule, theme.accent)
    DRAW.get(type(s), _nothing)(c, s, plan, theme, body_ink)
    if not cover:
        if builtin:
            c.line(g.footer.x, g.footer.y - 4, g.number.x + g.number.w, g.footer.y - 4, "E1E4EA", 0.75)
        ink = (look.footer_colour if look and look.footer_colour else theme.muted)
        if plan.info.footer:
            c.textbox("footer", g.footer, [P((Run(plan.info.footer),), SMALL, ink)], anchor="m")
        c.textbox("number", g.number, [P((Run(str(s.number)),), SMALL, ink, align="end")], anchor="m")
    if plan.banner is not None:
        b = plan.banner
        for name, f in (("banner top", b.top), ("banner bottom", b.bottom)):
            c.rect(f, b.fill)
            c.text(f.x + f.w / 2, f.y + f.h / 2 + b.size * 0.35, b.label, float(b.size), b.ink, bold=True, anchor="middle")
    return SlideDrawing(s.number, c.svg(), tuple(c.boxes))


def _nothing(*_args) -> None:
    return None


def _paras(s: TextSlide, plan: DeckPlan, theme, ink: str) -> list[P]:
    """The body paragraphs of a slide as the deck writer styles them."""
    st = plan.geometry.style
    out = []
    number = 1
    for para in s.body:
        lv = min(para.level, 1)
        size = float(para.size or st.sizes[lv])
        bullet = st.bullets[lv]
        colour, bullet_colour, italic = ink, theme.accent if lv == 0 else theme.muted, False
        margin = float(st.margins[lv])
        if isinstance(s, AgendaSlide):  # its own number, hanging in the margin, in the accent (the link)
            bullet, bullet_colour, margin = str(number), theme.accent, number_hang(st, size)
            number += 1
        elif isinstance(s, RecommendationsSlide) and lv == 0:
            bullet, bullet_colour = f"{number}.", theme.accent
            number += 1
        elif isinstance(s, ConclusionsSlide) and lv == 0:
            bullet, bullet_colour = "■", theme.accent
        elif para.key and lv == 0:
            bullet_colour = theme.accent
        if para.key and plan.look is None:
            colour = theme.primary
        if isinstance(s, SourcesSlide):
            bullet = ""
        if para.style == "plain":  # a box's or a column's text: no bullet, from the frame's edge
            bullet, margin = "", 0.0
        if para.style in ("quote", "attribution"):
            bullet, margin = "", 24.0
            italic = para.style == "quote"
            colour = theme.primary if italic else theme.muted
        out.append(P(para.runs, size, colour, italic=italic, margin=margin, bullet=bullet, bullet_colour=bullet_colour,
                     space_before=float(st.space_before[lv]) + (12.0 if para.style == "attribution" else 0.0),
                     spacing=st.line_spacing[lv]))
    return out


def draw_body(c: Canvas, s: TextSlide, plan: DeckPlan, theme, ink: str) -> None:
    g = plan.geometry
    if isinstance(s, QuoteSlide) and s.edge is not None:
        c.rect(s.edge, theme.accent)
    elif isinstance(s, PanelSlide) and s.panel is not None:
        c.rect(s.panel, theme.light)
        c.rect(Frame(s.panel.x, s.panel.y, 5, s.panel.h), theme.accent)
    columns = s.columns if isinstance(s, SourcesSlide) else 1
    c.textbox("body", getattr(s, "body_frame", None) or g.body, _paras(s, plan, theme, ink), anchor="m" if s.centred else "t",
              columns=columns, gap=COLUMN_GAP)


def draw_cover(c: Canvas, s: TextSlide, plan: DeckPlan, theme, ink: str) -> None:
    looks = {"subtitle": (24.0, WHITE), "authors": (20.0, theme.light), "meta": (18.0, theme.light)}
    paras = []
    for para in s.body:
        size, colour = looks.get(para.style, (18.0, theme.light))
        if plan.look is not None:
            colour = plan.look.cover_colour
        paras.append(P(para.runs, float(para.size or size), colour, space_before=14.0 if para.style == "meta" else 0.0))
    c.textbox("body", plan.geometry.cover_subtitle, paras)
    if isinstance(s, TitleSlide) and s.nameplate and s.nameplate_frame is not None:
        plate_ink = plan.look.cover_title_colour if plan.look is not None else theme.light
        c.textbox("nameplate", s.nameplate_frame, [P((Run(s.nameplate, bold=True),), NAMEPLATE_SIZE, plate_ink, bold=True)],
                  anchor="b")


def draw_section(c: Canvas, s: SectionSlide, plan: DeckPlan, theme, ink: str) -> None:
    g = plan.geometry
    top = 170 if plan.look is None else plan.look.section_title_y
    if s.body:
        c.textbox("number", Frame(g.title.x, top - 50, g.title.w, 44), [P(s.body[0].runs, 28.0, theme.accent, bold=True)], anchor="b")


def draw_figures(c: Canvas, s: KeyFiguresSlide, plan: DeckPlan, theme, ink: str) -> None:
    for k, f in enumerate(s.figures):
        c.rect(f.frame, theme.light)
        paras = [P((Run(f.value, bold=True),), float(f.value_size), theme.primary, bold=True),
                 P(f.label, float(f.label_size), theme.text, space_before=6.0)]
        if f.source:
            paras.append(P((Run(f.source),), float(f.source_size), theme.muted, space_before=10.0))
        c.textbox(f"figure {k + 1}", f.frame, paras, inset_x=FIGURE_PADDING, inset_y=FIGURE_PADDING)
        c.rect(Frame(f.frame.x, f.frame.y, f.frame.w, 4), theme.accent)


def draw_chart_slide(c: Canvas, s: ChartSlide | BulletsChartSlide, plan: DeckPlan, theme, ink: str) -> None:
    g = plan.geometry
    if s.chart is not None:
        draw_chart(c, s.chart, getattr(s, "chart_frame", None) or g.chart)
    if s.source:
        c.textbox("source", getattr(s, "source_frame", None) or g.source, [P(s.source, float(s.source_size), theme.muted)])


def draw_bullets_chart(c: Canvas, s: BulletsChartSlide, plan: DeckPlan, theme, ink: str) -> None:
    draw_body(c, s, plan, theme, ink)
    draw_chart_slide(c, s, plan, theme, ink)


def draw_table(c: Canvas, s: TableSlide, plan: DeckPlan, theme, ink: str) -> None:
    tp = s.table
    if tp is not None:
        y = float(tp.frame.y)
        for r, line in enumerate((tp.header, *tp.rows)):
            header = r == 0
            fill = theme.primary if header else (theme.light if line.key else WHITE)
            text = WHITE if header else theme.text
            x = float(tp.frame.x)
            h = float(line.height)
            c.rect(Frame(x, y, sum(float(w) for w in tp.widths), h), fill)
            for cell, w, al in zip(line.cells, tp.widths, tp.align):
                f = Frame(x, y, float(w), h)
                c.textbox(f"table r{r}", f, [P((Run(cell),), float(tp.size), text, bold=header or line.key or line.total,
                                                align="end" if al == "right" else "start")],
                          anchor="b" if header else "t", inset_x=float(tp.pad_x), inset_y=float(tp.pad_y))
                x += float(w)
            c.line(float(tp.frame.x), y + h, x, y + h, theme.primary if header or r == len(tp.rows) else "D9D9D9",
                   1.5 if header or r == len(tp.rows) else 0.75)
            y += h
    if s.source:
        c.textbox("source", plan.geometry.source, [P(s.source, float(s.source_size), theme.muted)])


def _picture(c: Canvas, pic, f: Frame | None, alt: str) -> None:
    if pic is None or f is None or not pic.data:
        return
    mime = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}.get(pic.kind, "image/png")
    data = base64.b64encode(pic.data).decode("ascii")
    c.raw(f'<image x="{f.x:.2f}" y="{f.y:.2f}" width="{f.w:.2f}" height="{f.h:.2f}" preserveAspectRatio="xMidYMid meet" '
          f'xlink:href="data:{mime};base64,{data}"><title>{escape(alt)}</title></image>')


def draw_picture(c: Canvas, s: PictureSlide | BulletsPictureSlide, plan: DeckPlan, theme, ink: str) -> None:
    if isinstance(s, BulletsPictureSlide):
        draw_body(c, s, plan, theme, ink)
    _picture(c, s.picture, s.frame, s.alt)
    if s.credit and s.credit_frame is not None:
        c.textbox("credit", s.credit_frame, [P(s.credit, float(s.credit_size), theme.muted)])


def draw_comparison(c: Canvas, s: ComparisonSlide, plan: DeckPlan, theme, ink: str) -> None:
    for k, col in enumerate(s.columns):
        c.textbox(f"heading {k + 1}", col.heading_frame, [P(col.heading, float(col.heading_size), theme.primary, bold=True)], anchor="b")
        fake = TextSlide(title=(), body=col.body)
        c.textbox(f"column {k + 1}", col.body_frame, _paras(fake, plan, theme, ink))


DRAW = {
    TitleSlide: draw_cover,
    ClosingSlide: draw_cover,
    SectionSlide: draw_section,
    KeyFiguresSlide: draw_figures,
    ChartSlide: draw_chart_slide,
    BulletsChartSlide: draw_bullets_chart,
    TableSlide: draw_table,
    PictureSlide: draw_picture,
    BulletsPictureSlide: draw_picture,
    ComparisonSlide: draw_comparison,
}
DRAW.update({kind: draw_body for kind in (AgendaSlide, BulletSlide, BoxSlide, SourcesSlide, ConclusionsSlide,
                                          RecommendationsSlide, QuoteSlide)})
