"""The deck plan's types: frames in points, paragraphs, charts, one frozen type per slide kind (pure data)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, ClassVar, Literal

from ..access import MIN_SIZE as MIN_TEXT  # pt: nothing on a slide is set smaller (the deck's accessibility check)
from ..inline import Run
from ..media import Picture
from ..model import Loc
from ..units import Colour, Pt
from .text import runs

if TYPE_CHECKING:
    from .banner import Banner


def cont(words, part: int = 1) -> tuple[Run, ...]:
    """The mark after the title of the `part`-th slide continuing a first one (part 0: none): ' (cont.)' in the
    outline's language, numbered from the second on (' (cont. 2)') so that every slide's title is its own."""
    if not part:
        return ()
    mark = words["cont"]
    if part > 1:
        mark = mark[:-1] + f" {part})" if mark.endswith(")") else f"{mark} {part}"
    return (Run(" " + mark),)


def without_cont(title: str, words) -> str:
    """A continuation slide's title without its mark (' (cont.)', ' (cont. 2)', …)."""
    mark = words["cont"]
    stem = mark[:-1] if mark.endswith(")") else mark
    found = re.search(re.escape(stem) + r"(?: \d+)?" + (r"\)" if mark.endswith(")") else "") + r"\s*$", title)
    return title[: found.start()].rstrip() if found else title

MAX_POINTS = 6  # first-level bullets on one slide
SOURCE_SIZE = 12.0  # pt: the source line under a chart or table
COLUMN_GAP = 24.0  # pt between the text columns of a slide set in two (the sources)


ParaStyle = Literal["bullet", "agenda", "source", "subtitle", "authors", "meta", "quote", "attribution", "plain"]
SeriesRole = Literal["data", "plan", "target"]
Runs = tuple[Run, ...]


def _lengths(obj: object, *names: str) -> None:
    """Store the named fields of a frozen dataclass as Pt (None stays None)."""
    for name in names:
        value = getattr(obj, name)
        if value is not None and type(value) is not Pt:
            object.__setattr__(obj, name, Pt(value))


@dataclass(frozen=True)
class Frame:
    """A rectangle on the slide, in points from the top-left corner."""

    x: Pt
    y: Pt
    w: Pt
    h: Pt

    def __post_init__(self) -> None:
        _lengths(self, "x", "y", "w", "h")


@dataclass(frozen=True)
class BodyStyle:
    """How body paragraphs are set, per level (0, 1): size, left margin (bullet hangs in it), space before."""

    sizes: tuple[Pt, Pt]
    margins: tuple[Pt, Pt]
    space_before: tuple[Pt, Pt]
    inset: Pt  # the text frame's inner margin on every side (the largest of a template's four)
    line_spacing: tuple[float, float] = (1.0, 1.0)  # a multiple of single spacing, per level
    bullets: tuple[str, str] = ("•", "–")  # the bullet of each level ("" none: text starts at the margin)

    def __post_init__(self) -> None:
        for name in ("sizes", "margins", "space_before"):
            object.__setattr__(self, name, tuple(Pt(v) for v in getattr(self, name)))
        _lengths(self, "inset")


def number_hang(style: BodyStyle, size: float) -> float:
    """The margin a numbered entry (an agenda's) hangs its number in: the level's own margin, or room for two digits."""
    return max(float(style.margins[0]), round(1.4 * size, 1))


@dataclass(frozen=True)
class Geometry:
    """Slide size and the frames every slide kind uses, in points."""

    width: Pt
    height: Pt
    title: Frame
    body: Frame
    chart: Frame
    source: Frame
    footer: Frame
    number: Frame
    cover_title: Frame
    cover_subtitle: Frame
    title_size: Pt
    cover_title_size: Pt
    style: BodyStyle
    title_spacing: float = 0.9  # line spacing of titles (the built-in template's 90 %)

    def __post_init__(self) -> None:
        _lengths(self, "width", "height", "title_size", "cover_title_size")


@dataclass(frozen=True)
class Para:
    """One paragraph: styled runs at a level (0 = bullet, 1 = sub-bullet); size None = the level's default."""

    runs: Runs
    level: int = 0
    style: ParaStyle = "bullet"
    size: Pt | None = None
    link: int | None = None  # a slide number this paragraph links to (agenda entries)
    lines: int = 0  # the lines the planner measured the paragraph to take in its frame
    ref: str = ""  # the outline text it shows, for `deckgen pull`: 'section/point-id' or 'section/#3', a sub-point '…/0'
    key: bool = False  # a key point (`key: true`): its bullet in the accent (and on the built-in template its text in the primary colour)

    def __post_init__(self) -> None:
        _lengths(self, "size")


