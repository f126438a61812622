"""What a build would make, for people and tools: the deck plan as JSON, a template's layouts, who gets what."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .build import audience_names, deck_context, load

if TYPE_CHECKING:
    from .outline import Document


def plan_json(outline: str | Path | None = None) -> str:
    """The deck plan of an outline (the default when None) as indented JSON: slides, frames in pt, runs, notes."""

    from .layout.deck import plan_deck
    from .theme import load_theme

    doc = load(outline)
    from .layout.jsonable import to_data

    plan, warnings = plan_deck(doc.outline, deck_context(doc, load_theme(doc.outline.theme.name), doc.outline.meta.language))
    body = {"plan": to_data(plan), "warnings": [{"loc": list(loc), "message": m} for loc, m in warnings]}
    return json.dumps(body, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class PlaceholderRow:
    """A placeholder of a layout as `template inspect` shows it: type and idx, frame in pt, first-level text."""

    type: str  # title, ctrTitle, subTitle, body, obj, dt, ftr, sldNum, ...
    idx: int
    x: float
    y: float
    w: float
    h: float
    size: float | None  # first-level text size in pt (None: the template states none)
    font: str  # the typeface of that text


@dataclass(frozen=True)
class LayoutRow:
    """A layout: its position among all the template's layouts (0-based, masters in order), name, placeholders."""

    index: int
    name: str
    placeholders: tuple[PlaceholderRow, ...]


@dataclass(frozen=True)
class MasterRow:
    """A slide master (numbered from 1) and its layouts in order."""

    number: int
    layouts: tuple[LayoutRow, ...]


@dataclass(frozen=True)
class KindRow:
    """The layout a slide kind would use (by index, name and master number) and why; layout None when none can."""

    kind: str
    layout: int | None
    name: str
    master: int
    reason: str


@dataclass(frozen=True)
class TemplateLayouts:
    """What `deckgen template inspect` shows: slide size, the masters with their layouts and placeholders, which
    layout each slide kind maps to and why, and the problems (kinds no layout serves, unusable theme.layouts)."""

    width: float
    height: float
    masters: tuple[MasterRow, ...]
    kinds: tuple[KindRow, ...]
    problems: tuple[str, ...]


def template_layouts(path: str | Path, outline: str | Path | None = None) -> TemplateLayouts:
    """A .pptx template's masters, layouts and placeholders, and the layout each slide kind would use and why — with the
    `theme.layouts` of `outline` when given. A file that is not a usable presentation raises AssetError."""
    from . import assets
    from .errors import AssetError
    from .layout.slides import SLIDE_KINDS
    from .template import choose
    from .writers.pptx import read_template

    p = Path(path)
    from .templatefile import clean

    data = clean(assets.read_template(p, str(p)), p.name, str(p)).data
    try:
        info = read_template(data)
    except AssetError:
        raise
    except Exception as exc:  # noqa: BLE001 — a package python-pptx or lxml cannot read raises any kind of error
        raise AssetError(f"'{p.name}' cannot be read as a presentation ({type(exc).__name__}) — re-save it in PowerPoint",
                         str(p)) from None
    overrides = dict(load(outline).outline.theme.layouts) if outline is not None else {}
    choices, problems = choose(info, list(SLIDE_KINDS), overrides)
    masters: dict[int, list[LayoutRow]] = {}
    for lay in info.layouts:
        rows = tuple(PlaceholderRow(b.type, b.idx, float(b.frame.x), float(b.frame.y), float(b.frame.w), float(b.frame.h),
                                    float(b.levels[0].size) if b.levels else None, b.font) for b in lay.boxes)
        masters.setdefault(lay.master, []).append(LayoutRow(lay.index, lay.name, rows))
    kinds = tuple(KindRow(kind, c.layout, c.name, info.layouts[c.layout].master + 1, c.reason) if (c := choices.get(kind))
                  else KindRow(kind, None, "", 0, "no layout can serve it") for kind in SLIDE_KINDS)
    return TemplateLayouts(float(info.width), float(info.height),
                           tuple(MasterRow(m + 1, tuple(rows)) for m, rows in sorted(masters.items())), kinds, tuple(problems))


def audience_table(doc: Document) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Who gets what: (audience names, rows of (item label, one cell per audience)) for sections, charts, tables, images, key figures
    (first each audience's classification level, when the outline is classified).

    A section cell is 'in (N slides)' with the slides of its deck, or 'out'; a chart, table, image or key figure cell
    is 'in'/'out'.
    """
    from .audience import tailor
    from .layout.deck import plan_deck
    from .theme import load_theme

    assert doc.outline is not None
    names = audience_names(doc)
    theme = load_theme(doc.outline.theme.name)
    tailored = {n: tailor(doc.outline, n) for n in names}
    slides: dict[str, dict[str, int]] = {}

    for n, o in tailored.items():
        plan, _ = plan_deck(o, deck_context(doc, theme, o.meta.language))
        counts: dict[str, int] = {}
        current: str | None = None  # a chart, table or image slide follows the section that shows it
        for slide in plan.slides:
            loc = slide.loc or ()
            if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
                current = o.sections[loc[1]].id
            elif not (loc and loc[0] in ("charts", "tables", "images")):
                current = None
            if current is not None:
                counts[current] = counts.get(current, 0) + 1
        slides[n] = counts
    rows: list[tuple[str, list[str]]] = []
    from .classification import audience_level

    if any(audience_level(doc.outline, n) is not None for n in names):  # a classified outline: each audience's level first
        rows.append(("classification", [lv.id if (lv := audience_level(doc.outline, n)) else "" for n in names]))
    for s in doc.outline.sections:
        cells = []
        for n in names:
            ids = [x.id for x in tailored[n].sections]
            if s.id in ids:
                k = slides[n].get(s.id, 0)
                cells.append(f"in #{ids.index(s.id) + 1}, {k} slide{'s' if k != 1 else ''}")
            else:
                cells.append("out")
        rows.append((f"section {s.id}", cells))
    for c in doc.outline.charts:
        rows.append((f"chart {c.id}", ["in" if c.id in {x.id for x in tailored[n].charts} else "out" for n in names]))
    for group, label in (("tables", "table"), ("images", "image")):
        for item in getattr(doc.outline, group):
            rows.append((f"{label} {item.id}", ["in" if item.id in {x.id for x in getattr(tailored[n], group)} else "out" for n in names]))
    for k in doc.outline.key_figures:
        rows.append((f"figure {k.id}", ["in" if k.id in {x.id for x in tailored[n].key_figures} else "out" for n in names]))
    return names, rows


def outline_schema() -> dict:
    """The outline format as JSON Schema (for editor autocompletion)."""
    from .model import Outline

    return Outline.model_json_schema()
