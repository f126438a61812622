"""The classification banner of a classified outline's products: its level's label and colours, where it stands on a
slide or a page, and the room it takes from the slide's frames (pure)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..classification import banner_label, product_level
from ..model import Outline
from ..units import BLACK, Colour, Pt
from .slides import MIN_TEXT, Frame, Geometry

SLIDE_BAND = 0.03  # a slide's banner: this share of the slide's shorter side high (16.2 pt on 960 x 540) …
MIN_BAND = 12.0  # … and at least this
GAP = 2.0  # pt between a banner and the nearest frame of content
PAGE_BAND = 16.0  # pt: the brief's banner
PAGE_EDGE = 12.0  # pt from the paper's edge to the brief's banner: inside what a desktop printer prints (~4 mm)


@dataclass(frozen=True)
class Banner:
    """The level's label, drawn centred on a band of the level's colour at the top and the bottom of every slide or page;
    frames in points from the top-left corner."""

    level: str
    label: str
    fill: Colour
    ink: Colour  # black or white, whichever reads on the fill (at least 4.5:1)
    size: Pt  # the label's size (bold)
    top: Frame
    bottom: Frame

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", Pt(self.size))

    @property
    def clear(self) -> tuple[float, float]:
        """The top and bottom of the room between the banners, GAP from each: where content may stand."""
        return float(self.top.y + self.top.h + GAP), float(self.bottom.y - GAP)


def _banner(outline: Outline, x: float, w: float, h: float, band: float, edge: float, least: float = 0.0) -> Banner | None:
    lv = product_level(outline)
    if lv is None:
        return None
    fill = Colour(lv.colour)
    return Banner(level=lv.id, label=banner_label(outline, lv), fill=fill, ink=fill.ink_on(BLACK), size=Pt(max(least, round(band * 0.6 * 2) / 2)),
                  top=Frame(x, edge, w, band), bottom=Frame(x, round(h - edge - band, 2), w, band))


def slide_banner(outline: Outline, geo: Geometry) -> Banner | None:
    """The banner of a deck (None when the outline is not classified): full width, at the slide's top and bottom edge."""
    band = max(MIN_BAND, round(min(geo.width, geo.height) * SLIDE_BAND, 1))
    return _banner(outline, 0.0, geo.width, geo.height, band, 0.0, MIN_TEXT)  # no slide text under 10 pt


def page_banner(outline: Outline, width: float, height: float, left: float, right: float) -> Banner | None:
    """The banner of a brief (None when the outline is not classified): between the page's margins, PAGE_EDGE in from
    the top and bottom edges of the paper."""
    return _banner(outline, left, width - left - right, height, PAGE_BAND, PAGE_EDGE)


def banded(geo: Geometry, banner: Banner) -> Geometry:
    """The geometry with every frame clear of the banners: text frames (title, body, chart, covers) lose what reaches
    into a banner; the bands at the foot (footer, slide number, a chart's source line) move up, keeping their height."""
    lo, hi = banner.clear

    def clip(f: Frame) -> Frame:
        y0, y1 = max(f.y, lo), min(f.y + f.h, hi)
        return f if (y0, y1) == (f.y, f.y + f.h) else Frame(f.x, round(y0, 2), f.w, round(max(y1 - y0, 0.0), 2))

    def shift(f: Frame) -> Frame:
        y = min(max(f.y, lo), hi - f.h)
        return f if y == f.y else Frame(f.x, round(y, 2), f.w, f.h)

    source = shift(geo.source)
    chart = clip(geo.chart)
    below = max(0.0, geo.source.y - (geo.chart.y + geo.chart.h))  # the chart keeps its gap above a moved source line
    if chart.y + chart.h > source.y - below:
        chart = Frame(chart.x, chart.y, chart.w, round(source.y - below - chart.y, 2))
    return dataclasses.replace(geo, title=clip(geo.title), body=clip(geo.body), chart=chart, source=source,
                               footer=shift(geo.footer), number=shift(geo.number), cover_title=clip(geo.cover_title),
                               cover_subtitle=clip(geo.cover_subtitle))
