"""Broken and hostile outlines (issue 7): clear located errors, safe rendering, nothing lost."""
from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import deckgen
from conftest import MINI, ROOT
from deckgen import assets
from deckgen.cli import cli
from deckgen.errors import AssetError, OutlineError

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
HEAD = "meta:\n  title: T\n  date: 2024-04-19\nlead: L\n"
OK = HEAD + "sections: [{id: a, title: A, points: [one, two]}]\n"
# file:line:col: [path: ]reason — fix
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:(?P<path>[A-Za-z_][\w\[\]\-.]*): )?(?P<reason>.+) — (?P<fix>.+)$")
OLD = {"o.pptx": b"previous good deck", "o.pdf": b"%PDF previous good brief"}


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_outline(tmp_path: Path, content: str | bytes, name: str = "o.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def old_outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    return out


def assert_contract(result, out: Path, expected: str | None = None) -> list[re.Match]:
    """Exit 1, every stderr line located and with a fix, no traceback, old outputs untouched, no temp files."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert lines, "no message"
    matches = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"not in file:line:col: path: reason — fix format: {line!r}"
        matches.append(m)
    if expected is not None:
        assert any(expected in line for line in lines), lines
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD
    assert result.stdout == ""
    return matches


def build_fails(tmp_path: Path, content: str | bytes, expected: str | None = None, *extra: str) -> list[re.Match]:
    outline = write_outline(tmp_path, content)
    out = old_outputs(tmp_path)
    result = run("build", outline, "-o", out, *extra)
    return assert_contract(result, out, expected)


# --- YAML -------------------------------------------------------------------------------------------------------

def _deep(n: int) -> str:
    return HEAD + "sections: [{id: a, title: A}]\nx: " + "[" * n + "]" * n + "\n"


YAML_CASES = {
    "tab": (HEAD.replace("  title", "\ttitle"), "indent with spaces, not tabs"),
    "unclosed-quote": (HEAD + "sections: [{id: a, title: 'A}]\n", "a quote is not closed"),
    "key-a-b": ("meta: a: b\n", "o.yaml:1:8: YAML syntax: mapping values are not allowed"),
    "duplicate-key": (OK + "lead: again\n", "o.yaml:6:1: lead: duplicate key 'lead' (first on line 4) — keep one of them"),
    "python-tag": (OK + "theme: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "YAML tag '!!python/object/apply:os.system' is not allowed"),
    "custom-tag": (OK.replace("lead: L", "lead: !shout L"), "YAML tag '!shout' is not allowed"),
    "alias": (HEAD + "sections:\n  - &s {id: a, title: A}\n  - *s\n", "anchors and aliases"),
    "merge-key": (HEAD + "x: &b {id: a}\nsections:\n  - <<: *b\n    title: A\n", "merge keys (<<) are not supported"),
    "deep-65": (_deep(65), "nesting is deeper than 64 levels"),
    "deep-100000": (_deep(100_000), "nesting is deeper than 64 levels"),
    "empty": ("", "o.yaml:1:1: the outline is empty"),
    "comments-only": ("# nothing\n\n# here\n", "the outline is empty"),
    "top-list": ("- meta\n- lead\n", "must be a mapping of keys"),
    "top-scalar": ("just words\n", "must be a mapping of keys"),
    "two-documents": (OK + "---\n" + OK, "remove the '---' separators"),
    "raw-nul": (OK.replace("lead: L", "lead: L\x00"), "o.yaml:4:8: character U+0000 is not allowed in YAML"),
    "raw-control": (OK.replace("lead: L", "lead: L\x07"), "character U+0007 is not allowed"),
    "bad-date": (OK.replace("2024-04-19", "2027-13-45"), "o.yaml:3:9: meta.date: '2027-13-45' is not a valid date — write YYYY-MM-DD"),
    "time-as-date": (OK.replace("2024-04-19", "12:30"), "meta.date: '12:30' is not a valid date"),
    "lone-surrogate-escape": (OK.replace("lead: L", 'lead: "L\\ud800"'), "o.yaml:4:"),
    "too-many-values": (OK + "x: [" + "0," * 210_000 + "]\n", "more than 200,000 values"),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_broken_yaml_follows_the_contract(tmp_path, case):
    content, expected = YAML_CASES[case]
    build_fails(tmp_path, content, expected)


def test_alias_bomb_fails_fast_in_bounded_memory(tmp_path):
    import tracemalloc

    raw = (HOSTILE / "alias-bomb.yaml").read_bytes()
    assert len(raw) < 500
    tracemalloc.start()
    with pytest.raises(OutlineError) as info:
        deckgen.outline.load_bytes(raw, "bomb.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000  # 9**9 expanded strings would be gigabytes
    messages = [p.message for p in info.value.problems]
    assert any("anchors and aliases" in m for m in messages)
    assert len(info.value.problems) < 200  # each alias node reported once, never expanded
    build_fails(tmp_path, raw, "anchors and aliases")


def test_non_utf8_names_the_line(tmp_path):
    (m,) = build_fails(tmp_path, OK.encode().replace(b"lead: L", b"lead: L\xe9t\xe9"), "is not UTF-8 — save the file as UTF-8")
    assert m["line"] == "4"


def test_utf16_file_is_not_utf8(tmp_path):
    build_fails(tmp_path, OK.encode("utf-16"), "is not UTF-8")


def test_bom_is_accepted(tmp_path):
    outline = write_outline(tmp_path, "\ufeff" + OK)
    result = run("validate", outline)
    assert result.exit_code == 0, result.output


def test_json_surrogate_pair_escapes_are_read_as_one_character(tmp_path):
    import json

    outline = {"meta": {"title": "Smile 🙂", "date": "2024-04-19"}, "lead": "L \\ud83d", "sections": [{"id": "a", "title": "𝔸 and \\ud83d\\ude42"}]}
    doc = deckgen.load(write_outline(tmp_path, json.dumps(outline)))  # ensure_ascii: 🙂 is written as \ud83d\ude42
    assert doc.outline.meta.title == "Smile 🙂"
    assert doc.outline.lead == "L \\ud83d"  # an escaped backslash stays literal text
    assert doc.outline.sections[0].title == "𝔸 and \\ud83d\\ude42"


def test_huge_file_is_refused_before_parsing(tmp_path):
    outline = tmp_path / "o.yaml"
    with open(outline, "wb") as fh:
        fh.write(OK.encode())
        fh.truncate(6 * 1024 * 1024)  # sparse: 6 MB of NUL bytes nobody should read
    out = old_outputs(tmp_path)
    assert_contract(run("build", outline, "-o", out), out, "outlines are limited to 5 MiB")


@pytest.mark.parametrize("word", ["NO", "on", "12:30", "1.10", "017", "0x1F", "1e3", ".inf"])
def test_yaml_1_1_traps_stay_text(word):
    doc = deckgen.outline.load_bytes(f"{HEAD}sections: [{{id: a, title: {word}, points: [{word}]}}]\n".encode(), "o.yaml")
    assert doc.outline.sections[0].title == word
    assert doc.outline.sections[0].points[0].text == word


# --- structure ----------------------------------------------------------------------------------------------------

STRUCTURE_CASES = {
    "unknown-key": (OK.replace("lead: L", "lede: L"), "o.yaml:4:1: lede: unknown key 'lede' — did you mean 'lead'?"),
    "unknown-nested": (OK.replace("title: A,", "titel: A,"), "unknown key 'titel' — did you mean 'title'?"),
    "points-number": (HEAD + "sections: [{id: a, title: A, points: 5}]\n", "sections[a].points: expected a list, got '5'"),
    "tags-string": (HEAD + "sections: [{id: a, title: A, tags: geo}]\n", "sections[a].tags: expected a list"),
    "text-list": (HEAD + "sections: [{id: a, title: [A, B]}]\n", "sections[a].title: expected text, got a list"),
    "missing-meta": ("lead: L\nsections: [{id: a, title: A}]\n", "meta: 'meta' is required — add `meta: …`"),
    "missing-title": (HEAD + "sections: [{id: a}]\n", "sections[a].title: 'title' is required"),
    "missing-chart": (HEAD + "sections: [{id: a, title: A, charts: [spend]}]\n", "sections[a].charts[0]: no chart 'spend'"),
    "missing-section": (OK + "audiences:\n  pub: {first: b}\n", "audiences.pub.first: no section 'b'"),
    "duplicate-ids": (HEAD + "sections: [{id: a, title: A}, {id: a, title: B}]\n", "id 'a' is already used by sections[0]"),
    "bad-id": (HEAD + "sections: [{id: '1 a', title: A}]\n", "is not a valid id or tag"),
    "bad-kind": (HEAD + "sections: [{id: a, title: A, kind: bulets}]\n", "did you mean 'bullets'?"),
}


@pytest.mark.parametrize("case", list(STRUCTURE_CASES))
def test_structure_errors_follow_the_contract(tmp_path, case):
    content, expected = STRUCTURE_CASES[case]
    build_fails(tmp_path, content, expected)


def test_all_problems_at_once(tmp_path):
    content = HEAD.replace("title: T", "titel: T") + (
        "sections:\n  - id: a\n    title: A\n    points: 5\n  - id: a\n    title: B\n"
        "    points: ['[x](javascript:alert(1))']\n"
    )
    matches = build_fails(tmp_path, content)
    paths = [m["path"] for m in matches]
    assert len(matches) >= 3, paths
    assert "meta.titel" in paths and "sections[a].points" in paths


# --- text ---------------------------------------------------------------------------------------------------------

def _pptx_text(path: Path) -> str:
    from pptx import Presentation

    prs = Presentation(str(path))
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


MARKUP = [
    "x<y & AT&T <b>not bold</b>",
    "<font color=red>red?</font>",
    "&amp; and &lt;tag&gt;",
    "<a href='https://evil.example/'>click</a>",
    "<img src='/etc/passwd'/> image tag",
    "<para>para</para> <br/> $5 and $10 ]]> <![CDATA[x]]>",
    "<seq id=x/> &#169; &nbsp; <super>2</super>",
    "<b>$800 bn</b>",
    "<i>FDI</i> & jobs",
]


def test_markup_in_text_comes_out_literally_in_deck_and_brief(tmp_path):
    result = deckgen.build(HOSTILE / "markup.yaml", tmp_path)
    deck, brief = _pptx_text(tmp_path / "markup.pptx"), _pdf_text(tmp_path / "markup.pdf")
    for text in MARKUP:
        assert _squash(text) in _squash(deck), text
        assert _squash(text) in _squash(brief), text
    assert "©" not in deck + brief  # &#169; was not interpreted as an entity
    assert not [w for w in result.warnings if "markup" in w.message]


CONTROL = {
    "nul": '"a\\0b"',
    "bell": '"a\\x07b"',
    "fffe": '"a\\uFFFEb"',
    "vt-ff": '"a\\vb\\f"',
}


@pytest.mark.parametrize("case", list(CONTROL))
def test_control_characters_are_removed_with_a_warning_naming_the_field(tmp_path, case):
    outline = write_outline(tmp_path, HEAD + f"sections: [{{id: geo, title: A, points: [{CONTROL[case]}]}}]\n")
    result = run("build", outline, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    m = LINE.match(line.removesuffix(" [warning]"))
    assert m and m["path"] == "sections[geo].points[0]" and "removed U+" in m["reason"], line
    assert m["line"] == "5"
    deck = _pptx_text(tmp_path / "out" / "o.pptx")
    assert "ab" in deck
    # --strict: the same warning is an error and nothing is written
    out = old_outputs(tmp_path)
    assert_contract(run("build", outline, "-o", out, "--strict"), out, "removed U+")


def test_long_words_many_points_and_uncovered_scripts_build(tmp_path):
    word = "x" * 5000
    points = "\n".join(f"      - point {i} {'🙂' if i % 7 == 0 else ''} ☃ 漢字 عربى हिन्दी" for i in range(200))
    outline = write_outline(
        tmp_path,
        HEAD + f"sections:\n  - id: a\n    title: {word[:300]}\n    points:\n      - {word}\n{points}\n",
    )
    result = run("build", outline, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    deck, brief = _pptx_text(tmp_path / "out" / "o.pptx"), _pdf_text(tmp_path / "out" / "o.pdf")
    assert "point 199" in deck and "point 199" in brief
    assert _squash(deck).count("x" * 200) >= 1


# --- links --------------------------------------------------------------------------------------------------------

LINK_CASES = {
    "javascript": "[x](javascript:alert)",
    "javascript-parens": "[x](javascript:alert(1))",
    "file": "[x](file:///etc/passwd)",
    "data": "[x](data:text/html,hi)",
    "vbscript": "[x](VBScript:msgbox)",
    "no-host": "[x](https://nohost)",
    "no-scheme": "[x](www.example.com)",
    "long": "[x](https://example.com/" + "a" * 3000 + ")",
}


@pytest.mark.parametrize("case", list(LINK_CASES))
@pytest.mark.parametrize("where", ["point", "lead", "notes", "key_figure"])
def test_bad_links_in_text_are_errors(tmp_path, case, where):
    link = LINK_CASES[case]
    if where == "point":
        content = HEAD + f"sections: [{{id: a, title: A, points: ['see {link}']}}]\n"
        path = "sections[a].points[0]"
    elif where == "lead":
        content = OK.replace("lead: L", f"lead: 'see {link}'")
        path = "lead"
    elif where == "notes":
        content = HEAD + f"sections: [{{id: a, title: A, notes: 'see {link}'}}]\n"
        path = "sections[a].notes"
    else:
        content = OK + f"key_figures: [{{id: k, value: '1', label: 'see {link}'}}]\n"
        path = "key_figures[k].label"
    matches = build_fails(tmp_path, content)
    assert any(m["path"] == path for m in matches), [m.string for m in matches]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://", "https://x.org/" + "a" * 3000, "ftp://x.org/f"])
def test_bad_source_urls_are_errors(tmp_path, url):
    build_fails(tmp_path, OK + f"sources: [{{title: T, url: '{url}'}}]\n", "sources[0].url")


def test_good_links_pass():
    doc = deckgen.outline.load_bytes((HEAD + "sections: [{id: a, title: A, points: ['[a](https://x.org/a_(b)) [m](mailto:a@b.org)']}]\n").encode(), "o.yaml")
    assert doc.outline is not None


# --- chart data ---------------------------------------------------------------------------------------------------

def _chart(values: str, categories: str = "[x, y]") -> str:
    return HEAD + (
        "sections: [{id: a, title: A, charts: [c]}]\ncharts:\n  - id: c\n    kind: column\n    title: C\n"
        f"    categories: {categories}\n    source: S\n    series: [{{name: s, values: {values}}}]\n"
    )


CHART_CASES = {
    "nan": ("[1, .nan]", "charts[c].series[s].values[1]: '.nan' is not a number"),
    "nan-word": ("[1, nan]", "is not a finite number"),
    "inf": ("[1, .inf]", "is not a number"),
    "inf-word": ("[1, inf]", "is not a finite number"),
    "null": ("[1, null]", "values[1]: nothing (null) is not a number"),
    "string": ("[1, '12%']", "'12%' is not a number"),
    "too-many": ("[1, 2, 3]", "has 3 values but the chart has 2 categories"),
    "too-few": ("[1]", "has 1 values but the chart has 2 categories"),
    "empty": ("[]", "must not be empty"),
    "all-zero": ("[0, 0]", "every value is zero"),
}


@pytest.mark.parametrize("case", list(CHART_CASES))
def test_chart_data_errors_follow_the_contract(tmp_path, case):
    values, expected = CHART_CASES[case]
    build_fails(tmp_path, _chart(values), expected)


def test_too_many_categories_is_refused_before_drawing(tmp_path):
    n = 1001
    cats = "[" + ", ".join(f"c{i}" for i in range(n)) + "]"
    vals = "[" + ", ".join("1" for _ in range(n)) + "]"
    build_fails(tmp_path, _chart(vals, cats), "charts[c].categories: too long: at most 1000 items")


def test_a_million_points_is_refused_fast(tmp_path):
    vals = "[" + "1," * 1_000_000 + "1]"
    outline = write_outline(tmp_path, _chart(vals))
    start = time.process_time()
    with pytest.raises(OutlineError) as info:
        deckgen.load(outline)
    assert time.process_time() - start < 30  # generous: the point is that nothing heavy runs
    assert "more than 200,000 values" in str(info.value)


# --- assets -------------------------------------------------------------------------------------------------------

def _png(w: int, h: int, *, body: bytes | None = None, cut: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = body if body is not None else zlib.compress(b"".join(b"\x00" + b"\x80\x40\x20" * w for _ in range(h)))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return data[: len(data) - cut] if cut else data


def _template_bytes() -> bytes:
    from pptx import Presentation

    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def _theme_outline(tmp_path: Path, key: str, value: str) -> Path:
    return write_outline(tmp_path, OK + f"theme:\n  {key}: '{value}'\n")


def _setup_assets(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png(4, 3))
    (tmp_path / "text.png").write_text("not an image\n")
    (tmp_path / "cut.png").write_bytes(_png(4, 3, cut=20))
    (tmp_path / "corrupt.png").write_bytes(_png(4, 3, body=zlib.compress(b"\x00" * 5)))
    (tmp_path / "webp.png").write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20)
    (tmp_path / "logo.webp").write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20)
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "svg.png").write_text("<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "bomb.png").write_bytes(_png(20_000, 20_000, body=zlib.compress(b"\x00" * 48_000_000, 9)[:48_000]))
    (tmp_path / "cut.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (tmp_path / "empty.png").write_bytes(b"")
    with open(tmp_path / "big.png", "wb") as fh:
        fh.write(_png(4, 3))
        fh.truncate(assets.MAX_IMAGE_BYTES + 1)
    (tmp_path / "dir.png").mkdir()
    os.mkfifo(tmp_path / "fifo.png")
    (tmp_path.parent / "outside.png").write_bytes(_png(4, 3))
    (tmp_path / "escape.png").symlink_to(tmp_path.parent / "outside.png")
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    (tmp_path / "t.pptx").write_bytes(_template_bytes())
    (tmp_path / "text.pptx").write_text("hello")
    import zipfile

    with zipfile.ZipFile(tmp_path / "zip.pptx", "w") as zf:
        zf.writestr("hello.txt", "hi")


ASSET_CASES = {
    "dotdot": ("logo", "../outside.png", "points outside the outline's folder"),
    "absolute": ("logo", str(Path("/etc/hostname")), "is an absolute path"),
    "dev-zero": ("logo", "/dev/zero", "is an absolute path"),
    "home": ("logo", "~/logo.png", "is an absolute path"),
    "symlink-out": ("logo", "escape.png", "is a link to a file outside the outline's folder"),
    "symlink-dev-zero": ("logo", "zero.png", "outside the outline's folder"),
    "directory": ("logo", "dir.png", "is a folder — name a file"),
    "fifo": ("logo", "fifo.png", "is not a regular file"),
    "missing": ("logo", "logo2.png", "not found in"),
    "text-as-png": ("logo", "text.png", "is a text file, not PNG or JPEG"),
    "truncated": ("logo", "cut.png", "is damaged: the file is cut off"),
    "corrupt": ("logo", "corrupt.png", "is damaged: the pixel data is incomplete"),
    "truncated-jpeg": ("logo", "cut.jpg", "re-export the image"),
    "webp-named-png": ("logo", "webp.png", "WebP and SVG are not supported"),
    "webp": ("logo", "logo.webp", "is not a PNG or JPEG file"),
    "svg": ("logo", "logo.svg", "is not a PNG or JPEG file"),
    "svg-named-png": ("logo", "svg.png", "WebP and SVG are not supported"),
    "bomb": ("logo", "bomb.png", "claims 20000×20000 pixels (400 MP); the limit is 50 MP"),
    "empty": ("logo", "empty.png", "is empty"),
    "too-big": ("logo", "big.png", "the limit is 20.0 MB"),
    "url": ("logo", "https://example.com/logo.png", "deckgen never downloads files"),
    "data-url": ("logo", "data:image/png;base64,iVBORw0KGgo=", "is a URL"),
    "template-text": ("template", "text.pptx", "is not a PowerPoint file"),
    "template-zip": ("template", "zip.pptx", "not a PowerPoint presentation"),
    "template-kind": ("template", "logo.png", "is not a PowerPoint (.pptx) file"),
    "template-url": ("template", "http://example.com/t.pptx", "never downloads"),
    "theme-name": ("name", "fancy", "unknown theme 'fancy' — the built-in theme is 'default'"),
}


@pytest.mark.parametrize("case", list(ASSET_CASES))
def test_bad_assets_are_located_errors(tmp_path, case):
    base = tmp_path / "outline"
    base.mkdir()
    _setup_assets(base)
    key, value, expected = ASSET_CASES[case]
    outline = _theme_outline(base, key, value)
    out = old_outputs(tmp_path)
    start = time.monotonic()
    (m,) = assert_contract(run("build", outline, "-o", out), out, expected)
    assert m["path"] == f"theme.{key}" and m["line"] == "7", m.string
    assert time.monotonic() - start < 60  # never blocks on the FIFO or reads /dev/zero (a hang fails here)


def test_good_assets_load(tmp_path):
    _setup_assets(tmp_path)
    outline = write_outline(tmp_path, OK + "theme: {logo: logo.png, template: t.pptx}\n")
    doc = deckgen.load(outline)
    assert doc.outline.theme.logo == "logo.png"
    assert assets.load(tmp_path, "logo.png", "theme.logo", assets.IMAGE_KINDS) == _png(4, 3)


def test_good_jpeg_and_interlaced_png_pass(tmp_path):
    from PIL import Image

    img = Image.new("RGB", (30, 20), (200, 10, 10))
    img.save(tmp_path / "a.jpg", "JPEG")
    img.save(tmp_path / "b.png", "PNG", interlace=1)
    img.convert("P").save(tmp_path / "c.png", "PNG")
    for name in ("a.jpg", "b.png", "c.png"):
        data = assets.read_image(assets.resolve(tmp_path, name, "f"), "f")
        assert data == (tmp_path / name).read_bytes()  # accepted, and handed on byte for byte


def test_read_bytes_never_blocks_or_reads_devices(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(AssetError, match="not a regular file"):
        assets.read_bytes(tmp_path / "fifo", "f", 1000)
    with pytest.raises(AssetError, match="not a regular file"):
        assets.read_bytes(Path("/dev/zero"), "f", 1000)


def test_asset_error_names_its_field():
    with pytest.raises(AssetError) as info:
        assets.resolve(Path("."), "../x.png", "theme.logo")
    assert info.value.field == "theme.logo"
    assert str(info.value).startswith("theme.logo: ")


# --- output -------------------------------------------------------------------------------------------------------

def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_missing_output_folder_is_created(tmp_path):
    outline = write_outline(tmp_path, OK)
    result = run("build", outline, "-o", tmp_path / "a" / "b" / "c")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a" / "b" / "c").iterdir()) == ["o.pdf", "o.pptx"]


def test_output_folder_that_is_a_file(tmp_path):
    outline = write_outline(tmp_path, OK)
    out = old_outputs(tmp_path)
    for target in (outline, out / "o.pdf"):
        result = run("build", outline, "-o", target)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "it is a file, not a folder — give a folder with -o" in result.stderr
    assert outline.read_text() == OK
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


def test_output_that_would_replace_the_outline(tmp_path):
    outline = write_outline(tmp_path, OK, name="o.pdf")  # an outline named like its own brief
    result = run("build", outline, "-o", tmp_path)
    assert result.exit_code == 1
    assert "it is the outline itself" in result.stderr
    assert outline.read_text() == OK
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.pdf"]


def test_a_folder_in_the_way(tmp_path):
    outline = write_outline(tmp_path, OK)
    out = old_outputs(tmp_path)
    (out / "o.pdf").unlink()
    (out / "o.pdf").mkdir()
    result = run("build", outline, "-o", out)
    assert result.exit_code == 1 and "a folder of that name is in the way" in result.stderr
    assert (out / "o.pptx").read_bytes() == OLD["o.pptx"]
    assert _temps(out) == []


@pytest.mark.parametrize("errno_name", ["EACCES", "ENOSPC", "EROFS"])
def test_unwritable_or_full_disk(tmp_path, monkeypatch, errno_name):
    import errno
    import tempfile

    outline = write_outline(tmp_path, OK)
    out = old_outputs(tmp_path)
    real = tempfile.mkstemp
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second output: the first temp file exists by then
            raise OSError(getattr(errno, errno_name), os.strerror(getattr(errno, errno_name)))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", failing)
    result = run("build", outline, "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: cannot write ") and " — " in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


def test_file_size_limit_in_a_real_process(tmp_path):
    """`ulimit -f`: the write fails with EFBIG; nothing is replaced and no temp file is left."""
    import resource

    outline = write_outline(tmp_path, OK)
    out = old_outputs(tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", str(outline), "-o", str(out)],
        capture_output=True, text=True, preexec_fn=limit, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "cannot write" in proc.stderr and "ulimit -f" in proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


@pytest.mark.parametrize("exc", [deckgen.errors.RenderError("the brief failed"), ValueError("boom")])
def test_late_failure_replaces_nothing(tmp_path, monkeypatch, exc):
    import deckgen.writers.pdf as pdf

    outline = write_outline(tmp_path, OK)
    out = old_outputs(tmp_path)

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(pdf, "write_brief", broken)
    for args in ((), ("-v",)):
        result = run(*args, "build", outline, "-o", out)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert result.stderr.startswith("error: ")
        assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD
    if isinstance(exc, ValueError):
        assert "ValueError: boom" in result.stderr  # -v adds detail
        debug = run("--debug", "build", outline, "-o", out)
        assert debug.exit_code == 1 and isinstance(debug.exception, ValueError)  # --debug lets the stack through


def _words(text: str) -> str:
    """Text as a reader sees it: soft hyphens and line breaks gone, white space single."""
    return " ".join(text.replace("\u00ad", "").split())


def test_two_builds_at_once(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "deckgen", "build", str(MINI), "-o", str(out), "-q"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["mini.pdf", "mini.pptx"]
    from pptx import Presentation
    from pypdf import PdfReader

    from deckgen.inline import plain

    title = plain(deckgen.load(MINI).outline.meta.title)  # both complete products of the outline, not a mix or a stub
    prs = Presentation(str(out / "mini.pptx"))
    assert len(prs.slides) > 3 and _words(prs.slides[0].shapes.title.text_frame.text) == _words(title)
    assert _words(title) in _words(PdfReader(str(out / "mini.pdf")).pages[0].extract_text())


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_get_ordinary_permissions(tmp_path, umask):
    outline = write_outline(tmp_path, OK)
    old = os.umask(umask)
    try:
        result = run("build", outline, "-o", tmp_path / "out")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for p in (tmp_path / "out").iterdir():
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask


# --- CLI: warnings, --strict, check -------------------------------------------------------------------------------

WARN = HEAD + 'sections: [{id: geo, title: A, points: ["a\\x07b"]}]\n'


def test_check_reports_warnings_and_strict_fails(tmp_path):
    outline = write_outline(tmp_path, WARN)
    result = run("check", outline)
    assert result.exit_code == 0, result.output
    assert "sections[geo].points[0]: removed U+0007" in result.stderr
    assert result.stdout == "warnings: 1 warning\n"
    strict = run("check", outline, "--strict")
    assert strict.exit_code == 1
    assert list(tmp_path.iterdir()) == [outline]  # check writes nothing


def test_check_ok_and_errors(tmp_path):
    assert run("check", MINI).stdout == "ok: 0 warnings\n"
    out = old_outputs(tmp_path)
    assert_contract(run("check", write_outline(tmp_path, OK + "lead: x\n")), out, "duplicate key 'lead'")


def test_outline_that_is_a_folder_or_a_device(tmp_path):
    for target, expected in ((tmp_path, "this is a folder"), (Path("/dev/zero"), "not a regular file")):
        result = run("validate", target)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        if result.exit_code == 1:
            assert expected in result.stderr


# --- property-based: valid outlines with awkward Unicode build; mutants of the default outline keep the contract ----

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import DEFAULT  # noqa: E402

# Letters the bundled font covers (Latin with Polish, Greek, Cyrillic), digits and the punctuation users type,
# including the characters that are markup elsewhere (< > & " ' $ % { }); inline markers (* [ ] \) are left out.
_ALPHABET = st.sampled_from(list("abcxyzABCXYZąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßéèçñαβγΔΩжшщЖЯ0123456789<>&\"'$%{}#@!?;:,.()/+=-–—…€£«»„”"))
_WORD = st.text(_ALPHABET, min_size=1, max_size=10)
_TEXT = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_SLOW = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@st.composite
def _outlines(draw):
    sections = [
        {"id": f"s{i}", "title": draw(_TEXT), "points": [draw(_TEXT) for _ in range(draw(st.integers(1, 3)))]}
        for i in range(draw(st.integers(1, 3)))
    ]
    figures = [{"id": f"k{i}", "value": draw(_WORD), "label": draw(_TEXT)} for i in range(draw(st.integers(0, 2)))]
    return {"meta": {"title": draw(_TEXT), "date": "2024-04-19"}, "lead": draw(_TEXT), "sections": sections, "key_figures": figures}


def _texts(outline: dict) -> list[str]:
    out = [outline["meta"]["title"], outline["lead"]]
    for s in outline["sections"]:
        out += [s["title"], *s["points"]]
    for k in outline["key_figures"]:
        out += [k["value"], k["label"]]
    return out


@_SLOW
@given(_outlines())
def test_generated_outlines_build_and_keep_every_text(outline):
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.yaml"
        path.write_text(json.dumps(outline, ensure_ascii=len(outline["lead"]) % 2 == 0), encoding="utf-8")  # JSON is YAML
        deckgen.build(path, Path(tmp) / "out")
        deck = _squash(_pptx_text(Path(tmp) / "out" / "g.pptx"))
        brief = _squash(_pdf_text(Path(tmp) / "out" / "g.pdf"))
        for text in _texts(outline):
            assert _squash(text) in deck, text
            assert _squash(text) in brief, text


_DEFAULT_LINES = DEFAULT.read_text(encoding="utf-8").splitlines(keepends=True)
_SWAPS = ["[x, y]", "{a: 1}", "5", "''", "!!python/none", "*nope", "&a x", "'unclosed", "2027-13-45", "\t"]


@st.composite
def _mutants(draw):
    lines = list(_DEFAULT_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(_SWAPS))}\n"
    return "".join(lines)


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_mutants())
def test_mutants_of_the_default_outline_keep_the_contract(text):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        outline = write_outline(tmp_path, text)
        out = old_outputs(tmp_path)
        result = run("build", outline, "-o", out, "--only", "pptx", "-q")
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            from pptx import Presentation

            from deckgen.inline import plain

            slides = Presentation(str(out / "o.pptx")).slides  # the deck of the outline as it reads: titled as it says
            assert _words(slides[0].shapes.title.text_frame.text) == _words(plain(deckgen.load(outline).outline.meta.title))
        else:
            assert_contract(result, out)
