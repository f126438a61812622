"""Plan the A4 PDF brief: the outline as an ordered list of typed blocks with page geometry (pure; no output format).

The planner reads only the outline and the typesetting context: it never searches this machine for fonts (coverage is
checked against the faces `ctx.fonts` names) and puts no file paths in the plan (the writer gets font files from the
context and the logo from its caller).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import fonts as _fonts
from ..scripts import joined, needs_joining
from . import briefelements as elements
from .briefelements import Callout, Comparison, PictureFigure
from .text import one_line
from ..alttext import describe
from .chartdata import chart_grid
from ..errors import PlanWarning
from ..inline import Run, parse, plain
from ..media import Picture
from ..model import Chart, Loc, Outline
from ..typeset import Typesetting
from ..units import Pt
from ..words import Words, words_for
from . import notes as _notes
from ..classification import footer_text
from .banner import Banner, page_banner

Runs = tuple[Run, ...]



@dataclass(frozen=True)
class PageGeometry:
    """The A4 page: one text column of `measure` points (about 70 characters of 11 pt body) set flush right, and a
    side rail left of it for figure captions and sources and the authors; titles, key figures and figures' rails
    use the whole width between the margins."""

    width: Pt
    height: Pt
    left: Pt = Pt(57.0)
    right: Pt = Pt(57.0)
    top: Pt = Pt(54.0)
    bottom: Pt = Pt(62.0)
    footer_y: Pt = Pt(32.0)  # baseline of the footer line
    measure: Pt = Pt(310.0)  # the body text column
    rail: Pt = Pt(150.0)  # the side rail; the gutter is what is left between rail and column

    @property
    def frame_width(self) -> Pt:
        """Width between the margins (rail, gutter and column)."""
        return Pt(self.width - self.left - self.right)

    @property
    def frame_height(self) -> Pt:
        """Height of the text area."""
        return Pt(self.height - self.top - self.bottom)

    @property
    def indent(self) -> Pt:
        """From the left margin to the text column: rail plus gutter."""
        return Pt(round(self.frame_width - self.measure, 2))

    @property
    def text_left(self) -> Pt:
        """x of the text column's left edge, from the page's left edge."""
        return Pt(round(self.left + self.indent, 2))

    @property
    def text_right(self) -> Pt:
        """x of the text column's right edge."""
        return Pt(round(self.width - self.right, 2))


BANNER_FOOTER_Y = Pt(37.0)  # the footer's baseline when a classification banner runs below it


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
    page_label: str = "{page} / {pages}"  # the page number as printed: `page` and `pages` filled in


@dataclass(frozen=True)
class Masthead:
    """The nameplate: the series name, then number · date · organisation; a logo only where the outline gives one."""

    series: str | None
    parts: tuple[str, ...]
    logo: bool = False  # the writer draws the logo (bytes from its caller) at the nameplate's right
    logo_alt: str = "Logo"  # the logo's alternative text, in the outline's language


@dataclass(frozen=True)
class Title:
    """The document title (also the first bookmark)."""

    runs: Runs
    text: str
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class Subtitle:
    """The line under the title."""

    runs: Runs
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class Authors:
    """Who wrote the brief: in the rail beside the standfirst."""

    names: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Lead:
    """The lead, set as the standfirst (larger type in the text column, the authors beside it in the rail)."""

    runs: Runs
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class KeyFigure:
    """One big number: its value, what it measures, where it comes from."""

    value: str
    label: Runs
    source: str | None


@dataclass(frozen=True)
class KeyFigures:
    """The key figures as a grid of rows that fill the width: no empty cell, row lengths differ by at most one."""

    heading: str
    rows: tuple[tuple[KeyFigure, ...], ...]
    source_label: str

    @property
    def items(self) -> tuple[KeyFigure, ...]:
        """Every key figure in reading order."""
        return tuple(k for row in self.rows for k in row)


