"""The slide geometry a deck is laid out in — the built-in template's or a user's template's frames, sizes and spacing —
and the look a user's template gives its text (inks readable on what lies behind, plates where none is) (pure)."""
from __future__ import annotations

from ..template import ink_and_plate, readable
from ..typeset import Typesetting
from ..units import Colour
from .slides import BodyStyle, Frame, Geometry, Look


def default_geometry(ctx: Typesetting) -> Geometry:
    """The slide of the context and its frames: the built-in template's (16:9, 960 x 540 pt = 13.333 x 7.5 in), or
    those of the user's template layouts (`template_geometry`)."""
    if ctx.template is not None:
        return template_geometry(ctx)
    theme = ctx.theme
    w, h = ctx.slide
    mx = 48.0
    return Geometry(
        width=w,
        height=h,
        title=Frame(mx, 24, w - 2 * mx, 78),
        body=Frame(mx, 124, w - 2 * mx, 360),
        chart=Frame(mx, 118, w - 2 * mx, 336),
        source=Frame(mx, 458, w - 2 * mx, 38),
        footer=Frame(mx, 502, 560, 24),
        number=Frame(w - mx - 120, 502, 120, 24),
        cover_title=Frame(64, 96, w - 128, 216),
        cover_subtitle=Frame(64, 344, w - 128, 150),
        title_size=theme.deck_title_size,
        cover_title_size=40.0,
        style=BodyStyle(
            sizes=(theme.deck_body_size, theme.deck_min_body_size),
            margins=(24.0, 56.0),
            space_before=(12.0, 4.0),
            inset=7.2,
        ),
    )


def template_geometry(ctx: Typesetting) -> Geometry:
    """Frames, sizes and spacing read from the user's template: the text layout's title and body placeholders, the
    cover layout's title and subtitle, the footer placeholders; a chart takes the body's place above a source band."""
    info = ctx.template
    assert info is not None
    w, h = info.width, info.height
    text = info.layout(ctx.layouts["bullets"].layout) if "bullets" in ctx.layouts else info.layouts[0]
    cover = info.layout(ctx.layouts["title"].layout) if "title" in ctx.layouts else text
    margin = round(min(w, h) * 0.06, 2)
    title = _box(text, ("title", "ctrTitle"))
    body = _box(text, ("obj", "body"))
    title_frame = title.frame if title else Frame(margin, margin, w - 2 * margin, h * 0.15)
    body_frame = body.frame if body else Frame(margin, title_frame.y + title_frame.h + 8, w - 2 * margin, h * 0.6)
    if body_frame.y + body_frame.h > h - 6:  # a body running to the slide's edge: keep its text on the slide
        body_frame = Frame(body_frame.x, body_frame.y, body_frame.w, h - 6 - body_frame.y)
    band = min(38.0, body_frame.h * 0.2)
    foot = _box(text, ("ftr",))
    num = _box(text, ("sldNum",))
    footer = foot.frame if foot else Frame(margin, h - margin * 0.9, w * 0.55, 24)
    number = num.frame if num else Frame(w - margin - 120, footer.y, 120, footer.h)
    ct, cs = _box(cover, ("ctrTitle", "title")), _box(cover, ("subTitle", "obj", "body"))
    levels = body.levels if body else ()
    lv = [levels[i] if len(levels) > i else None for i in (0, 1)]
    size0 = lv[0].size if lv[0] else ctx.theme.deck_body_size
    size1 = lv[1].size if lv[1] else size0
    insets = body.insets if body else (7.2, 3.6, 7.2, 3.6)
    return Geometry(
        width=w,
        height=h,
        title=title_frame,
        body=body_frame,
        chart=Frame(body_frame.x, body_frame.y, body_frame.w, body_frame.h - band),
        source=Frame(body_frame.x, body_frame.y + body_frame.h - band, body_frame.w, band),
        footer=footer,
        number=number,
        cover_title=ct.frame if ct else title_frame,
        cover_subtitle=cs.frame if cs else body_frame,
        title_size=title.levels[0].size if title and title.levels else ctx.theme.deck_title_size,
        cover_title_size=ct.levels[0].size if ct and ct.levels else ctx.theme.deck_title_size,
        title_spacing=title.levels[0].line_spacing if title and title.levels else 1.0,
        style=BodyStyle(
            sizes=(size0, size1),
            margins=_hangs(lv[0].margin if lv[0] else 24.0, lv[1].margin if lv[1] else 56.0, size0, size1),
            space_before=(lv[0].space_before if lv[0] else 0.0, lv[1].space_before if lv[1] else 0.0),
            inset=max(insets),
            line_spacing=(lv[0].line_spacing if lv[0] else 1.0, lv[1].line_spacing if lv[1] else 1.0),
            bullets=(_plain_bullet(lv[0].bullet if lv[0] else ""), _plain_bullet(lv[1].bullet if lv[1] else "")),
        ),
    )


