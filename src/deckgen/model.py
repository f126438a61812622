"""The format-free content model of a briefing outline (pydantic v2, frozen, unknown keys rejected)."""
from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, AnyUrl, BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, UrlConstraints,
                      ValidationError, field_validator, model_validator)

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="A short identifier: a letter, then letters, digits, '-' or '_'.")]
Text = Annotated[str, Field(min_length=1, description="Text; inline **bold**, *italic* and [text](url) are allowed.")]
Tag = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
MAX_LABEL = 200  # a table header, a chart's category or series name: set in a narrow cell or beside an axis
MAX_FIGURE = 300  # a key figure as printed ('$800 bn'): set large, in a grid cell
MAX_FIGURE_LABEL = 1000  # what a key figure measures: set in a grid cell, whose row must fit on a page
MAX_CELL = 1000  # a table cell's text
Label = Annotated[str, Field(min_length=1, max_length=MAX_LABEL, description="Short text (at most 200 characters).")]
MAX_TITLE = 2000  # a title or caption: set as a heading, a slide title or a caption beside a figure or table
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE, description="Text; inline **bold**, *italic* and [text](url) are allowed (at most 500 characters).")]

LINK_SCHEMES = ("http", "https", "mailto")
MAX_CATEGORIES = 1000  # a chart with more cannot be read on a slide or a page; refused before any drawing
MAX_SERIES = 50
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_LANGUAGE = 35  # the longest tag in common use is far shorter (e.g. 'zh-Hant-TW', 'sr-Latn-RS')
MAX_MAGNITUDE = 1e15  # a thousand trillion: beyond it a number cannot be formatted, scaled or drawn reliably
MIN_MAGNITUDE = 1e-9  # a non-zero value nearer zero than this cannot be told apart on an axis or in a label


def check_language(v: str) -> str:
    if len(v) > MAX_LANGUAGE or not _BCP47.match(v):
        raise ValueError(f"'{v[:40]}' is not a BCP 47 language tag — write e.g. 'en', 'pl' or 'en-GB'")
    return v


def check_number(v: float) -> float:
    """A value to chart or tabulate: finite (pydantic already refuses NaN and infinity), at most ±10^15 and, unless zero,
    at least 10^-9 in size — what matplotlib, PowerPoint and number formatting all handle exactly."""
    if abs(v) > MAX_MAGNITUDE:
        raise ValueError(f"{v:g} is too large: numbers are limited to ±10^15 — write it in a larger unit "
                         "(e.g. billions) and name the unit in `unit`")
    if v and abs(v) < MIN_MAGNITUDE:
        raise ValueError(f"{v:g} is too close to zero to draw: non-zero numbers must be at least 10^-9 in size — "
                         "write it in a smaller unit (e.g. millionths) and name the unit in `unit`, or write 0")
    return v


Number = Annotated[float, AfterValidator(check_number)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False,
                              populate_by_name=True)  # `from` is written `from_` in Python
    # field -> the language its text is still written in, where a translation left it as written (translate.py)
    # (None, not a default_factory: pydantic inspects a factory's signature for every object made, ~10 ms a build)
    _foreign: dict[str, str] | None = PrivateAttr(default=None)

    def language_of(self, name: str) -> str | None:
        """The language field `name` is written in where it is not the outline's (a text its translation lacks)."""
        return self._foreign.get(name) if self._foreign else None


def _text_item(value: Any) -> Any:
    """Let a plain string stand for an object whose only required field is `text`."""
    return {"text": value} if isinstance(value, str) else value


MAX_LINK = 2000
# pydantic's URL validation (WHATWG parsing, allowed schemes, length); only to check: the link is kept exactly as
# written (pydantic's Url normalises, e.g. `https://a.org` → `https://a.org/`, which would change the output).
_LINK = TypeAdapter(Annotated[AnyUrl, UrlConstraints(max_length=MAX_LINK, allowed_schemes=list(LINK_SCHEMES))])


