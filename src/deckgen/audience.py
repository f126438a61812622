"""Tailoring: `tailor(outline, name)` gives the outline one audience sees — a pure function on the model."""
from __future__ import annotations

from .classification import audience_update
from .model import Audience, Box, Column, Outline, Point, Section


def tailor(outline: Outline, name: str) -> Outline:
    """The outline as audience `name` gets it: items in or out by tag, depth, wording, order and options."""
    a = outline.audiences[name]
    keep = _keeper(a)
    charts = [c for c in outline.charts if keep(c.tags)]
    chart_ids = {c.id for c in charts}
    tables = [t for t in outline.tables if keep(t.tags)]
    images = [i for i in outline.images if keep(i.tags)]
    kept = {"charts": chart_ids, "tables": {t.id for t in tables}, "images": {i.id for i in images}}
    sections = [_section(s, a, keep, kept) for s in outline.sections if keep(s.tags)]
    if a.first is not None:
        sections.sort(key=lambda s: s.id != a.first)  # stable: the rest keep their order
    used = {cid for s in sections for cid in s.charts}
    shown = {(group, x) for s in sections for group in ("tables", "images") for x in getattr(s, group)}
    meta = outline.meta.model_copy(update=_meta_update(outline, a) | audience_update(outline, name))  # its level, if classified
    return outline.model_copy(
        update={
            "meta": meta,
            "lead": a.overrides.lead or outline.lead,
            "sections": sections,
            "charts": [c for c in charts if c.id in used],
            "tables": [t for t in tables if ("tables", t.id) in shown],
            "images": [i for i in images if ("images", i.id) in shown],
            "key_figures": [k for k in outline.key_figures if keep(k.tags)],
            "options": outline.options.model_copy(
                update={
                    "speaker_notes": outline.options.speaker_notes and a.speaker_notes,
                    "sources_slide": outline.options.sources_slide and a.sources_slide,
                }
            ),
        }
    )


def _keeper(a: Audience):
    include, exclude = set(a.include), set(a.exclude)

    def keep(tags: list[str]) -> bool:
        if exclude.intersection(tags):
            return False
        return not include or not tags or bool(include.intersection(tags))

    return keep


def _meta_update(outline: Outline, a: Audience) -> dict:
    update: dict = {}
    if a.overrides.title:
        update["title"] = a.overrides.title
    if a.overrides.subtitle:
        update["subtitle"] = a.overrides.subtitle
    if a.classification is not None:
        update["classification"] = a.classification or None  # "" removes the line
    return update


def _section(s: Section, a: Audience, keep, kept: dict[str, set[str]]) -> Section:
    points = [_point(p, a, keep) for p in s.points if keep(p.tags)]
    if a.depth == "summary":
        key = [p for p in points if p.key]
        points = key or points
        if a.max_points is not None:
            points = points[: a.max_points]
    override = a.overrides.sections.get(s.id)
    update: dict = {"points": points, **{group: [x for x in getattr(s, group) if x in kept[group]] for group in kept}}
    # quotes, boxes and comparison columns by their tags (and the items of boxes and columns by theirs); like charts,
    # they stay at depth: summary
    update["quotes"] = [q for q in s.quotes if keep(q.tags)]
    boxes = [_items(b, keep) for b in s.boxes if keep(b.tags)]
    columns = [_items(c, keep) for c in s.columns if keep(c.tags)]
    if s.columns and len(columns) < 2 <= len(s.columns):  # one side left is no comparison: it is shown as a box
        boxes = [Box(title=c.title, text=c.text, points=c.points, tags=c.tags, marking=c.marking) for c in columns] + boxes
        columns = []
        if s.kind == "comparison":
            update["kind"] = "auto"
    update.update(boxes=boxes, columns=columns)
    if override and override.title:
        update["title"] = override.title
    if a.depth == "summary":
        update["intro"] = None
    return s.model_copy(update=update)


def _items(item: Box | Column, keep) -> Box | Column:
    """A box or comparison column with only the items the audience keeps."""
    return item.model_copy(update={"points": [q for q in item.points if keep(q.tags)]})


def _point(p: Point, a: Audience, keep) -> Point:
    update: dict = {"points": [q for q in p.points if keep(q.tags)]}
    if p.id is not None and p.id in a.overrides.points:
        update["text"] = a.overrides.points[p.id]
    if a.depth == "summary":
        update.update(detail=None, points=[])
    return p.model_copy(update=update)


__all__ = ["tailor"]
