"""Classification levels and markings: the scale, each product's level, what may reach which audience (pure, on the model).

An outline is *classified* when it names a level anywhere: a top-level `classification` scale, a `marking` on an item,
or a `meta.classification` / audience `classification` that is a level id. Then every product carries its level as a
banner, unmarked content is at the outline's own level (`meta.classification`, else the lowest), an audience is
classified at its `classification` (else the outline's), and content marked above an audience's level that would still
reach it after tailoring is an error at the item's `marking`. Any other classification text is a footer line, as before.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from .model import Level, Loc, Outline

# The built-in scale, lowest first; banner colours after the usual government conventions (green public, red secret).
DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(id="public", label="PUBLIC", colour="#007A33"),
    Level(id="internal", label="INTERNAL", colour="#502B85"),
    Level(id="restricted", label="RESTRICTED", colour="#8A5300"),
    Level(id="confidential", label="CONFIDENTIAL", colour="#0033A0"),
    Level(id="secret", label="SECRET", colour="#C8102E"),
    Level(id="top-secret", label="TOP SECRET", colour="#FF8C00"),
)
KINDS = ("sections", "points", "charts", "tables", "images", "key_figures")  # what the manifest lists as withheld


def scale(outline: Outline) -> tuple[Level, ...]:
    """The outline's levels, lowest first: its own `classification.levels`, else the built-in scale."""
    return tuple(outline.classification.levels) if outline.classification is not None else DEFAULT_LEVELS


def _ids(outline: Outline) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for i, level in enumerate(scale(outline)):
        ranks.setdefault(level.id, i)
    return ranks


def classified(outline: Outline) -> bool:
    """Whether the outline uses classification levels (then every product of it has a banner)."""
    ids = _ids(outline)
    return (outline.classification is not None
            or outline.meta.classification in ids
            or any(a.classification in ids for a in outline.audiences.values())
            or any(item.marking is not None for _, _, item in _items(outline, everything=True)))


def level(outline: Outline, level_id: str) -> Level:
    """The level with this id."""
    return next(lv for lv in scale(outline) if lv.id == level_id)


def base_level(outline: Outline) -> Level:
    """The level of unmarked content: `meta.classification` when it is a level, else the lowest level."""
    ids = _ids(outline)
    own = outline.meta.classification
    return level(outline, own) if own in ids else scale(outline)[0]


def audience_level(outline: Outline, name: str) -> Level | None:
    """The level audience `name` is classified at (its own `classification`, else the outline's); None when the
    outline is not classified."""
    if not classified(outline):
        return None
    own = outline.audiences[name].classification
    return level(outline, own) if own in _ids(outline) else base_level(outline)


def product_level(outline: Outline) -> Level | None:
    """The level of the products made from this (possibly tailored) outline: the highest of its own level and every
    marking of what it shows — so a banner never understates; None when the outline is not classified."""
    if not classified(outline):
        return None
    ids = _ids(outline)
    best = base_level(outline)
    marks = [item.marking for _, _, item in _items(outline)] + [m for _, _, m in _drawn_from(outline)]
    for mark in marks:
        if mark in ids and ids[mark] > ids[best.id]:
            best = level(outline, mark)
    return best


def footer_text(outline: Outline) -> str:
    """The classification text of the running footer: none in a classified outline (its banner says it), else the
    free `meta.classification` line as written."""
    return "" if classified(outline) else (outline.meta.classification or "")


def audience_update(outline: Outline, name: str) -> dict[str, Any]:
    """What tailoring sets in `meta` so a tailored outline carries its audience's level (empty when unclassified)."""
    lv = audience_level(outline, name)
    return {} if lv is None else {"classification": lv.id}


def check(outline: Outline) -> list[tuple[Loc, str]]:
    """The classification problems of an outline: duplicate or unknown levels, audiences without one, and marked
    content that would reach an audience classified lower (every audience, after tailoring); [] when unclassified."""
    if not classified(outline):
        return []
    from .audience import tailor  # (tailor sets each audience's level through audience_update)

    out: list[tuple[Loc, str]] = []
    ids = _ids(outline)
    if outline.classification is not None:
        seen: set[str] = set()
        for i, lv in enumerate(outline.classification.levels):
            if lv.id in seen:
                out.append((("classification", "levels", i, "id"), f"level '{lv.id}' is already defined — give each level a unique id"))
            seen.add(lv.id)
    for loc, _, item in _items(outline, everything=True):
        if item.marking is not None and item.marking not in ids:
            out.append((loc + ("marking",), _unknown(outline, item.marking)))
    if outline.meta.classification is not None and outline.meta.classification not in ids:
        out.append((("meta", "classification"), _unknown(outline, outline.meta.classification)))
    for name, a in outline.audiences.items():
        if a.classification == "":
            out.append((("audiences", name, "classification"), "a classified outline's products always carry their "
                        f"level — name one ({_names(outline)}) or leave the key out to use the outline's"))
        elif a.classification is not None and a.classification not in ids:
            out.append((("audiences", name, "classification"), _unknown(outline, a.classification)))
    if out:
        return out
    for name in outline.audiences:
        out += leaks(outline, name, tailor(outline, name))
    return out


