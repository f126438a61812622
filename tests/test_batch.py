"""`deckgen build a.yaml b.yaml …`: several outlines in parallel processes, a summary table, exit 1 if any failed."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

import deckgen
from conftest import MINI
from deckgen.cli import cli

BROKEN = "meta:\n  titel: T\n  date: 2024-04-19\nlead: L\nsections: [{id: a, title: A}]\n"


def _outlines(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    good = [src / "first.yaml", src / "second.yaml"]
    for p in good:
        shutil.copy(MINI, p)
    bad = src / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    return good, bad


@pytest.mark.slow
def test_one_broken_outline_among_good_ones(tmp_path):
    good, bad = _outlines(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(good[0]), str(bad), str(good[1]), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    # the broken outline's located error, as `validate` prints it
    assert f"{bad}:2:3: meta.titel: unknown key 'titel' — did you mean 'title'?" in result.stderr.splitlines()
    assert "2 built, 1 failed" in result.stderr
    # the good ones were built and open
    for p in good:
        deck = Presentation(str(out / f"{p.stem}.pptx"))
        pages = len(PdfReader(str(out / f"{p.stem}.pdf")).pages)
        row = next(line for line in result.stdout.splitlines() if line.startswith(str(p)))
        cells = row.split()
        assert cells[1:4] == ["-", str(len(deck.slides)), str(pages)]
        assert cells[-1] == "ok"
    assert not (out / "broken.pptx").exists()
    row = next(line for line in result.stdout.splitlines() if line.startswith(str(bad)))
    assert row.split()[-1] == "FAILED"
    # the table keeps the order the outlines were given, whatever order the workers finished in
    body = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert body == [str(good[0]), str(bad), str(good[1])]


@pytest.mark.slow
def test_all_good_exit_0_with_a_row_per_audience(tmp_path):
    good, _ = _outlines(tmp_path)
    rows = deckgen.build_many(good, tmp_path / "out", all_audiences=True, jobs=2)
    assert [r.ok for r in rows] == [True, True]
    assert [r.audience for r in rows] == ["public", "public"]
    assert all(r.slides and r.pages for r in rows)
    assert (tmp_path / "out" / "first-public.pptx").is_file()
    result = CliRunner().invoke(cli, ["build", *map(str, good), "-o", str(tmp_path / "o2"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["outline", "audience", "slides", "pages", "warnings", "time", "s", "status"]


def test_same_output_names_are_refused_before_building(tmp_path):
    (tmp_path / "x").mkdir()
    a, b = tmp_path / "a.yaml", tmp_path / "x" / "a.yaml"
    for p in (a, b):
        shutil.copy(MINI, p)
    result = CliRunner().invoke(cli, ["build", str(a), str(b), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"error: {a} and {b} would both write" in result.stderr
    assert not (tmp_path / "out").exists()
