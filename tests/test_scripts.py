"""Scripts: Arabic and Hebrew set right to left in deck and brief, fallback fonts found by fontconfig for the scripts in
the text, the outline's own fonts (theme.fonts) — built end to end and opened with the tools a reader uses."""
from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

import deckgen
from deckgen import fonts
from deckgen.build import outline_text
from deckgen.errors import OutlineError
from deckgen.scripts import visual
from deckgen.theme import load_theme
from deckgen.typeset import typesetting

AR_TITLE = "التعاون الأمني بين اليابان والولايات المتحدة"
AR_POINT = "وقّع الزعيمان اتفاقية جديدة في واشنطن لتعزيز التعاون الدفاعي"
AR_MIXED = "تشمل الاتفاقية إنتاج صواريخ Patriot المشترك"
HE_TITLE = "שיתוף הפעולה בין יפן לארצות הברית"
HE_POINT = "המנהיגים חתמו על הסכם חדש בוושינגטון"
AR_SERIES = "اليابان"


def _tool(name: str) -> str:
    """A command-line tool the test needs: a missing one fails the test (.ci/run installs poppler-utils, LibreOffice)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"'{name}' is not installed: .ci/run installs poppler-utils and LibreOffice")
    return path


def _outline(tmp_path: Path, language: str, title: str, points: list[str], extra: str = "") -> Path:
    body = "\n".join(f"      - text: \"{p}\"" for p in points)
    text = f"""meta:
  title: "{title}"
  language: {language}
  date: 2024-04-10
  authors: [Test Author]
lead: "{points[0]}"
sections:
  - id: s1
    title: "{title}"
    points:
{body}
    charts: [spend]
