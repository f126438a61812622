"""Benchmark deckgen as a user runs it: whole-process timings (median, min–max) and peak memory of each case.

Usage: python benchmarks/run.py [--repeat N] [--quick]
Each case runs `python -m deckgen ...` in a fresh process; "cold" cases get an empty chart cache each run,
"cached" cases a cache warmed once before timing. Peak memory is the child's max RSS (os.wait4).
Where `pandoc` is installed, it also times pandoc turning a Markdown export of the same outline into a PPTX.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"
sys.path.insert(0, str(HERE))
from genoutline import outline_text  # noqa: E402


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one process; return (wall seconds, peak RSS in MiB). A failing run stops the benchmark."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        sys.exit(f"benchmark command failed: {' '.join(argv)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def case(label: str, argv: list[str], repeat: int, cache: str, work: Path) -> dict:
    """Time one case `repeat` times; cache is 'cold' (fresh cache dir per run), 'warm' (warmed once) or 'none'."""
    times, peaks = [], []
    warm_dir = work / f"cache-{abs(hash(label))}"
    if cache == "warm":
        run_once(argv, _env(warm_dir))
    for i in range(repeat):
        cache_dir = work / f"cold-{abs(hash(label))}-{i}" if cache == "cold" else warm_dir
        wall, peak = run_once(argv, _env(cache_dir))
        times.append(wall)
        peaks.append(peak)
    return {"label": label, "median": statistics.median(times), "min": min(times), "max": max(times), "peak": max(peaks)}


def _env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DECKGEN_CACHE_DIR"] = str(cache_dir)
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def markdown_of(outline_path: Path) -> str:
    """A Markdown export of an outline (title, sections as slides, points as bullets) for pandoc."""
    sys.path.insert(0, str(ROOT / "src"))
    import deckgen
    from deckgen.inline import plain

    o = deckgen.load(outline_path).outline
    lines = [f"% {plain(o.meta.title)}", "", plain(o.lead), ""]
    for s in o.sections:
        lines += [f"# {plain(s.title)}", ""]
        for p in s.points:
            lines.append(f"- {plain(p.text)}")
            lines += [f"    - {plain(q.text)}" for q in p.points]
        lines += ["", "::: notes", "\n\n".join(plain(p.detail) for p in s.points if p.detail), ":::", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    ap.add_argument("--quick", action="store_true", help="3 runs per case, 2 for the big outlines")
    args = ap.parse_args()
    repeat = 3 if args.quick else args.repeat
    big_repeat = 2 if args.quick else max(2, repeat // 2)
    py = [sys.executable, "-m", "deckgen"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        work = Path(tmp)
        out = str(work / "out")
        g100, g500 = work / "g100.yaml", work / "g500.yaml"
        g100.write_text(outline_text(100), encoding="utf-8")
        g500.write_text(outline_text(500), encoding="utf-8")
        rows.append(case("cold build, default outline, both outputs", [*py, "build", str(DEFAULT), "-o", out, "-q"], repeat, "cold", work))
        rows.append(case("rebuild, charts cached", [*py, "build", str(DEFAULT), "-o", out, "-q"], repeat, "warm", work))
        rows.append(case("deck only (--only pptx)", [*py, "build", str(DEFAULT), "-o", out, "-q", "--only", "pptx"], repeat, "cold", work))
        rows.append(case("brief only (--only pdf), cold", [*py, "build", str(DEFAULT), "-o", out, "-q", "--only", "pdf"], repeat, "cold", work))
        rows.append(case("deckgen --help", [*py, "--help"], repeat, "none", work))
        rows.append(case("all audiences, one process, cold", [*py, "build", str(DEFAULT), "-o", out, "-q", "--all-audiences"], repeat, "cold", work))
        rows.append(case("100 slides, 10 charts, cold", [*py, "build", str(g100), "-o", out, "-q"], big_repeat, "cold", work))
        rows.append(case("500 slides, 50 charts, cold", [*py, "build", str(g500), "-o", out, "-q"], big_repeat, "cold", work))
        rows.append(case("500 slides, deck only", [*py, "build", str(g500), "-o", out, "-q", "--only", "pptx"], big_repeat, "cold", work))
        pandoc = shutil.which("pandoc")
        if pandoc:
            for name, src in (("default", DEFAULT), ("500 slides", g500)):
                md = work / f"{src.stem}.md"
                md.write_text(markdown_of(src), encoding="utf-8")
                rows.append(case(f"pandoc, {name}, PPTX only", [pandoc, str(md), "-o", str(work / "p.pptx")], big_repeat, "none", work))
    print(f"deckgen benchmark — {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}")
    print(f"{'case':<46} {'median s':>9} {'min–max s':>13} {'peak MiB':>9}")
    for r in rows:
        print(f"{r['label']:<46} {r['median']:>9.2f} {r['min']:>6.2f}–{r['max']:<6.2f} {r['peak']:>9.0f}")
    by = {r["label"]: r for r in rows}
    for name, ours in (("default", "deck only (--only pptx)"), ("500 slides", "500 slides, 50 charts, cold")):
        theirs = by.get(f"pandoc, {name}, PPTX only")
        if theirs:
            print(f"ratio deckgen/pandoc ({name}): {by[ours]['median'] / theirs['median']:.2f}")


if __name__ == "__main__":
    main()
