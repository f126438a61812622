"""Benchmark incremental rebuilds of the default outline in one process, as `deckgen serve` and `deckgen watch` make them.

Usage: python benchmarks/incremental.py [--repeat 5]
serve: seconds from a save to the deck being re-planned and drawn (the page shows it), and to the brief being rebuilt
with only its changed pages rasterised again. watch: seconds of a whole rebuild writing the .pptx and .pdf.
"Text edit": one point's wording; "chart edit": one value of the FDI chart. Medians (min–max) over --repeat edits,
after the first build and matplotlib's warm-up (a user takes seconds to make the first edit).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"


def edits(text: str, kind: str, n: int, first: int = 790) -> list[str]:
    """n outlines, each one edit away from `text`; chart values from `first` up (a value not rendered before)."""
    if kind == "text":
        return [text.replace("Talks with President Biden", f"Talks with President Biden ({k + 1})") for k in range(n)]
    return [text.replace("values: [783.3, 749.6", f"values: [{first + k}.5, 749.6") for k in range(n)]


def _row(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{label:<44} {statistics.median(ms):>7.0f} {min(ms):>7.0f}–{max(ms):<7.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from deckgen.serve import Session
    from deckgen.watch import watch

    text = DEFAULT.read_text(encoding="utf-8")
    rows = []
    with tempfile.TemporaryDirectory(prefix="deckgen-incr-") as tmp:
        import os

        os.environ["DECKGEN_CACHE_DIR"] = str(Path(tmp) / "cache")  # an empty chart cache: a chart edit is a render
        outline = Path(tmp) / "us-japan-2024.yaml"
        outline.write_text(text, encoding="utf-8")
        session = Session(outline)
        session.poll()
        from deckgen.charts import warm_up

        warm_up()
        for kind in ("text", "chart"):
            deck, brief, pages = [], [], []
            for new in edits(text, kind, args.repeat):
                outline.write_text(new, encoding="utf-8")
                session.poll()
                v = session.current(None)
                deck.append(v.timings["deck"])
                brief.append(v.timings["brief"])
                pages.append(v.rendered_pages)
                outline.write_text(text, encoding="utf-8")  # back, so every edit is one change
                session.poll()
            rows.append(_row(f"serve, {kind} edit: deck on the page", deck))
            rows.append(_row(f"serve, {kind} edit: brief too ({statistics.median(pages):.0f} of 9 pages redrawn)", brief))
        events = watch(outline, Path(tmp) / "build")
        next(events)
        time.sleep(2.0)  # matplotlib's warm-up thread, while a user would be typing
        for kind in ("text", "chart"):
            seconds = []
            for new in edits(text, kind, args.repeat, first=900):  # values serve has not rendered
                time.sleep(0.02)
                outline.write_text(new, encoding="utf-8")
                seconds.append(next(events).seconds)
                outline.write_text(text, encoding="utf-8")
                next(events)
            rows.append(_row(f"watch, {kind} edit: .pptx and .pdf written", seconds))
    print(f"{'case':<44} {'median ms':>7} {'min–max ms':>15}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
