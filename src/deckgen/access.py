"""The deck's accessibility check, pure: facts read from a built deck (titles, shapes, alt text, text runs with their
size, colour and ground, links) in, located findings (slide, shape, message with its fix) out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .units import Colour

MIN_SIZE = 10.0  # pt: no text smaller (issue 17)
CONTRAST = 4.5  # WCAG 2 AA, normal text
CONTRAST_LARGE = 3.0  # WCAG 2 AA, large text: at least 18 pt, or 14 pt bold
TOLERANCE = 4.0  # pt: shapes this close count as level (or side by side) when the visual order is taken

ShapeKind = Literal["text", "chart", "picture", "table", "group", "other"]
ShapeRole = Literal["title", "content", "furniture", "banner", "decoration"]


@dataclass(frozen=True)
class Box:
    """A shape's frame on the slide, in points from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class TextFacts:
    """One run of text as shown: its text, effective size and weight, colour, what lies behind it, its link."""

    text: str
    size: float  # pt, after the frame's autofit scale
    bold: bool = False
    colour: Colour | None = None  # None: not known
    grounds: tuple[Colour, ...] | None = None  # every colour that may lie behind it; None: not known (a picture)
    link: str | None = None  # the hyperlink's target (an address, or '#slide 3' for a jump)


@dataclass(frozen=True)
class ShapeFacts:
    """One shape of a slide, in the slide's shape order (its reading order)."""

    index: int  # 1-based position in the slide's shape tree (1 = first read, backmost)
    name: str
    kind: ShapeKind
    role: ShapeRole
    box: Box
    alt: str | None = None  # alternative text (descr, else title); None or "" when it has none
    decorative: bool = False  # marked as decorative (needs no alt text, is not read)
    texts: tuple[TextFacts, ...] = ()  # its own runs, a table's cells and a group's members included
    sizes: tuple[float, ...] = ()  # a chart's text sizes (pt), as its XML states them
    rtl: bool = False  # its text runs right to left
    members: tuple[ShapeFacts, ...] = ()  # a group's shapes


