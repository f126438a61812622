"""Plan a deck from an outline: slide kinds, order, text runs, charts, notes and frames in points (pure)."""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Literal

from ..alttext import decimals_of, describe
from ..inline import Run, clean, parse, plain
from ..metrics import LINE_EM, line_count, text_width
from ..model import Chart, Loc, Outline, Section
from ..theme import Theme

SlideKind = Literal["title", "agenda", "section", "key_figures", "bullets", "bullets_chart", "quote", "conclusions",
                   "recommendations", "chart", "sources", "closing"]
ParaStyle = Literal["bullet", "agenda", "source", "subtitle", "authors", "meta", "quote", "attribution"]
SeriesRole = Literal["data", "plan", "target"]

CONT = " (cont.)"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Text is measured with the real advance widths of the family the theme declares (metrics.py); FIT_SLACK
# narrows every measured box a little so that renderer differences (hinting, kerning) never add a line.
FIT_SLACK = 0.97
MAX_POINTS = 6  # first-level bullets on one slide
TITLE_SHRINK = 6.0  # pt: how far a long slide title may step down from the theme's size to fit its lines
MAX_AGENDA = 8
MAX_FIGURES = 4
SOURCE_SIZE = 12.0  # pt: the source line under a chart
FIGURE_PADDING = 16.0  # pt: inner margin of a key-figure panel
FIGURE_LABEL_SIZE = 20.0  # pt: the label under a key figure


@dataclass(frozen=True)
class Frame:
    """A rectangle on the slide, in points from the top-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class BodyStyle:
    """How body paragraphs are set, per level (0, 1): size, left margin (bullet hangs in it), space before."""

    sizes: tuple[float, float]
    margins: tuple[float, float]
    space_before: tuple[float, float]
    inset: float  # the text frame's inner margin on every side


@dataclass(frozen=True)
class Geometry:
    """Slide size and the frames every slide kind uses, in points."""

    width: float
    height: float
    title: Frame
    body: Frame
    chart: Frame
    source: Frame
    footer: Frame
    number: Frame
    cover_title: Frame
    cover_subtitle: Frame
    title_size: float
    cover_title_size: float
    style: BodyStyle


@dataclass(frozen=True)
class Para:
    """One paragraph: styled runs at a level (0 = bullet, 1 = sub-bullet); size None = the level's default."""

    runs: tuple[Run, ...]
    level: int = 0
    style: ParaStyle = "bullet"
    size: float | None = None
    link: int | None = None  # a slide number this paragraph links to (agenda entries)


@dataclass(frozen=True)
class Figure:
    """A key figure as drawn: the big value, its label, its source, the panel it sits in."""

    value: str
    label: tuple[Run, ...]
    source: str | None
    frame: Frame
    value_size: float


@dataclass(frozen=True)
class PlotSeries:
    """One series as drawn: name, values (None = no point), colour, role, dash."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    role: SeriesRole = "data"
    dashed: bool = False


@dataclass(frozen=True)
class ChartPlan:
    """A native chart as drawn: kind, categories and series in display order, labels, legend, alt text."""

    chart_id: str
    kind: Literal["line", "column", "bar"]
    stacked: bool
    categories: tuple[str, ...]
    series: tuple[PlotSeries, ...]
    unit: str | None
    number_format: str  # data labels
    axis_format: str  # value-axis tick labels
    data_labels: bool
    legend: bool
    first_category_on_top: bool
    alt: str
    title: str = ""  # shown inside the chart only when the slide's title is another (bullets beside the chart)


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, title runs, body paragraphs or figures or chart, source line and speaker notes."""

    number: int
    kind: SlideKind
    title: tuple[Run, ...]
    body: tuple[Para, ...] = ()
    figures: tuple[Figure, ...] = ()
    chart: ChartPlan | None = None
    source: tuple[Run, ...] = ()
    panel: Frame | None = None  # a background panel behind the body (conclusions, recommendations)
    notes: str = ""
    continued: bool = False
    loc: Loc = ()
    title_size: float | None = None  # None = the geometry's title size; set when a long title steps down
    body_frame: Frame | None = None  # None = geometry.body (bullets_chart: the left column)
    chart_frame: Frame | None = None  # None = geometry.chart (bullets_chart: the right column)
    source_frame: Frame | None = None  # None = geometry.source


