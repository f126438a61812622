"""Plan the A4 PDF brief: the outline as an ordered list of typed blocks with page geometry (no output format)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..alttext import describe
from ..inline import Run, parse, plain
from ..model import Chart, Loc, Outline
from ..theme import Theme

Runs = tuple[Run, ...]

# A4 in points and the text block: a ~400 pt measure keeps body lines near 85 characters at 10.5 pt.
A4_WIDTH = 595.2756
A4_HEIGHT = 841.8898

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "pl": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"),
}

_LABELS = {
    "en": {"figure": "Figure", "source": "Source:", "key_figures": "Key figures", "references": "Sources"},
    "pl": {"figure": "Wykres", "source": "Źródło:", "key_figures": "Kluczowe dane", "references": "Źródła"},
}


@dataclass(frozen=True)
class PageGeometry:
    """The page and its text block, in points."""

    width: float = A4_WIDTH
    height: float = A4_HEIGHT
    left: float = 96.0
    right: float = 96.0
    top: float = 56.0
    bottom: float = 64.0
    footer_y: float = 34.0  # baseline of the footer line

    @property
    def frame_width(self) -> float:
        """Width of the text block."""
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        """Height of the text block."""
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class DocumentInfo:
    """What the PDF says about itself (Info dictionary, /Lang) and what the masthead and footer print."""

    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    language: str
    series: str | None
    number: str | None
    date: str
    organisation: str | None
    classification: str | None


@dataclass(frozen=True)
class Masthead:
    """The line above the title: series · number · date · organisation."""

    parts: tuple[str, ...]
    kind: str = field(default="masthead", init=False)


@dataclass(frozen=True)
class Title:
    """The document title (also the first bookmark)."""

    runs: Runs
    text: str
    kind: str = field(default="title", init=False)


@dataclass(frozen=True)
class Subtitle:
    """The line under the title."""

    runs: Runs
    kind: str = field(default="subtitle", init=False)


@dataclass(frozen=True)
class Authors:
    """Who wrote the brief."""

    names: tuple[str, ...]
    text: str
    kind: str = field(default="authors", init=False)


@dataclass(frozen=True)
class Lead:
    """The summary paragraph, set apart from the body."""

    runs: Runs
    kind: str = field(default="lead", init=False)


@dataclass(frozen=True)
class KeyFigure:
    """One big number: its value, what it measures, where it comes from."""

    value: str
    label: Runs
    source: str | None


@dataclass(frozen=True)
class KeyFigures:
    """The callout of key figures."""

    heading: str
    items: tuple[KeyFigure, ...]
    source_label: str
    kind: str = field(default="key_figures", init=False)


@dataclass(frozen=True)
class Heading:
    """A section heading; `section_id` names its bookmark."""

    section_id: str
    runs: Runs
    text: str
    level: int = 1
    kind: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraph:
    """Body prose: a section's intro or a point's detail (`role`)."""

    runs: Runs
    role: str  # "intro" | "detail"
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class Bullet:
    """A point (level 1) or sub-point (level 2); `refs` are 1-based numbers in the references list."""

    runs: Runs
    level: int
    refs: tuple[int, ...] = ()
    kind: str = field(default="bullet", init=False)


@dataclass(frozen=True)
class Figure:
    """A numbered chart with caption, source line and alt text; `chart` is the chart spec as JSON data."""

    number: int
    chart_id: str
    chart: dict
    label: str  # "Figure 1."
    title: str
    caption: str  # "Figure 1. <title>"
    source: str  # "Source: <source>"
    alt: str
    width: float
    height: float
    kind: str = field(default="figure", init=False)

    def spec(self) -> Chart:
        """The chart spec as the content model."""
        return Chart.model_validate(self.chart)


@dataclass(frozen=True)
class Reference:
    """One entry of the references list."""

    number: int
    anchor: str  # internal link target of citation markers
    title: Runs
    publisher: str | None
    url: str | None


@dataclass(frozen=True)
class References:
    """The references list at the end."""

    heading: str
    items: tuple[Reference, ...]
    kind: str = field(default="references", init=False)


Block = Masthead | Title | Subtitle | Authors | Lead | KeyFigures | Heading | Paragraph | Bullet | Figure | References


@dataclass(frozen=True)
class BriefPlan:
    """The whole brief, in reading order, ready for a writer."""

    info: DocumentInfo
    page: PageGeometry
    body_size: float
    blocks: tuple[Block, ...]


def format_date(day: _dt.date, language: str) -> str:
    """The date as printed: '19 April 2024' (en), '19 kwietnia 2024' (pl), ISO for other languages."""
    months = _MONTHS.get(_primary(language))
    return f"{day.day} {months[day.month - 1]} {day.year}" if months else day.isoformat()


def figure_size(chart: Chart, width: float) -> tuple[float, float]:
    """A chart's size in the brief: full measure wide; bar charts grow with their categories."""
    if chart.kind == "bar":
        rows = len(chart.categories) * (1 if chart.stacked or len(chart.series) == 1 else min(len(chart.series), 3) * 0.7)
        height = min(max(90.0 + 22.0 * rows, 0.42 * width), 0.9 * width)
    else:
        height = 0.5 * width
    return round(width, 2), round(height, 2)


