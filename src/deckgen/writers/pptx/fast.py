"""python-pptx look-ups that grow with a deck, made cheap for the deck writer: the same XML, found without XPath or rescans.

python-pptx finds a shape's `p:ph` with an XPath query (compiled anew on every call, tens of thousands of calls per
deck), numbers each new slide by reading every slide id, and finds or adds a relationship by regrouping all of a
part's relationships by type (the presentation part has one per slide). At 2,000 slides those made writing a
slide several times slower than at 100. Here: `p:ph` by walking three elements, slide ids counted per presentation,
and the presentation part's relationships indexed by type and target as they are added. Each gives what python-pptx
itself would (tests/test_deck_fast.py compares them).
"""
from __future__ import annotations

import collections
import copy
import functools
import weakref

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationships
from pptx.parts.slide import NotesSlidePart
from pptx.oxml.ns import qn
from pptx.oxml.shapes.shared import BaseShapeElement

_NVPR, _PH = qn("p:nvPr"), qn("p:ph")
MIN_SLIDE_ID, MAX_SLIDE_ID = 256, 2147483647  # as python-pptx's CT_SlideIdList._next_id
_xpath_ph = BaseShapeElement.ph


def _ph(self):
    """The `p:ph` of the shape's first child's `p:nvPr` (XPath `./*[1]/p:nvPr/p:ph`, first match), or None."""
    for first in self.iterchildren():
        if not isinstance(first.tag, str):  # a comment or processing instruction is no element: `*` skips it
            continue
        for nvpr in first.iterchildren(_NVPR):
            for ph in nvpr.iterchildren(_PH):
                return ph
        return None
    return None


def fast_placeholders() -> None:
    """Find `p:ph` without XPath in every shape element from now on, and name tags from a table (process-wide: the same
    answer, faster)."""
    BaseShapeElement.ph = property(_ph, doc=_xpath_ph.__doc__)
    _table_qn()


# python-pptx's `qn` ('p:sp' -> its Clark name) from a table: python-pptx builds a NamespacePrefixedTag for each of the
# ~900 calls a slide makes (~13 % of the deck's drawing time under the profiler, default outline)
_qn = functools.cache(qn)


def _table_qn() -> None:
    """Every python-pptx module that calls `qn` by its global name calls `_qn` instead."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("pptx.") and getattr(module, "qn", None) is qn:
            module.qn = _qn  # type: ignore[attr-defined]


class _IndexedRelationships(_Relationships):
    """A part's relationships with their grouping by type, and the first of each (type, target), kept as they are
    added; any removal or reload starts both afresh."""

    def _index(self) -> tuple[dict, dict]:
        idx = self.__dict__.get("_deckgen_index")
        if idx is None:
            by_type: collections.defaultdict = collections.defaultdict(list)
            first: dict = {}
            for rel in self._rels.values():
                self._note(by_type, first, rel)
            idx = self.__dict__["_deckgen_index"] = (by_type, first)
        return idx

    @staticmethod
    def _note(by_type: dict, first: dict, rel) -> None:
        by_type[rel.reltype].append(rel)
        target = rel.target_ref if rel.is_external else rel.target_part
        first.setdefault((rel.reltype, rel.is_external, _key(target)), rel.rId)

    @property
    def _rels_by_reltype(self):
        return self._index()[0]

    def _get_matching(self, reltype, target, is_external=False):
        return self._index()[1].get((reltype, is_external, _key(target)))

    def _add_relationship(self, reltype, target, is_external=False):
        rId = super()._add_relationship(reltype, target, is_external)
        idx = self.__dict__.get("_deckgen_index")
        if idx is not None:
            self._note(*idx, self._rels[rId])
        return rId

    def pop(self, rId):
        self.__dict__.pop("_deckgen_index", None)
        return super().pop(rId)

    def load_from_xml(self, base_uri, xml_rels, parts):
        self.__dict__.pop("_deckgen_index", None)
        super().load_from_xml(base_uri, xml_rels, parts)


def _key(target) -> object:
    """A relationship target as a dict key: an external address by its text, a part by identity (as `==` compares them)."""
    return target if isinstance(target, str) else id(target)


def index_relationships(part) -> None:
    """Index `part`'s relationships (the presentation part: one per slide) for the rest of its life."""
    rels = part.rels
    if type(rels) is _Relationships:
        rels.__class__ = _IndexedRelationships


_next_ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # presentation part -> the id its next slide gets


def add_slide(prs, layout):
    """`prs.slides.add_slide(layout)`, numbering the slide from a count kept per presentation instead of reading
    every slide id (python-pptx's rule: one more than the largest id in use; its fallback search beyond the largest
    id allowed is left to python-pptx)."""
    slides = prs.slides
    sld_ids = slides._sldIdLst
    next_id = _next_ids.get(prs.part)
    last = sld_ids[-1] if len(sld_ids) else None
    if next_id is None or (last is not None and last.get("id") != str(next_id - 1)):  # ids changed meanwhile: read them
        next_id = max([MIN_SLIDE_ID - 1, *(int(s.get("id")) for s in sld_ids.iterchildren(qn("p:sldId")))]) + 1
    if next_id > MAX_SLIDE_ID:
        return slides.add_slide(layout)
    rId, slide = prs.part.add_slide(layout)
    _cloned(slide.shapes._spTree, layout.part, lambda: slide.shapes.clone_layout_placeholders(layout))
    sld_ids._add_sldId(id=next_id, rId=rId)
    _next_ids[prs.part] = next_id + 1
    return slide


_clones: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # layout or notes master part -> its clones


def _cloned(tree, source_part, clone) -> None:
    """Give a fresh slide's shape tree `tree` the placeholders `clone()` gives it from `source_part` (a layout, the
    notes master): python-pptx's clones the first time, copies of them after. A fresh tree is always the same, so
    python-pptx numbers and names the clones the same each time."""
    cached = _clones.get(source_part)
    if cached is not None and tree.find(qn("p:extLst")) is None:
        for el in cached:
            tree.append(copy.deepcopy(el))
        return
    before = len(tree)
    clone()
    if tree.find(qn("p:extLst")) is None:
        _clones[source_part] = tuple(copy.deepcopy(el) for el in tree[before:])


def notes_slide(slide):
    """`slide.notes_slide`, made as python-pptx makes it (the notes master's placeholders cloned, once; copied after)."""
    part = slide.part
    try:
        part.part_related_by(RT.NOTES_SLIDE)
    except KeyError:
        package = part.package
        master = package.presentation_part.notes_master_part
        notes = NotesSlidePart._add_notes_slide_part(package, part, master)
        _cloned(notes.notes_slide.shapes._spTree, master, lambda: notes.notes_slide.clone_master_placeholders(master.notes_master))
        part.relate_to(notes, RT.NOTES_SLIDE)
    return slide.notes_slide


__all__ = ["add_slide", "fast_placeholders", "index_relationships", "notes_slide"]
