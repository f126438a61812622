"""Draw a DeckPlan as an editable PowerPoint file: the only package that imports python-pptx."""
from __future__ import annotations

import hashlib
import io

from pptx import Presentation

from ...errors import AssetError
from ...memo import Memo
from ...layout.slides import AgendaSlide, DeckPlan
from ...template import choose
from ...theme import builtin_template
from ...typeset import Typesetting
from ...deckmap import to_properties
from .ids import mark_slide, set_custom_properties
from .package import fixed_xlsx, fixed_zip, set_properties
from .slides import COVERS, add_logo, draw_slide, link_agenda
from .reader import read_presentation, read_template
from .scripts import mark_scripts
from .readback import fingerprints, read_slide
from .reuse import LastDeck, graft, unzip, zipped
from .template import drop_slides, ensure_view_props, fast_partnames, make_builtin_template, no_autofit, set_link_colour


def write_deck(plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None = None, logo: bytes | None = None,
               layouts: dict[str, str] | None = None, origin: dict | None = None, reuse: DeckReuse | None = None) -> bytes:
    """The .pptx bytes of the plan set in `ctx`; the same plan, context, epoch and files always give the same bytes.

    `template`: the bytes of the outline's own .pptx (else the built-in policy template); `logo`: PNG/JPEG bytes
    (else no logo); `layouts`: slide kind -> layout name, overriding the choice by placeholders when the context
    has not chosen (ctx.layouts); `origin`: the deck's map back to its outline (deckmap.deck_map), kept in custom
    document properties for `deckgen pull` (every slide carries its marker either way). `reuse`: what a session kept
    of the deck it wrote last (same bytes, fewer slides drawn: see reuse.py). Raises AssetError naming every kind no
    layout of the template can serve.
    """
    if reuse is None:
        return _write(plan, ctx, epoch, template, logo, layouts, origin)[0]
    return reuse.write(plan, ctx, epoch, template, logo, layouts, origin)


class DeckReuse:
    """What a session (watch, serve) keeps of the deck it wrote last (for one audience), so that the next write
    draws only the slides whose plan changed. `drawn` counts the slides the last write drew."""

    def __init__(self) -> None:
        self.last: LastDeck | None = None
        self.drawn = 0

    def write(self, plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None, logo: bytes | None,
              layouts: dict[str, str] | None, origin: dict | None) -> bytes:
        import dataclasses

        digest = hashlib.sha256(repr((dataclasses.replace(plan, slides=()), ctx.theme, ctx.fonts, ctx.layouts,
                                      ctx.template, ctx.slide, epoch, layouts, origin is None)).encode())
        for blob in (template, logo):
            digest.update(hashlib.sha256(blob or b"").digest())
        key = digest.hexdigest()
        slides = [repr(s) for s in plan.slides]
        last = self.last
        data = None
        if last is not None and last.key == key and len(last.slides) == len(slides):
            changed = [i for i, (a, b) in enumerate(zip(last.slides, slides)) if a != b]
            if not any(isinstance(plan.slides[i], AgendaSlide) for i in changed):  # its links reach other slides
                fresh, marks = _write(plan, ctx, epoch, template, logo, layouts, origin, changed, last.marks)
                entries = graft(last, fresh, changed)
                if entries is not None:
                    data, self.drawn = zipped(entries, epoch), len(changed)
                    self.last = LastDeck(key, slides, entries, {**last.marks, **marks})
        if data is None:
            data, marks = _write(plan, ctx, epoch, template, logo, layouts, origin)
            self.drawn = len(slides)
            self.last = LastDeck(key, slides, unzip(data), marks)
        return data


_CHOSEN: Memo[tuple, tuple] = Memo(16)  # (template digest, kinds, layouts asked for) -> choose()'s answer


