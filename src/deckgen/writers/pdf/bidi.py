"""Right-to-left lines of the brief: a paragraph is broken into lines on its logical text, then each line is put in
visual order (Unicode bidi algorithm) — reportlab draws a line's pieces left to right as they come.

Arabic arrives already joined (faces.cover sets it in contextual presentation forms); a paragraph whose first strong
letter is right-to-left is set flush right, or justified with its last line flush right.
"""
from __future__ import annotations

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ... import scripts

_OBJECT = "\ufffc"  # stands in for a piece that is not text (a footnote callback, an image) while ordering a line


def paragraph_direction(frags) -> bool | None:
    """None for a paragraph without right-to-left letters, else whether its direction is right-to-left. `frags`:
    reportlab's fragments or frag words ([width, (frag, text), …]) of the paragraph."""
    texts = []
    for f in frags:
        if isinstance(f, list):
            texts += [t for _, t in f[1:] if isinstance(t, str)]
        else:
            texts.append(getattr(f, "text", "") or "")
    text = "".join(texts)
    return scripts.base_rtl(text) if scripts.has_rtl(text) else None


def rtl_style(style: ParagraphStyle, bullet: bool = False) -> ParagraphStyle:
    """The style of a right-to-left paragraph: flush right where `style` is flush left (justified stays justified,
    its last line flush right: see last_lines_right); with a `bullet`, the text keeps the bullet's room on its right
    (draw_rtl_bullet draws it there)."""
    if style.alignment not in (TA_LEFT, TA_JUSTIFY) or getattr(style, "_rtl", False):
        return style
    room = max(style.leftIndent - style.bulletIndent, 0.0) if bullet else 0.0
    out = ParagraphStyle(style.name + "_rtl", parent=style, rightIndent=style.rightIndent + room,
                         alignment=TA_RIGHT if style.alignment == TA_LEFT else TA_JUSTIFY)
    out._rtl = True
    return out


def last_lines_right(para_lines, justify_last: bool = False) -> list[float]:
    """Per-line start offsets that set the last line of a justified paragraph (and each line ended by a break)
    flush right, as right-to-left text ends — reportlab sets them flush left. `justify_last`: the paragraph is the
    first part of a split one, whose last line reportlab justifies like the others."""
    n = len(para_lines.lines) + (1 if justify_last else 0)  # no line is the last one when it is justified
    if para_lines.kind == 0:
        return [extra if i == n - 1 and extra > 0 else 0.0 for i, (extra, _) in enumerate(para_lines.lines)]
    return [line.extraSpace if (i == n - 1 or line.lineBreak) and line.extraSpace > 0 else 0.0
            for i, line in enumerate(para_lines.lines)]


def draw_rtl_bullet(para, bullet: str) -> None:
    """Draw a right-to-left paragraph's bullet right of its first line, as far from the text as a left-to-right
    bullet would be (called from the paragraph's draw, in its coordinates)."""
    style = para.style
    lines = para.blPara
    first = lines if lines.kind == 0 else lines.lines[0]
    y = para.height - getattr(first, "ascent", style.fontSize)
    room = style.leftIndent - style.bulletIndent
    x = para.width - style.rightIndent + room
    canvas = para.canv
    canvas.saveState()
    # the part of a split paragraph after the break gets a style of reportlab's own, which may lack the bullet's
    canvas.setFont(getattr(style, "bulletFontName", None) or style.fontName, getattr(style, "bulletFontSize", None) or style.fontSize)
    canvas.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
    canvas.drawRightString(x, y + getattr(style, "bulletOffsetY", 0), bullet)
    canvas.restoreState()


def visual_lines(para_lines, rtl: bool) -> None:
    """Put every line of reportlab's broken paragraph (`ParaLines`) in visual order, in place."""
    if para_lines.kind == 0:
        para_lines.lines = [(extra, _visual_words(words, rtl)) for extra, words in para_lines.lines]
    else:
        for line in para_lines.lines:
            line.words = _visual_frags(line.words, rtl)


def _visual_words(words: list[str], rtl: bool) -> list[str]:
    text = " ".join(words)
    if not scripts.has_rtl(text):
        return words
    return "".join(ch for _, ch in scripts.visual_order(text, rtl)).split(" ")


def _visual_frags(frags: list, rtl: bool) -> list:
    owners: list[int] = []
    chars: list[str] = []
    for n, f in enumerate(frags):
        text = getattr(f, "text", "")
        if hasattr(f, "cbDefn") or not isinstance(text, str) or not text:
            owners.append(n)
            chars.append(_OBJECT)
        else:
            owners += [n] * len(text)
            chars.append(text)
    line = "".join(chars)
    if not scripts.has_rtl(line):
        return frags
    out: list = []
    last, piece = -1, []

    def flush() -> None:
        f = frags[last]
        if hasattr(f, "cbDefn") or not getattr(f, "text", ""):
            out.append(f)
        else:
            g = f.clone()
            g.text = "".join(piece)
            out.append(g)

    for i, ch in scripts.visual_order(line, rtl):
        owner = owners[i]
        if owner != last and last >= 0:
            flush()
            piece = []
        last = owner
        piece.append(ch)
    if last >= 0:
        flush()
    return out
