"""`deckgen init`: a short, valid, commented starter outline (and the JSON Schema editors read) to begin from."""
from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

from .errors import DeckgenError

SCHEMA_FILE = "outline.schema.json"

_STARTER = """\
# yaml-language-server: $schema={schema}
# A deckgen outline: `deckgen build {name}` makes the deck (.pptx) and the brief (.pdf).
# Every key is described in docs/outline-format.md; `deckgen validate {name}` checks the file.
# The first line lets editors with the YAML extension complete keys and check values as you type.

meta:
  title: {title}
  subtitle: What the reader should take away, in one line
  series: Policy Brief
  number: No. 1
  date: {date}                 # publication date, YYYY-MM-DD
  authors: [Your Name]
  organisation: Your Institute
  language: en                     # en, en-GB, pl, …
  classification: Public

# The summary paragraph: under the title in the brief, the title slide's speaker notes.
lead: >-
  One paragraph that says what happened, why it matters and what follows. Inline markup works
  everywhere: **bold**, *italic* and [links](https://example.org).

sections:
  - id: situation                  # ids: a letter, then letters, digits, - or _
    title: What happened
    points:
      - text: The first point, short enough for a slide
        key: true                  # kept by audiences with depth: summary
        detail: >-
          The paragraph the brief prints after the point's bold run-in head; in the deck it becomes
          the speaker notes.
        sources: [example]
      - text: A point with sub-points
        points:
          - The first sub-point
          - The second sub-point
    charts: [trend]                # the chart below, shown with this section

  - id: outlook
    title: What to watch
    kind: conclusions              # a highlighted panel in both products
    points:
      - The first thing to watch
      - The second thing to watch

key_figures:
  - id: kf-main
    value: 2% of GDP               # exactly as printed
    label: The one number to remember
    source: Example Statistics Office, 2024

charts:
  - id: trend
    kind: line                     # line, column, bar, area or scatter
    title: An indicator over time, % of GDP
    unit: "% of GDP"
    categories: [2021, 2022, 2023, 2024]
    series:
      - name: Country A
        values: [1.1, 1.3, 1.6, 2.0]
      - name: Country B
        values: [1.4, 1.5, 1.5, 1.7]
    decimals: 1
    source: Example Statistics Office, 2024

sources:
  - id: example
    title: The report the first point cites
    url: https://example.org/report
    publisher: Example Institute

# One outline, a tailored deck and brief per audience: deckgen build {name} --audience public
audiences:
  experts:
    description: The whole briefing, sources slide included
  public:
    description: A short version for a public talk
    depth: summary                 # only key points, no detail
    max_points: 3
    speaker_notes: false
"""


def starter_text(name: str, today: _dt.date | None = None) -> str:
    """The starter outline for a file called `name` (dated `today`: SOURCE_DATE_EPOCH, else the current UTC day)."""
    title = Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Briefing"
    if not title[0].isalpha():
        title = "Briefing " + title
    return _STARTER.format(schema=SCHEMA_FILE, name=name, title=json.dumps(title, ensure_ascii=False), date=(today or _today()).isoformat())


def _today() -> _dt.date:
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = _dt.datetime.fromtimestamp(int(env), _dt.UTC) if env.isdigit() else _dt.datetime.now(_dt.UTC)
    return now.date()


def init_outline(path: str | Path) -> list[Path]:
    """Write a starter outline at `path` (`.yaml` added when it has no suffix) and, when the folder has none yet, the
    JSON Schema its first line names; refuse to overwrite an outline. Returns the files written."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".yaml")
    if path.exists():
        raise DeckgenError(f"{path}: the file exists — choose another name, or remove it first (init never overwrites)")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise DeckgenError(f"{path}: an outline is a .yaml file — name it e.g. {path.with_suffix('.yaml').name}")
    from .report import outline_schema

    written = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never replace a file made meanwhile
            fh.write(starter_text(path.name))
        written.append(path)
        schema = path.parent / SCHEMA_FILE
        if not schema.exists():
            schema.write_text(json.dumps(outline_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(schema)
    except FileExistsError:
        raise DeckgenError(f"{path}: the file exists — choose another name, or remove it first (init never overwrites)") from None
    except OSError as exc:
        raise DeckgenError(f"{path}: cannot write the outline: {exc.strerror or exc}") from None
    return written
