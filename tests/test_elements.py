"""Images, quotes, boxes and comparisons (issue 14), end to end in both products, and their located errors."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import deckgen
from deckgen.errors import OutlineError

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="240" viewBox="0 0 400 240">
<rect width="400" height="240" fill="#eef2f7"/><rect x="20" y="60" width="140" height="120" fill="#1f4e79"/>
<text x="40" y="125" font-family="sans-serif" font-size="18" fill="#ffffff">Tokyo</text>
<rect x="240" y="60" width="140" height="120" fill="#c0504d"/>
<text x="250" y="125" font-family="sans-serif" font-size="18" fill="#ffffff">Washington</text></svg>"""

OUTLINE = """\
meta:
  title: Elements test
  date: 2024-04-19
lead: A brief that uses every element.
sections:
  - id: summit
    title: The summit
    intro: The leaders met in Washington.
    quotes:
      - text: "The alliance is a cornerstone of peace & security <in> the Indo-Pacific."
        by: Kishida Fumio
        role: Prime Minister of Japan
    points:
      - text: Command and control is upgraded
        detail: The two sides will upgrade their command and control frameworks.
      - Defence industry cooperation grows
    images: [map]
  - id: options
    title: Two ways forward
    kind: comparison
    columns:
      - title: Option A deepen
        text: Integrate command structures step by step.
        points: [Joint headquarters, Co-production of missiles]
      - title: Option B hedge
        points: [Bilateral only, Keep separate commands]
    boxes:
      - title: Key takeaway
        text: The alliance moves from coordination to integration.
        points: [Command upgraded, Industry linked]
  - id: three
    title: Three paths
    kind: comparison
    columns:
      - {title: Path one, points: [First way]}
      - {title: Path two, points: [Second way]}
      - {title: Path three, points: [Third way]}
  - id: pictures
    title: Pictures
    points: [A photo beside the points, Another point]
    charts: [spend]
    images: [photo, diagram]
  - id: said
    title: As said
    kind: quote
    points:
      - text: An old-style quotation stays a quote slide.
        points: [Someone Else]
charts:
  - id: spend
    kind: column
    title: Spending
    unit: "% of GDP"
    categories: ["2022", "2023"]
    series: [{name: Japan, values: [1.1, 1.4]}]
    source: Ministry of Defence
images:
  - id: map
    file: map.png
    alt: A blue map with a yellow circle marking Japan
    caption: The region
    credit: "© Example Agency"
    width: page
  - id: photo
    file: photo.jpg
    alt: A white rectangle on green
    caption: A photo
    credit: Photo by Someone
    place: beside
  - id: diagram
    file: diagram.svg
    alt: Two boxes, Tokyo and Washington
    caption: Tokyo and Washington
    credit: Drawn for deckgen
"""


