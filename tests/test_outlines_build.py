"""Both outlines of issue 14 build with no warning, whole and for every audience: the default outline (with its EDCA
table) and the synthetic outline that uses every element (tests/fixtures/elements/)."""
from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

import deckgen


ELEMENTS = Path(__file__).resolve().parent / "fixtures" / "elements" / "elements.yaml"
DEFAULT = Path(__file__).resolve().parent.parent / "outlines" / "us-japan-2024.yaml"


def _build(path: Path, tmp_path_factory):
    out = tmp_path_factory.mktemp(path.stem)
    whole = deckgen.build(path, out)
    tailored = deckgen.build(path, out, all_audiences=True)
    return path, out, deckgen.BuildResult(whole.paths + tailored.paths, whole.warnings + tailored.warnings)


@pytest.fixture(scope="module")
def default_built(tmp_path_factory):
    return _build(DEFAULT, tmp_path_factory)


@pytest.fixture(scope="module")
def elements_built(tmp_path_factory):
    return _build(ELEMENTS, tmp_path_factory)


@pytest.mark.parametrize("which", ["default_built", "elements_built"])
def test_builds_with_no_warning_for_every_audience(which, request):
    path, out, result = request.getfixturevalue(which)
    assert result.warnings == [], [str(w) for w in result.warnings]
    names = {p.name for p in result.paths}
    assert f"{path.stem}.pptx" in names and f"{path.stem}.pdf" in names
    for audience in deckgen.load(path).outline.audiences:
        assert f"{path.stem}-{audience}.pptx" in names and f"{path.stem}-{audience}.pdf" in names


def test_the_default_outline_shows_the_edca_table_in_both_products(default_built):
    _, out, _ = default_built
    deck = Presentation(out / "us-japan-2024.pptx")
    tables = [sh.table for slide in deck.slides for sh in slide.shapes if sh.has_table]
    assert tables, "no native table in the deck"
    cells = [[c.text for c in row.cells] for row in tables[0].rows]
    assert cells[0] == ["Site", "Location", "Agreed"]
    assert ["Balabac Island", "Palawan", "2023"] in cells  # years stay text: no "2,023"
    with pdfplumber.open(out / "us-japan-2024.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Table 1." in text and "Naval Base Camilo Osias" in text and "2,016" not in text


def test_the_elements_outline_shows_every_element(elements_built):
    _, out, _ = elements_built
    deck = Presentation(out / "elements.pptx")
    shapes = [sh for slide in deck.slides for sh in slide.shapes]
    assert sum(sh.has_table for sh in shapes) == 2  # the capacity table and the one read from exports.csv
    charts = [sh.chart for sh in shapes if sh.has_chart]
    assert len(charts) == 5
    pictures = [sh for sh in shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    descr = {sh._element.nvPicPr.cNvPr.get("descr") for sh in pictures}
    assert "A harbour at dusk with cranes on the horizon." in descr
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    text = " ".join(sh.text_frame.text for sh in shapes if sh.has_text_frame)
    assert "We will build what we need" in text and "Key takeaway" in text and "Buy from allies" in text
    with pdfplumber.open(out / "elements.pdf") as pdf:
        brief = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in ("Table 1.", "Table 2.", "Key takeaway", "Build at home", "Buy from allies", "A. Minister",
                     "A shipyard", "About the authors", "ISSN 1234-5679"):
        assert expected in brief, expected
    assert "^[" not in brief and "[^" not in brief and "^[" not in text + notes  # footnotes are notes, not text
    public = Presentation(out / "elements-public.pptx")
    assert sum(sh.has_table for s in public.slides for sh in s.shapes) == 1  # the tagged exports table is dropped


def test_the_elements_brief_paginates_cleanly(elements_built):
    import briefgen
    import pagecheck

    from deckgen.layout.brief import PageGeometry
    from deckgen.theme import load_theme

    path, out, _ = elements_built
    data = deckgen.load(path).outline.model_dump(mode="json", by_alias=True)
    theme = load_theme()
    report = pagecheck.check(out / "elements.pdf", PageGeometry(width=595.2756, height=841.8898),
                             body_size=theme.brief.body.size, runin_heads=briefgen.runin_heads(data),
                             urls=briefgen.urls(data))
    assert report.violations == [], "\n" + report.summary()


def test_every_font_of_the_briefs_is_embedded(default_built, elements_built):
    import shutil
    import subprocess

    for path, out, _ in (default_built, elements_built):
        listed = subprocess.run([shutil.which("pdffonts") or "pdffonts", str(out / f"{path.stem}.pdf")],
                                capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert listed and all(row.split()[-5] == "yes" for row in listed), "\n".join(listed)  # e.g. no Helvetica