def leaks(outline: Outline, name: str, tailored: Outline) -> list[tuple[Loc, str]]:
    """Marked content of `outline` that audience `name` would still get in `tailored` (its tailored outline) although
    it is classified lower: one problem at each item's `marking` (at the audience's `classification` when the outline's
    unmarked content is itself above the audience's level)."""
    ids = _ids(outline)
    lv = audience_level(outline, name)
    if lv is None:
        return []
    out: list[tuple[Loc, str]] = []
    base = base_level(outline)
    if ids[base.id] > ids[lv.id]:
        out.append((("audiences", name, "classification"), f"audience '{name}' is classified {lv.id}, but the outline's "
                    f"unmarked content (its title, lead, …) is {base.id} (meta.classification) — raise the audience's "
                    f"classification to {base.id} or lower meta.classification and mark what is {base.id}"))
    got = {key for _, key, _ in _items(tailored)}
    fix = (f"keep it from that audience with a tag (e.g. `tags: [{{m}}]` here and `exclude: [{{m}}]` under "
           f"audiences.{name}) or raise the audience's classification")
    for loc, key, item in _items(outline):
        mark = item.marking
        if mark in ids and ids[mark] > ids[lv.id] and key in got:
            out.append((loc + ("marking",), f"marked {mark}, but audience '{name}' is cleared for {lv.id} only — "
                        + fix.format(m=mark)))
    for chart_id, table_loc, mark in _drawn_from(tailored, outline):
        if mark in ids and ids[mark] > ids[lv.id]:
            out.append((table_loc + ("marking",), f"marked {mark}, and chart '{chart_id}' draws its data, which "
                        f"audience '{name}' (cleared for {lv.id} only) gets — keep the chart from that audience with a "
                        f"tag, or raise the audience's classification"))
    return out


def withheld(full: Outline, tailored: Outline) -> dict[str, list[str]]:
    """What the whole outline's products show and an audience's do not: ids of sections, charts, tables, images and
    key figures; points of the sections it does get, by id (else as `sections[id].points[i]`)."""
    got = {key for _, key, _ in _items(tailored)}
    sections = {key[1] for key in got if key[0] == "section" and len(key) == 2}
    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for loc, key, item in _items(full):
        if key in got:
            continue
        if len(key) == 2:
            out[loc[0]].append(key[1])
        elif key[2] == "point" and len(key) == 4 and key[1] in sections:
            out["points"].append(item.id or f"sections[{key[1]}].points[{loc[3]}]")
    return out


def _items(o: Outline, everything: bool = False) -> Iterator[tuple[Loc, tuple, Any]]:
    """(location, identity, item) of every markable item the outline's products show — or, with `everything`, of
    every markable item it holds. The identity survives tailoring (ids; for items without one their text, tags and
    marking), so an item of the whole outline and of a tailored one can be matched."""
    for si, s in enumerate(o.sections):
        sk: tuple = ("section", s.id)
        sl: Loc = ("sections", si)
        yield sl, sk, s
        for pi, p in enumerate(s.points):
            pk = sk + ("point", ("id", p.id) if p.id is not None else ("text", p.text, tuple(p.tags), p.marking))
            yield sl + ("points", pi), pk, p
            for qi, q in enumerate(p.points):
                yield sl + ("points", pi, "points", qi), pk + ("sub", q.text, tuple(q.tags), q.marking), q
        for qi, q in enumerate(s.quotes):
            yield sl + ("quotes", qi), sk + ("quote", q.text, q.by, q.role, tuple(q.tags), q.marking), q
        for group in ("boxes", "columns"):  # one kind: tailoring turns a lone comparison column into a box
            for bi, b in enumerate(getattr(s, group)):
                bk = sk + ("panel", b.title, tuple(b.tags), b.marking)
                yield sl + (group, bi), bk, b
                for ii, it in enumerate(b.points):
                    yield sl + (group, bi, "points", ii), bk + ("item", it.text, tuple(it.tags), it.marking), it
    shown = {group: {x for s in o.sections for x in getattr(s, group)} for group in ("charts", "tables", "images")}
    for group, kind in (("charts", "chart"), ("tables", "table"), ("images", "image")):
        for i, x in enumerate(getattr(o, group)):
            if everything or x.id in shown[group]:
                yield (group, i), (kind, x.id), x
    for ki, k in enumerate(o.key_figures):
        yield ("key_figures", ki), ("key_figure", k.id), k


def _drawn_from(o: Outline, full: Outline | None = None) -> Iterator[tuple[str, Loc, str | None]]:
    """(chart id, location of its table in `full`, the table's marking) of each shown chart drawn `from` a table:
    the chart carries the table's data, wherever the table itself goes."""
    full = full or o
    shown = {x for s in o.sections for x in s.charts}
    where = {t.id: (("tables", i), t.marking) for i, t in enumerate(full.tables)}
    for c in o.charts:
        if c.id in shown and c.from_ in where:
            loc, mark = where[c.from_]
            yield c.id, loc, mark


def _names(outline: Outline) -> str:
    return ", ".join(lv.id for lv in scale(outline))


def _unknown(outline: Outline, value: str) -> str:
    """'x' is not a level, with the levels and a did-you-mean that also matches labels and case ('Restricted')."""
    known = {lv.id.lower(): lv.id for lv in scale(outline)} | {lv.label.lower(): lv.id for lv in scale(outline)}
    near = difflib.get_close_matches(value.lower(), list(known), n=1, cutoff=0.6)
    hint = f" (did you mean '{known[near[0]]}'?)" if near else ""
    return (f"'{value}' is not a classification level — this outline is classified, so name a level by its id: "
            f"{_names(outline)}{hint}")
