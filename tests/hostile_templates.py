"""Hostile PowerPoint templates made in the tests (issue 20): a macro-enabled package, an OLE object on a layout,
external relationships on the master and a layout, custom XML, printer settings, comments, an entity-expansion
(DTD) part and an oversize part. Not a test module: tests/test_hostile_templates.py uses it."""
from __future__ import annotations

import io
import re
import zipfile

from pptx import Presentation

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TRACKER = "https://tracker.example.com/pixel.png"
UNC = "file://///evil-host/share/payload.xls"
LINK = "https://phish.example.com/login"
MACRO_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"


def plain_template() -> bytes:
    """python-pptx's default presentation: a clean template to add the hostile parts to."""
    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def _edit(data: bytes, change) -> bytes:
    """The package with `change(parts)` applied to a name -> bytes dict (order kept, new parts appended)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def _add_rel(parts: dict, rels: str, rid: str, kind: str, target: str, external: bool = False) -> None:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'.encode()
    parts[rels] = parts[rels].replace(b"</Relationships>", rel + b"</Relationships>")


def _add_override(parts: dict, part: str, ctype: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{part}" ContentType="{ctype}"/></Types>'.encode())


def _add_shape(parts: dict, part: str, xml: str) -> None:
    body = parts[part]
    i = body.rindex(b"</p:spTree>")
    parts[part] = body[:i] + xml.encode() + body[i:]


def macro_template() -> bytes:
    """A .pptm renamed .pptx: ppt/vbaProject.bin related from the presentation, the macro-enabled content type."""
    def change(parts):
        parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Module1\"" * 40
        _add_rel(parts, "ppt/_rels/presentation.xml.rels", "rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        parts["[Content_Types].xml"] = re.sub(
            rb'(PartName="/ppt/presentation.xml" ContentType=")[^"]+"', rb'\g<1>' + MACRO_MAIN.encode() + b'"', parts["[Content_Types].xml"])
    return _edit(plain_template(), change)


OLE_FRAME = (
    f'<p:graphicFrame xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvGraphicFramePr><p:cNvPr id="90" name="Object 1"/>'
    '<p:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
    '<p:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic>'
    '<a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
    '<p:oleObj spid="_x0000_s1025" name="Worksheet" r:id="{rid}" imgW="100" imgH="100" progId="Excel.Sheet.8">'
    '<p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>'
)


def ole_template() -> bytes:
    """An OLE object (an embedded workbook) on a layout, and a second one linked to a UNC path."""
    def change(parts):
        parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
        rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
        _add_rel(parts, rels, "rIdOle", f"{R}/oleObject", "../embeddings/oleObject1.bin")
        _add_rel(parts, rels, "rIdUnc", f"{R}/oleObject", UNC, external=True)
        _add_override(parts, "ppt/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject")
        _add_shape(parts, "ppt/slideLayouts/slideLayout2.xml", OLE_FRAME.format(rid="rIdOle"))
        _add_shape(parts, "ppt/slideLayouts/slideLayout2.xml", OLE_FRAME.format(rid="rIdUnc").replace('id="90"', 'id="91"'))
    return _edit(plain_template(), change)


def external_template() -> bytes:
    """External relationships on the master and a layout: a tracking picture (linked image), a hyperlink."""
    pic = (f'<p:pic xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvPicPr><p:cNvPr id="92" name="Tracker"/><p:cNvPicPr/><p:nvPr/>'
           '</p:nvPicPr><p:blipFill><a:blip r:link="rIdTrack"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
           '<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="12700" cy="12700"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
           '</a:prstGeom></p:spPr></p:pic>')
    box = (f'<p:sp xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvSpPr><p:cNvPr id="93" name="Link box">'
           '<a:hlinkClick r:id="rIdLink"/></p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="0"/>'
           '<a:ext cx="12700" cy="12700"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:sp>')

    def change(parts):
        _add_rel(parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels", "rIdTrack", f"{R}/image", TRACKER, external=True)
        _add_shape(parts, "ppt/slideMasters/slideMaster1.xml", pic)
        _add_rel(parts, "ppt/slideLayouts/_rels/slideLayout1.xml.rels", "rIdLink", f"{R}/hyperlink", LINK, external=True)
        _add_shape(parts, "ppt/slideLayouts/slideLayout1.xml", box)
    return _edit(plain_template(), change)


def private_parts_template() -> bytes:
    """Custom XML (with its properties), printer settings and comment authors, each related from the presentation."""
    def change(parts):
        parts["customXml/item1.xml"] = b'<?xml version="1.0"?><secret>internal customer list</secret>'
        parts["customXml/_rels/item1.xml.rels"] = (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{R}/customXmlProps" Target="itemProps1.xml"/></Relationships>').encode()
        parts["customXml/itemProps1.xml"] = (
            b'<?xml version="1.0"?><ds:datastoreItem ds:itemID="{00000000-0000-0000-0000-000000000001}" '
            b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>')
        _add_override(parts, "customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
        _add_rel(parts, "ppt/_rels/presentation.xml.rels", "rIdCx", f"{R}/customXml", "../customXml/item1.xml")
        parts["ppt/printerSettings/printerSettings1.bin"] = b"\x00PRINTER\\\\corp-printer-7\x00" * 8
        _add_rel(parts, "ppt/_rels/presentation.xml.rels", "rIdPr", f"{R}/printerSettings", "printerSettings/printerSettings1.bin")
        _add_override(parts, "ppt/printerSettings/printerSettings1.bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings")
        parts["ppt/commentAuthors.xml"] = (
            f'<?xml version="1.0"?><p:cmAuthorLst xmlns:p="{P}"><p:cmAuthor id="0" name="Jane Insider" initials="JI" '
            'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>').encode()
        _add_rel(parts, "ppt/_rels/presentation.xml.rels", "rIdCa", f"{R}/commentAuthors", "commentAuthors.xml")
        _add_override(parts, "ppt/commentAuthors.xml", "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml")
    return _edit(plain_template(), change)


def entity_template() -> bytes:
    """A layout part that declares a DTD with nested entities (a 'billion laughs')."""
    dtd = ('<!DOCTYPE p:sldLayout [<!ENTITY a "aaaaaaaaaa">' +
           "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")

    def change(parts):
        body = parts["ppt/slideLayouts/slideLayout1.xml"].decode()
        head, rest = body.split("?>", 1)
        rest = rest.replace("<a:t>", "<a:t>&i;", 1) if "<a:t>" in rest else rest
        parts["ppt/slideLayouts/slideLayout1.xml"] = (head + "?>" + dtd + rest).encode()
    return _edit(plain_template(), change)


def oversize_template(mb: int = 20) -> bytes:
    """A layout part of `mb` MB unpacked (white space inside the root element: it deflates to a few KB)."""
    def change(parts):
        body = parts["ppt/slideLayouts/slideLayout3.xml"]
        i = body.index(b"<p:cSld")
        parts["ppt/slideLayouts/slideLayout3.xml"] = body[:i] + b" " * (mb * 1024 * 1024) + body[i:]
    return _edit(plain_template(), change)


def everything_template() -> bytes:
    """Every kind of active or private content at once (macro, OLE, external links, custom XML, printer, comments)."""
    data = macro_template()
    for make in (ole_template, external_template, private_parts_template):
        with zipfile.ZipFile(io.BytesIO(make())) as extra, zipfile.ZipFile(io.BytesIO(data)) as base:
            merged = {i.filename: base.read(i.filename) for i in base.infolist()}
            for info in extra.infolist():
                body = extra.read(info.filename)
                if info.filename not in merged:
                    merged[info.filename] = body
                elif info.filename.endswith(".rels"):
                    new = re.findall(rb"<Relationship [^>]*/>", body)
                    for rel in new:
                        if rel not in merged[info.filename]:
                            merged[info.filename] = merged[info.filename].replace(b"</Relationships>", rel + b"</Relationships>")
                elif info.filename == "[Content_Types].xml":
                    for item in re.findall(rb"<(?:Override|Default) [^>]*/>", body):
                        if item not in merged[info.filename] and b"/ppt/presentation.xml" not in item:
                            merged[info.filename] = merged[info.filename].replace(b"</Types>", item + b"</Types>")
                elif body != merged[info.filename] and info.filename.endswith(".xml"):
                    merged[info.filename] = body  # the part with the added shapes
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in merged.items():
                zf.writestr(name, body)
        data = out.getvalue()
    return data
