"""Read an OpenDocument text (.odt, through odfdo) into importer blocks: properties, headings, paragraphs with their
bold/italic spans (resolved through the document's styles) and links, nested lists, tables, and pictures with their
titles and descriptions."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import odfdo

from ..errors import DeckgenError
from .blocks import Block, Document, Grid, Heading, Item, Para, Picture, Span, Unplaced

_CONTAINERS = {"text:section", "text:soft-page-break", "office:forms", "text:sequence-decls", "text:variable-decls",
               "text:user-field-decls", "table:table-header-rows", "table:table-rows", "text:tracked-changes"}
_SILENT = {"text:soft-page-break", "office:forms", "text:sequence-decls", "text:variable-decls", "text:user-field-decls",
           "text:tracked-changes", "text:bookmark", "text:bookmark-start", "text:bookmark-end", "office:annotation-end"}
_STYLE_HINT = {"Title": "title", "Subtitle": "subtitle", "Quotations": "quote"}


def read_odt(path: Path) -> Document:
    """Parse `path`; a file that is not a readable OpenDocument text is a DeckgenError saying so."""
    try:
        d = odfdo.Document(str(path))
        kind = d.get_type()
        body = d.body
    except Exception as exc:  # odfdo raises zipfile, lxml and its own errors alike for a damaged file
        raise DeckgenError(f"{path}:1:1: not a readable OpenDocument text ({type(exc).__name__}) — open it in LibreOffice and "
                           "save it again as .odt") from None
    if kind != "text":
        raise DeckgenError(f"{path}:1:1: an OpenDocument {kind}, not a text document — import a .odt text")
    meta = d.meta
    created = meta.get_creation_date()
    authors = tuple(a.strip() for a in re.split(r";|,| and ", meta.get_initial_creator() or meta.get_creator() or "") if a.strip())
    reader = _Reader(d)
    for child in body.children:
        reader.block(child, 0)
    keywords = tuple(k.strip() for k in re.split(r"[;,]", meta.get_keywords() or "") if k.strip())
    return Document("OpenDocument", tuple(reader.blocks), title=(meta.get_title() or "").strip() or None,
                    subtitle=(meta.get_subject() or "").strip() or None, authors=authors,
                    date=created.date() if isinstance(created, _dt.datetime) else None,
                    language=(meta.get_language() or "").strip() or None, keywords=keywords)


class _Reader:
    def __init__(self, d: odfdo.Document):
        self.d = d
        self.blocks: list[Block] = []
        self.flags: dict[tuple[str, str], tuple[bool, bool]] = {}
        self.count = 0

    def where(self) -> str:
        return f"paragraph {self.count}"

    def block(self, el, depth: int, in_list: bool = False) -> None:
        tag = el.tag
        if tag in ("text:p", "text:h"):
            self.count += 1
            pstyle = el.get_attribute_string("text:style-name") or ""
            bold, italic = self.style_flags("paragraph", pstyle)
            spans: list[Span] = []
            pictures: list[Picture] = []
            self.inline(el, bold, italic, None, spans, pictures)
            text = "".join(s.text for s in spans).strip()
            if text:
                if tag == "text:h":
                    level = el.get_attribute_integer("text:outline-level") or 1
                    self.blocks.append(Heading(level, tuple(spans), self.where()))
                elif in_list:
                    self.blocks.append(Item(depth, tuple(spans), False, self.where()))
                else:
                    hint = _STYLE_HINT.get(self.display_name("paragraph", pstyle), "")
                    self.blocks.append(Para(tuple(spans), self.where(), hint))
            self.blocks.extend(pictures)
        elif tag == "text:list":
            for item in el.children:
                if item.tag in ("text:list-item", "text:list-header"):
                    for child in item.children:
                        self.block(child, depth + 1 if child.tag == "text:list" else depth, in_list=True)
        elif tag == "table:table":
            self.count += 1
            rows = []
            for row in el.get_elements(".//table:table-row"):
                rows.append(tuple(" ".join(cell.text_recursive.split()) for cell in row.children if cell.tag == "table:table-cell"))
            self.blocks.append(Grid(tuple(r for r in rows if any(r)), f"table at paragraph {self.count}"))
        elif tag in _CONTAINERS:
            for child in el.children:
                self.block(child, depth, in_list)
        elif tag not in _SILENT:
            text = " ".join((el.text_recursive or "").split())
            if text:
                self.blocks.append(Unplaced(f"an OpenDocument <{tag}>", text, self.where()))

    def inline(self, el, bold: bool, italic: bool, href: str | None, spans: list[Span], pictures: list[Picture]) -> None:
        if el.text:
            spans.append(Span(el.text, bold, italic, href))
        for child in el.children:
            tag = child.tag
            if tag == "text:span":
                b, i = self.style_flags("text", child.get_attribute_string("text:style-name") or "")
                self.inline(child, bold or b, italic or i, href, spans, pictures)
            elif tag == "text:a":
                self.inline(child, bold, italic, child.get_attribute_string("xlink:href") or "#", spans, pictures)
            elif tag == "text:s":
                spans.append(Span(" " * (child.get_attribute_integer("text:c") or 1), bold, italic, href))
            elif tag in ("text:tab", "text:line-break"):
                spans.append(Span(" ", bold, italic, href))
            elif tag == "draw:frame":
                pictures.extend(self.frame(child))
            elif tag == "text:note":
                body = child.get_element("text:note-body")
                text = " ".join((body.text_recursive if body is not None else "").split())
                if text:
                    pictures.append(Unplaced("a footnote", text, self.where()))  # type: ignore[arg-type]
            elif tag not in ("text:bookmark", "text:bookmark-start", "text:bookmark-end", "text:soft-page-break", "office:annotation"):
                self.inline(child, bold, italic, href, spans, pictures)
            if child.tail:
                spans.append(Span(child.tail, bold, italic, href))

    def frame(self, frame) -> list[Picture]:
        title = frame.get_element("svg:title")
        desc = frame.get_element("svg:desc")
        alt = " ".join(((desc.text_recursive if desc is not None else "") or (title.text_recursive if title is not None else "")).split())
        out = []
        for image in frame.get_elements("draw:image"):
            href = image.get_attribute_string("xlink:href") or ""
            try:
                data = self.d.get_part(href) if href and "://" not in href else None
            except Exception:
                data = None
            out.append(Picture(data if isinstance(data, bytes) else None, Path(href).name or "picture", alt, self.where()))
        return out

    def style_flags(self, family: str, name: str) -> tuple[bool, bool]:
        """Bold and italic of a style, through its parents (named styles such as 'Strong Emphasis' included)."""
        if not name:
            return False, False
        key = (family, name)
        if key not in self.flags:
            bold = italic = False
            seen = 0
            style = self.d.get_style(family, name)
            while style is not None and seen < 8:
                props = style.get_properties(area="text") or {}
                bold = bold or props.get("fo:font-weight") == "bold"
                italic = italic or props.get("fo:font-style") == "italic"
                label = (style.display_name or style.name or "").replace("_20_", " ")
                bold = bold or label in ("Strong Emphasis", "Strong")
                italic = italic or label == "Emphasis"
                parent = style.get_attribute_string("style:parent-style-name")
                style = self.d.get_style(family, parent) if parent else None
                seen += 1
            self.flags[key] = (bold, italic)
        return self.flags[key]

    def display_name(self, family: str, name: str) -> str:
        style = self.d.get_style(family, name) if name else None
        seen = 0
        while style is not None and seen < 8:  # an automatic style names the style it is based on
            label = (style.display_name or style.name or "").replace("_20_", " ")
            if label in _STYLE_HINT:
                return label
            parent = style.get_attribute_string("style:parent-style-name")
            style = self.d.get_style(family, parent) if parent else None
            seen += 1
        return ""
