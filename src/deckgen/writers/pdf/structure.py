"""The tagged brief with pikepdf: the structure tree from tags.py's nodes, link annotations tied to Link elements,
the parent tree, clean ToUnicode maps and unique subset tags, and the PDF/UA-1 identification (with PDF/A-2a)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pikepdf

from ...errors import RenderError
from .tags import Link, Mark, Node

BAD_UNICODE = {"", "0000", "FEFF", "FFFE"}
ROLE_MAP = {"Aside": "Div"}  # PDF 2.0 types the brief uses, for PDF 1.7 readers (PDF/UA-1 and PDF/A-2 know 1.7's)


def add_structure(pdf: pikepdf.Pdf, root: Node, links: dict[int, list[tuple[str, Node]]], describe: Callable[[str], str]) -> None:
    """Write the structure tree of `root` into `pdf` (whose page content carries the nodes' MCIDs) and tie each link
    annotation, in the order the canvas made them (`links`: page -> (target, node)), to a Link element with a
    description (`describe(target)`)."""
    pages = [p.obj for p in pdf.pages]
    page_links = {page: [a for a in pages[page - 1].get("/Annots", []) if a.get("/Subtype") == pikepdf.Name.Link]
                  for page in links}
    for page, made in links.items():
        if len(page_links[page]) != len(made):
            raise RenderError(f"page {page}: {len(page_links[page])} link annotations, {len(made)} links drawn")
        for i, (target, node) in enumerate(made):
            node.kids.append(Link(page, i, target))
    by_page: dict[int, dict[int, pikepdf.Object]] = {}
    annot_parents: list[pikepdf.Object] = []
    roles: set[str] = set()
    tree_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))

    def keep(node: Node) -> bool:
        if node.role in ("TD", "TH") and node.parent is not None:
            return node.parent.has_content()  # an empty cell keeps the table regular
        return node.has_content()

    def element(node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        elem = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node.role), P=parent))
        roles.add(node.role)
        if node.alt is not None:
            elem.Alt = pikepdf.String(node.alt)
        if node.lang:
            elem.Lang = pikepdf.String(node.lang)
        if node.ident:
            elem.ID = pikepdf.String(node.ident)
        attrs = dict(node.attrs or {})
        if node.box is not None:
            attrs = {"O": "Layout", "BBox": [round(v, 2) for v in node.box[1:]]}
        if attrs:
            elem.A = pikepdf.Dictionary({"/" + k: _value(v) for k, v in attrs.items()})
        kids = pikepdf.Array()
        home: int | None = None
        for kid in node.kids:
            if isinstance(kid, Node):
                if keep(kid):
                    kids.append(element(kid, elem))
            elif isinstance(kid, Mark):
                page = pages[kid.page - 1]
                if home is None:
                    home = kid.page
                    elem.Pg = page
                kids.append(kid.mcid if kid.page == home else pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid.mcid))
                by_page.setdefault(kid.page, {})[kid.mcid] = elem
            elif isinstance(kid, Link):
                kids.append(_link(kid, elem))
        if home is None and node.box is not None:
            elem.Pg = pages[node.box[0] - 1]
        elem.K = kids
        return elem

    def _link(kid: Link, parent: pikepdf.Object) -> pikepdf.Object:
        page = pages[kid.page - 1]
        annot = page_links[kid.page][kid.index]
        link = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=parent, Pg=page))
        link.K = pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot, Pg=page)])
        annot.Contents = pikepdf.String(describe(kid.target))
        annot.StructParent = len(pages) + len(annot_parents)
        annot_parents.append(link)
        return link

    tree_root.K = element(root, tree_root)
    nums = pikepdf.Array()
    for i, page in enumerate(pages):
        marks = by_page.get(i + 1, {})
        page.StructParents = i
        page.Tabs = pikepdf.Name.S
        nums.append(i)
        nums.append(pikepdf.Array([marks[n] for n in range(len(marks))]))
    for j, link in enumerate(annot_parents):
        nums.append(len(pages) + j)
        nums.append(link)
    tree_root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    tree_root.ParentTreeNextKey = len(pages) + len(annot_parents)
    mapped = {k: v for k, v in ROLE_MAP.items() if k in roles}
    if mapped:
        tree_root.RoleMap = pikepdf.Dictionary({"/" + k: pikepdf.Name("/" + v) for k, v in mapped.items()})
    pdf.Root.StructTreeRoot = tree_root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _value(v):
    if isinstance(v, str):
        return pikepdf.Name("/" + v)
    if isinstance(v, list):
        return pikepdf.Array(v)
    return v


# ---------------------------------------------------------------- fonts: ToUnicode maps and subset tags

_HEX = r"<([0-9A-Fa-f]*)>"
_CHAR = re.compile(rf"{_HEX}\s*{_HEX}")
_RANGE = re.compile(rf"{_HEX}\s*{_HEX}\s*(?:{_HEX}|\[((?:\s*<[0-9A-Fa-f]*>)*)\s*\])")


def parse_cmap(data: str) -> tuple[str, dict[str, str]]:
    """A ToUnicode CMap's code space (as written) and its mappings: source code (hex) -> UTF-16BE (hex)."""
    space = re.search(r"begincodespacerange(.*?)endcodespacerange", data, re.S)
    out: dict[str, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in _CHAR.findall(block):
            out[src.upper()] = dst.upper()
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst, arr in _RANGE.findall(block):
            first, last, width = int(lo, 16), int(hi, 16), len(lo)
            targets = re.findall(_HEX, arr) if arr else None
            for k, code in enumerate(range(first, last + 1)):
                if targets is not None:
                    if k >= len(targets):
                        break
                    value = targets[k]
                else:
                    base = int(dst, 16)
                    value = f"{base + k:0{len(dst)}X}"  # the last UTF-16 unit steps (PDF 9.10.3)
                out[f"{code:0{width}X}"] = value.upper()
    return (space.group(1).strip() if space else "<00> <FF>"), out


def write_cmap(space: str, mapping: dict[str, str]) -> bytes:
    """A ToUnicode CMap of single-code mappings (bfchar, 100 per block)."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", space.upper(), "endcodespacerange"]
    items = sorted(mapping.items(), key=lambda kv: (len(kv[0]), kv[0]))
    for i in range(0, len(items), 100):
        chunk = items[i : i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{src}> <{dst}>" for src, dst in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.Font
            and o.get("/Subtype") in (pikepdf.Name.TrueType, pikepdf.Name.Type0, pikepdf.Name.Type1, pikepdf.Name.Type3)]


def clean_fonts(pdf: pikepdf.Pdf) -> None:
    """Every font's ToUnicode map rewritten plainly without the values PDF/A forbids (U+0000, U+FEFF, U+FFFE: codes
    reportlab's subsets leave unused), and every subset tag unique (reportlab names each of its subsets AAAAAA+…):
    a tag derived from the font program, so the same font gives the same tag."""
    fonts = _fonts(pdf)
    for font in fonts:
        stream = font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            continue
        space, mapping = parse_cmap(stream.read_bytes().decode("latin-1"))
        mapping = {src: dst for src, dst in mapping.items() if dst not in BAD_UNICODE and len(dst) % 4 == 0}
        stream.write(write_cmap(space, mapping))
    tags: dict[str, set] = {}
    for font in fonts:
        name = str(font.get("/BaseFont", ""))
        if re.match(r"^/[A-Z]{6}\+", name):
            tags.setdefault(name[1:7], set()).add(font.objgen)
    for font in fonts:
        name = str(font.get("/BaseFont", ""))
        if not re.match(r"^/[A-Z]{6}\+", name) or len(tags[name[1:7]]) < 2:
            continue
        new = pikepdf.Name("/" + _tag(font) + name[7:])
        font.BaseFont = new
        for part in [font, *font.get("/DescendantFonts", [])]:
            part.BaseFont = new
            descriptor = part.get("/FontDescriptor")
            if descriptor is not None:
                descriptor.FontName = new


def _tag(font: pikepdf.Dictionary) -> str:
    """Six capital letters from a hash of the font's name and program."""
    h = hashlib.sha256(str(font.get("/BaseFont")).encode())
    for part in [font, *font.get("/DescendantFonts", [])]:
        descriptor = part.get("/FontDescriptor")
        for key in ("/FontFile2", "/FontFile", "/FontFile3"):
            if descriptor is not None and key in descriptor:
                h.update(descriptor[key].read_raw_bytes())
    return "".join(chr(65 + b % 26) for b in h.digest()[:6])


# ---------------------------------------------------------------- XMP: PDF/UA-1 identification

_UA_SCHEMA = """<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def ua_schema(pdf: pikepdf.Pdf) -> None:
    """Describe the pdfuaid schema in the XMP (PDF/A admits only described schemas besides its own)."""
    stream = pdf.Root.Metadata
    data = stream.read_bytes().decode("utf-8")
    if "pdfaExtension:schemas" in data:
        return
    end = data.rindex("</rdf:RDF>")
    stream.write((data[:end] + _UA_SCHEMA + data[end:]).encode("utf-8"))