@dataclass(frozen=True)
class Heading:
    """A section heading; `section_id` names its bookmark; `role` is the section's kind where it sets the section off
    ("conclusions", "recommendations", "quote"), else "body"."""

    section_id: str
    runs: Runs
    text: str
    level: int = 1
    role: str = "body"
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class Paragraph:
    """Body prose: a section's intro (`role` "intro") or a point (`role` "point": `head` its text as a bold run-in
    head, `runs` its detail); `refs` are 1-based numbers in the references list; `boxed`: inside a set-off section."""

    runs: Runs
    role: str  # "intro" | "point" | "detail"
    head: Runs = ()
    refs: tuple[int, ...] = ()
    boxed: bool = False
    number: int | None = None  # numbered paragraphs (recommendations)
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class Bullet:
    """A list item: a point (level 1) or sub-point (level 2); `number` for numbered lists (recommendations);
    `refs` are 1-based numbers in the references list; `boxed`: inside a set-off section."""

    runs: Runs
    level: int
    refs: tuple[int, ...] = ()
    number: int | None = None
    boxed: bool = False
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class Quote:
    """A quotation (a quote section's first point) with its attribution (that point's first sub-point)."""

    runs: Runs
    attribution: Runs = ()
    lang: str | None = None  # the language its text is in, where not the brief's (an untranslated text)


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table for screen readers (`brief.chart_data: hidden`): drawn invisibly and tagged beside its
    figure. `header` is the header row (an empty corner cell, then one per value column); each row starts with its
    row header (a category, a point's label or the target's label), then that row's values as printed."""

    caption: str  # "Data for Figure 1"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A numbered chart with caption, source line and alt text; `chart` is the chart spec as JSON data; `data` its
    data as a table only screen readers read (None unless `brief.chart_data` is "hidden")."""

    number: int
    chart_id: str
    chart: dict
    label: str  # "Figure 1."
    title: str
    caption: str  # "Figure 1. <title>"
    source: str  # "Source: <source>"
    alt: str
    width: Pt
    height: Pt
    data: DataTable | None = None

    def spec(self) -> Chart:
        """The chart spec as the content model."""
        return Chart.model_validate(self.chart)


@dataclass(frozen=True)
class TableRow:
    """One row of a table as printed: formatted cells; `key` tinted, `total` under a rule."""

    cells: tuple[str, ...]
    key: bool = False
    total: bool = False


@dataclass(frozen=True)
class Table:
    """A numbered table: caption above it, the header row (repeated on every page it runs onto), body rows (the total
    last), source below; column widths measured at the table's size; `wide`: across the rail and the column."""

    number: int
    table_id: str
    label: str  # "Table 1."
    title: str
    caption: str  # "Table 1. <title>"
    source: str | None  # "Source: <source>"
    header: tuple[str, ...]
    align: tuple[str, ...]  # "left" | "right" per column
    rows: tuple[TableRow, ...]
    widths: tuple[Pt, ...]
    wide: bool = False


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


@dataclass(frozen=True)
class Notes:
    """Endnotes (`brief: {notes: end}`): the numbered notes before the sources; markers link to `note-N`."""

    heading: str
    items: tuple[_notes.Footnote, ...]


@dataclass(frozen=True)
class EndNote:
    """One item of the end matter: a label ("About the authors") and its text; no label for one-line items."""

    label: str | None
    text: str


@dataclass(frozen=True)
class EndMatter:
    """What closes the brief below a rule: about the authors, the organisation, ISSN, copyright, licence, contact."""

    items: tuple[EndNote, ...]


Block = (Masthead | Title | Subtitle | Authors | Lead | KeyFigures | Heading | Paragraph | Bullet | Quote | Figure
         | Table | References | EndMatter | PictureFigure | Callout | Comparison)


@dataclass(frozen=True)
class BriefPlan:
    """The whole brief, in reading order, ready for a writer."""

    info: DocumentInfo
    page: PageGeometry
    body_size: Pt
    blocks: tuple[Block, ...]
    fallback_chars: str = ""  # the distinct characters of the outline the theme's font lacks and a fallback draws (sorted)
    style: str = "prose"  # how points are set: "prose" or "bullets"
    banner: Banner | None = field(default=None, metadata={"omit_none": True})  # a classified outline's level


