"""Translations by id: an outline's texts replaced from a `Translation` (a language's, or an audience's overrides),
the checks that every id and position it names exists, and the texts it leaves untranslated — pure."""
from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from .model import (Box, Chart, Column, KeyFigure, Loc, Outline, Overrides, Point, Quote, Section, Table,
                    Translation, _missing, check_language)
from .words import CATALOGUE, KEYS, primary_language

_LETTER = re.compile(r"[^\W\d_]")


def wordy(text: str | None) -> bool:
    """Whether a text has letters (a text of digits and signs reads the same in every language)."""
    return bool(text) and bool(_LETTER.search(text))


@dataclass(frozen=True)
class Missing:
    """One text a translation leaves as written: where it is in the outline, what it belongs to, the key to add."""

    loc: Loc
    owner: tuple[str, str]  # ("sections", id), ("points", id), ("charts", id), …, ("meta", ""); an id-less point or source: ("points", "")
    key: str  # e.g. "points.p-visit.detail" (meaningless for an id-less point or source: it needs an id first)
    field: str  # the field's name ("detail", "title", "cells", …)


def translation_for(outline: Outline, language: str) -> Translation | None:
    """The outline's translation for `language`: the exact tag, else one with the same primary language."""
    if language in outline.translations:
        return outline.translations[language]
    same = [t for tag, t in outline.translations.items() if primary_language(tag) == primary_language(language)]
    return same[0] if same else None


def apply(outline: Outline, tr: Translation, source: str | None = None) -> Outline:
    """The outline with every text `tr` gives put in place (anything it does not give stays as written); with
    `source` (the language the outline is written in, when `tr` is a translation into another), each object knows
    which of its texts are still in that language (`language_of`), so a product can say so (the brief's /Lang)."""
    return _Overlay(outline, tr, source).outline


def untranslated(outline: Outline, tr: Translation | None) -> list[Missing]:
    """Every text with letters that `tr` leaves as written, in outline order."""
    return _Overlay(outline, tr or Translation()).missing


def merged(first: Translation | None, second: Translation) -> Translation:
    """One translation: `second`'s texts over `first`'s (an audience's overrides over its language's translation)."""
    if first is None:
        return _plain_translation(second)
    a, b = first.model_dump(exclude_defaults=True), _plain_translation(second).model_dump(exclude_defaults=True)
    return Translation.model_validate(_deep(a, b))