@dataclass(frozen=True)
class DocInfo:
    """Document properties and the footer line."""

    title: str
    subtitle: str
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    language: str
    footer: str
    organisation: str = ""


@dataclass(frozen=True)
class DeckPlan:
    """The whole deck, laid out: document info, geometry, slides numbered 1..N."""

    info: DocInfo
    geometry: Geometry
    slides: tuple[Slide, ...]


Warnings = list[tuple[Loc, str]]

_FONT = None  # the theme's font family, set by plan_deck for the measuring helpers below


def default_geometry(theme: Theme) -> Geometry:
    """The 16:9 slide (960 x 540 pt = 13.333 x 7.5 in) and its frames."""
    w, h, mx = 960.0, 540.0, 48.0
    return Geometry(
        width=w,
        height=h,
        title=Frame(mx, 24, w - 2 * mx, 78),
        body=Frame(mx, 124, w - 2 * mx, 360),
        chart=Frame(mx, 118, w - 2 * mx, 336),
        source=Frame(mx, 458, w - 2 * mx, 38),
        footer=Frame(mx, 502, 560, 24),
        number=Frame(w - mx - 120, 502, 120, 24),
        cover_title=Frame(64, 96, w - 128, 216),
        cover_subtitle=Frame(64, 344, w - 128, 150),
        title_size=theme.deck_title_size,
        cover_title_size=40.0,
        style=BodyStyle(
            sizes=(theme.deck_body_size, theme.deck_min_body_size),
            margins=(24.0, 56.0),
            space_before=(12.0, 4.0),
            inset=7.2,
        ),
    )


def plan_deck(outline: Outline, theme: Theme) -> tuple[DeckPlan, Warnings]:
    """Lay the outline out as slides; return the plan and the located warnings (data, never printed here)."""
    global _FONT
    _FONT = theme.font
    geo = default_geometry(theme)
    warnings: Warnings = []
    options = getattr(outline, "options", None)
    notes_on = getattr(options, "speaker_notes", True)
    sources_on = getattr(options, "sources_slide", True)
    drafts: list[dict] = []

    drafts.append(_title_slide(outline, geo, warnings))
    if len(outline.sections) >= 2:
        drafts += _agenda_slides(outline, geo)
    if outline.key_figures:
        drafts += _key_figure_slides(outline, geo, warnings)
    headers = getattr(outline.theme, "section_headers", False)
    for si, section in enumerate(outline.sections):
        if headers:
            drafts.append(dict(kind="section", title=_runs(section.title),
                               body=(Para((Run(f"{si + 1:02d}"),), style="meta"),), loc=("sections", si)))
        drafts += _section_slides(outline, si, section, geo, theme, warnings)
    if sources_on and outline.sources:
        drafts += _source_slides(outline, geo)
    drafts.append(_closing_slide(outline))

    first_of = {}  # section index -> number of its first slide, for the agenda's links
    for n, d in enumerate(drafts, 1):
        loc = d.get("loc", ())
        if len(loc) == 2 and loc[0] == "sections" and d["kind"] != "agenda":
            first_of.setdefault(loc[1], n)
    for d in drafts:
        if d["kind"] == "agenda":
            d["body"] = tuple(dataclasses.replace(p, link=first_of.get(si)) for p, si in zip(d["body"], d.pop("sections")))

    for d in drafts:
        cover = d["kind"] in ("title", "closing")
        size, frame, most = (geo.cover_title_size, geo.cover_title, 4) if cover else (geo.title_size, geo.title, 2)
        smallest = size - TITLE_SHRINK
        while size > smallest and _lines(d["title"], size, frame.w - 2 * geo.style.inset, bold=True) > most:
            size -= 2  # a long title steps down a little (never more than TITLE_SHRINK) before it is reported
        if size != (geo.cover_title_size if cover else geo.title_size):
            d["title_size"] = size
        if _lines(d["title"], size, frame.w - 2 * geo.style.inset, bold=True) > most:
            warnings.append((d.get("loc", ()), f"the slide title needs more than {most} lines — shorten it"))
    slides = tuple(
        Slide(number=i, **{**d, "notes": d.get("notes", "") if notes_on else ""}) for i, d in enumerate(drafts, 1)
    )
    meta = outline.meta
    footer = " · ".join(x for x in (_one_line(meta.series or ""), format_date(meta.date), _one_line(meta.classification or "")) if x)
    info = DocInfo(
        title=plain(meta.title),
        subtitle=plain(meta.subtitle or ""),
        authors=tuple(_one_line(a) for a in meta.authors),
        keywords=tuple(_one_line(k) for k in meta.keywords),
        language=meta.language,
        footer=footer,
        organisation=_one_line(meta.organisation or ""),
    )
    return DeckPlan(info=info, geometry=geo, slides=slides), warnings


