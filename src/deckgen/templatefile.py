"""A user's .pptx template made plain data: active content, outside links and private parts dropped, XML parsed safely.

Only masters, layouts, themes, fonts and pictures reach the deck. Macros (vbaProject), OLE objects and embedded
packages, ActiveX controls, external relationships (linked pictures, hyperlinks, linked OLE files), custom XML,
printer settings and comments are removed with the relationships and the shapes that use them, and the main part gets
the plain presentation content type (a .pptm or .potx saved as .pptx). Every XML part is checked for size before it
is parsed, and parsed with a parser that loads no DTD, resolves no entity and reaches no network; a part that
declares a DTD is refused.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from .errors import AssetError

MAX_XML_PART = 16 * 1024 * 1024  # the largest XML part PowerPoint itself writes for a template is far smaller
PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MAIN_DOC = _R + "/officeDocument"

# relationship type (its last path segment) -> what it is, in the warning
_DROP_TYPES = {
    "vbaProject": "macros", "wordVbaData": "macros", "keyMapCustomizations": "macros",
    "oleObject": "OLE objects", "package": "OLE objects",
    "activeXControl": "ActiveX controls", "activeXControlBinary": "ActiveX controls", "control": "ActiveX controls",
    "customXml": "custom XML", "customXmlProps": "custom XML", "customData": "custom XML",
    "printerSettings": "printer settings",
    "comments": "comments", "commentAuthors": "comments", "authors": "comments",
}
# parts dropped by content type even when nothing points at them
_DROP_CONTENT = (("vbaProject", "macros"), ("vbaData", "macros"), ("oleObject", "OLE objects"), ("activeX", "ActiveX controls"),
                 ("printerSettings", "printer settings"), ("comments", "comments"), ("commentAuthors", "comments"),
                 ("customXml", "custom XML"))
_LINKS = {f"{{{_A}}}{n}" for n in ("hlinkClick", "hlinkHover", "hlinkMouseOver")}
_LISTS = {f"{{{_P}}}{n}" for n in ("custDataLst", "controls")}


@dataclass(frozen=True)
class Cleaned:
    """The template's bytes as the deck may use them, and what was dropped ("macros (ppt/vbaProject.bin)", …)."""

    data: bytes
    dropped: tuple[str, ...]


def parse_xml(data: bytes, part: str, field: str, name: str) -> etree._Element:
    """One XML part parsed safely (no DTD, no entities, no network), refusing a part too large or declaring a DTD."""
    if len(data) > MAX_XML_PART:
        raise AssetError(_too_large(name, part, len(data)), field)
    if b"<!DOCTYPE" in data or b"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E" in data:
        raise AssetError(f"'{name}': part {part} declares a DTD (<!DOCTYPE>), which no PowerPoint file needs and which can "
                         "expand entities — re-save the template in PowerPoint", field)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False,
                             huge_tree=False, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise AssetError(f"'{name}': part {part} is not well-formed XML (line {exc.lineno}: {exc.msg}) — re-save the "
                         "template in PowerPoint", field) from None
    if root.getroottree().docinfo.doctype:
        raise AssetError(f"'{name}': part {part} declares a DTD — re-save the template in PowerPoint", field)
    return root


def _too_large(name: str, part: str, size: int) -> str:
    return (f"'{name}': part {part} is {size / 1024 / 1024:.0f} MB of XML; a template part is limited to "
            f"{MAX_XML_PART // 1024 // 1024} MB — remove what makes it so large (re-save the template in PowerPoint)")


