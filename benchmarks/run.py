"""Benchmark deckgen as a user runs it, against pandoc: paired, interleaved whole-process timings, ratios, scaling.

Usage: python benchmarks/run.py [--rounds N] [--big-rounds N] [--sizes 100,500,1000,2000] [--quick]
                                [--plot docs/img/scaling.png] [--markdown] [--no-scaling]
Each case runs `python -m deckgen ...` (or pandoc) in a fresh process. The cases run in rounds: every round runs
every case once, in an order that rotates from round to round, so a deckgen run and the pandoc run it is compared
with share the machine's state (on a shared 2-core machine, load comes and goes); a ratio is taken per round and
the median ratio is reported. "cold" cases get an empty chart cache each run, "cached" a cache warmed once.
Peak memory is the child's max RSS (os.wait4: the largest single process, chart workers included).
pandoc (`apt-get install pandoc`) turns a Markdown export of the same outline (title, sections as slides, points as
bullets, details as notes: text only, no charts, no brief) into a PPTX; without it only the timings are printed.
Bytecode is compiled before timing (PYTHONDONTWRITEBYTECODE is dropped for the children), as `pip install` does.
The scaling part builds synthetic outlines of N slides (benchmarks/genoutline.py) and draws time against slides
for deckgen (both products; deck only) and pandoc into --plot.
"""
from __future__ import annotations

import argparse
import compileall
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

# (ratio label, deckgen case, pandoc case, target): each a ratio of medians-of-pairs
TARGETS = [
    ("cold build, both products / pandoc", "cold build, default outline, both outputs", "pandoc, default outline, PPTX only", 8.0),
    ("deck only / pandoc", "deck only (--only pptx), cold", "pandoc, default outline, PPTX only", 3.0),
    ("cached rebuild / pandoc", "rebuild, charts cached", "pandoc, default outline, PPTX only", 4.5),
]


# What a build cannot avoid: starting Python and importing the libraries its main process uses (the chart worker's
# matplotlib runs beside it), then leaving at once as the CLI does.
FLOOR_DECK = "import deckgen.cli, deckgen.outline, deckgen.layout.deck, deckgen.writers.pptx, os; os._exit(0)"
FLOOR_BOTH = ("import deckgen.cli, deckgen.outline, deckgen.layout.deck, deckgen.layout.brief, deckgen.chartcache, "
              "deckgen.writers.pptx, deckgen.writers.pdf, os; os._exit(0)")


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


class Case:
    """One command timed once per round; cache is 'cold' (a fresh cache dir per run), 'warm' (warmed once) or 'none'."""

    def __init__(self, label: str, argv: list[str], cache: str, work: Path, slides: int | None = None) -> None:
        self.label, self.argv, self.cache, self.work, self.slides = label, argv, cache, work, slides
        self.times: list[float] = []
        self.peaks: list[float] = []
        self.warm_dir = work / f"cache-warm-{abs(hash(label))}"
        if cache == "warm":
            run_once(argv, _env(self.warm_dir))

    def run(self) -> None:
        cache_dir = self.work / f"cache-cold-{abs(hash(self.label))}-{len(self.times)}" if self.cache == "cold" else self.warm_dir
        wall, peak = run_once(self.argv, _env(cache_dir))
        self.times.append(wall)
        self.peaks.append(peak)
        if self.cache == "cold":
            shutil.rmtree(cache_dir, ignore_errors=True)

    def row(self) -> dict:
        t = self.times
        return {"label": self.label, "median": statistics.median(t), "min": min(t), "max": max(t), "peak": max(self.peaks), "n": len(t)}


def rounds(cases: list[Case], n: int, name: str) -> None:
    """Run every case once per round, the order rotated by one each round (each case meets each position)."""
    for r in range(n):
        k = r % len(cases)
        for c in cases[k:] + cases[:k]:
            c.run()
        print(f"  {name}: round {r + 1}/{n} done", file=sys.stderr, flush=True)


def paired(ours: Case, theirs: Case) -> float:
    """The median over rounds of our time / their time in the same round."""
    return statistics.median(a / b for a, b in zip(ours.times, theirs.times))