def figure_size(chart: Chart, width: float, max_height: float | None = None) -> tuple[float, float]:
    """A chart's size in the brief: the text column wide; bar charts grow with their categories, up to `max_height`
    (the room a page has; 0.9 x width when not given); others 0.62 x width (room for axis labels at column width)."""
    if chart.kind == "bar":
        rows = len(chart.categories) * (1 if chart.stacked or len(chart.series) == 1 else min(len(chart.series), 3) * 0.7)
        cap = 0.9 * width if max_height is None else max(max_height, 0.5 * width)
        height = min(max(80.0 + 20.0 * rows, 0.5 * width), 0.9 * width if rows <= 12 else cap)
    elif chart.kind == "scatter":  # labelled points need room both ways
        height = 0.75 * width
    else:
        height = 0.62 * width
    return Pt(round(width, 2)), Pt(round(height, 2))


def balanced_rows(n: int, most: int = 4) -> list[int]:
    """Row lengths for n cards: as few rows as `most` per row allows, lengths differing by at most one, longer first."""
    if n <= 0:
        return []
    rows = -(-n // most)
    base, extra = divmod(n, rows)
    return [base + 1] * extra + [base] * (rows - extra)


def plan_brief(outline: Outline, ctx: Typesetting, pictures: dict[str, Picture] | None = None) -> tuple[BriefPlan, list[PlanWarning]]:
    """Lay the outline out as the brief's blocks; problems that drop content come back as warnings.

    Pure: the same outline and context give the same plan on any machine (fonts come resolved in `ctx.fonts`;
    the brief's language is the outline's own `meta.language`)."""
    warnings: list[PlanWarning] = []
    fallbacks = ctx.fonts.fallbacks
    primary = _fonts.FontFile(ctx.fonts.family.regular)
    outline, foreign = _cover(outline, primary, fallbacks, warnings, ctx.theme.extra_fonts)
    meta = outline.meta
    lang = meta.language
    labels = words_for(outline)
    date = labels.date(meta.date)
    banner = page_banner(outline, ctx.page[0], ctx.page[1], PageGeometry.left, PageGeometry.right)
    page = PageGeometry(width=ctx.page[0], height=ctx.page[1], **({"footer_y": BANNER_FOOTER_Y} if banner else {}))
    prose = outline.brief.style == "prose"

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
        classification=_opt(footer_text(outline)),
        page_label=labels["page"],
    )

    blocks: list[Block] = []
    parts = tuple(p for p in (info.number, date, info.organisation) if p)
    logo_alt = labels("logo", organisation=one_line(meta.organisation or "") or labels["publisher"])
    blocks.append(Masthead(info.series, parts, logo=bool(outline.theme.logo), logo_alt=logo_alt))
    blocks.append(Title(_runs(meta.title), info.title, lang=meta.language_of("title")))
    if meta.subtitle:
        blocks.append(Subtitle(_runs(meta.subtitle), lang=meta.language_of("subtitle")))
    if info.authors:
        blocks.append(Authors(info.authors, ", ".join(info.authors)))
    blocks.append(Lead(_runs(outline.lead), lang=outline.language_of("lead")))
    if outline.key_figures:
        items = [KeyFigure(plain(k.value), _runs(k.label), plain(k.source) if k.source else None) for k in outline.key_figures]
        # four to a row, three where a value would not fit a quarter of the width on one line
        size = ctx.theme.brief.key_value.size
        quarter = (page.frame_width - 3 * KEY_GAP) / 4 - 2 * KEY_PAD
        most = 4 if all(ctx.fonts.width(k.value, size, bold=True) <= quarter for k in items) else 3
        rows, i = [], 0
        for n in balanced_rows(len(items), most):
            rows.append(tuple(items[i : i + n]))
            i += n
        blocks.append(KeyFigures(labels["key_figures"], tuple(rows), labels["source"]))

    list_refs = outline.options.sources_slide and bool(outline.sources)
    ref_numbers = {s.id: i for i, s in enumerate(outline.sources, 1) if s.id is not None}
    chart_ids = {c.id for c in outline.charts}
    shown: dict[str, int] = {}
    number = 0
    tables = 0  # tables numbered so far
    for si, section in enumerate(outline.sections):
        role = section.kind if section.kind in ("conclusions", "recommendations", "quote") else "body"
        boxed = role in ("conclusions", "recommendations")
        blocks.append(Heading(section.id, _runs(section.title), plain(section.title), role=role, lang=section.language_of("title")))
        if section.intro:
            blocks.append(Paragraph(_runs(section.intro), "intro", boxed=boxed, lang=section.language_of("intro")))
        points, offset = list(section.points), 0  # offset: index in section.points of points[0]
        if role == "quote" and points:
            first, offset = points.pop(0), 1
            by = first.points[0].text if first.points else None
            blocks.append(Quote(_runs(first.text), _runs(by) if by else (), lang=first.language_of("text")))
        blocks += elements.quotes(section, Quote)
        # a section whose points carry no detail is a list (numbered for recommendations), in prose as in bullets
        listed = not prose or not any(p.detail for p in points)
        numbered = role == "recommendations"
        for k, point in enumerate(points):
            pi = k + offset
            refs = []
            for ri, ref in enumerate(point.sources):
                if ref in ref_numbers:
                    refs.append(ref_numbers[ref])
                else:
                    warnings.append(PlanWarning(("sections", si, "points", pi, "sources", ri),
                                     f"no source '{ref}' — the brief leaves out this citation"))
            cites = tuple(refs) if list_refs else ()
            n = k + 1 if numbered else None
            text_lang, detail_lang = point.language_of("text"), point.language_of("detail")
            if listed:
                blocks.append(Bullet(_runs(point.text), 1, cites, number=n, boxed=boxed, lang=text_lang))
                blocks.extend(Bullet(_runs(sub.text), 2, boxed=boxed, lang=sub.language_of("text")) for sub in point.points)
                if point.detail:
                    blocks.append(Paragraph(_runs(point.detail), "detail", boxed=boxed, lang=detail_lang))
                continue
            if point.detail:  # head and detail in one paragraph: its language where both are in it
                blocks.append(Paragraph(_runs(point.detail), "point", head=_runs(_run_in(point.text)), refs=cites,
                                        boxed=boxed, number=n, lang=detail_lang if detail_lang == text_lang else None))
            else:
                blocks.append(Paragraph(_runs(point.text), "intro", refs=cites, boxed=boxed, number=n, lang=text_lang))
            blocks.extend(Bullet(_runs(sub.text), 2, boxed=boxed, lang=sub.language_of("text")) for sub in point.points)
        blocks += elements.after_points(section)
        tables += _tables(outline, si, section, tables, ctx, page, blocks, warnings)
        if not (section.intro or section.points or section.charts or section.tables or elements.has_parts(section)):
            warnings.append(PlanWarning(("sections", si), f"section '{section.id}' has no intro, points or charts — the brief shows only its heading"))
        for ci, chart_id in enumerate(section.charts):
            loc: Loc = ("sections", si, "charts", ci)
            if chart_id not in chart_ids:
                warnings.append(PlanWarning(loc, f"no chart '{chart_id}' — the brief leaves it out"))
                continue
            if chart_id in shown:
                warnings.append(PlanWarning(loc, f"chart '{chart_id}' is already Figure {shown[chart_id]} — the brief shows it once"))
                continue
            number += 1
            shown[chart_id] = number
            blocks.append(_figure(outline.chart(chart_id), number, labels, page.measure, page.frame_height - _FIGURE_TEXT,
                                  outline.brief.chart_data == "hidden"))
            warnings.extend(_crowded_categories(outline, chart_id, page.measure, ctx))
        shown_images, number = elements.images(outline, si, section, pictures or {}, number, labels["figure"], page,
                                               page.frame_height - _FIGURE_TEXT, warnings)
        blocks += shown_images
    for ci, chart in enumerate(outline.charts):
        if chart.id not in shown:
            warnings.append(PlanWarning(("charts", ci), f"chart '{chart.id}' is not listed in any section's charts — the brief leaves it out"))
    listed = {t for section in outline.sections for t in section.tables}
    for ti, table in enumerate(outline.tables):
        if table.id not in listed:
            warnings.append(PlanWarning(("tables", ti), f"table '{table.id}' is not listed in any section's tables — the brief leaves it out"))

    if list_refs:
        items = tuple(
            Reference(i, f"ref-{i}", _runs(s.title), _opt(s.publisher), s.url) for i, s in enumerate(outline.sources, 1)
        )
        blocks.append(References(labels["references"], items))
    end = _end_matter(meta, labels)
    if end.items:
        blocks.append(end)

    blocks = _footnotes(blocks, outline, warnings)
    if outline.brief.chart_data == "annex":
        at = next((i for i, b in enumerate(blocks) if isinstance(b, EndMatter)), len(blocks))
        blocks[at:at] = _annex(outline, blocks, ctx, page, warnings)
    plan = BriefPlan(info=info, page=page, body_size=Pt(ctx.theme.brief.body.size), blocks=tuple(blocks),
                     fallback_chars=foreign, style=outline.brief.style, banner=banner)
    return plan, warnings


