"""The brief's own reportlab flowables: rail beside column, keep-with-next headings, floating figures, the key-figure grid.

Floats: a `Float` (a figure) that does not fit in what is left of a page waits for the next page's top while the
text after it fills the space; the document template (pages.py) asks `defer` and re-inserts what waits.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ...layout import brief as bp
from ...memo import Memo
from .bidi import draw_rtl_bullet, last_lines_right, paragraph_direction, rtl_style, visual_lines
from .tags import Tagged, carry


def table(data: list, font: str, **kw) -> Table:
    """A reportlab Table whose cells start in `font`: reportlab's table canvas otherwise starts in Helvetica, which
    is never embedded (every table of the brief is made here)."""
    t = Table(data, **kw)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font)]))
    return t


MAX_HYPHENATED = 64  # longer "words" (a run of letters with no space) are cut where the line ends, not hyphenated


class Hyphenator:
    """reportlab's hyphenation callable (word -> (head, tail) pairs) for one pyphen dictionary, skipping words over
    64 letters: reportlab measures every candidate head of a word in full, which is quadratic in its length (a
    72,000-letter word took minutes); such a word is split where the line ends instead."""

    def __init__(self, dictionary: str):
        from .hyphens import dictionary as hyphens

        self.dictionary = dictionary
        self._iterate = hyphens(dictionary).iterate

    def __call__(self, word: str):
        return () if len(word) > MAX_HYPHENATED else self._iterate(word)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:  # the same for every brief in one language (story.style_key)
        return f"Hyphenator({self.dictionary!r})"


def hyphenation(language: str) -> Hyphenator | str:
    """The hyphenator for a BCP 47 tag ('en' → pyphen's en, 'pl-PL' → pl_PL), '' (no hyphenation) where pyphen has none."""
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_")) or ""
    return Hyphenator(found) if found else ""


def at_top(flowable: Flowable) -> bool:
    """Whether the frame trying `flowable` has nothing on it yet (so moving on to the next page cannot help)."""
    frame = getattr(flowable, "_frame", None)
    return bool(frame is not None and frame._atTop)


def gap(a: Flowable, b: Flowable) -> float:
    """The space a frame leaves between two flowables (the larger of after and before)."""
    return max(a.getSpaceAfter(), b.getSpaceBefore())


def style_key(style) -> tuple:
    """Everything of a paragraph style that sets its lines, as a key (a style is made again for every brief; the
    brief's styles are never changed once made, so the key is kept on the style)."""
    key = vars(style).get("_deckgen_key")
    if key is None:
        key = tuple(sorted((k, repr(v)) for k, v in vars(style).items() if k != "parent"))
        style._deckgen_key = key
    return key


_PARSED: Memo[tuple, tuple] = Memo(20_000)  # Para._setup's parses: a session's rebuild parses only the paragraphs that changed


class Para(Tagged, Paragraph):
    """A paragraph whose first part after a split always fits: reportlab re-breaks a part's lines, and with
    hyphenation the re-broken part can come out a line longer than the room it was cut for (a "Splitting error");
    then the cut moves up a line until it fits. Lines holding right-to-left text are drawn in visual order (bidi).
    Drawn as its structure node's content (tags.py); its parts after a split stay that node's."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._rtl = paragraph_direction(self.frags)  # None: no right-to-left text
        if self._rtl:
            self.style = rtl_style(self.style, bool(self.bulletText))

    def _setup(self, text, style, bulletText, frags, cleaner):
        """reportlab's parse of the markup, remembered by text and style: the fragments are only read, never changed,
        by the wrapping and drawing of the paragraph (a brief built twice in one process is the same bytes: tested)."""
        if frags is not None:
            return super()._setup(text, style, bulletText, frags, cleaner)
        key = (text, style_key(style), repr(bulletText), self.caseSensitive)
        hit = _PARSED.get(key)
        if hit is not None:
            cleaned, parsed, bullet = hit
            super()._setup(cleaned, style, bullet, list(parsed), cleaner)
        else:
            super()._setup(text, style, bulletText, None, cleaner)
            if self.style is style:  # (a <para> tag gives a style of its own: not remembered)
                _PARSED.keep(key, (self.text, tuple(self.frags), self.bulletText))
        return None

    def breakLines(self, width):
        key = repr(width)  # reportlab wraps a paragraph again at the same width (a frame's fit test, then its add)
        memo = getattr(self, "_broken", None)
        if memo is not None and memo[0] == key and memo[1] is self.frags:
            return memo[2]
        lines = super().breakLines(width)
        if self._rtl is not None:
            visual_lines(lines, self._rtl)
        self._broken = (key, self.frags, lines)
        return lines

    def draw(self):
        if self._rtl and self.style.alignment == TA_JUSTIFY:  # reportlab's per-line start offsets
            self._offsets = last_lines_right(self.blPara, getattr(self, "_JustifyLast", False))
        if not (self._rtl and self.bulletText):
            return super().draw()
        bullet, self.bulletText = self.bulletText, None  # a right-to-left item's bullet goes right of its text
        try:
            super().draw()
        finally:
            self.bulletText = bullet
        draw_rtl_bullet(self, bullet)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        room = availHeight
        while len(parts) == 2 and parts[0].wrap(availWidth, availHeight)[1] > availHeight + 1e-6 and room > 0:
            room -= self.style.leading
            parts = super().split(availWidth, room)
        return carry(self, parts)


class Marked(Para):
    """A paragraph that sets a bookmark (PDF outline entry) where its first line is drawn."""

    def __init__(self, text, style, bulletText=None, frags=None, caseSensitive=1, encoding="utf8", *, mark=None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive, encoding=encoding)
        self.mark = mark  # (key, title) or None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for i, part in enumerate(parts):
            if isinstance(part, Marked):
                part.mark = self.mark if i == 0 else None
        return parts

    def draw(self):
        super().draw()
        if self.mark:
            key, title = self.mark
            self.canv.bookmarkHorizontal(key, 0, self.height)
            self.canv.addOutlineEntry(title, key, level=0)


class Stack(Flowable):
    """Flowables stacked as one unit that never splits; `bar` = (x, width, colour) draws a rule down its left side."""

    def __init__(self, parts: list[Flowable], bar: tuple[float, float, Color] | None = None, space_after: float | None = None):
        super().__init__()
        self.parts = parts
        self.bar = bar
        self.space_after = space_after

    def getSpaceBefore(self):
        return self.parts[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.parts[-1].getSpaceAfter() if self.space_after is None else self.space_after

    def wrap(self, availWidth, availHeight):
        self.sizes = [p.wrap(availWidth, availHeight) for p in self.parts]
        gaps = sum(gap(a, b) for a, b in zip(self.parts, self.parts[1:]))
        self.width, self.height = availWidth, sum(h for _, h in self.sizes) + gaps
        return self.width, self.height

    def split(self, availWidth, availHeight):
        # a unit taller than a whole page comes apart rather than fail
        return first_fits(list(self.parts), availWidth, availHeight) if at_top(self) and len(self.parts) > 1 else []

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        if self.bar:
            bx, bw, colour = self.bar
            canvas.saveState()
            canvas.setFillColor(colour)
            canvas.rect(x + bx, y, bw, self.height, stroke=0, fill=1)
            canvas.restoreState()
        for i, (part, (_, h)) in enumerate(zip(self.parts, self.sizes)):
            if i:
                top -= gap(self.parts[i - 1], part)
            part.drawOn(canvas, x, top - h)
            top -= h


class Beside(Flowable):
    """Rail flowables (at the left margin, `rail` wide) beside main flowables (full width, set in the column by their
    own indent), tops aligned; as tall as the taller side; never split."""

    def __init__(self, rail: list[Flowable], main: list[Flowable], rail_width: float, top: float = 0.0, bottom: float = 0.0):
        super().__init__()
        self.rail, self.main = Stack(rail), Stack(main)
        self.rail_width = rail_width
        self.top, self.bottom = top, bottom

    def getSpaceBefore(self):
        return self.top

    def getSpaceAfter(self):
        return self.bottom

    def wrap(self, availWidth, availHeight):
        _, hr = self.rail.wrap(self.rail_width, availHeight)
        _, hm = self.main.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, max(hr, hm)
        self.heights = hr, hm
        return self.width, self.height

    def split(self, availWidth, availHeight):
        # taller than a whole page (a caption or source of a page's length): the rail goes under the main part
        return first_fits([*self.main.parts, *self.rail.parts], availWidth, availHeight) if at_top(self) else []

    def drawOn(self, canvas, x, y, _sW=0):
        hr, hm = self.heights
        self.rail.drawOn(canvas, x, y + self.height - hr)
        self.main.drawOn(canvas, x, y + self.height - hm)


def first_fits(parts: list[Flowable], availWidth: float, availHeight: float) -> list[Flowable]:
    """A unit's parts as it comes apart at the top of a page, the first one split to the room when it alone is taller
    than the page (reportlab places the first part of a split as it is: a lead longer than a page was a "Splitting
    error")."""
    if parts:
        _, h = parts[0].wrap(availWidth, availHeight)
        if h > availHeight:
            pieces = parts[0].split(availWidth, availHeight)
            if pieces:
                return [*pieces, *parts[1:]]
    return parts


class KeepWithNext(Flowable):
    """A heading and what follows it: the heading goes to the next page unless the first lines of what follows
    (as many as the follower's own widow and orphan rules allow, two at least) fit under it."""

    def __init__(self, head: Flowable, follower: Flowable):
        super().__init__()
        self.head, self.follower = head, follower

    def getSpaceBefore(self):
        return self.head.getSpaceBefore()

    def getSpaceAfter(self):
        return self.follower.getSpaceAfter()

    def wrap(self, availWidth, availHeight):
        _, h1 = self.head.wrap(availWidth, availHeight)
        _, h2 = self.follower.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, h1 + gap(self.head, self.follower) + h2
        self.heights = h1, h2
        return self.width, self.height

    def split(self, availWidth, availHeight):
        _, h1 = self.head.wrap(availWidth, availHeight)
        rest = availHeight - h1 - gap(self.head, self.follower) - 0.5
        parts = self.follower.split(availWidth, rest) if rest > 0 else []
        if len(parts) < 2:  # nothing of the follower fits (or all of it: then wrap would have fitted)
            if not at_top(self):
                return []
            # on a fresh page: apart rather than fail (a heading longer than the page itself splits too)
            return [*(self.head.split(availWidth, availHeight) if h1 > availHeight else [self.head]), self.follower]
        return [self.head, *parts]

    def drawOn(self, canvas, x, y, _sW=0):
        h1, h2 = self.heights  # drawn in reading order: the heading, then what follows it
        self.head.drawOn(canvas, x, y + h2 + gap(self.head, self.follower))
        self.follower.drawOn(canvas, x, y)


class Wrapper(Flowable):
    """A flowable that is its content (spacing, size, drawing) and only decides differently how it splits."""

    def __init__(self, content: Flowable):
        super().__init__()
        self.content = content

    def getSpaceBefore(self):
        return self.content.getSpaceBefore()

    def getSpaceAfter(self):
        return self.content.getSpaceAfter()

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.content.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        self.content.drawOn(canvas, x, y)


class Float(Wrapper):
    """A unit (a figure, with its heading where one stands directly over it) that may wait for the next page's top."""

    def __init__(self, content: Flowable, anchored: bool = False):
        super().__init__(content)
        self.final = False  # at the story's end: placed where it is, not deferred again
        # anchored: never waits (a heading with a figure under it keeps its place in the reading order); figures
        # waiting before it are placed first
        self.anchored = anchored

    def split(self, availWidth, availHeight):
        if at_top(self):
            self.content._frame = self._frame
            return self.content.split(availWidth, availHeight)
        return []


class Kept(Wrapper):
    """A flowable kept whole (to the next page when it does not fit) unless it is taller than `share` of a page's
    text area (`page` points high); then it splits as it does itself (a table between rows, its header repeated)."""

    def __init__(self, content: Flowable, page: float, share: float = 0.5):
        super().__init__(content)
        self.page, self.share = page, share

    def split(self, availWidth, availHeight):
        _, h = self.content.wrap(availWidth, 1e9)
        if at_top(self) or h > self.share * self.page:
            return self.content.split(availWidth, availHeight)
        return []


class FlushFloats(Flowable):
    """The story's end: figures still waiting are placed here."""

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


@dataclass(frozen=True)
class Slot:
    """Where a figure's box landed: 1-based page, lower-left corner in points."""

    page: int
    x: float
    y: float
    figure: bp.Figure
    mcid: int | None = None  # the chart's marked content on its page (tags.py), when the brief is tagged


class ChartSlot(Flowable):
    """Reserves a figure's box `x` points in from the frame's left edge and records where it landed; the chart is
    placed there after the build."""

    def __init__(self, figure: bp.Figure, sink: list[Slot], x: float = 0.0, data: tuple | None = None):
        super().__init__()
        self.figure = figure
        self.sink = sink
        self.x = x
        self.width, self.height = float(figure.width), float(figure.height)
        self.data = data  # (Table node, Faces): the chart's data, drawn invisibly for screen readers (tags.py)

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        x, y = canvas.absolutePosition(self.x, 0)
        marker, node = getattr(canvas, "marker", None), getattr(self, "_node", None)
        mcid = None
        if marker is not None and node is not None:
            mark = marker.mark(canvas, node)
            node.box = (mark.page, x, y, x + self.width, y + self.height)
            mcid = mark.mcid
            if self.data is not None and self.figure.data is not None:  # in the margin, right of the chart's box
                left = self.x + self.width + HIDDEN_GAP
                right = self.x + canvas._pagesize[0] - x - HIDDEN_EDGE  # the page's edge, in the flowable's space
                hidden_table(canvas, marker, self.data[0], self.figure.data, self.data[1], left, right, self.height)
        self.sink.append(Slot(canvas.getPageNumber(), round(x, 3), round(y, 3), self.figure, mcid))


HIDDEN_SIZE = 1.0  # points: the invisible data table's type (a row a line, in the page's margin)
HIDDEN_LEADING = 7.0  # points between its lines (less where rows are many): extraction chains lines under 3 pt apart
HIDDEN_GAP = 8.0  # points right of the chart's box, in the page's margin
HIDDEN_EDGE = 4.0  # points its lines keep from the page's edge
HIDDEN_CELL_GAP = 4.0  # points between two cells of a line: more than text extraction joins into one word (3 pt)


def hidden_table(canvas, marker, table, data: bp.DataTable, faces, x: float, right: float, top: float) -> None:
    """A chart's data as a tagged table of invisible text (render mode 3): Caption, then a row of column headers (TH,
    scope Column) and a row per category whose first cell is its row header (TH, scope Row); assistive technology
    reads it (through the structure), nobody sees it. It is set in the page's margin right of the chart, from `x` to
    `right`, a row a line (a row too long for the margin goes on over more lines), from the chart's `top` down: drawn
    over the chart, its words would mix with the chart's own in text extraction and search ("Fin700land"); its lines
    are spaced so extraction does not chain them into one."""
    rows = [data.header, *data.rows]
    leading = min(HIDDEN_LEADING, top / (len(rows) + 2))
    at = [x, top - leading]  # where the next text goes

    def newline() -> None:
        at[0], at[1] = x, at[1] - leading

    def draw(text: str, node) -> None:
        with marker.content(canvas, node):
            t = canvas.beginText(*at)
            t.setTextRenderMode(3)
            for font, piece in faces.runs(text, faces.regular):
                font = font or faces.regular
                t.setFont(font, HIDDEN_SIZE)
                chunk = ""
                for ch in piece:
                    if chunk and t.getX() + stringWidth(chunk + ch, font, HIDDEN_SIZE) > right:
                        t.textOut(chunk)
                        newline()
                        t.setTextOrigin(*at)
                        chunk = ""
                    chunk += ch
                t.textOut(chunk)
            canvas.drawText(t)
            at[0] = t.getX() + HIDDEN_CELL_GAP

    draw(data.caption, table.sub("Caption"))
    for i, row in enumerate(rows):
        newline()
        tr = table.sub("TR")
        for j, cell in enumerate(row):
            if i == 0:
                node = tr.sub("TH", attrs={"O": "Table", "Scope": "Column"})
            elif j == 0:
                node = tr.sub("TH", attrs={"O": "Table", "Scope": "Row"})
            else:
                node = tr.sub("TD")
            tr.reserve(node)
            if cell:
                if at[0] > x and at[0] + stringWidth(cell, faces.regular, HIDDEN_SIZE) > right:
                    newline()  # the cell on a line of its own rather than cut
                draw(cell, node)


class KeyGrid(Flowable):
    """Key-figure cards in rows that each fill the width: every card has the same tint and top rule, and the cards of
    a row share its height."""

    GAP = bp.KEY_GAP
    PAD = bp.KEY_PAD
    RULE = 2.5

    def __init__(self, rows: list[list[list[Flowable]]], fill: Color, rule: Color):
        super().__init__()
        self.rows = rows
        self.fill, self.rule = fill, rule

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.layout = []
        total = 0.0
        for row in self.rows:
            w = (availWidth - self.GAP * (len(row) - 1)) / len(row)
            stacks = [Stack(card) for card in row]
            h = max(st.wrap(w - 2 * self.PAD, availHeight)[1] for st in stacks) + 2 * self.PAD + self.RULE
            self.layout.append((w, h, stacks))
            total += h
        self.height = total + self.GAP * (len(self.rows) - 1)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if at_top(self) and len(self.rows) > 1:  # taller than a page: a grid per row
            return [KeyGrid([row], self.fill, self.rule) for row in self.rows]
        if at_top(self):  # one row taller than a page: its cards' text, one after another
            return [part for card in self.rows[0] for part in card]
        return []

    def draw(self):
        canvas = self.canv
        top = self.height
        for w, h, stacks in self.layout:
            for i, stack in enumerate(stacks):
                x = i * (w + self.GAP)
                canvas.saveState()
                canvas.setFillColor(self.fill)
                canvas.rect(x, top - h, w, h, stroke=0, fill=1)
                canvas.setFillColor(self.rule)
                canvas.rect(x, top - self.RULE, w, self.RULE, stroke=0, fill=1)
                canvas.restoreState()
                stack.drawOn(canvas, x + self.PAD, top - self.RULE - self.PAD - stack.height)
            top -= h + self.GAP
