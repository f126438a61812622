"""What a build would make, for people and tools: the deck plan as JSON, a template's layouts, who gets what."""
from __future__ import annotations

import json
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


def template_layouts(path: str | Path) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """The layouts of a .pptx template and their placeholders (idx, type, name), for `deckgen template inspect`."""
    from . import assets
    from .writers.pptx import inspect_template

    p = Path(path)
    return inspect_template(assets.read_template(p, str(p)))


def audience_table(doc: Document) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Who gets what: (audience names, rows of (item label, one cell per audience)) for sections, charts, key figures.

    A section cell is 'in (N slides)' with the slides of its deck, or 'out'; a chart or key figure cell is 'in'/'out'.
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
        current: str | None = None  # a chart slide follows the section that shows it
        for slide in plan.slides:
            loc = slide.loc or ()
            if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
                current = o.sections[loc[1]].id
            elif not (loc and loc[0] == "charts"):
                current = None
            if current is not None:
                counts[current] = counts.get(current, 0) + 1
        slides[n] = counts
    rows: list[tuple[str, list[str]]] = []
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
    for k in doc.outline.key_figures:
        rows.append((f"figure {k.id}", ["in" if k.id in {x.id for x in tailored[n].key_figures} else "out" for n in names]))
    return names, rows


def outline_schema() -> dict:
    """The outline format as JSON Schema (for editor autocompletion)."""
    from .model import Outline

    return Outline.model_json_schema()
