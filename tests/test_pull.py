"""`deckgen pull`: edits made to a built deck (python-pptx, and through a LibreOffice save) come back into the outline,
every other byte of it as written; what cannot be mapped is a warning; a deck of another outline is refused."""
from __future__ import annotations

import difflib
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pypdf import PdfReader

from conftest import DEFAULT, MINI, ROOT
from deckgen import DeckgenError, build, load, pull
from deckgen.cli import cli

NEW_POINT = "Quokka diplomacy was agreed at the meeting"
NEW_TEXT = "Talks with President Biden and a speech to Congress"
NEW_VALUE = "$912 bn"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def body(slide):
    return next(s for s in slide.placeholders if s.placeholder_format.idx == 1)


def slide_titled(prs, start: str):
    return next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text_frame.text.startswith(start))


def edit_default(src: Path, dst: Path, free_text: bool = False) -> None:
    """The edits of the meeting, made as a user would in PowerPoint (python-pptx): a point reworded, one removed, one
    added, a key figure's value, a chart value (Edit Data: chart.replace_data)."""
    prs = Presentation(str(src))
    visit = slide_titled(prs, "Kishida in Washington")
    paras = body(visit).text_frame.paragraphs
    paras[1].runs[0].text = NEW_TEXT
    for r in paras[1].runs[1:]:
        r.text = ""
    paras[2]._p.getparent().remove(paras[2]._p)  # p-trilateral
    p = body(visit).text_frame.add_paragraph()
    p.text = NEW_POINT
    if free_text:
        visit.shapes.add_textbox(0, 0, 914400, 914400).text_frame.text = "Ask about Taiwan"
    figures = slide_titled(prs, "Key figures")
    panel = next(sh for sh in figures.shapes if sh.name == "Key figure")
    panel.text_frame.paragraphs[0].runs[0].text = NEW_VALUE
    chart = next(sh for sh in slide_titled(prs, "Japan's military spending").shapes if sh.has_chart).chart
    data = CategoryChartData()
    data.categories = list(chart.plots[0].categories)
    for plot in chart.plots:
        for ser in plot.series:
            values = list(ser.values)
            if ser.name == "Japan":
                values[9] = 1.3  # 2023: 1.2 -> 1.3
            data.add_series(ser.name, values)
    chart.replace_data(data)
    prs.save(str(dst))


