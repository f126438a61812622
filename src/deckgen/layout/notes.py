"""Footnotes in a plan: number the markers (`inline.Note`) of one product in reading order (pure).

A planner builds its blocks or slides with unnumbered markers, then calls `number` once on the whole sequence: each
marker gets its number (the same `[^id]`, or the same inline note text, keeps the number it first got) and the note's
runs. The walk goes through any frozen dataclass, tuple or list in field order (a paragraph's run-in `head` before its
`runs`), so new block and slide types are numbered without being named here.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..inline import Note, Run
from .text import runs as _runs


@dataclass(frozen=True)
class Footnote:
    """One numbered note: its number and its text as runs."""

    number: int
    body: tuple[Run, ...]


@dataclass
class Numbering:
    """The notes numbered so far, and the `[^id]`s cited that the outline does not define."""

    footnotes: dict[str, str]
    keys: dict[tuple[str, str], Footnote] = dataclasses.field(default_factory=dict)
    unknown: list[str] = dataclasses.field(default_factory=list)

    @property
    def notes(self) -> tuple[Footnote, ...]:
        """Every note, by number."""
        return tuple(sorted(self.keys.values(), key=lambda f: f.number))

    def mark(self, run: Note) -> Note | None:
        """The marker numbered (None: a reference to no footnote, left out)."""
        if run.ref is not None:
            key, markup = ("ref", run.ref), self.footnotes.get(run.ref)
            if markup is None:
                if run.ref not in self.unknown:
                    self.unknown.append(run.ref)
                return None
        else:
            key, markup = ("inline", run.note or ""), run.note or ""
        if key not in self.keys:
            body = tuple(r for r in _runs(markup) if not isinstance(r, Note))  # (a note inside a note: left out)
            self.keys[key] = Footnote(len(self.keys) + 1, body)
        note = self.keys[key]
        return dataclasses.replace(run, text=str(note.number), body=note.body)

    def walk(self, value: Any) -> Any:
        """`value` with every marker in it numbered (unchanged values are returned as they are)."""
        if isinstance(value, Note):
            return self.mark(value) if not value.text else value
        if isinstance(value, (Run, str, bytes, int, float, dict)) or value is None:
            return value
        if isinstance(value, (tuple, list)):
            items = [self.walk(v) for v in value]
            if any(isinstance(v, Note) for v in value):  # a sequence of runs: markers of unknown notes drop out
                items = [v for v in items if v is not None]
            if all(a is b for a, b in zip(items, value)) and len(items) == len(value):
                return value
            return type(value)(items)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = sorted((f.name for f in dataclasses.fields(value) if f.init), key=lambda n: n != "head")
            changes = {}
            for name in names:
                old = getattr(value, name)
                new = self.walk(old)
                if new is not old:
                    changes[name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value


def number(items: Any, footnotes: dict[str, str]) -> tuple[Any, Numbering]:
    """`items` (a plan's blocks or slides, in reading order) with every footnote marker numbered, and the numbering
    (its notes by number, and the unknown ids cited)."""
    numbering = Numbering(dict(footnotes))
    return numbering.walk(items), numbering


def cited(value: Any) -> list[Note]:
    """The numbered markers in `value` (a block, a slide, runs), in reading order."""
    out: list[Note] = []

    def walk(v: Any) -> None:
        if isinstance(v, Note):
            if v.text:
                out.append(v)
        elif isinstance(v, (Run, str, bytes, int, float, dict)) or v is None:
            return
        elif isinstance(v, (tuple, list)):
            for x in v:
                walk(x)
        elif dataclasses.is_dataclass(v) and not isinstance(v, type):
            for name in sorted((f.name for f in dataclasses.fields(v)), key=lambda n: n != "head"):
                walk(getattr(v, name))

    walk(value)
    return out


def spoken(text: str, footnotes: dict[str, str]) -> str:
    """Plain text with each footnote read out in brackets after its place: "GDP (at current prices) grew" (for text
    that only speaker notes carry, where a marker would point nowhere)."""
    from ..inline import parse

    out = []
    for r in parse(text):
        if isinstance(r, Note):
            note = footnotes.get(r.ref, "") if r.ref is not None else (r.note or "")
            said = "".join(x.text for x in parse(note) if not isinstance(x, Note)).strip()
            if said:
                out.append(f" ({said})")
        else:
            out.append(r.text)
    return "".join(out)
