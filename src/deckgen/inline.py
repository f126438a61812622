"""The one inline markup of outline text (**bold**, *italic*, [text](url), footnotes ^[text] and [^id]) parsed once
into styled runs."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and U+FFFE/U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufeff\ufffe\uffff]")  # U+FEFF: a stray byte-order mark (matplotlib gives it no glyph)
_XML_FORBIDDEN = XML_FORBIDDEN
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
_NOTE_REF = re.compile(r"\[\^([A-Za-z][A-Za-z0-9_-]{0,63})\]")


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style; `url` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


@dataclass(frozen=True)
class Note(Run):
    """A footnote marker: `note` the markup of an inline note (`^[text]`) or `ref` the id of one of the outline's
    `footnotes` (`[^id]`). As parsed its `text` is empty; a planner numbers the markers of its product in reading
    order (layout/notes.py): then `text` is the number as printed and `body` the note's runs."""

    note: str | None = None
    ref: str | None = None
    body: tuple[Run, ...] = ()

    @property
    def number(self) -> int:
        """The marker's number (0 before numbering)."""
        return int(self.text) if self.text.isdigit() else 0


def clean(text: str) -> str:
    """Remove the characters XML (and so PowerPoint and PDF text) cannot carry; fold line breaks to spaces."""
    return _XML_FORBIDDEN.sub("", text).replace("\r", "")


def parse(text: str) -> list[Run]:
    """Split outline text into runs; unmatched markers stay literal text; `\\*` escapes a marker."""
    return list(_parsed(text))


@lru_cache(maxsize=16_384)  # (runs are immutable) a session's rebuild parses only the texts that changed
def _parsed(text: str) -> tuple[Run, ...]:
    text = clean(text)
    runs: list[Run] = []
    _parse(text, False, False, runs)
    return tuple(_merge(runs))


def plain(text: str) -> str:
    """The text a reader sees, markup (and footnotes) removed."""
    return "".join(r.text for r in parse(text) if not isinstance(r, Note))


def links(text: str) -> list[str]:
    """Every link target written in the text."""
    return [m.group(2) for m in _LINK.finditer(text)]


def note_refs(text: str) -> list[str]:
    """The footnote ids the text cites (`[^id]`), in order, those inside an inline note's text included (a note
    inside a note is not printed, so the search goes one level deep)."""
    out: list[str] = []
    for r in parse(text):
        if isinstance(r, Note) and r.ref is not None:
            out.append(r.ref)
        elif isinstance(r, Note) and r.note is not None:
            out += [x.ref for x in parse(r.note) if isinstance(x, Note) and x.ref is not None]
    return out


def _closing(text: str) -> dict[int, int]:
    """For each `[` of the text that is closed, the index of its `]` (brackets nest; `\\x` escapes x); one pass."""
    out: dict[int, int] = {}
    stack: list[int] = []
    j, n = 0, len(text)
    while j < n:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            stack.append(j)
        elif ch == "]" and stack:
            out[stack.pop()] = j
        j += 1
    return out


def _parse(text: str, bold: bool, italic: bool, out: list[Run], url: str | None = None) -> None:
    i, buf = 0, []
    closing: dict[int, int] | None = None  # where each `[` closes, found once when a note `^[` first appears
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "*[]()\\^":
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "^" and text.startswith("^[", i):
            if closing is None:
                closing = _closing(text)
            end = closing.get(i + 1, -1)
            if end > i + 2:
                _flush(buf, bold, italic, url, out)
                out.append(Note("", bold, italic, None, note=text[i + 2 : end]))
                i = end + 1
                continue
        if ch == "[" and text.startswith("[^", i):
            m = _NOTE_REF.match(text, i)
            if m:
                _flush(buf, bold, italic, url, out)
                out.append(Note("", bold, italic, None, ref=m.group(1)))
                i = m.end()
                continue
        if ch == "[" and url is None:
            m = _LINK.match(text, i)
            if m:
                _flush(buf, bold, italic, url, out)
                _parse(m.group(1), bold, italic, out, m.group(2))
                i = m.end()
                continue
        if text.startswith("**", i):
            end = text.find("**", i + 2)
            if end > i + 2:
                _flush(buf, bold, italic, url, out)
                _parse(text[i + 2 : end], True, italic, out, url)
                i = end + 2
                continue
        elif ch == "*":
            end = _find_single_star(text, i + 1)
            if end > i + 1:
                _flush(buf, bold, italic, url, out)
                _parse(text[i + 1 : end], bold, True, out, url)
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    _flush(buf, bold, italic, url, out)


def _find_single_star(text: str, start: int) -> int:
    j = start
    while True:
        j = text.find("*", j)
        if j < 0:
            return -1
        if text.startswith("**", j):
            close = text.find("**", j + 2)
            if close < 0:
                return -1
            j = close + 2
            continue
        return j


def _flush(buf: list[str], bold: bool, italic: bool, url: str | None, out: list[Run]) -> None:
    if buf:
        out.append(Run("".join(buf), bold, italic, url))
        buf.clear()


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for r in runs:
        if isinstance(r, Note) or merged and isinstance(merged[-1], Note):
            merged.append(r)
        elif merged and (merged[-1].bold, merged[-1].italic, merged[-1].url) == (r.bold, r.italic, r.url):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic, r.url)
        else:
            merged.append(r)
    return merged


def to_markup(runs) -> str:
    """Runs written back as the inline markup `parse` reads (for `deckgen pull`): **bold**, *italic*, [text](url),
    literal markers escaped, white space folded; footnote markers are left out (their notes live in the outline)."""
    merged: list[list] = []
    for r in runs:
        if isinstance(r, Note):
            continue
        key = [bool(r.bold), bool(r.italic), r.url or ""]
        if merged and merged[-1][1:] == key:
            merged[-1][0] += r.text
        else:
            merged.append([r.text, *key])
    out = []
    for text, bold, italic, url in merged:
        core = text.strip()
        if not core or not (bold or italic or url):
            out.append(_escape(text))
            continue
        piece = _escape(core)
        if italic:
            piece = f"*{piece}*"
        if bold:
            piece = f"**{piece}**"
        if url:
            piece = f"[{piece}]({url})"
        out.append(text[: len(text) - len(text.lstrip())] + piece + text[len(text.rstrip()):])
    return " ".join("".join(out).split())


def _escape(text: str) -> str:
    """Plain text whose * [ ] ^ \\ stay literal when parsed as markup."""
    for ch in "\\*[]^":
        text = text.replace(ch, "\\" + ch)
    return text
