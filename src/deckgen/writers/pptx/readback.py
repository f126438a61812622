"""Read an edited deck back as plain data for `deckgen pull`: per slide its marker, title, body, notes, figures, chart."""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from urllib.parse import unquote

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from ...deckmap import MARK
from ...errors import DeckgenError
from ...inline import Run, to_markup
from .ids import read_custom_properties

# shapes deckgen draws itself (by name, which LibreOffice keeps for ordinary shapes): not a user's free text
OWN_NAMES = ("Key figure", "Accent rule", "Accent edge", "Panel", "Chart", "Source", "Table", "Logo", "Credit",
             "Target line", "Target label", "Picture", "Column", "Nameplate", MARK)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
FURNITURE = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)


@dataclass
class ChartData:
    """A chart's data as the deck holds it (the chart's own cache, which Edit Data and LibreOffice keep up to date)."""

    categories: list[str]
    series: list[tuple[str, list[float | None]]]


@dataclass
class SlideText:
    """One slide as read back: text as the outline's inline markup, paragraphs as (level, markup)."""

    position: int  # 1..N in the edited deck
    marker: int | None  # the slide's number in the build, None for a slide added by hand
    title: str = ""
    body: list[tuple[int, str]] = field(default_factory=list)
    notes: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # key figures: (value, label)
    chart: ChartData | None = None
    free_text: list[tuple[str, str]] = field(default_factory=list)  # (shape name, text) of shapes deckgen did not draw
    own_text: list[str] = field(default_factory=list)  # the text of deckgen's other shapes (source lines, tables, columns)


@dataclass
class DeckText:
    """A deck read back: its custom document properties and its slides."""

    properties: dict[str, str]
    slides: list[SlideText]


_BR, _R, _FLD, _T, _RPR, _LINK, _RID = (qn(t) for t in ("a:br", "a:r", "a:fld", "a:t", "a:rPr", "a:hlinkClick", "r:id"))


def paragraph_markup(p, part, heading: bool = False) -> str:
    """A paragraph's runs as inline markup: bold **…**, italic *…*, links [text](url); raised footnote numbers dropped.
    `heading`: bold on every run is the style of a title (LibreOffice writes inherited bold on each run), not markup."""
    runs: list[Run] = []
    for el in p._p:
        if el.tag == _BR:
            runs.append(Run(" "))
            continue
        if el.tag not in (_R, _FLD):
            continue
        t = el.find(_T)
        text = t.text if t is not None and t.text else ""
        rpr = el.find(_RPR)
        if rpr is None:
            runs.append(Run(text))
            continue
        if rpr.get("baseline") not in (None, "0") and text.strip().isdigit():
            continue  # a footnote marker: its note lives in the outline, not in the slide text
        link = rpr.find(_LINK)
        r_id = link.get(_RID) if link is not None else None
        url = part.rels[r_id].target_ref if r_id and r_id in part.rels and part.rels[r_id].is_external else None
        runs.append(Run(text, rpr.get("b") in ("1", "true"), rpr.get("i") in ("1", "true"), url))
    if heading and all(r.bold for r in runs if r.text.strip()):
        runs = [Run(r.text, False, r.italic, r.url) for r in runs]
    return to_markup(runs)


def _text_of(shape, part, heading: bool = False) -> str:
    return "\n".join(m for m in (paragraph_markup(p, part, heading) for p in shape.text_frame.paragraphs) if m)


def _chart_data(chart) -> ChartData | None:
    try:
        plot = chart.plots[0]
        cats = [str(c) for c in plot.categories]
        series = [(s.name or "", [None if v is None else float(v) for v in s.values]) for p in chart.plots for s in p.series]
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        return None
    return ChartData(cats, series)


def read_slide(slide, pos: int) -> SlideText:
    """One slide as text: marker, title, body, key figures, chart data, deckgen's other text, free text, notes."""
    st = SlideText(pos, None)
    part = slide.part
    for shape in slide.shapes:
        sname = shape.name or ""
        if sname.startswith(MARK) and sname[len(MARK):].isdigit():
            st.marker = int(sname[len(MARK):])
            continue
        if shape.is_placeholder:
            kind = shape.placeholder_format.type
            if kind in TITLES:
                st.title = _text_of(shape, part, heading=True).replace("\n", " ")
            elif kind in FURNITURE:
                continue
            elif shape.has_text_frame and not st.body and kind != PP_PLACEHOLDER.PICTURE:
                st.body = [(p.level, m) for p in shape.text_frame.paragraphs if (m := paragraph_markup(p, part))]
            elif shape.has_text_frame and shape.text_frame.text.strip():
                st.free_text.append((sname, shape.text_frame.text.strip()))
            continue
        if getattr(shape, "has_chart", False) and shape.has_chart:
            st.chart = _chart_data(shape.chart)
            continue
        if sname == "Key figure" and shape.has_text_frame:
            paras = [paragraph_markup(p, part) for p in shape.text_frame.paragraphs]
            first = shape.text_frame.paragraphs[0] if shape.text_frame.paragraphs else None
            value = " ".join("".join(r.text for r in first.runs).split()) if first is not None else ""
            st.figures.append((value, paras[1] if len(paras) > 1 else ""))
            st.own_text += paras[2:]
            continue
        if any(sname.startswith(own) for own in OWN_NAMES):
            if getattr(shape, "has_table", False) and shape.has_table:
                st.own_text += [" ".join(c.text.split()) for row in shape.table.rows for c in row.cells]
            elif shape.has_text_frame:
                st.own_text.append(_text_of(shape, part))
            continue
        if shape.has_text_frame and shape.text_frame.text.strip():
            st.free_text.append((sname, shape.text_frame.text.strip()))
    if slide.has_notes_slide:
        tf = slide.notes_slide.notes_text_frame
        st.notes = tf.text.replace("\x0b", "\n").strip() if tf is not None else ""
    return st


def fingerprints(st: SlideText, kind: str) -> tuple[str, str, str]:
    """Short hashes of a slide's text, of its notes and of the text `pull` does not map on a slide of `kind` (source
    lines; a chart slide's title; the cover's subtitle lines): a build records them, so that `pull` can name an edit
    it cannot carry rather than drop it."""
    def digest(value) -> str:  # LibreOffice writes a link's %xx escapes as characters
        return hashlib.sha256(unquote(json.dumps(value, ensure_ascii=False)).encode()).hexdigest()[:12]

    rest = [st.own_text, st.title if kind == "chart" else "", st.body if kind in ("title", "closing") else []]
    return digest([st.title, st.body, st.figures, st.own_text]), digest(" ".join(st.notes.split())), digest(rest)


def read_deck(data: bytes, name: str = "deck") -> DeckText:
    """The deck's slides as text and data; raises DeckgenError when the file is no presentation."""
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise DeckgenError(f"{name}: cannot be opened as a presentation ({type(exc).__name__}) — is it a .pptx file?") from None
    slides = [read_slide(slide, pos) for pos, slide in enumerate(prs.slides, 1)]
    return DeckText(read_custom_properties(prs), slides)
