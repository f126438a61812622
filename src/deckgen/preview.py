"""`deckgen preview`: a PNG of every slide (the deck plan drawn, or LibreOffice's render with `exact`) and every page
of the brief, and one numbered contact sheet of them all."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .build import FORMATS, build, deck_context, load, outline_text, outline_theme
from .errors import Problem

if TYPE_CHECKING:
    from .layout.slides import DeckPlan
    from .outline import Document
    from .typeset import Typesetting


@dataclass
class PreviewResult:
    """What a preview wrote: slide PNGs, page PNGs, the contact sheet; the build's warnings; seconds per step."""

    slides: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    sheet: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Planned:
    """A deck planned for preview: the plan, the context it was measured in, the (tailored) outline it shows and the
    planner's warnings, located in the outline as written."""

    plan: DeckPlan
    ctx: Typesetting
    outline: object
    warnings: list[Problem]


def plan_for(doc: Document, audience: str | None = None) -> Planned:
    """The deck plan of an outline (tailored for `audience`) and the typesetting context it was measured in."""
    from .audience import tailor
    from .build import origin
    from .layout.deck import plan_deck
    from .media import pictures

    assert doc.outline is not None
    o = tailor(doc.outline, audience) if audience else doc.outline
    ctx = deck_context(doc, outline_theme(doc), o.meta.language, outline_text(doc))
    plan, warnings = plan_deck(o, ctx, pictures(doc.files))
    tag = f" (audience {audience})" if audience else ""
    problems = [doc.problem(origin(doc.outline, o, loc), msg + tag, "warning") for loc, msg in warnings]
    return Planned(plan, ctx, o, problems)


def slide_svgs(doc: Document, audience: str | None = None) -> list[str]:
    """Each slide of the deck plan drawn as an SVG document."""
    from .writers.svg import draw_deck

    planned = plan_for(doc, audience)
    return [d.svg for d in draw_deck(planned.plan, planned.ctx)]


def preview(outline: str | Path | Document | None = None, out_dir: str | Path = "preview", audience: str | None = None,
            exact: bool = False) -> PreviewResult:
    """Write `<stem>-slide-NN.png` for each slide, `<stem>-page-N.png` for each page of the brief and
    `<stem>-contact.png` (all of them numbered in a grid) into out_dir; `<stem>-<audience>-…` for an audience.

    Slides are the deck plan drawn by deckgen (fast, no office suite); with `exact`, LibreOffice's render of the built
    deck. Pages are the built brief's PDF rasterised. Stale PNGs of an earlier, longer preview are removed."""
    from .outline import Document
    from .output import commit
    from .raster import contact_sheet, pdf_pngs, svg_png
    from .writers.svg import draw_deck

    times: dict[str, float] = {}
    t = time.perf_counter()
    doc = outline if isinstance(outline, Document) else load(outline)
    audiences = [audience] if audience else []
    built = build(doc, formats=FORMATS if exact else ("pdf",), audiences=audiences, write=False)
    by_format = {path.suffix: data for path, data in built.data.items()}
    times["build"] = time.perf_counter() - t
    t = time.perf_counter()
    if exact:
        from .office import to_pdf

        slide_pngs = pdf_pngs(to_pdf(by_format[".pptx"]), width_px=1280)
    else:
        planned = plan_for(doc, audience)
        slide_pngs = [svg_png(d.svg) for d in draw_deck(planned.plan, planned.ctx)]
    times["slides"] = time.perf_counter() - t
    t = time.perf_counter()
    page_pngs = pdf_pngs(by_format[".pdf"])
    times["pages"] = time.perf_counter() - t
    t = time.perf_counter()
    stem = Path(doc.file).stem + (f"-{audience}" if audience else "")
    assert doc.outline is not None
    title = f"{stem}: {len(slide_pngs)} slides, {len(page_pngs)} pages" + (" (LibreOffice)" if exact else "")
    sheet = contact_sheet(slide_pngs, page_pngs, title)
    times["sheet"] = time.perf_counter() - t
    out = Path(out_dir)
    files = {out / f"{stem}-slide-{i + 1:02d}.png": data for i, data in enumerate(slide_pngs)}
    files.update({out / f"{stem}-page-{i + 1}.png": data for i, data in enumerate(page_pngs)})
    files[out / f"{stem}-contact.png"] = sheet
    written = commit(files, protect=[Path(doc.file)])
    for old in [*out.glob(f"{stem}-slide-*.png"), *out.glob(f"{stem}-page-*.png")]:
        if old not in files and old.name.removeprefix(stem + "-").split("-")[1].removesuffix(".png").isdigit():
            old.unlink(missing_ok=True)  # from an earlier preview with more slides or pages
    result = PreviewResult(warnings=built.warnings, timings=times)
    result.slides = [p for p in written if "-slide-" in p.name]
    result.pages = [p for p in written if "-page-" in p.name]
    result.sheet = out / f"{stem}-contact.png"
    return result
