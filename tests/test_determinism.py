"""Same input, same bytes: across processes with different environments, and for two themes set alternately in one
process (no build state hides in a module global)."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import deckgen
from deckgen.layout.deck import plan_deck
from deckgen.theme import FontFamily, load_theme
from deckgen.typeset import typesetting
from deckgen.writers.pptx import write_deck

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
EPOCH = 1713484800


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "DECKGEN_CACHE_DIR", "XDG_CACHE_HOME")}
    (tmp / "home").mkdir(parents=True, exist_ok=True)
    (tmp / "tmp").mkdir(exist_ok=True)
    env.update(HOME=str(tmp / "home"), TMPDIR=str(tmp / "tmp"), DECKGEN_CACHE_DIR=str(tmp / "cache"), **extra)
    return env


@pytest.mark.slow
def test_two_processes_with_different_environments_write_the_same_bytes(tmp_path):
    envs = [
        _env(tmp_path / "a", LC_ALL="C", LANG="C", TZ="UTC", PYTHONHASHSEED="1"),
        _env(tmp_path / "b", LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="Asia/Tokyo", PYTHONHASHSEED="2"),
    ]
    outputs = []
    for n, env in enumerate(envs):
        out = tmp_path / f"out{n}"
        done = subprocess.run([sys.executable, "-m", "deckgen", "build", str(DEFAULT), "-o", str(out), "-q"],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == ["us-japan-2024.pdf", "us-japan-2024.pptx"]
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], f"{name} differs between the two processes"


def _green_theme():
    """A second theme unlike the built-in one: other colours, sizes and a wider font family (DejaVu Sans)."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    family = FontFamily("DejaVu Sans", ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf", ttf / "DejaVuSans-Oblique.ttf",
                        ttf / "DejaVuSans-BoldOblique.ttf")
    return dataclasses.replace(load_theme(), name="green", font=family, deck_font_name="DejaVu Sans", primary="0B5D3B",
                               accent="D97706", series=("0B5D3B", "2F9E6E", "D97706"), deck_body_size=24.0,
                               deck_title_size=34.0)


THEMES = {"default": load_theme, "green": _green_theme}


def _deck_digest(theme_name: str, outline: Path) -> str:
    ctx = typesetting(THEMES[theme_name](), system_fonts=False)
    plan, _ = plan_deck(deckgen.load(outline).outline, ctx)
    return hashlib.sha256(write_deck(plan, ctx, EPOCH)).hexdigest()


def _alone_in_a_process(theme_name: str, outline: Path) -> str:
    code = ("import sys; sys.path.insert(0, %r); import test_determinism as t; print(t._deck_digest(%r, t.Path(%r)))"
            % (str(Path(__file__).parent), theme_name, str(outline)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_two_themes_planned_alternately_in_one_process_give_the_bytes_of_separate_processes():
    alternating = [(name, _deck_digest(name, MINI)) for name in ("default", "green", "default", "green")]
    default, green = alternating[0][1], alternating[1][1]
    assert default != green  # the second theme really is another look (and another measure)
    assert [d for _, d in alternating] == [default, green, default, green]
    assert _alone_in_a_process("green", MINI) == green
    assert _alone_in_a_process("default", MINI) == default


def test_a_wider_font_in_the_context_changes_where_text_breaks():
    outline = deckgen.load(ROOT / "tests" / "fixtures" / "stress.yaml").outline
    narrow, _ = plan_deck(outline, typesetting(load_theme(), system_fonts=False))
    wide, _ = plan_deck(outline, typesetting(_green_theme(), system_fonts=False))
    assert len(wide.slides) > len(narrow.slides)  # DejaVu Sans at 24 pt needs more slides than Carlito at 20 pt
    again, _ = plan_deck(outline, typesetting(load_theme(), system_fonts=False))
    assert again == narrow