def _plain_bullet(char: str) -> str:
    """A template's bullet, with a symbol-font character (private use area: Wingdings, OpenSymbol) as a plain '•' —
    fonts for those differ between clients."""
    return "•" if char and any(0xE000 <= ord(c) <= 0xF8FF for c in char) else char


def _hangs(m0: float, m1: float, size0: float, size1: float) -> tuple[float, float]:
    """Left margins per level with room for a bullet or a number to hang in (at least 0.9 em; a template may give 0)."""
    first = max(m0, round(size0 * 0.9, 1))
    return first, max(m1, round(first + size1 * 0.9, 1))


def _box(layout, types: tuple[str, ...]):
    found = layout.of(*types)
    return found[0] if found else None


def template_look(ctx: Typesetting, geo: Geometry) -> Look | None:
    """The template's text colours and fonts, for the writer to state on every run (None: the built-in template);
    where no colour keeps 4.5:1 on what lies behind a text (a picture, a gradient), a plate goes behind it."""
    info = ctx.template
    if info is None:
        return None
    theme = ctx.theme
    cols = info.colours
    cover = info.layout(ctx.layouts["title"].layout) if "title" in ctx.layouts else None
    text = info.layout(ctx.layouts["bullets"].layout) if "bullets" in ctx.layouts else None
    chart = info.layout(ctx.layouts["chart"].layout) if "chart" in ctx.layouts else text
    tt = text.of("title", "ctrTitle") if text else ()
    ct = cover.of("ctrTitle", "title") if cover else ()
    cs = cover.of("subTitle", "obj", "body") if cover else ()
    plate = Colour("FFFFFF") if theme.text.luminance < 0.4 else Colour("1E1E1E")  # a neutral plate for the ink

    def on(layout, frame, ink):
        return ink_and_plate(ink, layout.grounds(frame) if layout else None, cols, plate)

    title_ink, title_plate = on(text, geo.title, tt[0].colour if tt and tt[0].colour else cols.get("dk2") or theme.text)
    body_ink, body_plate = on(text, geo.body, theme.text)
    cover_title_ink, cover_title_plate = on(cover, geo.cover_title, ct[0].colour if ct and ct[0].colour else theme.primary)
    cover_ink, cover_plate = on(cover, geo.cover_subtitle, cs[0].colour if cs and cs[0].colour else theme.text)
    _, chart_plate = on(chart, geo.chart, theme.text)
    link = cols.get("hlink") or Colour("0563C1")
    link = readable(link, body_plate or (text.grounds(geo.body) if text else None) or plate, cols)
    return Look(
        title_colour=title_ink, title_font=tt[0].font if tt else theme.deck_font_name,
        body_colour=body_ink, body_font=theme.deck_font_name,
        cover_title_colour=cover_title_ink, cover_colour=cover_ink,
        section_title_y=round(geo.height * 0.36, 2),
        footer_colour=ink_at(ctx, text, geo.footer, ("ftr",)),
        number_colour=ink_at(ctx, text, geo.number, ("sldNum",)),
        link_colour=link, title_plate=title_plate, body_plate=body_plate, cover_title_plate=cover_title_plate,
        cover_plate=cover_plate, chart_plate=chart_plate,
    )


def ink_at(ctx: Typesetting, layout, frame: Frame, types: tuple[str, ...]) -> Colour | None:
    """A readable colour (4.5:1) for small text in `frame` of `layout`: its placeholder's own colour or the muted
    one, else the template colour that contrasts most with what lies there."""
    if layout is None or ctx.template is None:
        return None
    boxes = layout.of(*types)
    own = boxes[0].colour if boxes and boxes[0].colour else ctx.theme.muted
    grounds = layout.grounds(frame)
    return readable(own, grounds, ctx.template.colours) if grounds else own
