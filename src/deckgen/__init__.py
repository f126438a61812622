"""deckgen's library API: load an outline and build its PowerPoint deck and PDF brief."""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DeckgenError, OutlineError, Problem
from .outline import Document, load_outline

__all__ = ["BuildResult", "DeckgenError", "OutlineError", "Problem", "build", "epoch_for", "load"]
__version__ = "0.1.0"
FORMATS = ("pptx", "pdf")


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    paths: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def load(path: str | Path | None = None) -> Document:
    """Read and validate an outline (the bundled default when path is None); raises OutlineError."""
    if path is None:
        from .theme import default_outline

        path = default_outline()
    return load_outline(path)


def epoch_for(doc: Document) -> int:
    """The timestamp written into outputs: SOURCE_DATE_EPOCH if set, else midnight UTC of the outline's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    assert doc.outline is not None
    day = doc.outline.meta.date
    return int(_dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc).timestamp())


def build(
    outline: str | Path | None = None,
    out_dir: str | Path = "build",
    formats: tuple[str, ...] = FORMATS,
) -> BuildResult:
    """Build the deck and/or brief of an outline into out_dir; nothing is written unless every output succeeds."""
    from .output import commit, output_path
    from .theme import load_theme

    doc = load(outline)
    assert doc.outline is not None
    theme = load_theme(doc.outline.theme.name)
    epoch = epoch_for(doc)
    stem = Path(doc.file).stem
    out = Path(out_dir)
    files: dict[Path, bytes] = {}
    result = BuildResult()
    if "pptx" in formats:
        from .layout.deck import plan_deck
        from .writers.pptx import write_deck

        plan, warnings = plan_deck(doc.outline, theme)
        result.warnings += [doc.problem(loc, msg, "warning") for loc, msg in warnings]
        files[output_path(out, stem, "pptx")] = write_deck(plan, theme, epoch)
    if "pdf" in formats:
        from .layout.brief import plan_brief
        from .writers.pdf import write_brief

        plan, warnings = plan_brief(doc.outline, theme)
        result.warnings += [doc.problem(loc, msg, "warning") for loc, msg in warnings]
        files[output_path(out, stem, "pdf")] = write_brief(plan, theme, epoch)
    result.paths = commit(files)
    return result
