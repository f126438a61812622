"""The brief's fonts in reportlab: register the theme's family and the fallback faces, pick a face per character.

reportlab keeps registered fonts in a process-wide table keyed by name; registering is idempotent (a name is
registered once). Everything else about one brief's fonts travels in a `Faces` value, never in module state.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ... import fonts as _fontcov
from ...errors import RenderError
from ...memo import Memo
from ...inline import Note, Run
from ...scripts import joined
from ...typeset import Typesetting


class _Font(TTFont):
    """A TrueType face whose text widths are remembered: reportlab measures the same words again and again (each
    wrap of a paragraph, its split, then the drawing of its justified lines), and again in every build of a session."""

    def stringWidth(self, text, size, encoding="utf8"):
        memo = self.__dict__.get("_widths")
        if memo is None:
            memo = self._widths = Memo(200_000)
        width = memo.get((text, size))
        return width if width is not None else memo.keep((text, size), super().stringWidth(text, size, encoding))


@dataclass(frozen=True)
class Faces:
    """The registered names of the theme's four faces, and what sets the characters the regular face lacks:
    the primary face (for coverage) and the fallback faces with their registered names, preferred first."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    primary: tuple[_fontcov.FontFile, ...] = ()
    fallbacks: tuple[tuple[str, _fontcov.FontFile], ...] = ()

    def runs(self, text: str, font: str | None) -> list[tuple[str | None, str]]:
        """`text` cut into (font name, piece) runs: characters the theme's font (`font`) lacks go to the first fallback
        that has them; one no face has (the planner already replaced those) becomes U+FFFD from a face that has it."""
        runs: list[tuple[str | None, str]] = []
        for ch in text:
            name = font
            if self.primary and not _fontcov.drawable(ch, self.primary):
                name = next((n for n, f in self.fallbacks if _fontcov.drawable(ch, (f,))), None)
                if name is None:  # never a blank box
                    name = next((n for n, f in self.fallbacks if _fontcov.drawable(_fontcov.REPLACEMENT, (f,))), font)
                    ch = _fontcov.REPLACEMENT if name != font else "?"
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + ch)
            else:
                runs.append((name, ch))
        return runs

    def cover(self, text: str) -> str:
        """Escaped paragraph markup for `text`, characters the theme's font lacks set in the first fallback that has
        them; Arabic in its joined (contextual) forms, still in logical order (Para orders each line)."""
        text = joined(text)
        if not self.primary or _fontcov.drawable_all(text, self.primary):
            return escape(text)
        return "".join(escape(piece) if name is None else f'<font face="{name}">{escape(piece)}</font>'
                       for name, piece in self.runs(text, None))


PLAIN = Faces("", "", "", "")  # no coverage check: markup only escapes (for callers outside a brief)


def register(ctx: Typesetting, fallback_chars: str) -> Faces:
    """Register the theme's faces and the fallback faces `fallback_chars` needs (from `ctx.fonts.fallbacks`)."""
    names = _register_family(ctx)
    registered = set(pdfmetrics.getRegisteredFontNames())
    out: list[tuple[str, _fontcov.FontFile]] = []
    for face in ctx.fonts.fallbacks:
        chars = "".join(c for c in fallback_chars if _fontcov.drawable(c, (face,)))
        if not chars:
            continue
        truetype = _fontcov.is_truetype(face)
        name = "deckgen-fb-" + face.key
        if not truetype:  # a per-document subset: its name says which characters it holds
            name += "-" + hashlib.sha256(chars.encode("utf-8")).hexdigest()[:10]
        if name not in registered:
            try:
                if truetype:
                    pdfmetrics.registerFont(_Font(name, str(face.path), subfontIndex=face.index))
                else:
                    data = io.BytesIO(_fontcov.truetype_subset(face, chars, name))
                    data.name = name + ".ttf"  # reportlab keys font data by file name: one name per subset
                    pdfmetrics.registerFont(_Font(name, data))
            except Exception:  # a font reportlab cannot embed: skip it and fall through to U+FFFD
                continue
        out.append((name, face))
    primary = (_fontcov.FontFile(ctx.fonts.family.regular),)
    return Faces(names.regular, names.bold, names.italic, names.bold_italic, primary, tuple(out))


def _register_family(ctx: Typesetting) -> Faces:
    """Register the theme's four faces (TrueType, embedded as subsets) and map <b>/<i> to them."""
    family = ctx.fonts.family
    names = Faces(family.name, f"{family.name}-Bold", f"{family.name}-Italic", f"{family.name}-BoldItalic")
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in zip(
        (names.regular, names.bold, names.italic, names.bold_italic),
        (family.regular, family.bold, family.italic, family.bold_italic),
    ):
        if name in registered:
            continue
        try:
            pdfmetrics.registerFont(_Font(name, str(path)))
        except Exception as exc:  # a missing or broken font file
            raise RenderError(f"cannot use font file {path}: {exc}") from exc
    pdfmetrics.registerFontFamily(
        family.name, normal=names.regular, bold=names.bold, italic=names.italic, boldItalic=names.bold_italic
    )
    return names


NOTE_CB = "deckgen_note"  # the canvas callback a footnote marker calls where it is drawn (label: its number)


def markup(runs: tuple[Run, ...] | list[Run], faces: Faces, link_colour: str, foot: bool = False) -> str:
    """Paragraph markup for inline runs: every run's text escaped, links as <a href> with the URL attribute-quoted;
    a footnote marker as a superscript number linked to `#note-N`, which with `foot` also tells the canvas
    (callback NOTE_CB) on which page it is drawn."""
    out = []
    for run in runs:
        if isinstance(run, Note):
            if run.text:
                n = escape(run.text)
                out.append(f"<a href={attr('#note-' + run.text)} color={attr(link_colour)}>"
                           f"<super size={attr('66%')} rise={attr('40%')}>{n}</super></a>"
                           + (f"<onDraw name={attr(NOTE_CB)} label={attr(run.text)}/>" if foot else ""))
            continue
        piece = faces.cover(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.url:
            piece = f"<a href={attr(run.url)} color={attr(link_colour)}><u>{piece}</u></a>"
        out.append(piece)
    return "".join(out)


def attr(value: str) -> str:
    """A double-quoted markup attribute value."""
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten a one-line text with an ellipsis so it fits the width."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"