def format_date(day) -> str:
    """'19 April 2024' — written out, independent of the machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# ---------------------------------------------------------------- slides


def _title_slide(outline: Outline, geo: Geometry, warnings: Warnings) -> dict:
    meta = outline.meta
    body: list[Para] = []
    if meta.subtitle:
        body.append(Para(_runs(meta.subtitle), style="subtitle"))
    if meta.authors:
        body.append(Para((Run(", ".join(_one_line(a) for a in meta.authors)),), style="authors"))
    line = " · ".join(
        x for x in (_one_line(meta.organisation or ""), " ".join(_one_line(y) for y in (meta.series, meta.number) if y),
                    format_date(meta.date)) if x
    )
    body.append(Para((Run(line),), style="meta"))
    # cover sizes: subtitle 24 pt, authors 20, meta 18 (after 14 pt); a long subtitle steps down to 18 pt to fit
    room = geo.cover_subtitle.h - 2 * geo.style.inset
    width = geo.cover_subtitle.w - 2 * geo.style.inset
    sub_size = 24.0
    while True:
        sizes = {"subtitle": sub_size, "authors": 20.0, "meta": 18.0}
        body = [Para(p.runs, p.level, p.style, sizes[p.style]) for p in body]
        used = sum(_lines(p.runs, p.size, width) * p.size * LINE_EM + (14.0 if p.style == "meta" else 0.0) for p in body)
        if used <= room or sub_size <= 18.0:
            break
        sub_size -= 2.0
    if used > room:
        warnings.append((("meta", "subtitle"), "the subtitle, authors and series line are too long for the title slide — shorten them"))
    return dict(kind="title", title=_runs(meta.title), body=tuple(body), notes=plain(outline.lead), loc=("meta", "title"))


def _closing_slide(outline: Outline) -> dict:
    meta = outline.meta
    thanks = {"pl": "Dziękujemy", "de": "Vielen Dank", "fr": "Merci"}.get(meta.language.split("-")[0].lower(), "Thank you")
    body = []
    if meta.authors:
        body.append(Para((Run(", ".join(_one_line(a) for a in meta.authors)),), style="authors", size=20.0))
    line = " · ".join(x for x in (_one_line(meta.organisation or ""), " ".join(_one_line(y) for y in (meta.series, meta.number) if y)) if x)
    if line:
        body.append(Para((Run(line),), style="meta", size=18.0))
    return dict(kind="closing", title=(Run(thanks),), body=tuple(body), loc=("meta",))


def _agenda_slides(outline: Outline, geo: Geometry) -> list[dict]:
    paras = [Para(_runs(s.title), style="agenda") for s in outline.sections]
    chunks = _split([_para_height(p, geo) for p in paras], _capacity(geo), MAX_AGENDA)
    out = []
    for k, chunk in enumerate(chunks):
        title = (Run("Agenda" + (CONT if k else "")),)
        out.append(dict(kind="agenda", title=title, body=tuple(paras[i] for i in chunk), sections=list(chunk),
                        continued=k > 0, loc=("sections",)))
    return out


def _key_figure_slides(outline: Outline, geo: Geometry, warnings: Warnings) -> list[dict]:
    figs = outline.key_figures
    n_slides = math.ceil(len(figs) / MAX_FIGURES)
    out = []
    start = 0
    for k in range(n_slides):
        count = len(figs[start:]) // (n_slides - k) + (1 if len(figs[start:]) % (n_slides - k) else 0)
        group = figs[start : start + count]
        frames = _figure_frames(len(group), geo)
        figures = []
        notes = []
        for f, frame in zip(group, frames):
            value = _one_line(plain(f.value))
            size = _fit_size(value, frame.w - 2 * FIGURE_PADDING, 48.0, 28.0)
            label = _runs(f.label)
            source = _one_line(plain(f.source)) if f.source else None
            inner = frame.w - 2 * FIGURE_PADDING
            height = (2 * FIGURE_PADDING + size * LINE_EM + 6 + _lines(label, FIGURE_LABEL_SIZE, inner) * FIGURE_LABEL_SIZE * LINE_EM
                      + (10 + _lines((Run("Source: " + source),), SOURCE_SIZE, inner) * SOURCE_SIZE * LINE_EM if source else 0))
            if height > frame.h:
                warnings.append((("key_figures", start + len(figures)), "the key figure's label and source are too long for its panel — shorten them"))
            figures.append(Figure(value=value, label=label, source=source, frame=frame, value_size=size))
            notes.append(f"{value} — {plain(f.label)}" + (f" (Source: {plain(f.source)})" if f.source else ""))
        title = (Run("Key figures" + (CONT if k else "")),)
        out.append(dict(kind="key_figures", title=title, figures=tuple(figures), notes="\n".join(notes), continued=k > 0,
                        loc=("key_figures", start)))
        start += count
    return out


def _figure_frames(n: int, geo: Geometry) -> list[Frame]:
    gap = 24.0
    area = Frame(geo.body.x, geo.body.y + 60, geo.body.w, 240)
    w = (area.w - gap * (n - 1)) / n if n else area.w
    if n <= 2:  # two wide panels look stretched: keep them at most a third of the width, centred
        w = min(w, (area.w - 2 * gap) / 3 * 1.25)
    total = n * w + (n - 1) * gap
    x0 = area.x + (area.w - total) / 2
    return [Frame(round(x0 + i * (w + gap), 2), area.y, round(w, 2), area.h) for i in range(n)]


def _section_slides(outline: Outline, si: int, section: Section, geo: Geometry, theme: Theme, warnings: Warnings) -> list[dict]:
    out: list[dict] = []
    loc = ("sections", si)
    kind: SlideKind = section.kind if section.kind in ("conclusions", "recommendations") else "bullets"
    charts = []
    for ci, cid in enumerate(section.charts):
        chart = next((c for c in outline.charts if c.id == cid), None)
        if chart is None:
            warnings.append((loc + ("charts", ci), f"no chart '{cid}' — the chart slide is left out"))
        else:
            charts.append((outline.charts.index(chart), chart))
    section_notes = plain(section.notes) if section.notes else ""

    lead_notes = ""
    points = list(section.points)
    offset = 0  # index in section.points of points[0]
    if section.kind == "quote" and points:
        out.append(_quote_slide(outline, loc, section, geo, warnings))
        points, offset = points[1:], 1
    side = _side_by_side(outline, loc, section, charts, geo, theme, warnings) if section.kind == "auto" else None
    if side is not None:
        out.append(side)
        charts = charts[1:]
    elif section.kind == "chart" and charts:
        # a chart section shows its charts; its points become what the speaker says over the first one
        lead_notes = "\n\n".join(_point_notes(outline, p, with_text=True) for p in section.points)
    elif points:
        units = [_point_paras(p) for p in points]
        heights = [sum(_para_height(p, geo) for p in u) for u in units]
        cap = _capacity(geo)
        for pi, h in enumerate(heights):
            if h > cap:
                warnings.append((loc + ("points", pi + offset), "this point and its sub-points are too long for one slide — shorten them"))
        for k, chunk in enumerate(_split(heights, cap, MAX_POINTS)):
            notes = [n for n in (_point_notes(outline, points[i]) for i in chunk) if n]
            if k == 0 and section_notes:
                notes.append(section_notes)
            panel = None
            if kind != "bullets":
                used = min(cap, sum(heights[i] for i in chunk)) + 2 * geo.style.inset
                panel = Frame(geo.body.x - 16, geo.body.y - 8, geo.body.w + 32, round(used + 16, 2))
            out.append(dict(
                panel=panel,
                kind=kind,
                title=_runs(section.title) + ((Run(CONT),) if k else ()),
                body=tuple(p for i in chunk for p in units[i]),
                notes="\n\n".join(notes),
                continued=k > 0,
                loc=loc,
            ))
    elif not out:
        if not charts:
            warnings.append((loc, "the section has no points and no charts — its slide shows only the title"))
            out.append(dict(kind=kind, title=_runs(section.title), notes=section_notes, loc=loc))
    for n, (index, chart) in enumerate(charts):
        extra = "\n\n".join(x for x in (lead_notes, section_notes) if x) if n == 0 and not out else ""
        out.append(_chart_slide(chart, index, geo, theme, warnings, extra))
    return out


def _quote_slide(outline: Outline, loc: Loc, section: Section, geo: Geometry, warnings: Warnings) -> dict:
    """The first point as a large quotation; its first sub-point, if any, as the attribution."""
    point = section.points[0]
    quote = _runs("“" + re.sub(r"\s+", " ", point.text).strip() + "”")
    by = (Run("— " + _one_line(plain(point.points[0].text))),) if point.points else ()
    width = geo.body.w - 2 * geo.style.inset - 24  # the text sits right of an accent edge
    cap = _capacity(geo)
    size = 32.0
    while True:
        need = _lines(quote, size, width) * size * LINE_EM + (12 + _lines(by, 20.0, width) * 20.0 * LINE_EM if by else 0)
        if need <= cap or size <= geo.style.sizes[1]:
            break
        size -= 2.0
    if need > cap:
        warnings.append((loc + ("points", 0), "the quotation is too long for its slide — shorten it"))
    body = (Para(quote, style="quote", size=size),) + ((Para(by, style="attribution", size=20.0),) if by else ())
    notes = "\n\n".join(x for x in (_point_notes(outline, point), plain(section.notes) if section.notes else "") if x)
    return dict(kind="quote", title=_runs(section.title), body=body, notes=notes, loc=loc,
                panel=Frame(geo.body.x, geo.body.y, 5, round(min(cap, need) + 2 * geo.style.inset, 2)))


SIDE_SHARE = 0.42  # the bullets' share of the width when a chart stands beside them
SIDE_GAP = 24.0


def _side_by_side(outline: Outline, loc: Loc, section: Section, charts: list, geo: Geometry, theme: Theme,
                  warnings: Warnings) -> dict | None:
    """Bullets left, the first chart right — when the points fit one slide at full size in the narrower column."""
    if not charts or not section.points or len(section.points) > 4:
        return None
    left = Frame(geo.body.x, geo.body.y, round(geo.body.w * SIDE_SHARE, 2), geo.body.h)
    right_x = left.x + left.w + SIDE_GAP
    right = Frame(right_x, geo.chart.y, round(geo.body.x + geo.body.w - right_x, 2), geo.chart.h)
    source = Frame(right_x, geo.source.y, right.w, geo.source.h)
    paras = [p for pt in section.points for p in _point_paras(pt)]
    if sum(_para_height(p, geo, left.w) for p in paras) > _capacity(geo):
        return None
    index, chart = charts[0]
    if chart.kind == "bar" and max(len(plain(c)) for c in chart.categories) > 14:
        return None  # long category names need the full width
    src = (Run("Source: "),) + _runs(chart.source)
    if _lines(src, SOURCE_SIZE, source.w - 2 * geo.style.inset) > 2:
        return None
    slide = _chart_slide(chart, index, geo, theme, warnings, "")
    notes = [n for n in (_point_notes(outline, p) for p in section.points) if n]
    if section.notes:
        notes.append(plain(section.notes))
    slide["chart"] = dataclasses.replace(slide["chart"], title=_one_line(plain(chart.title)))
    return dict(slide, kind="bullets_chart", title=_runs(section.title), body=tuple(paras), loc=loc,
                notes="\n\n".join(notes + [slide["notes"]]), body_frame=left, chart_frame=right, source_frame=source)


def _chart_slide(chart: Chart, index: int, geo: Geometry, theme: Theme, warnings: Warnings, extra_notes: str) -> dict:
    alt = describe(chart)
    source = _runs(chart.source)
    if _lines((Run("Source: "),) + source, SOURCE_SIZE, geo.source.w - 2 * geo.style.inset) > 2:
        warnings.append((("charts", index, "source"), "the source line is longer than two lines under the chart — shorten it"))
    notes = "\n\n".join(x for x in (extra_notes, alt, "Source: " + plain(chart.source)) if x)
    return dict(
        kind="chart",
        title=_runs(chart.title),
        chart=_chart_plan(chart, index, theme, warnings, alt),
        source=(Run("Source: "),) + source,
        notes=notes,
        loc=("charts", index),
    )


def _chart_plan(chart: Chart, index: int, theme: Theme, warnings: Warnings, alt: str) -> ChartPlan:
    loc: Loc = ("charts", index)
    n = len(chart.categories)
    cats = [_one_line(c) for c in chart.categories]
    rows = [[float(v) for v in s.values[:n]] + [None] * (n - len(s.values)) for s in chart.series]  # check() reports bad lengths
    order = list(range(n))
    if chart.sort and chart.kind == "bar":
        first = rows[0]
        order = sorted(order, key=lambda i: -(first[i] if first[i] is not None else -math.inf))
    cats = [cats[i] for i in order]
    rows = [[r[i] for i in order] for r in rows]

    series: list[PlotSeries] = []
    # line charts are never re-ordered, so the boundary index holds in the drawn order too
    boundary = chart.categories.index(chart.projected_from) if chart.kind == "line" and chart.projected_from in chart.categories else None
    for i, (s, values) in enumerate(zip(chart.series, rows)):
        colour = theme.series_colour(i)
        name = _one_line(plain(s.name))
        if boundary is not None and boundary > 0:
            actual = tuple(v if j < boundary else None for j, v in enumerate(values))
            planned = tuple(v if j >= boundary - 1 else None for j, v in enumerate(values))
            series.append(PlotSeries(name, actual, colour, "data"))
            series.append(PlotSeries(f"{name} (plan)", planned, colour, "plan", dashed=True))
        else:
            series.append(PlotSeries(name, tuple(values), colour, "data", dashed=boundary == 0))
    if chart.target is not None:
        if chart.kind in ("line", "column"):  # on a column chart the target is a dashed line series over the columns
            series.append(PlotSeries(_one_line(plain(chart.target.label)), (chart.target.value,) * n, theme.accent, "target", dashed=True))
        else:
            warnings.append((loc + ("target",), "a target line is drawn on line and column charts in the deck, not on bar charts — it is named in the notes"))
    decimals = decimals_of(chart)
    number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    largest = max((abs(v) for ps in series for v in ps.values if v is not None), default=0.0)
    axis_format = "#,##0" if largest >= 20 else number_format  # ticks step by whole numbers on larger scales
    return ChartPlan(
        chart_id=chart.id,
        kind=chart.kind,
        stacked=chart.stacked and chart.kind != "line",
        categories=tuple(cats),
        series=tuple(series),
        unit=_one_line(chart.unit) if chart.unit else None,
        number_format=number_format,
        axis_format=axis_format,
        data_labels=chart.kind in ("column", "bar"),
        legend=len(chart.series) > 1,  # as in the brief: plan and target lines are labelled, not listed
        first_category_on_top=chart.kind == "bar",
        alt=alt,
    )


def _source_slides(outline: Outline, geo: Geometry) -> list[dict]:
    size = geo.style.sizes[1]
    paras = []
    for s in outline.sources:
        runs = list(_runs(s.title))
        if s.publisher:
            runs.append(Run(". " + _one_line(s.publisher)))
        if s.url:
            runs += [Run(". "), Run(s.url, url=s.url)]
        paras.append(Para(tuple(runs), style="source", size=size))
    chunks = _split([_para_height(p, geo) for p in paras], _capacity(geo), 99)
    return [
        dict(kind="sources", title=(Run("Sources" + (CONT if k else "")),), body=tuple(paras[i] for i in chunk),
             continued=k > 0, loc=("sources",))
        for k, chunk in enumerate(chunks)
    ]


# ---------------------------------------------------------------- text


def _runs(text: str) -> tuple[Run, ...]:
    """Parsed runs with white space folded to single spaces (line breaks in YAML blocks included)."""
    runs = [Run(re.sub(r"\s+", " ", r.text), r.bold, r.italic, r.url) for r in parse(text)]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic, runs[0].url)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic, runs[-1].url)
    return tuple(r for r in runs if r.text)


def _one_line(text: str) -> str:
    """Plain text on one line, without the characters XML cannot carry."""
    return " ".join(clean(text).split())


def _point_paras(point) -> list[Para]:
    return [Para(_runs(point.text), 0)] + [Para(_runs(q.text), 1) for q in point.points]


def _point_notes(outline: Outline, point, with_text: bool = False) -> str:
    parts = []
    if with_text:
        parts.append(plain(point.text))
    said = point.notes or point.detail
    if said:
        parts.append(plain(said))
    refs = []
    for ref in point.sources:
        src = next((s for s in outline.sources if s.id == ref), None)
        if src is not None:
            refs.append(plain(src.title) + (f" ({src.url})" if src.url else ""))
    if refs:
        parts.append("Sources: " + "; ".join(refs))
    return "\n".join(_one_line(p) for p in parts)


def _lines(runs: tuple[Run, ...], size: float, width: float, bold: bool = False) -> int:
    """Lines the text takes in a frame `width` pt wide at `size` pt, wrapped with the real font metrics."""
    return line_count(runs, _FONT, size, width * FIT_SLACK, bold)


def _para_height(p: Para, geo: Geometry, frame_w: float | None = None) -> float:
    st = geo.style
    level = min(p.level, 1)
    size = p.size or st.sizes[level]
    width = (frame_w or geo.body.w) - 2 * st.inset - st.margins[level]
    return st.space_before[level] + _lines(p.runs, size, width) * size * LINE_EM


def _capacity(geo: Geometry) -> float:
    return geo.body.h - 2 * geo.style.inset


def _fit_size(text: str, width: float, largest: float, smallest: float) -> float:
    """The largest size (in 2-pt steps) at which bold `text` fits on one line of `width` pt, but at least `smallest`."""
    size = largest
    while size > smallest and text_width(text, _FONT, size, bold=True) > width * FIT_SLACK:
        size -= 2
    return max(size, smallest)


def _split(heights: list[float], cap: float, max_items: int) -> list[list[int]]:
    """Cut items (kept whole, in order) into as few chunks as fit `cap` and `max_items`, then balance the chunks."""
    m = len(heights)
    if m == 0:
        return [[]]

    def fits(i: int, j: int) -> bool:  # items i..j-1 in one chunk; an item alone always "fits"
        return j - i == 1 or (j - i <= max_items and sum(heights[i:j]) <= cap)

    # fewest chunks (greedy is optimal for this prefix structure)
    count, i = 0, 0
    while i < m:
        j = i + 1
        while j < m and fits(i, j + 1):
            j += 1
        count, i = count + 1, j
    # balance: among cuts into `count` chunks, minimise the tallest chunk
    inf = math.inf
    best = [[inf] * (count + 1) for _ in range(m + 1)]
    cut = [[0] * (count + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(1, m + 1):
        for k in range(1, count + 1):
            for i in range(k - 1, j):
                if best[i][k - 1] < inf and fits(i, j):
                    v = max(best[i][k - 1], sum(heights[i:j]))
                    if v < best[j][k] - 1e-9:
                        best[j][k], cut[j][k] = v, i
    chunks, j = [], m
    for k in range(count, 0, -1):
        i = cut[j][k]
        chunks.append(list(range(i, j)))
        j = i
    return chunks[::-1]