def _files(folder: Path) -> None:
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (800, 500), (40, 90, 160, 255))  # with transparency: a soft mask in the brief (PDF/A-2 allows)
    ImageDraw.Draw(im).ellipse((250, 100, 550, 400), fill=(240, 200, 60, 120))
    im.save(folder / "map.png")
    im = Image.new("RGB", (600, 800), (120, 160, 90))
    ImageDraw.Draw(im).rectangle((100, 100, 500, 700), fill=(250, 250, 250))
    im.save(folder / "photo.jpg", quality=85)
    (folder / "diagram.svg").write_text(SVG, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("elements")
    _files(folder)
    (folder / "all.yaml").write_text(OUTLINE, encoding="utf-8")
    result = deckgen.build(folder / "all.yaml", folder / "out")
    assert not result.warnings, [str(w) for w in result.warnings]
    return folder / "out" / "all.pptx", folder / "out" / "all.pdf"


def _slides(pptx: Path):
    return list(Presentation(str(pptx)).slides)


def _texts(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def _pictures(slide):
    return [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE and sh.name.startswith("Picture")]


# ---------------------------------------------------------------- the deck


def test_deck_pictures_carry_their_alt_text(built):
    slides = _slides(built[0])
    found = {}
    for slide in slides:
        for pic in _pictures(slide):
            found[pic.name] = (slide, pic)
    assert set(found) == {"Picture: map", "Picture: photo", "Picture: diagram"}
    descr = {name: pic._element.nvPicPr.cNvPr.get("descr") for name, (_, pic) in found.items()}
    assert descr["Picture: map"] == "A blue map with a yellow circle marking Japan"
    assert descr["Picture: diagram"] == "Two boxes, Tokyo and Washington"
    # place: slide → a slide of its own, the caption as its title, the credit under the picture
    slide, pic = found["Picture: map"]
    assert slide.shapes.title.text == "The region"
    credit = next(sh for sh in slide.shapes if sh.name == "Credit")
    assert credit.text_frame.text == "© Example Agency"
    assert credit.top >= pic.top + pic.height - 10
    assert abs(pic.width / pic.height - 800 / 500) < 0.01  # aspect kept
    # place: beside → the section's bullets left, the picture right
    slide, pic = found["Picture: photo"]
    assert slide.shapes.title.text == "Pictures"
    assert "A photo beside the points" in _texts(slide)
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
    assert body.left + body.width <= pic.left
    # SVG: rasterised for the deck (python-pptx embeds PNG/JPEG), a PNG of the picture's aspect
    _, pic = found["Picture: diagram"]
    assert pic.image.content_type == "image/png"
    assert abs(pic.image.size[0] / pic.image.size[1] - 400 / 240) < 0.02
    # … and the SVG itself attached as PowerPoint 2016+ does (asvg:svgBlip), for clients that draw vector images
    slide, pic = found["Picture: diagram"]
    svg = pic._element.xpath(".//a:blip/a:extLst/a:ext/*[local-name()='svgBlip']")
    assert len(svg) == 1
    r_id = svg[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    part = slide.part.related_part(r_id)
    assert part.content_type == "image/svg+xml" and part.blob.decode("utf-8") == SVG


def test_deck_quotes_boxes_and_comparison(built):
    slides = _slides(built[0])
    texts = [_texts(s) for s in slides]
    quote = next(t for t in texts if "cornerstone" in t)
    assert "“The alliance is a cornerstone of peace & security <in> the Indo-Pacific.”" in quote
    assert "— Kishida Fumio, Prime Minister of Japan" in quote
    # the quote comes before the section's points
    assert texts.index(quote) < next(i for i, t in enumerate(texts) if "Command and control is upgraded" in t)
    old = next(t for t in texts if "old-style quotation" in t)
    assert "— Someone Else" in old
    box = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Key takeaway")
    assert "The alliance moves from coordination to integration." in _texts(box)
    assert "Industry linked" in _texts(box)
    assert any(sh.name == "Panel" for sh in box.shapes)
    # two columns: the built-in template's Comparison layout, headings and bodies in its placeholders
    two = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Two ways forward")
    assert two.slide_layout.name == "Comparison"
    held = {ph.placeholder_format.idx: ph.text_frame.text for ph in two.placeholders}
    assert held[1] == "Option A deepen" and held[3] == "Option B hedge"
    assert "Joint headquarters" in held[2] and "Keep separate commands" in held[4]
    heads = sorted((ph.left, ph.text_frame.text) for ph in two.placeholders if ph.placeholder_format.idx in (1, 3))
    assert heads[0][1] == "Option A deepen"
    # three columns: text boxes side by side
    three = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Three paths")
    boxes = sorted((sh.left, sh.text_frame.text) for sh in three.shapes if sh.name.startswith("Column") and "heading" in sh.name)
    assert [t for _, t in boxes] == ["Path one", "Path two", "Path three"]
    assert not [ph for ph in three.placeholders if ph.placeholder_format.idx in (1, 2, 3, 4)]


def test_openxml_audit_finds_the_deck_clean(built):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(built[0]))
    errors = [e for e in result.errors if "error" in str(getattr(e, "severity", "error")).lower()]
    assert result.is_valid and not errors, [str(e) for e in errors[:10]]


def test_long_comparisons_and_boxes_continue_on_cont_slides():
    """Rows of items that do not fit (even a little smaller) go on "(cont.)" slides, the headings repeated."""
    from deckgen.layout.deck import plan_deck
    from deckgen.layout.slides import BoxSlide, ComparisonSlide
    from deckgen.model import Outline
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting

    items = [f"Item {i} with a few words to wrap across the column" for i in range(24)]
    outline = Outline.model_validate({
        "meta": {"title": "T", "date": "2024-04-19"}, "lead": "L",
        "sections": [{"id": "c", "title": "Compared", "kind": "comparison",
                      "columns": [{"title": "A", "points": items}, {"title": "B", "points": items[:5]}],
                      "boxes": [{"title": "Box", "text": "Prose. " * 30, "points": items[:20]}]}]})
    plan, warnings = plan_deck(outline, typesetting(load_theme(), system_fonts=False))
    assert not warnings
    cmp = [s for s in plan.slides if isinstance(s, ComparisonSlide)]
    assert len(cmp) >= 2 and [s.continued for s in cmp] == [False] + [True] * (len(cmp) - 1)
    assert plain_text(cmp[1].title).endswith("(cont.)")
    shown = [plain_text(q.runs) for s in cmp for q in s.columns[0].body]
    assert shown == items  # every item once, in order
    assert [plain_text(q.runs) for s in cmp for q in s.columns[1].body] == items[:5]
    assert all(s.columns[0].heading == cmp[0].columns[0].heading for s in cmp)
    boxes = [s for s in plan.slides if isinstance(s, BoxSlide)]
    assert len(boxes) >= 2 and [plain_text(q.runs) for s in boxes for q in s.body][1:] == items[:20]


def plain_text(runs) -> str:
    return "".join(r.text for r in runs)


def test_deck_order_within_a_section(built):
    titles = [s.shapes.title.text for s in _slides(built[0]) if s.shapes.title is not None]
    # pictures section: points beside the photo, then the chart, then the SVG on its own slide
    i = titles.index("Pictures")
    assert titles[i + 1:i + 3] == ["Spending", "Tokyo and Washington"]
    # comparison section: the comparison slide, then its box
    assert titles.index("Key takeaway") == titles.index("Two ways forward") + 1


@pytest.mark.slow
def test_libreoffice_renders_every_new_slide(built, tmp_path):
    assert shutil.which("soffice"), "LibreOffice (soffice) is required — .ci/run installs libreoffice-impress"
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(built[0])], check=True, capture_output=True, timeout=240)
    rendered = tmp_path / "all.pdf"
    n = len(_slides(built[0]))
    with pdfplumber.open(rendered) as pdf:
        assert len(pdf.pages) == n
        pages = [p.extract_text() or "" for p in pdf.pages]
        images = [len(p.images) for p in pdf.pages]
    text = "\n".join(pages)
    for words in ("Kishida Fumio", "Option A deepen", "Option B hedge", "Path three", "Key takeaway",
                  "Example Agency", "Photo by Someone"):
        assert words in text, words
    for title in ("The region", "Tokyo and Washington"):  # the picture slides show their picture
        page = next(i for i, t in enumerate(pages) if t.lstrip().startswith(title))
        assert images[page] >= 1
    # every word LibreOffice draws lies inside the box of its shape (columns, box panel, credits measured right)
    from templates import check_words_in_boxes, page_words, slide_boxes

    problems = check_words_in_boxes(page_words(rendered), slide_boxes(Presentation(str(built[0]))))
    assert not problems, problems[:10]


