"""Outline text as planners set it: runs with white space folded, one-line plain text (pure)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..inline import Note, Run, clean, parse


def runs(text: str) -> tuple[Run, ...]:
    """Parsed runs with white space folded to single spaces (line breaks in YAML blocks included), ends trimmed;
    footnote markers (`Note`, empty until numbered) are kept."""
    out = [replace(r, text=re.sub(r"\s+", " ", r.text)) for r in parse(text)]
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text or isinstance(r, Note))


def one_line(text: str) -> str:
    """Plain text on one line, without the characters XML cannot carry."""
    return " ".join(clean(text).split())