def clean(data: bytes, name: str = "template", field: str = "theme.template") -> Cleaned:
    """The template with only what a deck may carry; raises AssetError (naming the part) for a part too large, a DTD or
    XML that is not well-formed. The same bytes in give the same bytes out; a clean template comes back unchanged."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise AssetError(f"'{name}' is a damaged ZIP package ({exc}) — re-save the template in PowerPoint", field) from None
    with zf:
        infos = zf.infolist()
        for info in infos:  # sizes from the directory, before any part is inflated or parsed
            if _is_xml(info.filename) and info.file_size > MAX_XML_PART:
                raise AssetError(_too_large(name, info.filename, info.file_size), field)
        names = {i.filename for i in infos}
        xml: dict[str, etree._Element] = {}
        for info in infos:
            if _is_xml(info.filename):
                try:
                    raw = zf.read(info.filename)
                except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
                    raise AssetError(f"'{name}': part {info.filename} cannot be unpacked ({exc}) — re-save the template "
                                     "in PowerPoint", field) from None
                xml[info.filename] = parse_xml(raw, info.filename, field, name)
        _check_size(xml.get(_main_part(xml)), name, field)
        plan = _plan(xml, names)
        if not plan.changed:
            return Cleaned(data, ())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for info in infos:
                if info.filename in plan.remove:
                    continue
                body = (etree.tostring(xml[info.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
                        if info.filename in plan.edited else zf.read(info.filename))
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type = info.compress_type
                entry.external_attr = info.external_attr
                dst.writestr(entry, body)
    return Cleaned(out.getvalue(), tuple(plan.summary()))


MIN_SLIDE, MAX_SLIDE = 914400, 51206400  # EMU: 1 to 56 inches, what PowerPoint's Slide Size accepts


def _check_size(root: etree._Element | None, name: str, field: str) -> None:
    """The presentation part states a slide size PowerPoint accepts; else AssetError naming it."""
    if root is None:
        raise AssetError(f"'{name}' has no presentation part — save the template as .pptx in PowerPoint", field)
    size = root.find(f"{{{_P}}}sldSz")
    fix = "set it in PowerPoint (Design › Slide Size) and save the template again"
    if size is None:
        raise AssetError(f"'{name}' states no slide size — {fix}", field)
    try:
        cx, cy = int(size.get("cx", "")), int(size.get("cy", ""))
    except ValueError:
        raise AssetError(f"'{name}' has a slide size that is not a number — {fix}", field) from None
    if not (MIN_SLIDE <= cx <= MAX_SLIDE and MIN_SLIDE <= cy <= MAX_SLIDE):
        raise AssetError(f"'{name}' has a slide size of {cx / 12700:g} × {cy / 12700:g} pt; a slide is 72 to 4032 pt a "
                         f"side — {fix}", field)


def _is_xml(filename: str) -> bool:
    return filename.lower().endswith((".xml", ".rels"))  # VML (legacy drawings) is not always well-formed; never parsed


@dataclass
class _Plan:
    remove: set[str]
    edited: set[str]
    found: dict[str, list[str]]  # what -> part names or link targets
    changed: bool = False

    def note(self, what: str, item: str) -> None:
        items = self.found.setdefault(what, [])
        if item not in items:
            items.append(item)
        self.changed = True

    def summary(self) -> list[str]:
        order = ["macros", "OLE objects", "ActiveX controls", "external links", "custom XML", "printer settings",
                 "comments", "content type"]
        out = []
        for what in sorted(self.found, key=order.index):
            items = self.found[what]
            shown = ", ".join(items[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
            out.append(f"{what} ({shown})")
        return out


def _plan(xml: dict[str, etree._Element], names: set[str]) -> _Plan:
    """Decide what goes (parts, relationships, the shapes using them) and apply it to the parsed XML in `xml`."""
    plan = _Plan(set(), set(), {})
    types = xml.get("[Content_Types].xml")
    overrides = {}
    if types is not None:
        for el in types.findall(f"{{{_CT}}}Override"):
            overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
        defaults = {el.get("Extension", "").lower(): el.get("ContentType", "") for el in types.findall(f"{{{_CT}}}Default")}
    else:
        defaults = {}
    for part in sorted(names):  # parts that are active or private content by their place, else by their type
        what = _by_place(part)
        if what is None:
            ctype = (overrides.get(part) or defaults.get(posixpath.splitext(part)[1].lstrip(".").lower(), "")).lower()
            what = next((w for key, w in _DROP_CONTENT if key.lower() in ctype), None)
        if what is not None:
            plan.remove.add(part)
            plan.note(what, part)
    for rels_name, rels in sorted(xml.items()):
        if not rels_name.endswith(".rels") or rels.tag != f"{{{_PKG_RELS}}}Relationships":
            continue
        source = _source_of(rels_name)
        dropped: set[str] = set()
        for rel in list(rels):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")
            if rel.get("TargetMode", "") == "External":
                plan.note("external links", target[:80])
            elif kind in _DROP_TYPES:
                part = posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/") \
                    if not target.startswith("/") else target.lstrip("/")
                plan.remove.add(part)
                plan.remove.add(_rels_of(part))
                plan.note(_DROP_TYPES[kind], part)
            else:
                part = posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/") \
                    if not target.startswith("/") else target.lstrip("/")
                if part not in plan.remove:
                    continue
            rels.remove(rel)
            dropped.add(rel.get("Id", ""))
        if dropped:
            plan.edited.add(rels_name)
            root = xml.get(source)
            if root is not None and _drop_uses(root, dropped):
                plan.edited.add(source)
    for part in list(plan.remove):  # a removed part's own relationships go with it
        plan.remove.add(_rels_of(part))
    if types is not None:
        for el in types.findall(f"{{{_CT}}}Override"):
            part = el.get("PartName", "").lstrip("/")
            if part in plan.remove:
                types.remove(el)
                plan.edited.add("[Content_Types].xml")
        main = _main_part(xml)
        for el in types.findall(f"{{{_CT}}}Override"):
            if el.get("PartName", "").lstrip("/") == main and el.get("ContentType") != PRESENTATION:
                plan.note("content type", el.get("ContentType", "").rsplit(".", 2)[-2] if "." in el.get("ContentType", "") else "?")
                el.set("ContentType", PRESENTATION)
                plan.edited.add("[Content_Types].xml")
    plan.edited -= plan.remove
    return plan


_PLACES = (("customXml/", "custom XML"), ("ppt/embeddings/", "OLE objects"), ("ppt/activeX/", "ActiveX controls"),
           ("ppt/printerSettings/", "printer settings"), ("ppt/comments/", "comments"))


def _by_place(part: str) -> str | None:
    if posixpath.basename(part).lower() == "vbaproject.bin":
        return "macros"
    if part.endswith(".rels"):
        return None  # a part's relationships go with the part
    return next((what for folder, what in _PLACES if part.startswith(folder)), None)


def _drop_uses(root: etree._Element, ids: set[str]) -> bool:
    """Remove what refers to a dropped relationship: a hyperlink element itself, else the whole shape (the child of
    the shape tree or group: a graphic frame with its OLE object, a picture with a linked image, an mc:AlternateContent)
    or, outside a shape tree, the element and an emptied list around it."""
    hits = [el for el in root.iter() if isinstance(el.tag, str)
            and any(k.startswith(f"{{{_R}}}") and v in ids for k, v in el.attrib.items())]
    changed = False
    for el in hits:
        if _detached(el, root):
            continue  # already removed with an ancestor
        if el.tag in _LINKS:
            target = el
        else:
            target = el
            node = el
            while node.getparent() is not None:
                parent = node.getparent()
                if parent.tag in (f"{{{_P}}}spTree", f"{{{_P}}}grpSp"):
                    target = node
                    break
                node = parent
        parent = target.getparent()
        if parent is None:
            continue
        parent.remove(target)
        changed = True
        if parent.tag in _LISTS and len(parent) == 0 and parent.getparent() is not None:
            parent.getparent().remove(parent)
    return changed


def _detached(el: etree._Element, root: etree._Element) -> bool:
    node = el
    while node.getparent() is not None:
        node = node.getparent()
    return node is not root


def _source_of(rels_name: str) -> str:
    """`ppt/slideLayouts/_rels/slideLayout1.xml.rels` -> `ppt/slideLayouts/slideLayout1.xml` (`_rels/.rels` -> '')."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if base != ".rels" else ""


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _main_part(xml: dict[str, etree._Element]) -> str:
    rels = xml.get("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type") == _MAIN_DOC:
                return rel.get("Target", "").lstrip("/")
    return "ppt/presentation.xml"