@dataclass(frozen=True)
class Figure:
    """A key figure as drawn: the big value, its label, its source, the panel it sits in."""

    value: str
    label: Runs
    source: str | None  # as printed: 'Source: …' in the outline's language
    frame: Frame
    value_size: Pt
    label_size: Pt = Pt(20.0)
    source_size: Pt = Pt(12.0)

    def __post_init__(self) -> None:
        _lengths(self, "value_size", "label_size", "source_size")


@dataclass(frozen=True)
class PlotSeries:
    """One series as drawn: name, values (None = no point), colour, role, dash."""

    name: str
    values: tuple[float | None, ...]
    colour: Colour
    role: SeriesRole = "data"
    dashed: bool = False


@dataclass(frozen=True)
class ChartPlan:
    """A native chart as drawn: kind, categories and series in display order, labels, legend, alt text."""

    chart_id: str
    kind: Literal["line", "column", "bar", "area", "scatter"]
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
    # charts shared with the brief (chartrules): fixed value axis, hidden labels, plan band, drawn target, scatter
    axis: tuple[float, float, float] | None = None  # value axis (minimum, maximum, major step)
    hidden_labels: tuple[tuple[int, ...], ...] = ()  # per series, the categories (drawn order) whose label is hidden
    category_size: float | None = None  # category labels' size, pt, when the chart text size would crowd them
    plan_from: int | None = None  # line charts: the first planned category (a shaded band headed "Plan")
    target: tuple[float, str] | None = None  # bar charts: a vertical reference line (value, label) drawn over the plot
    points: tuple[tuple[str, float, float], ...] = ()  # scatter charts: (label, x, y)
    x_axis: tuple[float, float, float] | None = None  # scatter charts: the x axis (minimum, maximum, step)
    x_unit: str | None = None
    x_format: str = "General"
    label_positions: tuple[str, ...] = ()  # scatter charts: each point label's side (chartrules.place_labels)
    label_size: float | None = None  # data labels' size, pt, when the chart text size would make them collide
    labels_turned: bool = False  # data labels set upright (side-by-side columns too narrow for them level)
    plan_label: str = "Plan"  # the plan band's heading, in the outline's language
    total_label: str = "Total"  # stacked bars: the totals series' name
    language: str = "en-US"  # the tag of the chart's own text runs
    # issue 21: the brief's styling rules, as far as a native chart can follow them
    gridlines: bool = True  # value-axis gridlines; off when every bar or column carries its value label (they repeat it)
    unit_in_title: bool = False  # the unit is already in a title the slide shows: no value-axis title repeats it

    @property
    def axis_title(self) -> str | None:
        """The value axis's title: the unit, unless a title on the slide already says it."""
        return None if self.unit_in_title else self.unit


# ---------------------------------------------------------------- slides: one type per kind


@dataclass(frozen=True)
class Slide:
    """What every slide has: its number, title runs, speaker notes and the outline place it comes from.

    `kind` names the slide kind in the outline's vocabulary (`theme.layouts` keys); writers dispatch on the type."""

    kind: ClassVar[str]
    title: Runs
    number: int = 0  # 1..N, set once the deck's order is known
    notes: str = ""
    continued: bool = False
    loc: Loc = ()
    title_size: Pt | None = None  # None = the geometry's title size; set when a long title steps down
    title_lines: int = 0  # the lines the planner measured the title to take
    notes_from: tuple[str, ...] = ()  # for `deckgen pull`: the ref of each blank-line-separated block of `notes`

    def __post_init__(self) -> None:
        _lengths(self, "title_size")


@dataclass(frozen=True)
class TextSlide(Slide):
    """A slide whose content is paragraphs in the body placeholder; `fill` says why the planner set them larger than
    the template's size (short content grown to balance the slide), '' when it did not; `centred`: so few that they
    stand in the middle of the body."""

    body: tuple[Para, ...] = ()
    fill: str = ""
    centred: bool = False  # the body set in the middle of its frame (points too few to fill it even when grown)


@dataclass(frozen=True)
class TitleSlide(TextSlide):
    """The cover: the series' nameplate above the title (when the outline names a series and the cover has room for
    it), the title, then subtitle, authors and the publisher's line."""

    kind: ClassVar[str] = "title"
    nameplate: str = ""
    nameplate_frame: Frame | None = None


