"""Line breaks of the deck plan's drawing against LibreOffice's render: per slide and text frame, the lines each has.

`python tests/linecheck.py [OUTLINE]` prints every frame whose line count differs and the agreement in total."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def rendered_rows(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page of a PDF, its text rows: (x0, top, x1, bottom, text), words on one baseline joined."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words(use_text_flow=False, keep_blank_chars=False, extra_attrs=["size"])
            rows: list[list[dict]] = []
            for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
                for row in rows:
                    r = row[0]
                    same_line = abs(r["bottom"] - w["bottom"]) < 0.35 * max(r["size"], w["size"])
                    if same_line and (w["x0"] - max(x["x1"] for x in row)) < 40 and w["x0"] >= min(x["x0"] for x in row) - 40:
                        row.append(w)
                        break
                else:
                    rows.append([w])
            pages.append([(min(w["x0"] for w in r), min(w["top"] for w in r), max(w["x1"] for w in r), max(w["bottom"] for w in r),
                           " ".join(w["text"] for w in sorted(r, key=lambda w: w["x0"]))) for r in rows])
    return pages


def compare(outline=None, audience=None):
    """(frames compared, [(slide, frame name, drawn lines, rendered lines)] that differ) for an outline's deck."""
    import deckgen
    from deckgen.office import to_pdf
    from deckgen.preview import plan_for
    from deckgen.writers.svg import draw_deck

    doc = deckgen.load(outline)
    planned = plan_for(doc, audience)
    drawings = draw_deck(planned.plan, planned.ctx)
    built = deckgen.build(doc, formats=("pptx",), audiences=[audience] if audience else [], write=False)
    pdf = to_pdf(next(iter(built.data.values())))
    pages = rendered_rows(pdf)
    assert len(pages) == len(drawings), (len(pages), len(drawings))
    compared, differ = 0, []
    for d, rows in zip(drawings, pages):
        for box in d.boxes:
            if not any(box.lines):
                continue
            f = box.frame
            inside = [r for r in rows if f.y - 2 <= (r[1] + r[3]) / 2 <= f.y + f.h + 2 and f.x <= (r[0] + r[2]) / 2 <= f.x + f.w
                      and r[2] <= f.x + f.w + 30]
            compared += 1
            if len(inside) != len(box.lines):
                differ.append((d.number, box.name, list(box.lines), [r[4] for r in sorted(inside, key=lambda r: r[1])]))
    return compared, differ


if __name__ == "__main__":
    n, bad = compare(sys.argv[1] if len(sys.argv) > 1 else None)
    for number, name, drawn, rendered in bad:
        print(f"slide {number} {name}: drawn {len(drawn)} lines, LibreOffice {len(rendered)}")
        print("   drawn:      ", drawn)
        print("   LibreOffice:", rendered)
    print(f"{n - len(bad)} of {n} text frames have the same number of lines")