_TRAILING_NOTES = re.compile(r"(?:\[\^[A-Za-z][A-Za-z0-9_-]*\]|\^\[[^\[\]]*\])+$")


def _footnotes(blocks: list[Block], outline: Outline, warnings: list[PlanWarning]) -> list[Block]:
    """The blocks with their footnote markers numbered in reading order; with `brief.notes: end`, the notes as a
    Notes block before the sources (at the foot of the page they are drawn from the markers themselves)."""
    numbered, numbering = _notes.number(blocks, outline.footnotes)
    for ref in numbering.unknown:
        warnings.append(PlanWarning(("footnotes",), f"no footnote '{ref}' — the brief leaves out its marker"))
    if outline.brief.notes == "end" and numbering.notes:
        heading = words_for(outline)["notes"]
        at = next((i for i, b in enumerate(numbered) if isinstance(b, (References, EndMatter))), len(numbered))
        numbered.insert(at, Notes(heading, numbering.notes))
    return numbered


def _run_in(text: str) -> str:
    """A point's text as a run-in head: ending with a full stop unless it ends with punctuation already (a
    footnote marker at its end follows the full stop)."""
    text = text.rstrip()
    notes = _TRAILING_NOTES.search(text)
    if notes and notes.start() > 0:
        return _run_in(text[: notes.start()]) + notes.group(0)
    return text if not text or text[-1] in ".!?:;…" or text.endswith("**") and text[-3:-2] in ".!?" else text + "."


