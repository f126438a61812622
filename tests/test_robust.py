"""Issue 20: nothing crashes, nothing leaks from a template, nothing is left behind — each finding as a regression test."""
from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import deckgen
import hostile_templates as ht
from conftest import DEFAULT, ROOT
from test_hostile import OLD, old_outputs, run  # the CLI runner and the previous outputs the contract keeps
from deckgen.cli import cli

HEAD = "meta:\n  title: T\n  date: 2024-04-19\nlead: L\n"
OK = HEAD + "sections: [{id: a, title: A, points: [one, two]}]\n"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:(?P<path>[A-Za-z_][\w\[\]\-.]*): )?(?P<reason>.+) — (?P<fix>.+)$")
SRC = str(ROOT / "src")


def pdfa_profile() -> str:
    """The PDF/A profile the brief declares: conformance A (tagged, PDF/A-2a) on this branch; 'PDF_A_2B' if it
    declares B. The one place to switch it."""
    finish = (ROOT / "src" / "deckgen" / "writers" / "pdf" / "finish.py").read_text(encoding="utf-8")
    return "PDF_A_2A" if '"A" if tagged' in finish else "PDF_A_2B"


def write(tmp_path: Path, text: str, name: str = "o.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def located(stderr: str) -> list[re.Match]:
    """Every stderr line as `file:line:col: path: reason — fix`; fails on any other line."""
    lines = [line.removesuffix(" [warning]") for line in stderr.splitlines()]
    assert lines, "no message"
    out = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"not located: {line!r}"
        out.append(m)
    return out


def subprocess_env(tmp_path: Path) -> dict:
    return dict(os.environ, PYTHONPATH=SRC, DECKGEN_CACHE_DIR=str(tmp_path / "cache"))


# --- limits libraries impose: core properties, float ranges, path lengths ------------------------------------------

@pytest.mark.parametrize("key,prop", [("title", "title"), ("subtitle", "subject"), ("authors", "author"), ("keywords", "keywords")])
def test_meta_over_255_characters_builds_with_a_located_warning(tmp_path, key, prop):
    from pptx import Presentation

    long = " ".join(["Lorem ipsum dolor sit amet"] * 15)  # 404 characters
    value = f"[{long!r}]" if key in ("authors", "keywords") else repr(long)
    text = OK.replace("  title: T\n", f"  title: T\n  {key}: {value}\n" if key != "title" else f"  title: {value}\n")
    out = tmp_path / "out"
    result = run("build", write(tmp_path, text), "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert all(line.endswith("[warning]") for line in result.stderr.splitlines())
    [m] = [m for m in located(result.stderr) if "document property" in m["reason"]]
    assert m["path"] == f"meta.{key}" and "404 characters" in m["reason"]
    prs = Presentation(str(out / "o.pptx"))
    stored = getattr(prs.core_properties, prop)
    assert len(stored) <= 255 and stored.endswith("…") and long.startswith(stored[:-1].rstrip())
    if key == "title":  # the slide shows it all
        assert prs.slides[0].shapes.title.text_frame.text.replace("\n", " ") == long


def _chart_outline(values: str, extra: str = "", kind: str = "line") -> str:
    return (HEAD + "sections: [{id: a, title: A, points: [one], charts: [c]}]\n"
            f"charts:\n  - {{id: c, kind: {kind}, title: C, source: S, categories: [a, b, c, d], projected_from: c,\n"
            f"     series: [{{name: X, values: {values}}}]{extra}}}\n")


@pytest.mark.parametrize("values,bad,expected", [
    ("[1, 1e308, -1e308, 4]", "values[1]", "is too large: numbers are limited to ±10^15"),
    ("[1, 2, -1e308, 4]", "values[2]", "is too large"),
    ("[1, 2e15, 3, 4]", "values[1]", "is too large"),
    ("[1, 1e-300, 3, 4]", "values[1]", "too close to zero"),
])
def test_extreme_chart_values_are_located_errors(tmp_path, values, bad, expected):
    out = old_outputs(tmp_path)
    result = run("build", write(tmp_path, _chart_outline(values)), "-o", out)
    assert result.exit_code == 1 and "unexpectedly" not in result.output
    matches = located(result.stderr)
    assert any(m["path"] == f"charts[c].series[X].{bad}" and expected in m["reason"] for m in matches), result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


@pytest.mark.parametrize("text,path", [
    (_chart_outline("[1, 2, 3, 4]", ", target: {value: 1e308, label: T}"), "charts[c].target.value"),
    (HEAD + "sections: [{id: a, title: A, points: [one], tables: [t]}]\n"
            "tables: [{id: t, title: T, columns: [A, B], rows: [[x, 1e308]]}]\n", "tables[t].rows[0].cells[1]"),
    (HEAD + "sections: [{id: a, title: A, points: [one], charts: [s]}]\n"
            "charts: [{id: s, kind: scatter, title: S, source: S, points: [{label: p, x: -1e300, y: 1}, {label: q, x: 1, y: 2}]}]\n",
     "charts[s].points[0].x"),
])
def test_extreme_numbers_elsewhere_are_located_errors(tmp_path, text, path):
    result = run("build", write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 1 and "unexpectedly" not in result.output
    assert any(m["path"] == path and " — " in m.group(0) for m in located(result.stderr)), result.stderr


def test_charts_at_the_limits_build_with_nothing_on_stderr(tmp_path):
    """Values at ±10^15 and 10^-9 beside each other, a projection and a column chart: no overflow or matplotlib
    warning reaches the terminal of a real process."""
    text = (HEAD + "sections: [{id: a, title: A, points: [one], charts: [c, d]}]\ncharts:\n"
            "  - {id: c, kind: line, title: C, source: S, categories: [a, b, c, d], projected_from: c,"
            " series: [{name: X, values: [1e15, -1e15, 1e-9, 0]}, {name: Y, values: [-1e-9, 1e-9, 1e15, 1e15]}]}\n"
            "  - {id: d, kind: column, title: D, source: S, categories: [a, b], series: [{name: X, values: [1e15, 1e-9]}]}\n")
    proc = subprocess.run([sys.executable, "-m", "deckgen", "build", str(write(tmp_path, text)), "-o", str(tmp_path / "out"),
                           "-q", "--no-cache"], capture_output=True, text=True, env=subprocess_env(tmp_path), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert (tmp_path / "out" / "o.pdf").stat().st_size > 0


def test_an_output_path_longer_than_the_system_allows(tmp_path):
    out = tmp_path / ("a" * 300)
    result = run("build", write(tmp_path, OK), "-o", out)
    assert result.exit_code == 1 and "unexpectedly" not in result.output and "Traceback" not in result.output
    assert "longer than the system allows; choose a shorter folder with -o" in result.stderr
    deep = tmp_path.joinpath(*["b" * 200] * 25)  # every name fits, the whole path does not
    result = run("build", write(tmp_path, OK), "-o", deep)
    assert result.exit_code == 1 and "longer than the system allows" in result.stderr


def test_a_symlink_loop_as_output_folder_is_named(tmp_path):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for out in (tmp_path / "loop1", tmp_path / "loop1" / "sub"):
        result = run("build", write(tmp_path, OK), "-o", out)
        assert result.exit_code == 1 and "unexpectedly" not in result.output
        assert "loop1 is a symbolic link in a loop" in result.stderr and "a part of the output path is a file" not in result.stderr


def test_an_image_too_wide_says_its_side_is_the_problem(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 35_000, 1_400, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")
    (tmp_path / "wide.png").write_bytes(png)  # 49 MP: under the pixel limit, over the side limit
    result = run("build", write(tmp_path, OK + "theme: {logo: wide.png}\n"), "-o", tmp_path / "out")
    assert result.exit_code == 1
    [m] = located(result.stderr)
    assert m["path"] == "theme.logo" and "a side is limited to 30,000 pixels" in m["reason"] and "MP" not in m["reason"]


# --- all outputs or none ---------------------------------------------------------------------------------------------

def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_an_immutable_brief_leaves_the_deck_unreplaced(tmp_path):
    out = old_outputs(tmp_path)
    target = out / "o.pdf"
    if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not allowed here (needs CAP_LINUX_IMMUTABLE)")
    try:
        result = run("build", write(tmp_path, OK), "-o", out)
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)
    assert result.exit_code == 1 and "unexpectedly" not in result.output
    assert "o.pdf: it is marked immutable or append-only" in result.stderr and "nothing was replaced" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == OLD
    assert _leftovers(out) == []


@pytest.mark.parametrize("existing", [True, False])
def test_a_failed_rename_restores_what_was_already_replaced(tmp_path, monkeypatch, existing):
    import deckgen.output as output

    out = old_outputs(tmp_path) if existing else tmp_path / "out"
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(Path(dst).name)
        if Path(dst).name == "o.pdf" and str(src).endswith(".tmp"):  # the second output's rename
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", failing)
    result = run("build", write(tmp_path, OK), "-o", out)
    assert result.exit_code == 1
    assert "nothing was replaced (the outputs already replaced have their old files back)" in result.stderr
    assert calls[:2] == ["o.pptx", "o.pdf"]  # the deck was replaced first, then put back
    if existing:
        assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == OLD
    else:
        assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == []
    assert _leftovers(out) == []


def test_a_successful_build_leaves_no_backup_behind(tmp_path):
    out = old_outputs(tmp_path)
    result = run("build", write(tmp_path, OK), "-o", out, "-q")
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["o.pdf", "o.pptx"]
    assert all((out / n).read_bytes() != OLD[n] for n in OLD)


# --- chart workers die with the build; SIGTERM and SIGHUP end like SIGINT ----------------------------------------------

def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM", "SIGHUP", "SIGINT"])
def test_no_chart_worker_outlives_a_killed_build(tmp_path, sig):
    """A cold build of the default outline renders its charts on two worker processes; killing the build mid-way
    (SIGKILL included) leaves no worker running, and whoever reads the build's pipes gets end-of-file at once."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the chart workers start only on two or more cores")
    out = old_outputs(tmp_path)
    (out / "us-japan-2024.pptx").write_bytes(OLD["o.pptx"])
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "build", "--no-cache", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(tmp_path))
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.005)
    assert workers, "the build started no chart worker"
    os.kill(proc.pid, getattr(signal, sig))
    try:
        start = time.monotonic()
        _, err = proc.communicate(timeout=30)  # a surviving worker would hold the pipes open
        assert time.monotonic() - start < 10
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w for w in workers if _alive(w)] == []
    finally:  # a failing run leaves no orphan behind either
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    if sig == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 1, err
        assert b"Traceback" not in err and b"unexpectedly" not in err
        assert (out / "us-japan-2024.pptx").read_bytes() == OLD["o.pptx"]
        assert [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))] == []


# --- templates are data ---------------------------------------------------------------------------------------------

HOSTILE = {
    "macro": (ht.macro_template, ["macros (ppt/vbaProject.bin)", "content type (macroEnabled)"]),
    "ole": (ht.ole_template, ["OLE objects (ppt/embeddings/oleObject1.bin)", f"external links ({ht.UNC})"]),
    "external": (ht.external_template, ["external links (", ht.TRACKER, ht.LINK]),
    "private": (ht.private_parts_template, ["custom XML (customXml/item1.xml", "printer settings (ppt/printerSettings/",
                                            "comments (ppt/commentAuthors.xml)"]),
    "everything": (ht.everything_template, ["macros", "OLE objects", "external links", "custom XML", "printer settings", "comments"]),
}


def _audit(path: Path) -> dict:
    proc = subprocess.run(["openxml-audit", "--ooxml-security", "-o", "json", "-m", "0", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout)[0]


def _issues(report: dict) -> list[str]:
    return [str(e.get("description", e)) for e in report["errors"] + report.get("warnings", [])]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_template_lends_only_its_layouts(tmp_path, case):
    from pptx import Presentation

    make, named = HOSTILE[case]
    template = tmp_path / "t.pptx"
    template.write_bytes(make())
    with zipfile.ZipFile(template) as zf:  # the fixture is hostile: what must not reach the deck is in it
        inside = " ".join(zf.namelist()) + " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith((".xml", ".rels")))
    assert all(w.split(" (")[-1].rstrip(")").split(", ")[0] in inside or w.startswith(("content type", "external links ("))
               for w in named if "(" in w)
    if case != "private":  # openxml-audit flags active content and outside links (not custom XML or printer settings)
        before = _issues(_audit(template))
        assert any(k in " ".join(before) for k in ("Active content", "External relationship")), before
    out = tmp_path / "out"
    result = run("build", write(tmp_path, OK + "theme: {template: t.pptx}\n"), "-o", out, "--only", "pptx", "-q")
    assert result.exit_code == 0, result.output
    [m] = located(result.stderr)
    assert m["path"] == "theme.template" and m["reason"].startswith("left out of the deck: ")
    for text in named:
        assert text in m["reason"], m["reason"]
    deck = out / "o.pptx"
    with zipfile.ZipFile(deck) as zf:
        names = zf.namelist()
        types = zf.read("[Content_Types].xml").decode()
        rels = "".join(zf.read(n).decode() for n in names if n.endswith(".rels"))
        xml = "".join(zf.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
    assert not [n for n in names if re.search(r"vba|embeddings|activeX|customXml|printerSettings|comment", n, re.I)]
    assert 'PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"' in types
    assert "macroEnabled" not in types and "vbaProject" not in types and "oleObject" not in types
    assert 'TargetMode="External"' not in rels
    for leak in (ht.TRACKER, ht.LINK, "evil-host", "oleObj", "Jane Insider", "internal customer list"):
        assert leak not in xml and leak not in rels
    assert _issues(_audit(deck)) == []
    assert len(Presentation(str(deck)).slides) >= 2


def test_cleaning_a_template_is_deterministic_and_idempotent():
    from deckgen.templatefile import clean

    data = ht.everything_template()
    once = clean(data)
    assert clean(data).data == once.data and once.dropped  # the same bytes in, the same bytes out
    again = clean(once.data)
    assert again.dropped == () and again.data == once.data  # nothing left to drop: returned as it came


def test_template_inspect_reads_a_hostile_template_as_data(tmp_path):
    template = tmp_path / "t.pptx"
    template.write_bytes(ht.everything_template())
    result = run("template", "inspect", template)
    assert result.exit_code == 0, result.output
    assert "Title Slide" in result.output


@pytest.mark.parametrize("case,expected", [
    ("entity", "part ppt/slideLayouts/slideLayout1.xml declares a DTD (<!DOCTYPE>)"),
    ("oversize", "part ppt/slideLayouts/slideLayout3.xml is 20 MB of XML; a template part is limited to 16 MB"),
])
def test_an_entity_bomb_or_oversize_part_is_a_located_error(tmp_path, case, expected):
    (tmp_path / "t.pptx").write_bytes(getattr(ht, f"{case}_template")())
    out = old_outputs(tmp_path)
    result = run("build", write(tmp_path, OK + "theme: {template: t.pptx}\n"), "-o", out)
    assert result.exit_code == 1 and "unexpectedly" not in result.output
    [m] = located(result.stderr)
    assert m["path"] == "theme.template" and expected in m["reason"], m.group(0)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


def test_an_oversize_part_is_refused_before_it_is_unpacked(monkeypatch):
    """The size comes from the ZIP directory: the 20 MB part is never read, let alone parsed."""
    from deckgen.errors import AssetError
    from deckgen.templatefile import clean

    data = ht.oversize_template()
    read: list[str] = []
    real = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: read.append(str(name)) or real(self, name, pwd))
    with pytest.raises(AssetError, match="limited to 16 MB"):
        clean(data)
    assert read == []


@pytest.mark.parametrize("edit,expected", [
    (lambda p: re.sub(rb"<p:sldSz[^>]*/>", b'<p:sldSz cx="0" cy="0"/>', p), "has a slide size of 0 × 0 pt"),
    (lambda p: re.sub(rb"<p:sldSz[^>]*/>", b"", p), "states no slide size"),
])
def test_a_template_slide_size_problem_is_located(tmp_path, edit, expected):
    def change(parts):
        parts["ppt/presentation.xml"] = edit(parts["ppt/presentation.xml"])

    (tmp_path / "t.pptx").write_bytes(ht._edit(ht.plain_template(), change))
    result = run("build", write(tmp_path, OK + "theme: {template: t.pptx}\n"), "-o", tmp_path / "out")
    assert result.exit_code == 1
    [m] = located(result.stderr)
    assert m["path"] == "theme.template" and expected in m["reason"] and "Slide Size" in m["fix"]


def test_template_xml_errors_and_missing_layouts_are_located(tmp_path):
    def broken(parts):
        parts["ppt/slideLayouts/slideLayout2.xml"] = parts["ppt/slideLayouts/slideLayout2.xml"][:-20]

    def bare(parts):
        for i in range(1, 12):
            name = f"ppt/slideLayouts/slideLayout{i}.xml"
            parts[name] = re.sub(rb"<p:sp>.*?</p:sp>", b"", parts[name], flags=re.S)

    for change, expected in ((broken, "part ppt/slideLayouts/slideLayout2.xml is not well-formed XML"),
                             (bare, "no layout has a title placeholder for section slides")):
        (tmp_path / "t.pptx").write_bytes(ht._edit(ht.plain_template(), change))
        result = run("build", write(tmp_path, OK + "theme: {template: t.pptx}\n"), "-o", tmp_path / "out")
        assert result.exit_code == 1
        matches = located(result.stderr)
        assert all(m["path"] == "theme.template" for m in matches)
        assert any(expected in m.group(0) for m in matches), result.stderr


def test_a_chart_that_cannot_be_drawn_is_located_at_the_chart(tmp_path, monkeypatch):
    """A render error of a chart (its labels and legend do not fit) names the chart's place in the outline."""
    import deckgen.charts as charts
    from deckgen.errors import RenderError

    def cramped(chart, *args, **kwargs):
        raise RenderError(f"chart '{chart.id}': its labels and legend do not fit in 100 x 80 pt — give the chart more "
                          "room or shorten its labels")

    monkeypatch.setattr(charts, "render", cramped)
    text = _chart_outline("[1, 2, 3, 4]")
    result = run("build", write(tmp_path, text), "-o", tmp_path / "out", "--no-cache")
    assert result.exit_code == 1
    [m] = located(result.stderr)
    assert (m["file"], m["line"], m["path"]) == (str(tmp_path / "o.yaml"), "7", "charts[c]")
    assert "labels and legend do not fit" in m["reason"]


# --- every brief passes PDF/A ---------------------------------------------------------------------------------------

def _validate(pdf: bytes) -> list:
    import page

    report = page.validate_pdf_bytes(pdf, profile=pdfa_profile())
    return [(f.rule_id, f.message) for f in report.failures]


@pytest.mark.slow
def test_every_audience_brief_of_the_default_outline_passes_pdfa(tmp_path):
    result = deckgen.build(DEFAULT, tmp_path, formats=("pdf",), all_audiences=True, cache=False)
    briefs = [p for p in result.paths if p.suffix == ".pdf"]
    assert len(briefs) == len(deckgen.audience_names(deckgen.load(DEFAULT))) >= 3
    for path in briefs:
        assert _validate(path.read_bytes()) == [], path.name


@pytest.mark.slow
@pytest.mark.parametrize("language,seed", [("en", 3), ("pl", 5)])
def test_generated_outline_briefs_pass_pdfa(tmp_path, language, seed):
    import briefgen
    import yaml

    outline = tmp_path / "g.yaml"
    outline.write_text(yaml.safe_dump(briefgen.long_outline(language, seed), allow_unicode=True), encoding="utf-8")
    result = deckgen.build(outline, tmp_path / "out", formats=("pdf",), cache=False)
    assert _validate(result.paths[0].read_bytes()) == []


def test_chart_text_with_ligature_pairs_has_no_notdef_glyph(tmp_path):
    """'fi', 'ffi', 'fl', 'ti' in a chart's title, categories, series and unit: matplotlib drew them as ligatures with
    CID 0 (.notdef), which PDF/A refuses; the brief passes, and the chart's own PDF uses no CID 0."""
    import pikepdf

    words = "Official traffic flows — efficient notification"
    text = (HEAD + "sections: [{id: a, title: A, points: [one], charts: [c]}]\ncharts:\n"
            f"  - {{id: c, kind: column, title: '{words}', unit: 'fiscal ﬁgures', source: 'Office of ﬂights',"
            " categories: [financial, affiliated, stifling, ratification], series: [{name: 'Profit flows', values: [1, 2, 3, 4]}]}\n")
    result = deckgen.build(write(tmp_path, text), tmp_path / "out", formats=("pdf",), cache=False)
    pdf = next(p for p in result.paths if p.suffix == ".pdf").read_bytes()
    assert _validate(pdf) == []
    from deckgen.charts import render
    from deckgen.theme import load_theme

    chart = deckgen.load(tmp_path / "o.yaml").outline.charts[0]
    codes = []  # the two-byte character codes shown in Type 0 (CID) fonts
    with pikepdf.open(io.BytesIO(render(chart, load_theme(), "pdf", 300, 200))) as doc:
        fonts = doc.pages[0].Resources.Font
        cid = False
        for operands, operator in pikepdf.parse_content_stream(doc.pages[0]):
            if str(operator) == "Tf":
                cid = fonts[str(operands[0])].get("/Subtype") == "/Type0"
            elif str(operator) in ("Tj", "TJ") and cid:
                strings = [operands[0]] if str(operator) == "Tj" else [x for x in operands[0] if isinstance(x, pikepdf.String)]
                for string in strings:
                    raw = bytes(string)
                    codes += [raw[i:i + 2] for i in range(0, len(raw), 2)]
    assert codes, "no text in a CID font: the check would see nothing"
    assert b"\x00\x00" not in codes


def test_a_long_right_to_left_source_split_over_pages_builds(tmp_path):
    """Found by fuzzing: a source title in Arabic long enough to break over a page lost its bullet's style in the
    part after the break (AttributeError 'bulletColor' as 'cannot lay out the brief')."""
    text = (HEAD + "sections: [{id: a, title: A, points: [{text: one, sources: [s1]}]}]\n"
            "sources: [{id: s1, title: '" + "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 " * 600 + "'}]\n")
    result = run("build", write(tmp_path, text), "-o", tmp_path / "out", "--only", "pdf", "-q")
    assert result.exit_code == 0, result.output


def test_a_word_too_long_to_set_is_a_located_error_found_fast(tmp_path):
    """Found by fuzzing: a 480,000-character 'word' in a point took the brief minutes (reportlab measures it again,
    character by character, at every try to break a line or page). Over 5,000 characters without a space is an error."""
    word = "longwordwithoutanyspaces" * 20_000
    out = old_outputs(tmp_path)
    start = time.monotonic()
    result = run("build", write(tmp_path, OK.replace("points: [one, two]", f"points: [one, {word}]")), "-o", out)
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    [m] = located(result.stderr)
    assert m["path"] == "sections[a].points[1]" and "a word of 480,000 characters with no space" in m["reason"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD
    ok = run("build", write(tmp_path, OK.replace("points: [one, two]", f"points: [one, {'x' * 2000}]")), "-o", tmp_path / "ok", "-q")
    assert ok.exit_code == 0, ok.output


def test_a_chart_with_letters_beyond_latin_1_passes_pdfa_and_reads_back(tmp_path):
    """Found by the generated-outline PDF/A test: matplotlib numbers the characters of a chart beyond Latin-1 (ł, ś,
    Greek, Cyrillic) from CID 0 in their own font subset, and PDF/A reads CID 0 as .notdef; the brief renumbers them,
    and the text still reads back as written."""
    text = (HEAD.replace("  date:", "  language: pl\n  date:") + "sections: [{id: a, title: A, points: [one], charts: [c]}]\ncharts:\n"
            "  - {id: c, kind: bar, title: 'Wydatki', unit: 'mln zł', source: S,"
            " categories: [Łódź, Gdańsk, Świętokrzyskie, Αθήνα, Москва], series: [{name: 'Wzrost', values: [1, 2, 3, 4, 5]}]}\n")
    result = deckgen.build(write(tmp_path, text), tmp_path / "out", formats=("pdf",), cache=False)
    pdf = result.paths[0]
    assert _validate(pdf.read_bytes()) == []
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("Łódź", "Gdańsk", "Świętokrzyskie", "Αθήνα", "Москва", "zł"):
        assert word in words, word


def test_a_lead_longer_than_a_page_builds(tmp_path):
    """Found by fuzzing: a lead (the standfirst, set beside the authors) longer than what a page holds failed with
    reportlab's 'Splitting error' — the first part of a unit that comes apart was placed whole."""
    lead = "The alliance deepens security cooperation with regional partners. " * 60  # ~4,000 characters
    text = OK.replace("lead: L", f"lead: '{lead.strip()}'\nmeta2: x").replace("\nmeta2: x", "")
    text = text.replace("  date: 2024-04-19\n", "  date: 2024-04-19\n  authors: [Anna Nowak, Jan Kowalski]\n")
    result = run("build", write(tmp_path, text), "-o", tmp_path / "out", "--only", "pdf", "-q")
    assert result.exit_code == 0, result.output
    words = subprocess.run(["pdftotext", str(tmp_path / "out" / "o.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(words.replace("-\n", "").split())  # lines joined, hyphenated words whole
    assert words.count("regional partners.") == 60 and "Jan Kowalski" in words


def test_a_stop_request_whose_interrupt_was_lost_still_writes_nothing(tmp_path, monkeypatch):
    """A signal's KeyboardInterrupt raised while a C extension imports can be cleared there; the handler also notes
    the signal, and commit then refuses: the old output stays, no temp file is left."""
    import signal

    from deckgen import output

    monkeypatch.setattr(output, "_STOPS", [])
    old = tmp_path / "deck.pptx"
    old.write_bytes(b"old deck")
    output.request_stop(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        output.commit({old: b"new deck", tmp_path / "brief.pdf": b"new brief"})
    assert old.read_bytes() == b"old deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]
