"""Read the few font tables deckgen measures text with straight from a TrueType/OpenType file (pure, no fontTools).

fontTools decompiles a whole cmap subtable into glyph names and imports a module per table: for the four faces of a
theme and a fallback face that was a tenth of a second of every build. This reads the table directory, the best
Unicode cmap (formats 4 and 12, chosen as fontTools' getBestCmap chooses), advance widths, vertical metrics and the
family name, giving what fontTools gives. Anything it does not read the common way (another cmap format, a DMAP
table, overlapping cmap groups, a WOFF file, a name in an encoding other than UTF-16 or Mac Roman) raises
`Unsupported`, and the caller asks fontTools instead.
"""
from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))  # fontTools' getBestCmap order
_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"true", b"OTTO")


class Unsupported(Exception):
    """The file uses something this reader leaves to fontTools."""


class Face:
    """One face of a font file: its table directory, read once; tables read on demand."""

    def __init__(self, path: str | Path, index: int = 0) -> None:
        self.path = str(path)
        with open(self.path, "rb") as fh:
            head = fh.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if not 0 <= index < count:
                    raise Unsupported("no such face in the collection")
                fh.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                head = fh.read(12)
            elif index != 0:
                raise Unsupported("a face index in a single font")
            if len(head) < 12 or head[:4] not in _SFNT_VERSIONS:
                raise Unsupported("not a plain TrueType/OpenType file")
            (n,) = struct.unpack(">H", head[4:6])
            entries = fh.read(16 * n)
        if len(entries) < 16 * n:
            raise Unsupported("truncated table directory")
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(n):
            tag, _checksum, offset, length = struct.unpack(">4sIII", entries[16 * i:16 * i + 16])
            self.tables[tag.decode("latin-1")] = (offset, length)

    def __contains__(self, tag: str) -> bool:
        return tag in self.tables

    def table(self, tag: str) -> bytes:
        if tag not in self.tables:
            raise Unsupported(f"no {tag} table")
        offset, length = self.tables[tag]
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            data = fh.read(length)
        if len(data) < length:
            raise Unsupported(f"truncated {tag} table")
        return data

    def units_per_em(self) -> int:
        return struct.unpack(">H", self.table("head")[18:20])[0]

    def num_glyphs(self) -> int:
        return struct.unpack(">H", self.table("maxp")[4:6])[0]

    def best_cmap(self) -> dict[int, int] | None:
        """Code point -> glyph id of the best Unicode subtable (glyph 0 left out), None when there is none."""
        if "DMAP" in self.tables:
            raise Unsupported("a DMAP table")
        if "cmap" not in self.tables:
            return None
        data = self.table("cmap")
        if len(data) < 4:
            raise Unsupported("short cmap")
        (count,) = struct.unpack(">H", data[2:4])
        subtables: list[tuple[int, int, int]] = []
        for i in range(count):
            entry = data[4 + 8 * i:12 + 8 * i]
            if len(entry) < 8:
                raise Unsupported("truncated cmap directory")
            platform, encoding, offset = struct.unpack(">HHI", entry)
            if offset + 4 > len(data):
                raise Unsupported("cmap subtable out of range")
            subtables.append((platform, encoding, offset))
        for want in CMAP_PREFERENCES:
            for platform, encoding, offset in subtables:
                if (platform, encoding) == want:
                    return _subtable(data, offset, self.num_glyphs())
        return None

    def advances(self) -> tuple[list[int], int]:
        """The advance widths of the first numberOfHMetrics glyphs (the last repeats for the rest) and that number."""
        hhea = self.table("hhea")
        (n,) = struct.unpack(">H", hhea[34:36])
        if not 0 < n <= self.num_glyphs():
            raise Unsupported("odd numberOfHMetrics")
        hmtx = self.table("hmtx")
        if len(hmtx) < 4 * n:
            raise Unsupported("short hmtx")
        return list(struct.unpack(f">{2 * n}H", hmtx[:4 * n])[0::2]), n

    def line_heights(self) -> list[int]:
        """hhea ascent - descent + line gap, then (with an OS/2 table) win ascent + descent and typo ascender -
        descender + line gap, in font units."""
        ascent, descent, gap = struct.unpack(">hhh", self.table("hhea")[4:10])
        out = [ascent - descent + gap]
        if "OS/2" in self.tables:
            os2 = self.table("OS/2")
            if len(os2) < 78:
                raise Unsupported("short OS/2")
            typo_asc, typo_desc, typo_gap, win_asc, win_desc = struct.unpack(">hhhHH", os2[68:78])
            out += [win_asc + win_desc, typo_asc - typo_desc + typo_gap]
        return out

    def family_name(self) -> str | None:
        """The typographic family name (name ID 16), else the legacy one (ID 1), chosen as fontTools' getDebugName."""
        data = self.table("name")
        if len(data) < 6:
            raise Unsupported("short name table")
        _fmt, count, strings = struct.unpack(">HHH", data[:6])
        records = []
        for i in range(count):
            rec = data[6 + 12 * i:18 + 12 * i]
            if len(rec) < 12:
                raise Unsupported("truncated name table")
            records.append(struct.unpack(">6H", rec))
        for wanted in (16, 1):
            english = mac = some = None
            for platform, encoding, lang, name_id, length, offset in records:
                if name_id != wanted:
                    continue
                raw = data[strings + offset:strings + offset + length]
                if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
                    codec = "utf_16_be"
                elif (platform, encoding, lang) == (1, 0, 0):
                    codec = "mac_roman"
                else:
                    raise Unsupported("a name in another encoding")
                try:
                    text = raw.decode(codec)
                except UnicodeDecodeError:
                    continue
                some = text
                if (platform, lang) == (3, 0x409):
                    english = text
                    break
                if (platform, lang) == (1, 0) and mac is None:
                    mac = text
            found = english or mac or some
            if found:
                return found
        return None