def check_url(url: str) -> str:
    """Return the URL, unchanged, if it is a well-formed http, https or mailto link; raise ValueError otherwise."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES:
        raise ValueError(f"link '{url[:80]}' is not allowed — use an http://, https:// or mailto: link")
    if len(url) > MAX_LINK:
        raise ValueError(f"link is longer than {MAX_LINK} characters — shorten it")
    try:
        parsed = _LINK.validate_python(url)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Input should be a valid URL, ")
        example = "mailto:name@example.org" if scheme == "mailto" else "https://host/path"
        raise ValueError(f"link '{url[:80]}' is not a well-formed URL ({reason}) — write it as {example}") from None
    if scheme in ("http", "https") and "." not in (parsed.host or "").strip("."):
        raise ValueError(f"link '{url[:80]}' has no valid host — write it as https://host/path")
    if re.search(r"\s", url):
        raise ValueError("link contains white space — encode spaces as %20")
    return url


class Meta(_Model):
    """Who wrote the briefing, when, and for which series."""

    title: Text
    subtitle: str | None = None
    series: str | None = Field(None, description="Series name, e.g. 'PISM Bulletin'.")
    number: str | None = Field(None, description="Issue number as printed, e.g. 'No. 61 (2365)'.")
    date: _dt.date = Field(description="Publication date, YYYY-MM-DD.")
    authors: list[str] = []
    organisation: str | None = None
    language: str = Field("en", description="BCP 47 language tag, e.g. 'en' or 'pl'.")
    classification: str | None = Field(None, description="A classification level id (a banner on every slide and page, e.g. 'restricted') or a free footer line, e.g. 'Public'.")
    keywords: list[str] = []
    url: str | None = None
    # the brief's end matter: each printed only when given
    about_authors: str | None = Field(None, description="About the authors (brief end matter).")
    about: str | None = Field(None, description="The organisation's boilerplate (brief end matter).")
    issn: str | None = Field(None, description="ISSN of the series, e.g. '2657-6139'.")
    copyright: str | None = Field(None, description="Copyright line, e.g. '© PISM 2024'.")
    licence: str | None = Field(None, description="Licence, e.g. 'CC BY 4.0'.")
    contact: str | None = Field(None, description="Contact line: address, e-mail, web.")

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        return check_language(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return None if v is None else check_url(v)


class SubPoint(_Model):
    """A second-level bullet."""

    text: Text
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _text_item(v)))


class Point(_Model):
    """A first-level bullet with optional sub-points, prose detail, speaker notes and sources."""

    id: Id | None = None
    text: Text
    key: bool = Field(False, description="A key point: kept in summary-depth audiences.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")
    points: list[SubPoint] = Field([], description="Sub-points (one level).")
    detail: str | None = Field(None, description="Prose for the brief; speaker notes in the deck unless `notes` is set.")
    notes: str | None = Field(None, description="Speaker notes for the deck.")
    sources: list[Id] = Field([], description="Ids of entries in the outline's `sources`.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _text_item(v)))


SectionKind = Literal["auto", "bullets", "chart", "quote", "conclusions", "recommendations", "comparison"]


class Quote(_Model):
    """A quotation with who said it and in what role."""

    text: Text
    by: str | None = Field(None, description="Who said or wrote it, e.g. 'Kishida Fumio'.")
    role: str | None = Field(None, description="Their role or where it was said, e.g. 'Prime Minister of Japan'.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _text_item(v)))


class Box(_Model):
    """A titled call-out: 'Key takeaway', 'Recommendation', 'Box 1'."""

    title: Title
    text: str | None = Field(None, description="The box's prose.")
    points: list[SubPoint] = Field([], description="Short items listed in the box.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")


class Column(_Model):
    """One side of a comparison (before/after, option A/option B)."""

    title: Title
    text: str | None = None
    points: list[SubPoint] = []
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")


class Section(_Model):
    """A titled part of the briefing: its points and the charts, tables, images, quotes and boxes that belong to it.

    Both products show a section's parts in this order: intro, quotes, points, comparison columns, boxes, tables,
    charts, images."""

    id: Id
    title: Title
    kind: SectionKind = Field("auto", description="Slide kind to use where the default is wrong.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")
    intro: str | None = Field(None, description="An optional paragraph before the points (brief only).")
    quotes: list[Quote] = Field([], description="Quotations with attribution.")
    points: list[Point] = []
    columns: list[Column] = Field([], description="A comparison: two or three columns side by side (kind: comparison).")
    boxes: list[Box] = Field([], description="Titled call-outs.")
    tables: list[Id] = Field([], description="Ids of entries in the outline's `tables`.")
    charts: list[Id] = Field([], description="Ids of entries in the outline's `charts`.")
    images: list[Id] = Field([], description="Ids of entries in the outline's `images`.")
    notes: str | None = None


class KeyFigure(_Model):
    """A big number with what it measures."""

    id: Id
    value: Text = Field(max_length=MAX_FIGURE, description="The figure as printed, e.g. '$800 bn'.")
    label: str = Field(min_length=1, max_length=MAX_FIGURE_LABEL)
    source: str | None = None
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")


class Series(_Model):
    """One named row of chart values, one per category."""

    name: Label
    values: list[Number] = Field(min_length=1, max_length=MAX_CATEGORIES)


class Target(_Model):
    """A horizontal reference line on a chart."""

    value: Number
    label: Text


ChartKind = Literal["line", "column", "bar", "area", "scatter"]


class DataRef(_Model):
    """Data kept in a file beside the outline: a CSV file, or a sheet (and range) of an .xlsx workbook."""

    file: str = Field(description="Path relative to the outline: .csv or .xlsx.")
    sheet: str | None = Field(None, description="Workbook sheet (default: the first).")
    range: str | None = Field(None, description="Cell range, e.g. 'A1:D9' (default: the sheet's used range).")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: {"file": v} if isinstance(v, str) else v))


class ScatterPoint(_Model):
    """One labelled point of a scatter chart."""

    label: Text
    x: Number
    y: Number


class Chart(_Model):
    """A data chart: categories, series, unit, source, and how to draw it.

    The data come from exactly one place: `categories` + `series` written in the outline, `data` (a file: first
    column the categories, first row the series names), `from` (a table's first column and its number columns) or,
    for `scatter`, `points`. The loader fills `categories`/`series`/`points` from a file or table before checking."""

    id: Id
    kind: ChartKind
    title: Title
    unit: str | None = Field(None, description="Unit of the values, shown as the axis title, e.g. '% of GDP'.")
    x_unit: str | None = Field(None, description="Scatter charts: unit of the x values (axis title).")
    categories: list[Annotated[str, Field(max_length=MAX_LABEL)]] = Field([], max_length=MAX_CATEGORIES)
    series: list[Series] = Field([], max_length=MAX_SERIES)
    points: list[ScatterPoint] = Field([], max_length=MAX_CATEGORIES, description="Scatter charts: labelled points.")
    data: DataRef | None = Field(None, description="Take categories and series from a .csv or .xlsx file.")
    from_: Id | None = Field(None, alias="from", description="Take categories and series from a table (by id).")
    target: Target | None = None
    projected_from: str | None = Field(None, description="First category whose values are a plan (drawn dashed).")
    stacked: bool = False
    sort: bool = Field(False, description="Bar charts: sort categories by the first series, largest first.")
    decimals: int | None = Field(None, ge=0, le=6, description="Decimals shown in data labels.")
    axis_decimals: int | None = Field(None, ge=0, le=6, description="Decimals on the value axis (default: as few as the ticks need).")
    source: Text = Field(description="Where the data comes from; printed as 'Source: …'.")
    alt: str | None = Field(None, description="Alternative text; generated from the data when absent.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")

    @field_validator("categories")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        seen: set[str] = set()
        for c in v:
            if c in seen:
                raise ValueError(f"category '{c}' appears twice — each category must be unique")
            seen.add(c)
        return v


class TableColumn(_Model):
    """A table column: its header, and for numbers their unit and decimals."""

    name: Label
    unit: str | None = Field(None, max_length=MAX_LABEL, description="Unit of a number column, shown in its header, e.g. 'US$ bn'.")
    decimals: int | None = Field(None, ge=0, le=6, description="Decimals shown (number columns).")
    kind: Literal["auto", "text", "number"] = Field(
        "auto", description="number: aligned on the decimal point; auto: number when every cell is a number.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: {"name": v} if isinstance(v, str) else v))


Cell = Annotated[str, Field(max_length=MAX_CELL)] | Number | None


class TableRow(_Model):
    """One row: its cells (one per column) and whether it is highlighted."""

    cells: list[Cell]
    key: bool = Field(False, description="Highlight the row.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: {"cells": v} if isinstance(v, list) else v))


class Table(_Model):
    """A table of figures: header row, rows, optional total row, caption and source."""

    id: Id
    title: str = Field(min_length=1, max_length=MAX_TITLE, description="The caption: 'Table 1. <title>' in the brief, the slide title in the deck.")
    columns: list[TableColumn] = Field([], description="Headers (the first row of a data file when absent).")
    rows: list[TableRow] = Field([], description="The rows (from `data` when given).")
    data: DataRef | None = Field(None, description="Take the header and rows from a .csv or .xlsx file.")
    total: bool | str = Field(False, description="Add a total row summing the number columns; a text is its label.")
    source: str | None = Field(None, description="Where the data comes from; printed as 'Source: …'.")
    notes: str | None = Field(None, description="Speaker notes for the table's slide.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")

    @field_validator("total", mode="before")
    @classmethod
    def _total(cls, v: Any) -> Any:
        """`total: true` / `false` (YAML text to the loader) is the switch; any other text is the row's label."""
        return {"true": True, "false": False}.get(v.strip().lower(), v) if isinstance(v, str) else v


class Image(_Model):
    """A photo, map or diagram (PNG, JPEG or SVG) beside the outline."""

    id: Id
    file: str = Field(description="Path relative to the outline: .png, .jpg/.jpeg or .svg.")
    alt: Text = Field(description="What the image shows, for readers who cannot see it (required).")
    caption: str | None = Field(None, max_length=MAX_TITLE, description="Caption: 'Figure N. <caption>' in the brief, slide title in the deck.")
    credit: str | None = Field(None, description="Photographer, agency or licence, printed small under the image.")
    width: Literal["column", "page"] = Field("column", description="Brief: the text column or the whole page width.")
    place: Literal["slide", "beside"] = Field("slide", description="Deck: a slide of its own, or beside the section's points.")
    tags: list[Tag] = []
    marking: str | None = Field(None, description="Classification level of this item (a level id, e.g. 'restricted'): a build refuses to give it to an audience classified lower.")


class Source(_Model):
    """A reference: what it is and where to find it."""

    id: Id | None = None
    title: Text
    url: str | None = None
    publisher: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return None if v is None else check_url(v)


# --- translations and wording overrides: the outline's texts by the id of what they belong to ---------------------


def _title_item(value: Any) -> Any:
    """Let a plain string stand for an object whose field is `title`."""
    return {"title": value} if isinstance(value, str) else value


class PointText(_Model):
    """A point's texts in another wording (a plain string is its `text`)."""

    text: str | None = None
    detail: str | None = None
    notes: str | None = None
    points: list[str] | None = Field(None, description="The sub-points' texts, in order (one per sub-point).")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _text_item(v)))


