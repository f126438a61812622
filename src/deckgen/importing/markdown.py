"""Read a Markdown file (CommonMark with tables, through markdown-it-py) into importer blocks."""
from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import DeckgenError
from .blocks import Block, Document, Grid, Heading, Item, Para, Picture, Span, Unplaced


def read_markdown(path: Path) -> Document:
    """Parse `path` (UTF-8 Markdown); images it names are read from beside it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckgenError(f"{path}:1:1: the file is not UTF-8 text (byte {exc.start}) — save it as UTF-8") from None
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    return Document("Markdown", tuple(_Walker(path.parent).blocks(tokens)))


class _Walker:
    def __init__(self, base: Path):
        self.base = base

    def blocks(self, tokens: list[Token]) -> list[Block]:
        out: list[Block] = []
        depth = -1  # list nesting
        ordered: list[bool] = []
        quote = 0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            where = f"line {tok.map[0] + 1}" if tok.map else ""
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                ordered.append(tok.type == "ordered_list_open")
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                ordered.pop()
            elif tok.type == "blockquote_open":
                quote += 1
            elif tok.type == "blockquote_close":
                quote -= 1
            elif tok.type == "heading_open":
                spans, pics = self.inline(tokens[i + 1], where)
                out.append(Heading(int(tok.tag[1:]), spans, where))
                out.extend(pics)
                i += 2
            elif tok.type == "paragraph_open":
                spans, pics = self.inline(tokens[i + 1], where)
                if spans and any(s.text.strip() for s in spans):
                    if depth >= 0 and (tokens[i - 1].type == "list_item_open" or not out or not isinstance(out[-1], Item)):
                        out.append(Item(depth, spans, ordered[-1], where))
                    elif depth >= 0:  # a second paragraph in one list item: continue the item
                        prev = out[-1]
                        assert isinstance(prev, Item)
                        out[-1] = Item(prev.depth, prev.spans + (Span(" "),) + spans, prev.ordered, prev.where)
                    else:
                        out.append(Para(spans, where, "quote" if quote else ""))
                out.extend(pics)
                i += 2
            elif tok.type == "table_open":
                j, rows = i + 1, []
                row: list[str] = []
                while tokens[j].type != "table_close":
                    t = tokens[j]
                    if t.type == "tr_open":
                        row = []
                    elif t.type == "tr_close":
                        rows.append(tuple(row))
                    elif t.type == "inline":
                        row.append(_plain(t))
                    j += 1
                out.append(Grid(tuple(rows), where))
                i = j
            elif tok.type in ("fence", "code_block"):
                out.append(Unplaced("a code block", tok.content.rstrip("\n"), where))
            elif tok.type == "html_block":
                out.append(Unplaced("an HTML block", tok.content.rstrip("\n"), where))
            i += 1
        return out

    def inline(self, tok: Token, where: str) -> tuple[tuple[Span, ...], list[Picture]]:
        spans: list[Span] = []
        pics: list[Picture] = []
        bold = italic = 0
        href: str | None = None
        for child in tok.children or []:
            t = child.type
            if t == "strong_open":
                bold += 1
            elif t == "strong_close":
                bold -= 1
            elif t == "em_open":
                italic += 1
            elif t == "em_close":
                italic -= 1
            elif t == "link_open":
                href = str(child.attrs.get("href", ""))
            elif t == "link_close":
                href = None
            elif t in ("text", "code_inline", "html_inline"):
                spans.append(Span(child.content, bold > 0, italic > 0, href))
            elif t in ("softbreak", "hardbreak"):
                spans.append(Span(" ", bold > 0, italic > 0, href))
            elif t == "image":
                pics.append(self.picture(str(child.attrs.get("src", "")), _plain(child), where))
        return tuple(spans), pics

    def picture(self, src: str, alt: str, where: str) -> Picture:
        if "://" in src or src.startswith(("data:", "/")) or ".." in Path(src).parts:
            return Picture(None, src, alt, where)
        file = self.base / src
        try:
            return Picture(file.read_bytes(), Path(src).name, alt, where)
        except OSError:
            return Picture(None, src, alt, where)


def _plain(tok: Token) -> str:
    """The text of an inline token (a table cell, an image's alt text), markup removed."""
    return "".join(c.content for c in (tok.children or []) if c.type in ("text", "code_inline")).strip()
