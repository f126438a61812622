"""Check a built brief PDF's pagination: headings at a page foot, orphans, widows, half-empty pages, measure, URLs, run-in heads.

Reads only the PDF (pdfplumber) and what the caller passes: the page geometry (`top`, `bottom`, `text_left`,
`text_right`; `left`/`right`/`width` stand in where the text column is not given), the body size, the run-in heads
and the URLs to look for. Positions are points from the page's top-left corner, as pdfplumber gives them.

    python tests/pagecheck.py build/brief.pdf [--body-size 10.5] [--top 56] [--bottom 64] [--text-left 96] ...
"""
from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from os import PathLike

import pdfplumber

EMPTY_MAX = 0.20  # the largest empty share of a page's text area (pages before the last)
MEASURE = (55, 80)  # characters per full body line
URL_BREAKS = "/.-_?&=#"  # a URL may break across lines only after one of these
SIZE_TOL = 0.3  # a body char's size is within this of the body size
BASELINE_TOL = 1.0  # chars of one line share a baseline within this
LEADING_TOL = 0.6  # a baseline step within this of the leading keeps a paragraph going
RIGHT_TOL = 1.5  # a justified line ends within this of the column's right edge
LEFT_TOL = 2.0  # body text starts no further than this left of the column
HEADING_EXTRA = 2.0  # a heading is at least this much larger than the body


@dataclass(frozen=True)
class Violation:
    page: int  # 1-based
    rule: str
    text: str


@dataclass
class Report:
    pages: int
    leading: float | None  # the body's baseline step (pt)
    median_chars: float | None  # characters of a full body line (lines that are not the last of their paragraph)
    empty: list[float]  # per page: the empty share of the text area below the lowest content, 0–1
    violations: list[Violation] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for a person: the figures, then one line per violation."""
        leading = f"{self.leading:.2f} pt" if self.leading else "n/a"
        median = f"{self.median_chars:g}" if self.median_chars is not None else "n/a"
        lines = [
            f"{self.pages} pages; leading {leading}; median {median} chars per full body line ({MEASURE[0]}–{MEASURE[1]})",
            "empty: " + ", ".join(f"p{i} {e:.0%}" for i, e in enumerate(self.empty, 1)),
        ]
        counts = Counter(v.rule for v in self.violations)
        lines.append(f"{len(self.violations)} violations" + (": " + ", ".join(f"{r} {n}" for r, n in counts.items()) if counts else ""))
        lines += [f"  p{v.page} {v.rule}: {v.text}" for v in self.violations]
        return "\n".join(lines)


# ---------------------------------------------------------------- reading the PDF


@dataclass
class Line:
    """Chars of one page sharing a baseline, left to right."""

    page: int
    baseline: float
    chars: list[dict]

    @property
    def ink(self) -> list[dict]:
        return [c for c in self.chars if not c["text"].isspace()]

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.ink)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.ink)

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.ink)

    @property
    def size(self) -> float:
        return Counter(round(c["size"], 2) for c in self.ink).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return all(_bold(c) for c in self.ink)

    @property
    def words(self) -> list[list[dict]]:
        """The line's words, each a list of chars: split at white space and at gaps wider than a tenth of the size."""
        words: list[list[dict]] = []
        prev = None
        for c in self.chars:
            if c["text"].isspace():
                prev = None
                continue
            if prev is None or c["x0"] - prev["x1"] > 0.1 * c["size"]:
                words.append([])
            words[-1].append(c)
            prev = c
        return words

    @property
    def text(self) -> str:
        """The line's text, one space between words."""
        return " ".join("".join(c["text"] for c in w) for w in self.words)


@dataclass
class Page:
    number: int
    lines: list[Line]  # every text line inside the text area, top to bottom
    body: list[Line]  # the body lines, top to bottom
    lowest: float | None  # the lowest content inside the text area (pt from the top)


@dataclass
class Doc:
    pages: list[Page]
    area_top: float
    area_bottom: float
    text_left: float
    text_right: float
    body_size: float
    leading: float | None = None


def _bold(char: dict) -> bool:
    return "Bold" in char["fontname"]


def _baseline(char: dict, height: float) -> float:
    return round(height - char["matrix"][5], 2)


