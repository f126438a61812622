"""Building every audience: each deck and brief holds exactly its sections, overrides applied, manifest right."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

import deckgen
from conftest import DEFAULT, MINI
from deckgen.audience import tailor
from deckgen.cli import cli
from deckgen.inline import plain


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def all_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("aud")
    result = deckgen.build(DEFAULT, out, all_audiences=True)
    return deckgen.load(DEFAULT).outline, out, result


def _deck_titles(path) -> list[str]:
    prs = Presentation(path)
    return [_norm(s.shapes.title.text_frame.text) for s in prs.slides if s.shapes.title is not None]


def _pdf_text(path) -> str:
    return _norm(" ".join(page.extract_text() for page in PdfReader(path).pages))


def test_one_deck_and_brief_per_audience_and_a_manifest(all_built):
    outline, out, result = all_built
    names = list(outline.audiences)
    expected = [out / f"us-japan-2024-{n}.{ext}" for n in names for ext in ("pptx", "pdf")] + [out / "us-japan-2024.manifest.json"]
    assert result.paths == expected
    assert not (out / "us-japan-2024.pptx").exists()  # a tailored build does not also write the untailored one


@pytest.mark.parametrize("name", ["ministry", "defence", "public"])
def test_each_audience_gets_exactly_its_sections(all_built, name):
    outline, out, _ = all_built
    mine = tailor(outline, name)
    mine_ids = {s.id for s in mine.sections}
    titles = " | ".join(_deck_titles(out / f"us-japan-2024-{name}.pptx"))
    text = _pdf_text(out / f"us-japan-2024-{name}.pdf")
    for s in mine.sections:
        assert _norm(plain(s.title)) in titles
        assert _norm(plain(s.title)) in text
    for s in outline.sections:
        if s.id not in mine_ids:
            assert _norm(plain(s.title)) not in titles
            assert _norm(plain(s.title)) not in text


def test_defence_leads_with_security_and_drops_the_economy(all_built):
    outline, out, _ = all_built
    titles = _deck_titles(out / "us-japan-2024-defence.pptx")
    security = outline.audiences["defence"].overrides.sections["security"].title
    agenda = next(i for i, t in enumerate(titles) if t.startswith("Agenda"))
    content = [t for t in titles[agenda + 1 :] if not t.startswith("Key figures")]
    assert content[0] == _norm(security)
    assert titles[0] == _norm(outline.audiences["defence"].overrides.title)
    charts = [gf.chart for s in Presentation(out / "us-japan-2024-defence.pptx").slides for gf in s.shapes if gf.has_chart]
    assert len(charts) == 2  # the FDI chart is economy-tagged and stays out
    assert "$800 bn" not in _pdf_text(out / "us-japan-2024-defence.pdf")


def test_public_is_a_short_summary_with_overrides_and_no_notes(all_built):
    outline, out, _ = all_built
    public = outline.audiences["public"]
    prs = Presentation(out / "us-japan-2024-public.pptx")
    assert _norm(prs.slides[0].shapes.title.text_frame.text) == _norm(public.overrides.title)
    assert not any(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in prs.slides)
    text = _pdf_text(out / "us-japan-2024-public.pdf")
    assert _norm(public.overrides.points["p-command"].text) in text
    assert "For official use" not in text
    full_deck = Presentation(out / "us-japan-2024-ministry.pptx")
    assert len(prs.slides) < len(full_deck.slides)


def test_ministry_keeps_the_poland_recommendations_and_the_classification(all_built):
    outline, out, _ = all_built
    text = _pdf_text(out / "us-japan-2024-ministry.pdf")
    poland = next(s for s in outline.sections if s.id == "poland")
    assert _norm(plain(poland.title)) in text
    assert "For official use" in text


def test_manifest_lists_hashes_counts_and_ids(all_built):
    outline, out, _ = all_built
    manifest = json.loads((out / "us-japan-2024.manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["audiences"]) == list(outline.audiences)
    for name, entry in manifest["audiences"].items():
        mine = tailor(outline, name)
        assert entry["sections"] == [s.id for s in mine.sections]
        assert entry["charts"] == [c.id for c in mine.charts]
        assert entry["key_figures"] == [k.id for k in mine.key_figures]
        assert entry["language"] == mine.meta.language
        for item in entry["outputs"]:
            data = (out / item["file"]).read_bytes()
            assert item["sha256"] == hashlib.sha256(data).hexdigest()
            if item["format"] == "pptx":
                assert item["slides"] == len(Presentation(out / item["file"]).slides)
            else:
                assert item["pages"] == len(PdfReader(out / item["file"]).pages)


def test_cli_unknown_audience_suggests_and_lists(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(DEFAULT), "-o", str(tmp_path), "--audience", "pubic"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: unknown audience 'pubic' — did you mean 'public'? known: ministry, defence, public, ministerstwo"
    assert list(tmp_path.iterdir()) == []


def test_cli_one_audience_names_its_outputs(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(MINI), "-o", str(tmp_path), "--audience", "public"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini-public.pdf", "mini-public.pptx"]


def test_cli_all_audiences_without_any_is_an_error(tmp_path):
    src = tmp_path / "o.yaml"
    src.write_text("meta:\n  title: T\n  date: 2024-04-19\nlead: L\nsections: [{id: a, title: A}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "--all-audiences"])
    assert result.exit_code == 1
    assert "defines no audiences" in result.stderr


def test_cli_audiences_table(tmp_path):
    result = CliRunner().invoke(cli, ["audiences", str(DEFAULT)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["ministry", "defence", "public", "ministerstwo"]
    rows = {line.split()[1]: line for line in lines[2:]}
    assert [c.strip() for c in rows["poland"].split("  ") if c.strip()][3] == "out"  # public: no Poland recommendations
    assert "out" in rows["trilateral-economy"] and rows["trilateral-economy"].count("in #") == 3
    assert "in #1," in rows["security"]  # defence puts security first
    assert rows["japan-fdi"].split()[2:] == ["in", "out", "in", "in"]
