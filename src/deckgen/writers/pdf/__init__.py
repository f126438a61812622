"""Write a BriefPlan as an A4 PDF: reportlab typesets the text, pikepdf places the vector charts and metadata.

faces (fonts) -> story (blocks as flowables) -> pages (typesetting) -> finish (charts, PDF/A); everything one brief
needs comes in as arguments: the plan, the typesetting context, the epoch, a chart source and the logo bytes.
"""
from __future__ import annotations

from ...layout import brief as bp
from ...typeset import Typesetting
from .faces import PLAIN, Faces, markup, register
from .finish import ChartPdf, finish, page_count
from .pages import typeset
from .flow import Slot
from .notes import foot_notes, typeset_notes
from .story import NBSP, Styles, story

__all__ = ["PLAIN", "ChartPdf", "Faces", "markup", "page_count", "write_brief"]


def write_brief(plan: bp.BriefPlan, ctx: Typesetting, epoch: int, chart_pdf: ChartPdf, logo: bytes | None = None) -> bytes:
    """The brief as PDF bytes: the same plan, context, epoch, charts and logo always give the same bytes.

    `chart_pdf(chart, width, height)` gives a figure's chart as a one-page PDF; `logo` is the masthead image (PNG or
    JPEG bytes: the outline's own logo), drawn only where the plan's masthead asks for one."""
    faces = register(ctx, "".join(sorted(set(plan.fallback_chars + NBSP))))  # the writer's own no-break spaces
    styles = Styles(plan, ctx, faces)
    slots: list[Slot] = []
    if foot_notes(plan):  # footnotes at the foot of their page: typeset in passes (notes.py)
        done = typeset_notes(plan, styles, faces, lambda: story(plan, styles, faces, logo, slots), slots)
    else:
        done = typeset(plan, styles, faces, story(plan, styles, faces, logo, slots), slots)
    return finish(done, plan, epoch, chart_pdf)

