"""What a deck template offers, as data (slide size, layouts, their placeholders' frames and text styles, theme colours
and fonts), and which layout each slide kind uses — chosen by what a layout holds, names only breaking ties (pure)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout.slides import Frame
from .units import BLACK, Colour, Pt

# Placeholder types as OOXML names them (p:ph/@type; "obj" when absent).
TITLE_TYPES = ("title", "ctrTitle")
BODY_TYPES = ("body", "obj")
DECOR_TYPES = ("dt", "ftr", "sldNum", "hdr")


@dataclass(frozen=True)
class Level:
    """One paragraph level of a placeholder, resolved through layout → master → text styles."""

    size: Pt
    margin: Pt  # marL: where the text starts
    indent: Pt  # first-line indent (negative: the bullet hangs left of the text)
    space_before: Pt
    line_spacing: float  # 1.0 = single (100 %)
    bold: bool = False
    bullet: str = ""  # the bullet character ("" none; "1." for numbers)


@dataclass(frozen=True)
class Box:
    """A placeholder of a layout: its type and index, frame, insets, anchor, font, colour and paragraph levels."""

    type: str
    idx: int
    frame: Frame
    insets: tuple[Pt, Pt, Pt, Pt]  # left, top, right, bottom
    anchor: str  # t, ctr, b
    font: str  # the latin typeface the text is set in (theme fonts resolved)
    colour: Colour | None  # the text colour (None: not stated anywhere)
    levels: tuple[Level, ...]  # the first two: points and sub-points
    autofit: str = "none"  # none, shrink (normAutofit), grow (spAutoFit)


@dataclass(frozen=True)
class Paint:
    """What a master or layout draws itself (a shape, a picture, the background): its frame and what lies there — one
    colour, or the colours of a coarse grid over a picture or a gradient's stops (`cells`, row by row), or unknown."""

    frame: Frame
    colour: Colour | None = None
    cells: tuple[tuple[Colour, ...], ...] = ()

    def under(self, frame: Frame) -> tuple[Colour, ...] | None:
        """The colours behind `frame` within this paint (None: unknown)."""
        if self.colour is not None:
            return (self.colour,)
        if not self.cells:
            return None
        rows, cols = len(self.cells), len(self.cells[0])
        fx, fy, fw, fh = self.frame.x, self.frame.y, self.frame.w or 1, self.frame.h or 1
        out = []
        for r, row in enumerate(self.cells):
            for c, colour in enumerate(row):
                x0, y0 = fx + fw * c / cols, fy + fh * r / rows
                x1, y1 = fx + fw * (c + 1) / cols, fy + fh * (r + 1) / rows
                if x1 > frame.x and x0 < frame.x + frame.w and y1 > frame.y and y0 < frame.y + frame.h:
                    out.append(colour)
        return tuple(out) or None