# ---------------------------------------------------------------- the brief


def _words(pdf: Path):
    with pdfplumber.open(pdf) as doc:
        return [(i, p.extract_words(), p.extract_text() or "", p.images) for i, p in enumerate(doc.pages)]


def test_brief_figures_are_numbered_with_the_charts(built):
    pages = _words(built[1])
    text = "\n".join(t for _, _, t, _ in pages)
    assert "Figure 1." in text and "The region" in text and "© Example Agency" in text
    assert "Figure 2." in text and "Spending" in text  # the chart: numbered in the same sequence
    assert "Figure 3." in text and "A photo" in text and "Photo by Someone" in text
    assert "Figure 4." in text and "Tokyo and Washington" in text and "Drawn for deckgen" in text
    # PNG and JPEG as images; the SVG as vector drawing (its text is text in the PDF)
    assert sum(len(imgs) for *_, imgs in pages) == 2
    assert "Washington" in text.replace("Tokyo and Washington", "")
    # width: page spans rail and column: wider than the 310 pt column
    page_with_map = next(imgs for *_, t, imgs in pages if "The region" in t)
    widths = sorted(img["x1"] - img["x0"] for img in page_with_map)
    assert widths[-1] > 400
    # width: column: the photo is the text column's width, its caption in the rail to its left
    i, words, _, imgs = next(p for p in pages if "Photo by Someone" in p[2])
    photo = max(imgs, key=lambda im: im["x1"] - im["x0"])
    assert abs((photo["x1"] - photo["x0"]) - 310) < 1
    credit = next(w for w in words if w["text"] == "Someone")
    assert credit["x1"] < photo["x0"]


