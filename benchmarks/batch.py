"""Benchmark a batch build: `deckgen build` of N outlines in one command (-j cores), wall time and peak memory.

Usage: python benchmarks/batch.py [--outlines 200] [--slides 20] [-j N]
Each outline is the synthetic one of benchmarks/genoutline.py (about --slides slides, a chart every 10) with its own
title and chart values, so every chart is rendered (a cold chart cache). One broken outline is added: the batch must
report it (exit 1) and build all the others. Peak memory: the largest single process (os.wait4) — the workers are
forked from the command, so the batch holds about that much per job.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from genoutline import outline_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outlines", type=int, default=200)
    ap.add_argument("--slides", type=int, default=20)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="deckgen-batch-") as tmp:
        work = Path(tmp)
        src = work / "outlines"
        src.mkdir()
        base = outline_text(args.slides)
        for k in range(args.outlines):
            text = base.replace("Synthetic benchmark briefing", f"Synthetic benchmark briefing {k + 1}")
            text = text.replace("values: [1.0, 1.1", f"values: [{1 + k / 1000:.3f}, 1.1").replace("values: [1.1, 1.2", f"values: [{1.1 + k / 1000:.3f}, 1.2")
            (src / f"o{k + 1:03d}.yaml").write_text(text, encoding="utf-8")
        (src / "zz-broken.yaml").write_text("meta:\n  titel: T\n  date: 2024-04-19\nlead: L\nsections: [{id: a, title: A}]\n")
        env = {**os.environ, "DECKGEN_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(HERE.parent / "src")}  # this checkout
        env.pop("SOURCE_DATE_EPOCH", None)
        argv = [sys.executable, "-m", "deckgen", "build", *sorted(map(str, src.glob("*.yaml"))), "-o", str(work / "out"),
                "-j", str(args.jobs)]
        start = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err_file:
            proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err_file)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            err_file.seek(0)
            err = err_file.read()
        code = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024
        built = len(list((work / "out").glob("*.pptx")))
        print(f"{args.outlines} outlines of ~{args.slides} slides + 1 broken, -j {args.jobs}: exit {code}, "
              f"{built} decks built, {wall:.1f} s ({wall / args.outlines * 1000:.0f} ms an outline), peak {peak:.0f} MiB (largest process)")
        print(err.decode(errors="replace").strip().splitlines()[-1])


if __name__ == "__main__":
    main()
