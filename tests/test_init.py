"""`deckgen init`: the starter outline is valid, commented, points editors at the schema, builds with no warning
(whole and for each of its audiences), and never replaces a file."""
from __future__ import annotations

import json

import pptx
from click.testing import CliRunner
from pypdf import PdfReader

import deckgen
from deckgen.cli import cli


def test_init_then_build_has_no_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "japan"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["japan.yaml", "outline.schema.json"]
    text = (tmp_path / "japan.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=outline.schema.json\n")
    assert json.loads((tmp_path / "outline.schema.json").read_text(encoding="utf-8")) == deckgen.outline_schema()
    assert sum(line.lstrip().startswith("#") or " # " in line for line in text.splitlines()) >= 10  # commented
    doc = deckgen.load(tmp_path / "japan.yaml")
    o = doc.outline
    assert (len(o.sections), len(o.charts), len(o.key_figures), len(o.audiences)) == (2, 1, 1, 2)
    assert not doc.warnings
    assert deckgen.check(tmp_path / "japan.yaml") == []  # every audience, deck and brief
    built = deckgen.build(tmp_path / "japan.yaml", tmp_path / "build")
    assert built.warnings == []
    assert len(pptx.Presentation(str(tmp_path / "build" / "japan.pptx")).slides) >= 5
    assert len(PdfReader(tmp_path / "build" / "japan.pdf").pages) >= 1
    built = deckgen.build(tmp_path / "japan.yaml", tmp_path / "build", all_audiences=True)
    assert built.warnings == []


def test_init_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.yaml").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 1
    assert "briefing.yaml: the file exists" in result.output and "Traceback" not in result.output
    assert (tmp_path / "briefing.yaml").read_text(encoding="utf-8") == "mine\n"
    (tmp_path / "outline.schema.json").write_text("{}", encoding="utf-8")  # a schema already there is left alone
    result = CliRunner().invoke(cli, ["init", "other.yaml"])
    assert result.exit_code == 0 and result.output.split() == ["other.yaml"]
    assert (tmp_path / "outline.schema.json").read_text(encoding="utf-8") == "{}"
    result = CliRunner().invoke(cli, ["init", "notes.txt"])
    assert result.exit_code == 1 and "an outline is a .yaml file" in result.output
