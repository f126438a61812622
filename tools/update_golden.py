"""Write the golden files the tests compare against (a separate, deliberate step: review the diff, then commit).

    python tools/update_golden.py           # every golden
    python tools/update_golden.py deck      # deck plans and slide XML parts only
    python tools/update_golden.py brief     # brief plans only
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]


def deck() -> list[Path]:
    import goldens

    written = []
    for case in goldens.DECK_CASES:
        path = goldens.plan_path(case)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(goldens.deck_plan_text(case), encoding="utf-8")
        written.append(path)
    for kind, xml in goldens.slide_parts().items():
        path = goldens.part_path(kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xml, encoding="utf-8")
        written.append(path)
    return written


def brief() -> list[Path]:
    import goldens

    written = []
    for case in goldens.BRIEF_CASES:
        path = goldens.plan_path(case, "brief")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(goldens.brief_plan_text(case), encoding="utf-8")
        written.append(path)
    return written


UPDATERS = {"deck": deck, "brief": brief}


def main(argv: list[str]) -> int:
    names = argv or list(UPDATERS)
    unknown = [n for n in names if n not in UPDATERS]
    if unknown:
        print(f"unknown golden set {', '.join(unknown)} — choose from {', '.join(UPDATERS)}", file=sys.stderr)
        return 2
    for name in names:
        for path in UPDATERS[name]():
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
