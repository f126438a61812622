"""Classification that cannot leak: levels and markings, a banner on every slide and page, marked content kept out of
audiences classified lower (proven on the products' text), refusals located at the marking, the manifest."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu
from pypdf import PdfReader

import deckgen
from conftest import MINI
from deckgen.classification import DEFAULT_LEVELS
from deckgen.cli import cli
from deckgen.units import Colour

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "classified" / "classified.yaml"
# each restricted item of the fixture carries one of these phrases (sub-point, point, section, key figure, chart, table)
SECRET = ["Quokka marmalade", "Walrus tangerine", "Pelican apricot", "Zanzibar lemon", "Heron plum", "Otter quince"]
LABEL = {lv.id: lv.label for lv in DEFAULT_LEVELS}
COLOUR = {lv.id: lv.colour.lstrip("#") for lv in DEFAULT_LEVELS}
BANNER = "Classification banner"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture built for each audience (and the manifest) and as a whole outline."""
    out = tmp_path_factory.mktemp("classified")
    deckgen.build(FIXTURE, out, all_audiences=True)
    deckgen.build(FIXTURE, out / "whole")
    return out


def _product(out: Path, who: str, ext: str) -> Path:
    return out / "whole" / f"classified.{ext}" if who == "whole" else out / f"classified-{who}.{ext}"


# ---------------------------------------------------------------- the products' text


def _squash(text: str) -> str:
    """Text compared without spaces, line breaks, hyphens and case: a phrase hyphenated or wrapped still matches."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).lower()


def _slides_text(path: Path) -> str:
    """python-pptx's text of every slide (text frames, table cells, chart titles) and of its speaker notes."""
    parts = []
    for slide in Presentation(str(path)).slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                parts += [c.text for row in sh.table.rows for c in row.cells]
            if getattr(sh, "has_chart", False) and sh.has_chart and sh.chart.has_title:
                parts.append(sh.chart.chart_title.text_frame.text)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _package_text(path: Path) -> str:
    """The text of every XML part of the package, and of the workbooks embedded in its charts: all the file holds."""
    def texts(z: zipfile.ZipFile) -> list[str]:
        out = []
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".xml", ".rels")):
                out.append(re.sub(r"<[^>]+>", " ", data.decode("utf-8")))
            elif name.endswith(".xlsx"):
                out += texts(zipfile.ZipFile(io.BytesIO(data)))
        return out

    return "\n".join(texts(zipfile.ZipFile(path)))