def _figure_boxes(page) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of the Form XObjects and images drawn smaller than the page (charts, logos).

    A form as large as the page (reportlab's page-number forms) is no figure."""
    boxes = []
    area = page.width * page.height
    for obj in page.layout:
        if type(obj).__name__ in ("LTFigure", "LTImage") and (obj.x1 - obj.x0) * (obj.y1 - obj.y0) < 0.5 * area:
            boxes.append((obj.x0, page.height - obj.y1, obj.x1, page.height - obj.y0))
    boxes += [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
    return boxes


def _inside(x: float, y: float, box) -> bool:
    return box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5


def _lines(chars: list[dict], number: int, height: float) -> list[Line]:
    """Group upright chars into lines by baseline (within BASELINE_TOL), top to bottom."""
    lines: list[Line] = []
    for c in sorted(chars, key=lambda c: (_baseline(c, height), c["x0"])):
        base = _baseline(c, height)
        if lines and base - lines[-1].baseline <= BASELINE_TOL:
            lines[-1].chars.append(c)
        else:
            lines.append(Line(number, base, [c]))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return [line for line in lines if line.ink]


def _read_page(page, number: int, doc: Doc) -> Page:
    height = page.height
    figures = _figure_boxes(page)

    def in_area(y: float) -> bool:
        return doc.area_top - 0.5 <= y <= doc.area_bottom + 0.5

    text = [
        c for c in page.chars
        if c.get("upright", True) and in_area(_baseline(c, height))
        and not any(_inside((c["x0"] + c["x1"]) / 2, _baseline(c, height) - c["size"] / 3, b) for b in figures)
    ]
    body_chars = [c for c in text if abs(c["size"] - doc.body_size) <= SIZE_TOL]
    body = [ln for ln in _lines(body_chars, number, height) if ln.x0 >= doc.text_left - LEFT_TOL]

    bottoms = [_baseline(c, height) for c in page.chars if in_area(_baseline(c, height))]
    for kind in ("rects", "lines", "curves", "images"):
        for obj in getattr(page, kind):
            if obj["top"] >= doc.area_top - 2 and obj["bottom"] <= doc.area_bottom + 2:
                bottoms.append(min(obj["bottom"], doc.area_bottom))
    return Page(number, _lines(text, number, height), body, max(bottoms) if bottoms else None)


def _estimate_leading(pages: list[Page], text_right: float) -> float | None:
    """The most common baseline step between consecutive body lines of a page.

    Counted after lines that reach the right edge where there are a few (a justified line is never the last of its
    paragraph, so the step after it is the leading), else after every line: a brief of one-line bullets would
    otherwise take the step between bullets for the leading."""
    pairs = [(a, b) for p in pages for a, b in zip(p.body, p.body[1:])]
    full = [(a, b) for a, b in pairs if a.x1 >= text_right - RIGHT_TOL]
    steps = Counter(round(b.baseline - a.baseline, 1) for a, b in (full if len(full) >= 5 else pairs))
    return steps.most_common(1)[0][0] if steps else None


def _column(geometry, page_width: float) -> tuple[float, float]:
    """The body column's x range: `text_left`/`text_right` where the geometry has them, else its margins."""
    left = getattr(geometry, "text_left", None)
    right = getattr(geometry, "text_right", None)
    if left is None:
        left = geometry.left
    if right is None:
        right = getattr(geometry, "width", page_width) - geometry.right
    return float(left), float(right)


def read(pdf_path_or_bytes, geometry, body_size: float) -> Doc:
    """The PDF's text lines, body lines and lowest content per page, within the geometry's text area."""
    source = io.BytesIO(pdf_path_or_bytes) if isinstance(pdf_path_or_bytes, (bytes, bytearray)) else pdf_path_or_bytes
    with pdfplumber.open(source) as pdf:
        first = pdf.pages[0]
        left, right = _column(geometry, float(first.width))
        doc = Doc([], float(geometry.top), float(first.height) - float(geometry.bottom), left, right, float(body_size))
        doc.pages = [_read_page(page, i, doc) for i, page in enumerate(pdf.pages, 1)]
    doc.leading = _estimate_leading(doc.pages, doc.text_right)
    return doc


# ---------------------------------------------------------------- paragraphs


def paragraphs(page: Page, leading: float | None) -> list[list[Line]]:
    """The page's body lines cut into paragraph fragments: a step other than the leading starts a new one."""
    out: list[list[Line]] = []
    for line in page.body:
        if out and leading is not None and abs(line.baseline - out[-1][-1].baseline - leading) <= LEADING_TOL:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _full(line: Line, doc: Doc) -> bool:
    """A justified line: it reaches the column's right edge."""
    return line.x1 >= doc.text_right - RIGHT_TOL


def continues(doc: Doc, index: int) -> bool:
    """Whether the last paragraph fragment of page `index` (0-based) runs on to the next page: it is the page's
    last text, its last line reaches the right edge, and a page follows."""
    page = doc.pages[index]
    if index + 1 >= len(doc.pages) or not page.body or not page.lines:
        return False
    last = page.body[-1]
    if not (page.lines[-1] is _same_line(page, last) and _full(last, doc)):
        return False
    # a last line that happens to fill the measure ends its paragraph when the next page opens a new one: a list
    # item (bullet or number) or a paragraph with a bold run-in head
    following = doc.pages[index + 1].body
    return not (following and _opens(following[0]))


def _opens(line: Line) -> bool:
    """Whether a body line opens a paragraph: it starts with a bullet or a number label, or in bold."""
    return bool(re.match(r"\s*([\u2022\u2013\u2014]|\d+\.)\s", line.text)) or "Bold" in line.ink[0]["fontname"]


def _same_line(page: Page, body_line: Line) -> Line | None:
    """The text line (all sizes) that holds a body line."""
    return next((ln for ln in page.lines if abs(ln.baseline - body_line.baseline) <= BASELINE_TOL), None)


# ---------------------------------------------------------------- the rules


def rule_heading_last(doc: Doc) -> list[Violation]:
    """A heading must not be the last text line of a page (the last page aside)."""
    out = []
    for page in doc.pages[:-1]:
        if not page.lines:
            continue
        last = page.lines[-1]
        if last.size >= doc.body_size + HEADING_EXTRA and last.bold:
            out.append(Violation(page.number, "heading-last", last.text))
    return out


def rule_orphan(doc: Doc) -> list[Violation]:
    """A paragraph that runs on to the next page leaves at least two lines at the foot of this one."""
    out = []
    for i, page in enumerate(doc.pages):
        if continues(doc, i):
            last = paragraphs(page, doc.leading)[-1]
            if len(last) == 1:
                out.append(Violation(page.number, "orphan", last[0].text))
    return out


def rule_widow(doc: Doc) -> list[Violation]:
    """A paragraph carried over from the previous page brings at least two lines to the top of this one."""
    out = []
    for i, page in enumerate(doc.pages[1:], 1):
        if not continues(doc, i - 1) or not page.body or page.lines[0] is not _same_line(page, page.body[0]):
            continue
        first = paragraphs(page, doc.leading)[0]
        if len(first) == 1:
            out.append(Violation(page.number, "widow", first[0].text))
    return out


def empty_shares(doc: Doc) -> list[float]:
    """Per page: the share of the text area's height below the lowest content."""
    height = doc.area_bottom - doc.area_top
    return [1.0 if p.lowest is None else round(max(0.0, doc.area_bottom - p.lowest) / height, 4) for p in doc.pages]


def rule_empty(doc: Doc, empty: list[float]) -> list[Violation]:
    """A page before the last fills its text area to within EMPTY_MAX of the bottom."""
    return [Violation(i, "empty", f"{e:.0%} of the text area empty") for i, e in enumerate(empty[:-1], 1) if e > EMPTY_MAX]


def full_lines(doc: Doc) -> list[Line]:
    """Body lines that are not the last of their paragraph (a page's last fragment running on counts in full)."""
    out = []
    for i, page in enumerate(doc.pages):
        frags = paragraphs(page, doc.leading)
        for j, frag in enumerate(frags):
            out += frag[:-1]
            if j == len(frags) - 1 and continues(doc, i):
                out.append(frag[-1])
    return out


def median_chars(doc: Doc) -> float | None:
    lines = full_lines(doc)
    return statistics.median(len(ln.text) for ln in lines) if lines else None


def rule_measure(median: float | None) -> list[Violation]:
    """Full body lines hold MEASURE[0]–MEASURE[1] characters (the median)."""
    if median is None or MEASURE[0] <= median <= MEASURE[1]:
        return []
    return [Violation(0, "measure", f"median {median:g} characters per full body line, not {MEASURE[0]}–{MEASURE[1]}")]


def _reading_text(doc: Doc) -> tuple[str, list[tuple[int, int]]]:
    """Every text line of the text area in reading order (page, top, x0) joined with nothing, and where each line
    starts in that text: (offset, page)."""
    lines = sorted((ln for p in doc.pages for ln in p.lines), key=lambda ln: (ln.page, ln.top, ln.x0))
    text, starts = "", []
    for ln in lines:
        starts.append((len(text), ln.page))
        text += ln.text
    return text, starts


def rule_urls(doc: Doc, urls) -> list[Violation]:
    """Each URL is in the text; where it breaks across lines, it breaks after one of URL_BREAKS."""
    text, starts = _reading_text(doc)
    out = []
    for url in urls:
        at = text.find(url)
        if at < 0:
            out.append(Violation(0, "url-missing", url))
        while at >= 0:
            for offset, page in starts:
                if at < offset < at + len(url) and text[offset - 1] not in URL_BREAKS:
                    cut = offset - at
                    out.append(Violation(page, "url-break", f"{url[:cut]} | {url[cut:]}"))
            at = text.find(url, at + 1)
    return out


def _norm(word: str) -> str:
    return word.strip(".,:;")


def rule_runin(doc: Doc, heads) -> list[Violation]:
    """Each run-in head's first three words start a line of the text column, in bold."""
    starts = []  # the first words of each line in the column, with whether each is bold
    for page in doc.pages:
        for ln in page.lines:
            if ln.x0 < doc.text_left - LEFT_TOL:
                continue
            words = ln.words
            first = next((i for i, w in enumerate(words) if any(c["text"].isalnum() for c in w)  # past bullets
                          and not re.fullmatch(r"\d+\.", "".join(c["text"] for c in w))), None)  # and numbers "1."
            if first is None:
                continue
            words = words[first : first + 3]
            starts.append([(_norm("".join(c["text"] for c in w)), all(_bold(c) for c in w)) for w in words])
    out = []
    for head in heads:
        want = [_norm(w) for w in head.split()[:3]]
        if not any(len(s) >= len(want) and all(t == w and bold for (t, bold), w in zip(s, want)) for s in starts):
            out.append(Violation(0, "runin-missing", " ".join(head.split()[:3])))
    return out


def check(pdf_path_or_bytes: str | PathLike | bytes, geometry, *, body_size: float, runin_heads=(), urls=()) -> Report:
    """Every rule on one PDF: the figures and the violations (page 0: the whole document)."""
    doc = read(pdf_path_or_bytes, geometry, body_size)
    empty = empty_shares(doc)
    median = median_chars(doc)
    violations = (
        rule_heading_last(doc) + rule_orphan(doc) + rule_widow(doc) + rule_empty(doc, empty)
        + rule_measure(median) + rule_urls(doc, urls) + rule_runin(doc, runin_heads)
    )
    return Report(len(doc.pages), doc.leading, median, empty, violations)


# ---------------------------------------------------------------- command line


def _defaults() -> dict:
    """deckgen's current A4 geometry and body size, where deckgen can be imported."""
    try:
        from deckgen.layout.brief import PageGeometry
        from deckgen.theme import load_theme

        g = PageGeometry(width=595.2756, height=841.8898)
        size = float(load_theme().brief.body.size)
        return dict(top=float(g.top), bottom=float(g.bottom), text_left=float(getattr(g, "text_left", g.left)),
                    text_right=float(getattr(g, "text_right", g.width - g.right)), body_size=size)
    except ImportError:  # deckgen not importable: A4 with deckgen's margins when this was written
        return dict(top=56.0, bottom=64.0, text_left=96.0, text_right=595.2756 - 96.0, body_size=10.5)


def main(argv=None) -> int:
    d = _defaults()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf")
    ap.add_argument("--body-size", type=float, default=d["body_size"])
    ap.add_argument("--top", type=float, default=d["top"], help="text area's top margin, pt")
    ap.add_argument("--bottom", type=float, default=d["bottom"], help="text area's bottom margin, pt")
    ap.add_argument("--text-left", type=float, default=d["text_left"], help="body column's left x, pt")
    ap.add_argument("--text-right", type=float, default=d["text_right"], help="body column's right x, pt")
    ap.add_argument("--url", action="append", default=[], help="a URL that must be in the text (repeatable)")
    ap.add_argument("--runin", action="append", default=[], help="a run-in head that must be set in bold (repeatable)")
    args = ap.parse_args(argv)
    geometry = argparse.Namespace(top=args.top, bottom=args.bottom, text_left=args.text_left, text_right=args.text_right)
    report = check(args.pdf, geometry, body_size=args.body_size, runin_heads=args.runin, urls=args.url)
    print(report.summary())
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
