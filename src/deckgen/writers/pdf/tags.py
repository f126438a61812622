"""The brief's logical structure as it is drawn: structure nodes on flowables, marked content (BDC/EMC, MCIDs) on the canvas.

reportlab writes no tags. The story builder (story.py) gives each flowable that carries content a structure `Node`
(P, H1, LI, TD, …); when the flowable is drawn, its drawing becomes one marked-content sequence with the next MCID
of its page, recorded on the node. Everything drawn outside such a sequence — footers, page numbers, rules, panel
tints, table lines — falls inside the page's default `/Artifact` sequence, so nothing is left untagged. A node joins
its parent's children when its first content is drawn, so the tree's order is the order of the page (a figure that
floated to the next page is read where it is printed); children whose order is known in advance (a figure's caption,
chart and data) are reserved in that order. structure.py turns the tree into the PDF's structure tree (pikepdf).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """One marked-content sequence: 1-based page, MCID on that page."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Link:
    """A link annotation, the `index`-th link drawn on `page`, with its target (URL or #anchor)."""

    page: int
    index: int
    target: str


@dataclass(eq=False)
class Node:
    """A structure element: its role (a standard structure type), what assistive technology reads instead of its
    content (`alt`, for figures), its language where it differs from the document's, its attributes (a table
    header's scope), an /ID (notes), and its children in reading order: nodes, marks and links."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    lang: str | None = None
    ident: str | None = None
    attrs: dict | None = None
    kids: list = field(default_factory=list)
    listed: bool = False  # in its parent's kids
    placed: bool = False  # it and its ancestors listed (place() has run)
    box: tuple[int, float, float, float, float] | None = None  # a figure's page and bounding box (x0, y0, x1, y1)

    def sub(self, role: str, **kw) -> Node:
        """A new child node (it joins this node's children when its content is drawn)."""
        return Node(role, self, **kw)

    def reserve(self, *children: Node) -> None:
        """Fix the order of children that will be drawn in another order (pruned if they draw nothing)."""
        for child in children:
            if not child.listed:
                self.kids.append(child)
                child.listed = True

    def place(self) -> None:
        """This node has content: it and its ancestors join their parents' children (once)."""
        node = self
        while node.parent is not None and not node.placed:
            if not node.listed:
                node.parent.kids.append(node)
                node.listed = True
            node.placed = True  # it and every ancestor are listed now
            node = node.parent

    def has_content(self) -> bool:
        return any(not isinstance(k, Node) or k.has_content() for k in self.kids)


def tag(flowable, node: Node):
    """Mark `flowable` as the content of `node`; returns it. Parts it splits into stay the node's (see `Para.split`,
    `carry`); drawn a second time (a table's header row on the next page), it is an artifact."""
    flowable._node = node
    return flowable


def carry(source, parts: list) -> list:
    """Split parts keep their whole's node (and a list item's Lbl and LBody)."""
    node = getattr(source, "_node", None)
    if node is not None:
        for part in parts:
            if getattr(part, "_node", None) is None:
                part._node = node
                part._li = getattr(source, "_li", None)
    return parts


class Tagged:
    """A flowable mix-in: drawn as its node's content (`tag`), else as an artifact."""

    def drawOn(self, canvas, x, y, _sW=0):
        draw_tagged(self, canvas, lambda: super(Tagged, self).drawOn(canvas, x, y, _sW))


class Marker:
    """One typesetting pass's marked content: MCIDs per page, the open sequence, the default artifact, the links."""

    def __init__(self, root: Node):
        self.root = root
        self.next: dict[int, int] = {}
        self.current: Node | None = None
        self.artifact = False
        self.links: dict[int, list[tuple[str, Node]]] = {}  # page -> (target, the node it was drawn in), in order
        self.bullet: tuple[Node, Node] | None = None  # (Lbl, LBody) of a list item whose bullet is about to be drawn

    def mcid(self, page: int) -> int:
        n = self.next.get(page, 0)
        self.next[page] = n + 1
        return n

    def begin_page(self, canvas) -> None:
        """A new page: everything is an artifact until a node's content starts."""
        canvas._code.append("/Artifact BMC")
        self.artifact = True

    def end_page(self, canvas) -> None:
        if self.artifact:
            canvas._code.append("EMC")
            self.artifact = False

    def mark(self, canvas, node: Node) -> Mark:
        """A new mark of `node` on the canvas's page (its content drawn now, or placed later: a chart)."""
        page = canvas.getPageNumber()
        m = Mark(page, self.mcid(page))
        node.place()
        node.kids.append(m)
        return m

    def open(self, canvas, node: Node) -> None:
        if self.artifact:
            canvas._code.append("EMC")
        m = self.mark(canvas, node)
        canvas._code.append(f"/{node.role} <</MCID {m.mcid}>> BDC")
        self.current = node

    def close(self, canvas, artifact: bool) -> None:
        canvas._code.append("EMC")
        self.current = None
        if artifact:
            canvas._code.append("/Artifact BMC")
        self.artifact = artifact

    @contextmanager
    def content(self, canvas, node: Node) -> Iterator[None]:
        """What is drawn inside is `node`'s content (inside another node's content: that node's)."""
        if self.current is not None:
            yield
            return
        artifact = self.artifact
        self.open(canvas, node)
        try:
            yield
        finally:
            self.close(canvas, artifact)

    def link(self, canvas, target: str) -> None:
        """A link annotation is being made on the canvas's page, inside the open node (or the document)."""
        self.links.setdefault(canvas.getPageNumber(), []).append((target, self.current or self.root))

    def text_drawn(self, canvas, draw) -> None:
        """A text object is drawn (`draw()`): a list item's bullet becomes its Lbl, what follows its LBody."""
        if self.bullet is None:
            draw()
            return
        lbl, body = self.bullet
        self.bullet = None
        self.open(canvas, lbl)
        draw()
        self.close(canvas, False)
        self.open(canvas, body)


def draw_tagged(flowable, canvas, draw) -> None:
    """Draw `flowable` (`draw()` does it) as its node's content, or as an artifact when it has none or was drawn."""
    marker: Marker | None = getattr(canvas, "marker", None)
    node: Node | None = getattr(flowable, "_node", None)
    if marker is None or node is None or marker.current is not None:
        draw()
        return
    if getattr(flowable, "_drawn_on", None) is not None:  # drawn before: a repeated header row
        draw()
        return
    flowable._drawn_on = canvas.getPageNumber()
    li = getattr(flowable, "_li", None)
    if li is not None and getattr(flowable, "bulletText", None) and not getattr(flowable, "_rtl", None):
        artifact = marker.artifact
        marker.bullet = li  # the bullet's text object opens Lbl, then LBody (Marker.text_drawn)
        try:
            draw()
        finally:
            if marker.bullet is None:  # the bullet was drawn: LBody is open
                marker.close(canvas, artifact)
            marker.bullet = None
        return
    with marker.content(canvas, li[1] if li is not None else node):
        draw()