def _pdf_text(path: Path) -> str:
    """pdftotext's text of the brief (pypdf's where poppler is missing)."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_marked_content_never_reaches_the_public_audience(built):
    public = [_slides_text(_product(built, "public", "pptx")), _package_text(_product(built, "public", "pptx")),
              _pdf_text(_product(built, "public", "pdf"))]
    ministry = [_slides_text(_product(built, "ministry", "pptx")), _pdf_text(_product(built, "ministry", "pdf"))]
    for phrase in SECRET:
        for text in public:
            assert _squash(phrase) not in _squash(text), phrase
        for text in ministry:  # the control: the same reading finds them where they belong
            assert _squash(phrase) in _squash(text), phrase


# ---------------------------------------------------------------- banners in the deck


def _frame(sh) -> tuple[float, float, float, float]:
    return tuple(Emu(v).pt for v in (sh.left, sh.top, sh.left + sh.width, sh.top + sh.height))


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.01 and min(a[3], b[3]) - max(a[1], b[1]) > 0.01


def banner_problems(path: Path, label: str, colour: str) -> list[str]:
    """Every slide has a banner at its top edge and one at its bottom edge, named, not placeholders, locked, showing
    the label in a readable colour on the level's, on top of everything, and no other shape of the slide reaches into them."""
    prs = Presentation(str(path))
    width, height = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    problems = []
    for n, slide in enumerate(prs.slides, 1):
        shapes = list(slide.shapes)
        banners = [sh for sh in shapes if sh.name.startswith(BANNER)]
        if len(banners) != 2:
            problems.append(f"slide {n}: {len(banners)} banners")
            continue
        top, bottom = sorted(banners, key=lambda sh: sh.top)
        ft, fb = _frame(top), _frame(bottom)
        if abs(ft[1]) > 0.01 or abs(fb[3] - height) > 0.05 or ft[0] < 0 or ft[2] > width + 0.05 or fb[2] > width + 0.05:
            problems.append(f"slide {n}: banners at {ft} and {fb} on a {width} x {height} slide")
        for sh in (top, bottom):
            if sh.is_placeholder or sh.text_frame.text != label:
                problems.append(f"slide {n}: '{sh.name}' says {sh.text_frame.text!r} (placeholder: {sh.is_placeholder})")
            if str(sh.fill.fore_color.rgb) != colour:
                problems.append(f"slide {n}: '{sh.name}' is filled {sh.fill.fore_color.rgb}, not {colour}")
            ink = str(sh.text_frame.paragraphs[0].runs[0].font.color.rgb)
            if Colour(ink).contrast(Colour(colour)) < 4.5:
                problems.append(f"slide {n}: '{sh.name}' label {ink} on {colour} reads below 4.5:1")
            locks = sh._element.nvSpPr.cNvSpPr.find(qn("a:spLocks"))
            if locks is None or locks.get("noMove") != "1" or locks.get("noTextEdit") != "1":
                problems.append(f"slide {n}: '{sh.name}' is not locked")
        if shapes.index(top) < len(shapes) - 3:  # drawn last (a logo may follow, in the footer band)
            problems.append(f"slide {n}: the banners are not on top")
        for sh in shapes:
            if sh in banners or sh.left is None or sh.width is None:
                continue
            for b in (ft, fb):
                if _overlap(_frame(sh), b):
                    problems.append(f"slide {n}: '{sh.name}' {_frame(sh)} reaches into the banner at {b}")
    return problems


@pytest.mark.parametrize("who,level", [("public", "public"), ("ministry", "restricted"), ("whole", "restricted")])
def test_every_slide_has_its_banners_clear_of_everything(built, who, level):
    # the whole outline is classified at the highest level of what it holds: its banner never understates
    problems = banner_problems(_product(built, who, "pptx"), LABEL[level], COLOUR[level])
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- banners in the brief


def page_banner_problems(path: Path, label: str) -> list[str]:
    """Every page shows the label above all its other words and below them, and nothing else stands in the banners."""
    problems = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            words = page.extract_words()
            lines: dict[int, list[dict]] = {}
            for w in words:
                lines.setdefault(round(w["top"]), []).append(w)
            first, last = min(lines), max(lines)
            for where, key in (("top", first), ("bottom", last)):
                text = " ".join(w["text"] for w in sorted(lines[key], key=lambda w: w["x0"]))
                if text != label:
                    problems.append(f"page {n}: the {where} line reads {text!r}, not {label!r}")
            bands = [r for r in page.rects if r["height"] < 30 and r["width"] > 200 and (r["top"] < 40 or r["bottom"] > page.height - 40)]
            if len(bands) != 2:
                problems.append(f"page {n}: {len(bands)} banner bands")
            for w in words:
                if w["text"] in label.split():
                    continue
                for r in bands:
                    if min(w["bottom"], r["bottom"]) - max(w["top"], r["top"]) > 0 and min(w["x1"], r["x1"]) - max(w["x0"], r["x0"]) > 0:
                        problems.append(f"page {n}: '{w['text']}' stands in a banner")
            if any(r["top"] < 11.9 or r["bottom"] > page.height - 11.9 for r in bands):
                problems.append(f"page {n}: a banner runs into the paper's unprintable edge")
    return problems


@pytest.mark.parametrize("who,level", [("public", "public"), ("ministry", "restricted"), ("whole", "restricted")])
def test_every_page_of_the_brief_has_its_banners(built, who, level):
    problems = page_banner_problems(_product(built, who, "pdf"), LABEL[level])
    assert not problems, "\n".join(problems)


