"""Golden cases: deck and brief plans as JSON and one slide's XML part per slide kind, made the same way for the tests
that compare them (test_golden_deck.py, test_brief_golden.py) and the command that writes them (tools/update_golden.py)."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from lxml import etree

import deckgen
from deckgen.layout.brief import plan_brief
from deckgen.layout.deck import plan_deck
from deckgen.layout.jsonable import to_data
from deckgen.layout.slides import SLIDE_TYPES
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.writers.pptx import write_deck

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"
EPOCH = 1713484800  # 2024-04-19, the default outline's date
DECK_CASES = {
    "default": ROOT / "outlines" / "us-japan-2024.yaml",
    "mini": FIXTURES / "mini.yaml",
    "polish": FIXTURES / "polish.yaml",
    "stress": FIXTURES / "stress.yaml",
}


BRIEF_CASES = {k: DECK_CASES[k] for k in ("default", "mini", "polish")}


def context(language: str = "en"):
    """The built-in theme's context without installed fonts, so goldens do not depend on the machine."""
    return typesetting(load_theme(), language=language, system_fonts=False)


def _dump(plan, warnings) -> str:
    body = {"plan": to_data(plan), "warnings": [[list(loc), message] for loc, message in warnings]}
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def brief_plan_text(case: str) -> str:
    """The brief plan of a case and its warnings, as the JSON text of its golden file."""
    outline = deckgen.load(BRIEF_CASES[case]).outline
    return _dump(*plan_brief(outline, context(outline.meta.language)))


def deck_plan_text(case: str) -> str:
    """The deck plan of a case and its warnings, as the JSON text of its golden file."""
    outline = deckgen.load(DECK_CASES[case]).outline
    return _dump(*plan_deck(outline, context(outline.meta.language)))


def every_kind_outline() -> Outline:
    """The mini outline grown to hold one slide of every kind: section headers, a quote, recommendations."""
    data = deckgen.load(FIXTURES / "mini.yaml").outline.model_dump(mode="json", exclude_none=True)
    data.setdefault("theme", {})["section_headers"] = True
    data["sections"].insert(1, {"id": "said", "title": "What was said", "kind": "quote", "points": [
        {"text": "Allies stand together.", "points": ["A. Leader, 10 April 2024"]}]})
    data["sections"].append({"id": "next", "title": "Recommendations", "kind": "recommendations",
                             "points": ["Fund the plan.", "Review it yearly."]})
    data["sections"].append({"id": "plain", "title": "Plain bullets", "points": ["One.", "Two."]})
    # issue 14's elements: a picture of its own, one beside points, a box, a comparison
    data["sections"].append({"id": "seen", "title": "What was seen", "points": ["A point beside the picture."],
                             "images": ["side", "photo"], "boxes": [{"title": "Key takeaway", "text": "It holds.",
                                                                      "points": ["One item."]}]})
    data["sections"].append({"id": "either", "title": "Either way", "kind": "comparison", "columns": [
        {"title": "Option A", "points": ["Deepen."]}, {"title": "Option B", "points": ["Hedge."]}]})
    data["sections"].append({"id": "counted", "title": "Counted", "tables": ["sites"]})
    data["tables"] = [{"id": "sites", "title": "Sites", "columns": ["Site", {"name": "Troops", "decimals": 0}],
                       "rows": [["North", 120], ["South", 80]], "total": True, "source": "Test source"}]
    data["images"] = [{"id": "photo", "file": "photo.png", "alt": "A grey square", "caption": "A photo", "credit": "deckgen"},
                      {"id": "side", "file": "side.png", "alt": "A grey square", "place": "beside"}]
    return Outline.model_validate(data)


def every_kind_pictures() -> dict:
    """The every-kind outline's images: a small grey PNG each."""
    from PIL import Image

    from deckgen.media import picture

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (128, 128, 128)).save(buf, format="PNG")
    return {i: picture(i, buf.getvalue()) for i in ("photo", "side")}


def slide_parts() -> dict[str, str]:
    """kind -> the XML of the first slide of that kind in the every-kind deck, indented."""
    ctx = context()
    plan, _ = plan_deck(every_kind_outline(), ctx, every_kind_pictures())
    data = write_deck(plan, ctx, EPOCH)
    out: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for s in plan.slides:
            if s.kind not in out:
                xml = etree.fromstring(z.read(f"ppt/slides/slide{s.number}.xml"))
                out[s.kind] = etree.tostring(xml, pretty_print=True, encoding="unicode")
    missing = [t.kind for t in SLIDE_TYPES if t.kind not in out]
    assert not missing, f"the every-kind outline lacks slides of kind {missing}"
    return out


def part_path(kind: str) -> Path:
    return GOLDEN / "deck" / "parts" / f"{kind}.xml"


def plan_path(case: str, product: str = "deck") -> Path:
    return GOLDEN / product / f"{case}.json"