def _subtable(data: bytes, offset: int, num_glyphs: int) -> dict[int, int]:
    (fmt,) = struct.unpack(">H", data[offset:offset + 2])
    if fmt == 4:
        return _format4(data, offset, num_glyphs)
    if fmt == 12:
        return _format12(data, offset, num_glyphs)
    raise Unsupported(f"cmap format {fmt}")


def _format4(data: bytes, offset: int, num_glyphs: int) -> dict[int, int]:
    (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
    if not length:
        raise Unsupported("zero-length subtable")
    body = data[offset + 6:offset + length]
    seg_x2 = struct.unpack(">H", body[:2])[0] if len(body) >= 2 else 0
    seg = seg_x2 // 2
    words = body[8:]
    n = len(words) // 2
    codes = struct.unpack(f">{n}H", words[:2 * n])
    if n < 4 * seg + 1:
        raise Unsupported("short format 4 subtable")
    end, start = codes[:seg], codes[seg + 1:2 * seg + 1]
    delta, range_offset = codes[2 * seg + 1:3 * seg + 1], codes[3 * seg + 1:4 * seg + 1]
    glyphs = codes[4 * seg + 1:]
    out: dict[int, int] = {}
    for i in range(seg - 1):  # not the final 0xFFFF segment (as fontTools)
        s, d, ro = start[i], delta[i], range_offset[i]
        if ro == 0:
            for c in range(s, end[i] + 1):
                g = (c + d) & 0xFFFF
                if g:
                    out[c] = g
        else:
            partial = ro // 2 - s + i - seg
            for c in range(s, end[i] + 1):
                k = c + partial
                if not 0 <= k < len(glyphs):
                    raise Unsupported("glyph index out of range")
                g = (glyphs[k] + d) & 0xFFFF if glyphs[k] else 0
                if g:
                    out[c] = g
    if any(g >= num_glyphs for g in out.values()):
        raise Unsupported("glyph id beyond the font")
    return out


def _format12(data: bytes, offset: int, num_glyphs: int) -> dict[int, int]:
    if offset + 16 > len(data):
        raise Unsupported("short format 12 subtable")
    _fmt, _reserved, length, _lang, groups = struct.unpack(">HHIII", data[offset:offset + 16])
    if not length or offset + 16 + 12 * groups > len(data):
        raise Unsupported("odd format 12 subtable")
    out: dict[int, int] = {}
    last_end = 0
    for i in range(groups):
        s, e, g = struct.unpack(">III", data[offset + 16 + 12 * i:offset + 28 + 12 * i])
        if e > 0x10FFFF or s > e or s < last_end or g == 0:
            raise Unsupported("a clamped, unsorted or overlapping group, or one starting at glyph 0")
        last_end = e
        if g + e - s >= num_glyphs:
            raise Unsupported("glyph id beyond the font")
        out.update(zip(range(s, e + 1), range(g, g + e - s + 1)))
    return out


@lru_cache(maxsize=None)
def face(path: str, index: int = 0) -> Face:
    """The face at `path` (and `index` in a collection), its directory read once."""
    return Face(path, index)
