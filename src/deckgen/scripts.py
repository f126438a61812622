"""Writing systems of text: which scripts it holds, right-to-left detection, Arabic joining and per-line visual order.

Text is kept in logical order everywhere (model, plans, the deck's XML); only writers that lay glyphs out themselves
(the brief's lines, chart labels) ask here for a line's visual order and Arabic's joined (presentation) forms.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_STRONG = {"L": False, "R": True, "AL": True}
# Scripts whose letters change shape with their neighbours (cursive joining), by code point range
_JOINING = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))
_JOINING_RE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _JOINING) + "]")
# BCP 47 tags runs in a script get in the deck (PowerPoint picks spelling, line breaking and fonts by them)
_LANG = {"arabic": "ar-SA", "hebrew": "he-IL"}


def is_rtl_char(ch: str) -> bool:
    """Whether the character is a strong right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko…)."""
    return unicodedata.bidirectional(ch) in ("R", "AL")


def has_rtl(text: str) -> bool:
    """Whether `text` holds any right-to-left letter."""
    if not text or max(text) < "\u0590":  # Latin, Greek, Cyrillic…: no need to look at each character
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text if ord(ch) >= 0x0590)


def base_rtl(text: str) -> bool:
    """The paragraph direction of `text` (Unicode bidi rule P2): right-to-left when its first strong letter is."""
    for ch in text:
        rtl = _STRONG.get(unicodedata.bidirectional(ch))
        if rtl is not None:
            return rtl
    return False


def script_of(text: str) -> str | None:
    """"arabic" or "hebrew" for text holding letters of that script (Arabic first), else None."""
    hebrew = False
    for ch in text:
        cp = ord(ch)
        if any(lo <= cp <= hi for lo, hi in _JOINING) or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
            return "arabic"
        if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
            hebrew = True
    return "hebrew" if hebrew else None


def language_tag(script: str) -> str:
    """The language tag of runs in `script` ("ar-SA", "he-IL")."""
    return _LANG[script]


def needs_joining(text: str) -> bool:
    """Whether `text` holds letters of a cursive script (Arabic) whose forms depend on their neighbours."""
    if not text or max(text) < "\u0600":
        return False
    return _JOINING_RE.search(text) is not None


@lru_cache(maxsize=1)
def _reshaper():
    from arabic_reshaper import ArabicReshaper

    # keep every character (harakat too); only the mandatory lam-alef ligatures, which every Arabic font has
    return ArabicReshaper(configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False})


@lru_cache(maxsize=4096)
def joined(text: str) -> str:
    """`text`, still in logical order, with Arabic letters in their contextual (joined) presentation forms —
    for writers whose font engine does no shaping (the brief, charts). Other text is returned as it is."""
    return _reshaper().reshape(text) if needs_joining(text) else text


def visual_order(text: str, rtl: bool | None = None) -> list[tuple[int, str]]:
    """One line of `text` in visual (left-to-right drawing) order: (index in `text`, character) pairs, mirrored
    brackets swapped in right-to-left runs (Unicode bidi algorithm, rules up to L4). `rtl`: the paragraph direction
    (None: from the text, rule P2)."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    level = int(base_rtl(text) if rtl is None else rtl)
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    uba.get_embedding_levels(text, storage)
    for i, c in enumerate(storage["chars"]):
        c["i"] = i
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(c["i"], c["ch"]) for c in storage["chars"]]


def visual(text: str, rtl: bool | None = None) -> str:
    """One line of text as drawn left to right: Arabic joined, then put in visual order (unchanged without RTL letters)."""
    if not has_rtl(text):
        return text
    shaped = joined(text)
    return "".join(ch for _, ch in visual_order(shaped, rtl))