@dataclass(frozen=True)
class ClosingSlide(TextSlide):
    """The last slide: thanks, authors, organisation."""

    kind: ClassVar[str] = "closing"


@dataclass(frozen=True)
class AgendaSlide(TextSlide):
    """The sections in order, each entry a link to the section's first slide."""

    kind: ClassVar[str] = "agenda"


@dataclass(frozen=True)
class SectionSlide(TextSlide):
    """A section opener: its number and title."""

    kind: ClassVar[str] = "section"


@dataclass(frozen=True)
class BulletSlide(TextSlide):
    """A section's points as bullets and sub-bullets."""

    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class SourcesSlide(TextSlide):
    """The sources, one paragraph each, numbered as the brief numbers them; set in `columns` text columns
    COLUMN_GAP apart (the body's text flows from one to the next)."""

    kind: ClassVar[str] = "sources"
    columns: int = 1


@dataclass(frozen=True)
class PanelSlide(TextSlide):
    """Points on a light panel with an accent edge; the panel spans the body's width (the grid), the text sits
    PANEL_PAD inside it (`body_frame`)."""

    panel: Frame | None = None
    body_frame: Frame | None = None


PANEL_PAD = 16.0  # pt between a panel's edges and its text frame, left and right


def panel_text(body: Frame) -> Frame:
    """The text frame of a panel slide: the body, PANEL_PAD narrower on each side."""
    return Frame(body.x + PANEL_PAD, body.y, body.w - 2 * PANEL_PAD, body.h)


@dataclass(frozen=True)
class ConclusionsSlide(PanelSlide):
    """Conclusions: square accent bullets on a panel."""

    kind: ClassVar[str] = "conclusions"


@dataclass(frozen=True)
class RecommendationsSlide(PanelSlide):
    """Recommendations: numbered on a panel, numbering continued across (cont.) slides."""

    kind: ClassVar[str] = "recommendations"


@dataclass(frozen=True)
class QuoteSlide(TextSlide):
    """A large quotation and its attribution, beside an accent edge (`edge`)."""

    kind: ClassVar[str] = "quote"
    edge: Frame | None = None


@dataclass(frozen=True)
class ChartSlide(Slide):
    """A native chart with its source line under it."""

    kind: ClassVar[str] = "chart"
    chart: ChartPlan | None = None
    source: Runs = ()
    source_size: Pt = Pt(12.0)


@dataclass(frozen=True)
class BulletsChartSlide(TextSlide):
    """Bullets in the left column, a chart and its source on the right."""

    kind: ClassVar[str] = "bullets_chart"
    body_frame: Frame | None = None
    chart: ChartPlan | None = None
    chart_frame: Frame | None = None
    source: Runs = ()
    source_frame: Frame | None = None
    source_size: Pt = Pt(12.0)


@dataclass(frozen=True)
class KeyFiguresSlide(Slide):
    """Two to four key figures on panels."""

    kind: ClassVar[str] = "key_figures"
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class TableLine:
    """One row of a table as drawn: its cells' text (formatted), its measured height, and how it is marked."""

    cells: tuple[str, ...]
    height: Pt
    key: bool = False  # a highlighted row: bold on a tint
    total: bool = False  # the total row: bold under a rule

    def __post_init__(self) -> None:
        _lengths(self, "height")


@dataclass(frozen=True)
class TablePlan:
    """A native table as drawn: its frame, column widths and alignments, the header row and the body rows, every
    height measured at `size` pt with the cell insets `pad_x` (left, right) and `pad_y` (top, bottom)."""

    table_id: str
    frame: Frame
    widths: tuple[Pt, ...]
    align: tuple[Literal["left", "right"], ...]
    header: TableLine
    rows: tuple[TableLine, ...]
    size: Pt
    pad_x: Pt = Pt(7.2)
    pad_y: Pt = Pt(3.6)
    alt: str = ""  # the table's alternative text (its title, size and column headers)

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", tuple(Pt(w) for w in self.widths))
        _lengths(self, "size", "pad_x", "pad_y")


@dataclass(frozen=True)
class TableSlide(Slide):
    """A native, editable table (the header row repeated on every (cont.) slide, the total row on the last) with its
    source line at the foot of the slide."""

    kind: ClassVar[str] = "table"
    table: TablePlan | None = None
    source: Runs = ()
    source_size: Pt = Pt(12.0)