def plan_brief(outline: Outline, theme: Theme) -> tuple[BriefPlan, list[tuple[Loc, str]]]:
    """Lay the outline out as the brief's blocks; problems that drop content come back as warnings."""
    warnings: list[tuple[Loc, str]] = []
    meta = outline.meta
    lang = meta.language
    labels = _LABELS.get(_primary(lang), _LABELS["en"])
    date = format_date(meta.date, lang)
    page = PageGeometry()

    info = DocumentInfo(
        title=plain(meta.title),
        authors=tuple(plain(a) for a in meta.authors),
        subject=plain(meta.subtitle) if meta.subtitle else plain(outline.lead),
        keywords=tuple(plain(k) for k in meta.keywords),
        language=lang,
        series=_opt(meta.series),
        number=_opt(meta.number),
        date=date,
        organisation=_opt(meta.organisation),
        classification=_opt(meta.classification),
    )

    blocks: list[Block] = []
    parts = tuple(p for p in (info.series, info.number, date, info.organisation) if p)
    blocks.append(Masthead(parts))
    blocks.append(Title(_runs(meta.title), info.title))
    if meta.subtitle:
        blocks.append(Subtitle(_runs(meta.subtitle)))
    if info.authors:
        blocks.append(Authors(info.authors, ", ".join(info.authors)))
    blocks.append(Lead(_runs(outline.lead)))
    if outline.key_figures:
        items = tuple(
            KeyFigure(plain(k.value), _runs(k.label), plain(k.source) if k.source else None) for k in outline.key_figures
        )
        blocks.append(KeyFigures(labels["key_figures"], items, labels["source"]))

    list_refs = outline.options.sources_slide and bool(outline.sources)
    ref_numbers = {s.id: i for i, s in enumerate(outline.sources, 1) if s.id is not None}
    chart_ids = {c.id for c in outline.charts}
    shown: dict[str, int] = {}
    number = 0
    for si, section in enumerate(outline.sections):
        blocks.append(Heading(section.id, _runs(section.title), plain(section.title)))
        if section.intro:
            blocks.append(Paragraph(_runs(section.intro), "intro"))
        for pi, point in enumerate(section.points):
            refs = []
            for ri, ref in enumerate(point.sources):
                if ref in ref_numbers:
                    refs.append(ref_numbers[ref])
                else:
                    warnings.append((("sections", si, "points", pi, "sources", ri),
                                     f"no source '{ref}' — the brief leaves out this citation"))
            blocks.append(Bullet(_runs(point.text), 1, tuple(refs) if list_refs else ()))
            for sub in point.points:
                blocks.append(Bullet(_runs(sub.text), 2))
            if point.detail:
                blocks.append(Paragraph(_runs(point.detail), "detail"))
        if not (section.intro or section.points or section.charts):
            warnings.append((("sections", si), f"section '{section.id}' has no intro, points or charts — the brief shows only its heading"))
        for ci, chart_id in enumerate(section.charts):
            loc: Loc = ("sections", si, "charts", ci)
            if chart_id not in chart_ids:
                warnings.append((loc, f"no chart '{chart_id}' — the brief leaves it out"))
                continue
            if chart_id in shown:
                warnings.append((loc, f"chart '{chart_id}' is already Figure {shown[chart_id]} — the brief shows it once"))
                continue
            number += 1
            shown[chart_id] = number
            blocks.append(_figure(outline.chart(chart_id), number, labels, page.frame_width))
    for ci, chart in enumerate(outline.charts):
        if chart.id not in shown:
            warnings.append((("charts", ci), f"chart '{chart.id}' is not listed in any section's charts — the brief leaves it out"))

    if list_refs:
        items = tuple(
            Reference(i, f"ref-{i}", _runs(s.title), _opt(s.publisher), s.url) for i, s in enumerate(outline.sources, 1)
        )
        blocks.append(References(labels["references"], items))

    return BriefPlan(info=info, page=page, body_size=theme.body_size, blocks=tuple(blocks)), warnings


def _figure(chart: Chart, number: int, labels: dict[str, str], measure: float) -> Figure:
    width, height = figure_size(chart, measure)
    label = f"{labels['figure']} {number}."
    title = plain(chart.title)
    return Figure(
        number=number,
        chart_id=chart.id,
        chart=chart.model_dump(mode="json"),
        label=label,
        title=title,
        caption=f"{label} {title}",
        source=f"{labels['source']} {plain(chart.source)}",
        alt=describe(chart),
        width=width,
        height=height,
    )


def _runs(text: str) -> Runs:
    return tuple(parse(text))


def _opt(text: str | None) -> str | None:
    return plain(text) if text else None


def _primary(language: str) -> str:
    return language.split("-", 1)[0].lower()
