"""The brief's tables: caption above, the header row repeated on every page the table runs onto, source below.

A table sits in the text column (flush right, as the body text) or, when the planner found it too wide, across the
rail and the column. Its caption stands above it rather than in the rail beside it: a table is read from its caption
down, it may run over several pages (a caption in the rail would stand beside the first page's rows only), and a wide
table takes the rail's room.
"""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from ...layout import brief as bp
from .flow import Para as Paragraph
from .flow import at_top, table
from .tags import Node, tag

RULE_HEAVY = 1.0  # above the header and under the last row
RULE_HEAD = 0.6  # under the header, above the total row
RULE_HAIR = 0.3  # between body rows
HAIR = HexColor("#BFC6D1")  # the hairline between body rows
KEEP_WHOLE = 5  # a table (or the rest of one) of this many body rows or fewer never splits
MIN_ROWS = 2  # body rows a page keeps at the least, before and after a break


class TableFlow(Flowable):
    """A caption, a table part and a source as one unit; it splits between rows only, leaving at least two body rows
    on each page (the total row goes with the row before it), with the header row at the top of every part, the
    caption on the first part and the source under the last."""

    def __init__(self, block: bp.Table, cells: list[list[Flowable]], header: list[Flowable], style: list,
                 caption: Flowable | None, source: Flowable | None, x: float, first: int = 0, last: int | None = None):
        super().__init__()
        self.block, self.cells, self.header, self.style = block, cells, header, style
        self.caption, self.source, self.x = caption, source, x
        self.first, self.last = first, len(cells) if last is None else last

    def getSpaceBefore(self):
        return 10.0 if self.caption is not None else 0.0

    def getSpaceAfter(self):
        return 12.0 if self.source is not None else 0.0

    def _table(self, first: int, last: int) -> Table:
        rows = [self.header] + self.cells[first:last]
        t = table(rows, self.header[0].style.fontName, colWidths=[float(w) for w in self.block.widths], repeatRows=1,
                  hAlign="LEFT")
        commands = list(self.style)
        for i, r in enumerate(self.block.rows[first:last], 1):
            if r.key:
                commands.append(("BACKGROUND", (0, i), (-1, i), self.tint))
            if r.total:
                commands.append(("LINEABOVE", (0, i), (-1, i), RULE_HEAD, self.ink))
            if i < last - first and not r.total:
                commands.append(("LINEBELOW", (0, i), (-1, i), RULE_HAIR, self.hair))
        commands.append(("LINEBELOW", (0, -1), (-1, -1), RULE_HEAVY if last == len(self.cells) else RULE_HEAD, self.ink))
        t.setStyle(TableStyle(commands))
        return t

    def _parts(self, first: int, last: int, caption: bool, source: bool) -> list[Flowable]:
        return [p for p in (self.caption if caption else None, self._table(first, last), self.source if source else None)
                if p is not None]

    def wrap(self, availWidth, availHeight):
        width = sum(float(w) for w in self.block.widths)
        self.parts = self._parts(self.first, self.last, self.caption is not None, self.source is not None)
        self.sizes = [p.wrap(width, availHeight) for p in self.parts]
        self.width, self.height = availWidth, sum(h for _, h in self.sizes)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if self.last - self.first <= KEEP_WHOLE and not at_top(self):
            return []  # a short table goes to the next page whole
        width = sum(float(w) for w in self.block.widths)
        full = self._table(self.first, self.last)
        full.wrap(width, 1e9)
        heights = list(full._rowHeights)
        room = availHeight - heights[0]
        if self.caption is not None:
            room -= self.caption.wrap(width, availHeight)[1]
        n = self.last - self.first
        k = 0
        while k < n and room - heights[1 + k] >= -1e-6:
            room -= heights[1 + k]
            k += 1
        if k >= n:  # every row fits but not the source: the last rows go over with it
            k = n - MIN_ROWS
        if 0 < k < n and self.block.rows[self.first + k].total:
            k -= 1  # the total row never starts a page
        k = min(k, n - MIN_ROWS) if n - k < MIN_ROWS else k
        if k < MIN_ROWS and not (at_top(self) and k >= 1):
            if not at_top(self):
                return []
            k = 1  # a page that holds less than two rows: one row a page rather than fail
        cut = self.first + k
        head = TableFlow(self.block, self.cells, self.header, self.style, self.caption, None, self.x, self.first, cut)
        tail = TableFlow(self.block, self.cells, self.header, self.style, None, self.source, self.x, cut, self.last)
        for part in (head, tail):
            part.tint, part.ink, part.hair = self.tint, self.ink, self.hair
        return [head, tail]

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        for part, (_, h) in zip(self.parts, self.sizes):
            part.drawOn(canvas, x + self.x, top - h)
            top -= h


def table_flowable(b: bp.Table, s) -> TableFlow:
    """The table block as a flowable of the story `s` (story.py's _Story: styles, faces)."""
    st = s.st
    styles = {}
    for align in ("left", "right"):
        for bold in (False, True):
            styles[align, bold] = ParagraphStyle(f"table_{align}_{int(bold)}", parent=st.table,
                                                 fontName=s.faces.bold if bold else s.faces.regular,
                                                 alignment=TA_RIGHT if align == "right" else TA_LEFT)
    head_style = {a: ParagraphStyle(f"table_head_{a}", parent=styles[a, True], textColor=st.primary) for a in ("left", "right")}
    node = s.under().sub("Table")
    header = [Paragraph(s.c(text), head_style[a]) for text, a in zip(b.header, b.align)]
    cells = [[Paragraph(s.c(text), styles[a, r.key or r.total]) for text, a in zip(r.cells, b.align)] for r in b.rows]
    caption_node = node.sub("Caption")
    node.reserve(caption_node)
    tag_rows(node, [header, *cells], header_rows=1)
    pad_x, pad_y = bp.TABLE_PAD_X, bp.TABLE_PAD_Y
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad_x), ("RIGHTPADDING", (0, 0), (-1, -1), pad_x),
        ("TOPPADDING", (0, 0), (-1, -1), pad_y), ("BOTTOMPADDING", (0, 0), (-1, -1), pad_y),
        ("LINEABOVE", (0, 0), (-1, 0), RULE_HEAVY, st.primary), ("LINEBELOW", (0, 0), (-1, 0), RULE_HEAD, st.primary),
    ]
    width = sum(float(w) for w in b.widths)
    caption = tag(Paragraph(f"<b>{s.c(b.label)}</b> {s.c(b.title)}",
                            ParagraphStyle("table_caption", parent=st.caption, spaceAfter=4)), caption_node)
    source = s.tag(Paragraph(s.c(b.source), st.source), "P") if b.source else None
    x = 0.0 if b.wide else float(s.plan.page.frame_width) - width
    flow = TableFlow(b, cells, header, style, caption, source, x)
    flow.tint, flow.ink, flow.hair = st.light, st.primary, HAIR
    return flow


def tag_rows(table: Node, rows: list[list], header_rows: int = 0) -> None:
    """Tag a table's cells (flowables, or '' for an empty cell) row by row: TR > TH (column headers, the first
    `header_rows` rows) or TD; every cell keeps its place, empty or not."""
    for i, row in enumerate(rows):
        tr = table.sub("TR")
        table.reserve(tr)
        head = i < header_rows
        for cell in row:
            node = tr.sub("TH", attrs={"O": "Table", "Scope": "Column"}) if head else tr.sub("TD")
            tr.reserve(node)
            if not isinstance(cell, str):
                tag(cell, node)