charts:
  - id: spend
    kind: column
    title: "{title}"
    unit: "{points[0].split()[0]}"
    source: Test
    categories: ["2022", "2023"]
    series:
      - name: "{AR_SERIES}"
        values: [40, 50]
      - name: Korea
        values: [38, 40]
{extra}"""
    path = tmp_path / f"outline-{language}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(path: Path, out: Path) -> tuple[bytes, bytes]:
    result = deckgen.build(path, out_dir=out)
    files = {p.suffix: p.read_bytes() for p in result.paths}
    return files[".pptx"], files[".pdf"]


def _paragraphs(pptx: bytes):
    prs = Presentation(io.BytesIO(pptx))
    for slide in prs.slides:
        for p in slide._element.iter(qn("a:p")):
            text = "".join(t.text or "" for t in p.iter(qn("a:t")))
            if text:
                yield p, text


def _pdftext(pdf: bytes) -> str:
    """pdftotext's text, compatibility forms folded (Arabic is drawn in its presentation forms), bidi marks dropped."""
    out = subprocess.run([_tool("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    out = unicodedata.normalize("NFKC", out)
    return " ".join("".join(c for c in out if c not in "\u202a\u202b\u202c\u202d\u202e").split())


def _pdffonts(pdf: bytes) -> list[str]:
    out = subprocess.run([_tool("pdffonts"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return out.splitlines()[2:]


def test_arabic_deck_paragraphs_rtl_with_cs_font_in_logical_order(tmp_path):
    pptx, _ = _build(_outline(tmp_path, "ar", AR_TITLE, [AR_POINT, AR_MIXED]), tmp_path / "out")
    seen = {}
    for p, text in _paragraphs(pptx):
        seen[text] = p
    for text in (AR_TITLE, AR_POINT, AR_MIXED):  # logical order in the XML, mixed text too
        assert text in seen, f"{text!r} not found as a paragraph"
        pPr = seen[text].find(qn("a:pPr"))
        assert pPr is not None and pPr.get("rtl") == "1" and pPr.get("algn") in ("r", "ctr"), text
        runs = [r for r in seen[text].iter(qn("a:r"))]
        cs = [r.find(f"{qn('a:rPr')}/{qn('a:cs')}") for r in runs]
        assert all(c is not None and c.get("typeface") == "DejaVu Sans" for c in cs), text
        assert all(r.find(qn("a:rPr")).get("lang") == "ar-EG" for r in runs)  # the outline's own language, with its likely region (CLDR)


def test_arabic_deck_renders_in_libreoffice(tmp_path):
    pptx, _ = _build(_outline(tmp_path, "ar", AR_TITLE, [AR_POINT]), tmp_path / "out")
    src = tmp_path / "deck.pptx"
    src.write_bytes(pptx)
    profile = tmp_path / "lo-profile"
    subprocess.run([_tool("soffice"), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], capture_output=True, check=True, timeout=240)
    text = _no_lam_alef(_pdftext((tmp_path / "deck.pdf").read_bytes()))
    assert _no_lam_alef(AR_TITLE) in text and _no_lam_alef(AR_POINT) in text  # shaped and ordered by LibreOffice


def _no_lam_alef(text: str) -> str:
    """Text without lam and the alefs: LibreOffice's PDF maps its lam-alef ligature glyph back to the two letters in
    drawing order (alef, lam), so words with the ligature read back scrambled though they are drawn right."""
    return "".join(c for c in text if c not in "لاأإآ")


def test_arabic_brief_joined_ordered_and_embedded(tmp_path):
    _, pdf = _build(_outline(tmp_path, "ar", AR_TITLE, [AR_POINT, AR_MIXED]), tmp_path / "out")
    text = "".join(_pdftext(pdf).split())  # pdftotext puts the space before an embedded Latin word inside it
    for item in (AR_TITLE, AR_POINT, AR_MIXED):
        assert "".join(item.split()) in text, item
    raw = subprocess.run([_tool("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "\ufe8d\ufedf" in raw  # drawn joined: alef (isolated) + lam (initial form) of "ال"
    rows = _pdffonts(pdf)
    assert any("DejaVuSans" in r for r in rows) and all(r.split()[-5] == "yes" for r in rows)


def test_hebrew_in_an_english_outline_both_products(tmp_path):
    path = _outline(tmp_path, "en", "Cooperation: " + HE_TITLE, [HE_POINT, "An English point"])
    pptx, pdf = _build(path, tmp_path / "out")
    paras = {text: p for p, text in _paragraphs(pptx)}
    he = paras[HE_POINT]
    assert he.find(qn("a:pPr")).get("rtl") == "1"
    run = next(he.iter(qn("a:r")))
    assert run.find(qn("a:rPr")).get("lang") == "he-IL"  # another language than the outline's
    assert run.find(f"{qn('a:rPr')}/{qn('a:cs')}").get("typeface") == "DejaVu Sans"
    mixed = paras["Cooperation: " + HE_TITLE]  # starts left to right: stays a left-to-right paragraph
    assert (mixed.find(qn("a:pPr")) is None or mixed.find(qn("a:pPr")).get("rtl") is None)
    english = paras["An English point"]
    assert english.find(qn("a:pPr")) is None or english.find(qn("a:pPr")).get("rtl") is None
    text = _pdftext(pdf)
    assert HE_POINT in text and "An English point" in text


def test_visual_order_of_a_line():
    assert visual("abc") == "abc"
    assert visual("שלום") == "םולש"
    assert visual("abc שלום def") == "abc םולש def"  # mixed: the Hebrew run reversed in place
    assert visual("שלום 2024") == "2024 םולש"  # digits stay left to right
    assert visual("سلام")[0] == "\ufee1"  # joined: the final meem drawn first (leftmost)


def test_default_outline_asks_fontconfig_nothing():
    doc = deckgen.load(None)
    before = fonts.FC_CALLS[0]
    ctx = typesetting(load_theme(), text=outline_text(doc))
    assert fonts.FC_CALLS[0] == before  # Carlito and the bundled DejaVu Sans draw every character
    assert [f.path.name for f in ctx.fonts.fallbacks] == ["DejaVuSans.ttf"]


def test_cjk_found_through_fontconfig_once_per_script(tmp_path):
    text = "岸田文雄 and 東京"
    before = fonts.FC_CALLS[0]
    ctx = typesetting(load_theme(), text=text)
    calls = fonts.FC_CALLS[0] - before
    assert calls <= 1  # one call for the CJK script (none when cached by an earlier test)
    found = [f for f in ctx.fonts.fallbacks if f.path.name != "DejaVuSans.ttf"]
    assert found and fonts.drawable_all("岸田文雄東京", tuple(found)), "install a CJK font (fonts-noto-cjk; .ci/run does)"
    again = fonts.FC_CALLS[0]
    typesetting(load_theme(), text="京都")
    assert fonts.FC_CALLS[0] == again  # the script's answer is cached for the process
    path = _outline(tmp_path, "en", "Visit of 岸田文雄", ["Tokyo 東京 talks", "Second point"])
    _, pdf = _build(path, tmp_path / "out")
    assert "岸田文雄" in _pdftext(pdf)
    assert any(found[0].path.stem.split("-")[0] in r for r in _pdffonts(pdf))


def _own_font(tmp_path: Path) -> Path:
    src = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
    if not src.is_file():
        pytest.fail("DejaVu Sans Mono is not installed: .ci/run installs fonts-dejavu-core")
    dst = tmp_path / "fonts" / "mono.ttf"
    dst.parent.mkdir(exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def test_theme_fonts_tried_first_in_brief_and_named_in_deck(tmp_path):
    _own_font(tmp_path)
    path = _outline(tmp_path, "en", "Checks ✓ and arrows", ["Done ✓", "Second point"],
                    extra="theme:\n  fonts: [fonts/mono.ttf]\n")
    pptx, pdf = _build(path, tmp_path / "out")
    assert any("DejaVuSansMono" in r for r in _pdffonts(pdf))
    assert "Done ✓" in _pdftext(pdf)
    run = next(r for p, text in _paragraphs(pptx) if text == "Done ✓" for r in p.iter(qn("a:r")))
    assert run.find(f"{qn('a:rPr')}/{qn('a:latin')}").get("typeface") == "DejaVu Sans Mono"


@pytest.mark.parametrize("entry, expected", [
    ("fonts/missing.ttf", "not found in"),
    ("notes.txt", "is not a TrueType or OpenType file"),
    ("fake.ttf", "is not a TrueType or OpenType font"),
    ("nocmap.ttf", "has no Unicode character map"),
])
def test_bad_theme_font_is_a_located_error(tmp_path, entry, expected):
    from fontTools.ttLib import TTFont

    good = _own_font(tmp_path)
    (tmp_path / "notes.txt").write_text("not a font")
    (tmp_path / "fake.ttf").write_text("not a font either")
    tt = TTFont(str(good))
    del tt["cmap"]
    tt.save(str(tmp_path / "nocmap.ttf"))
    path = _outline(tmp_path, "en", "Title", ["Point"], extra=f"theme:\n  fonts: [fonts/mono.ttf, {entry}]\n")
    with pytest.raises(OutlineError) as info:
        deckgen.load(path)
    problems = info.value.problems
    assert len(problems) == 1 and problems[0].path == "theme.fonts[1]" and expected in problems[0].message, problems
    assert str(problems[0]).startswith(f"{path}:") and problems[0].line > 0


def test_theme_font_draws_cjk_in_brief_charts_and_is_named_east_asian_in_deck(tmp_path):
    found = fonts.system_fallbacks("岸田文雄")  # an installed CJK face, as fontconfig finds it (no fixed path)
    assert found, "install a CJK font (fonts-noto-cjk; .ci/run does)"
    (tmp_path / "kishida.ttf").write_bytes(fonts.truetype_subset(fonts.font_file(found[0]), "岸田文雄", "KishidaSans"))
    path = tmp_path / "own.yaml"
    path.write_text("""meta: {title: "Visit of 岸田文雄", language: en, date: 2024-04-10, authors: [Test Author]}
lead: Prime Minister 岸田文雄 visited Washington.
theme: {fonts: [kishida.ttf]}
sections:
  - {id: s1, title: Points, points: [{text: "岸田 met the president."}], charts: [c]}
charts:
  - {id: c, kind: column, title: Visits, unit: n, source: Test, categories: ["岸田", "文雄"],
     series: [{name: visits, values: [3, 4]}]}
""", encoding="utf-8")
    pptx, pdf = _build(path, tmp_path / "out")
    rows = [r for r in _pdffonts(pdf) if "KishidaSans" in r]
    assert len(rows) == 2  # the brief's text and the chart (matplotlib's embedded subset) both use the outline's font
    assert "岸田文雄" in _pdftext(pdf)
    run = next(r for p, text in _paragraphs(pptx) if text == "岸田 met the president." for r in p.iter(qn("a:r")))
    assert run.find(f"{qn('a:rPr')}/{qn('a:ea')}").get("typeface") == fonts.family_name(fonts.FontFile(tmp_path / "kishida.ttf"))


def test_rtl_paragraph_lines_end_at_the_right_edge_of_the_column(tmp_path):
    import pdfplumber

    long = " ".join([HE_POINT] * 6)
    _, pdf = _build(_outline(tmp_path, "he", HE_TITLE, [long, HE_POINT]), tmp_path / "out")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = [w for w in doc.pages[0].extract_words() if any("\u05d0" <= c <= "\u05ea" for c in w["text"])
                 and w["x1"] > 300]  # the text column (the rail's caption is left of it)
    lines: dict[float, list] = {}
    for w in words:
        lines.setdefault(round(w["top"]), []).append(w)
    body = [ws for ws in lines.values() if len(ws) >= 3]  # the lead's and the points' lines (more than a title word)
    rights = [max(w["x1"] for w in ws) for ws in body]
    assert len(body) >= 6 and max(rights) - min(rights) < 15  # flush right: bullets' text 12 pt in, lead and points
    column = max(rights)
    assert sum(abs(r - column) < 1 for r in rights) >= 4  # justified lines and last lines alike end at the edge