class QuoteText(_Model):
    """A quotation's texts in another wording (a plain string is its `text`)."""

    text: str | None = None
    by: str | None = None
    role: str | None = None

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _text_item(v)))


class ItemText(_Model):
    """A box's or comparison column's texts in another wording (a plain string is its `title`)."""

    title: str | None = Field(None, max_length=MAX_TITLE)
    text: str | None = None
    points: list[str] | None = Field(None, description="Its items' texts, in order.")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _title_item(v)))


class SectionText(_Model):
    """A section's texts in another wording (a plain string is its `title`); quotes, boxes, columns by position."""

    title: str | None = Field(None, max_length=MAX_TITLE)
    intro: str | None = None
    notes: str | None = None
    quotes: list[QuoteText] | None = None
    boxes: list[ItemText] | None = None
    columns: list[ItemText] | None = None

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _title_item(v)))


class KeyFigureText(_Model):
    """A key figure's texts in another wording."""

    value: str | None = Field(None, max_length=MAX_FIGURE)
    label: str | None = Field(None, max_length=MAX_FIGURE_LABEL)
    source: str | None = None


class ChartText(_Model):
    """A chart's texts in another wording: series, categories and scatter-point labels by their text as written."""

    title: str | None = Field(None, max_length=MAX_TITLE)
    unit: str | None = None
    x_unit: str | None = None
    source: str | None = None
    alt: str | None = None
    target: str | None = Field(None, description="The target line's label.")
    series: dict[str, Annotated[str, Field(max_length=MAX_LABEL)]] = Field({}, description="Series name as written → its translation.")
    categories: dict[str, Annotated[str, Field(max_length=MAX_LABEL)]] = Field({}, description="Category as written → its translation.")
    points: dict[str, str] = Field({}, description="Scatter point label as written → its translation.")


