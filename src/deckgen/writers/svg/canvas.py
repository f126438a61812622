"""An SVG canvas in points: rectangles, lines, text lines and text frames set with the planner's own line breaking."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ...inline import Run
from ...layout.slides import Frame

BASELINE = 0.78  # where the baseline sits in a line at 100 % spacing (Carlito: win ascent 0.952 of its 1.22 em line)


@dataclass(frozen=True)
class TextBox:
    """One text frame as drawn: what it is (title, body, figure 1, …), its frame and the lines it holds."""

    name: str
    frame: Frame
    lines: tuple[str, ...]


@dataclass(frozen=True)
class P:
    """A paragraph to set: runs, size, look, left margin (and the bullet hanging in it), space before, line spacing."""

    runs: tuple[Run, ...]
    size: float
    colour: str = "222222"
    bold: bool = False
    italic: bool = False
    margin: float = 0.0
    bullet: str = ""
    bullet_colour: str | None = None
    space_before: float = 0.0
    spacing: float = 1.0
    align: str = "start"  # start, end (the slide number)


@dataclass
class Canvas:
    """SVG elements of one slide (in points) and the text boxes set on it."""

    width: float
    height: float
    fonts: object  # deckgen.typeset.Fonts: wrap() and line_em, the planner's own measuring
    family: str = "Carlito"
    parts: list[str] = field(default_factory=list)
    boxes: list[TextBox] = field(default_factory=list)

    def rect(self, f: Frame, fill: str, stroke: str | None = None, width: float = 0.75) -> None:
        line = f' stroke="#{stroke}" stroke-width="{width:g}"' if stroke else ""
        self.parts.append(f'<rect x="{f.x:.2f}" y="{f.y:.2f}" width="{f.w:.2f}" height="{f.h:.2f}" fill="{_fill(fill)}"{line}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1.0, dash: bool = False) -> None:
        d = ' stroke-dasharray="4 3"' if dash else ""
        self.parts.append(f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="#{colour}" stroke-width="{width:g}"{d}/>')

    def raw(self, svg: str) -> None:
        self.parts.append(svg)

    def text(self, x: float, y: float, s: str, size: float, colour: str, bold: bool = False, italic: bool = False,
             anchor: str = "start", rotate: float | None = None) -> None:
        """One line of text with its baseline at y."""
        attrs = f' font-weight="bold"' if bold else ""
        attrs += ' font-style="italic"' if italic else ""
        attrs += f' text-anchor="{anchor}"' if anchor != "start" else ""
        attrs += f' transform="rotate({rotate:g} {x:.2f} {y:.2f})"' if rotate else ""
        self.parts.append(f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size:g}" fill="#{colour}"{attrs} xml:space="preserve">{escape(s)}</text>')

    def textbox(self, name: str, f: Frame, paras: Sequence[P], anchor: str = "t", inset_x: float = 7.2, inset_y: float = 3.6,
                columns: int = 1, gap: float = 0.0) -> TextBox:
        """Set paragraphs in a frame as PowerPoint does: wrapped at the frame's width less insets and margin, the first
        paragraph's space before dropped, anchored top, middle or bottom; in `columns` columns `gap` apart, the lines
        flowing on into the next column where one is full. Returns (and records) the lines."""
        laid: list[tuple[P, list[str], float]] = []  # paragraph, its lines, its line height
        total = 0.0
        column_w = (f.w - 2 * inset_x - (columns - 1) * gap) / columns
        for k, p in enumerate(paras):
            width = column_w - p.margin
            lines = self.fonts.wrap(p.runs, p.size, width, p.bold) if p.runs else [""]
            lh = p.size * self.fonts.line_em * p.spacing
            total += (p.space_before if k else 0.0) + lh * len(lines)
            laid.append((p, lines, lh))
        top = f.y + inset_y
        if anchor == "b":
            top = f.y + f.h - inset_y - total
        elif anchor == "m":
            top = f.y + (f.h - total) / 2
        y = top
        out: list[str] = []
        column, bottom = 0, f.y + f.h - inset_y
        for k, (p, lines, lh) in enumerate(laid):
            y += p.space_before if k else 0.0
            for i, s in enumerate(lines):
                if columns > 1 and y + lh > bottom and column < columns - 1:  # on into the next column
                    column, y = column + 1, top
                base = y + lh * BASELINE / p.spacing if p.spacing > 1 else y + lh * BASELINE
                x = f.x + inset_x + column * (column_w + gap) + p.margin
                if p.align == "end":
                    self.text(f.x + f.w - inset_x, base, s, p.size, p.colour, p.bold, p.italic, "end")
                else:
                    if i == 0 and p.bullet:
                        self.text(x - min(p.margin, 24.0), base, p.bullet, p.size,
                                  p.bullet_colour or p.colour, p.bold)
                    self.text(x, base, s, p.size, p.colour, p.bold, p.italic)
                out.append(s)
                y += lh
        box = TextBox(name, f, tuple(out))
        self.boxes.append(box)
        return box

    def svg(self) -> str:
        """The slide as a standalone SVG document, 1 user unit = 1 pt."""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'width="{self.width:g}pt" height="{self.height:g}pt" viewBox="0 0 {self.width:g} {self.height:g}" '
                f'font-family="{escape(self.family)}, Calibri, sans-serif">' + "".join(self.parts) + "</svg>")


def _fill(colour: str) -> str:
    return "none" if colour == "none" else f"#{colour}"
