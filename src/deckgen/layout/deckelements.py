"""Deck slides of a section's quotes, images, boxes and comparison columns (pure; called by the deck planner)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..inline import Run, plain
from ..media import fit
from ..model import Box, Image, Loc, Quote, Section
from .slides import (cont, panel_text, MAX_POINTS, point_paras, point_ref, BoxSlide, BulletsPictureSlide, ComparisonColumn, ComparisonSlide, Frame, Para, PictureSlide,
                     QuoteSlide, Slide)
from .split import split
from .text import one_line, runs

if TYPE_CHECKING:
    from .deck import _Planner

CREDIT_SIZE = 12.0  # pt: the credit line under a picture
COLUMN_GAP = 24.0
HEADING_GAP = 8.0  # between a comparison column's heading and its body


def has_elements(section: Section) -> bool:
    """Whether the section shows anything of its own besides points and charts."""
    return bool(section.quotes or section.columns or section.boxes or section.images or section.tables)


def attribution(by: str | None, role: str | None) -> str:
    """'by, role' (either may be missing)."""
    return ", ".join(one_line(plain(x)) for x in (by, role) if x)


def quote_slides(p: _Planner, si: int, section: Section) -> list[Slide]:
    """A quote slide per quotation of `section.quotes`: the quotation large, '— by, role' under it. Its title is the
    section's; with the speaker after it ('Title — A. Minister') when the section has other slides or quotes, so that
    every slide's title is its own."""
    shared = len(section.quotes) > 1 or bool(section.points or section.columns or section.boxes or section.charts)
    return [quote_slide(p, ("sections", si, "quotes", qi), f"{section.title} — {one_line(plain(q.by))}" if shared and q.by
                        else section.title, q) for qi, q in enumerate(section.quotes)]


def quote_slide(p: _Planner, loc: Loc, title: str, q: Quote) -> QuoteSlide:
    who = attribution(q.by, q.role)
    return p.quotation(q.text, who, title, plain(q.text) + (f"\n— {who}" if who else ""), loc[:2], loc + ("text",))


def _image(p: _Planner, image_id: str) -> tuple[int, Image] | None:
    for i, img in enumerate(p.outline.images):
        if img.id == image_id:
            return i, img
    return None


def _credit(p: _Planner, img: Image, width: float) -> tuple[tuple[Run, ...], float]:
    """The credit line's runs and the height it takes (one or two lines at 12 pt; nothing when there is none)."""
    if not img.credit:
        return (), 0.0
    text = (Run(one_line(plain(img.credit))),)
    lines = min(2, p.lines(text, CREDIT_SIZE, width - 2 * p.geo.style.inset))
    return text, lines * p.fonts.line_height(CREDIT_SIZE) + 2 * p.geo.style.inset


def _notes(p: _Planner, img: Image) -> str:
    parts = [f"{p.words['image']} {one_line(plain(img.alt))}"]
    if img.credit:
        parts.append(f"{p.words['credit']} {one_line(plain(img.credit))}")
    return "\n".join(parts)


def picture_slide(p: _Planner, si: int, ii: int, section: Section) -> PictureSlide | None:
    """An image on a slide of its own: title = its caption (else the section's title), the picture as large as the
    body frame allows with its aspect kept, centred, the credit under it."""
    found = _image(p, section.images[ii])
    loc: Loc = ("sections", si, "images", ii)
    if found is None:
        p.warn(loc, f"no image '{section.images[ii]}' — the image slide is left out")
        return None
    index, img = found
    pic = p.pictures.get(img.id)
    if pic is None:
        p.warn(("images", index, "file"), "the image file was not read — the image slide is left out")
        return None
    geo = p.geo
    body = geo.body
    credit, credit_h = _credit(p, img, body.w)
    w, h = fit(pic.aspect, body.w, body.h - credit_h)
    frame = Frame(round(body.x + (body.w - w) / 2, 2), body.y, w, h)
    credit_frame = Frame(frame.x, round(frame.y + h, 2), max(w, min(body.w, 320.0)), round(credit_h, 2)) if credit else None
    if credit_frame is not None and credit_frame.x + credit_frame.w > body.x + body.w:
        credit_frame = Frame(round(body.x + body.w - credit_frame.w, 2), credit_frame.y, credit_frame.w, credit_frame.h)
    title = runs(img.caption) if img.caption else runs(section.title)
    return PictureSlide(title=title, picture=pic, frame=frame, alt=one_line(plain(img.alt)), credit=credit,
                        credit_frame=credit_frame, credit_size=CREDIT_SIZE, notes=_notes(p, img), loc=("images", index))