class TableText(_Model):
    """A table's texts in another wording: its headers by position, its text cells by their text as written."""

    title: str | None = Field(None, max_length=MAX_TITLE)
    source: str | None = None
    notes: str | None = None
    total: str | None = Field(None, description="The total row's label (when the table's `total` is a text).")
    columns: list[Annotated[str, Field(max_length=MAX_LABEL)]] | None = Field(None, description="The column headers, in order (one per column).")
    cells: dict[str, Annotated[str, Field(max_length=MAX_CELL)]] = Field({}, description="A text cell as written → its translation (every cell with that text).")


class ImageText(_Model):
    """An image's texts in another wording."""

    alt: str | None = None
    caption: str | None = Field(None, max_length=MAX_TITLE)
    credit: str | None = None


class SourceText(_Model):
    """A source's texts in another wording (a plain string is its `title`)."""

    title: str | None = None
    publisher: str | None = None

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: _title_item(v)))


class MetaText(_Model):
    """The outline's meta texts in another wording (authors, dates and links stay as written)."""

    title: str | None = None
    subtitle: str | None = None
    series: str | None = None
    number: str | None = None
    organisation: str | None = None
    classification: str | None = None
    keywords: list[str] | None = None
    about_authors: str | None = None
    about: str | None = None
    copyright: str | None = None
    licence: str | None = None
    contact: str | None = None