def test_the_footer_line_leaves_the_classification_to_the_banner(built):
    # a level id in meta.classification is not printed as footer text ("public") as a free text would be
    text = _pdf_text(_product(built, "public", "pdf"))
    assert "Policy Brief" in text and not re.search(r"\bpublic\b", text)


# ---------------------------------------------------------------- the manifest


def test_the_manifest_records_each_audiences_level_and_what_it_was_withheld(built):
    manifest = json.loads((built / "classified.manifest.json").read_text(encoding="utf-8"))["audiences"]
    assert manifest["public"]["classification"] == {"level": "public", "label": "PUBLIC"}
    assert manifest["ministry"]["classification"] == {"level": "restricted", "label": "RESTRICTED"}
    assert manifest["public"]["withheld"] == {"sections": ["contingency"], "points": ["p-exercise"], "charts": ["reserve"],
                                              "tables": ["bases"], "images": [], "key_figures": ["kf-reserve"]}
    assert manifest["ministry"]["withheld"] == {k: [] for k in ("sections", "points", "charts", "tables", "images", "key_figures")}


def test_a_point_without_an_id_is_named_by_its_place_in_the_manifest(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("      - id: p-exercise\n        text:", "      - text:")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    deckgen.build(path, tmp_path / "out", all_audiences=True, formats=("pptx",))
    manifest = json.loads((tmp_path / "out" / "c.manifest.json").read_text(encoding="utf-8"))["audiences"]
    assert manifest["public"]["withheld"]["points"] == ["sections[summit].points[2]"]


# ---------------------------------------------------------------- refusals


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(deckgen.OutlineError) as info:
        deckgen.load(path)
    return [str(p) for p in info.value.problems]


LEAKY = """\
meta: {title: T, date: 2024-04-19}
lead: The lead.
sections:
  - id: a
    title: Open
    points:
      - Open point
      - text: Marked point
        marking: restricted
  - id: b
    title: Closed
    marking: confidential
    points: [Closed point]
charts:
  - id: c
    kind: column
    title: Drawn from a marked table
    from: t
    source: S
tables:
  - id: t
    title: Marked table
    columns: [Year, Value]
    rows: [[2023, 1], [2024, 2]]
    marking: secret
audiences:
  public:
    classification: public
    exclude: [never]
  ministry:
    classification: restricted
"""


def test_marked_content_reaching_a_lower_audience_is_refused_at_its_marking(tmp_path):
    text = LEAKY.replace("    points: [Closed point]\n", "    points: [Closed point]\n    charts: [c]\n").replace(
        "    exclude: [never]\n", "")
    problems = _problems(_write(tmp_path, text))
    name = str(tmp_path / "o.yaml")
    expected = [
        f"{name}:9:18: sections[a].points[1].marking: marked restricted, but audience 'public' is cleared for public only",
        f"{name}:12:14: sections[b].marking: marked confidential, but audience 'public' is cleared for public only",
        f"{name}:12:14: sections[b].marking: marked confidential, but audience 'ministry' is cleared for restricted only",
        f"{name}:26:14: tables[t].marking: marked secret, and chart 'c' draws its data, which audience 'public'",
        f"{name}:26:14: tables[t].marking: marked secret, and chart 'c' draws its data, which audience 'ministry'",
    ]
    for want in expected:  # every problem at once, each at the value of its `marking`
        assert any(p.startswith(want) for p in problems), (want, problems)
    assert len(problems) == len(expected), problems
    assert all("exclude" in p or "raise the audience" in p for p in problems)


def test_a_refused_build_writes_nothing_and_exits_1_without_a_traceback(tmp_path):
    path = _write(tmp_path, LEAKY)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(path), "--all-audiences", "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "marked restricted" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_tagging_the_marked_items_out_of_the_lower_audience_makes_it_build(tmp_path):
    text = (LEAKY.replace("        marking: restricted\n", "        marking: restricted\n        tags: [closed]\n")
            .replace("    marking: confidential\n", "    marking: confidential\n    tags: [closed]\n")
            .replace("    exclude: [never]\n", "    exclude: [closed]\n")
            .replace("    classification: restricted\n", "    classification: confidential\n"))
    result = deckgen.build(_write(tmp_path, text), tmp_path / "out", all_audiences=True)
    assert len(result.paths) == 5


def test_an_unknown_level_is_located_with_a_suggestion(tmp_path):
    text = LEAKY.replace("marking: restricted", "marking: restriced").replace("classification: restricted", "classification: Restricted")
    problems = _problems(_write(tmp_path, text))
    assert any(":9:18: sections[a].points[1].marking: 'restriced' is not a classification level" in p
               and "did you mean 'restricted'?" in p for p in problems), problems
    assert any(":31:21: audiences.ministry.classification: 'Restricted' is not a classification level" in p
               and "did you mean 'restricted'?" in p for p in problems), problems


def test_a_classified_outline_names_levels_everywhere(tmp_path):
    text = LEAKY.replace("meta: {title: T, date: 2024-04-19}", "meta: {title: T, date: 2024-04-19, classification: For official use}")
    text = text.replace("    classification: public\n", "    classification: ''\n")
    problems = _problems(_write(tmp_path, text))
    assert any("meta.classification: 'For official use' is not a classification level" in p for p in problems), problems
    assert any("audiences.public.classification: a classified outline's products always carry their level" in p for p in problems), problems


def test_an_audience_below_the_outlines_own_level_is_refused(tmp_path):
    text = """\
meta: {title: T, date: 2024-04-19, classification: internal}
lead: The lead.
sections:
  - {id: a, title: Open, points: [x]}
audiences:
  public: {classification: public}
"""
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1 and "audiences.public.classification: audience 'public' is classified public, but the " \
        "outline's unmarked content" in problems[0], problems


# ---------------------------------------------------------------- an outline's own scale


OWN = """\
meta: {title: T, date: 2024-04-19, classification: jawne}
lead: The lead.
classification:
  levels:
    - {id: jawne, label: JAWNE, colour: "#2E7D32"}
    - {id: zastrzezone, label: ZASTRZEŻONE, colour: "#FFD400"}
sections:
  - id: a
    title: Open
    points: [x]
  - id: b
    title: Closed
    marking: zastrzezone
    points: [y]
"""


def test_an_outlines_own_scale_gives_its_labels_and_colours(tmp_path):
    out = tmp_path / "out"
    deckgen.build(_write(tmp_path, OWN), out)
    problems = banner_problems(out / "o.pptx", "ZASTRZEŻONE", "FFD400")  # yellow: the label is black
    assert not problems, "\n".join(problems)
    assert not page_banner_problems(out / "o.pdf", "ZASTRZEŻONE")
    ink = Presentation(str(out / "o.pptx")).slides[0].shapes[-1].text_frame.paragraphs[0].runs[0].font.color.rgb
    assert str(ink) == "000000"


def test_an_outlines_own_scale_is_checked(tmp_path):
    problems = _problems(_write(tmp_path, OWN.replace('"#FFD400"', '"yellow"')))
    assert any(":6:53: classification.levels[zastrzezone].colour: 'yellow' is not a colour" in p for p in problems), problems
    text = OWN.replace("{id: zastrzezone, label", "{id: jawne, label").replace("marking: zastrzezone", "marking: jawne")
    problems = _problems(_write(tmp_path, text))
    assert any(":6:12: classification.levels[jawne].id: level 'jawne' is already defined" in p for p in problems), problems


# ---------------------------------------------------------------- outlines without levels stay as they were


def test_a_free_classification_text_stays_a_footer_line_without_banners(tmp_path):
    out = tmp_path / "out"
    deckgen.build(MINI, out)
    deck = Presentation(str(out / "mini.pptx"))
    assert not [sh for s in deck.slides for sh in s.shapes if sh.name.startswith(BANNER)]
    assert any("Public" in sh.text_frame.text for s in deck.slides for sh in s.placeholders if sh.has_text_frame)
    assert "Public" in _pdf_text(out / "mini.pdf")  # in the running footer, as before
    plan = json.loads(deckgen.plan_json(MINI))["plan"]
    assert "banner" not in plan  # the plan (and the golden files) as before


def test_the_legacy_audience_classification_text_still_replaces_the_footer(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("audiences:\n", "audiences:\n  staff: {classification: For official use}\n")
    path = _write(tmp_path, text)
    deckgen.build(path, tmp_path / "out", audiences=["staff"])
    assert "For official use" in _pdf_text(tmp_path / "out" / "o-staff.pdf")


def test_classified_products_are_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        deckgen.build(FIXTURE, out, audiences=["ministry"])
    for name in ("classified-ministry.pptx", "classified-ministry.pdf"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


# ---------------------------------------------------------------- users' templates


def _on_template(tmp_path: Path, template: Path) -> Path:
    folder = tmp_path / "t"
    folder.mkdir(exist_ok=True)
    shutil.copy(template, folder / template.name)
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["theme"] = {"template": template.name}
    path = folder / "classified.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    deckgen.build(path, folder / "out", audiences=["ministry"], formats=("pptx",))
    return folder / "out" / "classified-ministry.pptx"


@pytest.mark.parametrize("name", ["python-pptx-default", "python-pptx-a4"])
def test_banners_on_a_users_template(tmp_path, corpus, name):
    problems = banner_problems(_on_template(tmp_path, corpus.template(name)), "RESTRICTED", COLOUR["restricted"])
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Midnightblue", "Candy", "Vintage"])
def test_banners_on_libreoffice_templates_render_clear(tmp_path, corpus, name):
    from PIL import Image

    from templates import check_words_in_boxes, hex_of, page_words, render_pdf, render_pngs, rgb_of, slide_boxes

    deck = _on_template(tmp_path, corpus.template(name))
    problems = banner_problems(deck, "RESTRICTED", COLOUR["restricted"])
    assert not problems, "\n".join(problems)
    pdf = render_pdf(deck, tmp_path / "render", tmp_path / "profile")
    words, boxes = page_words(pdf), slide_boxes(Presentation(str(deck)))
    problems = check_words_in_boxes(words, boxes)  # every word inside its shape: nothing pushed under a banner
    for n, (((pw, _), page), png) in enumerate(zip(words, render_pngs(pdf, tmp_path / "png")), 1):
        labels = [w for w in page if w["text"] == "RESTRICTED"]
        if len(labels) != 2:
            problems.append(f"slide {n}: the label is rendered {len(labels)} times")
        image = Image.open(png).convert("RGB")
        scale = image.size[0] / pw
        for w in labels:  # the label's colour against the band as rendered beside it
            band = image.getpixel((int((w["x0"] - 8) * scale), int((w["top"] + w["bottom"]) / 2 * scale)))
            ratio = Colour(hex_of(rgb_of(w["non_stroking_color"]))).contrast(Colour(hex_of(band)))
            if hex_of(band) != COLOUR["restricted"] or ratio < 4.5:
                problems.append(f"slide {n}: the label on #{hex_of(band)} reads {ratio:.2f}:1")
    assert not problems, "\n".join(problems)


def test_a_classified_brief_still_paginates_cleanly(tmp_path):
    """The default outline at `internal`: banners on its nine pages, the footer moved up, pagination rules kept."""
    import briefgen
    import pagecheck

    from deckgen.chartcache import ChartStore
    from deckgen.layout.brief import plan_brief
    from deckgen.outline import load_bytes
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting
    from deckgen.writers.pdf import write_brief

    data = yaml.safe_load((ROOT / "outlines" / "us-japan-2024.yaml").read_text(encoding="utf-8"))
    data["meta"]["classification"] = "internal"
    for audience in data["audiences"].values():
        audience.pop("classification", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    outline = load_bytes(text, "internal.yaml", ROOT / "outlines").outline
    ctx = typesetting(load_theme(), language=outline.meta.language)
    plan, _ = plan_brief(outline, ctx)
    assert plan.banner is not None and plan.banner.label == "INTERNAL"
    pdf = write_brief(plan, ctx, 1713484800, ChartStore(ctx.theme).pdf)
    (tmp_path / "b.pdf").write_bytes(pdf)
    assert not page_banner_problems(tmp_path / "b.pdf", "INTERNAL")
    dumped = outline.model_dump(mode="json")
    report = pagecheck.check(pdf, plan.page, body_size=float(plan.body_size), runin_heads=briefgen.runin_heads(dumped),
                             urls=briefgen.urls(dumped))
    assert report.violations == [], report.summary()


def test_the_audiences_table_shows_each_audiences_level_first():
    names, rows = deckgen.audience_table(deckgen.load(FIXTURE))
    assert names == ["public", "ministry"] and rows[0] == ("classification", ["public", "restricted"])
    assert deckgen.audience_table(deckgen.load(MINI))[1][0][0] != "classification"


TRANSLATED = """\
meta: {title: T, date: 2024-04-19, language: en}
lead: The lead.
sections:
  - id: a
    title: Open
    points:
      - id: p1
        text: A point
        points:
          - Open sub-point
          - text: Marked sub-point
            marking: restricted
    boxes:
      - title: Open box
        text: x
      - title: Marked box
        text: y
        marking: restricted
translations:
  pl:
    lead: Wstęp.
    points:
      p1: {text: Punkt, points: [Jawny podpunkt, Zastrzeżony podpunkt]}
    sections:
      a: {title: Otwarte, boxes: [{title: Jawna ramka}, {title: Zastrzeżona ramka}]}
audiences:
  polska: {language: pl, classification: public}
"""


def test_a_translated_audience_is_checked_on_what_it_gets(tmp_path):
    # the audience reads every text in Polish: the marked items are still found, and located at their markings
    problems = _problems(_write(tmp_path, TRANSLATED))
    assert [p.split(": marked")[0].rsplit(":", 3)[-3:] for p in problems] == [
        ["12", "22", " sections[a].points[p1].points[1].marking"], ["18", "18", " sections[a].boxes[1].marking"]], problems


def test_a_translated_classification_line_never_lowers_the_banner(tmp_path):
    # meta.classification is a level id, not wording: a translation of it leaves the audience's level as it is
    text = (TRANSLATED.replace("language: en}", "language: en, classification: internal}")
            .replace("    lead: Wstęp.\n", "    lead: Wstęp.\n    meta: {classification: Jawne}\n")
            .replace("            marking: restricted\n", "").replace("        marking: restricted\n", "")
            .replace("{language: pl, classification: public}", "{language: pl}"))  # at the outline's level
    out = tmp_path / "out"
    deckgen.build(_write(tmp_path, text), out, audiences=["polska"])
    assert not banner_problems(out / "o-polska.pptx", "DO UŻYTKU WEWNĘTRZNEGO", COLOUR["internal"])
    assert not page_banner_problems(out / "o-polska.pdf", "DO UŻYTKU WEWNĘTRZNEGO")


def test_a_polish_audience_reads_its_banner_in_polish(tmp_path):
    text = (TRANSLATED.replace("            marking: restricted\n", "").replace("        marking: restricted\n", "")
            .replace("{language: pl, classification: public}", "{language: pl, classification: restricted}")
            .replace("audiences:\n", "audiences:\n  english: {classification: restricted}\n"))
    out = tmp_path / "out"
    deckgen.build(_write(tmp_path, text), out, all_audiences=True)
    assert not banner_problems(out / "o-polska.pptx", "ZASTRZEŻONE", COLOUR["restricted"])
    assert not page_banner_problems(out / "o-polska.pdf", "ZASTRZEŻONE")
    assert not banner_problems(out / "o-english.pptx", "RESTRICTED", COLOUR["restricted"])
    manifest = json.loads((out / "o.manifest.json").read_text(encoding="utf-8"))["audiences"]
    assert manifest["polska"]["classification"] == {"level": "restricted", "label": "ZASTRZEŻONE"}