def test_brief_quote_box_and_comparison(built):
    pages = _words(built[1])
    text = "\n".join(t for _, _, t, _ in pages)
    assert "— Kishida Fumio, Prime Minister of Japan" in text
    assert "<in>" in text  # text is data: no markup
    assert "Key takeaway" in text and "The alliance moves from coordination to integration." in text
    # the columns side by side: headings on one line, left to right
    for first, second in (("A", "B"), ):
        words = next(w for _, w, t, _ in pages if "Option A" in t)
        a = next(w for w in words if w["text"] == first)
        b = next(w for w in words if w["text"] == second)
        assert abs(a["top"] - b["top"]) < 1 and a["x0"] < b["x0"]
    words = next(w for _, w, t, _ in pages if "Path three" in t)
    tops = {w["text"]: (round(w["top"]), w["x0"]) for w in words if w["text"] in ("one", "two", "three")}
    assert len({t for t, _ in tops.values()}) == 1
    assert tops["one"][1] < tops["two"][1] < tops["three"][1]


@pytest.mark.parametrize("profile", ["PDF_A_2A", "PDF_UA_1"])
def test_brief_with_every_element_stays_pdfa_2a_and_pdfua_1(built, profile):
    """Pictures (one with an alpha channel), an SVG whose text svglib would set in an unembedded standard font, boxes,
    comparisons, quotes, tables, footnotes: all tagged."""
    from test_brief_pdfa import _validator

    report = _validator().validate_pdf_bytes(built[1].read_bytes(), profile=profile)
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_builds_are_deterministic(built, tmp_path):
    folder = built[0].parent.parent
    again = deckgen.build(folder / "all.yaml", tmp_path)
    assert not again.warnings
    assert (tmp_path / "all.pptx").read_bytes() == built[0].read_bytes()
    assert (tmp_path / "all.pdf").read_bytes() == built[1].read_bytes()


def test_comparison_on_a_template_without_a_comparison_layout(tmp_path):
    """A template whose only layouts are a cover, a text layout and a title-only layout: the columns in text boxes."""
    from templates import make_python_pptx_default

    tpl = make_python_pptx_default(tmp_path / "plain.pptx")
    prs = Presentation(str(tpl))
    keep = {"Title Slide", "Title and Content", "Title Only", "Section Header"}
    lst = prs.slide_masters[0].slide_layouts
    for layout in [lay for lay in lst if lay.name not in keep]:
        lst.remove(layout)
    prs.save(str(tpl))
    _files(tmp_path)
    (tmp_path / "o.yaml").write_text(OUTLINE.replace("lead:", "theme: {template: plain.pptx}\nlead:", 1), encoding="utf-8")
    deckgen.build(tmp_path / "o.yaml", tmp_path / "out", formats=("pptx",))
    slides = _slides(tmp_path / "out" / "o.pptx")
    two = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Two ways forward")
    assert two.slide_layout.name == "Title Only"
    heads = [sh.text_frame.text for sh in two.shapes if sh.name.startswith("Column") and "heading" in sh.name]
    assert heads == ["Option A deepen", "Option B hedge"]


