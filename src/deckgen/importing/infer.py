"""From a read document (blocks) to outline data: title, authors, date, lead, sections, points, sources, tables and
images, with a note of everything that was inferred and every block that found no place (kept, never dropped)."""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..model import ID_PATTERN, check_url
from .blocks import Block, Document, Grid, Heading, Item, Para, Picture, Span, Unplaced

COMMENTS = "__comments__"  # a key of a section (or the top level) whose lines the writer prints as comments
_MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                           "september", "october", "november", "december"])}
_MONTHS |= {m: i + 1 for i, m in enumerate(["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                                            "sierpnia", "września", "października", "listopada", "grudnia"])}
_ABBREV = re.compile(r"(?:\b(?:[A-Z]|U\.S|U\.K|e\.g|i\.e|etc|vs|Mr|Mrs|Ms|Dr|Prof|Jr|Sr|St|No|Nos|Vol|Fig|cf|approx|ca|Inc|Ltd|Co|pp|p|ok|np|tzw|tj|m\.in|ds|r|w|ul|nr|godz|tys|mln|mld|proc)\.)$")
_CAPTION_TABLE = re.compile(r"^(?:table|tabela|tab\.)\s*\d*\s*[.:–—-]\s*", re.IGNORECASE)
_CAPTION_FIGURE = re.compile(r"^(?:figure|fig\.|rysunek|rys\.|wykres|ilustracja|map|mapa)\s*\d*\s*[.:–—-]\s*", re.IGNORECASE)
_KINDS = [(re.compile(r"recommendation|rekomendac|zalecen", re.IGNORECASE), "recommendations"),
          (re.compile(r"conclusion|wniosk|podsumowan", re.IGNORECASE), "conclusions")]
_NAME = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĄĆĘŁŃÓŚŹŻ][\w'’.-]*)(?: (?:[A-ZÀ-ÖØ-ÞĄĆĘŁŃÓŚŹŻ][\w'’.-]*|van|von|de|der|da|di|du|la|le)){1,3}$")
_IMAGE_KINDS = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


@dataclass
class Imported:
    """Outline data in the order it is written, the notes for its header, and the image files to write beside it."""

    data: dict[str, Any]
    notes: list[str]
    files: dict[str, bytes] = field(default_factory=dict)


def infer(doc: Document, stem: str, images_dir: str, today: _dt.date) -> Imported:
    """Turn a read document into outline data; `images_dir` (relative to the outline) receives its pictures."""
    return _Inferrer(doc, stem, images_dir, today).run()


# --- text ----------------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Text as outline markup that reads back as this very text: markers escaped, and `](` too, which the link
    checks would otherwise take for a link."""
    return re.sub(r"([\\*\[\]^])", r"\\\1", text).replace("\\](", "\\]\\(")


def _text(spans: tuple[Span, ...] | list[Span]) -> str:
    return " ".join("".join(s.text for s in spans).split())


def _slug(text: str, fallback: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L").replace("—", " ").replace("–", " ")
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_)
    drop = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "as", "w", "i", "z", "na", "do"}
    words = [w for w in words if w not in drop] or words
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > 32:
            break
        slug = f"{slug}-{w}" if slug else w
    slug = slug or fallback
    return slug if slug[0].isalpha() else f"{fallback}-{slug}"


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name = f"{base}-{n}"
        n += 1
    taken.add(name)
    assert re.match(ID_PATTERN, name), name
    return name


def _split_sentence(markup: str) -> tuple[str, str]:
    """The first sentence of a paragraph's markup and the rest (the rest empty when it is one sentence)."""
    for m in re.finditer(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(]?[A-Z0-9ĄĆĘŁŃÓŚŹŻ*\[])", markup):
        head = markup[: m.start()].rstrip()
        if _ABBREV.search(head) or not _balanced(head) or len(head.split()) < 4:
            continue
        return markup[: m.end()].strip(), markup[m.end():].strip()
    return markup.strip(), ""


def _balanced(text: str) -> bool:
    plain = re.sub(r"\\.", "", text)
    return plain.count("**") % 2 == 0 and plain.replace("**", "").count("*") % 2 == 0 and plain.count("[") == plain.count("]") and plain.count("(") == plain.count(")")


def _date_in(text: str) -> _dt.date | None:
    t = text.strip().lower()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})\.?\s+([^\W\d_]+)\s+(\d{4})(?:\s*r\.)?", t):
            return _dt.date(int(m[3]), _MONTHS[m[2]], int(m[1])) if m[2] in _MONTHS else None
        if m := re.fullmatch(r"([^\W\d_]+)\s+(\d{1,2}),?\s+(\d{4})", t):
            return _dt.date(int(m[3]), _MONTHS[m[1]], int(m[2])) if m[1] in _MONTHS else None
    except ValueError:
        return None
    return None


