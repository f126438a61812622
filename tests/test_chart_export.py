"""Tests of chart export (`deckgen charts`, deckgen.export_charts) and of the chart cache (deckgen.chartcache)."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image

import deckgen
from deckgen import chartcache, charts
from deckgen.chartcache import ChartStore
from deckgen.cli import cli
from deckgen.errors import DeckgenError, RenderError
from deckgen.inline import plain
from deckgen.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "outlines" / "us-japan-2024.yaml"
MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache folder of its own (never the user's ~/.cache)."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.fixture(scope="module")
def outline():
    return deckgen.load(DEFAULT).outline


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --- export: files a user can open ---------------------------------------------------------------------------------


def test_cli_exports_every_chart_as_svg_by_default(tmp_path, outline):
    out = tmp_path / "figs"
    result = _run("charts", str(DEFAULT), "-o", str(out))
    assert result.exit_code == 0, result.output
    ids = [c.id for c in outline.charts]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{i}.svg" for i in ids)
    assert result.stdout.split() == [str(out / f"{i}.svg") for i in ids]
    for chart in outline.charts:
        root = ET.parse(out / f"{chart.id}.svg").getroot()  # re-parses as XML
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("width", "").endswith("pt") and float(root.get("width")[:-2]) == 640
        texts = (out / f"{chart.id}.svg").read_text(encoding="utf-8")
        assert f"<!-- {plain(chart.title).split()[0]}" in texts.replace("&#39;", "'")  # the title is drawn


def test_cli_exports_png_that_opens(tmp_path, outline):
    out = tmp_path / "png"
    result = _run("charts", str(DEFAULT), "-o", str(out), "--format", "png")
    assert result.exit_code == 0, result.output
    for chart in outline.charts:
        with Image.open(out / f"{chart.id}.png") as im:
            im.load()
            assert im.format == "PNG"
            assert im.size[0] == int(640 / 72 * charts.PNG_DPI)  # 640 pt at 200 dpi
            assert len(im.convert("RGB").getcolors(maxcolors=1 << 20)) > 10  # drawn, not blank


def test_cli_exports_pdf_with_title_and_source_as_text(tmp_path, outline):
    out = tmp_path / "pdf"
    result = _run("charts", str(DEFAULT), "-o", str(out), "--format", "pdf")
    assert result.exit_code == 0, result.output
    for chart in outline.charts:
        reader = pypdf.PdfReader(out / f"{chart.id}.pdf")
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert " ".join(plain(chart.title).split()) in text
        assert "Source: U.S." in text or "Source: SIPRI" in text or "Source: Philippine" in text
        assert not reader.pages[0].images  # vector, not a bitmap


def test_export_is_deterministic_with_and_without_cache(tmp_path):
    a = deckgen.export_charts(MINI, tmp_path / "a", "pdf", cache=False)
    b = deckgen.export_charts(MINI, tmp_path / "b", "pdf")
    c = deckgen.export_charts(MINI, tmp_path / "c", "pdf")  # from the cache
    assert [p.name for p in a] == [p.name for p in b] == [p.name for p in c] == ["spend.pdf", "bases.pdf", "fdi.pdf"]
    for x, y, z in zip(a, b, c):
        assert x.read_bytes() == y.read_bytes() == z.read_bytes()


def test_no_cache_flag_leaves_the_cache_empty(tmp_path):
    result = _run("charts", str(MINI), "-o", str(tmp_path / "o"), "--no-cache")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cache").exists()
    result = _run("charts", str(MINI), "-o", str(tmp_path / "o"))
    assert len(list((tmp_path / "cache").rglob("*.svg"))) == 3


def test_unknown_format_is_a_usage_error(tmp_path):
    result = _run("charts", str(MINI), "-o", str(tmp_path), "--format", "gif")
    assert result.exit_code == 2
    assert "'gif' is not one of 'svg', 'png', 'pdf'" in result.output
    with pytest.raises(DeckgenError, match="unknown chart format 'gif' — use svg, png, pdf"):
        deckgen.export_charts(MINI, tmp_path, "gif")


def test_invalid_outline_fails_with_a_located_message_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("values: [1.0, 1.1, 1.2, 1.6, 1.8]", 'values: [1.0, "12%", 1.2, 1.6, 1.8]'), encoding="utf-8")
    result = _run("charts", str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{bad}:57:" in result.stderr and "charts[spend].series[Spending].values[1]: '12%' is not a number" in result.stderr
    assert not (tmp_path / "out").exists()


def test_output_folder_that_is_a_file_is_an_error(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    result = _run("charts", str(MINI), "-o", str(blocker))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write into {blocker}: it is a file, not a folder")


def test_outline_without_charts_says_so(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    head, rest = text.split("charts:\n  - id: spend", 1)
    no_charts = head.replace("    charts: [spend]\n", "").replace("    charts: [bases, fdi]\n", "")
    no_charts = "\n".join(line for line in no_charts.splitlines() if not line.strip().startswith("charts: [")) + "\n"
    no_charts += "sources:" + rest.split("\nsources:", 1)[1]
    path = tmp_path / "plain.yaml"
    path.write_text(no_charts, encoding="utf-8")
    assert deckgen.load(path).outline.charts == []
    result = _run("charts", str(path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 0
    assert result.stdout == "" and "the outline has no charts" in result.stderr
    assert not (tmp_path / "o").exists()


def test_every_command_including_charts_has_help():
    result = _run("charts", "--help")
    assert result.exit_code == 0 and "--format [svg|png|pdf]" in result.output


# --- the chart cache -------------------------------------------------------------------------------------------------


def test_cache_miss_renders_and_stores_then_a_hit_returns_the_same_bytes(tmp_path, theme, outline):
    chart = outline.charts[0]
    fresh = charts.render(chart, theme, "pdf", 480, 240)
    first = ChartStore(theme, cache_dir=tmp_path / "c").get(chart, "pdf", 480, 240)
    entries = list((tmp_path / "c").rglob("*.pdf"))
    assert first == fresh and len(entries) == 1
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "c").rglob("*")}
    second = ChartStore(theme, cache_dir=tmp_path / "c").get(chart, "pdf", 480, 240)
    assert second == fresh
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "c").rglob("*")} == before  # a hit writes nothing


def test_a_hit_does_not_render(tmp_path, theme, outline, monkeypatch):
    chart = outline.charts[1]
    data = ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200)

    def boom(*args, **kwargs):
        raise AssertionError("rendered on a cache hit")

    monkeypatch.setattr(charts, "render", boom)
    assert ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200) == data
    with pytest.raises(AssertionError, match="rendered on a cache hit"):
        ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 201)  # another size: a miss


def test_a_hit_never_imports_matplotlib(tmp_path, theme, outline):
    chart = outline.charts[0]
    expected = ChartStore(theme).get(chart, "pdf", 481.89, 240.94)  # fills $DECKGEN_CACHE_DIR
    code = (
        "import hashlib, sys, deckgen\n"
        "from deckgen.chartcache import ChartStore\n"
        "from deckgen.theme import load_theme\n"
        f"chart = deckgen.load({str(DEFAULT)!r}).outline.charts[0]\n"
        "data = ChartStore(load_theme()).get(chart, 'pdf', 481.89, 240.94)\n"
        "print(hashlib.sha256(data).hexdigest(), 'matplotlib' in sys.modules)\n"
    )
    env = {**os.environ, "DECKGEN_CACHE_DIR": os.environ["DECKGEN_CACHE_DIR"]}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == [hashlib.sha256(expected).hexdigest(), "False"]
    # and an empty cache in a fresh process does import it (the test above can fail)
    env["DECKGEN_CACHE_DIR"] = str(tmp_path / "empty")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == [hashlib.sha256(expected).hexdigest(), "True"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated write
        lambda raw: raw[:-10] + b"0123456789",  # altered payload
        lambda raw: b"",  # empty file
        lambda raw: b"\x00garbage" * 20,  # not an entry at all
        lambda raw: raw.replace(b"deckgen-chart", b"deckgen-xxxxx", 1),  # wrong magic
    ],
    ids=["truncated", "altered", "empty", "garbage", "magic"],
)
def test_a_corrupted_entry_is_ignored_rerendered_and_repaired(tmp_path, theme, outline, damage):
    chart = outline.charts[2]
    good = ChartStore(theme, cache_dir=tmp_path).get(chart, "png", 240, 160)
    (entry,) = tmp_path.rglob("*.png")
    entry.write_bytes(damage(entry.read_bytes()))
    assert ChartStore(theme, cache_dir=tmp_path).get(chart, "png", 240, 160) == good
    assert chartcache.read_entry(entry) == good  # the entry was written again, whole


def test_an_unreadable_entry_or_unwritable_cache_still_gives_the_chart(tmp_path, theme, outline):
    chart = outline.charts[0]
    expected = charts.render(chart, theme, "svg", 300, 200)
    key = chartcache.cache_key(chart, theme, "svg", 300, 200)
    chartcache.entry_path(tmp_path, key, "svg").mkdir(parents=True)  # a folder where the entry should be
    assert ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200) == expected
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert ChartStore(theme, cache_dir=blocked).get(chart, "svg", 300, 200) == expected
    assert blocked.read_text() == "x"


def test_disabled_cache_neither_reads_nor_writes(tmp_path, theme, outline, monkeypatch):
    chart = outline.charts[0]
    ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200)
    (entry,) = tmp_path.rglob("*.svg")
    entry.write_bytes(chartcache._MAGIC + hashlib.sha256(b"stale").hexdigest().encode() + b"\nstale")
    assert ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200) == b"stale"  # a (forged) hit
    assert ChartStore(theme, cache_dir=tmp_path, enabled=False).get(chart, "svg", 300, 200) != b"stale"
    other = tmp_path / "other"
    ChartStore(theme, cache_dir=other, enabled=False).get(chart, "svg", 300, 200)
    assert not other.exists()


def test_render_errors_propagate_and_are_not_cached(tmp_path, theme, outline):
    with pytest.raises(RenderError, match="too small"):
        ChartStore(theme, cache_dir=tmp_path).get(outline.charts[0], "svg", 10, 10)
    assert not list(tmp_path.rglob("*.*"))


def test_the_key_follows_everything_the_picture_depends_on(theme, outline, monkeypatch):
    import dataclasses

    chart = outline.charts[0]
    base = chartcache.cache_key(chart, theme, "pdf", 480, 240)
    assert base == chartcache.cache_key(chart.model_copy(), theme, "pdf", 480, 240)
    changed = [
        chartcache.cache_key(chart.model_copy(update={"title": "Other"}), theme, "pdf", 480, 240),
        chartcache.cache_key(chart.model_copy(update={"decimals": 2}), theme, "pdf", 480, 240),
        chartcache.cache_key(chart, dataclasses.replace(theme, accent="00FF00"), "pdf", 480, 240),
        chartcache.cache_key(chart, dataclasses.replace(theme, chart_font_size=10.0), "pdf", 480, 240),
        chartcache.cache_key(chart, dataclasses.replace(theme, series=("000000",)), "pdf", 480, 240),
        chartcache.cache_key(chart, theme, "svg", 480, 240),
        chartcache.cache_key(chart, theme, "pdf", 480, 241),
        chartcache.cache_key(chart, theme, "pdf", 480, 240, titled=True),
    ]
    monkeypatch.setattr(charts, "RENDERER_VERSION", charts.RENDERER_VERSION + "-next")
    changed.append(chartcache.cache_key(chart, theme, "pdf", 480, 240))
    monkeypatch.undo()
    assert base not in changed and len(set(changed)) == len(changed)
    # a theme field charts never draw with (the deck's body size) does not throw the cache away
    assert chartcache.cache_key(chart, dataclasses.replace(theme, deck_body_size=24.0), "pdf", 480, 240) == base


def test_cache_folder_follows_the_environment(tmp_path, monkeypatch, theme):
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "own"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert chartcache.default_cache_dir() == tmp_path / "own"  # $DECKGEN_CACHE_DIR wins everywhere
    assert ChartStore(theme).cache_dir == tmp_path / "own"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", "  ")  # blank: as if unset, the platform's user cache folder
    import platformdirs

    assert chartcache.default_cache_dir() == Path(platformdirs.user_cache_dir("deckgen"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG layout is the Linux one (platformdirs)")
def test_cache_folder_on_linux_is_xdg_cache_home_else_dot_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("DECKGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert chartcache.default_cache_dir() == tmp_path / "xdg" / "deckgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: ignore relative paths
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert chartcache.default_cache_dir() == tmp_path / "home" / ".cache" / "deckgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert chartcache.default_cache_dir() == tmp_path / "home" / ".cache" / "deckgen"
    assert not (tmp_path / "home").exists()  # naming the folder does not create it


def test_a_store_renders_each_chart_once_and_stores_share_nothing(theme, outline, monkeypatch):
    chart = outline.charts[0]
    store = ChartStore(theme, enabled=False)
    first = store.get(chart, "svg", 300, 200)

    def boom(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(charts, "render", boom)
    assert store.get(chart, "svg", 300, 200) == first  # e.g. the same chart for a second audience
    with pytest.raises(AssertionError, match="rendered again"):
        ChartStore(theme, enabled=False).get(chart, "svg", 300, 200)  # another build starts empty


def test_entries_are_written_atomically_without_leftovers(tmp_path, theme, outline):
    for chart in outline.charts:
        ChartStore(theme, cache_dir=tmp_path).get(chart, "svg", 300, 200)
    names = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert len(names) == 3 and not [n for n in names if n.endswith(".tmp")]