@dataclass(frozen=True)
class LayoutInfo:
    """A slide layout: name, its master (0-based), position in the template, placeholders, background colour if solid."""

    name: str
    master: int
    index: int
    boxes: tuple[Box, ...]
    background: Colour | None = None
    decor: tuple[Paint, ...] = ()  # the background picture, the master's and the layout's own shapes, bottom up

    def grounds(self, frame: Frame) -> tuple[Colour, ...] | None:
        """Every colour that may lie behind some of `frame`, bottom up: the slide's background (white when the
        template states none), then each paint over part of the frame — a paint over all of it hides what is below;
        None when something there is unknown (a group, an unreadable picture)."""
        found: list[Colour] = [self.background or Colour("FFFFFF")]
        zone = Frame(frame.x, frame.y, frame.w, frame.h * 0.9)  # a corner mark at the very foot holds no text
        for paint in self.decor:
            f = paint.frame
            if f.x + f.w <= zone.x or f.x >= zone.x + zone.w or f.y + f.h <= zone.y or f.y >= zone.y + zone.h:
                continue
            under = paint.under(frame)
            if under is None:
                return None
            covers = f.x <= frame.x and f.y <= frame.y and f.x + f.w >= frame.x + frame.w and f.y + f.h >= frame.y + frame.h
            found = list(under) if covers else found + list(under)
        return tuple(dict.fromkeys(found))

    def ground_at(self, frame: Frame) -> Colour | None:
        """One colour standing for what lies behind `frame` (the median by luminance), None when unknown."""
        found = self.grounds(frame)
        if not found:
            return None
        return sorted(found, key=lambda c: c.luminance)[len(found) // 2]

    def clutter(self, frame: Frame) -> float:
        """How much of `frame` the layout's own shapes cover, 0 to 1 (a single shape holding all of it, such as a
        panel, counts as none: the text sits on it)."""
        area = frame.w * frame.h or 1.0
        covered = 0.0
        for paint in self.decor:
            f = paint.frame
            if paint.cells and f.x <= frame.x and f.y <= frame.y:  # a picture under all of the frame: busy ground
                covered += frame.w * frame.h * _spread(paint.under(frame) or ())
                continue
            if f.x <= frame.x and f.y <= frame.y and f.x + f.w >= frame.x + frame.w and f.y + f.h >= frame.y + frame.h:
                continue
            w = min(f.x + f.w, frame.x + frame.w) - max(f.x, frame.x)
            h = min(f.y + f.h, frame.y + frame.h) - max(f.y, frame.y)
            if w > 0 and h > 0:
                covered += w * h
        return min(1.0, covered / area)

    def of(self, *types: str) -> tuple[Box, ...]:
        """The placeholders of these types, in order."""
        return tuple(b for b in self.boxes if b.type in types)

    @property
    def content(self) -> tuple[Box, ...]:
        """The placeholders that are not decoration (date, footer, slide number, header)."""
        return tuple(b for b in self.boxes if b.type not in DECOR_TYPES)


@dataclass(frozen=True)
class TemplateInfo:
    """A .pptx template as deckgen lays out on it."""

    width: Pt
    height: Pt
    layouts: tuple[LayoutInfo, ...]
    colours: dict[str, Colour]  # dk1, lt1, dk2, lt2, accent1..6, hlink, folHlink
    major_font: str
    minor_font: str
    examples: tuple[int, ...] = ()  # the layout each of the template's own example slides uses, in order

    def layout(self, index: int) -> LayoutInfo:
        return self.layouts[index]


@dataclass(frozen=True)
class Choice:
    """The layout a slide kind uses and why."""

    kind: str
    layout: int  # index in TemplateInfo.layouts
    name: str
    reason: str


# what each slide kind needs: "cover" (title + subtitle/body), "text" (title + one body), "title" (title, no body)
NEEDS = {
    "title": "cover", "closing": "cover", "section": "section",
    "agenda": "text", "bullets": "text", "bullets_chart": "text", "quote": "text", "conclusions": "text",
    "recommendations": "text", "sources": "text",
    "chart": "title", "key_figures": "title",
    "table": "title",
    "picture": "title", "bullets_picture": "text", "box": "text", "comparison": "comparison",
}
_NAME_HINTS = {
    "cover": re.compile(r"title\s*slide|cover|titel", re.I),
    "section": re.compile(r"section|divider|header", re.I),
    "text": re.compile(r"content|text|bullet|inhalt", re.I),
    "title": re.compile(r"title\s*only|only\s*title", re.I),
    "comparison": re.compile(r"compar|vergleich|two\s*(column|content)", re.I),
}
WHAT = {"cover": "a title and a subtitle (or body) placeholder", "text": "a title and one body or content placeholder",
        "title": "a title placeholder", "section": "a title placeholder",
        "comparison": "a title and four body placeholders (two headings, two bodies)"}


def _score(layout: LayoutInfo, need: str, info: TemplateInfo | None = None) -> tuple[float, str] | None:
    """How well a layout serves a need (higher is better) and why; None when it cannot. Text layouts with a larger
    body and title-only layouts with more room under the title win; a fitting name breaks ties."""
    page = (info.width * info.height) if info is not None else 1e6
    height = info.height if info is not None else 540.0
    titles = layout.of(*TITLE_TYPES)
    bodies = layout.of(*BODY_TYPES)
    subs = layout.of("subTitle")
    others = [b for b in layout.content if b.type not in (*TITLE_TYPES, *BODY_TYPES, "subTitle")]
    named = bool(_NAME_HINTS[need].search(layout.name))
    if not titles:
        return None
    if need == "cover":
        if not (subs or bodies):
            return None
        score = (4 if titles[0].type == "ctrTitle" else 2) + (2 if subs else 0) + (1 if named else 0)
        return score, f"{'centre title' if titles[0].type == 'ctrTitle' else 'title'} + {'subtitle' if subs else 'body'}" + (", by name" if named else "")
    if need == "text":
        if len(bodies) != 1 or subs:
            return None
        area = bodies[0].frame.w * bodies[0].frame.h / page
        clutter = layout.clutter(bodies[0].frame)
        return 10 * area - 8 * clutter - len(others) + (0.5 if named else 0), \
            "title + one body, the largest and clearest" + (", by name" if named else "")
    if need == "comparison":  # title + two heading bodies + two content bodies, in two columns
        if len(bodies) != 4 or subs or len({round(b.frame.x) for b in bodies}) != 2:
            return None
        return 10 - len(others) + (0.5 if named else 0), "title + two headings + two bodies" + (", by name" if named else "")
    if need == "title":
        if bodies or subs:
            return None
        room = (height - titles[0].frame.y - titles[0].frame.h) / height
        below = Frame(0, titles[0].frame.y + titles[0].frame.h, info.width if info else 720, height - titles[0].frame.y - titles[0].frame.h)
        return 10 * room - 8 * layout.clutter(below) - len(others) + (0.5 if named else 0), \
            "title only, most clear room under it" + (", by name" if named else "")
    # section: a section header by name, else a title-only layout
    if named and titles and not bodies[1:]:
        return 8, "section header by name"
    if not bodies and not subs:
        return 3, "title only (no section header layout)"
    return None


def choose(info: TemplateInfo, kinds: list[str], overrides: dict[str, str]) -> tuple[dict[str, Choice], list[str]]:
    """The layout of each slide kind (theme.layouts overrides by name win), and the problems (kinds no layout serves).

    Among layouts that can serve a kind, the best score wins; equal scores go to the earlier layout (first master first).
    A section with no section-header or title-only layout uses the text layout."""
    by_name: dict[str, int] = {}
    for lay in info.layouts:
        by_name.setdefault(lay.name, lay.index)
    chosen: dict[str, Choice] = {}
    problems: list[str] = []
    # the template's own example slides show which master is meant for what: the first for the cover, the first one
    # on a text layout for the content; other kinds follow the content's master
    cover_example = info.examples[0] if info.examples else None
    text_example = next((i for i in info.examples if _score(info.layouts[i], "text", info) is not None), None)
    content_master = -1

    def bonus(lay: LayoutInfo, need: str) -> float:
        if need == "cover":
            return 5.0 if lay.index == cover_example or (cover_example is None and lay.master == 0) else 0.0
        if need == "text" and lay.index == text_example:
            return 3.0
        return 2.0 if lay.master == content_master else 0.0

    def best_for(need: str) -> tuple[float, int, str] | None:
        """The best-scoring layout for a need (score with bonus, index, why); the earlier layout on a tie."""
        best: tuple[float, int, str] | None = None
        for lay in info.layouts:
            scored = _score(lay, need, info)
            if scored is None:
                continue
            value = scored[0] + bonus(lay, need)
            why = scored[1] + (", as in the template's example slides" if bonus(lay, need) >= 3 and lay.index in info.examples else "")
            if best is None or value > best[0] + 1e-9:
                best = (value, lay.index, why)
        return best

    text_best = best_for("text")
    if text_best is not None:  # other kinds follow the master of the best text layout
        content_master = info.layouts[text_best[1]].master
    for kind in kinds:
        name = overrides.get(kind)
        if name is not None:
            if name not in by_name:
                problems.append(f"theme.layouts maps {kind} slides to '{name}', which the template does not have; its layouts are: "
                                + ", ".join(f"'{n}'" for n in by_name))
                continue
            lay = info.layouts[by_name[name]]
            need = NEEDS.get(kind, "text")
            if need != "section" and _score(lay, need, info) is None:
                problems.append(f"layout '{name}' (theme.layouts, for {kind} slides) lacks {WHAT[need]}")
                continue
            chosen[kind] = Choice(kind, lay.index, lay.name, "theme.layouts")
            continue
        need = NEEDS.get(kind, "text")
        best = text_best if need == "text" else best_for(need)
        if best is None and need == "comparison":  # no comparison layout: columns drawn as text boxes under a title
            best = best_for("title") or text_best
        if best is None and need in ("section", "title"):
            text = chosen.get("bullets") or (Choice("bullets", text_best[1], info.layouts[text_best[1]].name, text_best[2])
                                             if text_best else None)
            if text is not None:
                why = ("no section header or title-only layout: the text layout" if need == "section"
                       else "no title-only layout: the text layout, its body left out")
                chosen[kind] = Choice(kind, text.layout, text.name, why)
                continue
        if best is None:
            problems.append(f"no layout has {WHAT[need]} for {kind} slides; the template's layouts are: "
                            + ", ".join(f"'{lay.name}' ({_describe(lay)})" for lay in info.layouts)
                            + " — add such a layout to the template (View › Slide Master in PowerPoint) or name one in theme.layouts")
            continue
        chosen[kind] = Choice(kind, best[1], info.layouts[best[1]].name, best[2])
    return chosen, problems


def _describe(layout: LayoutInfo) -> str:
    return " + ".join(b.type for b in layout.content) or "no placeholders"


def template_theme(theme, info: TemplateInfo, choices: dict[str, Choice]):
    """The theme with the template's look: title and body text colours and fonts from its text styles, accents and
    chart series from its theme colours, panel fills chosen so that the text on them keeps a 4.5:1 contrast."""
    from dataclasses import replace

    c = info.colours
    text_layout = info.layout(choices["bullets"].layout) if "bullets" in choices else info.layouts[0]
    bodies = text_layout.of(*BODY_TYPES)
    titles = text_layout.of(*TITLE_TYPES)
    text = (bodies[0].colour if bodies else None) or c.get("dk1") or theme.text
    primary = (titles[0].colour if titles else None) or c.get("dk2") or text
    body_grounds = text_layout.grounds(bodies[0].frame) if bodies else None
    ground = (text_layout.ground_at(bodies[0].frame) if bodies else text_layout.background) or _ground_for(text)
    text = readable(text, body_grounds or ground, c)
    title_grounds = text_layout.grounds(titles[0].frame) if titles else None
    primary = readable(primary, title_grounds or ground, c)
    accents = [c[k] for k in ("accent1", "accent2", "accent3", "accent4", "accent5", "accent6") if k in c] or list(theme.series)
    around = tuple(body_grounds or (ground,))
    accent = next((a for a in accents if min(a.contrast(g) for g in around) >= 4.5), None) \
        or deepen(accents[0] if accents else text, around)
    # a panel or card behind body text: light on a light slide, dark on a dark one — whichever keeps 4.5:1 for both inks
    candidates = [ground.mix(0.88) if ground.luminance < 0.5 else ground.blend(BLACK, 0.06), c.get("lt2"), c.get("lt1"), c.get("dk2"), c.get("dk1")]
    if min(primary.contrast(g) for g in (body_grounds or (ground,))) < 4.5:  # emphasis in the body (figure values, numbers, quotes) sits on the body's ground
        primary = readable(c.get("dk2") or text, ground, c)
    light = next((f for f in candidates if f is not None and f.contrast(text) >= 4.5 and f.contrast(primary) >= 4.5), ground)
    if accent.contrast(light) < 4.5:  # accent text (bullets, numbers, labels) also sits on panels
        accent = deepen(accent, light)
    muted = text.blend(ground, 0.3)
    if muted.contrast(ground) < 4.5 or muted.contrast(light) < 4.5:
        muted = text
    font = (bodies[0].font if bodies else None) or info.minor_font
    return replace(theme, text=text, primary=primary, accent=accent, muted=muted, light=light,
                   series=tuple(accents), deck_font_name=font)


def readable(ink: Colour, ground: Colour | tuple[Colour, ...], colours: dict[str, Colour]) -> Colour:
    """`ink` when it keeps a 4.5:1 contrast on every colour of `ground`; else the theme colour (dark or light) whose
    weakest contrast there is strongest."""
    grounds = (ground,) if isinstance(ground, Colour) else tuple(ground)
    if not grounds or min(ink.contrast(g) for g in grounds) >= 4.5:
        return ink
    options = [colours.get(k) for k in ("dk1", "dk2", "lt1", "lt2")] + [Colour("000000"), Colour("FFFFFF")]
    return max((o for o in options if o is not None), key=lambda o: min(o.contrast(g) for g in grounds))


def ink_and_plate(ink: Colour, grounds: tuple[Colour, ...] | None, colours: dict[str, Colour],
                  plate: Colour) -> tuple[Colour, Colour | None]:
    """The colour for text on `grounds` and, when no colour keeps 4.5:1 on all of them (a busy picture, a gradient
    from dark to light, an unknown ground), a plate to set behind the text: then the ink is the one readable on it."""
    if grounds:
        best = readable(ink, grounds, colours)
        if min(best.contrast(g) for g in grounds) >= 4.5:
            return best, None
    return readable(ink, plate, colours), plate


def _spread(colours: tuple[Colour, ...]) -> float:
    """How busy a picture is behind a frame, 0 (one colour) to 1: the spread of its cells' luminance."""
    if not colours:
        return 1.0
    lum = [c.luminance for c in colours]
    return min(1.0, (max(lum) - min(lum)) * 2)


def deepen(c: Colour, ground: Colour | tuple[Colour, ...], ratio: float = 4.5) -> Colour:
    """`c` darkened (on a light ground) or lightened (on a dark one) in small steps until it keeps `ratio` on every
    colour of `ground`."""
    grounds = (ground,) if isinstance(ground, Colour) else tuple(ground)
    light = sum(g.luminance for g in grounds) / len(grounds) >= 0.3
    for step in range(1, 21):
        t = step * 0.05
        cand = c.blend(BLACK, t) if light else c.mix(t)
        if min(cand.contrast(g) for g in grounds) >= ratio:
            return cand
    return Colour("000000") if light else Colour("FFFFFF")


def _ground_for(text: Colour) -> Colour:
    """The background a template's text colour implies when the slide's own is a picture or unknown."""
    return Colour("000000") if text.luminance > 0.5 else Colour("FFFFFF")
