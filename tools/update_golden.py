"""Write the golden plan files the tests compare against: `python tools/update_golden.py brief` (or `--check`).

Each section (brief; deck to come) names its cases and how a case becomes golden text; the tests load this module
and compare with `golden_text`, only this command writes. Plans are built machine-independently: the typesetting
context uses the bundled fonts only (system_fonts=False).

To add a section: write `_<name>_text(path) -> str`, add a `Section` to SECTIONS.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's deckgen, not an installed one

GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Section:
    """One kind of golden file: its cases (name -> outline) and how an outline becomes the file's text."""

    cases: dict[str, Path]
    text: Callable[[Path], str]


def _dump(plan, warnings) -> str:
    from deckgen.layout.jsonable import to_data

    data = {"plan": to_data(plan), "warnings": [[list(loc), message] for loc, message in warnings]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _brief_text(path: Path) -> str:
    """The brief's plan of the outline at `path` and its warnings, as JSON text."""
    import deckgen
    from deckgen.layout.brief import plan_brief
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting

    outline = deckgen.load(path).outline
    ctx = typesetting(load_theme(outline.theme.name), language=outline.meta.language, system_fonts=False)
    return _dump(*plan_brief(outline, ctx))


SECTIONS: dict[str, Section] = {
    "brief": Section(
        cases={
            "default": ROOT / "outlines" / "us-japan-2024.yaml",
            "mini": FIXTURES / "mini.yaml",
            "polish": FIXTURES / "polish.yaml",
        },
        text=_brief_text,
    ),
}


def golden_path(section: str, case: str) -> Path:
    """Where the golden file of one case lives: tests/golden/<section>/<case>.json."""
    return GOLDEN / section / f"{case}.json"


def golden_text(section: str, case: str) -> str:
    """What the golden file of one case should hold, built from the current code."""
    sec = SECTIONS[section]
    return sec.text(sec.cases[case])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="+", choices=sorted(SECTIONS), help="which golden files to write")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a file is missing or differs")
    args = parser.parse_args(argv)
    stale = 0
    for section in args.sections:
        for case in SECTIONS[section].cases:
            path, text = golden_path(section, case), golden_text(section, case)
            old = path.read_text(encoding="utf-8") if path.is_file() else None
            if old == text:
                print(f"{path.relative_to(ROOT)}: unchanged")
            elif args.check:
                stale += 1
                print(f"{path.relative_to(ROOT)}: {'missing' if old is None else 'differs'}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"{path.relative_to(ROOT)}: {'written' if old is None else 'updated'}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
