"""The PDF brief: its plan (pure data) and the PDF a reader opens (text, links, fonts, vector charts, bytes)."""
from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess

import pdfplumber
import pikepdf
import pytest
import yaml
from pypdf import PdfReader
from reportlab import rl_config

from conftest import MINI
from deckgen.alttext import describe
from deckgen.chartcache import ChartStore
from deckgen.layout import brief as bp
from deckgen.layout.brief import plan_brief
from deckgen.layout.jsonable import to_data
from deckgen.model import Outline
from deckgen.theme import load_theme
from deckgen.typeset import Typesetting, typesetting
from deckgen.writers.pdf import PLAIN, markup, write_brief
from deckgen.inline import parse, plain

EPOCH = 1713484800  # 2024-04-19T00:00:00Z
EVIL = "x<y & AT&T <b>not bold</b> <font color=red>"
POLISH = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
EVIL_URL = "https://example.org/q?a=1&b=<2>&c=\"3\""
MINI_URLS = ["https://example.org/lead", "https://example.org/econ", "https://example.org/report"]  # reading order


def _data() -> dict:
    return yaml.load(MINI.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _outline(data: dict | None = None) -> Outline:
    return Outline.model_validate(data if data is not None else _data())


def _ctx() -> Typesetting:
    return typesetting(load_theme())


def _write(plan: bp.BriefPlan, ctx: Typesetting, epoch: int = EPOCH) -> bytes:
    """write_brief with the chart cache as its chart source (what a build plugs in)."""
    return write_brief(plan, ctx, epoch, ChartStore(ctx.theme).pdf)


def _build(outline: Outline, epoch: int = EPOCH) -> bytes:
    ctx = _ctx()
    plan, _ = plan_brief(outline, ctx)
    return _write(plan, ctx, epoch)


def _tool(name: str) -> str:
    """The path of a command-line tool the test needs: a missing tool fails the test (CI installs poppler-utils, qpdf)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"'{name}' is not installed: install poppler-utils (pdffonts, pdftotext) and qpdf to run the brief tests")
    return path


def _pdffonts(pdf: bytes) -> list[str]:
    """pdffonts' table rows (header lines dropped), one per font of the PDF."""
    out = subprocess.run([_tool("pdffonts"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return out.splitlines()[2:]


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _text(pdf: bytes) -> str:
    return _norm(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _evil_data() -> dict:
    d = _data()
    d["meta"]["title"] = f"Brief {POLISH}"
    d["sections"][0]["points"].append({"text": f"Evil {EVIL} end"})  # no detail: plain prose, not a bold run-in head
    d["sections"][0]["points"].append({"text": "Polish", "detail": f"Polish detail {POLISH}."})
    d["sections"][0]["intro"] = f"Intro with {EVIL} and [a tricky link]({EVIL_URL})."
    d["key_figures"].append({"id": "evil", "value": "<1%", "label": EVIL, "source": "A&B"})
    d["sources"].append({"title": f"Report {EVIL}", "url": EVIL_URL, "publisher": "P&Q <Ltd>"})
    return d


@pytest.fixture(scope="module")
def mini_pdf() -> bytes:
    return _build(_outline())


@pytest.fixture(scope="module")
def evil_pdf() -> bytes:
    return _build(_outline(_evil_data()))


# ---------------------------------------------------------------- the plan


def test_plan_is_json_data_in_reading_order():
    outline = _outline()
    plan, warnings = plan_brief(outline, _ctx())
    assert warnings == []
    data = json.loads(json.dumps(to_data(plan)))
    assert data["info"]["title"] == "Mini briefing on Zażółć gęślą jaźń"
    assert data["info"]["date"] == "19 April 2024"
    assert data["info"]["language"] == "en-GB"
    types = [b["type"] for b in data["blocks"]]
    assert types[:6] == ["Masthead", "Title", "Subtitle", "Authors", "Lead", "KeyFigures"]
    assert types[-1] == "References"
    assert data["blocks"][0]["series"] == "Test Bulletin"
    assert data["blocks"][0]["parts"] == ["No. 1", "19 April 2024", "Test Institute"]
    assert data["blocks"][0]["logo"] is False  # the outline names no logo: the brief wears none
    assert "/" not in json.dumps(data["blocks"][0]) and "fallbacks" not in data  # no file paths in the plan
    headings = [b["section_id"] for b in data["blocks"] if b["type"] == "Heading"]
    assert headings == ["first", "second", "conclusions"]


def test_plan_figures_follow_their_sections_numbered_in_order():
    outline = _outline()
    plan, _ = plan_brief(outline, _ctx())
    blocks = list(plan.blocks)
    figures = [b for b in blocks if isinstance(b, bp.Figure)]
    assert [(f.number, f.chart_id) for f in figures] == [(1, "spend"), (2, "bases"), (3, "fdi")]
    assert [f.caption for f in figures] == ["Figure 1. Spending, % of GDP", "Figure 2. Sites", "Figure 3. FDI stock"]
    assert figures[0].source == "Source: Test source A"
    assert figures[0].alt == describe(outline.chart("spend"))
    assert figures[0].spec() == outline.chart("spend")
    heading_at = {b.section_id: i for i, b in enumerate(blocks) if isinstance(b, bp.Heading)}
    at = {f.chart_id: blocks.index(f) for f in figures}
    assert heading_at["first"] < at["spend"] < heading_at["second"] < at["bases"] < at["fdi"] < heading_at["conclusions"]
    for f in figures:  # the text column wide (caption and source go in the rail beside it)
        assert f.width == pytest.approx(plan.page.measure, abs=0.01)
        assert 0 < f.height < plan.page.frame_height


def test_plan_points_become_prose_with_run_in_heads_and_citations():
    plan, _ = plan_brief(_outline(), _ctx())
    first = plan.blocks.index(next(b for b in plan.blocks if isinstance(b, bp.Heading)))
    body = plan.blocks[first + 1 : first + 5]
    assert [(type(b), getattr(b, "level", None)) for b in body] == [
        (bp.Paragraph, None), (bp.Bullet, 2), (bp.Bullet, 2), (bp.Paragraph, None)
    ]
    assert body[0].head == tuple(parse("A point with a **bold** word."))  # ends with its own full stop
    assert body[0].runs == tuple(parse("Prose detail for the brief and notes for the deck."))
    assert body[0].role == "point" and body[0].refs == (1,)  # cites src1, the first reference
    assert body[3].runs == tuple(parse("Plain string point.")) and body[3].head == ()  # no detail: plain prose
    refs = next(b for b in plan.blocks if isinstance(b, bp.References))
    assert [(r.number, r.url) for r in refs.items] == [(1, "https://example.org/report")]
    # a section whose points have no detail is a list; recommendations are numbered
    d = _data()
    d["sections"][2]["kind"] = "recommendations"
    d["sections"][2]["points"] = ["Do this", "Then that"]
    plan, _ = plan_brief(_outline(d), _ctx())
    items = [b for b in plan.blocks if isinstance(b, bp.Bullet) and b.number]
    assert [(b.number, b.boxed, plain_runs(b.runs)) for b in items] == [(1, True, "Do this"), (2, True, "Then that")]


def test_bullets_style_keeps_a_bullet_per_point():
    d = _data()
    d["brief"] = {"style": "bullets"}
    plan, _ = plan_brief(_outline(d), _ctx())
    first = plan.blocks.index(next(b for b in plan.blocks if isinstance(b, bp.Heading)))
    body = plan.blocks[first + 1 : first + 6]
    assert [(type(b), getattr(b, "level", None)) for b in body] == [
        (bp.Bullet, 1), (bp.Bullet, 2), (bp.Bullet, 2), (bp.Paragraph, None), (bp.Bullet, 1)
    ]
    assert body[0].refs == (1,) and body[3].role == "detail"


def test_run_in_heads_end_with_a_full_stop_once():
    assert bp._run_in("Security first") == "Security first."
    assert bp._run_in("Why now?") == "Why now?"
    assert bp._run_in("Done.") == "Done."


def test_key_figures_fill_balanced_rows():
    assert [bp.balanced_rows(n) for n in (1, 4, 5, 6, 7, 9)] == [[1], [4], [3, 2], [3, 3], [4, 3], [3, 3, 3]]
    assert bp.balanced_rows(7, 3) == [3, 2, 2]


def plain_runs(runs) -> str:
    return "".join(r.text for r in runs)


def test_plan_warns_about_charts_it_leaves_out():
    d = _data()
    d["sections"][0]["charts"] = ["spend", "nope"]
    d["sections"][1]["charts"] = ["spend", "bases"]  # fdi is listed nowhere; spend twice
    d["sections"][0]["points"][0]["sources"] = ["missing"]
    plan, warnings = plan_brief(_outline(d), _ctx())
    locs = dict(warnings)
    assert "no chart 'nope'" in locs[("sections", 0, "charts", 1)]
    assert "already Figure 1" in locs[("sections", 1, "charts", 0)]
    assert "not listed" in locs[("charts", 2)]
    assert "no source 'missing'" in locs[("sections", 0, "points", 0, "sources", 0)]
    assert [f.chart_id for f in plan.blocks if isinstance(f, bp.Figure)] == ["spend", "bases"]


def test_plan_uses_the_context_fonts_and_never_looks_for_installed_ones(monkeypatch):
    import deckgen.fonts

    ctx = typesetting(load_theme(), system_fonts=False)  # the bundled DejaVu Sans only
    monkeypatch.setattr(deckgen.fonts, "fallback_fonts", lambda *a, **k: pytest.fail("the planner probed fonts"))
    d = _data()
    d["sections"][0]["points"].append({"text": "Kishida 岸田 ✓"})
    plan, warnings = plan_brief(_outline(d), ctx)
    assert warnings == [(("sections", 0, "points", 2, "text"),
                         "no font can draw '岸' (U+5CB8), '田' (U+7530) — the brief prints \ufffd instead")]
    assert "✓" in plan.fallback_chars  # DejaVu Sans, from the context, draws it


def test_the_caller_gives_the_logo_and_the_plan_says_whether(tmp_path):
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (7, 5), (200, 16, 46)).save(buf, format="PNG")
    ctx = _ctx()
    plan, _ = plan_brief(_outline(), ctx)

    def images(pdf: bytes) -> list[tuple[int, int]]:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            xobjects = doc.pages[0].Resources.get("/XObject") or {}
            return [(int(x.Width), int(x.Height)) for x in xobjects.values() if x.get("/Subtype") == "/Image"]

    assert plan.blocks[0].logo is False  # the outline names no logo
    assert images(_write(plan, ctx)) == []  # no deckgen mark on the user's brief
    assert images(write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf, logo=buf.getvalue())) == []
    d = _data()
    d["theme"] = {"logo": "logo.png"}
    plan, _ = plan_brief(_outline(d), ctx)
    assert plan.blocks[0].logo is True
    own = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf, logo=buf.getvalue())
    assert images(own) == [(7, 5)]
    assert "Test Bulletin No. 1 · 19 April 2024 · Test Institute" in _text(own)  # the nameplate beside the logo


def test_plan_without_references_drops_list_and_citations():
    d = _data()
    d["options"] = {"sources_slide": "false"}
    plan, _ = plan_brief(_outline(d), _ctx())
    assert not any(isinstance(b, bp.References) for b in plan.blocks)
    assert all(b.refs == () for b in plan.blocks if isinstance(b, bp.Bullet))


def test_polish_dates():
    d = _data()
    d["meta"]["language"] = "pl"
    plan, _ = plan_brief(_outline(d), _ctx())
    assert plan.info.date == "19 kwietnia 2024"
    assert [b.label for b in plan.blocks if isinstance(b, bp.Figure)][0] == "Wykres 1."


def test_markup_escapes_every_run():
    runs = parse(f"{EVIL} **b&b** [l<i>nk]({EVIL_URL})")
    text = markup(runs, PLAIN, "#1F3A5F")
    assert "<b>not bold</b>" not in text and "&lt;b&gt;not bold&lt;/b&gt;" in text
    assert "<font" not in text and "AT&amp;T" in text
    assert "<b>b&amp;b</b>" in text
    assert 'href="https://example.org/q?a=1&amp;b=&lt;2&gt;&amp;c=&quot;3&quot;"' in text


# ---------------------------------------------------------------- the PDF


def test_text_appears_in_reading_order(mini_pdf):
    text = _text(mini_pdf)
    # the rail (authors, figure captions) sits beside the column: its lines are checked on their own below
    expected = [
        "Test Bulletin", "No. 1 · 19 April 2024 · Test Institute",
        "Mini briefing on Zażółć gęślą jaźń",
        "A test outline",
        "A short lead with bold, italic and a link.",
        "<b>tags</b> & ampersands",
        "$800 bn", "FDI stock", "~1 million", "jobs",  # card by card
        "First section",
        "A point with a bold word. Prose detail for the brief and notes for the deck. [1]",
        "A sub-point", "Another sub-point", "Plain string point.",
        "Second section", "Economy point with a source link.",
        "Conclusions", "The end.",
        "Sources", "A report.", "https://example.org/report",
    ]
    at = 0
    for item in expected:
        found = text.find(item, at)
        assert found >= 0, f"{item!r} not found after position {at}: …{text[at:at + 200]}"
        at = found + len(item)
    for rail in ("Source: BEA", "Anna Kowalska", "John Smith", "Figure 1.", "Spending, % of GDP", "Source: Test source A",
                 "Figure 3.", "FDI stock", "Source: Test source C"):
        assert rail in text


def test_footer_on_every_page(mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    n = len(reader.pages)
    assert n >= 2
    for i, page in enumerate(reader.pages, 1):
        text = _norm(page.extract_text())
        assert f"{i} / {n}" in text
        assert "Test Bulletin · Public" in text


def test_links_carry_the_outline_urls(mini_pdf):
    uris, internal = [], 0
    for page in PdfReader(io.BytesIO(mini_pdf)).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            if "/A" in annot and "/URI" in annot["/A"]:
                uris.append(str(annot["/A"]["/URI"]))
            elif "/Dest" in annot:
                internal += 1
    assert uris == MINI_URLS  # each once, in reading order
    assert internal == 1  # the citation [1] jumps to the references list


def test_bookmarks_for_title_and_every_section(mini_pdf):
    reader = PdfReader(io.BytesIO(mini_pdf))
    entries = [(e.title, reader.get_destination_page_number(e)) for e in reader.outline]
    assert [t for t, _ in entries] == ["Mini briefing on Zażółć gęślą jaźń", "First section", "Second section", "Conclusions", "Sources"]
    pages = [p for _, p in entries]
    assert pages == sorted(pages) and pages[0] == 0
    text_of = [_norm(reader.pages[p].extract_text()) for p in pages]
    for (title, _), text in zip(entries, text_of):
        assert title in text


def test_a_heading_right_over_a_figure_keeps_its_bookmark():
    d = _data()
    d["sections"][1]["points"] = []  # "Second section" is its heading and two figures
    d["sections"][0]["points"] = [{"text": f"Point {i} " + "words " * 30} for i in range(12)]
    pdf = _build(_outline(d))
    reader = PdfReader(io.BytesIO(pdf))
    entries = [(e.title, reader.get_destination_page_number(e)) for e in reader.outline]
    assert [t for t, _ in entries] == ["Mini briefing on Zażółć gęślą jaźń", "First section", "Second section", "Conclusions", "Sources"]
    for title, page in entries:
        assert title in _norm(reader.pages[page].extract_text())
    second = dict(entries)["Second section"]
    assert "Figure 2." in _norm(reader.pages[second].extract_text())


def test_metadata_and_language(mini_pdf):
    with pikepdf.open(io.BytesIO(mini_pdf)) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Mini briefing on Zażółć gęślą jaźń"
        assert str(info["/Author"]) == "Anna Kowalska, John Smith"
        assert str(info["/Subject"]) == "A test outline"
        assert str(info["/Keywords"]) == "test, charts"
        assert str(info["/CreationDate"]).startswith("D:20240419000000")
        assert str(info["/ModDate"]) == str(info["/CreationDate"])
        assert "ReportLab" not in str(info.get("/Producer", ""))
        assert str(pdf.Root.Lang) == "en-GB"
        assert len(pdf.pages) == len(PdfReader(io.BytesIO(mini_pdf)).pages)
        for page in pdf.pages:
            box = [float(v) for v in page.MediaBox]
            assert box == pytest.approx([0, 0, 595.2756, 841.8898], abs=0.01)  # A4


def _fonts(resources, seen) -> list:
    """Every font dictionary reachable from a resources dictionary, through form XObjects too."""
    found = []
    if resources is None:
        return found
    for font in (resources.get("/Font") or {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            found.append(font)
    for xobj in (resources.get("/XObject") or {}).values():
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            found += _fonts(xobj.get("/Resources"), seen)
    return found


def test_every_font_is_embedded_and_none_is_helvetica(evil_pdf):
    seen: set = set()
    with pikepdf.open(io.BytesIO(evil_pdf)) as pdf:
        fonts = [f for page in pdf.pages for f in _fonts(page.get("/Resources"), seen)]
        assert len(fonts) >= 4
        faces = set()
        for font in fonts:
            name = str(font.get("/BaseFont", ""))
            assert "Helvetica" not in name and "Times" not in name and "Courier" not in name, name
            if font.Subtype == "/Type3":
                continue
            face = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = face.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
            faces.add(name.split("+")[-1])
        assert {"Carlito", "Carlito-Bold", "Carlito-Italic"} <= faces
    rows = _pdffonts(evil_pdf)
    assert len(rows) >= 4
    for row in rows:
        assert "Helvetica" not in row
        assert row.split()[-5] == "yes", row  # the 'emb' column


def _images(resources, seen) -> int:
    count = 0
    for xobj in ((resources or {}).get("/XObject") or {}).values():
        if xobj.objgen in seen:
            continue
        seen.add(xobj.objgen)
        if xobj.get("/Subtype") == "/Image":
            count += 1
        elif xobj.get("/Subtype") == "/Form":
            count += _images(xobj.get("/Resources"), seen)
    return count


def test_charts_are_vector_forms_in_the_column_with_caption_and_source_in_the_rail(mini_pdf):
    placed = {}
    with pikepdf.open(io.BytesIO(mini_pdf)) as pdf:
        for index, page in enumerate(pdf.pages):
            assert _images(page.get("/Resources"), set()) == 0  # no raster image: no logo was given, charts are vectors
            xobjects = page.Resources.get("/XObject") or {}
            matrix = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(v) for v in operands]
                if str(operator) == "Do" and str(operands[0]).startswith("/Figure"):
                    form = xobjects[operands[0]]
                    assert form.Subtype == "/Form"
                    x0, y0, x1, y1 = [float(v) for v in form.BBox]
                    a, _, _, d, e, f = matrix
                    placed[str(operands[0])] = (index, e + a * x0, f + d * y0, e + a * x1, f + d * y1)
    # placed in reading order: by page, then top to bottom
    assert sorted(placed, key=lambda k: (placed[k][0], -placed[k][4])) == ["/Figure1", "/Figure2", "/Figure3"]
    outline = _outline()
    with pdfplumber.open(io.BytesIO(mini_pdf)) as doc:
        for n, chart_id, source in ((1, "spend", "A"), (2, "bases", "B"), (3, "fdi", "C")):
            index, left, bottom, right, top = placed[f"/Figure{n}"]
            page = doc.pages[index]
            geometry = plan_brief(outline, _ctx())[0].page
            assert left == pytest.approx(geometry.text_left, abs=0.5)
            assert right == pytest.approx(geometry.text_right, abs=0.5)
            caption = page.search(f"Figure {n}.")[0]
            src = page.search(f"Source: Test source {source}")[0]
            for label in (caption, src):  # in the rail, left of the chart, level with its top
                assert label["x1"] < left and label["x0"] >= geometry.left - 0.5
                assert top + 0.5 >= page.height - label["top"] > bottom
            assert caption["top"] < src["top"]  # the caption, then the source under it
            assert top - bottom > 100
            # the chart's own drawing is in the box: its category labels as text, its bars or lines as vectors
            box = page.within_bbox((left, page.height - top, right, page.height - bottom))
            inside = _norm(box.extract_text())
            for category in outline.chart(chart_id).categories:
                assert plain(category) in inside, (chart_id, category)
            assert box.rects or box.lines or box.curves, chart_id


def test_user_text_is_never_markup(evil_pdf):
    text = _text(evil_pdf)
    assert f"Evil {EVIL} end" in text
    assert f"Intro with {EVIL} and a tricky link." in text
    assert "<1%" in text and "Source: A&B" in text
    assert "P&Q <Ltd>" in text
    with pdfplumber.open(io.BytesIO(evil_pdf)) as doc:
        for page in doc.pages:
            for hit in page.search("not bold", return_chars=True):
                assert all(not c["fontname"].endswith("Bold") for c in hit["chars"])
                assert all(c["non_stroking_color"] != (1, 0, 0) for c in hit["chars"])
        bold = [c for c in doc.pages[0].chars if c["fontname"].endswith("Carlito-Bold")]
        assert bold, "**bold** in the lead should use the bold face"
    uris = {
        str(a.get_object()["/A"]["/URI"])
        for page in PdfReader(io.BytesIO(evil_pdf)).pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    }
    assert EVIL_URL in uris


def test_polish_diacritics_extract_intact(evil_pdf):
    assert f"Polish detail {POLISH}." in _text(evil_pdf)
    with pdfplumber.open(io.BytesIO(evil_pdf)) as doc:
        plumbed = _norm(" ".join(p.extract_text() for p in doc.pages))
    assert f"Brief {POLISH}" in plumbed
    assert f"Polish detail {POLISH}." in plumbed


def test_long_words_wrap_instead_of_crashing():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 40
    d = _data()
    d["meta"]["title"] = word
    d["meta"]["series"] = word
    d["lead"] = word
    d["sections"][0]["title"] = word
    d["sections"][0]["points"][0]["text"] = word
    d["sections"][0]["points"][0]["detail"] = word
    d["key_figures"][0]["value"] = word[:300]
    d["key_figures"][0]["label"] = word[:1000]  # a key figure label holds at most 1,000 characters (issue 20)
    d["charts"][0]["title"] = word
    d["charts"][0]["source"] = word
    d["sources"][0]["url"] = "https://example.org/" + "a" * 1500
    pdf = _build(_outline(d))
    text = _text(pdf)
    assert "Pneumonoultramicroscopic" in text
    assert "Figure 1." in text
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 3
        for page in doc.pages:
            for char in page.chars:  # nothing runs into the margins
                if char["size"] < 1.5:  # the invisible chart data, set in the margin on purpose (1 pt)
                    assert char["x0"] > page.width - 57 and char["x1"] < page.width, (page.page_number, char["text"])
                    continue
                assert 57 <= char["x0"] and char["x1"] <= page.width - 57 + 0.01, (page.page_number, char["text"])


def test_same_input_same_bytes_and_dates_come_from_epoch(mini_pdf):
    again = _build(_outline())
    assert again == mini_pdf
    later = _build(_outline(), epoch=EPOCH + 86400)
    assert later != mini_pdf
    with pikepdf.open(io.BytesIO(later)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20240420000000")


def test_build_leaves_reportlab_defaults_alone(mini_pdf):
    before = rl_config.canvas_basefontname
    _build(_outline())
    assert rl_config.canvas_basefontname == before


def test_qpdf_check_passes(mini_pdf, evil_pdf, tmp_path):
    for name, pdf in (("mini", mini_pdf), ("evil", evil_pdf)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        result = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout, result.stdout + result.stderr


# ---------------------------------------------------------------- issue 5: the default outline, Unicode, long content

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import deckgen  # noqa: E402
from conftest import DEFAULT  # noqa: E402
from deckgen import fonts as font_cov  # noqa: E402

POLISH_OUTLINE = Path(__file__).resolve().parent / "fixtures" / "polish.yaml"
CJK = "岸田文雄"


def _body_text(pdf: bytes) -> str:
    """The text a reader reads, charts left out (their forms are drawn after the page's text), all whitespace removed."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            ops = [(o, op) for o, op in pikepdf.parse_content_stream(page)
                   if not (str(op) == "Do" and str(o[0]).startswith("/Figure"))]
            page.Contents = doc.make_stream(pikepdf.unparse_content_stream(ops))
        out = io.BytesIO()
        doc.save(out)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.getvalue())).pages]
    text = "".join(re.sub(r"[^\n]*\n\s*\d+ / \d+\s*$", "", t) for t in pages)  # each page ends with its footer line
    return "".join(text.replace("\u00ad", "").split()).replace("-", "")  # hyphens go too (see _squash)


def _squash(text: str) -> str:
    """Text with all whitespace and hyphens removed (the brief hyphenates words at line ends)."""
    return "".join(plain(text).split()).replace("-", "")


@pytest.fixture(scope="module")
def default_outline_pdf() -> tuple[Outline, bytes]:
    outline = deckgen.load(DEFAULT).outline
    return outline, _build(outline)


def test_default_outline_every_title_point_and_key_figure_in_order(default_outline_pdf):
    outline, pdf = default_outline_pdf
    text = _body_text(pdf)
    expected = [outline.meta.title, outline.lead]
    expected += [k.value for k in outline.key_figures]  # cards side by side: the values of a row share a line
    for k in outline.key_figures:  # a card's label wraps beside its neighbours' labels: its words are there
        assert all(_squash(w) in text for w in k.label.split())
    for s in outline.sections:
        expected.append(s.title)
        for p in s.points:  # a run-in head, then its detail, then the sub-points
            expected.append(p.text)
            if p.detail:
                expected.append(p.detail)
            expected += [sub.text for sub in p.points]
    at = 0
    for item in expected:
        found = text.find(_squash(item), at)
        assert found >= 0, f"missing or out of order: {item!r}"
        at = found + len(_squash(item))


def _uris(pdf: bytes) -> list[str]:
    """The link targets of the PDF, page by page in drawing order; a link broken over lines (one annotation a line)
    counts once."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        uris = [str(a.A.URI) for page in doc.pages for a in page.get("/Annots", [])
                if "/A" in a and a.A.get("/S") == "/URI"]
    return [u for i, u in enumerate(uris) if i == 0 or uris[i - 1] != u]


def test_default_outline_links_are_the_outline_urls(default_outline_pdf):
    outline, pdf = default_outline_pdf
    texts = [outline.lead, *(k.label for k in outline.key_figures)]
    for s in outline.sections:
        texts.append(s.intro or "")
        for p in s.points:
            texts += [p.text, *(sub.text for sub in p.points), p.detail or ""]
    wanted = [r.url for t in texts for r in parse(t) if r.url] + [s.url for s in outline.sources if s.url]
    assert wanted and _uris(pdf) == wanted  # every link, in reading order


def test_default_outline_fonts_embedded_and_qpdf_clean(default_outline_pdf, tmp_path):
    _, pdf = default_outline_pdf
    rows = _pdffonts(pdf)
    assert rows and all(r.split()[-5] == "yes" and "Helvetica" not in r for r in rows)
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and "No syntax or stream encoding errors" in done.stdout, done.stdout + done.stderr


def test_default_outline_same_bytes_and_epoch_only_changes_dates(default_outline_pdf):
    outline, pdf = default_outline_pdf
    assert _build(outline) == pdf
    later = _build(outline, EPOCH + 86400 * 400)
    assert later != pdf and len(later) == len(pdf)
    with pikepdf.open(io.BytesIO(later)) as doc:
        assert str(doc.docinfo.CreationDate).startswith("D:20250524")
        assert "2025-05-24T00:00:00Z" in doc.Root.Metadata.read_bytes().decode()


def test_source_date_epoch_sets_the_dates(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    blobs = []
    for run in ("a", "b"):
        paths = deckgen.build(MINI, out_dir=tmp_path / run, formats=["pdf"]).paths
        blobs += [p.read_bytes() for p in paths if p.suffix == ".pdf"]
    assert len(blobs) == 2 and blobs[0] == blobs[1]
    with pikepdf.open(io.BytesIO(blobs[0])) as doc:
        assert str(doc.docinfo.CreationDate).startswith("D:20010909")
        assert "2001-09-09T01:46:40Z" in doc.Root.Metadata.read_bytes().decode()


def test_polish_outline_no_warning_no_missing_glyph_and_text_intact():
    outline = deckgen.load(POLISH_OUTLINE).outline
    ctx = _ctx()
    plan, warnings = plan_brief(outline, ctx)
    assert warnings == []
    assert plan.fallback_chars == ""  # Carlito draws every character: nothing goes to a fallback font
    pdf = _write(plan, ctx)
    text = _body_text(pdf)
    for item in (outline.meta.title, *outline.meta.authors, outline.sections[0].points[0].detail, "Źródła", "Wykres 1."):
        assert _squash(item) in text, item
    full = _norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for label in ("Japonia", "Wielka Brytania", "Cel: 2% PKB", "mld USD"):  # chart labels (in the chart forms)
        assert label in full, label
    assert "\ufffd" not in full
    rows = _pdffonts(pdf)
    assert rows and all(r.split()[-5] == "yes" for r in rows)


def _with_point(text: str, author: str | None = None) -> Outline:
    d = _data()
    d["sections"][0]["points"].append({"text": text})
    if author:
        d["meta"]["authors"].append(author)
    return _outline(d)


def test_undrawable_characters_are_warned_by_field_and_shown_as_replacement():
    plan, warnings = plan_brief(_with_point("Clef \U0001d11e here"), _ctx())
    assert warnings == [(("sections", 0, "points", 2, "text"),
                         "no font can draw '\U0001d11e' (U+1D11E) — the brief prints \ufffd instead")]
    text = _text(_write(plan, _ctx()))
    assert "Clef \ufffd here" in text


def test_symbols_come_from_the_bundled_fallback_font():
    outline = _with_point("Arrows → and ≥ and ✓")
    outline = outline.model_copy(update={"meta": outline.meta.model_copy(update={"series": "Bulletin ✓"})})
    plan, warnings = plan_brief(outline, _ctx())
    assert warnings == [] and "✓" in plan.fallback_chars and "→" not in plan.fallback_chars  # Carlito has arrows
    pdf = _write(plan, _ctx())
    assert "Arrows → and ≥ and ✓" in _text(pdf)
    assert "Bulletin ✓ · Public 1 / 2" in _text(pdf)  # the footer too
    assert any("DejaVuSans" in row for row in _pdffonts(pdf))


def test_japanese_through_an_installed_cjk_font():
    ctx = typesetting(load_theme(), text=f"Prime Minister {CJK} visited")  # fontconfig asked for the text's scripts
    fallbacks = [f.path.name for f in ctx.fonts.fallbacks]
    assert any(name.startswith("NotoSansCJK") for name in fallbacks), f"no Noto Sans CJK among {fallbacks} — install fonts-noto-cjk (.ci/run does)"
    plan, warnings = plan_brief(_with_point(f"Prime Minister {CJK} visited", author=CJK), ctx)
    assert warnings == []
    pdf = _write(plan, ctx)
    assert pdf == _write(plan, ctx)
    text = _text(pdf)
    assert f"Prime Minister {CJK} visited" in text and "John Smith" in text and CJK in text.split("visited")[0]
    assert any("NotoSansCJK" in row for row in _pdffonts(pdf))


def test_coverage_helpers():
    carlito = font_cov.FontFile(load_theme().font.regular)
    assert font_cov.missing("Zażółć gęślą jaźń ĄĘŁŃÓŚŹŻĆ „cytat” – —", (carlito,)) == ""
    assert font_cov.missing(f"a{CJK}a{CJK}", (carlito,)) == CJK
    assert font_cov.describe("岸") == "'岸' (U+5CB8)"


def test_long_content_breaks_or_scales_instead_of_failing():
    d = _data()
    word = "x" * 5000
    d["sections"][0]["points"].append({"text": word, "detail": " ".join([word] * 3)})
    d["key_figures"] += [{"id": f"k{i}", "value": "9" * 40, "label": "label " * 40} for i in range(18)]
    d["charts"].append({"id": "tall", "kind": "bar", "title": "Tall", "unit": "n", "source": "S",
                        "categories": [f"Country {i}" for i in range(120)],
                        "series": [{"name": "a", "values": [str(i) for i in range(120)]},
                                   {"name": "b", "values": [str(i) for i in range(120)]}]})
    d["sections"][1]["charts"].append("tall")
    d["sections"] += [{"id": f"s{i}", "title": f"Section {i} " + "long title " * 6,
                       "points": [f"Point {i}.{j} " + "word " * 30 for j in range(5)]} for i in range(40)]
    outline = _outline(d)
    plan, _ = plan_brief(outline, _ctx())
    pdf = _write(plan, _ctx())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 20
    text = _body_text(pdf)
    assert _squash("Section 39 " + "long title " * 6) in text and "x" * 5000 in text
    for fig in (b for b in plan.blocks if isinstance(b, bp.Figure)):
        assert fig.height <= plan.page.frame_height


def test_chart_labels_only_count_fonts_the_charts_draw_with():
    d = _data()
    d["charts"][2]["categories"][0] = "日本"
    plan, warnings = plan_brief(_outline(d), _ctx())
    assert warnings == [(("charts", 2, "categories", 0),
                         "no font can draw '日' (U+65E5), '本' (U+672C) — the brief prints \ufffd instead")]
    assert next(b for b in plan.blocks if isinstance(b, bp.Figure) and b.chart_id == "fdi").chart["categories"][0] == "\ufffd\ufffd"


# ---------------------------------------------------------------- bulletin parts: end matter, quote, URL breaks


def test_end_matter_shows_only_the_fields_given():
    plan, _ = plan_brief(_outline(), _ctx())
    assert not any(isinstance(b, bp.EndMatter) for b in plan.blocks)  # the mini outline gives none
    d = _data()
    d["meta"].update({"about_authors": "Anna Kowalska leads the Asia programme.", "issn": "2657-6139",
                      "copyright": "© Test Institute 2024", "contact": "press@example.org"})
    plan, _ = plan_brief(_outline(d), _ctx())
    end = plan.blocks[-1]
    assert isinstance(end, bp.EndMatter)
    assert [(n.label, n.text) for n in end.items] == [
        ("About the authors", "Anna Kowalska leads the Asia programme."),
        (None, "© Test Institute 2024 · ISSN 2657-6139"),
        ("Contact", "press@example.org"),
    ]
    text = _text(_write(plan, _ctx()))
    assert text.index("Sources") < text.index("About the authors Anna Kowalska leads the Asia programme.")
    assert "© Test Institute 2024 · ISSN 2657-6139" in text and "Contact press@example.org" in text


def test_a_quote_section_sets_its_first_point_as_a_quotation_with_attribution():
    d = _data()
    d["sections"][1]["kind"] = "quote"
    d["sections"][1]["points"] = [{"text": "We will build what we need", "points": ["Joint statement, April 2024"]},
                                  {"text": "After the quote", "detail": "More prose."}]
    plan, _ = plan_brief(_outline(d), _ctx())
    quote = next(b for b in plan.blocks if isinstance(b, bp.Quote))
    assert quote.runs == tuple(parse("We will build what we need"))
    assert quote.attribution == tuple(parse("Joint statement, April 2024"))
    text = _text(_write(plan, _ctx()))
    assert "\u201cWe will build what we need\u201d \u2014\u00a0Joint statement, April 2024" in text.replace("\u2014 ", "\u2014\u00a0")
    assert "After the quote. More prose." in text


def test_urls_break_only_after_separators():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from deckgen.writers.pdf.faces import register
    from deckgen.writers.pdf.story import URL_BREAKS, break_url

    faces = register(_ctx(), "")
    url = "https://www.example.org/documents/remarks-prior_to?meeting=prime&minister=fumio#kishida-japan-and-president"
    lines = break_url(url, faces.regular, 8.5, 120)
    assert "".join(lines) == url and len(lines) > 2
    for line in lines[:-1]:
        assert line[-1] in URL_BREAKS and stringWidth(line, faces.regular, 8.5) <= 120
    # a piece with no separator wider than the line is cut where it must (nothing is lost)
    assert "".join(break_url("https://x.org/" + "a" * 200, faces.regular, 8.5, 120)) == "https://x.org/" + "a" * 200


def test_hyphenation_follows_the_outline_language():
    from deckgen.writers.pdf.flow import hyphenation

    assert hyphenation("en").dictionary == "en" and hyphenation("pl").dictionary == "pl" and hyphenation("en-GB").dictionary == "en_GB"
    assert hyphenation("tlh") == ""  # no dictionary: no hyphenation, no error


def test_a_citation_marker_never_stands_alone_on_a_line():
    from reportlab.platypus import Paragraph

    from deckgen.writers.pdf.faces import register
    from deckgen.writers.pdf.story import Styles

    ctx = _ctx()
    faces = register(ctx, "")
    plan, _ = plan_brief(_outline(), ctx)
    style = Styles(plan, ctx, faces).body
    width = float(plan.page.frame_width)

    def last_line(text: str) -> str:
        para = Paragraph(text, style)
        para.wrap(width, 1e9)
        line = para.blPara.lines[-1]
        return "".join(getattr(w, "text", "") for w in line.words).strip()

    # a detail whose marker, after a plain space, would wrap onto a line of its own
    head = "<b>A point with a bold word.</b> "  # the point's run-in head opens the paragraph
    detail = next(d for k in range(20, 120) if last_line(head + (d := "Alliance " * k + "endword.") + " [1]") == "[1]")
    d = _data()
    d["sections"][0]["points"][0]["detail"] = detail
    with pdfplumber.open(io.BytesIO(_build(_outline(d)))) as doc:
        lines = [line["text"].strip() for page in doc.pages for line in page.extract_text_lines()]
        # the space bound before "[" (its text reads " "), from the face that drew it
        spaces = [page.chars[i - 1]["fontname"] for page in doc.pages for i, c in enumerate(page.chars)
                  if c["text"] == "[" and i and page.chars[i - 1]["text"] in (" ", "\u00a0")]
    assert "[1]" not in lines
    assert any(line.endswith("endword. [1]") for line in lines)
    # the no-break space is drawn from a face that has it (Carlito lacks U+00A0: it would print a box)
    assert spaces and not any("Carlito" in name for name in spaces)
