"""The deck writer's cheap python-pptx look-ups (writers/pptx/fast.py) give what python-pptx's own give."""
from __future__ import annotations

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, _Relationships
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls

from deckgen.writers.pptx import fast


def _shape(inner: str):
    return parse_xml(f"<p:sp {nsdecls('p', 'a')}>{inner}<p:spPr/></p:sp>")


def test_ph_is_found_as_the_xpath_finds_it():
    cases = [
        "<p:nvSpPr><p:cNvPr id='2' name='T'/><p:cNvSpPr/><p:nvPr><p:ph type='title'/></p:nvPr></p:nvSpPr>",
        "<p:nvSpPr><p:cNvPr id='2' name='B'/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>",  # no placeholder
        "<!-- a comment first --><p:nvSpPr><p:cNvPr id='3' name='C'/><p:cNvSpPr/><p:nvPr><p:ph idx='1'/></p:nvPr></p:nvSpPr>",
        "<p:nvSpPr><p:cNvPr id='4' name='D'/><p:cNvSpPr/><p:nvPr/><p:nvPr><p:ph idx='7'/></p:nvPr></p:nvSpPr>",  # second nvPr
        "",  # no children at all but spPr
    ]
    for inner in cases:
        sp = _shape(inner)
        want = sp.xpath("./*[1]/p:nvPr/p:ph")
        got = fast._ph(sp)
        assert (got is None and not want) or (want and got is want[0]), inner


def test_placeholders_of_a_real_slide_are_found_alike():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    for shape in slide.shapes:
        assert fast._ph(shape._element) is fast._xpath_ph.fget(shape._element)


def test_indexed_relationships_answer_as_python_pptx():
    prs = Presentation()
    part = prs.part
    plain = _Relationships(part.partname.baseURI)
    plain._rels.update(part.rels._rels)
    fast.index_relationships(part)
    indexed = part.rels
    assert type(indexed) is not _Relationships
    targets = [Part(PackURI(f"/ppt/x/p{i}.xml"), "application/xml", prs.part.package, b"<x/>") for i in range(4)]
    for rels in (plain, indexed):
        for t in targets[:3]:
            rels.get_or_add(RT.SLIDE, t)
        rels.get_or_add_ext_rel(RT.HYPERLINK, "https://example.org/")
    for rels in (plain, indexed):  # what is there is found, what is not is added once
        assert rels.get_or_add(RT.SLIDE, targets[1]) == plain.get_or_add(RT.SLIDE, targets[1])
        assert rels.get_or_add_ext_rel(RT.HYPERLINK, "https://example.org/") == plain._get_matching(RT.HYPERLINK, "https://example.org/", True)
    assert indexed.get_or_add(RT.SLIDE, targets[3]) == plain.get_or_add(RT.SLIDE, targets[3])
    assert {k: [r.rId for r in v] for k, v in indexed._rels_by_reltype.items() if v} == \
        {k: [r.rId for r in v] for k, v in plain._rels_by_reltype.items() if v}
    # a removal is seen by the index
    rid = indexed._get_matching(RT.SLIDE, targets[0])
    indexed.pop(rid)
    assert indexed._get_matching(RT.SLIDE, targets[0]) is None
    assert indexed.get_or_add(RT.SLIDE, targets[0]) == rid  # the freed id comes back, as python-pptx reuses gaps


def test_slides_are_numbered_as_python_pptx_numbers_them():
    ours, theirs = Presentation(), Presentation()
    for i in range(5):
        fast.add_slide(ours, ours.slide_layouts[i % 3])
        theirs.slides.add_slide(theirs.slide_layouts[i % 3])
    theirs.slides.add_slide(theirs.slide_layouts[0])  # python-pptx's own add after ours: the count is read afresh
    ours.slides.add_slide(ours.slide_layouts[0])
    fast.add_slide(ours, ours.slide_layouts[1])
    theirs.slides.add_slide(theirs.slide_layouts[1])
    ids = lambda prs: [(s.get("id"), s.rId) for s in prs.slides._sldIdLst]  # noqa: E731
    assert ids(ours) == ids(theirs)
    assert len(ours.slides) == len(theirs.slides) == 7
    assert [len(s.shapes) for s in ours.slides] == [len(s.shapes) for s in theirs.slides]


def test_placeholders_and_notes_copied_from_the_first_clones_are_python_pptx_s_own():
    from lxml import etree

    ours, theirs = Presentation(), Presentation()
    for i in range(4):  # the first slide of each layout clones, later ones copy
        a = fast.add_slide(ours, ours.slide_layouts[i % 2])
        b = theirs.slides.add_slide(theirs.slide_layouts[i % 2])
        fast.notes_slide(a).notes_text_frame.text = f"said {i}"
        b.notes_slide.notes_text_frame.text = f"said {i}"
    for a, b in zip(ours.slides, theirs.slides):
        assert etree.tostring(a._element) == etree.tostring(b._element)
        assert etree.tostring(a.notes_slide._element) == etree.tostring(b.notes_slide._element)
        assert a.notes_slide.part.partname == b.notes_slide.part.partname


def test_a_package_redated_in_place_is_the_one_rezip_writes():
    import io

    from deckgen.writers.pptx.package import _redated, fixed_zip, rezip

    prs = Presentation()
    fast.add_slide(prs, prs.slide_layouts[1])
    buf = io.BytesIO()
    prs.save(buf)
    data = buf.getvalue()
    assert _redated(data, 1_700_000_000) == rezip(data, 1_700_000_000, lambda name, content: content)
    assert fixed_zip(data, 0) == rezip(data, 0, lambda name, content: content)


def test_tags_are_named_from_the_table_as_python_pptx_names_them():
    import sys

    from pptx.oxml.ns import NamespacePrefixedTag

    fast.fast_placeholders()
    xmlchemy = sys.modules["pptx.oxml.xmlchemy"]
    assert xmlchemy.qn is fast._qn  # python-pptx's own modules call the table
    for tag in ("p:sp", "a:t", "c:chart", "p:sp", "r:id", "a:rPr"):
        assert xmlchemy.qn(tag) == NamespacePrefixedTag(tag).clark_name
