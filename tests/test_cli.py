"""The command line: each command's exit codes and exact messages."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import MINI
from deckgen.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_validate_ok():
    result = run("validate", str(MINI))
    assert result.exit_code == 0
    assert result.output == "ok: 3 sections, 3 charts, 1 audiences\n"


def test_validate_reports_errors_with_exit_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  titel: T\n  date: 2024-04-19\nlead: L\nsections: [{id: a, title: A}]\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert result.stderr == f"{bad}:2:3: meta.titel: unknown key 'titel' — did you mean 'title'?\n"
    assert "Traceback" not in result.output


def test_validate_missing_file():
    result = run("validate", "no/such/outline.yaml")
    assert result.exit_code == 1
    assert result.stderr == "no/such/outline.yaml:1:1: no such file — check the outline's path\n"


def test_bad_flag_exits_2():
    result = run("build", "--no-such-flag")
    assert result.exit_code == 2


def test_schema_is_json_schema_of_the_outline():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["required"]) == {"meta", "lead", "sections"}
    assert schema["additionalProperties"] is False
    assert "Chart" in schema["$defs"]


def test_build_writes_both_outputs(tmp_path):
    result = run("build", str(MINI), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / "mini.pptx"), str(tmp_path / "mini.pdf")]
    from pptx import Presentation
    from pypdf import PdfReader

    import deckgen
    from deckgen.inline import plain

    def words(text: str) -> str:
        return " ".join(text.replace("\u00ad", "").split())

    title = words(plain(deckgen.load(MINI).outline.meta.title))  # both products open, titled as the outline says
    assert words(Presentation(str(tmp_path / "mini.pptx")).slides[0].shapes.title.text_frame.text) == title
    assert title in words(PdfReader(str(tmp_path / "mini.pdf")).pages[0].extract_text())


def test_build_error_writes_nothing_and_keeps_old_outputs(tmp_path):
    bad = tmp_path / "mini.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("kind: column", "kind: pie"), encoding="utf-8")
    old = tmp_path / "out" / "mini.pptx"
    old.parent.mkdir()
    old.write_bytes(b"previous good deck")
    result = run("build", str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "charts[bases].kind: 'pie' is not allowed" in result.stderr
    assert old.read_bytes() == b"previous good deck"
    assert sorted(p.name for p in old.parent.iterdir()) == ["mini.pptx"]


def test_the_console_command_ends_a_build_at_once_with_its_output_flushed(tmp_path):
    """`python -m deckgen build` skips the interpreter's teardown after a committed build (os._exit): the paths it
    prints still reach a pipe, the outputs are whole, the status is 0; a failing build still exits 1 the normal way."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parent.parent / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(x for x in (src, os.environ.get("PYTHONPATH", "")) if x),
           "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    ok = subprocess.run([sys.executable, "-m", "deckgen", "build", str(MINI), "-o", str(tmp_path / "out")],
                        capture_output=True, text=True, env=env, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == [str(tmp_path / "out" / "mini.pptx"), str(tmp_path / "out" / "mini.pdf")]
    assert (tmp_path / "out" / "mini.pptx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "out" / "mini.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    bad = subprocess.run([sys.executable, "-m", "deckgen", "build", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 1 and "no such file" in bad.stderr
