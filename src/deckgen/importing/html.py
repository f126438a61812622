"""Read an HTML page (Python's own html.parser: tolerant, no dependency) into importer blocks: headings, paragraphs
with bold/italic/links, nested lists, tables, figures with alt text and captions, quotations; <pre> kept aside."""
from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import DeckgenError
from .blocks import Block, Document, Grid, Heading, Item, Para, Picture, Span, Unplaced

_BLOCK = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "address", "dd", "dt", "figure",
          "body", "center", "details", "summary", "form", "fieldset", "dl"}
_SKIP = {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "canvas", "select", "button"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_DATE_META = {"date", "dc.date", "dcterms.date", "article:published_time", "citation_publication_date", "dc.date.issued"}


def read_html(path: Path) -> Document:
    """Parse `path` (UTF-8, or the charset its <meta> names); images it names are read from beside it."""
    raw = path.read_bytes()
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096], re.IGNORECASE)
    try:
        text = raw.decode(m.group(1).decode() if m else "utf-8").lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError):
        raise DeckgenError(f"{path}:1:1: the page is not UTF-8 text (nor in the charset it names) — save it as UTF-8") from None
    reader = _Reader(path.parent)
    reader.feed(text)
    reader.close()
    reader.flush()
    h1 = next((b for b in reader.blocks if isinstance(b, Heading)), None)
    title = None if h1 is not None and h1 is reader.blocks[0] else reader.title
    date = None
    for value in reader.dates:
        try:
            date = _dt.date.fromisoformat(value.strip()[:10])
            break
        except ValueError:
            continue
    notes = (f"{reader.skipped} script, style or embedded element{'s' if reader.skipped != 1 else ''} skipped (not text of the page)",) if reader.skipped else ()
    return Document("HTML", tuple(reader.blocks), title=title, authors=tuple(reader.authors), date=date, language=reader.lang,
                    keywords=tuple(reader.keywords), notes=notes)


class _Reader(HTMLParser):
    def __init__(self, base: Path):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.blocks: list[Block] = []
        self.spans: list[Span] = []
        self.stack: list[str] = []
        self.bold = self.italic = self.skip = self.quote = 0
        self.href: str | None = None
        self.lists: list[bool] = []  # ordered?
        self.heading = 0
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.pre: list[str] | None = None
        self.pre_where = ""
        self.caption: list[str] | None = None
        self.figure: list[Picture] = []
        self.title: str | None = None
        self.in_title = False
        self.authors: list[str] = []
        self.dates: list[str] = []
        self.keywords: list[str] = []
        self.lang: str | None = None
        self.skipped = 0

    def where(self) -> str:
        return f"line {self.getpos()[0]}"

    def flush(self) -> None:
        """End the block being read: a heading, a list item, a quotation or a paragraph."""
        spans = tuple(self.spans)
        self.spans = []
        if not "".join(s.text for s in spans).strip():
            return
        if self.heading:
            self.blocks.append(Heading(self.heading, spans, self.where()))
        elif self.lists:
            self.blocks.append(Item(len(self.lists) - 1, spans, self.lists[-1], self.where()))
        else:
            self.blocks.append(Para(spans, self.where(), "quote" if self.quote else ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        if tag == "meta":
            name = (a.get("name") or a.get("property") or "").lower()
            if name == "author" and a.get("content"):
                self.authors += [x.strip() for x in re.split(r";|,| and ", a["content"]) if x.strip()]
            elif name in _DATE_META and a.get("content"):
                self.dates.append(a["content"])
            elif name == "keywords" and a.get("content"):
                self.keywords += [x.strip() for x in a["content"].split(",") if x.strip()]
            return
        if tag == "title":
            self.in_title = True
            self.title = ""
            return
        if self.skip or tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
                self.skipped += self.skip == 1
            return
        if tag not in _VOID:
            self.stack.append(tag)
        if self.pre is not None:
            return
        if tag == "pre":
            self.flush()
            self.pre = []
            self.pre_where = self.where()
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em", "cite"):
            self.italic += 1
        elif tag == "a":
            self.href = a.get("href") or "#"
        elif tag == "br":
            self.text(" ")
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag == "table":
            self.flush()
            self.table = []
        elif tag == "img":
            self.image(a)
        elif tag == "figcaption":
            self.flush()
            self.caption = []
        elif re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.heading = int(tag[1])
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append(tag == "ol")
        elif tag == "li":
            self.flush()
        elif tag == "blockquote":
            self.flush()
            self.quote += 1
        elif tag in _BLOCK or tag == "hr":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip:
            if tag not in _VOID:
                self.skip -= 1
            return
        if tag in self.stack:  # close what was left open inside it, as browsers do
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "pre" and self.pre is not None:
            self.blocks.append(Unplaced("a preformatted block", "".join(self.pre).strip("\n"), self.pre_where))
            self.pre = None
        elif self.pre is not None:
            return
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("i", "em", "cite"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.href = None
        elif tag in ("td", "th") and self.cell is not None and self.table is not None:
            if not self.table:
                self.table.append([])
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(Grid(tuple(tuple(r) for r in self.table if r), self.where()))
            self.table = None
        elif tag == "figcaption" and self.caption is not None:
            text = " ".join("".join(self.caption).split())
            for i in range(len(self.blocks) - 1, -1, -1):  # the figure's pictures, read just before
                b = self.blocks[i]
                if not isinstance(b, Picture) or b.caption:
                    break
                self.blocks[i] = Picture(b.data, b.name, b.alt, b.where, text)
            self.caption = None
        elif re.fullmatch(r"h[1-6]", tag):
            self.flush()
            self.heading = 0
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "li":
            self.flush()
        elif tag == "blockquote":
            self.flush()
            self.quote = max(0, self.quote - 1)
        elif tag in _BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = " ".join(((self.title or "") + data).split())
            return
        if self.skip:
            return
        if self.pre is not None:
            self.pre.append(data)
        elif self.cell is not None:
            self.cell.append(data)
        elif self.caption is not None:
            self.caption.append(data)
        else:
            self.text(data)

    def text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            return
        self.spans.append(Span(data, self.bold > 0, self.italic > 0, self.href))

    def image(self, a: dict[str, str]) -> None:
        src, alt = a.get("src", ""), " ".join(a.get("alt", "").split())
        if self.cell is not None:
            self.cell.append(alt)
            return
        self.flush()
        data: bytes | None = None
        name = src
        if src.startswith("data:image/") and ";base64," in src:
            try:
                data = base64.b64decode(src.split(",", 1)[1], validate=False)
                name = "embedded." + src[11:].split(";", 1)[0].replace("jpeg", "jpg").replace("svg+xml", "svg")
            except (binascii.Error, ValueError):
                data = None
        elif src and "://" not in src and not src.startswith(("/", "data:")) and ".." not in Path(src).parts:
            try:
                data = (self.base / src.split("?", 1)[0].split("#", 1)[0]).read_bytes()
                name = Path(src).name
            except OSError:
                data = None
        self.blocks.append(Picture(data, name, alt, self.where()))