class _Inferrer:
    def __init__(self, doc: Document, stem: str, images_dir: str, today: _dt.date):
        self.doc, self.stem, self.images_dir, self.today = doc, stem, images_dir, today
        self.notes: list[str] = list(doc.notes)
        self.sources: dict[Any, dict] = {}
        self.source_ids: set[str] = set()
        self.section_ids: set[str] = set()
        self.table_ids: set[str] = set()
        self.image_ids: set[str] = set()
        self.files: dict[str, bytes] = {}
        self.tables: list[dict] = []
        self.images: list[dict] = []
        self.cited: list[str] = []  # the sources of the text being built (collected by _markup)
        self.unlinked: list[tuple[str, str]] = []
        self.lang = "en"

    # -- markup and sources --

    def markup(self, spans: tuple[Span, ...] | list[Span]) -> str:
        """Inline markup for spans: **bold**, *italic*, [text](url); each link becomes (or finds) a source."""
        out: list[str] = []
        groups: list[tuple[tuple, str]] = []
        for s in spans:
            key = (s.bold, s.italic, s.href)
            if groups and groups[-1][0] == key:
                groups[-1] = (key, groups[-1][1] + s.text)
            else:
                groups.append((key, s.text))
        for (bold, italic, href), text in groups:
            text = re.sub(r"\s+", " ", text)
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.DOTALL).groups()
            if not core:
                out.append(text)
                continue
            if href is not None:
                url = self.cite(href, core)
                if url:
                    out.append(f"{lead}[{_escape(core)}]({url}){trail}")
                    continue
            piece = _escape(core)
            if bold:
                piece = f"**{piece}**"
            elif italic:
                piece = f"*{piece}*"
            out.append(f"{lead}{piece}{trail}")
        return " ".join("".join(out).split())

    def cite(self, href: str, text: str) -> str | None:
        """Make the link a source (one per address; one per text for links without a usable address); return the
        address when it can stay a link in the text."""
        href = href.strip()
        try:
            url: str | None = check_url(href)
        except ValueError:
            url = None
        key: Any = url if url else ("text", " ".join(text.split()).lower())
        if key not in self.sources:
            sid = _unique(f"s{len(self.sources) + 1}", self.source_ids)
            entry: dict[str, Any] = {"id": sid, "title": _escape(" ".join(text.split()) or href)}
            if url:
                entry["url"] = url
            else:
                self.unlinked.append((sid, href))
            self.sources[key] = entry
        sid = self.sources[key]["id"]
        if sid not in self.cited:
            self.cited.append(sid)
        return url

    # -- the document --

    def run(self) -> Imported:
        blocks = self.repair(list(self.doc.blocks))
        meta = self.front(blocks)
        self.cited = []
        lead = self.lead(blocks, meta)
        sections = self.body(blocks)
        if not sections:
            sections = [{"id": "summary", "title": meta["title"], "points": [{"text": lead}]}]
            self.notes.append("sections: the document has no body; one section repeats the lead")
        data: dict[str, Any] = {"meta": meta, "lead": lead, "sections": sections}
        if self.tables:
            data["tables"] = self.tables
        if self.images:
            data["images"] = self.images
        if self.sources:
            data["sources"] = list(self.sources.values())
            linked = sum(1 for s in self.sources.values() if "url" in s)
            self.notes.append(f"sources: {len(self.sources)} from the document's links, numbered in reading order (the link's text is the title; "
                              f"{linked} with their address, kept as links in the text)")
        if self.unlinked:
            by_href: dict[str, list[str]] = {}
            for sid, href in self.unlinked:
                by_href.setdefault(href, []).append(sid)
            where = "; ".join(f"{_ids(ids)} (to '{href}')" for href, ids in by_href.items())
            self.notes.append(f"sources without a web address, their links pointing nowhere usable: {where} — add `url` where you know it")
        return Imported(data, self.notes, self.files)

    def repair(self, blocks: list[Block]) -> list[Block]:
        """Undo what a page break of a PDF conversion leaves: a heading inside a sentence (a running header) and a
        paragraph cut in two."""
        out: list[Block] = []
        i = 0
        joined = 0
        while i < len(blocks):
            b = blocks[i]
            if (isinstance(b, Heading) and out and isinstance(out[-1], Para) and _cut(out[-1]) and i + 1 < len(blocks)
                    and isinstance(blocks[i + 1], Para) and not _run_in(blocks[i + 1].spans)):
                self.notes.append(f"the heading '{_text(b.spans)}' ({b.where}) stands inside a sentence — a page header of a "
                                  "converted PDF? The sentence is joined; the heading is kept as a comment")
                prev, cont = out[-1], blocks[i + 1]
                assert isinstance(prev, Para) and isinstance(cont, Para)
                out[-1] = Para(prev.spans + (Span(" "),) + cont.spans, prev.where, prev.style)
                out.append(Unplaced("a heading inside a sentence", _text(b.spans), b.where))
                i += 2
                continue
            if isinstance(b, Para) and out and isinstance(out[-1], Para) and _cut(out[-1]) and not _run_in(b.spans) and not b.style:
                prev = out[-1]
                out[-1] = Para(prev.spans + (Span(" "),) + b.spans, prev.where, prev.style)
                joined += 1
                i += 1
                continue
            out.append(b)
            i += 1
        if joined:
            self.notes.append(f"{joined} paragraph{'s' if joined > 1 else ''} cut mid-sentence (a page break?) joined to the one before")
        return out

    def front(self, blocks: list[Block]) -> dict[str, Any]:
        doc = self.doc
        meta: dict[str, Any] = {}
        title = doc.title
        first = blocks[0] if blocks else None
        if isinstance(first, Para) and first.style == "title":  # the title the reader sees wins over stale properties
            title = _text(first.spans)
            blocks.pop(0)
            differs = doc.title and doc.title.lower() != title.lower()
            self.notes.append("meta.title: the Title paragraph" + (f" (the document properties say '{doc.title}')" if differs else ""))
        elif isinstance(first, Heading):
            if title is None or _text(first.spans).lower() == title.lower():
                title = title or _text(first.spans)
                blocks.pop(0)
                self.notes.append(f"meta.title: {'the document properties' if doc.title else 'the first heading'}")
            else:
                self.notes.append("meta.title: the document properties (the first heading is a section)")
        elif title:
            self.notes.append("meta.title: the document properties")
        if not title:
            title = self.stem.replace("-", " ").replace("_", " ").capitalize()
            self.notes.append("meta.title: the file's name (the document has no title) — write the title")
        meta["title"] = _escape(title)
        subtitle = doc.subtitle
        first = blocks[0] if blocks else None
        if isinstance(first, Para) and (first.style == "subtitle" or not first.style and _whole_italic(first.spans)):
            subtitle = _text(blocks.pop(0).spans)  # a Subtitle paragraph, or a short italic line under the title
            self.notes.append("meta.subtitle: the " + ("Subtitle paragraph" if first.style else "italic line under the title"))
        if subtitle:
            meta["subtitle"] = _escape(subtitle)
        date = doc.date
        authors = list(doc.authors)
        for _ in range(2):  # an author line and a date line, in either order, right under the title
            if not blocks or not isinstance(blocks[0], Para) or blocks[0].style:
                break
            line = _text(blocks[0].spans)
            if len(line) <= 160 and (d := _date_in(line)):
                date = date or d
                blocks.pop(0)
                self.notes.append(f"meta.date: the line under the title ('{line}')")
            elif len(line) <= 160 and (names := _names(line)):
                if not authors:
                    authors = names
                    self.notes.append("meta.authors: the line under the title")
                blocks.pop(0)
            else:
                break
        if doc.authors:
            self.notes.append("meta.authors: the document properties")
        if date is None:
            date = self.today
            self.notes.append(f"meta.date: not in the document — today's date ({date.isoformat()}); set the publication date")
        elif doc.date and date == doc.date:
            self.notes.append("meta.date: the document's creation date (its properties) — check it is the publication date")
        meta["date"] = date
        if authors:
            meta["authors"] = authors
        meta["language"] = self.lang = doc.language or self.language(blocks)
        if doc.keywords:
            meta["keywords"] = list(doc.keywords)
        return meta

    def language(self, blocks: list[Block]) -> str:
        text = " ".join(_text(b.spans) for b in blocks if isinstance(b, (Para, Item, Heading)))
        polish = sum(text.count(c) for c in "ąćęłńśźżĄĆĘŁŃŚŹŻ")
        lang = "pl" if text and polish / len(text) > 0.005 else "en"
        self.notes.append(f"meta.language: {lang}, from the letters of the text — correct it if wrong")
        return lang

    def lead(self, blocks: list[Block], meta: dict) -> str:
        for i, b in enumerate(blocks):
            if isinstance(b, Heading):
                break
            if isinstance(b, Para) and not b.style:
                blocks.pop(i)
                self.notes.append("lead: the first paragraph")
                return self.markup(b.spans)
        self.notes.append("lead: the document has no first paragraph — the title stands in; write the summary")
        return meta["title"]

    def body(self, blocks: list[Block]) -> list[dict]:
        sections: list[dict] = []
        pending: list[str] = []  # comments before the first section
        headings = run_ins = 0
        seen_heading = False
        sec: dict | None = None
        last_point: dict | None = None
        after_colon = False
        for i, b in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(b, Para) and _whole_bold(b.spans):
                b = Heading(9, b.spans, b.where)  # a short bold line alone: a heading written by hand
            if isinstance(b, Heading):
                seen_heading = True
                headings += 1
                sec = self.section(_text(b.spans), sections, pending)
                last_point = None
                continue
            if isinstance(b, Para) and not seen_heading and _run_in(b.spans) and not b.style:
                head, rest = _split_run_in(b.spans)
                run_ins += 1
                sec = self.section(_head(_text(head)), sections, pending)
                if not rest or not _text(rest):
                    last_point = None
                    continue
                b = Para(tuple(rest), b.where)
            if isinstance(b, Unplaced):
                lines = [f"kept from the document ({b.kind}, {b.where}), not placed:"] + [f"  {ln}" for ln in b.text.splitlines()]
                (sec[COMMENTS] if sec else pending).extend(lines)
                continue
            if sec is None:
                sec = self.section("Introduction" if not self.polish else "Wprowadzenie", sections, pending)
                self.notes.append(f"sections: '{sec['title']}' holds what comes before the first heading — rename it")
            if isinstance(b, Para):
                if b.style == "quote":
                    self.cited = []
                    sec.setdefault("quotes", []).append({"text": self.markup(b.spans)})
                    continue
                if isinstance(nxt, Grid) and _CAPTION_TABLE.match(_text(b.spans)) or isinstance(nxt, Picture) and _CAPTION_FIGURE.match(_text(b.spans)):
                    sec.setdefault("_caption", _text(b.spans))
                    continue
                if isinstance(sec.get("_last_image"), dict) and _CAPTION_FIGURE.match(_text(b.spans)):
                    sec["_last_image"]["caption"] = _escape(_CAPTION_FIGURE.sub("", _text(b.spans)) or _text(b.spans))
                    sec.pop("_last_image")
                    continue
                last_point = self.point(b.spans, sec)
                after_colon = last_point.get("detail", last_point["text"]).endswith(":")
                continue
            sec.pop("_last_image", None)
            if isinstance(b, Item):
                self.cited = []
                if (b.depth > 0 or after_colon) and last_point is not None:
                    last_point.setdefault("points", []).append(self.markup(b.spans))
                    last_point["sources"] = list(dict.fromkeys(last_point.get("sources", []) + self.cited))
                    if b.depth > 1:
                        self.notes.append(f"a list item nested {b.depth + 1} deep ({b.where}) is a sub-point (outlines have one level)")
                    if not last_point["sources"]:
                        last_point.pop("sources")
                    continue
                last_point = self.point(b.spans, sec, split=False)
                after_colon = False
                continue
            after_colon = False
            if isinstance(b, Grid):
                self.table(b, sec)
            elif isinstance(b, Picture):
                self.picture(b, sec)
        for s in sections:
            s.pop("_caption", None)
            s.pop("_last_image", None)
        if pending:
            self.notes.append("kept from the document before its first section: see the comment block at the end")
            if sections:
                sections[-1][COMMENTS] = pending + sections[-1][COMMENTS]
        if headings or run_ins:
            how = []
            if headings:
                how.append(f"{headings} from headings")
            if run_ins:
                how.append(f"{run_ins} from bold run-in heads opening a paragraph (the document has no headings there)")
            self.notes.append(f"sections: {', '.join(how)}; ids made from the titles")
        order = ("id", "title", "kind", "intro", "quotes", "points", "tables", "charts", "images", COMMENTS)  # the format's order
        return [{k: s[k] for k in order if k in s and (s[k] or k in ("id", "title"))} for s in sections]

    @property
    def polish(self) -> bool:
        return self.lang.split("-")[0].lower() == "pl"

    def section(self, title: str, sections: list[dict], pending: list[str]) -> dict:
        sec: dict[str, Any] = {"id": _unique(_slug(title, "section"), self.section_ids), "title": _escape(title)}
        for pattern, kind in _KINDS:
            if pattern.search(title):
                sec["kind"] = kind
                self.notes.append(f"sections[{sec['id']}].kind: {kind}, from its title")
                break
        sec["points"] = []
        sec[COMMENTS] = []
        sections.append(sec)
        return sec

    def point(self, spans: tuple[Span, ...], sec: dict, split: bool = True) -> dict:
        self.cited = []
        if _run_in(spans):
            head, rest = _split_run_in(spans)
            text, detail = self.markup([Span(s.text, False, s.italic, s.href) for s in head]), self.markup(rest)  # the head is bold anyway
            text = _head(text)
        else:
            text, detail = _split_sentence(self.markup(spans)) if split else (self.markup(spans), "")
        point: dict[str, Any] = {"text": text}
        if detail:
            point["detail"] = detail
        if self.cited:
            point["sources"] = list(self.cited)
        sec["points"].append(point)
        return point

    def table(self, g: Grid, sec: dict) -> None:
        rows = [list(r) for r in g.rows if any(c.strip() for c in r)]
        if not rows:
            return
        width = max(len(r) for r in rows)
        header = [_escape(c.strip()) or f"Column {j + 1}" for j, c in enumerate(rows[0] + [""] * (width - len(rows[0])))]
        body = [[_escape(c.strip()) or None for c in r + [""] * (width - len(r))] for r in rows[1:]]
        caption = sec.pop("_caption", None)
        title = _CAPTION_TABLE.sub("", caption) if caption else f"{sec['title']}"
        tid = _unique(_slug(title, "table") if caption else f"table-{len(self.tables) + 1}", self.table_ids)
        entry: dict[str, Any] = {"id": tid, "title": _escape(title), "columns": header}
        if body:
            entry["rows"] = body
        else:
            entry["rows"] = [[None] * width]
            self.notes.append(f"tables[{tid}]: the table has only a header row; an empty row stands in")
        self.tables.append(entry)
        sec.setdefault("tables", []).append(tid)
        if not caption:
            self.notes.append(f"tables[{tid}].title: the section's title (the table has no caption) — write one")

    def picture(self, p: Picture, sec: dict) -> None:
        kind = next((k for magic, k in _IMAGE_KINDS.items() if p.data and p.data.startswith(magic)), None)
        if kind is None and p.data and p.data.lstrip()[:5] in (b"<?xml", b"<svg ") and b"<svg" in p.data[:2000]:
            kind = "svg"
        if p.data is None or kind is None:
            why = "not a PNG, JPEG or SVG picture" if p.data else "the file is not beside the document (or is a web address)"
            sec[COMMENTS].extend([f"kept from the document (a picture, {p.where}), not placed — {why}:",
                                  f"  {p.name}" + (f" — {p.alt}" if p.alt else "")])
            return
        n = len(self.images) + 1
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", p.name.rsplit(".", 1)[0]).strip("-") or "image"
        name = f"{n:02d}-{stem}.{kind}"
        self.files[name] = p.data
        caption = sec.pop("_caption", None) or p.caption or None
        iid = _unique(f"image-{n}", self.image_ids)
        entry: dict[str, Any] = {"id": iid, "file": f"{self.images_dir}/{name}"}
        if p.alt:
            entry["alt"] = _escape(p.alt)
        else:
            entry["alt"] = f"Picture {n} of the document"
            self.notes.append(f"images[{iid}].alt: the picture has no description in the document — describe what it shows")
        if caption:
            entry["caption"] = _escape(_CAPTION_FIGURE.sub("", caption) or caption)
        else:
            sec["_last_image"] = entry
        self.images.append(entry)
        sec.setdefault("images", []).append(iid)


