"""End to end: build the default outline and open both products with real readers."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

import deckgen
from conftest import DEFAULT
from deckgen.inline import plain


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = deckgen.build(DEFAULT, out)
    doc = deckgen.load(DEFAULT)
    return doc.outline, out / "us-japan-2024.pptx", out / "us-japan-2024.pdf", result


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def test_build_writes_the_two_products(built):
    outline, pptx, pdf, result = built
    assert result.paths == [pptx, pdf]
    prs = Presentation(pptx)  # a deck python-pptx opens, titled as the outline, a slide or more per section
    assert _norm(prs.slides[0].shapes.title.text_frame.text) == _norm(plain(outline.meta.title))
    assert len(prs.slides) > len(outline.sections)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_deck_has_every_section_and_notes(built):
    outline, pptx, _, _ = built
    prs = Presentation(pptx)
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    assert _norm(titles[0]) == _norm(plain(outline.meta.title))
    for section in outline.sections:
        assert any(_norm(plain(section.title)) in _norm(t) for t in titles), section.title
    content = [s for s in list(prs.slides)[1:] if s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()]
    assert len(content) >= len(outline.sections)


def test_deck_has_three_native_charts_with_the_outline_data(built):
    outline, pptx, _, _ = built
    prs = Presentation(pptx)
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == len(outline.charts) == 3
    for spec, chart in zip(outline.charts, charts):
        plot = chart.plots[0]
        categories = [str(c) for c in plot.categories]
        order = sorted(range(len(spec.categories)), key=lambda i: -spec.series[0].values[i]) if spec.sort else range(len(spec.categories))
        expected_cats = [spec.categories[i] for i in order]
        assert categories == expected_cats, spec.id  # in this order: the data lists them first to last …
        assert chart.category_axis.reverse_order == (spec.kind == "bar"), spec.id  # … and a bar chart shows the first on top
        by_name: dict[str, list] = {}
        for pl in chart.plots:
            for ser in pl.series:
                by_name[ser.name] = list(ser.values)
        for s in spec.series:
            expected = [s.values[i] for i in order]
            got = by_name.get(s.name)
            if spec.projected_from:  # actual and plan parts are two series that meet at the boundary
                plan = next(v for k, v in by_name.items() if k.startswith(s.name) and k != s.name)
                got = [a if a is not None else b for a, b in zip(got, plan)]
            assert got is not None, (spec.id, s.name, list(by_name))
            assert [round(v, 6) for v in got] == [round(v, 6) for v in expected], spec.id


def test_brief_has_key_figures_sections_and_embedded_fonts(built):
    outline, _, pdf, _ = built
    reader = PdfReader(pdf)
    text = _norm(" ".join(page.extract_text() for page in reader.pages))
    for figure in outline.key_figures:
        assert _norm(plain(figure.value)) in text, figure.value
    for section in outline.sections:
        assert _norm(plain(section.title)) in text, section.title
    for i, chart in enumerate(outline.charts, 1):
        assert f"Figure {i}." in text
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            assert "Helvetica" not in row
            assert row.split()[-5] == "yes", row  # the 'emb' column


@pytest.mark.slow
def test_libreoffice_opens_the_deck(built):
    _, pptx, _, _ = built
    assert shutil.which("soffice"), "LibreOffice (soffice) is required — .ci/run installs libreoffice-impress"
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", out, str(pptx)],
            capture_output=True, timeout=180, check=True,
        )
        converted = Path(out) / "us-japan-2024.pdf"
        assert converted.is_file(), "LibreOffice wrote nothing"
        slides = len(Presentation(pptx).slides)
        assert len(PdfReader(converted).pages) == slides


def test_qpdf_finds_the_brief_clean(built):
    _, _, pdf, _ = built
    assert shutil.which("qpdf"), "qpdf is required — .ci/run installs it"
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