def picture_beside(p: _Planner, si: int, section: Section) -> BulletsPictureSlide | None:
    """The section's points in the left half and its first `place: beside` image in the right half — when the points
    fit one slide there at full size; None otherwise (the image then gets a slide of its own)."""

    geo = p.geo
    beside = [(ii, iid) for ii, iid in enumerate(section.images)
              if (found := _image(p, iid)) is not None and found[1].place == "beside" and iid in p.pictures]
    if not beside or not section.points or len(section.points) > MAX_POINTS:
        return None
    ii, iid = beside[0]
    _, img = _image(p, iid)  # type: ignore[misc]
    pic = p.pictures[iid]
    half = round((geo.body.w - COLUMN_GAP) / 2, 2)
    left = Frame(geo.body.x, geo.body.y, half, geo.body.h)
    paras = [q for i, pt in enumerate(section.points) for q in point_paras(pt, point_ref(section.id, i, pt))]
    if sum(p.para_height(q, left.w) for q in paras) > p.capacity():
        return None
    x = round(geo.body.x + half + COLUMN_GAP, 2)
    credit, credit_h = _credit(p, img, half)
    w, h = fit(pic.aspect, half, geo.body.h - credit_h)
    frame = Frame(round(x + (half - w) / 2, 2), geo.body.y, w, h)
    credit_frame = Frame(frame.x, round(frame.y + h, 2), round(x + half - frame.x, 2), round(credit_h, 2)) if credit else None
    notes = [n for n in (p.point_notes(pt) for pt in section.points) if n]
    if section.notes:
        notes.append(plain(section.notes))
    notes.append(_notes(p, img))
    p.beside_shown.add((si, ii))
    return BulletsPictureSlide(title=runs(section.title), body=tuple(paras), loc=("sections", si), notes="\n\n".join(notes),
                               body_frame=left, picture=pic, frame=frame, alt=one_line(plain(img.alt)), credit=credit,
                               credit_frame=credit_frame, credit_size=CREDIT_SIZE)


def image_slides(p: _Planner, si: int, section: Section) -> list[Slide]:
    """A slide per image of the section not already shown beside its points."""
    out: list[Slide] = []
    for ii in range(len(section.images)):
        if (si, ii) in p.beside_shown:
            continue
        slide = picture_slide(p, si, ii, section)
        if slide is not None:
            out.append(slide)
    return out


def box_slides(p: _Planner, si: int, section: Section) -> list[Slide]:
    """Call-out slides per box: its title as the slide title, its text and items on a panel."""
    return [slide for bi, b in enumerate(section.boxes) for slide in box_slide(p, ("sections", si, "boxes", bi), b)]


def _step_down(p: _Planner, paras: list[list[Para]], fits) -> list[list[Para]]:
    """The paragraphs at one size for all: the largest at which `fits`, down to 80 % of the body's first level
    (60 % on a user's template, whose large type steps down as its points do)."""
    st = p.geo.style
    k, floor = 1.0, (0.8 if p.ctx.template is None else 0.6)
    while not fits(paras) and k > floor + 1e-9:
        k = round(k - 0.05, 2)
        paras = [[Para(q.runs, q.level, q.style, size=round(st.sizes[0] * k, 1)) for q in b] for b in paras]
    return paras