def test_comparison_uses_a_user_templates_comparison_layout(tmp_path):
    from templates import make_python_pptx_default

    make_python_pptx_default(tmp_path / "default.pptx")
    _files(tmp_path)
    (tmp_path / "o.yaml").write_text(OUTLINE.replace("lead:", "theme: {template: default.pptx}\nlead:", 1), encoding="utf-8")
    deckgen.build(tmp_path / "o.yaml", tmp_path / "out", formats=("pptx",))
    slides = _slides(tmp_path / "out" / "o.pptx")
    two = next(s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Two ways forward")
    assert two.slide_layout.name == "Comparison"
    texts = sorted((ph.left, ph.top, ph.text_frame.text) for ph in two.placeholders if ph.placeholder_format.idx != 0)
    assert [t for *_, t in texts][:2] == ["Option A deepen", "Integrate command structures step by step.\nJoint headquarters\nCo-production of missiles"]


# ---------------------------------------------------------------- located errors


def _errors(tmp_path: Path, text: str) -> list[str]:
    _files(tmp_path)
    (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(OutlineError) as exc:
        deckgen.load(tmp_path / "o.yaml")
    return [str(p) for p in exc.value.problems]


def test_missing_alt_is_located_with_the_fix(tmp_path):
    errors = _errors(tmp_path, OUTLINE.replace("    alt: A blue map with a yellow circle marking Japan\n", ""))
    assert len(errors) == 1
    assert errors[0].endswith("images[map].alt: missing — describe what the image shows for readers who cannot see it")
    line = OUTLINE.splitlines().index("  - id: map") + 1
    assert f"o.yaml:{line}:5: " in errors[0]


def test_bad_image_kinds_and_missing_files(tmp_path):
    from PIL import Image

    Image.new("RGB", (10, 10)).save(tmp_path / "anim.gif")
    (tmp_path / "fake.png").write_bytes((tmp_path / "anim.gif").read_bytes() if (tmp_path / "anim.gif").exists() else b"")
    text = (OUTLINE.replace("file: map.png", "file: anim.gif").replace("file: photo.jpg", "file: fotos.jpg")
            .replace("file: diagram.svg", "file: fake.png"))
    errors = _errors(tmp_path, text)
    joined = "\n".join(errors)
    assert "images[map].file: 'anim.gif' is not a PNG or JPEG or SVG file — use a file ending in .png, .jpg, .jpeg, .svg" in joined
    assert "images[photo].file: file 'fotos.jpg' not found" in joined
    assert "images[diagram].file: 'fake.png' is a GIF file, not PNG or JPEG" in joined
    assert len(errors) == 3


@pytest.mark.parametrize("svg, says", [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="https://example.org/x.png"/></svg>',
     "refers to 'https://example.org/x.png' outside itself"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
     '<image xlink:href="file:///etc/passwd"/></svg>', "outside itself"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>', "DOCTYPE"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(http://a.org/x.css);</style></svg>',
     "styles load files"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "has no size"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>', "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect></svg>', "not well-formed"),
])
def test_unsafe_or_broken_svg_is_refused(tmp_path, svg, says):
    _files(tmp_path)
    (tmp_path / "diagram.svg").write_text(svg, encoding="utf-8")
    (tmp_path / "o.yaml").write_text(OUTLINE, encoding="utf-8")
    with pytest.raises(OutlineError) as exc:
        deckgen.load(tmp_path / "o.yaml")
    errors = [str(p) for p in exc.value.problems]
    assert len(errors) == 1 and "images[diagram].file: 'diagram.svg': " in errors[0] and says in errors[0], errors


def test_four_columns_and_unknown_image_are_located(tmp_path):
    text = OUTLINE.replace("      - {title: Path three, points: [Third way]}\n",
                           "      - {title: Path three, points: [Third way]}\n      - {title: Path four}\n")
    text = text.replace("images: [photo, diagram]", "images: [photo, diagramm]")
    errors = _errors(tmp_path, text)
    assert any("sections[three].columns: a comparison has two or three columns, not 4" in e for e in errors)
    assert any("sections[pictures].images[1]: no image 'diagramm' — did you mean 'diagram'?" in e for e in errors)


def test_image_limits_apply(tmp_path):
    from deckgen import assets

    _files(tmp_path)
    big = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>" + b" " * (assets.MAX_SVG_BYTES + 1) + b"</svg>"
    (tmp_path / "diagram.svg").write_bytes(big)
    (tmp_path / "o.yaml").write_text(OUTLINE, encoding="utf-8")
    with pytest.raises(OutlineError) as exc:
        deckgen.load(tmp_path / "o.yaml")
    assert "the limit is 5.0 MB" in str(exc.value)


@pytest.mark.parametrize("path, says", [
    ("https://example.org/map.png", "is a URL; deckgen never downloads files"),
    ("../map.png", "points outside the outline's folder"),
    ("/etc/map.png", "is an absolute path"),
    ("out.png", "is a link to a file outside the outline's folder"),
])
def test_image_paths_follow_the_asset_rules(tmp_path, path, says):
    (tmp_path / "o").mkdir()
    (tmp_path / "secret.png").write_bytes(b"")
    (tmp_path / "o" / "out.png").symlink_to(tmp_path / "secret.png")
    errors = _errors(tmp_path / "o", OUTLINE.replace("file: map.png", f"file: {path}"))
    assert len(errors) == 1 and "images[map].file: " in errors[0] and says in errors[0], errors


def test_svg_with_an_embedded_png_and_beside_falls_back_to_its_own_slide(tmp_path):
    import base64

    _files(tmp_path)
    png = base64.b64encode((tmp_path / "map.png").read_bytes()).decode()
    (tmp_path / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">'
        f'<image width="200" height="100" xlink:href="data:image/png;base64,{png}"/></svg>', encoding="utf-8")
    many = "points: [" + ", ".join(f"Point {i}" for i in range(8)) + "]"
    text = OUTLINE.replace("points: [A photo beside the points, Another point]", many)
    (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
    result = deckgen.build(tmp_path / "o.yaml", tmp_path / "out")
    assert not result.warnings
    titles = [s.shapes.title.text for s in _slides(tmp_path / "out" / "o.pptx") if s.shapes.title is not None]
    assert "A photo" in titles  # eight points do not fit beside the photo: it has a slide of its own
    assert (tmp_path / "out" / "o.pdf").stat().st_size > 0


def test_watch_rebuilds_when_an_image_file_changes(tmp_path):
    import os

    from PIL import Image as PILImage

    def save_png(colour, bump):
        PILImage.new("RGB", (40, 30), colour).save(tmp_path / "pic.png")
        st = (tmp_path / "pic.png").stat()
        os.utime(tmp_path / "pic.png", ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))

    (tmp_path / "o.yaml").write_text(
        "meta: {title: T, date: 2024-04-19}\nlead: L\nsections: [{id: a, title: A, points: [p], images: [pic]}]\n"
        "images: [{id: pic, file: pic.png, alt: A grey square}]\n", encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(b"not a png")
    events = deckgen.watch(tmp_path / "o.yaml", tmp_path / "out", formats=("pptx",), interval=0.01, max_builds=2)
    first = next(events)
    assert first.result is None and "images[pic].file: 'pic.png'" in str(first.error)
    save_png((10, 200, 10), 1)  # only the image is saved
    second = next(events)
    assert second.error is None
    pic = next(sh for s in _slides(tmp_path / "out" / "o.pptx") for sh in _pictures(s))
    assert pic.image.size == (40, 30)
