"""Font coverage: which characters of a text the brief's fonts can draw, and which fallback fonts there are."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import sfnt

REPLACEMENT = "\ufffd"  # drawn (from a fallback font) in place of a character no font has

# Characters the bundled fonts lack are looked up with fontconfig one script (or block) at a time: the key of a
# character is the range below it falls in (a script that spans several Unicode blocks is one key), else its
# 128-code-point block. One fc-match call per key present in the text, its answer cached for the process.
_SCRIPT_RANGES = (
    (0x0590, 0x05FF, "hebrew"), (0xFB1D, 0xFB4F, "hebrew"),
    (0x0600, 0x08FF, "arabic"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xAC00, 0xD7AF, "hangul"),
    (0x2E80, 0x2FDF, "cjk"), (0x3000, 0x312F, "cjk"), (0x3190, 0x9FFF, "cjk"), (0xF900, 0xFAFF, "cjk"),
    (0xFF00, 0xFFEF, "cjk"), (0x20000, 0x3FFFF, "cjk"),
)
_QUERY_CHARS = 24  # at most this many of a key's characters in one fontconfig charset query
_IGNORABLE = frozenset(map(ord, "\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class FontFile:
    """One font face: a file and, for a collection (.ttc), the face's index."""

    path: Path
    index: int = 0

    @property
    def key(self) -> str:
        """A stable short name for registering the face."""
        return f"{self.path.stem}-{self.index}" if self.index else self.path.stem


@lru_cache(maxsize=None)
def charset(font: FontFile) -> frozenset[int]:
    """The code points the face maps to a glyph (its best Unicode cmap)."""
    try:  # the common case read directly (sfnt.py); anything unusual by fontTools
        return frozenset(sfnt.Face(font.path, font.index).best_cmap() or {})
    except (sfnt.Unsupported, OSError, struct.error):
        pass
    from fontTools.ttLib import TTFont

    with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
        return frozenset(tt.getBestCmap() or {})


@lru_cache(maxsize=None)
def usable(font: FontFile) -> bool:
    """Whether the face has a Unicode cmap and TrueType (glyf) or CFF outlines."""
    try:
        face = sfnt.Face(font.path, font.index)
        return "cmap" in face and ("glyf" in face or "CFF " in face)
    except (sfnt.Unsupported, OSError, struct.error):
        pass
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
            return "cmap" in tt and ("glyf" in tt or "CFF " in tt)
    except Exception:  # unreadable or not a font
        return False


@lru_cache(maxsize=None)
def is_truetype(font: FontFile) -> bool:
    """Whether the face has TrueType (glyf) outlines, which reportlab embeds as they are."""
    try:
        return "glyf" in sfnt.Face(font.path, font.index)
    except (sfnt.Unsupported, OSError, struct.error):
        pass
    from fontTools.ttLib import TTFont

    with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
        return "glyf" in tt