def _end_matter(meta, labels: dict[str, str]) -> EndMatter:
    """The end matter the outline gives, in a fixed order."""
    items = []
    if meta.about_authors:
        items.append(EndNote(labels["about_authors"], plain(meta.about_authors)))
    if meta.about:
        items.append(EndNote(plain(meta.organisation) if meta.organisation else labels["about"], plain(meta.about)))
    line = [plain(x) for x in (meta.copyright, meta.licence) if x]
    if meta.issn:
        line.append(f"ISSN {plain(meta.issn)}")
    if line:
        items.append(EndNote(None, " \u00b7 ".join(line)))
    if meta.contact:
        items.append(EndNote(labels["contact"], plain(meta.contact)))
    return EndMatter(tuple(items))


# outline fields that are never printed as text (ids, links, references by id, deck-only notes)
_NOT_PRINTED = frozenset({"id", "url", "kind", "audiences", "theme", "options", "notes", "charts_ref", "language",
                          "brief"})


def _cover(
    outline: Outline, primary: _fonts.FontFile, fallbacks: tuple[_fonts.FontFile, ...], warnings: list[PlanWarning],
    own: tuple = (),
) -> tuple[Outline, str]:
    """The outline with every character no font can draw replaced by U+FFFD (each such field named in a warning),
    and the characters the fallback fonts draw."""
    changed = False
    faces = (primary, *fallbacks)
    chart_faces = (primary, *(f for f in fallbacks if f.path in own or f.path.name.startswith("DejaVuSans")))
    foreign: set[str] = set()

    def walk(value, loc: Loc):
        nonlocal changed
        if isinstance(value, str):
            drawn = value + joined(value) if needs_joining(value) else value  # the brief draws Arabic's joined forms
            lacking = _fonts.missing(drawn, (primary,))
            if not lacking:  # the primary face draws it all (it is first among both sets of faces below)
                return value
            foreign.update(lacking)
            # charts draw with the theme's font, theme.fonts (`own`) and DejaVu Sans (matplotlib's fallback), not installed fonts
            gone = _fonts.missing(drawn, chart_faces if loc[:1] == ("charts",) else faces)
            if not gone:
                return value
            changed = True
            warnings.append(PlanWarning(loc, f"no font can draw {_fonts.describe(gone)} — the brief prints \N{REPLACEMENT CHARACTER} instead"))
            foreign.add(_fonts.REPLACEMENT)
            return "".join(_fonts.REPLACEMENT if c in gone else c for c in value)
        if isinstance(value, dict):
            return {k: (v if k in _NOT_PRINTED else walk(v, (*loc, k))) for k, v in value.items()}
        if isinstance(value, list):
            if loc and loc[-1] in ("sources", "charts") and len(loc) > 1:  # ids of sources / charts of a point or section
                return value
            return [walk(v, (*loc, i)) for i, v in enumerate(value)]
        return value

    data = walk(outline.model_dump(mode="json"), ())
    drawn = "".join(sorted(c for c in foreign if _fonts.drawable(c, fallbacks)))
    return (Outline.model_validate(data) if changed else outline), drawn


