"""A deck written again from the last one: the changed slides' parts grafted in, every other part's bytes reused.

The deck a session (watch, serve) wrote last is kept as its zip entries. When a new plan differs from the last only
in some slides' content — the same deck-wide settings, slide count and kinds — only those slides are drawn, in a
fresh package of their own; their parts (slide, notes, charts and their workbooks) are renamed to the names the
same slides have in the last deck and put in place of theirs. The result is the deck a full write would give, byte
for byte: every check here that could make it differ (a relationship more or less, a picture that changed, a
template part that came out otherwise) gives None, and the caller writes the whole deck instead.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from .package import write_zip

_R = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
# A grafted part's relationships to parts it shares with the rest of the deck: they must point at the same part
_SHARED = ("/slideLayout", "/notesMaster", "/slide")
_OWN_PROPS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")  # made from the plan each time


@dataclass
class LastDeck:
    """The deck written last for one audience: what it was made from and its zip entries in their order."""

    key: str  # everything deck-wide the drawing depends on (plan without slides, template, logo, epoch, fonts)
    slides: list[str]  # each slide's plan, as text
    entries: list[tuple[str, bytes]]  # (name, content) in zip order
    marks: dict[str, dict] = field(default_factory=dict)  # slide number -> its fingerprints in the deck map

    @property
    def parts(self) -> dict[str, bytes]:
        return dict(self.entries)


def unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def zipped(entries: list[tuple[str, bytes]], epoch: int) -> bytes:
    """The entries as a package, as package.fixed_zip writes python-pptx's (every entry deflated)."""
    return write_zip([(name, content, zipfile.ZIP_DEFLATED) for name, content in entries], epoch)


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _rels(parts: dict[str, bytes], part: str) -> list[tuple[str, str, str, bool]]:
    """A part's relationships as (id, type, target part name or URL, external), by id."""
    data = parts.get(_rels_name(part))
    if data is None:
        return []
    out = []
    for r in ElementTree.fromstring(data).iter(_R):
        external = r.get("TargetMode") == "External"
        target = r.get("Target", "")
        if not external:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(part), target)).lstrip("/")
        out.append((r.get("Id", ""), r.get("Type", ""), target, external))
    return sorted(out)


def slide_names(parts: dict[str, bytes]) -> list[str]:
    """The slide parts in the deck's order (presentation.xml's slide list)."""
    pres = "ppt/presentation.xml"
    targets = {rid: target for rid, kind, target, _ in _rels(parts, pres) if kind == _SLIDE}
    root = ElementTree.fromstring(parts[pres])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return [targets[e.get(rid, "")] for e in root.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}sldId")]


def graft(last: LastDeck, fresh: bytes, changed: list[int]) -> list[tuple[str, bytes]] | None:
    """The last deck's entries with slides `changed` (0-based, in order) taken from `fresh`, a package holding just
    those slides drawn, in that order; None when the result could differ from a full write (see the module)."""
    old = last.parts
    new = dict(unzip(fresh))
    old_slides, new_slides = slide_names(old), slide_names(new)
    if len(new_slides) != len(changed):
        return None
    rename: dict[str, str] = {}
    for index, fresh_slide in zip(changed, new_slides):
        if not _pair(old, new, fresh_slide, old_slides[index], rename):
            return None
    for name, content in new.items():  # the template's parts (masters, layouts, theme) must have come out the same
        if name in rename or name.endswith(".rels") or name in _OWN_PROPS:
            continue
        if name in ("ppt/presentation.xml", "[Content_Types].xml"):
            continue
        if old.get(name) != content:
            return None
    swapped = {target: new[source] for source, target in rename.items()}
    swapped.update({name: new[name] for name in _OWN_PROPS if name in new})
    if any(name not in old for name in swapped):
        return None
    return [(name, swapped.get(name, content)) for name, content in last.entries]


def _pair(old: dict[str, bytes], new: dict[str, bytes], fresh: str, before: str, rename: dict[str, str]) -> bool:
    """Map part `fresh` of the new package (and what it owns) onto `before` of the old one; False if their
    relationships differ in anything but the names of owned parts."""
    if rename.get(fresh, before) != before:
        return False
    rename[fresh] = before
    a, b = _rels(new, fresh), _rels(old, before)
    if [(i, t, x) for i, t, _, x in a] != [(i, t, x) for i, t, _, x in b]:
        return False
    for (_, kind, target, external), (_, _, target_before, _) in zip(a, b):
        if external:
            if target != target_before:  # a link's address changed: its rels file would differ
                return False
        elif kind.endswith(_SHARED):
            if rename.get(target, target) != target_before:
                return False
        elif kind.endswith("/image"):  # pictures are shared by content across slides: only the same one is the same
            if new.get(target) != old.get(target_before):
                return False
            rename.setdefault(target, target_before)
        elif not _pair(old, new, target, target_before, rename):
            return False
    return True