@lru_cache(maxsize=32)
def truetype_subset(font: FontFile, chars: str, ps_name: str | None = None) -> bytes:
    """A TrueType-outline font with just `chars` (plus .notdef) of the face: CFF curves become quadratic ones.
    `ps_name` renames it (PDF writers tell faces apart by PostScript name: one name per subset)."""
    import io

    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    tt = TTFont(str(font.path), fontNumber=font.index, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "GPOS", "GSUB", "GDEF"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted({ord(c) for c in chars}))
    sub.subset(tt)
    if "CFF " in tt:
        order = tt.getGlyphOrder()
        glyphset = tt.getGlyphSet()
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyphset)
            glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyphs[name] = pen.glyph()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = glyphs
        tt["loca"] = newTable("loca")
        tt["glyf"] = glyf
        del tt["CFF "]
        glyf.compile(tt)
        hmtx = tt["hmtx"]
        for name, g in glyphs.items():
            if hasattr(g, "xMin"):
                hmtx[name] = (hmtx[name][0], g.xMin)
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                     "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
            setattr(maxp, attr, 1 if attr == "maxZones" else 0)
        tt["maxp"] = maxp
        post = tt["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = order
        tt.sfntVersion = "\x00\x01\x00\x00"
    if ps_name:
        tt["name"].setName(ps_name, 6, 3, 1, 0x409)
        tt["name"].setName(ps_name, 6, 1, 0, 0)
    if "head" in tt:  # no build dates in the output
        tt["head"].created = tt["head"].modified = 0
    out = io.BytesIO()
    tt.save(out, reorderTables=True)
    tt.close()
    return out.getvalue()


def _uncovered(text: str, fonts: tuple[FontFile, ...]) -> frozenset[int]:
    """Code points of `text` no font of `fonts` draws; a font's table is read only if earlier fonts leave some out
    (so the big CJK fallback's cmap is never read for an outline in a Latin script)."""
    return _uncovered_short(text, fonts) if len(text) <= 2_000 else frozenset(_left(text, fonts))


@lru_cache(maxsize=16_384)  # asked of the same texts again by every build of a session (watch, serve)
def _uncovered_short(text: str, fonts: tuple[FontFile, ...]) -> frozenset[int]:
    return frozenset(_left(text, fonts))


def _left(text: str, fonts: tuple[FontFile, ...]) -> set[int]:
    left = {ord(ch) for ch in text} - _IGNORABLE
    for f in fonts:
        if not left:
            break
        left -= charset(f)
    return left


def drawable(ch: str, fonts: tuple[FontFile, ...]) -> bool:
    """Whether some font of `fonts` has the character (controls and soft hyphens count as drawable)."""
    return not _uncovered(ch, fonts)


def missing(text: str, fonts: tuple[FontFile, ...]) -> str:
    """The distinct characters of `text` that none of `fonts` can draw, in order of first appearance."""
    left = _uncovered(text, fonts)
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) in left)) if left else ""


def font_for(ch: str, fonts: tuple[FontFile, ...]) -> int | None:
    """The index in `fonts` of the first font that has `ch`, else None."""
    cp = ord(ch)
    for i, f in enumerate(fonts):
        if cp in charset(f):
            return i
    return None


def describe(chars: str) -> str:
    """Characters for a message: each shown with its code point, e.g. '岸' (U+5CB8)."""
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars)


def fallback_fonts(bundled: tuple[Path, ...], extra: tuple[str, ...] | None = (), text: str = "",
                   user: tuple[Path, ...] = (), primary: Path | None = None) -> tuple[FontFile, ...]:
    """The fallback faces, preferred first: the outline's own (`user`, theme.fonts), the bundled ones, then installed
    faces: `extra` ("path" or "path#face-index" entries, tried in order), or with `extra` None, those fontconfig
    finds for the characters of `text` that `primary` (the theme's regular face), the user's and the bundled faces
    lack (no fontconfig call when they draw every character)."""
    out: list[FontFile] = []
    seen: set[str] = set()

    def add(entries) -> None:
        for entry in entries:
            path, _, index = str(entry).partition("#")
            p = Path(path)
            if p.is_file() and (p.name, index) not in seen:
                face = FontFile(p, int(index or 0))
                if usable(face):
                    seen.add((p.name, index))
                    out.append(face)

    add((*user, *bundled))
    if extra is None:
        known = tuple(out) if primary is None else (FontFile(primary), *out)
        extra = system_fallbacks(text, known)
    add(extra)
    return tuple(out)


_BLOCK_FACES: dict[str, list[str]] = {}  # key -> the "path#index" entries fontconfig gave for it in this process
_BLOCK_MISSES: dict[str, set[int]] = {}  # key -> code points fontconfig had no face for in this process
FC_CALLS = [0]  # fc-match calls made by this process (for tests and benchmarks)


def script_key(cp: int) -> str:
    """The lookup key of a code point: its script for the ranges of _SCRIPT_RANGES, else its 128-code-point block."""
    for lo, hi, key in _SCRIPT_RANGES:
        if lo <= cp <= hi:
            return key
    return f"block-{cp >> 7:04x}"


