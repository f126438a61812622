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
            or any(item.marking is not None for _, item in _items(outline, everything=True)))


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
    marks = [item.marking for _, item in _items(outline)] + [m for _, _, m in _drawn_from(outline)]
    for mark in marks:
        if mark in ids and ids[mark] > ids[best.id]:
            best = level(outline, mark)
    return best


def banner_label(outline: Outline, lv: Level) -> str:
    """What the banner of level `lv` prints: an outline's own level's label as written; a built-in level's in the
    outline's language (the catalogue's `level_<id>`, which `labels` may replace)."""
    if outline.classification is not None:
        return lv.label
    from .words import words_for

    return words_for(outline)["level_" + lv.id.replace("-", "_")]


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
    for loc, item in _items(outline, everything=True):
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
    """Marked content audience `name` would get in `tailored` (its tailored outline) although it is classified lower:
    found in what the audience gets (whatever tailoring and translation did to the wording), each reported at its
    `marking` in `outline` (at the audience's `classification` when the outline's unmarked content is itself above
    the audience's level; at a chart's table's `marking` when the chart draws a marked table's data)."""
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
    origin = _matched(outline, tailored)
    for loc, item in _items(tailored):
        mark = item.marking
        if mark in ids and ids[mark] > ids[lv.id]:
            where = origin.get(loc)
            place = where + ("marking",) if where is not None else _nearest(origin, loc)
            out.append((place, f"marked {mark}, but audience '{name}' is cleared for {lv.id} only — keep it from that "
                        f"audience with a tag (e.g. `tags: [{mark}]` here and `exclude: [{mark}]` under audiences.{name}) "
                        "or raise the audience's classification"))
    for chart_id, table_loc, mark in _drawn_from(tailored, outline):
        if mark in ids and ids[mark] > ids[lv.id]:
            out.append((table_loc + ("marking",), f"marked {mark}, and chart '{chart_id}' draws its data, which "
                        f"audience '{name}' (cleared for {lv.id} only) gets — keep the chart from that audience with a "
                        f"tag, or raise the audience's classification"))
    return out


def withheld(full: Outline, tailored: Outline) -> dict[str, list[str]]:
    """What the whole outline's products show and an audience's do not: ids of sections, charts, tables, images and
    key figures; points of the sections it does get, by id (else as `sections[id].points[i]`)."""
    got = set(_matched(full, tailored).values())
    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for loc, item in _items(full):
        if loc in got:
            continue
        if len(loc) == 2:
            out[str(loc[0])].append(item.id)
        elif len(loc) == 4 and loc[2] == "points" and loc[:2] in got:
            out["points"].append(item.id or f"sections[{full.sections[int(loc[1])].id}].points[{loc[3]}]")
    return out


def _items(o: Outline, everything: bool = False) -> Iterator[tuple[Loc, Any]]:
    """(location, item) of every markable item the outline's products show — or, with `everything`, of every
    markable item it holds."""
    for si, s in enumerate(o.sections):
        sl: Loc = ("sections", si)
        yield sl, s
        for pi, p in enumerate(s.points):
            yield sl + ("points", pi), p
            for qi, q in enumerate(p.points):
                yield sl + ("points", pi, "points", qi), q
        for qi, q in enumerate(s.quotes):
            yield sl + ("quotes", qi), q
        for group in ("columns", "boxes"):
            for bi, b in enumerate(getattr(s, group)):
                yield sl + (group, bi), b
                for ii, it in enumerate(b.points):
                    yield sl + (group, bi, "points", ii), it
    shown = {group: {x for s in o.sections for x in getattr(s, group)} for group in ("charts", "tables", "images")}
    for group in ("charts", "tables", "images"):
        for i, x in enumerate(getattr(o, group)):
            if everything or x.id in shown[group]:
                yield (group, i), x
    for ki, k in enumerate(o.key_figures):
        yield ("key_figures", ki), k


def _matched(full: Outline, tailored: Outline) -> dict[Loc, Loc]:
    """Each item of a tailored outline's products → where it stands in the whole outline. Sections, charts, tables,
    images, key figures and points with an id are found by id; other items by their place among their siblings:
    tailoring only drops items (all items with the same tags, marking and `key` alike, or a tail at max_points) and
    translation only rewrites text, so the tailored siblings are the whole outline's in order, matched greedily on
    (tags, marking, key) — the same text preferred."""
    out: dict[Loc, Loc] = {}
    sections = {s.id: i for i, s in enumerate(full.sections)}
    for ti, ts in enumerate(tailored.sections):
        if ts.id not in sections:
            continue
        fi = sections[ts.id]
        fs, tl, fl = full.sections[fi], ("sections", ti), ("sections", fi)
        out[tl] = fl
        for tpi, fpi in _align(fs.points, ts.points).items():
            out[tl + ("points", tpi)] = fl + ("points", fpi)
            for tqi, fqi in _align(fs.points[fpi].points, ts.points[tpi].points).items():
                out[tl + ("points", tpi, "points", tqi)] = fl + ("points", fpi, "points", fqi)
        for tqi, fqi in _align(fs.quotes, ts.quotes).items():
            out[tl + ("quotes", tqi)] = fl + ("quotes", fqi)
        # a lone comparison column becomes the first of the tailored boxes: columns then boxes, in both
        fpanels = [("columns", i, c) for i, c in enumerate(fs.columns)] + [("boxes", i, b) for i, b in enumerate(fs.boxes)]
        tpanels = [("columns", i, c) for i, c in enumerate(ts.columns)] + [("boxes", i, b) for i, b in enumerate(ts.boxes)]
        for tk, fk in _align([p[2] for p in fpanels], [p[2] for p in tpanels]).items():
            (tg, tbi, tb), (fg, fbi, fb) = tpanels[tk], fpanels[fk]
            out[tl + (tg, tbi)] = fl + (fg, fbi)
            for tii, fii in _align(fb.points, tb.points).items():
                out[tl + (tg, tbi, "points", tii)] = fl + (fg, fbi, "points", fii)
    for group in ("charts", "tables", "images", "key_figures"):
        where = {x.id: i for i, x in enumerate(getattr(full, group))}
        for ti, x in enumerate(getattr(tailored, group)):
            if x.id in where:
                out[(group, ti)] = (group, where[x.id])
    return out


def _align(full: list, tailored: list) -> dict[int, int]:
    """Tailored siblings → their index among the whole outline's (see _matched)."""
    out: dict[int, int] = {}
    ids = {x.id: i for i, x in enumerate(full) if getattr(x, "id", None) is not None}
    start = 0
    for ti, t in enumerate(tailored):
        tid = getattr(t, "id", None)
        if tid is not None and tid in ids:
            out[ti] = start = ids[tid]
            start += 1
            continue
        sig = _signature(t)
        fits = [i for i in range(start, len(full)) if _signature(full[i]) == sig and i not in out.values()]
        same = [i for i in fits if _text(full[i]) == _text(t)]
        if fits:
            out[ti] = (same or fits)[0]
            start = out[ti] + 1
    return out


def _signature(item: Any) -> tuple:
    return (getattr(item, "id", None), tuple(item.tags), item.marking, getattr(item, "key", False))


def _text(item: Any) -> str | None:
    return getattr(item, "text", None) or getattr(item, "title", None)


def _nearest(origin: dict[Loc, Loc], loc: Loc) -> Loc:
    """The whole outline's place of the nearest matched ancestor of a tailored item (never unlocated)."""
    while loc:
        loc = loc[:-2] if len(loc) > 2 else ()
        if loc in origin:
            return origin[loc]
    return ()


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