@dataclass(frozen=True)
class SlideFacts:
    """One slide: its number, its title's text (None when it has no title placeholder) and its visible shapes."""

    number: int
    title: str | None
    shapes: tuple[ShapeFacts, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: on which slide (and shape: its index and name, 0 and '' for the slide itself)."""

    slide: int
    shape: int
    name: str
    message: str


def check_deck(slides: list[SlideFacts]) -> list[Finding]:
    """Every finding of the deck's slides, slide by slide, in shape order: titles present and unique, alt text on
    charts, pictures and tables, reading order as the eye reads, contrast, text size, readable link text."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for s in slides:
        label = _label(s)
        title = " ".join((s.title or "").split())
        if not title:
            out.append(Finding(s.number, 0, "", f"slide {s.number} has no title — give it one (slide lists and screen "
                                                 f"readers name a slide by its title; it may sit off the slide if it must not show)"))
        elif title.casefold() in seen:
            out.append(Finding(s.number, 0, "", f"{label}: the same title as slide {seen[title.casefold()]} — make each "
                                                 f"slide's title unique (say what this slide adds)"))
        else:
            seen[title.casefold()] = s.number
        for shape in s.shapes:
            out += _alt(s, label, shape)
        out += _order(s, label)
        for shape in s.shapes:
            out += _text(label, s, shape)
    return out


def _label(s: SlideFacts) -> str:
    title = " ".join((s.title or "").split())
    return f"slide {s.number} '{_short(title)}'" if title else f"slide {s.number}"


def _short(text: str, n: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


FILE_NAME = re.compile(r"^[^\s/\\]*\.(png|jpe?g|gif|bmp|svg|tiff?|emf|wmf|webp)$", re.IGNORECASE)


def _alt(s: SlideFacts, label: str, shape: ShapeFacts) -> list[Finding]:
    out = []
    alt = (shape.alt or "").strip()
    if shape.kind in ("chart", "picture", "table") and not shape.decorative and (not alt or FILE_NAME.match(alt)):
        said = f"only a file name ('{_short(alt, 30)}') for alt text" if alt else "no alt text"
        out.append(Finding(s.number, shape.index, shape.name,
                           f"{label}: {shape.kind} '{shape.name}' has {said} — describe what it shows (right-click → "
                           f"View Alt Text), or mark it as decorative"))
    for member in shape.members:
        out += _alt(s, label, member)
    return out


def _content(s: SlideFacts) -> list[ShapeFacts]:
    """The shapes a reader goes through: the title and the content (not footers, banners, decoration)."""
    return [sh for sh in s.shapes if sh.role in ("title", "content") and not sh.decorative]


def _order(s: SlideFacts, label: str) -> list[Finding]:
    """The shape order against the visual order: the title first; then no shape read before one that lies wholly
    above it (overlapping it across) or wholly before it on the same band (left of it; right of it in a right-to-left
    text). Shapes that are neither (one lower and to the side) may come in either order: columns read down."""
    shapes = _content(s)
    out = []
    titles = [sh for sh in shapes if sh.role == "title"]
    if titles and shapes[0] is not titles[0]:
        first = shapes[0]
        out.append(Finding(s.number, titles[0].index, titles[0].name,
                           f"{label}: the title is read after '{first.name}' — move the title to the top of the reading "
                           f"order (Home → Arrange → Selection Pane: the reading order is the pane's bottom-up order)"))
    rtl = sum(1 for sh in shapes if sh.rtl) > len(shapes) / 2
    body = [sh for sh in shapes if sh.role != "title"]
    for j, late in enumerate(body):  # each shape read after one it lies above (or before on its band): once
        for early in body[:j]:
            why = _before(late.box, early.box, rtl)
            if why:
                out.append(Finding(s.number, late.index, late.name,
                                   f"{label}: '{late.name}' is read after '{early.name}' but lies {why} it — put the shapes in "
                                   f"the order they are seen (Home → Arrange → Selection Pane, bottom-up, or Review → "
                                   f"Check Accessibility → Reading Order)"))
                break
    return out


def _before(a: Box, b: Box, rtl: bool) -> str:
    """How box `a` comes before box `b` in the visual order ('above', 'left of', 'right of'), or '' when it does not."""
    across = min(a.right, b.right) - max(a.x, b.x) > TOLERANCE
    band = min(a.bottom, b.bottom) - max(a.y, b.y) > TOLERANCE
    if across and a.bottom <= b.y + TOLERANCE:
        return "above"
    if band and not across:
        if not rtl and a.right <= b.x + TOLERANCE:
            return "left of"
        if rtl and a.x >= b.right - TOLERANCE:
            return "right of"
    return ""


URL = re.compile(r"^\s*(https?://|www\.|mailto:|ftp://)", re.IGNORECASE)


def _text(label: str, s: SlideFacts, shape: ShapeFacts) -> list[Finding]:
    out = []
    small = [t for t in shape.texts if t.text.strip() and t.size < MIN_SIZE - 0.05]
    sizes = [z for z in shape.sizes if z < MIN_SIZE - 0.05]
    if small or sizes:
        least = min([t.size for t in small] + sizes)
        sample = f" ('{_short(min(small, key=lambda t: t.size).text, 30)}')" if small and min(t.size for t in small) == least else ""
        where = "chart" if shape.kind == "chart" and not small else "text"
        out.append(Finding(s.number, shape.index, shape.name,
                           f"{label}: {where} in '{shape.name}' is {_pt(least)} pt{sample} — use at least {_pt(MIN_SIZE)} pt"))
    seen: set[tuple[str, str]] = set()
    for t in shape.texts:
        if not t.text.strip() or t.colour is None or not t.grounds:
            continue
        ground = min(t.grounds, key=lambda g: t.colour.contrast(g))
        ratio = t.colour.contrast(ground)
        large = t.size >= 18 - 0.05 or (t.bold and t.size >= 14 - 0.05)
        need = CONTRAST_LARGE if large else CONTRAST
        if ratio < need - 0.005 and (t.colour, ground) not in seen:
            seen.add((t.colour, ground))
            out.append(Finding(s.number, shape.index, shape.name,
                               f"{label}: text '{_short(t.text, 30)}' in '{shape.name}' has a contrast of {ratio:.1f}:1 "
                               f"({t.colour.css} on {ground.css}) — needs {need:g}:1 ({'large' if large else 'normal'} text); "
                               f"darken or lighten the text or its background"))
    for t in shape.texts:
        if t.link is None or t.link.startswith("#"):
            continue
        text = t.text.strip()
        if URL.match(text) or _same_address(text, t.link):
            out.append(Finding(s.number, shape.index, shape.name,
                               f"{label}: the link text '{_short(text, 40)}' in '{shape.name}' is a bare address — link "
                               f"words that say where it goes (the page's title) instead"))
    return out


def _same_address(text: str, target: str) -> bool:
    def bare(u: str) -> str:
        u = re.sub(r"^[a-z]+://", "", u.strip().lower())
        return u.removeprefix("www.").rstrip("/")

    return bool(text) and bare(text) == bare(target)


def _pt(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")