def system_fallbacks(text: str, known: tuple[FontFile, ...] = ()) -> tuple[str, ...]:
    """Installed faces, as "path#face-index", for the characters of `text` that the `known` faces lack, found with
    fontconfig (`fc-match ':charset=…'`): one call per script or block those characters fall in, answers cached per
    key for the process and reused while they cover what is asked; () when everything is covered, fontconfig is not
    installed or finds nothing."""
    left = _uncovered(text, known)
    if not left:
        return ()
    by_key: dict[str, list[int]] = {}
    for cp in sorted(left):
        by_key.setdefault(script_key(cp), []).append(cp)
    out: list[str] = []
    for key, cps in by_key.items():
        entries = _BLOCK_FACES.setdefault(key, [])
        misses = _BLOCK_MISSES.setdefault(key, set())
        need = [cp for cp in cps if cp not in misses and not any(cp in charset(font_file(e)) for e in entries)]
        if need:
            found = _fc_charset(need[:_QUERY_CHARS])
            if found is not None and found not in entries and set(need) & charset(font_file(found)):
                entries.append(found)
            misses.update(cp for cp in need if not any(cp in charset(font_file(e)) for e in entries))
        for e in entries:
            if e not in out and set(cps) & charset(font_file(e)):
                out.append(e)
    return tuple(out)


def font_file(entry: str) -> FontFile:
    """The face a "path" or "path#face-index" entry names."""
    path, _, index = entry.partition("#")
    return FontFile(Path(path), int(index or 0))


def _fc_charset(cps: list[int]) -> str | None:
    """fontconfig's best usable face for the code points `cps`, as "path#index"; None if there is none."""
    found = _fc_match(":charset=" + " ".join(f"{cp:x}" for cp in cps))
    if found is None:
        return None
    path, index, _ = found
    entry = f"{path}#{index}"
    return entry if usable(font_file(entry)) else None


@lru_cache(maxsize=None)
def family_name(font: FontFile) -> str:
    """The face's family name as applications list it (typographic family, else the legacy one)."""
    try:
        return str(sfnt.Face(font.path, font.index).family_name() or font.path.stem)
    except (sfnt.Unsupported, OSError, struct.error):
        pass
    from fontTools.ttLib import TTFont

    with TTFont(str(font.path), fontNumber=font.index, lazy=True) as tt:
        name = tt["name"]
        return str(name.getDebugName(16) or name.getDebugName(1) or font.path.stem)


def _fc_query(pattern: str, fields: str) -> list[str] | None:
    """fontconfig's answer for its best face for `pattern`, one line per %{…} of `fields` (e.g. "file index");
    None when fontconfig is not installed, hangs or finds nothing."""
    import subprocess

    fmt = "".join(f"%{{{f}}}\\n" for f in fields.split())
    FC_CALLS[0] += 1
    try:
        result = subprocess.run(["fc-match", "-f", fmt, pattern], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) <= len(fields.split()) - 1 or not lines[0]:
        return None
    return lines


def _fc_match(pattern: str) -> tuple[str, int, frozenset[str]] | None:
    """fontconfig's best face for `pattern`: (file, face index, languages it covers); None if there is no answer."""
    lines = _fc_query(pattern, "file index lang")
    if lines is None or len(lines) < 3 or not lines[1].isdigit():
        return None
    index = int(lines[1])
    if index >> 16:  # a named instance of a variable font, not a face of its own
        return None
    return lines[0], index, frozenset(lines[2].split("|"))


def drawable_all(text: str, fonts: tuple[FontFile, ...]) -> bool:
    """Whether every character of `text` is drawable with `fonts`."""
    return not _uncovered(text, fonts)


# Fonts a template may name and the freely licensed fonts with the same advance widths ("metric twins") that
# LibreOffice also substitutes for them: text measured with the twin breaks where PowerPoint breaks it.
METRIC_TWINS = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "courier new": "Liberation Mono",
    "courier": "Liberation Mono",
}
_STYLES = ("Regular", "Bold", "Italic", "Bold Italic")


@lru_cache(maxsize=64)
def find_family(name: str) -> tuple[str, tuple[str, str, str, str]] | None:
    """The installed faces that draw text set in `name` on this machine — the family itself, its metric twin, or what
    fontconfig substitutes (as LibreOffice does) — as (family found, (regular, bold, italic, bold italic) files);
    None without fontconfig. Only TrueType-outline faces count (their widths are read with fontTools)."""
    wanted = METRIC_TWINS.get(name.strip().lower(), name.strip())
    files: list[str] = []
    family = ""
    for style in _STYLES:
        found = _fc_query(f"{wanted}:style={style}", "file family[0]")
        if found is None or len(found) < 2:
            return None
        path, fam = found[0], found[1]
        if not Path(path).suffix.lower() in (".ttf", ".otf", ".ttc"):
            return None
        family = family or fam
        files.append(path)
    return family, (files[0], files[1], files[2], files[3])
