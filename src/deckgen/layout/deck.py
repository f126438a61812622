"""Plan a deck from an outline: slide kinds, order, text runs, charts, notes and frames in points (pure)."""
from __future__ import annotations

import dataclasses
import math
import re

from ..alttext import describe
from ..errors import PlanWarning
from ..inline import Run, plain
from ..media import Picture
from ..model import Chart, Loc, Outline, Section
from ..typeset import Typesetting
from ..words import words_for
from . import deckelements as elements
from .deckchart import chart_plan, fit_frame, unit_in_titles
from ..classification import footer_text
from .banner import banded, slide_banner
from .geometry import default_geometry, template_look
from .slides import (cont, number_hang, panel_text, COLUMN_GAP, MAX_POINTS, MIN_TEXT, SOURCE_SIZE, AgendaSlide, BulletsChartSlide, BulletSlide, ChartPlan, ChartSlide,
                     ClosingSlide, ConclusionsSlide,
                     DeckPlan, DocInfo, Figure, Frame, KeyFiguresSlide, Para, QuoteSlide,
                     RecommendationsSlide, SectionSlide, Slide, SourcesSlide, TextSlide, TitleSlide, point_paras,
                     point_ref)
from .split import split
from .tables import table_slides
from .text import one_line, runs


# Text is measured with the real advance widths of the family the theme declares (metrics.py); FIT_SLACK
# narrows every measured box a little so that renderer differences (hinting, kerning) never add a line.
FIT_SLACK = 0.97
TITLE_SHRINK = 6.0  # pt: how far a long slide title may step down from the theme's size to fit its lines
MAX_AGENDA = 8
MAX_FIGURES = 6  # key figures a slide holds: two rows of FIGURE_COLUMNS
FIGURE_COLUMNS = 3
FIGURE_GAP = 24.0  # pt between key-figure cards
FIGURE_PADDING = 16.0  # pt: inner margin of a key-figure panel
FIGURE_SIZES = ((48.0, 24.0, 14.0), (48.0, 20.0, 12.0), (44.0, 20.0, 12.0), (40.0, 18.0, 12.0), (36.0, 18.0, 11.0), (32.0, 16.0, 11.0),
                (30.0, 16.0, 10.0), (28.0, 14.0, 10.0), (28.0, 12.0, MIN_TEXT))  # value, label, source (pt), largest first
SIDE_SHARE = 0.42  # the bullets' share of the width when a chart stands beside them
SIDE_GAP = 24.0
NAMEPLATE_SIZE = 16.0  # pt: the series' nameplate on the cover
# Balance (issue 21): bullets that fill less than FILL_FROM of the body grow (at most MAX_GROWTH×) to fill up to FILL_TO
SOURCE_SIZES = (18.0, 16.0, 14.0, 13.0, 12.0)  # pt the sources slide tries, largest first (down to SOURCE_SIZE)
FILL_FROM = 0.75
FILL_TO = 0.88
MAX_GROWTH = 1.5
CENTRE_BELOW = 0.6  # bullets that fill less of the body than this when grown stand in its middle

Warnings = list[PlanWarning]


def blocks_from(said: list[tuple[str, str]]) -> tuple[str, ...]:
    """The ref of each blank-line-separated block of notes made of (text, ref) parts ('' for a block a part's own
    blank lines make: `deckgen pull` maps only notes whose blocks line up with their parts)."""
    out: list[str] = []
    for text, ref in said:
        n = text.count("\n\n") + 1
        out += [ref] if n == 1 else [""] * n
    return tuple(out)


def plan_deck(outline: Outline, ctx: Typesetting, pictures: dict[str, Picture] | None = None) -> tuple[DeckPlan, Warnings]:
    """Lay the outline out as slides; return the plan and the located warnings (data, never printed here).
    `pictures`: the outline's images as the loader read them, by id (media.pictures)."""
    return _Planner(outline, ctx, pictures).plan()