def flat(text: str) -> str:
    """Text with hyphenation breaks and all white space removed (for finding words in a justified brief)."""
    return re.sub(r"\s+", "", re.sub(r"[-\u00ad]\s*\n", "", text))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The default outline copied to a temp folder and its deck built there."""
    folder = tmp_path_factory.mktemp("pull")
    outline = folder / "us-japan-2024.yaml"
    shutil.copy(DEFAULT, outline)
    build(outline, folder / "build", formats=("pptx",))
    return outline, folder / "build" / "us-japan-2024.pptx"


def copy_outline(built, tmp_path: Path) -> Path:
    outline = tmp_path / "us-japan-2024.yaml"
    shutil.copy(built[0], outline)
    return outline


def check_pulled(outline: Path, before: str) -> None:
    """The outline holds the edits, and nothing else of it changed: every comment and every other line as written."""
    after = outline.read_text(encoding="utf-8")
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False).get_opcodes():
        if tag != "equal":
            removed += before.splitlines()[i1:i2]
            added += after.splitlines()[j1:j2]
    assert added == [
        f"        text: {NEW_TEXT}",
        f"      - {NEW_POINT}",
        f"    value: {NEW_VALUE}",
        "        values: [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.1, 1.3, 1.4, 1.6, 1.8, 2.0]",
    ], added
    assert "        text: Talks with President Biden and a speech to both houses of Congress" in removed
    assert "      - id: p-trilateral" in removed
    assert "      p-trilateral:" in removed  # its Polish translation went with it
    assert "    value: $800 bn" in removed
    assert len(removed) == 1 + 7 + 5 + 1 + 1, removed  # text, the point's 7 lines, its translation's 5, value, values
    assert [x for x in before.splitlines() if x.lstrip().startswith("#")] == [x for x in after.splitlines() if x.lstrip().startswith("#")]
    doc = load(outline)  # valid
    visit = doc.outline.sections[0]
    assert [p.id for p in visit.points] == ["p-visit", "p-congress", "p-purpose", None]
    assert visit.points[-1].text == NEW_POINT
    assert doc.outline.charts[0].series[0].values[9] == 1.3


def check_rebuilt(outline: Path, out: Path) -> None:
    """A rebuild says what the meeting agreed: the brief's text and the deck's chart."""
    build(outline, out)
    text = flat("\n".join(page.extract_text() for page in PdfReader(str(out / "us-japan-2024.pdf")).pages))
    for words in (NEW_POINT, NEW_TEXT, NEW_VALUE):
        assert flat(words) in text, words
    assert flat("first-ever leaders' summit") not in text
    prs = Presentation(str(out / "us-japan-2024.pptx"))
    chart = next(sh for sh in slide_titled(prs, "Japan's military spending").shapes if sh.has_chart).chart
    japan = next(ser for plot in chart.plots for ser in plot.series if ser.name == "Japan")
    assert list(japan.values)[9] == pytest.approx(1.3)


def test_edits_made_with_python_pptx_come_back(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    before = outline.read_text(encoding="utf-8")
    edited = tmp_path / "edited.pptx"
    edit_default(built[1], edited)
    result = pull(edited, outline)
    assert result.written == outline
    assert result.warnings == []
    assert len(result.changes) == 6, result.changes  # text, removed, its translation, added, value, chart value
    check_pulled(outline, before)
    check_rebuilt(outline, tmp_path / "rebuilt")
    again = pull(edited, outline)  # pulled twice: the outline changed since the build, and already holds the edits
    assert again.changes == [] and again.written is None, again.changes
    assert "changed since edited.pptx was built" in again.warnings[0]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is needed for the round trip")
def test_edits_survive_a_libreoffice_save(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    before = outline.read_text(encoding="utf-8")
    edited = tmp_path / "edited.pptx"
    edit_default(built[1], edited)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "pptx",
                    "--outdir", str(out), str(edited)], check=True, capture_output=True, timeout=240)
    resaved = out / "edited.pptx"
    assert resaved.read_bytes() != edited.read_bytes()
    result = pull(resaved, outline)
    assert result.warnings == [], result.warnings
    check_pulled(outline, before)
    check_rebuilt(outline, tmp_path / "rebuilt")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is needed for the round trip")
def test_an_unedited_deck_saved_by_libreoffice_pulls_nothing(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to", "pptx",
                    "--outdir", str(tmp_path / "lo"), str(built[1])], check=True, capture_output=True, timeout=240)
    result = pull(tmp_path / "lo" / built[1].name, outline)
    assert (result.changes, result.warnings, result.diff, result.written) == ([], [], "", None)


def test_dry_run_prints_a_diff_and_writes_nothing(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    before = outline.read_bytes()
    edited = tmp_path / "edited.pptx"
    edit_default(built[1], edited)
    result = run("pull", str(edited), str(outline), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- a/us-japan-2024.yaml\n+++ b/us-japan-2024.yaml\n")
    assert f"+    value: {NEW_VALUE}\n" in result.stdout and "-    value: $800 bn\n" in result.stdout
    assert outline.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.pptx", "us-japan-2024.yaml"]  # no temp file left


def test_an_unmappable_text_box_is_a_warning(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    edited = tmp_path / "edited.pptx"
    edit_default(built[1], edited, free_text=True)
    result = run("pull", str(edited), str(outline))
    assert result.exit_code == 0, result.output
    assert "text box 'TextBox" in result.stderr and "«Ask about Taiwan»" in result.stderr and "[warning]" in result.stderr
    assert "6 changes pulled" in result.stdout


def test_slides_added_and_deleted_by_hand_are_warnings_and_nothing_is_removed(built, tmp_path):
    outline = copy_outline(built, tmp_path)
    before = outline.read_bytes()
    prs = Presentation(str(built[1]))
    extra = prs.slides.add_slide(prs.slide_layouts[1])  # added first: python-pptx names a new slide by the count
    extra.shapes.title.text_frame.text = "Questions from the floor"
    security = slide_titled(prs, "Security")
    lst = prs.slides._sldIdLst
    gone = next(e for e in lst if prs.part.related_part(e.rId) is security.part)
    prs.part.drop_rel(gone.rId)
    lst.remove(gone)
    prs.save(str(tmp_path / "edited.pptx"))
    result = pull(tmp_path / "edited.pptx", outline)
    text = "\n".join(result.warnings)
    assert "('Questions from the floor'): added by hand" in text
    assert "(section 'security'): deleted from the deck — nothing of it is removed" in text
    assert result.changes == [] and outline.read_bytes() == before


def test_a_deck_of_another_outline_is_refused(built, tmp_path):
    other = tmp_path / "other.yaml"
    shutil.copy(MINI, other)
    result = run("pull", str(built[1]), str(other))
    assert result.exit_code == 1
    assert "error: us-japan-2024.pptx: was built from 'us-japan-2024.yaml', not from 'other.yaml'" in result.stderr
    assert "Traceback" not in result.output
    assert other.read_bytes() == MINI.read_bytes()


def test_a_file_that_is_no_deckgen_deck_is_refused(tmp_path):
    plain = tmp_path / "plain.pptx"
    Presentation().save(str(plain))
    outline = tmp_path / "mini.yaml"
    shutil.copy(MINI, outline)
    with pytest.raises(DeckgenError, match="carries no deckgen map"):
        pull(plain, outline)


def test_a_deck_for_an_audience_in_another_language_is_refused(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    shutil.copy(DEFAULT, outline)
    build(outline, tmp_path / "build", formats=("pptx",), audiences=["ministerstwo"])
    with pytest.raises(DeckgenError, match=r"audience 'ministerstwo' in 'pl', but the outline is written in 'en-GB'"):
        pull(tmp_path / "build" / "us-japan-2024-ministerstwo.pptx", outline)


def test_a_deck_for_an_audience_in_the_outline_language_is_pulled(tmp_path):
    outline = tmp_path / "us-japan-2024.yaml"
    shutil.copy(DEFAULT, outline)
    build(outline, tmp_path / "build", formats=("pptx",), audiences=["defence"])
    deck = tmp_path / "build" / "us-japan-2024-defence.pptx"
    assert pull(deck, outline, dry_run=True).diff == ""
    prs = Presentation(str(deck))
    visit = slide_titled(prs, "Kishida in Washington")
    body(visit).text_frame.paragraphs[0].runs[0].text = "First state visit in nine years"
    prs.save(str(deck))
    result = pull(deck, outline)
    assert load(outline).outline.sections[0].points[0].text == "First state visit in nine years"
    assert len(result.changes) == 1


def test_points_without_ids_sub_points_notes_titles_and_markup(tmp_path):
    """The mini outline: points without ids (by section and index), flow-style sub-points, speaker notes of a point,
    a section title, bold and a link typed in PowerPoint."""
    outline = tmp_path / "mini.yaml"
    shutil.copy(MINI, outline)
    before = outline.read_text(encoding="utf-8")
    build(outline, tmp_path / "build", formats=("pptx",))
    prs = Presentation(str(tmp_path / "build" / "mini.pptx"))
    first = slide_titled(prs, "First section")
    first.shapes.title.text_frame.paragraphs[0].runs[0].text = "The first section"
    paras = body(first).text_frame.paragraphs
    assert [p.text for p in paras][:3] == ["A point with a bold word.", "A sub-point", "Another sub-point"]
    paras[2].runs[0].text = "Another sub-point, reworded"
    plain_point = paras[3]
    plain_point.runs[0].text = "Plain string point, now with "
    r = plain_point.add_run()
    r.text = "bold"
    r.font.bold = True
    r = plain_point.add_run()
    r.text = " and a "
    r = plain_point.add_run()
    r.text = "link"
    r.hyperlink.address = "https://example.org/x"
    notes = first.notes_slide.notes_text_frame
    notes.paragraphs[0].runs[0].text = "Say this instead."
    prs.save(str(tmp_path / "edited.pptx"))
    result = pull(tmp_path / "edited.pptx", outline)
    assert result.warnings == []
    doc = load(outline).outline
    s = doc.sections[0]
    assert s.title == "The first section"
    assert [q.text for q in s.points[0].points] == ["A sub-point", "Another sub-point, reworded"]
    assert s.points[0].notes == "Say this instead."
    assert s.points[0].detail == "Prose detail for the brief and notes for the deck."
    assert s.points[1].text == "Plain string point, now with **bold** and a [link](https://example.org/x)"
    after = outline.read_text(encoding="utf-8")
    changed = sorted(line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-")
    assert changed == sorted([
        "-     title: First section",
        "+     title: The first section",
        "-         points: [A sub-point, Another sub-point]",
        "+         points:",
        "+           - A sub-point",
        "+           - Another sub-point, reworded",
        "+         notes: Say this instead.",
        "-       - Plain string point.",
        "+       - Plain string point, now with **bold** and a [link](https://example.org/x)",
    ]), changed


def test_the_deck_records_its_outline_and_stays_reproducible(built, tmp_path):
    from deckgen.deckmap import digest

    prs = Presentation(str(built[1]))
    names = [next(sh.name for sh in s.shapes if sh.name.startswith("deckgen:")) for s in prs.slides]
    assert names == [f"deckgen:{n}" for n in range(1, len(prs.slides) + 1)]
    custom = prs.part.package.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties").blob.decode()
    assert ">us-japan-2024.yaml<" in custom and digest(DEFAULT.read_bytes()) in custom
    again = tmp_path / "again.yaml"
    shutil.copy(DEFAULT, again)
    build(again, tmp_path / "b1", formats=("pptx",))
    build(again, tmp_path / "b2", formats=("pptx",))
    assert (tmp_path / "b1" / "again.pptx").read_bytes() == (tmp_path / "b2" / "again.pptx").read_bytes()


def test_text_edits_keep_the_outline_valid_yaml():
    from deckgen.yamledit import YamlText, scalar

    assert scalar("plain words") == "plain words"
    assert scalar("Security: closer ties") == '"Security: closer ties"'
    assert scalar("**Bold** start") == '"**Bold** start"'
    assert scalar("null") == '"null"' and scalar("a, b", flow=True) == '"a, b"' and scalar("a, b") == "a, b"
    y = YamlText("a:\n  - x  # keep me\n  - y\nb: [1, 2]\n")
    y.replace(("a", 0), "x: two")
    y.insert_item(("a",), 2, "z")
    y.replace(("b", 1), "3")
    assert y.text() == 'a:\n  - "x: two"  # keep me\n  - y\n  - z\nb: [1, 3]\n'
    y = YamlText("a:\r\n  - x: 1\r\n  - b\r\n  - c\r\n")  # CRLF kept; a new key, a new item and a removal at one place
    y.delete_item(("a",), 1)
    y.insert_item(("a",), 1, "new")
    y.set_key(("a", 0), "notes", "n")
    assert y.text() == "a:\r\n  - x: 1\r\n    notes: n\r\n  - new\r\n  - c\r\n"


def test_readme_after_the_meeting(tmp_path, monkeypatch):
    """The README's walk-through, command by command (the deck edited with python-pptx where a user uses PowerPoint)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### After the meeting", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("#", 1)[0]) for line in block.splitlines() if line.startswith("deckgen ")]
    assert [c[:2] for c in commands] == [["deckgen", "build"], ["deckgen", "pull"], ["deckgen", "pull"], ["deckgen", "build"]]
    monkeypatch.chdir(tmp_path)
    shutil.copy(DEFAULT, tmp_path / "briefing.yaml")
    for i, command in enumerate(commands):
        if i == 1:
            edit_default(tmp_path / "build" / "briefing.pptx", tmp_path / "briefing-edited.pptx")
        result = run(*command[1:])
        assert result.exit_code == 0, (command, result.output)
        if i == 1:
            assert "+    value: $912 bn" in result.stdout and NEW_VALUE in result.stdout
    assert NEW_POINT in (tmp_path / "briefing.yaml").read_text(encoding="utf-8")
    text = flat("\n".join(page.extract_text() for page in PdfReader(str(tmp_path / "build" / "briefing.pdf")).pages))
    assert flat(NEW_POINT) in text


