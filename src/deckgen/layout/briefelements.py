"""Brief blocks of a section's quotes, images, boxes and comparison columns (pure; called by the brief planner)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import PlanWarning
from ..inline import Run, parse, plain
from ..media import Picture
from ..model import Image, Outline, Section
from ..units import Pt

Runs = tuple[Run, ...]


@dataclass(frozen=True)
class PictureFigure:
    """A numbered image (numbered with the charts): caption, credit, alt text, size; `span` "column" (caption and
    credit in the rail) or "page" (across rail and column, caption and credit under it)."""

    number: int
    image_id: str
    picture: Picture
    label: str  # "Figure 3."
    title: str
    credit: str
    alt: str
    span: str
    width: Pt
    height: Pt


@dataclass(frozen=True)
class Callout:
    """A titled box: its title, text and items, on a tinted panel."""

    title: Runs
    text: Runs
    items: tuple[Runs, ...]


@dataclass(frozen=True)
class ColumnText:
    """One column of a comparison."""

    title: Runs
    text: Runs
    items: tuple[Runs, ...]


@dataclass(frozen=True)
class Comparison:
    """Two or three columns side by side across the page, each with its title; split between rows of items."""

    columns: tuple[ColumnText, ...]


def _runs(text: str | None) -> Runs:
    return tuple(parse(text)) if text else ()


def quotes(section: Section, quote_type) -> list:
    """The section's quotations as the brief's Quote blocks (attribution 'by, role')."""
    out = []
    for q in section.quotes:
        who = ", ".join(plain(x) for x in (q.by, q.role) if x)
        out.append(quote_type(_runs(q.text), (Run(who),) if who else ()))
    return out


def after_points(section: Section) -> list:
    """Comparison columns, then boxes."""
    out: list = []
    if section.columns:
        out.append(Comparison(tuple(ColumnText(_runs(c.title), _runs(c.text), tuple(_runs(q.text) for q in c.points))
                                    for c in section.columns)))
    out += [Callout(_runs(b.title), _runs(b.text), tuple(_runs(q.text) for q in b.points)) for b in section.boxes]
    return out


def picture_size(pic: Picture, width: float, max_height: float) -> tuple[Pt, Pt]:
    """The image at `width`, or narrower where it would be taller than `max_height` (aspect kept)."""
    w, h = width, width / pic.aspect
    if h > max_height:
        w, h = max_height * pic.aspect, max_height
    return Pt(round(w, 2)), Pt(round(h, 2))


def images(outline: Outline, si: int, section: Section, pictures: dict[str, Picture], number: int, figure_label: str,
           page, max_height: float, warnings: list[PlanWarning]) -> tuple[list[PictureFigure], int]:
    """The section's images as numbered figures (continuing `number`); returns them and the last number used."""
    out = []
    by_id = {img.id: (i, img) for i, img in enumerate(outline.images)}
    for ii, image_id in enumerate(section.images):
        if image_id not in by_id:
            warnings.append(PlanWarning(("sections", si, "images", ii), f"no image '{image_id}' — the brief leaves it out"))
            continue
        index, img = by_id[image_id]
        pic = pictures.get(image_id)
        if pic is None:
            warnings.append(PlanWarning(("images", index, "file"), "the image file was not read — the brief leaves it out"))
            continue
        number += 1
        out.append(_figure(img, pic, number, figure_label, page, max_height))
    return out, number


def _figure(img: Image, pic: Picture, number: int, figure_label: str, page, max_height: float) -> PictureFigure:
    span = img.width
    width = float(page.frame_width if span == "page" else page.measure)
    w, h = picture_size(pic, width, max_height - (40.0 if span == "page" else 0.0))
    return PictureFigure(number=number, image_id=img.id, picture=pic, label=f"{figure_label} {number}.",
                         title=plain(img.caption) if img.caption else "", credit=plain(img.credit) if img.credit else "",
                         alt=plain(img.alt), span=span, width=w, height=h)


def has_parts(section: Section) -> bool:
    """Whether the section shows quotes, columns, boxes, tables or images."""
    return bool(section.quotes or section.columns or section.boxes or section.tables or section.images)