KEY_GAP, KEY_PAD = 8.0, 9.0  # key-figure cards: space between cards and inside them (the writer's KeyGrid)
_FIGURE_TEXT = Pt(40.0)  # room for the space around a figure on one page (its caption and source are in the rail)


def _crowded_categories(outline: Outline, chart_id: str, width: float, ctx: Typesetting) -> list[PlanWarning]:
    """A located warning when the figure cannot show every category label (chartrules.column_labels_problem)."""
    from ..chartrules import column_labels_problem

    index, chart = next((i, c) for i, c in enumerate(outline.charts) if c.id == chart_id)
    size = ctx.theme.chart_font_size
    problem = column_labels_problem([plain(c) for c in chart.categories], width, size, lambda t: ctx.fonts.width(t, size), chart.kind)
    return [PlanWarning(("charts", index, "categories"), problem)] if problem else []


def _figure(chart: Chart, number: int, labels: Words, measure: float, max_height: float, data: bool = False) -> Figure:
    width, height = figure_size(chart, measure, max_height)
    label = f"{labels['figure']} {number}."
    table = None
    if data:
        g = chart_grid(chart, labels)
        table = DataTable(labels("data_for", label=label.rstrip(".")), g.header, tuple(r.cells for r in g.rows))
    title = plain(chart.title)
    return Figure(
        number=number,
        chart_id=chart.id,
        chart=chart.model_dump(mode="json", exclude={"marking"}),  # what is drawn (a marking draws nothing)
        label=label,
        title=title,
        caption=f"{label} {title}",
        source=f"{labels['source']} {plain(chart.source)}",
        alt=describe(chart, labels),
        width=width,
        height=height,
        data=table,
    )