def _deep(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _plain_translation(tr: Translation) -> Translation:
    """Overrides as a Translation: `title`/`subtitle` moved into `meta`."""
    if not isinstance(tr, Overrides):
        return tr
    data = tr.model_dump(exclude_defaults=True)
    title, subtitle = data.pop("title", None), data.pop("subtitle", None)
    meta = data.setdefault("meta", {})
    if title is not None:
        meta.setdefault("title", title)
    if subtitle is not None:
        meta.setdefault("subtitle", subtitle)
    return Translation.model_validate(data)


class _Overlay:
    """Walks the outline once: builds the translated outline and notes each wordy text left as written."""

    def __init__(self, outline: Outline, tr: Translation, source: str | None = None) -> None:
        self.tr = _plain_translation(tr)
        self.missing: list[Missing] = []
        self.source_language = source
        o = outline
        meta_update = {}
        since = len(self.missing)
        for name in ("title", "subtitle", "series", "number", "organisation", "classification", "about_authors",
                     "about", "copyright", "licence", "contact"):
            meta_update[name] = self.text(getattr(o.meta, name), getattr(self.tr.meta, name), ("meta", name),
                                          ("meta", ""), f"meta.{name}", name)
        meta_foreign = self.foreign(since)
        keywords = self.tr.meta.keywords
        if keywords is not None and len(keywords) == len(o.meta.keywords):
            meta_update["keywords"] = list(keywords)
        elif any(wordy(k) for k in o.meta.keywords):
            self.note(("meta", "keywords"), ("meta", ""), "meta.keywords", "keywords")
        since = len(self.missing)
        lead = self.text(o.lead, self.tr.lead, ("lead",), ("meta", ""), "lead", "lead")
        lead_foreign = self.foreign(since)
        self.outline = o.model_copy(update={
            "meta": self.mark(o.meta.model_copy(update=meta_update), meta_foreign),
            "lead": lead,
            "sections": [self.section(s, i) for i, s in enumerate(o.sections)],
            "key_figures": [self.key_figure(k, i) for i, k in enumerate(o.key_figures)],
            "charts": [self.chart(c, i) for i, c in enumerate(o.charts)],
            "tables": [self.table(t, i) for i, t in enumerate(o.tables)],
            "images": [self.image(im, i) for i, im in enumerate(o.images)],
            "sources": [self.source(s, i) for i, s in enumerate(o.sources)],
            "footnotes": {k: self.text(v, self.tr.footnotes.get(k), ("footnotes", k), ("footnotes", k), f"footnotes.{k}", k)
                          for k, v in o.footnotes.items()},
        })
        self.mark(self.outline, lead_foreign)

    def foreign(self, since: int) -> dict[str, str]:
        """The fields noted as left as written since `since` (a count of `missing`), in the source language."""
        if self.source_language is None:
            return {}
        return {m.field: self.source_language for m in self.missing[since:]}

    def mark(self, obj, foreign: dict[str, str]):
        """`obj` knowing which of its texts are still in the source language (model.language_of)."""
        if foreign:
            obj._foreign = {**(obj._foreign or {}), **foreign}
        return obj

    def note(self, loc: Loc, owner: tuple[str, str], key: str, field: str) -> None:
        self.missing.append(Missing(loc, owner, key, field))

    def text(self, original, given, loc: Loc, owner: tuple[str, str], key: str, field: str):
        """`given` if there is one, else the original (noted when it has letters)."""
        if given is not None:
            return given
        if isinstance(original, str) and wordy(original):
            self.note(loc, owner, key, field)
        return original

    def texts(self, originals: list[str], given: list[str] | None, loc: Loc, owner, key: str, field: str) -> list[str]:
        """A list of texts given by position (its length checked by `check`)."""
        if given is not None and len(given) == len(originals):
            return list(given)
        return [self.text(x, None, loc + (i,), owner, f"{key}[{i}]", field) for i, x in enumerate(originals)]

    def section(self, s: Section, si: int) -> Section:
        t = self.tr.sections.get(s.id)
        loc, owner, key = ("sections", si), ("sections", s.id), f"sections.{s.id}"
        since = len(self.missing)
        update = {name: self.text(getattr(s, name), getattr(t, name) if t else None, loc + (name,), owner,
                                  f"{key}.{name}", name) for name in ("title", "intro", "notes")}
        own = self.foreign(since)
        update["points"] = [self.point(p, loc + ("points", pi)) for pi, p in enumerate(s.points)]
        update["quotes"] = [self.quote(q, (t.quotes or [])[qi] if t and t.quotes and qi < len(t.quotes) else None,
                                       loc + ("quotes", qi), owner, f"{key}.quotes[{qi}]") for qi, q in enumerate(s.quotes)]
        for group in ("boxes", "columns"):
            given = getattr(t, group) if t else None
            update[group] = [self.item(b, given[bi] if given and bi < len(given) else None, loc + (group, bi), owner,
                                       f"{key}.{group}[{bi}]") for bi, b in enumerate(getattr(s, group))]
        return self.mark(s.model_copy(update=update), own)

    def point(self, p: Point, loc: Loc) -> Point:
        if p.id is None:  # no id, no translation: say so (check gives the fix)
            t, owner, key = None, ("points", ""), "points"
        else:
            t, owner, key = self.tr.points.get(p.id), ("points", p.id), f"points.{p.id}"
        since = len(self.missing)
        update = {name: self.text(getattr(p, name), getattr(t, name) if t else None, loc + (name,), owner,
                                  f"{key}.{name}", name) for name in ("text", "detail", "notes")}
        own = self.foreign(since)
        subs = self.subs(p.points, t.points if t else None, loc + ("points",), owner, f"{key}.points")
        update["points"] = subs
        return self.mark(p.model_copy(update=update), own)

    def subs(self, items: list, given: list[str] | None, loc: Loc, owner, key: str) -> list:
        """Sub-points (objects with a `text`) given by position, each knowing whether it is still in the source language."""
        since = len(self.missing)
        texts = self.texts([q.text for q in items], given, loc, owner, key, "points")
        left = {m.loc[-1] for m in self.missing[since:]} if self.source_language else set()
        return [self.mark(q.model_copy(update={"text": x}), {"text": self.source_language} if i in left else {})
                for i, (q, x) in enumerate(zip(items, texts))]

    def quote(self, q: Quote, t, loc: Loc, owner, key: str) -> Quote:
        since = len(self.missing)
        new = q.model_copy(update={name: self.text(getattr(q, name), getattr(t, name) if t else None, loc + (name,),
                                                   owner, f"{key}.{name}", name) for name in ("text", "by", "role")})
        return self.mark(new, self.foreign(since))

    def item(self, b: Box | Column, t, loc: Loc, owner, key: str) -> Box | Column:
        since = len(self.missing)
        update = {name: self.text(getattr(b, name), getattr(t, name) if t else None, loc + (name,), owner,
                                  f"{key}.{name}", name) for name in ("title", "text")}
        own = self.foreign(since)
        update["points"] = self.subs(b.points, t.points if t else None, loc + ("points",), owner, f"{key}.points")
        return self.mark(b.model_copy(update=update), own)

    def key_figure(self, k: KeyFigure, i: int) -> KeyFigure:
        t = self.tr.key_figures.get(k.id)
        since = len(self.missing)
        new = k.model_copy(update={name: self.text(getattr(k, name), getattr(t, name) if t else None,
                                                   ("key_figures", i, name), ("key_figures", k.id),
                                                   f"key_figures.{k.id}.{name}", name) for name in ("value", "label", "source")})
        return self.mark(new, self.foreign(since))

    def chart(self, c: Chart, i: int) -> Chart:
        t = self.tr.charts.get(c.id)
        loc, owner, key = ("charts", i), ("charts", c.id), f"charts.{c.id}"
        since = len(self.missing)
        update = {name: self.text(getattr(c, name), getattr(t, name) if t else None, loc + (name,), owner,
                                  f"{key}.{name}", name) for name in ("title", "unit", "x_unit", "source", "alt")}
        own = self.foreign(since)
        series, cats, labels = (t.series, t.categories, t.points) if t else ({}, {}, {})
        update["series"] = [s.model_copy(update={"name": self.text(s.name, series.get(s.name), loc + ("series", si, "name"),
                                                                   owner, f"{key}.series[{s.name!r}]", "series")})
                            for si, s in enumerate(c.series)]
        update["categories"] = [self.text(x, cats.get(x), loc + ("categories", ci), owner, f"{key}.categories[{x!r}]", "categories")
                                for ci, x in enumerate(c.categories)]
        update["points"] = [p.model_copy(update={"label": self.text(p.label, labels.get(p.label), loc + ("points", pi, "label"),
                                                                    owner, f"{key}.points[{p.label!r}]", "points")})
                            for pi, p in enumerate(c.points)]
        if c.projected_from is not None and c.projected_from in cats:
            update["projected_from"] = cats[c.projected_from]
        if c.target is not None:
            label = self.text(c.target.label, t.target if t else None, loc + ("target", "label"), owner, f"{key}.target", "target")
            update["target"] = c.target.model_copy(update={"label": label})
        return self.mark(c.model_copy(update=update), own)

    def table(self, tb: Table, i: int) -> Table:
        t = self.tr.tables.get(tb.id)
        loc, owner, key = ("tables", i), ("tables", tb.id), f"tables.{tb.id}"
        since = len(self.missing)
        update = {name: self.text(getattr(tb, name), getattr(t, name) if t else None, loc + (name,), owner,
                                  f"{key}.{name}", name) for name in ("title", "source", "notes")}
        own = self.foreign(since)
        if isinstance(tb.total, str):
            update["total"] = self.text(tb.total, t.total if t else None, loc + ("total",), owner, f"{key}.total", "total")
        names = self.texts([col.name for col in tb.columns], t.columns if t else None, loc + ("columns",), owner,
                           f"{key}.columns", "columns")
        update["columns"] = [col.model_copy(update={"name": x}) for col, x in zip(tb.columns, names)]
        cells = t.cells if t else {}
        rows = []
        for ri, row in enumerate(tb.rows):
            new = [self.text(x, cells.get(x), loc + ("rows", ri, "cells", ci), owner, f"{key}.cells[{x!r}]", "cells")
                   if isinstance(x, str) else x for ci, x in enumerate(row.cells)]
            rows.append(row.model_copy(update={"cells": new}))
        update["rows"] = rows
        return self.mark(tb.model_copy(update=update), own)

    def image(self, im, i: int):
        t = self.tr.images.get(im.id)
        return im.model_copy(update={name: self.text(getattr(im, name), getattr(t, name) if t else None, ("images", i, name),
                                                     ("images", im.id), f"images.{im.id}.{name}", name)
                                     for name in ("alt", "caption", "credit")})

    def source(self, s, i: int):
        if s.id is None:
            t, owner, key = None, ("sources", ""), "sources"
        else:
            t, owner, key = self.tr.sources.get(s.id), ("sources", s.id), f"sources.{s.id}"
        return s.model_copy(update={name: self.text(getattr(s, name), getattr(t, name) if t else None, ("sources", i, name),
                                                    owner, f"{key}.{name}", name) for name in ("title", "publisher")})


# --- checks: every id and position a translation or override names exists ------------------------------------


def check(outline: Outline) -> list[tuple[Loc, str]]:
    """Located problems of the outline's `labels`, `translations` and audiences' `overrides`/`labels`."""
    out: list[tuple[Loc, str]] = []
    out += _check_labels(outline.labels, ("labels",))
    for tag, tr in outline.translations.items():
        try:
            check_language(tag)
        except ValueError as exc:
            out.append((("translations", tag), str(exc)))
        out += _check_translation(outline, tr, ("translations", tag))
    for name, a in outline.audiences.items():
        out += _check_labels(a.labels, ("audiences", name, "labels"))
        out += _check_translation(outline, a.overrides, ("audiences", name, "overrides"))
    return out


def _check_labels(labels: dict[str, str], loc: Loc) -> list[tuple[Loc, str]]:
    out = []
    for key, text in labels.items():
        if key not in KEYS:
            out.append((loc + (key,), _missing("label", key, set(KEYS), "deckgen prints no such word")))
            continue
        wanted = {f for _, f, _, _ in string.Formatter().parse(CATALOGUE["en"][key]) if f}
        try:
            given = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        except ValueError:
            given = None
        if given is None or not given <= wanted:
            fields = ", ".join("{" + f + "}" for f in sorted(wanted)) or "none"
            out.append((loc + (key,), f"label '{key}' may use the fields {fields} only — write other braces doubled: {{{{ }}}}"))
    return out


def _check_translation(outline: Outline, tr: Translation, loc: Loc) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    out += _check_labels(tr.labels, loc + ("labels",))
    sections = {s.id: s for s in outline.sections}
    points = {p.id: p for s in outline.sections for p in s.points if p.id is not None}

    def ids(group: str, known: dict) -> Iterator[tuple[str, object]]:
        for key, value in getattr(tr, group).items():
            if key in known:
                yield key, value
            else:
                out.append((loc + (group, key), _missing(group.rstrip("s").replace("_", " "), key, set(known))))

    def count(given: list | None, originals: list, where: Loc, what: str) -> None:
        if given is not None and len(given) != len(originals):
            out.append((where, f"{len(given)} {what} given but the outline has {len(originals)} — give one per "
                               f"{what.rstrip('s')}, in order"))

    def keys(given: dict[str, str], originals: list[str], where: Loc, what: str) -> None:
        for k in given:
            if k not in originals:
                out.append((where + (k,), _missing(what, k, set(originals), "write it exactly as the outline does")))

    for sid, t in ids("sections", sections):
        s = sections[sid]
        count(t.quotes, s.quotes, loc + ("sections", sid, "quotes"), "quotes")
        count(t.boxes, s.boxes, loc + ("sections", sid, "boxes"), "boxes")
        count(t.columns, s.columns, loc + ("sections", sid, "columns"), "columns")
        for group in ("boxes", "columns"):
            for bi, (given, item) in enumerate(zip(getattr(t, group) or [], getattr(s, group))):
                count(given.points, item.points, loc + ("sections", sid, group, bi, "points"), "points")
    for pid, t in ids("points", points):
        count(t.points, points[pid].points, loc + ("points", pid, "points"), "sub-points")
    list(ids("key_figures", {k.id: k for k in outline.key_figures}))
    charts = {c.id: c for c in outline.charts}
    for cid, t in ids("charts", charts):
        c = charts[cid]
        keys(t.series, [s.name for s in c.series], loc + ("charts", cid, "series"), "series")
        keys(t.categories, list(c.categories), loc + ("charts", cid, "categories"), "category")
        keys(t.points, [p.label for p in c.points], loc + ("charts", cid, "points"), "point")
        if t.target is not None and c.target is None:
            out.append((loc + ("charts", cid, "target"), "the chart has no target line — remove `target`"))
    tables = {t.id: t for t in outline.tables}
    for tid, t in ids("tables", tables):
        tb = tables[tid]
        count(t.columns, tb.columns, loc + ("tables", tid, "columns"), "columns")
        keys(t.cells, [x for r in tb.rows for x in r.cells if isinstance(x, str)], loc + ("tables", tid, "cells"), "cell")
    list(ids("images", {i.id: i for i in outline.images}))
    list(ids("sources", {s.id: s for s in outline.sources if s.id is not None}))
    list(ids("footnotes", dict(outline.footnotes)))
    if tr.meta.keywords is not None and len(tr.meta.keywords) != len(outline.meta.keywords):
        count(tr.meta.keywords, outline.meta.keywords, loc + ("meta", "keywords"), "keywords")
    return out


__all__ = ["Missing", "apply", "check", "merged", "translation_for", "untranslated", "wordy"]
