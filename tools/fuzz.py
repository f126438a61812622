"""Fuzz `deckgen build` with seeded mutations of the default outline and count how each case ends.

    python tools/fuzz.py N [--seed S] [--timeout T] [--minutes M]   # N cases (stops early after M minutes)

Each case is the default outline with one to three mutations — byte flips, truncation, deep nesting, extreme
numbers, odd Unicode, long text, line edits — built in this process through the command line (`deckgen build
o.yaml -o out`, both outputs) into a folder that already holds an older deck and brief. A case ends as:

- build: exit 0, both outputs replaced, every stderr line a located warning;
- clean error: exit 1, every stderr line `file:line:col: …` (or `error: …` naming the output), old outputs untouched;
- crash: "failed unexpectedly", a traceback, another exit code, or a stderr line that is neither (a library warning);
- hang: no end within the timeout (SIGALRM);
- data lost: old outputs changed by a failed build, temp files left behind, or the outline changed.

The counts are printed as one JSON line; cases that crash, hang or lose data are written to fuzz-failures/ (seed
and outline) for replay. tests/test_fuzz.py runs a few hundred cases of the same generator.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"
OLD = {"o.pptx": b"previous good deck", "o.pdf": b"%PDF previous good brief"}
LOCATED = re.compile(r"^.+?:\d+:\d+: .+ — .+$")
EXTREME = ["1e308", "-1e308", "1e-308", "5e-324", ".nan", ".inf", "-.inf", "1e15", "1e16", "-9.99e14", "0", "-0.0",
           "123456789012345678901234567890", "1e-10", "0x7fffffff", "1_000", "'12'", "12%", "null", "[]", "{}"]
ODD = ["\u202e", "\u200d", "\u0301\u0301\u0301", "\ufeff", "\U0001F600", "\u4e2d\u6587", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
       "\u05e9\u05dc\u05d5\u05dd", "\u0000", "\u0007", "\u001b[31m", "\u2028", "\u00ad", "\ufffd", "\U0010ffff", "\ud7ff",
       "\\ud800", "\u0e01\u0e33", "\u1100\u1161", "ﬁﬂ", "ǅ", "İ", "\u0345", "𝔘𝔫𝔦"]
SWAPS = ["[x, y]", "{a: 1}", "5", "''", "!!python/none", "*nope", "&a x", "'unclosed", "2027-13-45", "\t", "~", "yes",
         "!!binary aGVsbG8=", "<<: {a: 1}", "|", ">-", "- a", "? x"]


def mutate(text: str, rng: random.Random) -> bytes:
    """The outline text with one to three random mutations (seeded by `rng`), as bytes; never the text unchanged."""
    original = text.encode("utf-8")
    for _ in range(20):
        out = _mutate(text, rng)
        if out != original:
            return out
    return original[: len(original) // 2]


def _mutate(text: str, rng: random.Random) -> bytes:
    data = text
    raw: bytes | None = None
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["flip", "truncate", "nest", "number", "number", "unicode", "unicode", "long", "line", "line"])
        lines = data.splitlines(keepends=True)
        if op == "flip":
            b = bytearray((raw if raw is not None else data.encode("utf-8")))
            for _ in range(rng.randint(1, 6)):
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
            raw = bytes(b)
            continue
        if raw is not None:
            data = raw.decode("utf-8", "replace")
            raw = None
            lines = data.splitlines(keepends=True)
        if op == "truncate":
            data = data[: rng.randrange(len(data))]
        elif op == "nest":
            depth = rng.choice([5, 30, 63, 64, 65, 200, 2000])
            i = rng.randrange(len(lines))
            key = lines[i].split(":", 1)[0] if ":" in lines[i] else "  extra"
            inner = rng.choice(["[" * depth + "]" * depth, "{a: " * depth + "1" + "}" * depth, "[" * depth + "1" + "]" * depth])
            lines[i] = f"{key}: {inner}\n"
            data = "".join(lines)
        elif op == "number":
            spots = [m for m in re.finditer(r"(?<![\w.-])-?\d+(?:\.\d+)?(?![\w.-])", data)]
            if spots:
                m = rng.choice(spots)
                data = data[: m.start()] + rng.choice(EXTREME) + data[m.end():]
        elif op == "unicode":
            spots = [m.end() for m in re.finditer(r": [^\n\[\]{}]", data)]
            if spots:
                at = rng.choice(spots) - 1
                data = data[:at] + "".join(rng.choice(ODD) for _ in range(rng.randint(1, 4))) + data[at:]
        elif op == "long":
            spots = [m.end() for m in re.finditer(r"(title|text|label|name|subtitle|value): ", data)]
            if spots:
                at = rng.choice(spots)
                word = rng.choice(["x", "Word ", "Ł", "ﬁ", "\u0627", "longwordwithoutanyspaces"])
                data = data[:at] + word * rng.choice([100, 300, 3000, 20000]) + " " + data[at:]
        else:
            i = rng.randrange(len(lines))
            kind = rng.choice(["delete", "duplicate", "swap", "indent", "dedent"])
            if kind == "delete":
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            elif kind == "indent":
                lines[i] = "  " + lines[i]
            elif kind == "dedent":
                lines[i] = lines[i].lstrip(" ")
            elif ":" in lines[i]:
                lines[i] = lines[i].split(":", 1)[0] + f": {rng.choice(SWAPS)}\n"
            data = "".join(lines)
    return raw if raw is not None else data.encode("utf-8", "surrogatepass")


class Hang(BaseException):
    """A case that ran past its time."""


def _alarm(signum, frame):
    raise Hang


def run_case(seed: int, workdir: Path, timeout: float = 120.0) -> tuple[str, str]:
    """Build the mutant of `seed` in `workdir`; (outcome, detail), outcome one of build, clean error, crash, hang, data lost."""
    from click.testing import CliRunner

    from deckgen.cli import cli

    rng = random.Random(seed)
    text = mutate(DEFAULT.read_text(encoding="utf-8"), rng)
    case = workdir / f"case{seed}"
    case.mkdir()
    outline = case / "o.yaml"
    outline.write_bytes(text)
    out = case / "out"
    out.mkdir()
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = CliRunner().invoke(cli, ["build", str(outline), "-o", str(out), "-q"])
    except Hang:
        return "hang", f"seed {seed}: no end within {timeout:g} s"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
    if isinstance(result.exception, Hang):
        return "hang", f"seed {seed}: no end within {timeout:g} s"
    stderr = result.stderr
    lost = []
    if outline.read_bytes() != text:
        lost.append("the outline changed")
    temps = [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))] if out.is_dir() else []
    if temps:
        lost.append(f"left behind: {temps}")
    stray = [f"{w.category.__name__}: {w.message}" for w in caught]
    if result.exit_code == 0:
        bad = [line for line in stderr.splitlines() if not (LOCATED.match(line) and line.endswith("[warning]"))]
        ok = all((out / n).is_file() and (out / n).read_bytes() != OLD[n] for n in OLD)
        if not ok:
            lost.append("exit 0 but the outputs were not replaced")
        if lost:
            return "data lost", f"seed {seed}: {lost}"
        if bad or stray:
            return "crash", f"seed {seed}: stray stderr {(bad + stray)[:3]}"
        return "build", ""
    if result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit)):
        if {p.name: p.read_bytes() for p in out.iterdir() if p.name in OLD} != OLD:
            lost.append("old outputs changed by a failed build")
        if lost:
            return "data lost", f"seed {seed}: {lost}"
        lines = stderr.splitlines()
        bad = [line for line in lines if not (LOCATED.match(line) or (line.startswith("error: cannot ") and " — " in line))]
        if not lines or bad or "unexpectedly" in stderr or "Traceback" in result.output or stray:
            return "crash", f"seed {seed}: {(bad or lines or ['no message'])[:2]} {stray[:2]}"
        return "clean error", ""
    exc = result.exception
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-1500:] if exc else stderr[-500:]
    return "crash", f"seed {seed}: exit {result.exit_code}: {detail}"


def fuzz(n: int, seed: int = 0, timeout: float = 120.0, minutes: float | None = None, failures: Path | None = None,
         progress: bool = False) -> dict:
    """Run `n` cases (seeds seed … seed+n-1); the counts, and the details of every crash, hang and loss."""
    counts = {"cases": 0, "clean error": 0, "build": 0, "crash": 0, "hang": 0, "data lost": 0}
    details: list[str] = []
    start = time.monotonic()
    os.environ.setdefault("DECKGEN_CACHE_DIR", str(Path(tempfile.gettempdir()) / "deckgen-fuzz-cache"))
    with tempfile.TemporaryDirectory(prefix="deckgen-fuzz-") as tmp:
        for k in range(n):
            if minutes is not None and time.monotonic() - start > minutes * 60:
                break
            s = seed + k
            outcome, detail = run_case(s, Path(tmp), timeout)
            counts["cases"] += 1
            counts[outcome] += 1
            if detail:
                details.append(detail)
                if failures is not None:
                    failures.mkdir(parents=True, exist_ok=True)
                    (failures / f"seed{s}.yaml").write_bytes((Path(tmp) / f"case{s}" / "o.yaml").read_bytes())
                    (failures / f"seed{s}.txt").write_text(f"{outcome}: {detail}\n", encoding="utf-8")
            import shutil

            shutil.rmtree(Path(tmp) / f"case{s}", ignore_errors=True)
            if progress and counts["cases"] % 100 == 0:
                print(json.dumps({**counts, "seconds": round(time.monotonic() - start)}), file=sys.__stderr__, flush=True)
    counts["seconds"] = round(time.monotonic() - start, 1)
    counts["details"] = details
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of cases")
    parser.add_argument("--seed", type=int, default=0, help="first seed (cases use seed … seed+N-1)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a case counts as a hang")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this many minutes")
    parser.add_argument("--failures", type=Path, default=Path("fuzz-failures"), help="folder for failing cases")
    args = parser.parse_args(argv)
    counts = fuzz(args.n, args.seed, args.timeout, args.minutes, args.failures, progress=True)
    details = counts.pop("details")
    for line in details[:50]:
        print(line)
    print(json.dumps(counts))
    return 0 if counts["crash"] == counts["hang"] == counts["data lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