def _annex(outline: Outline, blocks: list[Block], ctx: Typesetting, page: PageGeometry,
           warnings: list[PlanWarning]) -> list[Block]:
    """The chart-data annex (`brief.chart_data: annex`): a "Chart data" heading and each figure's data as a table
    captioned with the figure's label and title (so it takes no number from the outline's own tables); none when
    the brief shows no chart."""
    words = words_for(outline)
    figures = [b for b in blocks if isinstance(b, Figure)]
    if not figures:
        return []
    heading = words["chart_data"]
    out: list[Block] = [Heading("chart-data", (Run(heading),), heading)]
    for f in figures:
        table, fits = _table_block(chart_grid(outline.chart(f.chart_id), words), ctx, page, number=f.number,
                                   table_id=f"chart-data-{f.chart_id}", label=f.label, title=f.title, source=None)
        if not fits:
            index = next(i for i, c in enumerate(outline.charts) if c.id == f.chart_id)
            warnings.append(PlanWarning(("charts", index, "series"), f"the chart's data has {len(table.header)} columns, "
                                        "too wide for a table in the chart-data annex — show fewer series or shorten their names"))
        out.append(table)
    return out


TABLE_PAD_X, TABLE_PAD_Y = 4.0, 2.5  # the brief's table cells: inner margin left/right and top/bottom


def _tables(outline: Outline, si: int, section, before: int, ctx: Typesetting, page: PageGeometry, blocks: list,
            warnings: list[PlanWarning]) -> int:
    """The section's tables as blocks (numbered after the `before` tables of earlier sections); how many were added.
    Its cells are the deck's (layout/tables.py), set as _table_block sets them."""
    from . import tables as tb

    words = words_for(outline)
    added = 0
    for ti, table_id in enumerate(section.tables):
        table = next((t for t in outline.tables if t.id == table_id), None)
        if table is None:
            warnings.append(PlanWarning(("sections", si, "tables", ti), f"no table '{table_id}' — the brief leaves it out"))
            continue
        added += 1
        number = before + added
        label = f"{words['table']} {number}."
        block, fits = _table_block(tb.grid(table, words), ctx, page, number=number, table_id=table.id, label=label,
                                   title=plain(table.title),
                                   source=f"{words['source']} {plain(table.source)}" if table.source else None)
        if not fits:
            warnings.append(PlanWarning(("tables", outline.tables.index(table), "columns"),
                                        f"the table's {len(block.header)} columns are too wide for the page — drop columns or shorten the headers"))
        blocks.append(block)
    return added


def _table_block(g, ctx: Typesetting, page: PageGeometry, *, number: int, table_id: str, label: str, title: str,
                 source: str | None) -> tuple[Table, bool]:
    """A table's cells (a layout.tables.Grid) as a Table block, and whether its columns fit the page: in the text
    column when its columns fit it (wrapping text cells between words), else across the whole width; widths
    measured at the brief's table size (where not even the least widths fit, they are squeezed to the width)."""
    from . import tables as tb

    size = ctx.theme.brief.table.size

    def measure(text: str, bold: bool) -> float:
        return ctx.fonts.width(text, size, bold=bold) + 0.5

    natural, least = tb.natural_and_least(g, measure, 2 * TABLE_PAD_X)
    wide = sum(natural) > page.measure and (sum(least) > page.measure or len(g.header) >= 4)
    room = page.frame_width if wide else page.measure
    widths = tb.fit_widths(natural, least, room, g.numeric)
    fits = widths is not None
    if widths is None:
        widths = [round(w * room / sum(least), 2) for w in least]
    block = Table(
        number=number, table_id=table_id, label=label, title=title, caption=f"{label} {title}", source=source,
        header=g.header, align=g.align, rows=tuple(TableRow(r.cells, r.key, r.total) for r in g.rows),
        widths=tuple(Pt(w) for w in widths), wide=wide,
    )
    return block, fits


def _runs(text: str) -> Runs:
    return tuple(parse(text))


def _opt(text: str | None) -> str | None:
    return plain(text) if text else None

