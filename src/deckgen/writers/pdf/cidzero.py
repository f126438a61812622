"""A chart page's CID fonts renumbered so no text shows CID 0 (which PDF/A reads as the .notdef glyph).

matplotlib (3.11) puts the characters of a chart beyond Latin-1 (ł, ą, Greek, Cyrillic, CJK …) in a CID font subset
numbered from 0, with a CIDToGIDMap to the real glyphs: the first such character is shown as CID 0. PDF/A-2 forbids
showing CID 0 (6.2.11.8: .notdef), so every code of such a font is moved up by one — in the text that shows it, its
CIDToGIDMap, its widths and its ToUnicode map; the glyphs themselves do not change.
"""
from __future__ import annotations

import re

import pikepdf

from .structure import write_cmap

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def no_cid_zero(page: pikepdf.Page, pdf: pikepdf.Pdf) -> int:
    """Renumber, in place, every Identity-H CID font of `page` (a chart page of `pdf`) whose text shows CID 0; how
    many were."""
    fonts = page.Resources.get("/Font") if "/Resources" in page.obj else None
    if not fonts:
        return 0
    candidates = {str(name): font for name, font in fonts.items() if _renumberable(font)}
    if not candidates:
        return 0
    ops = pikepdf.parse_content_stream(page)
    current = None
    used: set[str] = set()
    for operands, operator in ops:
        op = str(operator)
        if op == "Tf":
            current = str(operands[0])
        elif op in ("Tj", "TJ", "'", '"') and current in candidates:
            if any(_codes(s) and 0 in _codes(s) for s in _strings(operands, op)):
                used.add(current)
    if not used:
        return 0
    out = []
    current = None
    for operands, operator in ops:
        op = str(operator)
        if op == "Tf":
            current = str(operands[0])
        elif op in ("Tj", "TJ", "'", '"') and current in used:
            operands = _shifted_operands(operands, op)
        out.append(pikepdf.ContentStreamInstruction(operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    for name in sorted(used):
        _shift_font(candidates[name], pdf)
    return len(used)


def _renumberable(font) -> bool:
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return False
    kids = font.get("/DescendantFonts")
    return bool(kids) and isinstance(kids[0].get("/CIDToGIDMap"), pikepdf.Stream)


def _strings(operands, op: str) -> list:
    if op == "TJ":
        return [x for x in operands[0] if isinstance(x, pikepdf.String)]
    return [operands[-1]]


def _codes(string) -> list[int]:
    raw = bytes(string)
    return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]


def _shift(string) -> pikepdf.String:
    return pikepdf.String(b"".join((c + 1).to_bytes(2, "big") for c in _codes(string)))


def _shifted_operands(operands, op: str) -> list:
    if op == "TJ":
        return [pikepdf.Array([_shift(x) if isinstance(x, pikepdf.String) else x for x in operands[0]])]
    return [*operands[:-1], _shift(operands[-1])]


def _shift_font(font, pdf: pikepdf.Pdf) -> None:
    cid = font.DescendantFonts[0]
    cid.CIDToGIDMap.write(b"\x00\x00" + cid.CIDToGIDMap.read_bytes())  # CID 0 -> GID 0 (.notdef), n + 1 -> old n
    if "/W" in cid:
        widths, items, i = [], list(cid.W), 0
        while i < len(items):
            if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
                widths += [int(items[i]) + 1, items[i + 1]]
                i += 2
            else:
                widths += [int(items[i]) + 1, int(items[i + 1]) + 1, items[i + 2]]
                i += 3
        cid.W = pikepdf.Array(widths)
    if "/ToUnicode" in font:
        pairs = _unicode_pairs(font.ToUnicode.read_bytes())
        font.ToUnicode = pdf.make_stream(write_cmap("<0000> <FFFF>", {f"{code + 1:04X}": text.hex().upper()
                                                                          for code, text in pairs.items()}))


def _unicode_pairs(cmap: bytes) -> dict[int, bytes]:
    """code -> UTF-16BE text of a ToUnicode CMap's bfchar and bfrange entries."""
    out: dict[int, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        values = _HEX.findall(block)
        for src, dst in zip(values[0::2], values[1::2]):
            out[int(src, 16)] = bytes.fromhex(dst.decode())
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            values = _HEX.findall(line)
            if len(values) < 3:
                continue
            lo, hi = int(values[0], 16), int(values[1], 16)
            if b"[" in line:
                for k, dst in enumerate(values[2:]):
                    out[lo + k] = bytes.fromhex(dst.decode())
            else:
                start = int(values[2], 16)
                width = len(values[2]) // 2
                for k in range(hi - lo + 1):
                    out[lo + k] = (start + k).to_bytes(width, "big")
    return out
