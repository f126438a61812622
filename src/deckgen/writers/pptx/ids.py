"""Stable ids in the deck for `deckgen pull`: a hidden marker shape per slide and the map in custom document properties."""
from __future__ import annotations

from xml.sax.saxutils import escape

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from ...deckmap import MARK

CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def mark_slide(slide, number: int) -> None:
    """A hidden, empty, zero-size shape named 'deckgen:<number>': placeholder names and slide ids do not survive a
    LibreOffice save, the name of an ordinary shape does (and PowerPoint keeps both). It is the slide's first shape:
    the bottom of the z-order and of the reading order, under everything drawn (classification banners stay on top)."""
    tree = slide.shapes._spTree
    next_id = max((int(e.get("id")) for e in tree.iter(qn("p:cNvPr"))), default=1) + 1
    tree.insert(2, parse_xml(  # after the group's nvGrpSpPr and grpSpPr
        f'<p:sp {nsdecls("p", "a")}><p:nvSpPr><p:cNvPr id="{next_id}" name="{MARK}{number}" hidden="1"/><p:cNvSpPr/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'))


def set_custom_properties(prs, props: dict[str, str]) -> None:
    """docProps/custom.xml with the given text properties, in the given order (PowerPoint and LibreOffice keep them)."""
    items = "".join(f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}"><vt:lpwstr>{escape(value)}'
                    f"</vt:lpwstr></property>" for pid, (name, value) in enumerate(props.items(), 2))
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">'
            f"{items}</Properties>").encode()
    package = prs.part.package
    part = next((p for p in package.iter_parts() if str(p.partname) == "/docProps/custom.xml"), None)
    if part is not None:
        part._blob = blob
        return
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, package, blob)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def read_custom_properties(prs) -> dict[str, str]:
    """The text custom document properties of a presentation, by name."""
    from lxml import etree

    part = next((p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/custom.xml"), None)
    if part is None:
        return {}
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return {}
    out = {}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        value = next(iter(prop), None)
        out[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return out