class Translation(_Model):
    """Every text of the outline in another wording, by the id of the thing it belongs to (all keys optional)."""

    meta: MetaText = MetaText()
    lead: str | None = None
    labels: dict[str, str] = Field({}, description="deckgen's own words in this language (see `labels`).")
    sections: dict[Id, SectionText] = Field({}, description="Section id → its texts.")
    points: dict[Id, PointText] = Field({}, description="Point id → its texts (a plain string: the point's text).")
    key_figures: dict[Id, KeyFigureText] = {}
    charts: dict[Id, ChartText] = {}
    tables: dict[Id, TableText] = {}
    images: dict[Id, ImageText] = {}
    sources: dict[Id, SourceText] = {}
    footnotes: dict[Id, str] = {}


class Overrides(Translation):
    """Wording an audience sees instead of the outline's: any text by id, as in `translations`; `title` and
    `subtitle` are short for `meta: {title, subtitle}`."""

    title: str | None = None
    subtitle: str | None = None


class Audience(_Model):
    """How one audience's deck and brief differ from the full outline."""

    description: str | None = None
    include: list[Tag] = Field([], description="Keep only tagged items carrying one of these tags (untagged items stay).")
    exclude: list[Tag] = Field([], description="Drop items carrying any of these tags.")
    depth: Literal["full", "summary"] = "full"
    max_points: int | None = Field(None, ge=1, description="With depth: summary, at most this many points per section.")
    speaker_notes: bool = True
    sources_slide: bool = True
    classification: str | None = None
    first: Id | None = Field(None, description="Id of a section to put first.")
    language: str | None = Field(None, description="BCP 47 tag of the audience's language (default: meta.language); "
                                 "the outline's `translations` for it apply.")
    labels: dict[str, str] = Field({}, description="deckgen's own words for this audience (see `labels`).")
    overrides: Overrides = Overrides()

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        return None if v is None else check_language(v)


class Level(_Model):
    """One classification level: its id (what markings and audiences name), the label its banner prints, the banner's colour."""

    id: Id
    label: Text = Field(max_length=60, description="What the banner prints, e.g. 'RESTRICTED' (one line: at most 60 characters).")
    colour: str = Field(description="The banner's fill, '#RRGGBB'; its text is black or white, whichever reads (at least 4.5:1).")

    @field_validator("colour")
    @classmethod
    def _colour(cls, v: str) -> str:
        if not re.fullmatch(r"#?[0-9A-Fa-f]{6}", v):
            raise ValueError(f"'{v}' is not a colour — write '#' and six hex digits, e.g. '#C8102E'")
        return "#" + v.lstrip("#").upper()


class Classification(_Model):
    """The outline's own classification scale, lowest level first (in place of the built-in one)."""

    levels: list[Level] = Field(min_length=1, description="The levels, lowest first.")