def box_slide(p: _Planner, loc: Loc, b: Box) -> list[Slide]:
    geo, st = p.geo, p.geo.style
    body: list[Para] = []
    if b.text:
        body.append(Para(runs(b.text), 0, style="plain"))
    body += [Para(runs(item.text), 0) for item in b.points]
    cap = p.capacity()
    inner = panel_text(geo.body)  # the text sits inside the panel, which spans the body
    body = _step_down(p, [body], lambda bs: sum(p.para_height(q, inner.w) for q in bs[0]) <= cap)[0]
    heights = [p.para_height(q, inner.w) for q in body]
    if any(h > cap for h in heights):
        p.warn(loc, "the box's text is too long for one slide — shorten it")
    out: list[Slide] = []
    notes = "\n".join(one_line(plain(x)) for x in (b.title, b.text or "") if x)
    for k, chunk in enumerate(split(heights, cap, 99) if body else [[]]):
        used = sum(heights[i] for i in chunk)
        panel = Frame(geo.body.x, geo.body.y - 8, geo.body.w, round(min(cap, used) + 2 * st.inset + 16, 2))
        out.append(BoxSlide(title=runs(b.title) + cont(p.words, k), body=tuple(body[i] for i in chunk),
                            panel=panel, body_frame=inner, loc=loc[:2], continued=k > 0, notes=notes if k == 0 else ""))
    return out


def comparison_slides(p: _Planner, si: int, section: Section) -> list[Slide]:
    """The section's columns side by side (a comparison section, or any section giving columns): one slide, or rows
    of items continued on "(cont.)" slides when the fullest column does not fit even a little smaller."""
    if not section.columns:
        return []
    geo, st = p.geo, p.geo.style
    loc: Loc = ("sections", si, "columns")
    n = len(section.columns)
    w = round((geo.body.w - COLUMN_GAP * (n - 1)) / n, 2)
    inner = w - 2 * st.inset
    # the headings: one size for all, the largest (from the body's first level up to 4 pt more) at which each
    # takes at most two lines
    size = st.sizes[0] + (4 if p.ctx.template is None else 0)
    while size > st.sizes[1] and max(p.fonts.lines(runs(c.title), size, inner * 0.97, True) for c in section.columns) > 2:
        size -= 2
    head_lines = max(p.fonts.lines(runs(c.title), size, inner * 0.97, True) for c in section.columns)
    head_h = round(head_lines * size * p.fonts.line_em + 2 * st.inset, 2)
    body_h = round(geo.body.h - head_h - HEADING_GAP, 2)
    cap = (body_h - 2 * st.inset) * (1.0 if p.ctx.template is None else 0.97)
    bodies = [([Para(runs(c.text), 0, style="plain")] if c.text else []) + [Para(runs(q.text), 0) for q in c.points]
              for c in section.columns]
    bodies = _step_down(p, bodies, lambda bs: max(sum(p.para_height(q, w) for q in b) for b in bs) <= cap)
    rows = max(len(b) for b in bodies)
    row_h = [max((p.para_height(b[j], w) if j < len(b) else 0.0) for b in bodies) for j in range(rows)]
    for ci, b in enumerate(bodies):
        if any(p.para_height(q, w) > cap for q in b):
            p.warn(loc + (ci,), "a text or point of this column is too long for the comparison slide — shorten it")
    notes = "\n\n".join(one_line(plain(c.title)) + ": " + "; ".join(one_line(plain(x)) for x in ([c.text] if c.text else []) + [q.text for q in c.points])
                         for c in section.columns)
    if section.notes and not section.points:
        notes += "\n\n" + plain(section.notes)
    out: list[Slide] = []
    whole = max(sum(p.para_height(q, w) for q in b) for b in bodies) <= cap  # (each column flows on its own)
    for k, chunk in enumerate([list(range(rows))] if whole or not rows else split(row_h, cap, 99)):
        columns = []
        for ci, (c, b) in enumerate(zip(section.columns, bodies)):
            x = round(geo.body.x + ci * (w + COLUMN_GAP), 2)
            measured = tuple(Para(b[j].runs, b[j].level, b[j].style, size=b[j].size or st.sizes[0],
                                  lines=p.lines(b[j].runs, b[j].size or st.sizes[0], w - 2 * st.inset - st.margins[0]))
                             for j in chunk if j < len(b))
            columns.append(ComparisonColumn(heading=runs(c.title), heading_frame=Frame(x, geo.body.y, w, head_h),
                                            heading_size=size, body=measured,
                                            body_frame=Frame(x, round(geo.body.y + head_h + HEADING_GAP, 2), w, body_h)))
        out.append(ComparisonSlide(title=runs(section.title) + cont(p.words, k), columns=tuple(columns),
                                   notes=notes if k == 0 else "", loc=("sections", si), continued=k > 0))
    return out
