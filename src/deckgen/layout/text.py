"""Outline text as planners set it: runs with white space folded, one-line plain text (pure)."""
from __future__ import annotations

import re

from ..inline import Run, clean, parse


def runs(text: str) -> tuple[Run, ...]:
    """Parsed runs with white space folded to single spaces (line breaks in YAML blocks included), ends trimmed."""
    out = [Run(re.sub(r"\s+", " ", r.text), r.bold, r.italic, r.url) for r in parse(text)]
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].url)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].url)
    return tuple(r for r in out if r.text)


def one_line(text: str) -> str:
    """Plain text on one line, without the characters XML cannot carry."""
    return " ".join(clean(text).split())