def _env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DECKGEN_CACHE_DIR"] = str(cache_dir)
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode is compiled once, then read
    env["PYTHONPATH"] = os.pathsep.join(x for x in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if x)  # this tree
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


def plot(scaling: dict[int, dict[str, Case]], path: Path, pandoc_name: str) -> None:
    """Seconds against slides: deckgen (both products; deck only) and pandoc, medians with min–max bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(scaling)
    fig, ax = plt.subplots(figsize=(7.2, 4.2), dpi=110)
    styles = [("both", "deckgen: deck + brief (charts rendered)", "#1f4e79", "o"), ("deck", "deckgen: deck only", "#5b9bd5", "s"),
              ("pandoc", f"{pandoc_name}: PPTX only (text, no charts)", "#c55a11", "^")]
    for key, label, colour, marker in styles:
        cases = [scaling[n].get(key) for n in sizes]
        if not all(cases):
            continue
        med = [statistics.median(c.times) for c in cases]
        lo = [m - min(c.times) for m, c in zip(med, cases)]
        hi = [max(c.times) - m for m, c in zip(med, cases)]
        ax.errorbar(sizes, med, yerr=[lo, hi], label=label, color=colour, marker=marker, capsize=3, linewidth=1.6)
    ax.set_xlabel("slides")
    ax.set_ylabel("seconds (whole process, median of rounds)")
    ax.set_title("Build time against deck size (2 cores, paired interleaved runs)")
    ax.set_xlim(0, max(sizes) * 1.05)
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds of the default-outline cases (default 7)")
    ap.add_argument("--big-rounds", type=int, default=3, help="rounds of the scaling cases (default 3)")
    ap.add_argument("--sizes", default="100,500,1000,2000", help="slide counts of the scaling cases (default 100,500,1000,2000)")
    ap.add_argument("--quick", action="store_true", help="3 rounds, 2 for the scaling cases")
    ap.add_argument("--no-scaling", action="store_true", help="only the default-outline cases")
    ap.add_argument("--plot", type=Path, default=ROOT / "docs" / "img" / "scaling.png", help="where the scaling plot goes")
    ap.add_argument("--markdown", action="store_true", help="also print the tables as Markdown (for the README)")
    args = ap.parse_args()
    n_small = 3 if args.quick else args.rounds
    n_big = 2 if args.quick else args.big_rounds
    sizes = [] if args.no_scaling else sorted(int(s) for s in args.sizes.split(",") if s.strip())
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    py = [sys.executable, "-m", "deckgen"]
    pandoc = shutil.which("pandoc")
    pandoc_name = "pandoc"
    if pandoc:
        ver = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split()
        pandoc_name = f"pandoc {ver[1]}" if len(ver) > 1 else "pandoc"
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        work = Path(tmp)
        out = str(work / "out")
        build = [*py, "build", str(DEFAULT), "-o", out, "-q"]
        small = [
            Case("cold build, default outline, both outputs", build, "cold", work),
            Case("rebuild, charts cached", build, "warm", work),
            Case("deck only (--only pptx), cold", [*build, "--only", "pptx"], "cold", work),
            Case("brief only (--only pdf), cold", [*build, "--only", "pdf"], "cold", work),
            Case("all audiences, one process, cold", [*build, "--all-audiences"], "cold", work),
            Case("deckgen --help", [*py, "--help"], "none", work),
            Case("import floor, deck (python + its imports)", [sys.executable, "-c", FLOOR_DECK], "none", work),
            Case("import floor, both (python + its imports)", [sys.executable, "-c", FLOOR_BOTH], "none", work),
        ]
        if pandoc:
            md = work / "default.md"
            md.write_text(markdown_of(DEFAULT), encoding="utf-8")
            small.append(Case("pandoc, default outline, PPTX only", [pandoc, str(md), "-o", str(work / "p.pptx")], "none", work))
        for c in small:  # one untimed run each: bytecode and the OS file cache as a user's second build finds them
            run_once(c.argv, _env(work / "cache-prime"))
        rounds(small, n_small, "default outline")
        scaling: dict[int, dict[str, Case]] = {}
        for n in sizes:
            g = work / f"g{n}.yaml"
            g.write_text(outline_text(n), encoding="utf-8")
            scaling[n] = {
                "both": Case(f"{n} slides, {n // 10} charts, both outputs, cold", [*py, "build", str(g), "-o", out, "-q"], "cold", work, n),
                "deck": Case(f"{n} slides, deck only", [*py, "build", str(g), "-o", out, "-q", "--only", "pptx"], "cold", work, n),
            }
            if pandoc:
                md = work / f"g{n}.md"
                md.write_text(markdown_of(g), encoding="utf-8")
                scaling[n]["pandoc"] = Case(f"pandoc, {n} slides, PPTX only", [pandoc, str(md), "-o", str(work / "p.pptx")], "none", work, n)
        big = [c for n in sizes for c in scaling[n].values()]
        if big:
            rounds(big, n_big, "scaling")
    by = {c.label: c for c in small + big}
    print(f"deckgen benchmark — {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}, {pandoc_name if pandoc else 'no pandoc'}; {n_small} rounds (default outline), {n_big} (scaling)")
    rows = [c.row() for c in small + big]
    print(f"{'case':<50} {'median s':>9} {'min–max s':>13} {'peak MiB':>9}")
    for r in rows:
        print(f"{r['label']:<50} {r['median']:>9.2f} {r['min']:>6.2f}–{r['max']:<6.2f} {r['peak']:>9.0f}")
    checks: list[tuple[str, str, str]] = []  # (what, measured, target + verdict)

    def check(what: str, value: float, limit: float, unit: str = "×") -> None:
        checks.append((what, f"{value:.2f}{unit}", f"≤ {limit:g}{unit}: {'holds' if value <= limit else 'NOT MET'}"))

    if pandoc:
        for what, ours, theirs, limit in TARGETS:
            check(what, paired(by[ours], by[theirs]), limit)
    floors = [("deck only / its import floor", "deck only (--only pptx), cold", "import floor, deck (python + its imports)"),
              ("cold build, both / its import floor", "cold build, default outline, both outputs", "import floor, both (python + its imports)"),
              ("cached rebuild / the import floor of both", "rebuild, charts cached", "import floor, both (python + its imports)")]
    for what, ours, floor in floors:
        checks.append((what, f"{paired(by[ours], by[floor]):.2f}×", "(for the record)"))
    if sizes and min(sizes) <= 500 <= max(sizes) and 500 in scaling and max(sizes) >= 2000 and 2000 in scaling:
        for key, name in (("deck", "deck only"), ("both", "both products")):
            check(f"time(2,000 slides) / time(500 slides), {name}", paired(scaling[2000][key], scaling[500][key]), 4.5)
        if pandoc:
            check("2,000 slides, both products / pandoc 2,000 slides", paired(scaling[2000]["both"], scaling[2000]["pandoc"]), 0.6)
        check("peak memory, 2,000 slides, both products", max(scaling[2000]["both"].peaks), 250, " MiB")
    for n in sizes:
        if pandoc:
            print(f"ratio deckgen/pandoc at {n} slides: both {paired(scaling[n]['both'], scaling[n]['pandoc']):.2f}, "
                  f"deck only {paired(scaling[n]['deck'], scaling[n]['pandoc']):.2f}")
    if checks:
        print("\ntargets (paired ratios: median over rounds of deckgen / other, each pair from the same round)")
        for what, value, verdict in checks:
            print(f"  {what:<56} {value:>10}   {verdict}")
    if scaling:
        plot(scaling, args.plot, pandoc_name)
        print(f"\nscaling plot: {args.plot}")
    if args.markdown:
        print("\n| case | median s | min–max s | peak MiB |\n|---|---:|---:|---:|")
        for r in rows:
            print(f"| {r['label']} | {r['median']:.2f} | {r['min']:.2f}–{r['max']:.2f} | {r['peak']:.0f} |")
        if checks:
            print("\n| target | measured | |\n|---|---:|---|")
            for what, value, verdict in checks:
                print(f"| {what} | {value} | {verdict} |")


if __name__ == "__main__":
    main()