def test_edits_on_slides_pull_does_not_map_are_warnings(built, tmp_path):
    """A table cell, a sources entry and a chart slide's notes changed: each named (from the build's fingerprints)."""
    outline = copy_outline(built, tmp_path)
    before = outline.read_bytes()
    prs = Presentation(str(built[1]))
    table = next(sh for s in prs.slides for sh in s.shapes if sh.has_table)
    table.table.cell(1, 0).text_frame.paragraphs[0].runs[0].text = "Edited site"
    sources = slide_titled(prs, "Sources")
    body(sources).text_frame.paragraphs[0].runs[0].text = "1. An edited reference"
    chart_slide = slide_titled(prs, "Japan's military spending")
    chart_slide.notes_slide.notes_text_frame.paragraphs[0].runs[0].text = "Say it differently."
    source = next(sh for sh in slide_titled(prs, "Largest foreign direct").shapes if sh.name == "Source")
    source.text_frame.paragraphs[0].runs[-1].text = "BEA, edited."
    congress = slide_titled(prs, "Security")
    for p in list(body(congress).text_frame.paragraphs)[1:]:
        p._p.getparent().remove(p._p)
    for r in body(congress).text_frame.paragraphs[0].runs:
        r.text = ""
    prs.save(str(tmp_path / "edited.pptx"))
    result = pull(tmp_path / "edited.pptx", outline)
    text = "\n".join(result.warnings)
    assert "edited, but pull does not map a slide of kind 'table'" in text
    assert "edited, but pull does not map a slide of kind 'sources'" in text
    assert "('Japan's military spending, % of GDP'): speaker notes edited" in text
    assert "('Largest foreign direct investors in the U.S., end-'): text pull does not map was edited" in text
    assert "('Security: closer command ties, a stronger Japan'): its text box was emptied" in text
    assert result.changes == [] and outline.read_bytes() == before
