"""Measure text with the real advance widths of the bundled TrueType fonts and wrap it as PowerPoint does (pure)."""
from __future__ import annotations

import logging
import struct
from functools import lru_cache
from pathlib import Path

from . import sfnt
from .inline import Run
from .memo import Memo


def _quiet_font_stamps(record: logging.LogRecord) -> bool:
    """fontTools notes Carlito's old 'created' stamp whenever it reads the font: true, harmless, noisy."""
    return "timestamp seems very low" not in record.getMessage()


logging.getLogger("fontTools.ttLib.tables._h_e_a_d").addFilter(_quiet_font_stamps)


class FontMetrics:
    """Advance widths (in em) of one TrueType face, read once; unknown characters take the width of '0'."""

    def __init__(self, path: Path) -> None:
        try:  # the common case read directly (sfnt.py); anything unusual by fontTools
            f = sfnt.Face(path)
            upem = f.units_per_em()
            cmap = f.best_cmap() or {}
            advances, n = f.advances()
            last = advances[-1]
            self._em = {cp: (advances[g] if g < n else last) / upem for cp, g in cmap.items()}
        except (sfnt.Unsupported, OSError, struct.error):
            from fontTools.ttLib import TTFont

            font = TTFont(str(path), lazy=True)
            upem = font["head"].unitsPerEm
            cmap = font.getBestCmap()
            hmtx = font["hmtx"].metrics
            self._em = {cp: hmtx[g][0] / upem for cp, g in cmap.items()}
            font.close()
        self._fallback = self._em.get(ord("0"), 0.5)

    def width(self, text: str, size: float) -> float:
        """The advance width of `text` at `size` pt, in pt (no kerning: errs slightly wide)."""
        em = self._em
        fb = self._fallback
        return size * sum(em.get(ord(c), fb) for c in text)


@lru_cache(maxsize=None)
def face(path: Path) -> FontMetrics:
    """The metrics of the font file at `path` (cached)."""
    return FontMetrics(path)


@lru_cache(maxsize=None)
def line_em(path: Path) -> float:
    """Line height at 100 % spacing, in em, from the face's own tables, to two decimals: the largest of hhea ascent +
    descent + line gap (PowerPoint), OS/2 win ascent + descent and typo ascender - descender + line gap (LibreOffice
    takes one or the other by font): Carlito and Calibri 2500 / 2048 units = 1.22 by all three; DejaVu Sans 1.16 by
    hhea, 1.2 by typo."""
    try:
        f = sfnt.Face(path)
        return round(max(f.line_heights()) / f.units_per_em(), 2)
    except (sfnt.Unsupported, OSError, struct.error):
        pass
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    upem = font["head"].unitsPerEm
    hhea = font["hhea"]
    heights = [hhea.ascent - hhea.descent + hhea.lineGap]
    if "OS/2" in font:
        os2 = font["OS/2"]
        heights += [os2.usWinAscent + os2.usWinDescent, os2.sTypoAscender - os2.sTypoDescender + os2.sTypoLineGap]
    font.close()
    return round(max(heights) / upem, 2)


Faces = dict[tuple[bool, bool], FontMetrics]  # (bold, italic) -> metrics of that face of a family


def _pieces(runs: tuple[Run, ...], bold: bool) -> list[tuple[str, bool, bool]]:
    """Runs as (text, bold, italic) pieces."""
    return [(r.text, bold or r.bold, r.italic) for r in runs if r.text]


_WRAPPED: Memo[tuple, tuple[str, ...]] = Memo(50_000)  # wrap()'s answers: a session re-plans only what changed


def wrap(runs: tuple[Run, ...], faces: Faces, size: float, width: float, bold: bool = False) -> list[str]:
    """The lines the runs take in a box `width` pt wide: break at spaces; a word longer than a line breaks by glyph.

    Like PowerPoint, trailing spaces hang past the right edge and do not force a break. Answers are remembered (by
    the runs, the faces — read once per font file, so their identity names them —, size, width and weight).
    """
    key = (tuple(runs), tuple(id(faces[k]) for k in sorted(faces)), size, width, bold)
    try:
        lines = _WRAPPED.get(key)
    except TypeError:  # runs that cannot be hashed: measured every time
        return _wrap(runs, faces, size, width, bold)
    if lines is None:
        lines = _WRAPPED.keep(key, tuple(_wrap(runs, faces, size, width, bold)))
    return list(lines)


def _wrap(runs: tuple[Run, ...], faces: Faces, size: float, width: float, bold: bool = False) -> list[str]:
    # words as lists of (char, metrics) so that mixed bold/italic inside a word measure correctly
    words: list[list[tuple[str, FontMetrics]]] = [[]]
    spaces: list[float] = []  # width of the space before each word (after the first)
    for text, b, i in _pieces(runs, bold):
        fm = faces[(b, i)]
        for c in text:
            if c in " \t\n":
                if words[-1]:
                    words.append([])
                    spaces.append(fm.width(" ", size))
                elif len(words) > 1:
                    pass  # several spaces collapse (the planner folds them anyway)
            else:
                words[-1].append((c, fm))
    if not words[-1]:
        words.pop()
        if spaces:
            spaces.pop()
    lines: list[str] = []
    line, used = "", 0.0
    for k, word in enumerate(words):
        text = "".join(c for c, _ in word)
        w = sum(fm.width(c, size) for c, fm in word)
        gap = spaces[k - 1] if k and line else 0.0
        if line and used + gap + w <= width:
            line, used = line + " " + text, used + gap + w
            continue
        if line:
            lines.append(line)
            line, used = "", 0.0
        if w <= width:
            line, used = text, w
            continue
        # a word longer than the line: break it between glyphs
        for c, fm in word:
            cw = fm.width(c, size)
            if line and used + cw > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + c, used + cw
    if line or not lines:
        lines.append(line)
    return lines

