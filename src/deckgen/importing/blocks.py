"""What a document reader hands the importer: the document's properties and its body as a flat list of blocks."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A stretch of text with one style; `href` as written in the document (not yet checked) makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Heading:
    level: int
    spans: tuple[Span, ...]
    where: str = ""  # "line 12", "paragraph 7": for the notes the importer writes


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...]
    where: str = ""
    style: str = ""  # a reader's hint: "title", "subtitle", "quote"


@dataclass(frozen=True)
class Item:
    """A list item; depth 0 is the outer list."""

    depth: int
    spans: tuple[Span, ...]
    ordered: bool = False
    where: str = ""


@dataclass(frozen=True)
class Grid:
    """A table: its rows of cell texts, the first being the header."""

    rows: tuple[tuple[str, ...], ...]
    where: str = ""


@dataclass(frozen=True)
class Picture:
    """An image: its bytes (None when the document only links to it), its name, alternative text and caption."""

    data: bytes | None
    name: str
    alt: str = ""
    where: str = ""
    caption: str = ""


@dataclass(frozen=True)
class Unplaced:
    """Something the outline has no place for (a code block, raw HTML, an equation): kept as written, in a comment."""

    kind: str
    text: str
    where: str = ""


Block = Heading | Para | Item | Grid | Picture | Unplaced


@dataclass(frozen=True)
class Document:
    """A document as read: properties where it has them (None otherwise), the body's blocks, and its format's name."""

    fmt: str
    blocks: tuple[Block, ...]
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    date: _dt.date | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # what the reader itself noticed (e.g. a skipped element)
