"""The deck's map back to its outline (which file, which hash, which audience; per slide what it shows), pure data."""
from __future__ import annotations

import base64
import hashlib
import json
import zlib

from .layout.slides import (
    BulletsChartSlide,
    ChartSlide,
    DeckPlan,
    KeyFiguresSlide,
    body_of,
    point_ref,
)
from .model import Outline

MARK = "deckgen:"  # a slide's marker shape is named 'deckgen:<number in the build>'
PREFIX = "deckgen."  # custom document properties
CHUNK = 240  # characters per map property: Office keeps a custom property's text to 255 characters


def digest(data: bytes) -> str:
    """The hash the deck records of the outline file it was built from."""
    return hashlib.sha256(data).hexdigest()


def deck_map(plan: DeckPlan, outline: Outline, file_name: str, data: bytes, audience: str | None, language: str) -> dict:
    """What `deckgen pull` needs to map a deck back: outline name and hash, audience, the outline's and the deck's
    language, per slide (by number) its section, continuation, body paragraph refs, notes refs, chart, key figures,
    and every section's point refs (so that a later pull tells points added since the build from points left out).
    `outline` is the outline the plan was made from (tailored for `audience`); `language` is the outline file's own."""
    slides: dict[str, dict] = {}
    for s in plan.slides:
        entry: dict = {"k": s.kind}
        if len(s.loc) >= 2 and s.loc[0] == "sections" and isinstance(s.loc[1], int) and s.loc[1] < len(outline.sections):
            entry["s"] = outline.sections[s.loc[1]].id
        if s.continued:
            entry["c"] = 1
        refs = [p.ref for p in body_of(s)]
        if any(refs):
            entry["b"] = refs
        if s.notes_from:
            entry["n"] = list(s.notes_from)
        chart = getattr(s, "chart", None) if isinstance(s, (ChartSlide, BulletsChartSlide)) else None
        if chart is not None:
            entry["ch"] = chart.chart_id
        if isinstance(s, KeyFiguresSlide) and len(s.loc) == 2 and isinstance(s.loc[1], int):
            entry["f"] = [k.id for k in outline.key_figures[s.loc[1]: s.loc[1] + len(s.figures)]]
        slides[str(s.number)] = entry
    points = {sec.id: [point_ref(sec.id, i, p) for i, p in enumerate(sec.points)] for sec in outline.sections}
    return {"v": 1, "outline": file_name, "sha256": digest(data), "audience": audience or "",
            "language": outline.meta.language, "outline_language": language, "slides": slides, "points": points}


def to_properties(origin: dict) -> dict[str, str]:
    """The map as custom document properties: a few readable ones, then the whole map (JSON, deflated, base64) in
    numbered chunks."""
    data = json.dumps(origin, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text = base64.b64encode(zlib.compress(data, 9)).decode("ascii")  # a 500-slide deck's map in ~80 properties, not 400
    props = {f"{PREFIX}outline": origin["outline"], f"{PREFIX}sha256": origin["sha256"],
             f"{PREFIX}audience": origin["audience"], f"{PREFIX}language": origin["language"]}
    for i in range(0, len(text), CHUNK):
        props[f"{PREFIX}map.{i // CHUNK + 1:03d}"] = text[i: i + CHUNK]
    return props


def from_properties(props: dict[str, str]) -> dict | None:
    """The map read back from a deck's custom document properties (None when the deck carries none, or a broken one)."""
    keys = sorted(k for k in props if k.startswith(f"{PREFIX}map."))
    if not keys:
        return None
    try:
        data = json.loads(zlib.decompress(base64.b64decode("".join(props[k] for k in keys), validate=True)))
    except (ValueError, zlib.error):
        return None
    return data if isinstance(data, dict) and data.get("v") == 1 else None
