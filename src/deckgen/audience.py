"""Tailoring: `tailor(outline, name)` gives the outline one audience sees — a pure function on the model."""
from __future__ import annotations

from .classification import audience_update
from .model import Audience, Box, Column, Outline, Point, Section
from .translate import Missing, apply, merged, translation_for, untranslated


def tailor(outline: Outline, name: str) -> Outline:
    """The outline as audience `name` gets it: in its language (the outline's translation for it, the audience's
    overrides over that), items in or out by tag, depth, order and options."""
    a = outline.audiences[name]
    level = audience_update(outline, name)  # its level, if classified: from the outline as written (a translation rewords text)
    outline = translated(outline, a)
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
    meta = outline.meta.model_copy(update=_meta_update(outline, a) | level)
    return outline.model_copy(
        update={
            "meta": meta,
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


def language_of(outline: Outline, name: str | None) -> str:
    """The language audience `name` (None: the whole outline) reads."""
    return (outline.audiences[name].language if name is not None else None) or outline.meta.language


def translated(outline: Outline, a: Audience) -> Outline:
    """The whole outline in the audience's language and wording: its language's translation (when it is not the
    outline's own), the audience's overrides over it, and the labels of all three (audience's first)."""
    language = a.language or outline.meta.language
    tr = translation_for(outline, language) if language != outline.meta.language else None
    overlay = merged(tr, a.overrides)
    out = apply(outline, overlay, source=outline.meta.language if language != outline.meta.language else None)
    labels = {**outline.labels, **overlay.labels, **a.labels}
    return out.model_copy(update={"labels": labels, "meta": out.meta.model_copy(update={"language": language})})


def untranslated_for(outline: Outline, name: str, got: Outline | None = None) -> tuple[str, list[Missing]]:
    """The texts audience `name` would get as written although it reads another language than the outline: the key
    of `translations` to add them under, and each text (only what the audience receives: its sections, points,
    charts…, no details at depth: summary, no speaker notes when it has none). Nothing for an audience in the
    outline's own language. `got` is the audience's tailored outline when the caller has it."""
    a = outline.audiences[name]
    language = a.language or outline.meta.language
    if language == outline.meta.language:
        return language, []
    tr = translation_for(outline, language)
    key = next((k for k, t in outline.translations.items() if t is tr), language)
    got = got if got is not None else tailor(outline, name)
    points = {p.id: p for s in got.sections for p in s.points if p.id is not None}
    sections = {s.id: s for s in got.sections}
    received = {"charts": {c.id for c in got.charts}, "tables": {t.id for t in got.tables},
                "images": {i.id for i in got.images}, "key_figures": {k.id for k in got.key_figures}}

    def wanted(m: Missing) -> bool:
        group, ident = m.owner
        if m.field == "notes" and not got.options.speaker_notes:
            return False
        if group == "sections":
            s = sections.get(ident)
            return s is not None and not (m.field == "intro" and s.intro is None)
        if group == "points":
            if not ident:  # a point without an id: kept if its section is (the message asks for an id)
                return outline.sections[m.loc[1]].id in sections
            p = points.get(ident)
            return p is not None and not (m.field == "detail" and p.detail is None) and not (m.field == "points" and not p.points)
        if group in received:
            return ident in received[group]
        if group == "meta" and m.field == "classification":
            return a.classification is None
        return True

    return key, [m for m in untranslated(outline, merged(tr, a.overrides)) if wanted(m)]


def _meta_update(outline: Outline, a: Audience) -> dict:
    update: dict = {}
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
    if a.depth == "summary":
        update["intro"] = None
    return s.model_copy(update=update)


def _items(item: Box | Column, keep) -> Box | Column:
    """A box or comparison column with only the items the audience keeps."""
    return item.model_copy(update={"points": [q for q in item.points if keep(q.tags)]})


def _point(p: Point, a: Audience, keep) -> Point:
    update: dict = {"points": [q for q in p.points if keep(q.tags)]}
    if a.depth == "summary":
        update.update(detail=None, points=[])
    return p.model_copy(update=update)


__all__ = ["tailor"]