def _write(plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None, logo: bytes | None,
           layouts: dict[str, str] | None, origin: dict | None, only: list[int] | None = None,
           marks: dict[str, dict] | None = None) -> tuple[bytes, dict[str, dict]]:
    """The deck's bytes and the fingerprints of the slides drawn; `only`: just those slides (0-based) are drawn,
    `marks` gives the others' fingerprints for the deck map."""
    theme = ctx.theme
    field = "theme.template"
    src = template if template is not None else builtin_template().read_bytes()
    try:
        prs = Presentation(io.BytesIO(src))
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise AssetError(f"the template cannot be opened as a presentation ({type(exc).__name__}) — re-save it in PowerPoint", field) from None
    choices = ctx.layouts
    if not choices:  # the built-in template, or a context made without one: layouts chosen by what they hold
        kinds = tuple(dict.fromkeys(s.kind for s in plan.slides))
        key = (hashlib.sha256(src).digest(), kinds, tuple(sorted((layouts or {}).items())))
        choices, problems = _CHOSEN.get(key) or _CHOSEN.keep(key, choose(read_presentation(prs), list(kinds), dict(layouts or {})))
        if problems:
            raise AssetError("\n".join(problems), field)
    if template is not None:
        drop_slides(prs)
        ensure_view_props(prs)
        if plan.look is not None and plan.look.link_colour:
            set_link_colour(prs, plan.look.link_colour)
    fast_partnames(prs)
    no_autofit([m._element for m in prs.slide_masters] + [lay._element for m in prs.slide_masters for lay in m.slide_layouts])
    every = [lay for m in prs.slide_masters for lay in m.slide_layouts]
    chosen = {kind: every[c.layout] for kind, c in choices.items()}
    drawn = plan.slides if only is None else [plan.slides[i] for i in only]
    for s in drawn:
        slide = draw_slide(prs, chosen[s.kind], s, plan, theme)
        mark_slide(slide, s.number)
        if logo is not None and not isinstance(s, COVERS):  # deckgen's own mark never: only the outline's theme.logo
            add_logo(slide, logo, plan)
    if only is None:
        link_agenda(prs, plan)
    mark_scripts(prs, script_families(ctx), plan.info.language, *own_fonts(ctx))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart_part.chart_workbook
                workbook.update_from_xlsx_blob(fixed_xlsx(workbook.xlsx_part.blob, epoch))
    set_properties(prs, plan, epoch)
    new_marks: dict[str, dict] = {}
    if origin is not None:  # with each slide's text and notes fingerprints, as drawn
        new_marks = {str(s.number): dict(zip(("t", "tn", "u"), fingerprints(read_slide(slide, s.number), s.kind)))
                     for s, slide in zip(drawn, prs.slides)}
        every_mark = {**(marks or {}), **new_marks}
        origin = {**origin, "slides": {n: {**e, **every_mark.get(n, {})} for n, e in origin["slides"].items()}}
        set_custom_properties(prs, to_properties(origin))
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue(), epoch), new_marks


def script_families(ctx: Typesetting) -> dict[str, str]:
    """Script -> the family the deck names for its runs: the first of the context's fallback faces (the outline's
    theme.fonts, the bundled ones, then what fontconfig found) that draws the script."""
    from ... import fonts

    out: dict[str, str] = {}
    for script, sample in (("arabic", "\u0627\u0644"), ("hebrew", "\u05d0\u05e9")):
        face = next((f for f in ctx.fonts.fallbacks if fonts.drawable_all(sample, (f,))), None)
        if face is not None:
            out[script] = fonts.family_name(face)
    return out


def own_fonts(ctx: Typesetting) -> tuple[tuple[tuple[str, frozenset[int]], ...], frozenset[int]]:
    """The outline's theme.fonts as (family, code points drawn), and the code points of the theme's regular face."""
    from ... import fonts

    own = tuple((fonts.family_name(f), fonts.charset(f)) for f in ctx.fonts.fallbacks if f.path in ctx.theme.extra_fonts)
    return own, (fonts.charset(fonts.FontFile(ctx.fonts.family.regular)) if own else frozenset())


__all__ = ["DeckReuse", "make_builtin_template", "read_template", "write_deck"]
