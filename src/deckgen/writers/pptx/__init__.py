"""Draw a DeckPlan as an editable PowerPoint file: the only package that imports python-pptx."""
from __future__ import annotations

import io

from pptx import Presentation

from ...errors import AssetError
from ...layout.slides import DeckPlan
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
from .template import drop_slides, ensure_view_props, fast_partnames, make_builtin_template, no_autofit, set_link_colour


def write_deck(plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None = None, logo: bytes | None = None,
               layouts: dict[str, str] | None = None, origin: dict | None = None) -> bytes:
    """The .pptx bytes of the plan set in `ctx`; the same plan, context, epoch and files always give the same bytes.

    `template`: the bytes of the outline's own .pptx (else the built-in policy template); `logo`: PNG/JPEG bytes
    (else no logo); `layouts`: slide kind -> layout name, overriding the choice by placeholders when the context
    has not chosen (ctx.layouts); `origin`: the deck's map back to its outline (deckmap.deck_map), kept in custom
    document properties for `deckgen pull` (every slide carries its marker either way). Raises AssetError naming every kind no layout of the template can serve.
    """
    theme = ctx.theme
    field = "theme.template"
    src = template if template is not None else builtin_template().read_bytes()
    try:
        prs = Presentation(io.BytesIO(src))
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise AssetError(f"the template cannot be opened as a presentation ({type(exc).__name__}) — re-save it in PowerPoint", field) from None
    choices = ctx.layouts
    if not choices:  # the built-in template, or a context made without one: layouts chosen by what they hold
        kinds = list(dict.fromkeys(s.kind for s in plan.slides))
        choices, problems = choose(read_presentation(prs), kinds, dict(layouts or {}))
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
    for s in plan.slides:
        slide = draw_slide(prs, chosen[s.kind], s, plan, theme)
        mark_slide(slide, s.number)
        if logo is not None and not isinstance(s, COVERS):  # deckgen's own mark never: only the outline's theme.logo
            add_logo(slide, logo, plan)
    link_agenda(prs, plan)
    mark_scripts(prs, script_families(ctx), plan.info.language, *own_fonts(ctx))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart_part.chart_workbook
                workbook.update_from_xlsx_blob(fixed_xlsx(workbook.xlsx_part.blob, epoch))
    set_properties(prs, plan, epoch)
    if origin is not None:  # with each slide's text and notes fingerprints, as drawn
        marks = {str(s.number): dict(zip(("t", "tn", "u"), fingerprints(read_slide(slide, s.number), s.kind)))
                 for s, slide in zip(plan.slides, prs.slides)}
        origin = {**origin, "slides": {n: {**e, **marks.get(n, {})} for n, e in origin["slides"].items()}}
        set_custom_properties(prs, to_properties(origin))
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue(), epoch)


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


__all__ = ["make_builtin_template", "read_template", "write_deck"]