class ThemeRef(_Model):
    """Which look to use: a built-in theme name and optionally the user's own .pptx template."""

    name: str = "default"
    template: str | None = Field(None, description="Path to a .pptx template, relative to the outline.")
    logo: str | None = Field(None, description="Path to a logo image, relative to the outline.")
    fonts: list[str] = Field(default_factory=list, description="Font files (.ttf, .otf), relative to the outline, tried "
                             "first for characters the theme's font lacks (brief and charts embed them; the deck names their family).")
    section_headers: bool = Field(False, description="Open every section with a section-header slide.")
    layouts: dict[str, str] = Field(default_factory=dict, description="Slide kind -> layout name in the template "
                                    "(kinds: title, section, agenda, bullets, quote, conclusions, recommendations, sources, chart, table, key_figures, closing).")

    _plain = model_validator(mode="before")(classmethod(lambda cls, v: {"name": v} if isinstance(v, str) else v))


class Options(_Model):
    """What the products include beyond the content (an audience may change these)."""

    speaker_notes: bool = Field(True, description="Write speaker notes into the deck.")
    sources_slide: bool = Field(True, description="End the deck with the sources; list references in the brief.")


class BriefOptions(_Model):
    """How the PDF brief sets the points, its notes and its charts' data."""

    style: Literal["prose", "bullets"] = Field(
        "prose", description="prose: each point a paragraph with a bold run-in head; bullets: a bullet per point.")
    notes: Literal["foot", "end"] = Field("foot", description="Footnotes at the foot of their page, or as endnotes.")
    chart_data: Literal["hidden", "annex", "none"] = Field(
        "hidden", description="Each chart's data as a table: hidden: beside its figure, read only by screen readers "
        "(tagged, drawn invisibly); annex: a visible 'Chart data' annex after the sources, one table per chart; "
        "none: neither.")


class Outline(_Model):
    """A whole briefing outline: the single source of both the deck and the brief."""

    meta: Meta
    lead: Text = Field(description="The summary paragraph.")
    sections: list[Section] = Field(min_length=1)
    key_figures: list[KeyFigure] = []
    charts: list[Chart] = []
    tables: list[Table] = []
    images: list[Image] = []
    footnotes: dict[Id, Text] = Field({}, description="Notes cited in text as [^id] (or written inline as ^[text]).")
    sources: list[Source] = []
    audiences: dict[Id, Audience] = {}
    labels: dict[str, str] = Field({}, description="deckgen's own words as this outline prints them, by key "
                                   "(e.g. `agenda: Plan`); see the catalogue in docs/outline-format.md.")
    translations: dict[str, Translation] = Field({}, description="BCP 47 tag → the outline's texts in that language, "
                                                 "by id; used by audiences with that `language`.")
    theme: ThemeRef = ThemeRef()
    options: Options = Options()
    brief: BriefOptions = BriefOptions()
    classification: Classification | None = Field(None, description="Own classification levels (lowest first) instead of the built-in scale.")

    def chart(self, chart_id: str) -> Chart:
        """The chart with this id."""
        return next(c for c in self.charts if c.id == chart_id)

    def table(self, table_id: str) -> Table:
        """The table with this id."""
        return next(t for t in self.tables if t.id == table_id)

    def image(self, image_id: str) -> Image:
        """The image with this id."""
        return next(i for i in self.images if i.id == image_id)

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return next(s for s in self.sources if s.id == source_id)


Loc = tuple[str | int, ...]


