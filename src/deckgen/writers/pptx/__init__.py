"""Draw a DeckPlan as an editable PowerPoint file: the only package that imports python-pptx."""
from __future__ import annotations

import io

from pptx import Presentation

from ...errors import AssetError
from ...layout.slides import DeckPlan
from ...theme import builtin_template
from ...typeset import Typesetting
from .package import fixed_xlsx, fixed_zip, set_properties
from .slides import COVERS, add_logo, draw_slide, link_agenda
from .template import (
    inspect_template,
    make_builtin_template,
    choose_layouts,
    drop_slides,
    ensure_view_props,
    set_link_colour,
    fast_partnames,
    no_autofit,
)


def write_deck(plan: DeckPlan, ctx: Typesetting, epoch: int, template: bytes | None = None, logo: bytes | None = None,
               layouts: dict[str, str] | None = None) -> bytes:
    """The .pptx bytes of the plan set in `ctx`; the same plan, context, epoch and files always give the same bytes.

    `template`: the bytes of the outline's own .pptx (else the built-in policy template); `logo`: PNG/JPEG bytes
    (else the bundled logo); `layouts`: slide kind -> layout name, over the theme's mapping.
    Raises AssetError naming a missing layout or placeholder.
    """
    theme = ctx.theme
    field = "theme.template"
    src = template if template is not None else builtin_template().read_bytes()
    try:
        prs = Presentation(io.BytesIO(src))
    except Exception as exc:  # python-pptx raises many kinds for a broken package
        raise AssetError(f"the template cannot be opened as a presentation ({type(exc).__name__}) — re-save it in PowerPoint", field) from None
    if template is not None:
        drop_slides(prs)
        ensure_view_props(prs)
        if plan.look is not None and plan.look.link_colour:
            set_link_colour(prs, plan.look.link_colour)
    fast_partnames(prs)
    no_autofit([m._element for m in prs.slide_masters] + [lay._element for m in prs.slide_masters for lay in m.slide_layouts])
    if template is not None and ctx.template is not None:  # the layouts the context chose by what they hold
        every = [lay for m in prs.slide_masters for lay in m.slide_layouts]
        chosen = {kind: every[c.layout] for kind, c in ctx.layouts.items()}
    else:
        chosen = choose_layouts(prs, plan, theme, layouts or {}, field if template is not None else "theme")
    for s in plan.slides:
        draw_slide(prs, chosen[s.kind], s, plan, theme)
        if logo is not None and not isinstance(s, COVERS):  # deckgen's own mark never: only the outline's theme.logo
            add_logo(prs.slides[-1], logo, plan)
    link_agenda(prs, plan)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                workbook = shape.chart_part.chart_workbook
                workbook.update_from_xlsx_blob(fixed_xlsx(workbook.xlsx_part.blob, epoch))
    set_properties(prs, plan, epoch)
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue(), epoch)


from .reader import read_template  # noqa: E402

__all__ = ["inspect_template", "make_builtin_template", "read_template", "write_deck"]
