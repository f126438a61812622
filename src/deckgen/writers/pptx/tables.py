"""Native, editable PowerPoint tables from the plan's TablePlan: column widths, row heights and text as measured."""
from __future__ import annotations

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from ...inline import Run
from ...layout.slides import DeckPlan, TableLine, TableSlide
from ...theme import Theme
from ...units import Colour
from .shapes import emu, put_runs, rgb, set_insets

WHITE = "FFFFFF"
RULE = "BFC6D1"  # the hairline under each body row


def _line(tag: str, colour: str | None, width: float = 0.75) -> object:
    if colour is None:
        return parse_xml(f'<a:{tag} {nsdecls("a")} w="0"><a:noFill/></a:{tag}>')
    return parse_xml(f'<a:{tag} {nsdecls("a")} w="{emu(width)}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>'
                     f'<a:srgbClr val="{colour}"/></a:solidFill><a:prstDash val="solid"/></a:{tag}>')


def _borders(cell, top: tuple[str, float] | None, bottom: tuple[str, float] | None) -> None:
    """The cell's four edges: no left or right rule, the given top and bottom rules (colour, width) or none."""
    tcPr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        for old in tcPr.findall(qn(tag)):
            tcPr.remove(old)
    edges = [("lnL", None), ("lnR", None), ("lnT", top), ("lnB", bottom)]
    for i, (tag, rule) in enumerate(edges):
        tcPr.insert(i, _line(tag, rule[0], rule[1]) if rule else _line(tag, None))


def draw_table(slide, s: TableSlide, plan: DeckPlan, theme: Theme) -> None:
    tp = s.table
    assert tp is not None
    lang = plan.info.language
    face = plan.look.body_font if plan.look is not None else None  # a user's template: the font measured with
    lines: tuple[TableLine, ...] = (tp.header, *tp.rows)
    f = tp.frame
    gf = slide.shapes.add_table(len(lines), len(tp.widths), emu(f.x), emu(f.y), emu(f.w), emu(f.h))
    gf.name = "Table"
    gf._element.nvGraphicFramePr.cNvPr.set("descr", tp.alt)
    table = gf.table
    table.first_row = True
    table.horz_banding = False
    table.last_row = any(r.total for r in tp.rows)
    for c, w in enumerate(tp.widths):
        table.columns[c].width = emu(w)
    gf.width = sum(emu(w) for w in tp.widths)
    head_fill = theme.primary
    head_ink = Colour(head_fill).ink_on(theme.text)
    for r, line in enumerate(lines):
        table.rows[r].height = emu(line.height)
        header = r == 0
        fill = head_fill if header else (theme.light if line.key else WHITE)
        ink = head_ink if header else Colour(fill).ink_on(theme.text)  # (a dark template's white text on white cells)
        bold = header or line.key or line.total
        last = r == len(lines) - 1
        for c, text in enumerate(line.cells):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            cell.margin_left = cell.margin_right = emu(tp.pad_x)
            cell.margin_top = cell.margin_bottom = emu(tp.pad_y)
            cell.vertical_anchor = MSO_ANCHOR.BOTTOM if header else MSO_ANCHOR.TOP
            top = (theme.primary, 1.5) if line.total else None
            bottom = (theme.primary, 1.5) if (header or last) else (RULE, 0.75)
            _borders(cell, top, bottom)
            tf = cell.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.RIGHT if tp.align[c] == "right" else PP_ALIGN.LEFT
            # single spacing, as measured (not what a template's text styles would give table text)
            p._p.get_or_add_pPr().insert(0, parse_xml(f'<a:lnSpc {nsdecls("a")}><a:spcPct val="100000"/></a:lnSpc>'))
            if text:
                put_runs(p, (Run(text, bold=bold),), lang, tp.size, ink, face)
            else:  # an empty cell keeps the row's size (its end mark sets the line height)
                p._p.append(parse_xml(f'<a:endParaRPr {nsdecls("a")} lang="{lang}" sz="{int(round(tp.size * 100))}"/>'))
    if s.source:
        sf = plan.geometry.source
        box = slide.shapes.add_textbox(emu(sf.x), emu(sf.y), emu(sf.w), emu(sf.h))
        box.name = "Source"
        tf = box.text_frame
        tf.word_wrap = True
        if plan.look is not None:
            set_insets(tf, plan.geometry.style.inset)
        put_runs(tf.paragraphs[0], s.source, lang, s.source_size, theme.muted, face)