def check(outline: Outline) -> list[tuple[Loc, str]]:
    """Cross-field checks pydantic cannot express: ids, references, chart shapes (links in text: the loader)."""
    out: list[tuple[Loc, str]] = []

    def unique(items: list[Any], where: str) -> set[str]:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            item_id = getattr(item, "id", None)
            if item_id is None:
                continue
            if item_id in seen:
                out.append(((where, i, "id"), f"id '{item_id}' is already used by {where}[{seen[item_id]}] — give each a unique id"))
            else:
                seen[item_id] = i
        return set(seen)

    section_ids = unique(outline.sections, "sections")
    chart_ids = unique(outline.charts, "charts")
    unique(outline.key_figures, "key_figures")
    source_ids = unique(outline.sources, "sources")
    table_ids = unique(outline.tables, "tables")
    image_ids = unique(outline.images, "images")
    point_ids: dict[str, Loc] = {}
    tags: set[str] = set()

    for si, s in enumerate(outline.sections):
        tags.update(s.tags)
        for ci, cid in enumerate(s.charts):
            if cid not in chart_ids:
                out.append((("sections", si, "charts", ci), _missing("chart", cid, chart_ids)))
        for ti, tid in enumerate(s.tables):
            if tid not in table_ids:
                out.append((("sections", si, "tables", ti), _missing("table", tid, table_ids)))
        for ii, iid in enumerate(s.images):
            if iid not in image_ids:
                out.append((("sections", si, "images", ii), _missing("image", iid, image_ids)))
        for group in ("quotes", "columns", "boxes"):
            for item in getattr(s, group):
                tags.update(item.tags)
                for sub in getattr(item, "points", ()):  # a box's or column's items
                    tags.update(sub.tags)
        if s.kind == "comparison" and not 2 <= len(s.columns) <= 3:
            out.append((("sections", si, "columns"), f"a comparison has two or three columns, not {len(s.columns)} — "
                        "write `columns: [{title: ..., points: [...]}, ...]`"))
        for pi, p in enumerate(s.points):
            tags.update(p.tags)
            loc = ("sections", si, "points", pi)
            if p.id is not None:
                if p.id in point_ids:
                    out.append((loc + ("id",), f"point id '{p.id}' is already used — give each point a unique id"))
                point_ids[p.id] = loc
            for qi, q in enumerate(p.points):
                tags.update(q.tags)
            for ri, ref in enumerate(p.sources):
                if ref not in source_ids:
                    out.append((loc + ("sources", ri), _missing("source", ref, source_ids)))
    for ki, k in enumerate(outline.key_figures):
        tags.update(k.tags)
    for ci, c in enumerate(outline.charts):
        tags.update(c.tags)
        out += [(("charts", ci) + loc, msg) for loc, msg in check_chart(c)]
        if c.from_ is not None and c.from_ not in table_ids:
            out.append((("charts", ci, "from"), _missing("table", c.from_, table_ids)))
    for ti, t in enumerate(outline.tables):
        out += [(("tables", ti) + loc, msg) for loc, msg in check_table(t)]
    for item in (*outline.tables, *outline.images):
        tags.update(item.tags)
    for name, a in outline.audiences.items():
        for key in ("include", "exclude"):
            for ti, tag in enumerate(getattr(a, key)):
                if tag not in tags:
                    out.append((("audiences", name, key, ti), _missing("tag", tag, tags, "no section, point, chart, table, image or key figure carries it")))
        if a.first is not None and a.first not in section_ids:
            out.append((("audiences", name, "first"), _missing("section", a.first, section_ids)))
    return out


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def number(cell: Any) -> float | None:
    """A table or data cell as a number: a number, or text written as one ('1.5', '-3', '2e3'; U+2212 minus allowed);
    None for an empty cell, text, or a value that is not finite."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float)):
        value = float(cell)
    elif isinstance(cell, str) and _NUMBER.match(text := cell.strip().replace("\u2212", "-")):
        value = float(text)
    else:
        return None
    return value if value == value and abs(value) != float("inf") else None


def column_kinds(t: Table) -> list[Literal["text", "number"]]:
    """Each column's kind as drawn: as given, or for `auto` a number column when every filled cell is a number —
    except the first column, which is the rows' labels (text, e.g. years) unless it says `kind: number`."""
    out: list[Literal["text", "number"]] = []
    for j, col in enumerate(t.columns):
        if col.kind != "auto":
            out.append(col.kind)
            continue
        cells = [r.cells[j] for r in t.rows if j < len(r.cells) and r.cells[j] is not None and r.cells[j] != ""]
        out.append("number" if j > 0 and cells and all(number(c) is not None for c in cells) else "text")
    return out