def _ids(ids: list[str]) -> str:
    """`s1–s14` for a run of numbered ids, else the ids listed."""
    nums = [int(i[1:]) for i in ids if re.fullmatch(r"s\d+", i)]
    if len(nums) == len(ids) > 2 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"{ids[0]}–{ids[-1]}"
    return ", ".join(ids)


def _head(text: str) -> str:
    """A run-in head without the full stop or colon that ran it into its paragraph (an abbreviation keeps its own)."""
    text = text.strip()
    if text.endswith(":") or text.endswith(".") and not text.endswith("..") and not _ABBREV.search(text):
        return text[:-1].rstrip()
    return text


def _cut(p: Para) -> bool:
    """A long prose paragraph that stops mid-sentence."""
    text = _text(p.spans)
    return not p.style and len(text) > 60 and bool(re.search(r"[^\W_],?$", text)) and not _whole_bold(p.spans)


def _run_in(spans: tuple[Span, ...]) -> bool:
    head, rest = _split_run_in(spans)
    return bool(head) and bool(_text(rest)) and len(_text(head)) <= 200


def _split_run_in(spans: tuple[Span, ...]) -> tuple[list[Span], list[Span]]:
    items = list(spans)
    while items and not items[0].text.strip():
        items.pop(0)
    head: list[Span] = []
    while items and items[0].bold and items[0].href is None:
        head.append(items.pop(0))
    return head, items


def _whole_bold(spans: tuple[Span, ...]) -> bool:
    text = _text(spans)
    return (0 < len(text) <= 120 and all(s.bold for s in spans if s.text.strip()) and not any(s.href for s in spans)
            and not text.endswith((".", ",", ";")))


def _whole_italic(spans: tuple[Span, ...]) -> bool:
    text = _text(spans)
    return 0 < len(text) <= 200 and all(s.italic and not s.bold and not s.href for s in spans if s.text.strip())


def _names(line: str) -> list[str]:
    parts = [p.strip() for p in re.split(r",|;| and | i | & ", line) if p.strip()]
    if 1 <= len(parts) <= 8 and all(_NAME.match(p) for p in parts):
        return parts
    return []
