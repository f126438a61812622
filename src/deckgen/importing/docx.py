"""Read a Word file (.docx, through python-docx) into importer blocks: properties, headings, paragraphs with their
bold/italic runs and hyperlinks, list items, tables and pictures with their alternative text."""
from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..errors import DeckgenError
from .blocks import Block, Document, Grid, Heading, Item, Para, Picture, Span, Unplaced

# python-docx's own template says these; a file made with python-docx that never set them does not mean them
_TEMPLATE_AUTHOR = "python-docx"
_TEMPLATE_CREATED = _dt.datetime(2013, 12, 23, 23, 15)
_HEADING = re.compile(r"^(?:heading|nagłówek|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list (bullet|number|paragraph)(?: (\d))?$", re.IGNORECASE)


def read_docx(path: Path) -> Document:
    """Parse `path`; a file that is not a readable .docx is a DeckgenError saying so."""
    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, OSError) as exc:
        raise DeckgenError(f"{path}:1:1: not a readable Word document ({type(exc).__name__}: {' '.join(str(exc).split())[:120]}) — "
                           "open it in Word or LibreOffice and save it again as .docx") from None
    except Exception as exc:  # lxml errors of a damaged part (XMLSyntaxError) and the like
        raise DeckgenError(f"{path}:1:1: the Word document is damaged ({type(exc).__name__}) — open it in Word or LibreOffice and save it again as .docx") from None
    props = d.core_properties
    created = props.created
    date = created.date() if created and created.replace(tzinfo=None) != _TEMPLATE_CREATED else None
    author = props.author if props.author and props.author != _TEMPLATE_AUTHOR else ""
    authors = tuple(a.strip() for a in re.split(r";|,| and ", author) if a.strip())
    keywords = tuple(k.strip() for k in re.split(r"[;,]", props.keywords or "") if k.strip())
    reader = _Reader(d)
    blocks: list[Block] = []
    for n, child in enumerate(d.element.body.iterchildren()):
        if child.tag == qn("w:p"):
            blocks.extend(reader.paragraph(Paragraph(child, d), f"paragraph {n + 1}"))
        elif child.tag == qn("w:tbl"):
            blocks.append(reader.table(Table(child, d), f"table at paragraph {n + 1}"))
        elif child.tag != qn("w:sectPr"):
            blocks.append(Unplaced(f"a Word element <{child.tag.rsplit('}', 1)[-1]}>", "".join(child.itertext()).strip(), f"paragraph {n + 1}"))
    return Document("Word", tuple(blocks), title=(props.title or "").strip() or None, subtitle=(props.subject or "").strip() or None,
                    authors=authors, date=date, language=(props.language or "").strip() or None, keywords=keywords)


class _Reader:
    def __init__(self, d):
        self.d = d
        self.pictures = 0

    def paragraph(self, p: Paragraph, where: str) -> list[Block]:
        spans: list[Span] = []
        pics: list[Picture] = []
        for item in p.iter_inner_content():
            if isinstance(item, Hyperlink):
                href = item.url or "#"  # a link to a place in the document, or to nowhere, is still a citation
                for run in item.runs:
                    spans.append(Span(run.text, bool(run.bold), bool(run.italic), href))
            elif isinstance(item, Run):
                pics.extend(self.pictures_in(item, where))
                bold = bool(item.bold) or (item.style is not None and item.style.name in ("Strong", "Bold"))
                italic = bool(item.italic) or (item.style is not None and item.style.name == "Emphasis")
                if item.text:
                    spans.append(Span(item.text.replace("\t", " ").replace("\n", " "), bold, italic))
        text = "".join(s.text for s in spans).strip()
        style = (p.style.name if p.style is not None else "") or ""
        blocks: list[Block] = []
        if text:
            heading = _HEADING.match(style)
            listed = _LIST_STYLE.match(style)
            numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
            if style == "Title":
                blocks.append(Para(tuple(spans), where, "title"))
            elif style == "Subtitle":
                blocks.append(Para(tuple(spans), where, "subtitle"))
            elif heading:
                blocks.append(Heading(int(heading.group(1)), tuple(spans), where))
            elif listed or numbered:
                depth = int(listed.group(2)) - 1 if listed and listed.group(2) else _ilvl(p)
                ordered = bool(listed and listed.group(1).lower() == "number")
                blocks.append(Item(depth, tuple(spans), ordered, where))
            else:
                blocks.append(Para(tuple(spans), where, "quote" if style in ("Quote", "Intense Quote") else ""))
        blocks.extend(pics)
        return blocks

    def pictures_in(self, run: Run, where: str) -> list[Picture]:
        out = []
        for drawing in run._r.iter(qn("w:drawing")):
            props = next(drawing.iter(qn("wp:docPr")), None)
            alt = (props.get("descr") or props.get("title") or "").strip() if props is not None else ""
            for blip in drawing.iter(qn("a:blip")):
                rid = blip.get(qn("r:embed"))
                part = self.d.part.related_parts.get(rid) if rid else None
                self.pictures += 1
                if part is None:
                    out.append(Picture(None, f"picture {self.pictures}", alt, where))
                else:
                    name = Path(str(part.partname)).name
                    out.append(Picture(part.blob, name, alt, where))
        return out

    def table(self, t: Table, where: str) -> Block:
        rows = []
        for row in t.rows:
            cells = []
            for cell in row.cells:
                cells.append(" ".join(cell.text.split()))
            rows.append(tuple(cells))
        return Grid(tuple(rows), where)


def _ilvl(p: Paragraph) -> int:
    num = p._p.pPr.numPr if p._p.pPr is not None else None
    if num is None or num.ilvl is None:
        return 0
    return int(num.ilvl.val)