def check_table(t: Table) -> list[tuple[Loc, str]]:
    """A table's own checks (shape, number cells, total); locs are relative to the table."""
    out: list[tuple[Loc, str]] = []
    if not t.columns:
        if t.data is None:
            out.append((("columns",), "the table has no columns — write `columns: [Name, ...]` or take them from `data: file.csv`"))
        return out
    if not t.rows:
        if t.data is None:
            out.append((("rows",), "the table has no rows — write `rows: [[cell, ...], ...]` or take them from `data: file.csv`"))
        return out
    n = len(t.columns)
    names = ", ".join(c.name for c in t.columns[:6]) + (", …" if n > 6 else "")
    for ri, row in enumerate(t.rows):
        if len(row.cells) != n:
            out.append((("rows", ri, "cells"), f"row {ri + 1} has {len(row.cells)} cell{'s' if len(row.cells) != 1 else ''} but the "
                        f"table has {n} columns ({names}) — give one cell per column (write ~ for an empty cell)"))
    for ri, row in enumerate(t.rows):  # a number no writer can format exactly (babel, PowerPoint, the brief)
        for j, cell in enumerate(row.cells):
            value = number(cell)
            if value is not None:
                try:
                    check_number(value)
                except ValueError as exc:
                    out.append((("rows", ri, "cells", j), str(exc)))
    kinds = column_kinds(t)
    for j, col in enumerate(t.columns):
        if col.kind == "text" and col.decimals is not None:
            out.append((("columns", j, "decimals"), f"column '{col.name}' is kind: text — decimals apply to number "
                        "columns; remove them or write kind: number"))
        if col.kind != "number":
            continue
        for ri, row in enumerate(t.rows):
            if j < len(row.cells) and row.cells[j] not in (None, "") and number(row.cells[j]) is None:
                out.append((("rows", ri, "cells", j), f"'{str(row.cells[j])[:40]}' is not a number but column '{col.name}' is "
                            "kind: number — write digits only (unit in the column's `unit`), leave the cell empty (~), or "
                            "make the column kind: text"))
    if t.total is not False and "number" not in kinds:
        out.append((("total",), "a total row sums the number columns but this table has none — remove `total`, or write "
                    "the figures as plain numbers (e.g. 12.5, unit in the column's `unit`)"))
    return out


def check_chart(c: Chart) -> list[tuple[Loc, str]]:
    """A chart's own data checks (lengths, signs, plans); locs are relative to the chart."""
    out: list[tuple[Loc, str]] = []
    if c.data is not None and c.from_ is not None:
        out.append((("from",), "a chart takes its data from one place — keep `data` or `from`, not both"))
    if c.stacked and c.kind in ("line", "scatter"):
        out.append((("stacked",), f"a {c.kind} chart cannot be stacked — use kind: area (or column, bar) or remove `stacked`"))
    if c.x_unit is not None and c.kind != "scatter":
        out.append((("x_unit",), f"`x_unit` is for scatter charts — a {c.kind} chart's categories need no unit; remove it"))
    if c.kind == "scatter":
        if not c.points:
            out.append((("points",), "a scatter chart needs points — write `points: [{label: ..., x: 1, y: 2}, ...]`"))
        if c.categories or c.series:
            out.append((("series",), "a scatter chart takes `points`, not categories and series — move the values into points"))
        return out
    if c.points:
        out.append((("points",), f"`points` are for scatter charts — use categories and series for a {c.kind} chart"))
    if not c.categories or not c.series:
        if c.data is None and c.from_ is None:  # (a file or table fills them in the loader)
            out.append((("series",), "the chart has no data — give `categories` and `series`, `data: file.csv` or `from: table-id`"))
        return out
    n = len(c.categories)
    for si, s in enumerate(c.series):
        if len(s.values) != n:
            out.append((
                ("series", si, "values"),
                f"series '{s.name}' has {len(s.values)} values but the chart has {n} categories — give one value per category",
            ))
        if c.kind in ("column", "bar", "area") and c.stacked and any(v < 0 for v in s.values):
            i = next(i for i, v in enumerate(s.values) if v < 0)
            out.append((("series", si, "values", i), "a stacked chart cannot show negative values — use a plain column chart"))
    if c.projected_from is not None and c.projected_from not in c.categories:
        out.append((("projected_from",), _missing("category", c.projected_from, set(c.categories))))
    if c.projected_from is not None and c.kind != "line":
        out.append((("projected_from",), "projected values can only be drawn on a line chart — remove projected_from or use kind: line"))
    if all(v == 0 for s in c.series for v in s.values):
        out.append((("series",), "every value is zero — the chart would be empty; check the data"))
    return out


def _missing(what: str, name: str, known: set[str], why: str | None = None) -> str:
    import difflib

    near = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f" — did you mean '{near[0]}'?" if near else (f" — known: {', '.join(sorted(known)[:8])}" if known else " — define it or remove the reference")
    return f"no {what} '{name}'{' (' + why + ')' if why else ''}{hint}"

