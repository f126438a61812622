"""Right-to-left and complex-script markup of the deck: PowerPoint and LibreOffice shape and order text themselves.

Text stays in logical order in the XML. A paragraph whose first strong letter is right-to-left gets `rtl="1"` (and
right alignment where it was left-aligned); a run holding Arabic or Hebrew gets the script's language tag (unless the
outline is in that language) and `<a:cs typeface>` naming an installed family that has the script's glyphs.
"""
from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn

from ... import scripts

# rPr children that come before a:cs in the schema (CT_TextCharacterProperties)
_BEFORE_CS = (qn("a:ln"), qn("a:noFill"), qn("a:solidFill"), qn("a:gradFill"), qn("a:blipFill"), qn("a:pattFill"),
              qn("a:grpFill"), qn("a:effectLst"), qn("a:effectDag"), qn("a:highlight"), qn("a:uLnTx"), qn("a:uLn"),
              qn("a:uFillTx"), qn("a:uFill"), qn("a:latin"), qn("a:ea"))
_KEEP = "keep"  # an inherited alignment that stays as it is (chart text)
_TITLES = ("title", "ctrTitle")  # placeholders styled by the master's titleStyle (the others: bodyStyle)


def mark_scripts(prs, families: dict[str, str], language: str, own: tuple[tuple[str, frozenset[int]], ...] = (),
                 primary: frozenset[int] = frozenset()) -> None:
    """Mark every paragraph and run of the slides, their notes and their charts that hold right-to-left text.
    `families`: script ("arabic", "hebrew") -> the family named for its runs (absent: the run keeps its fonts).
    `own`: the outline's theme.fonts as (family, code points it draws): a run with characters the theme's font
    (`primary`: its code points) lacks names the first of them that draws those (a:ea for CJK, a:cs for
    right-to-left scripts, else a:latin)."""
    for slide in prs.slides:
        # (root, the alignment its paragraphs inherit): a chart's text keeps its alignment (titles centred)
        roots = [(slide._element, lambda p, s=slide: _inherited_align(s, p))]
        if slide.has_notes_slide:
            roots.append((slide.notes_slide._element, lambda p: None))
        roots += [(shape.chart._chartSpace, lambda p: _KEEP) for shape in slide.shapes if shape.has_chart]
        for root, inherited in roots:
            for p in root.iter(qn("a:p")):
                mark_paragraph(p, families, language, inherited)
                if own:
                    _name_own_fonts(p, own, primary)


def _name_own_fonts(p, own: tuple[tuple[str, frozenset[int]], ...], primary: frozenset[int]) -> None:
    """Name the outline's own font for each run of `p` with characters the theme's font lacks (see mark_scripts)."""
    for r in p.iter(qn("a:r")):
        lacking = {ord(ch) for ch in (r.findtext(qn("a:t")) or "") if not ch.isspace()} - primary
        if not lacking:
            continue
        family = next((name for name, cps in own if lacking <= cps), None) or next(
            (name for name, cps in own if lacking & cps), None)
        if family is None:
            continue
        script = scripts.script_of("".join(map(chr, lacking)))
        slot = "cs" if script else "ea" if any(_east_asian(cp) for cp in lacking) else "latin"
        rPr = r.find(qn("a:rPr"))
        if rPr is None:
            rPr = etree.Element(qn("a:rPr"))
            r.insert(0, rPr)
        _set_font(rPr, slot, family)


def _east_asian(cp: int) -> bool:
    """Whether PowerPoint sets the code point with the East Asian (a:ea) font: CJK, kana, hangul, full-width forms."""
    return 0x1100 <= cp <= 0x11FF or 0x2E80 <= cp <= 0xA4CF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF \
        or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF


def mark_paragraph(p, families: dict[str, str], language: str, inherited=lambda p: None) -> None:
    """Mark one `a:p` (see the module's docstring); a paragraph without right-to-left letters is left as it is.
    `inherited(p)`: the alignment the paragraph takes from its layout and master ("l", "ctr", … or None; "keep":
    leave the alignment alone)."""
    runs = [r for r in p if r.tag in (qn("a:r"), qn("a:fld"))]
    text = "".join((r.findtext(qn("a:t")) or "") for r in runs)
    if not scripts.has_rtl(text):
        return
    primary = language.split("-")[0].lower()
    for r in runs:
        script = scripts.script_of(r.findtext(qn("a:t")) or "")
        if script is None:
            continue
        rPr = r.find(qn("a:rPr"))
        if rPr is None:
            rPr = etree.SubElement(r, qn("a:rPr"))
            r.insert(0, rPr)
        tag = scripts.language_tag(script)
        if tag.split("-")[0] != primary:
            rPr.set("lang", tag)
        family = families.get(script)
        if family:
            _set_font(rPr, "cs", family)
    if scripts.base_rtl(text):
        pPr = p.find(qn("a:pPr"))
        if pPr is None:
            pPr = etree.Element(qn("a:pPr"))
            p.insert(0, pPr)
        pPr.set("rtl", "1")
        algn = pPr.get("algn")
        if algn == "l" or (algn is None and inherited(p) in (None, "l")):
            pPr.set("algn", "r")


_FONT_SLOTS = ("latin", "ea", "cs")


def _set_font(rPr, slot: str, family: str) -> None:
    """Name `family` as the run's `slot` font (a:latin, a:ea or a:cs), in its place among rPr's children."""
    el = rPr.find(qn(f"a:{slot}"))
    if el is None:
        el = etree.Element(qn(f"a:{slot}"))
        earlier = (*_BEFORE_CS[:-2], *(qn(f"a:{s}") for s in _FONT_SLOTS[: _FONT_SLOTS.index(slot)]))
        before = [i for i, child in enumerate(rPr) if child.tag in earlier]
        rPr.insert(before[-1] + 1 if before else 0, el)
    el.set("typeface", family)


def _inherited_align(slide, p) -> str | None:
    """The alignment (`algn`) a slide paragraph inherits: from its layout placeholder, then the master's placeholder,
    then the master's title or body text style (level 1); None when none sets it (left)."""
    sp = p.getparent()
    while sp is not None and sp.tag != qn("p:sp"):
        sp = sp.getparent()
    ph = None if sp is None else sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
    if ph is None:
        return None
    kind, idx = ph.get("type", "obj"), ph.get("idx", "0")
    layout = slide.slide_layout
    master = layout.slide_master
    for tree in (layout._element, master._element):
        for other in tree.iter(qn("p:sp")):
            oph = other.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
            if oph is None or oph.get("type", "obj") != kind and not (kind != "obj" and oph.get("idx") == idx != "0"):
                continue
            for pPr in (other.find(f".//{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"), other.find(f".//{qn('a:p')}/{qn('a:pPr')}")):
                if pPr is not None and pPr.get("algn"):
                    return pPr.get("algn")
    style = "p:titleStyle" if kind in _TITLES else "p:bodyStyle"
    lvl1 = master._element.find(f"{qn('p:txStyles')}/{qn(style)}/{qn('a:lvl1pPr')}")
    return None if lvl1 is None else lvl1.get("algn")
