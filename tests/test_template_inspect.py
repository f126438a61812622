"""`deckgen template inspect`: layouts by master with their placeholders, which layout each slide kind uses and why,
template problems as notes, broken files as one error line, and a closed pipe (`| head`) survived quietly."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MINI, ROOT
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

import deckgen
from deckgen.cli import cli

PPTX_DEFAULT = Path(__import__("pptx").__file__).parent / "templates" / "default.pptx"


def _inspect(*args: str):
    res = CliRunner().invoke(cli, ["template", "inspect", *args])
    return res, res.output.splitlines()


def without_text_layouts(path: Path) -> Path:
    """python-pptx's default template with every layout holding a body or content placeholder deleted: what is left
    ('Title Slide', 'Title Only', 'Blank') cannot carry bullets."""
    prs = Presentation(str(PPTX_DEFAULT))
    for lay in list(prs.slide_layouts):
        if any(ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) for ph in lay.placeholders):
            prs.slide_layouts.remove(lay)
    assert [lay.name for lay in prs.slide_layouts] == ["Title Slide", "Title Only", "Blank"]
    prs.save(str(path))
    return path


def test_the_library_returns_masters_layouts_placeholders_and_the_mapping():
    report = deckgen.template_layouts(PPTX_DEFAULT)
    assert (report.width, report.height) == (720, 540)
    assert [m.number for m in report.masters] == [1]
    lay = next(x for x in report.masters[0].layouts if x.name == "Title and Content")
    title, body = lay.placeholders[:2]
    assert (title.type, title.idx, title.w, title.h, title.size, title.font) == ("title", 0, 648, 90, 44, "Calibri")
    assert (body.type, body.idx, body.x, body.y, body.size) == ("obj", 1, 36, 126, 32)
    kinds = {k.kind: k for k in report.kinds}
    assert set(kinds) == set(deckgen.layout.slides.SLIDE_KINDS)
    assert (kinds["bullets"].name, kinds["bullets"].master, kinds["bullets"].layout) == ("Title and Content", 1, lay.index)
    assert kinds["bullets"].reason.startswith("title + one body")
    assert kinds["section"].name == "Section Header" and kinds["chart"].name == "Title Only"
    assert report.problems == ()


def test_inspect_prints_each_layout_with_its_placeholders_and_the_kinds_it_serves():
    res, lines = _inspect(str(PPTX_DEFAULT))
    assert res.exit_code == 0, res.output
    assert lines[0] == "default.pptx: 720 × 540 pt, 1 master"
    assert "Master 1" in lines and "Master 2" not in lines
    k = lines.index("  'Title and Content' (layout 1)")
    assert lines[k + 1].split() == ["title", "idx", "0", "648", "×", "90", "pt", "at", "(36,", "21.6)", "text", "44", "pt", "Calibri"]
    assert lines[k + 2].split()[:6] == ["obj", "idx", "1", "648", "×", "356.4"]
    assert lines[k + 2].endswith("text 32 pt Calibri")
    s = lines.index("Slide kinds → layouts")
    mapping = lines[s + 1:]
    assert len(mapping) == len(deckgen.layout.slides.SLIDE_KINDS)
    assert "  bullets → 'Title and Content' (master 1): title + one body, the largest and clearest, by name" in mapping
    assert "  section → 'Section Header' (master 1): section header by name" in mapping
    assert any(line.startswith("  chart → 'Title Only' (master 1): title only") for line in mapping)
    assert not any(line.startswith("note:") for line in lines)


@pytest.mark.slow
def test_inspect_groups_a_multi_master_template_by_master(corpus):
    res, lines = _inspect(str(corpus.template("Midnightblue")))
    assert res.exit_code == 0, res.output
    assert lines[0].endswith("3 masters")
    heads = [i for i, line in enumerate(lines) if line.startswith("Master ")]
    assert [lines[i] for i in heads] == ["Master 1", "Master 2", "Master 3"]
    # every master has its own 'Title, Content', listed under it with that master's own frames
    ends = [*heads[1:], lines.index("Slide kinds → layouts")]
    bodies = []
    for start, end in zip(heads, ends):
        section = lines[start:end]
        k = next(i for i, line in enumerate(section) if line.startswith("  'Title, Content' (layout "))
        assert section[k + 1].split()[:3] == ["title", "idx", "0"] and section[k + 2].split()[0] == "obj"
        bodies.append(section[k + 2])
    assert len(set(bodies)) == 3
    mapping = lines[lines.index("Slide kinds → layouts") + 1:]
    bullets = next(line for line in mapping if line.startswith("  bullets → "))
    assert bullets.startswith("  bullets → 'Title, Content' (master ") and "title + one body" in bullets


def test_a_kind_no_layout_can_serve_is_a_note_not_a_traceback(tmp_path):
    res, lines = _inspect(str(without_text_layouts(tmp_path / "notext.pptx")))
    assert res.exit_code == 0 and res.exception is None, res.output
    assert "  bullets → no layout: see the note below" in lines
    assert any(line.startswith("  title → 'Title Slide' (master 1): ") for line in lines)
    notes = [line for line in lines if line.startswith("note: ")]
    assert any("for bullets slides" in n for n in notes)
    assert all("'Title Slide' (ctrTitle + subTitle), 'Title Only' (title), 'Blank' (no placeholders)" in n for n in notes)
    assert "Traceback" not in res.output


def test_the_outline_option_maps_kinds_with_its_theme_layouts(tmp_path):
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["theme"] = {"layouts": {"bullets": "Title and Vertical Text", "agenda": "No Such Layout", "sources": "Two Content"}}
    outline = tmp_path / "outline.yaml"
    outline.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    res, lines = _inspect(str(PPTX_DEFAULT), "--outline", str(outline))
    assert res.exit_code == 0, res.output
    assert "Slide kinds → layouts (theme.layouts of outline.yaml)" in lines
    assert "  bullets → 'Title and Vertical Text' (master 1): theme.layouts" in lines
    assert "  agenda → no layout: see the note below" in lines and "  sources → no layout: see the note below" in lines
    notes = [line for line in lines if line.startswith("note: ")]
    assert len(notes) == 2
    assert notes[0].startswith("note: theme.layouts maps agenda slides to 'No Such Layout', which the template does not have")
    assert notes[1] == "note: layout 'Two Content' (theme.layouts, for sources slides) lacks a title and one body or content placeholder"


@pytest.mark.parametrize("content", [b"hello, not a zip", "zip-without-presentation"])
def test_a_broken_file_is_one_error_line(tmp_path, content):
    import zipfile

    bad = tmp_path / "broken.pptx"
    if content == "zip-without-presentation":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
    else:
        bad.write_bytes(content)
    res, lines = _inspect(str(bad))
    assert res.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: ")
    assert "'broken.pptx'" in lines[0] and ("not a PowerPoint" in lines[0])


def _shell(command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], check=False, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.slow
def test_inspect_survives_a_reader_that_stops_after_one_line():
    res = _shell(f"'{sys.executable}' -m deckgen template inspect '{PPTX_DEFAULT}' | head -1")
    assert res.stderr == ""
    assert res.stdout == "default.pptx: 720 × 540 pt, 1 master\n"
    assert res.returncode == 0


@pytest.mark.slow
def test_inspect_survives_a_reader_that_is_gone_before_the_first_line():
    # `true` exits at once, long before Python has started: every write meets a closed pipe (EPIPE), not only a late one
    res = _shell(f"'{sys.executable}' -m deckgen template inspect '{PPTX_DEFAULT}' | true")
    assert res.stderr == ""
    assert res.returncode == 0  # pipefail: deckgen's own exit status