@dataclass(frozen=True)
class PictureSlide(Slide):
    """An image of its own: the picture fitted into the body frame (aspect kept), its credit small under it."""

    kind: ClassVar[str] = "picture"
    picture: Picture | None = None
    frame: Frame | None = None
    alt: str = ""
    credit: Runs = ()
    credit_frame: Frame | None = None
    credit_size: Pt = Pt(12.0)


@dataclass(frozen=True)
class BulletsPictureSlide(TextSlide):
    """Bullets in the left half, an image (and its credit) in the right half."""

    kind: ClassVar[str] = "bullets_picture"
    body_frame: Frame | None = None
    picture: Picture | None = None
    frame: Frame | None = None
    alt: str = ""
    credit: Runs = ()
    credit_frame: Frame | None = None
    credit_size: Pt = Pt(12.0)


@dataclass(frozen=True)
class BoxSlide(PanelSlide):
    """A titled call-out: its text (style "plain") and items on a light panel with an accent edge."""

    kind: ClassVar[str] = "box"


@dataclass(frozen=True)
class ComparisonColumn:
    """One column of a comparison: its heading and body paragraphs, each in its planned frame."""

    heading: Runs
    heading_frame: Frame
    heading_size: Pt
    body: tuple[Para, ...]
    body_frame: Frame

    def __post_init__(self) -> None:
        _lengths(self, "heading_size")


@dataclass(frozen=True)
class ComparisonSlide(Slide):
    """Two or three columns side by side, each a heading over its text and points (the template's comparison
    layout holds two; otherwise, and for three, text boxes in the planned frames)."""

    kind: ClassVar[str] = "comparison"
    columns: tuple[ComparisonColumn, ...] = ()


SLIDE_TYPES: tuple[type[Slide], ...] = (TitleSlide, AgendaSlide, SectionSlide, KeyFiguresSlide, BulletSlide,
                                        BulletsChartSlide, QuoteSlide, ConclusionsSlide, RecommendationsSlide,
                                        ChartSlide, TableSlide, SourcesSlide, ClosingSlide,
                                        PictureSlide, BulletsPictureSlide, BoxSlide, ComparisonSlide)
SLIDE_KINDS: tuple[str, ...] = tuple(t.kind for t in SLIDE_TYPES)


def body_of(slide: Slide) -> tuple[Para, ...]:
    """The body paragraphs of a slide (none for chart and key-figure slides)."""
    return slide.body if isinstance(slide, TextSlide) else ()


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
    logo_alt: str = "Logo"  # the logo's alternative text, in the outline's language


@dataclass(frozen=True)
class Look:
    """Text colours and fonts a user's template gives titles, body text and the cover, written on every run so that
    every client draws what was measured (None on the built-in template, whose master styles say it all)."""

    title_colour: Colour
    title_font: str
    body_colour: Colour
    body_font: str
    cover_title_colour: Colour
    cover_colour: Colour
    section_title_y: Pt  # where a section opener's title sits (its number above it)
    footer_colour: Colour | None = None  # footer text, readable on what lies behind the footer
    number_colour: Colour | None = None  # the slide number, readable on what lies behind it
    link_colour: Colour | None = None  # hyperlinks (the template's own when readable)
    title_plate: Colour | None = None  # a fill behind titles, where what lies behind them leaves no readable ink
    body_plate: Colour | None = None
    cover_title_plate: Colour | None = None
    cover_plate: Colour | None = None
    chart_plate: Colour | None = None  # a fill of the chart area over a busy ground


@dataclass(frozen=True)
class DeckPlan:
    """The whole deck, laid out: document info, geometry, slides numbered 1..N, the template's look (if any)."""

    info: DocInfo
    geometry: Geometry
    slides: tuple[Slide, ...]
    look: Look | None = None
    banner: Banner | None = field(default=None, metadata={"omit_none": True})  # a classified outline's level


def field_names(cls: type) -> tuple[str, ...]:
    """The field names of a plan type (for tests and tools)."""
    return tuple(f.name for f in fields(cls))


def point_ref(section_id: str, index: int, point) -> str:
    """The reference `deckgen pull` maps a point back by: 'section/point-id', or 'section/#index' for a point without an id."""
    return f"{section_id}/{point.id}" if point.id else f"{section_id}/#{index}"


def point_paras(point, ref: str = "") -> list[Para]:
    """A point as slide paragraphs: its text (level 0), then its sub-points (level 1); `ref` names the point (point_ref)."""
    return [Para(runs(point.text), 0, ref=ref, key=point.key)] + [Para(runs(q.text), 1, ref=f"{ref}/{qi}" if ref else "")
                                                   for qi, q in enumerate(point.points)]