class _Planner:
    """One planning run: the outline, the context it is set in, and the warnings found so far."""

    def __init__(self, outline: Outline, ctx: Typesetting, pictures: dict[str, Picture] | None = None) -> None:
        self.outline = outline
        self.pictures = pictures or {}
        self.beside_shown: set[tuple[int, int]] = set()  # (section, image) shown beside its section's points
        self.ctx = ctx
        self.words = words_for(outline)
        self.theme = ctx.theme
        self.fonts = ctx.fonts
        self.geo = default_geometry(ctx)
        self.banner = slide_banner(outline, self.geo)  # a classified outline: its level at the top and bottom
        if self.banner is not None:
            self.geo = banded(self.geo, self.banner)
        self.look_ = template_look(ctx, self.geo)
        if self.look_ is not None and (self.look_.body_plate or self.look_.title_plate) and self.geo.style.inset < 5.0:
            # text on a plate keeps a margin inside it
            self.geo = dataclasses.replace(self.geo, style=dataclasses.replace(self.geo.style, inset=5.0))
        self.warnings: Warnings = []

    def said(self, text: str) -> str:
        """Text for the speaker notes: plain, each footnote in it read out in brackets."""
        from .notes import spoken

        return spoken(text, self.outline.footnotes)

    def warn(self, loc: Loc, message: str) -> None:
        self.warnings.append(PlanWarning(tuple(loc), message))

    # ------------------------------------------------------------ the deck

    def plan(self) -> tuple[DeckPlan, Warnings]:
        outline, geo = self.outline, self.geo
        options = outline.options
        slides: list[Slide] = [self.title_slide()]
        agenda_sections: list[list[int]] = []
        if len(outline.sections) >= 2:
            agenda, agenda_sections = self.agenda_slides()
            slides += agenda
        if outline.key_figures:
            slides += self.key_figure_slides()
        for si, section in enumerate(outline.sections):
            if outline.theme.section_headers:
                slides.append(SectionSlide(title=runs(section.title), body=(Para((Run(f"{si + 1:02d}"),), style="meta"),),
                                           loc=("sections", si)))
            slides += self.section_slides(si, section)
        if options.sources_slide and outline.sources:
            slides += self.source_slides()
        slides.append(self.closing_slide())

        first_of: dict[int, int] = {}  # section index -> number of its first slide, for the agenda's links
        for n, s in enumerate(slides, 1):
            if len(s.loc) == 2 and s.loc[0] == "sections" and not isinstance(s, AgendaSlide):
                first_of.setdefault(s.loc[1], n)
        agendas = iter(agenda_sections)
        done: list[Slide] = []
        for n, s in enumerate(slides, 1):
            changes: dict = {"number": n}
            if isinstance(s, AgendaSlide):
                changes["body"] = tuple(dataclasses.replace(p, link=first_of.get(si)) for p, si in zip(s.body, next(agendas)))
            if not options.speaker_notes:
                changes["notes"] = ""
                changes["notes_from"] = ()
            size = self.title_fit(s)
            if size is not None or self.ctx.template is not None:
                changes["title_size"] = size if size is not None else self.normal_title_size(s)
            changes["title_lines"] = self.title_lines(s.title, changes.get("title_size") or self.normal_title_size(s),
                                                      self.title_frame(s).w - 2 * geo.style.inset)
            if isinstance(s, TextSlide):
                changes["body"] = tuple(self.measured(s, p) for p in changes.get("body", s.body))
            done.append(dataclasses.replace(s, **changes))
        done = _footnotes(done, outline, self.warnings)
        meta = outline.meta
        footer = " · ".join(x for x in (one_line(meta.series or ""), self.words.date(meta.date),
                                         one_line(footer_text(outline))) if x)
        info = DocInfo(
            title=plain(meta.title),
            subtitle=plain(meta.subtitle or ""),
            authors=tuple(one_line(a) for a in meta.authors),
            keywords=tuple(one_line(k) for k in meta.keywords),
            language=self.words.culture,  # Office tags runs with a region: 'pl' -> 'pl-PL'
            footer=footer,
            organisation=one_line(meta.organisation or ""),
            logo_alt=self.words("logo", organisation=one_line(meta.organisation or "") or self.words["publisher"]),
        )
        return DeckPlan(info=info, geometry=geo, slides=tuple(done), look=self.look_, banner=self.banner), self.warnings

    def normal_title_size(self, s: Slide) -> float:
        return self.geo.cover_title_size if isinstance(s, (TitleSlide, ClosingSlide)) else self.geo.title_size

    def title_frame(self, s: Slide) -> Frame:
        return self.geo.cover_title if isinstance(s, (TitleSlide, ClosingSlide)) else self.geo.title

    def measured(self, s: TextSlide, p: Para) -> Para:
        """The paragraph with the lines it takes in its slide's frame, and (on a user's template) its size made explicit."""
        geo, st = self.geo, self.geo.style
        level = min(p.level, 1)
        size = p.size or st.sizes[level]
        if isinstance(s, (TitleSlide, ClosingSlide)):
            width = geo.cover_subtitle.w - 2 * st.inset
        elif isinstance(s, SectionSlide):
            width = geo.title.w - 2 * st.inset
        elif isinstance(s, AgendaSlide):
            width = geo.body.w - 2 * st.inset - number_hang(st, size)
        elif isinstance(s, SourcesSlide) and s.columns > 1:
            width = self.column_width(s.columns) - 2 * st.inset - st.margins[level]
        else:
            frame = getattr(s, "body_frame", None) or geo.body
            margin = 24.0 if p.style in ("quote", "attribution") else st.margins[level]
            width = frame.w - 2 * st.inset - margin
        explicit = size if (self.ctx.template is not None and p.size is None) else p.size
        return dataclasses.replace(p, size=explicit, lines=self.lines(p.runs, size, width))

    def title_fit(self, s: Slide) -> float | None:
        """The stepped-down size of a long title (None = the normal size); a title that still does not fit is a warning."""
        geo = self.geo
        cover = isinstance(s, (TitleSlide, ClosingSlide))
        normal, frame, most = (geo.cover_title_size, geo.cover_title, 4) if cover else (geo.title_size, geo.title, 2)
        # on a user's template the frame decides how many lines fit, and a title may step down further (to 60 %)
        smallest = normal - TITLE_SHRINK if self.ctx.template is None else min(normal - TITLE_SHRINK, normal * 0.6)

        def most_at(size: float) -> int:
            if self.ctx.template is None:
                return most
            return max(1, int(frame.h / (size * self.ctx.heading_fonts.line_em * geo.title_spacing)))

        size = normal
        while size > smallest and self.title_lines(s.title, size, frame.w - 2 * geo.style.inset) > most_at(size):
            size -= 2  # a long title steps down a little before it is reported
        most = most_at(size)
        if self.title_lines(s.title, size, frame.w - 2 * geo.style.inset) > most:
            self.warn(s.loc, f"the slide title needs more than {most} lines — shorten it")
        return size if size != normal else None

    # ------------------------------------------------------------ measuring

    def lines(self, text: tuple[Run, ...], size: float, width: float, bold: bool = False) -> int:
        """Lines the text takes in a frame `width` pt wide at `size` pt, wrapped with the real font metrics."""
        return self.fonts.lines(text, size, width * FIT_SLACK, bold)

    def title_lines(self, text: tuple[Run, ...], size: float, width: float) -> int:
        """Lines a title takes (bold, in the titles' family)."""
        return self.ctx.heading_fonts.lines(text, size, width * FIT_SLACK, True)

    def height(self, text: tuple[Run, ...], size: float, width: float) -> float:
        """The height of the text's lines in a frame `width` pt wide at `size` pt."""
        return self.lines(text, size, width) * size * self.fonts.line_em

    def para_height(self, p: Para, frame_w: float | None = None) -> float:
        st = self.geo.style
        level = min(p.level, 1)
        size = p.size or st.sizes[level]
        width = (frame_w or self.geo.body.w) - 2 * st.inset - st.margins[level]
        spacing = st.line_spacing[level]
        lines = self.height(p.runs, size, width)
        return st.space_before[level] + (lines if spacing == 1.0 else lines * spacing)

    def capacity(self) -> float:
        room = self.geo.body.h - 2 * self.geo.style.inset
        return room if self.ctx.template is None else room * FIT_SLACK  # a user's template: its fonts may be stand-ins

    def fit_size(self, text: str, width: float, largest: float, smallest: float) -> float:
        """The largest size (in 2-pt steps) at which bold `text` fits on one line of `width` pt, but at least `smallest`."""
        size = largest
        while size > smallest and self.fonts.width(text, size, bold=True) > width * FIT_SLACK:
            size -= 2
        return max(size, smallest)

    # ------------------------------------------------------------ slides

    def title_slide(self) -> TitleSlide:
        meta, geo = self.outline.meta, self.geo
        body: list[Para] = []
        if meta.subtitle:
            body.append(Para(runs(meta.subtitle), style="subtitle"))
        if meta.authors:
            body.append(Para((Run(", ".join(one_line(a) for a in meta.authors)),), style="authors"))
        series = " ".join(one_line(y) for y in (meta.series, meta.number) if y)
        plate = None  # the series' nameplate in the cover's top margin, above the title (where there is room for it)
        if series and geo.cover_title.y >= NAMEPLATE_SIZE * 2 + 16:
            plate = Frame(geo.cover_title.x, round(geo.cover_title.y - NAMEPLATE_SIZE * 2 - 8, 2), geo.cover_title.w,
                          NAMEPLATE_SIZE * 2)
            if self.fonts.width(series, NAMEPLATE_SIZE, bold=True) > (plate.w - 2 * geo.style.inset) * FIT_SLACK:
                plate = None
        line = " · ".join(x for x in (one_line(meta.organisation or ""), "" if plate else series,  # the series once
                                      self.words.date(meta.date)) if x)
        body.append(Para((Run(line),), style="meta"))
        # cover sizes: subtitle 24 pt, authors 20, meta 18 (after 14 pt); a long subtitle steps down to 18 pt to fit
        room = geo.cover_subtitle.h - 2 * geo.style.inset
        width = geo.cover_subtitle.w - 2 * geo.style.inset
        if self.ctx.template is None:  # built-in cover: subtitle 24 pt (down to 18 to fit), authors 20, meta 18
            sub_size = 24.0
            while True:
                sizes = {"subtitle": sub_size, "authors": 20.0, "meta": 18.0}
                body = [Para(p.runs, p.level, p.style, sizes[p.style]) for p in body]
                used = sum(self.height(p.runs, p.size, width) + (14.0 if p.style == "meta" else 0.0) for p in body)
                if used <= room or sub_size <= 18.0:
                    break
                sub_size -= 2.0
        else:  # a template's cover: its subtitle size, authors and meta a step less; all step down together to fit
            top = float(self.cover_size())
            k = 1.0
            while True:
                sizes = {"subtitle": round(top * k, 1), "authors": round(top * k * 5 / 6, 1), "meta": round(top * k * 3 / 4, 1)}
                body = [Para(p.runs, p.level, p.style, sizes[p.style]) for p in body]
                used = sum(self.height(p.runs, p.size, width) * self.geo.style.line_spacing[0] + (14.0 if p.style == "meta" else 0.0)
                           for p in body)
                if used <= room or top * k <= 12.0:
                    break
                k -= 0.05
        if used > room:
            self.warn(("meta", "subtitle"), "the subtitle, authors and series line are too long for the title slide — shorten them")
        return TitleSlide(title=runs(meta.title), body=tuple(body), notes=self.said(self.outline.lead), loc=("meta", "title"),
                          nameplate=series if plate else "", nameplate_frame=plate)

    def cover_size(self) -> float:
        """The text size of the template's cover subtitle (first level)."""
        info, ctx = self.ctx.template, self.ctx
        cover = info.layout(ctx.layouts["title"].layout) if info is not None and "title" in ctx.layouts else None
        boxes = cover.of("subTitle", "obj", "body") if cover else ()
        return boxes[0].levels[0].size if boxes and boxes[0].levels else 24.0

    def closing_slide(self) -> ClosingSlide:
        """Thanks; the authors, the contact line, the publication's site (its name, not the address) and the series
        line — as many as the cover's frame holds (the site goes first, then the contact), at the cover's sizes."""
        meta, geo = self.outline.meta, self.geo
        top = 24.0 if self.ctx.template is None else float(self.cover_size())
        small = round(top * 3 / 4, 1)
        authors = [Para((Run(", ".join(one_line(a) for a in meta.authors)),), style="authors", size=round(top * 5 / 6, 1))
                   ] if meta.authors else []
        contact = [Para(runs(meta.contact), style="meta", size=small)] if meta.contact else []
        home = [Para((Run(site(meta.url)),), style="meta", size=small)] if meta.url and site(meta.url) else []  # plain:
        line = " · ".join(x for x in (one_line(meta.organisation or ""),  # a link would take the theme's link colour
                                      " ".join(one_line(y) for y in (meta.series, meta.number) if y)) if x)
        series = [Para((Run(line),), style="meta", size=small)] if line else []
        room = geo.cover_subtitle.h - 2 * geo.style.inset
        width = geo.cover_subtitle.w - 2 * geo.style.inset

        def height(body: list[Para]) -> float:
            return sum(self.height(p.runs, p.size, width) * geo.style.line_spacing[0] + (14.0 if p.style == "meta" and i else 0.0)
                       for i, p in enumerate(body))

        for body in (authors + contact + home + series, authors + contact + series, authors + series):
            if height(body) <= room:
                break
        return ClosingSlide(title=(Run(self.words["thanks"]),), body=tuple(body), loc=("meta",))

    def agenda_slides(self) -> tuple[list[AgendaSlide], list[list[int]]]:
        """The agenda slides and, for each, the indices of the sections its entries name."""
        st = self.geo.style
        # the body's size stated (a layout may set its list smaller than the body it is measured with)
        paras = [Para(runs(s.title), style="agenda", size=st.sizes[0]) for s in self.outline.sections]
        narrower = number_hang(st, st.sizes[0]) - st.margins[0]  # the number's hang, where wider than the bullet's
        chunks = split([self.para_height(p, self.geo.body.w - narrower) for p in paras], self.capacity(), MAX_AGENDA)
        slides = []
        for k, chunk in enumerate(chunks):
            body, _, fill = self.balanced([paras[i] for i in chunk], self.capacity(), narrower)
            slides.append(AgendaSlide(title=(Run(self.words["agenda"]), *cont(self.words, k)), body=body, fill=fill,
                                      continued=k > 0, loc=("sections",)))
        return slides, chunks

    def key_figure_slides(self) -> list[KeyFiguresSlide]:
        """Key figures on cards of one size for the whole deck, FIGURE_COLUMNS to a row (a last short row centred,
        four as two by two), the grid centred in the body: up to MAX_FIGURES a slide, the slides sharing them evenly."""
        figs = self.outline.key_figures
        n_slides = math.ceil(len(figs) / MAX_FIGURES)
        groups, start = [], 0
        for k in range(n_slides):
            count = math.ceil(len(figs[start:]) / (n_slides - k))
            groups.append((start, figs[start:start + count]))
            start += count
        rows = max(self.figure_rows(len(g)) for _, g in groups)
        geo, gap = self.geo, FIGURE_GAP
        width = round((geo.body.w - (FIGURE_COLUMNS - 1) * gap) / FIGURE_COLUMNS, 2)
        room = (geo.body.h - (rows - 1) * gap) / rows  # the tallest a card may be
        inner = width - 2 * FIGURE_PADDING
        values = [one_line(plain(f.value)) for f in figs]
        widest = min(self.fit_size(v, inner, 48.0, 28.0) for v in values)  # one size for all: the values line up
        labels = [runs(f.label) for f in figs]
        sources = [f"{self.words['source']} {one_line(plain(f.source))}" if f.source else None for f in figs]  # as printed

        def card(i: int, value_size: float, label_size: float, source_size: float) -> float:
            return (2 * FIGURE_PADDING + self.fonts.line_height(value_size) + 6 + self.height(labels[i], label_size, inner)
                    + (10 + self.height((Run(sources[i]),), source_size, inner) if sources[i] else 0))

        # value 48 pt, label 20 and source 12, stepping down together until the tallest card fits (the value to 28,
        # the label to 12, the source to 10): value, label and source keep their proportions
        for value_size, label_size, source_size in FIGURE_SIZES:
            value_size = min(value_size, widest)
            height = max(card(i, value_size, label_size, source_size) for i in range(len(figs)))
            if height <= room:
                break
        for i in range(len(figs)):
            if card(i, value_size, label_size, source_size) > room:
                self.warn(("key_figures", i), "the key figure's label and source are too long for its panel — shorten them")
        height = round(min(max(height, room * 0.6), room), 2)  # the cards fill most of their room
        out = []
        for k, (first, group) in enumerate(groups):
            figures = []
            for i, frame in zip(range(first, first + len(group)), self.figure_frames(len(group), width, height)):
                figures.append(Figure(value=values[i], label=labels[i], source=sources[i], frame=frame, value_size=value_size,
                                      label_size=label_size, source_size=source_size))
            notes = [f"{values[i]} — {plain(f.label)}" + (f" ({self.words['source']} {plain(f.source)})" if f.source else "")
                     for i, f in zip(range(first, first + len(group)), group)]
            out.append(KeyFiguresSlide(title=(Run(self.words["key_figures"]), *cont(self.words, k)), figures=tuple(figures),
                                       notes="\n".join(notes), continued=k > 0, loc=("key_figures", first)))
        return out

    @staticmethod
    def figure_rows(n: int) -> int:
        return 2 if n == 4 else math.ceil(n / FIGURE_COLUMNS)

    def figure_frames(self, n: int, width: float, height: float) -> list[Frame]:
        """n cards of one size on the grid: rows of FIGURE_COLUMNS (four: two by two), each row centred, the whole
        block centred in the body."""
        geo, gap = self.geo, FIGURE_GAP
        rows = self.figure_rows(n)
        per_row = 2 if n == 4 else FIGURE_COLUMNS
        top = geo.body.y + (geo.body.h - (rows * height + (rows - 1) * gap)) / 2
        frames = []
        for r in range(rows):
            count = min(per_row, n - r * per_row)
            total = count * width + (count - 1) * gap
            x0 = geo.body.x + (geo.body.w - total) / 2
            frames += [Frame(round(x0 + c * (width + gap), 2), round(top + r * (height + gap), 2), width, height)
                       for c in range(count)]
        return frames

    def section_slides(self, si: int, section: Section) -> list[Slide]:
        outline, geo = self.outline, self.geo
        out: list[Slide] = []
        loc: Loc = ("sections", si)
        charts = []
        for ci, cid in enumerate(section.charts):
            chart = next((c for c in outline.charts if c.id == cid), None)
            if chart is None:
                self.warn(loc + ("charts", ci), f"no chart '{cid}' — the chart slide is left out")
            else:
                charts.append((outline.charts.index(chart), chart))
        section_notes = self.said(section.notes) if section.notes else ""

        lead_notes = ""
        points = list(section.points)
        offset = 0  # index in section.points of points[0]
        if section.kind == "quote" and points:
            out.append(self.quote_slide(loc, section))
            points, offset = points[1:], 1
        out += elements.quote_slides(self, si, section)
        beside = elements.picture_beside(self, si, section) if section.kind in ("auto", "bullets") else None
        side = self.side_by_side(loc, section, charts) if section.kind == "auto" and beside is None else None
        if side is not None:
            out.append(side)
            charts = charts[1:]
        elif beside is not None:
            out.append(beside)
        elif section.kind == "chart" and charts:
            # a chart section shows its charts; its points become what the speaker says over the first one
            lead_notes = "\n\n".join(self.point_notes(p, with_text=True) for p in section.points)
        elif points:
            units = [point_paras(p, point_ref(section.id, i + offset, p)) for i, p in enumerate(points)]
            panelled = section.kind in ("conclusions", "recommendations")
            text_w = panel_text(geo.body).w if panelled else geo.body.w  # a panel's text sits inside it
            heights = [sum(self.para_height(p, text_w) for p in u) for u in units]
            cap = self.capacity()
            if self.ctx.template is not None:  # a template's large type: a point too long for a slide steps down (to 60 %)
                for pi, h in enumerate(heights):
                    k = 1.0
                    while heights[pi] > cap and k > 0.6:
                        k = round(k - 0.05, 2)
                        st = self.geo.style
                        units[pi] = [dataclasses.replace(p, size=round(st.sizes[min(p.level, 1)] * k, 1)) for p in units[pi]]
                        heights[pi] = sum(self.para_height(p, text_w) for p in units[pi])
            for pi, h in enumerate(heights):
                if h > cap:
                    self.warn(loc + ("points", pi + offset), "this point and its sub-points are too long for one slide — shorten them")
            for k, chunk in enumerate(split(heights, cap, MAX_POINTS)):
                said = [(n, point_ref(section.id, i + offset, points[i])) for i in chunk if (n := self.point_notes(points[i]))]
                if k == 0 and section_notes:
                    said.append((section_notes, section.id))
                title = runs(section.title) + cont(self.words, k)
                body, used, fill = self.balanced([p for i in chunk for p in units[i]], cap, geo.body.w - text_w)
                common = dict(title=title, body=body, notes="\n\n".join(n for n, _ in said), continued=k > 0, loc=loc,
                              notes_from=blocks_from(said), fill=fill)
                centred = used < CENTRE_BELOW * cap  # still short when grown as far as it may: in the body's middle
                if centred:
                    common["fill"] = (fill + "; " if fill else "") + "centred: short even when grown"
                if panelled:  # the panel fills the body, inside the grid's margins, the text inset in it
                    panel = Frame(geo.body.x, geo.body.y - 8, geo.body.w, geo.body.h + 8)
                    kind = ConclusionsSlide if section.kind == "conclusions" else RecommendationsSlide
                    out.append(kind(panel=panel, body_frame=panel_text(geo.body), centred=centred, **common))
                else:
                    out.append(BulletSlide(centred=centred, **common))
        elif not out and not charts and not section.tables and not elements.has_elements(section):
            self.warn(loc, "the section has no points and no charts — its slide shows only the title")
            kind = {"conclusions": ConclusionsSlide, "recommendations": RecommendationsSlide}.get(section.kind, BulletSlide)
            out.append(kind(title=runs(section.title), notes=section_notes, loc=loc))
        out += elements.comparison_slides(self, si, section) + elements.box_slides(self, si, section)
        for ti, tid in enumerate(section.tables):  # tables come before charts (the section's order of parts)
            index = next((i for i, t in enumerate(outline.tables) if t.id == tid), None)
            if index is None:
                self.warn(loc + ("tables", ti), f"no table '{tid}' — the table slide is left out")
            else:
                said = "\n\n".join(x for x in (lead_notes, section_notes) if x) if not out else ""
                out += table_slides(self, outline.tables[index], index, said)
        for n, (index, chart) in enumerate(charts):
            extra = "\n\n".join(x for x in (lead_notes, section_notes) if x) if n == 0 and not out else ""
            out.append(self.chart_slide(chart, index, extra))
        out += elements.image_slides(self, si, section)
        return out

    def balanced(self, paras: list[Para], cap: float, narrower: float = 0.0) -> tuple[tuple[Para, ...], float, str]:
        """Points that leave much of the body empty set larger, in 5 % steps while they fill at most FILL_TO of it and
        stay a step under the title's size: (paragraphs, height they take, why — '' when set at the normal size).
        `narrower`: pt the text is narrower than the body's (a numbered list's wider hang)."""
        st = self.geo.style
        width = self.geo.body.w - narrower
        used = sum(self.para_height(p, width) for p in paras)
        if not paras or used >= FILL_FROM * cap:
            return tuple(paras), used, ""
        largest = self.geo.title_size - 4
        k, best, best_used = 1.0, paras, used
        while True:
            k = round(k + 0.05, 2)
            sized = [dataclasses.replace(p, size=round((p.size or st.sizes[min(p.level, 1)]) * k, 1)) for p in paras]
            if k > MAX_GROWTH or max(p.size for p in sized) > largest:
                break
            need = sum(self.para_height(p, width) for p in sized)
            if need > FILL_TO * cap:
                break
            best, best_used = sized, need
        if best is paras:
            return tuple(paras), used, ""
        grown = round(best_used / used * 100 - 100)
        return tuple(best), best_used, (f"type {best[0].size / (paras[0].size or st.sizes[0]):.2f}×: the points filled "
                                        f"{used / cap:.0%} of the body, now {best_used / cap:.0%} (+{grown} %)")

    def quote_slide(self, loc: Loc, section: Section) -> QuoteSlide:
        """The first point as a large quotation; its first sub-point, if any, as the attribution."""
        point = section.points[0]
        by = one_line(plain(point.points[0].text)) if point.points else ""
        notes = "\n\n".join(x for x in (self.point_notes(point), self.said(section.notes) if section.notes else "") if x)
        return self.quotation(point.text, by, section.title, notes, loc, loc + ("points", 0))

    def quotation(self, text: str, by: str, title: str, notes: str, loc: Loc, warn_at: Loc) -> QuoteSlide:
        """A quote slide: the quotation as large as fits (32 pt down to the body size), '— by' under it, an accent
        edge at its side; a warning at `warn_at` when even the body size does not fit."""
        geo = self.geo
        quote = runs("“" + re.sub(r"\s+", " ", text).strip() + "”")
        attribution = (Run("— " + by),) if by else ()
        width = geo.body.w - 2 * geo.style.inset - 24  # the text sits right of an accent edge
        cap = self.capacity()
        size = 32.0
        while True:
            need = self.height(quote, size, width) + (12 + self.height(attribution, 20.0, width) if by else 0)
            if need <= cap or size <= geo.style.sizes[1]:
                break
            size -= 2.0
        if need > cap:
            self.warn(warn_at, "the quotation is too long for its slide — shorten it")
        body = (Para(quote, style="quote", size=size),) + ((Para(attribution, style="attribution", size=20.0),) if by else ())
        return QuoteSlide(title=runs(title), body=body, notes=notes, loc=loc,
                          edge=Frame(geo.body.x, geo.body.y, 5, round(min(cap, need) + 2 * geo.style.inset, 2)))

    def side_by_side(self, loc: Loc, section: Section, charts: list) -> BulletsChartSlide | None:
        """Bullets left, the first chart right — when the points fit one slide at full size in the narrower column."""
        geo = self.geo
        if not charts or not section.points or len(section.points) > 4:
            return None
        left = Frame(geo.body.x, geo.body.y, round(geo.body.w * SIDE_SHARE, 2), geo.body.h)
        right_x = left.x + left.w + SIDE_GAP
        right = Frame(right_x, geo.chart.y, round(geo.body.x + geo.body.w - right_x, 2), geo.chart.h)
        source = Frame(right_x, geo.source.y, right.w, geo.source.h)
        paras = [p for i, pt in enumerate(section.points) for p in point_paras(pt, point_ref(section.id, i, pt))]
        if sum(self.para_height(p, left.w) for p in paras) > self.capacity():
            return None
        index, chart = charts[0]
        if chart.kind == "bar" and max((len(plain(c)) for c in chart.categories), default=0) > 14:
            return None  # long category names need the full width
        src = (Run(self.words["source"] + " "),) + runs(chart.source)
        if self.lines(src, SOURCE_SIZE, source.w - 2 * geo.style.inset) > 2:
            return None
        alone = self.chart_slide(chart, index, "")
        beside = unit_in_titles(dataclasses.replace(alone.chart, title=one_line(plain(chart.title))), one_line(plain(section.title)))
        side, problem = fit_frame(beside, right.w, right.h)
        if problem:
            return None  # the chart's labels need the full width: a slide of its own
        said = [(n, point_ref(section.id, i, p)) for i, p in enumerate(section.points) if (n := self.point_notes(p))]
        if section.notes:
            said.append((self.said(section.notes), section.id))
        return BulletsChartSlide(
            title=runs(section.title), body=tuple(paras), loc=loc, notes="\n\n".join([n for n, _ in said] + [alone.notes]),
            notes_from=blocks_from(said),
            body_frame=left, chart=side, chart_frame=right,
            source=alone.source, source_frame=source, source_size=alone.source_size,
        )

    def chart_slide(self, chart: Chart, index: int, extra_notes: str) -> ChartSlide:
        alt = describe(chart, self.words)
        source = runs(chart.source)
        width = self.geo.source.w - 2 * self.geo.style.inset
        size = SOURCE_SIZE
        if self.ctx.template is not None:  # a narrower template steps the source line down (to 10 pt) to keep two lines
            while size > MIN_TEXT and self.lines((Run(self.words["source"] + " "),) + source, size, width) > 2:
                size -= 1.0
        if self.lines((Run(self.words["source"] + " "),) + source, size, width) > 2:
            self.warn(("charts", index, "source"), "the source line is longer than two lines under the chart — shorten it")
        notes = "\n\n".join(x for x in (extra_notes, alt, self.words["source"] + " " + plain(chart.source)) if x)
        return ChartSlide(title=runs(chart.title), chart=self.fitted(chart_plan(chart, index, self.theme, self.warnings, alt, self.words), index),
                          source=(Run(self.words["source"] + " "),) + source, notes=notes, loc=("charts", index), source_size=size)

    def fitted(self, plan: ChartPlan, index: int) -> ChartPlan:
        """The chart plan fitted to the chart slide's frame; a frame too small for every category label is warned of."""
        plan, problem = fit_frame(plan, self.geo.chart.w, self.geo.chart.h)
        if problem:
            self.warn(("charts", index, "categories"), problem)
        return plan

    def source_slides(self) -> list[SourcesSlide]:
        size = self.geo.style.sizes[1]
        paras = []
        for i, s in enumerate(self.outline.sources, 1):  # numbered as the brief numbers them (its [n] markers)
            title = runs(s.title)
            home = site(s.url) if s.url else ""
            if s.url and not home:  # no site to name: the title is the link
                title = tuple(dataclasses.replace(r, url=r.url or s.url) for r in title)
            text = [Run(f"{i}. "), *title]
            if s.publisher:
                text.append(Run(". " + one_line(s.publisher)))
            if home:  # the link is the site's name, last: a short run that wraps as a word (LibreOffice sets a
                text += [Run(". "), Run(home, url=s.url)]  # long linked run on a line of its own, breaking it anywhere)
            paras.append(Para(tuple(text), style="source"))
        # one slide if they fit: the body's size, stepping down to SOURCE_SIZE, in one column, then two
        cap = self.capacity()
        largest = self.geo.style.sizes[1]
        for size in sorted({largest, *(x for x in SOURCE_SIZES if x < largest)}, reverse=True):
            sized = [dataclasses.replace(p, size=size) for p in paras]
            for columns in (1, 2):
                heights = [self.para_height(p, self.column_width(columns)) for p in sized]
                if max(heights, default=0.0) <= cap and len(self.pack(heights, cap, columns)) == 1:
                    return [SourcesSlide(title=(Run(self.words["sources"]),), body=tuple(sized), columns=columns,
                                         loc=("sources",))]
        sized = [dataclasses.replace(p, size=SOURCE_SIZE) for p in paras]  # more than a slide holds: two columns each
        chunks = self.pack([self.para_height(p, self.column_width(2)) for p in sized], cap, 2)
        return [SourcesSlide(title=(Run(self.words["sources"]), *cont(self.words, k)), body=tuple(sized[i] for i in chunk),
                             columns=2, continued=k > 0, loc=("sources",)) for k, chunk in enumerate(chunks)]

    def column_width(self, columns: int) -> float:
        """The width para_height measures a paragraph in when the body is set in `columns` columns (insets included)."""
        inner = self.geo.body.w - 2 * self.geo.style.inset
        return (inner - (columns - 1) * COLUMN_GAP) / columns + 2 * self.geo.style.inset

    @staticmethod
    def pack(heights: list[float], cap: float, columns: int) -> list[list[int]]:
        """Paragraphs of these heights, in order, into slides of `columns` columns of `cap` pt, each paragraph whole
        in one column (PowerPoint may break one across two: it then needs less, never more): the indices per slide."""
        slides: list[list[int]] = [[]]
        column, used = 1, 0.0
        for i, h in enumerate(heights):
            if used and used + h > cap:  # on into the next column, or the next slide
                column, used = column + 1, 0.0
                if column > columns:
                    slides.append([])
                    column = 1
            slides[-1].append(i)
            used += h
            if used > cap:  # a paragraph taller than a column: nothing after it on its slide
                column = columns
        return slides

    def point_notes(self, point, with_text: bool = False) -> str:
        parts = []
        if with_text:
            parts.append(plain(point.text))
        said = point.notes or point.detail
        if said:
            parts.append(self.said(said))
        refs = []
        for ref in point.sources:
            src = next((s for s in self.outline.sources if s.id == ref), None)
            if src is not None:
                refs.append(plain(src.title) + (f" ({src.url})" if src.url else ""))
        if refs:
            parts.append(f"{self.words['sources']}: " + "; ".join(refs))
        return "\n".join(one_line(p) for p in parts)


def _footnotes(slides: list[Slide], outline: Outline, warnings: Warnings) -> list[Slide]:
    """The slides with their footnote markers numbered in reading order (the deck's own numbers) and each slide's
    notes, "[1] note text", at the end of its speaker notes (written even where speaker notes are off: they are
    the slide's content, not what the speaker says)."""
    from .notes import cited, number

    numbered, numbering = number(slides, outline.footnotes)
    for ref in numbering.unknown:
        warnings.append(PlanWarning(("footnotes",), f"no footnote '{ref}' — the deck leaves out its marker"))
    out = []
    for s in numbered:
        marks = {n.number: n for n in cited(s)}
        if marks:
            lines = "\n".join(f"[{k}] {one_line(''.join(r.text for r in marks[k].body))}" for k in sorted(marks))
            s = dataclasses.replace(s, notes="\n\n".join(x for x in (s.notes, lines) if x))
        out.append(s)
    return out


def site(url: str) -> str:
    """The site of an address as people say it: 'https://www.whitehouse.gov/briefing-room/…' -> 'whitehouse.gov'."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")
