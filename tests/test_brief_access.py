"""The tagged brief: structure tree, reading order, artifacts, links, figures, tables, notes — read back the way
assistive technology reads it (poppler's `pdfinfo -struct-text`, pikepdf) and checked by the PDF/UA-1 validator."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

import deckgen
from conftest import DEFAULT
from test_brief_pdfa import _validator

ELEMENTS = Path(__file__).resolve().parent / "fixtures" / "elements" / "elements.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The default outline for every audience, and the outline that uses every element: the briefs."""
    out = tmp_path_factory.mktemp("access")
    deckgen.build(DEFAULT, out, formats=("pdf",))
    deckgen.build(DEFAULT, out, formats=("pdf",), all_audiences=True)
    deckgen.build(ELEMENTS, out, formats=("pdf",))
    return {p.stem: p for p in sorted(out.glob("*.pdf"))}


@pytest.fixture(scope="module")
def default(built) -> Path:
    return built["us-japan-2024"]


def struct_text(path: Path) -> list[tuple[int, str, str]]:
    """poppler's reading of the structure tree: (depth, role, text) per element, text joined from its own lines."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    items: list[list] = []
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if body.startswith('"') and items:
            items[-1][2] += body.strip('"')
        elif body and not body.startswith("/") and not body.startswith("Object "):
            items.append([depth, body.split(" ")[0].rstrip(":"), ""])
    return [tuple(i) for i in items]


def test_pdfinfo_says_tagged(default):
    info = subprocess.run(["pdfinfo", str(default)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)


@pytest.mark.parametrize("profile", ["PDF_UA_1", "PDF_A_2A"])
def test_every_audience_and_every_element_pass_pdfua_1_and_pdfa_2a(built, profile):
    page = _validator()
    assert len(built) >= 5  # the default, its audiences, the elements outline
    for name, path in built.items():
        report = page.validate_pdf(str(path), profile=profile)
        assert report.is_compliant, (name, [(f.rule_id, f.message) for f in report.failures])


def test_the_first_page_reads_in_order_with_its_roles(default):
    doc = deckgen.load(DEFAULT).outline
    meta = doc.meta
    items = struct_text(default)
    roles = [(d, r) for d, r, _ in items[:12]]
    assert roles == [(0, "Document"), (1, "P"), (1, "P"), (1, "H1"), (1, "P"), (1, "P"), (1, "P"), (1, "P"),
                     (1, "Sect"), (2, "H2"), (2, "L"), (3, "LI")]
    texts = [t for _, _, t in items]
    assert texts[1] == meta.series
    assert texts[2].startswith(f"{meta.number} · ")
    assert texts[3].replace("\u2013", "-") .startswith("What Are the Regional and Global")
    assert texts[5] == meta.authors[0] and texts[6] == meta.authors[1]  # the rail beside the standfirst, read first
    assert texts[7].startswith("Kishida Fumio")  # then the standfirst
    assert texts[9] == "KEY FIGURES"
    # the five key figures: a list of five items, value, label, source
    key = [i for i, (d, r, _) in enumerate(items) if r == "LI" and d == 3][:5]
    assert len(key) == 5 and items[key[0] + 2][2] == doc.key_figures[0].value
    # then the first section: heading, then its paragraphs
    first = next(i for i, (d, r, _) in enumerate(items) if r == "Sect" and i > 8 and items[i + 1][2] != "KEY FIGURES")
    assert items[first + 1][1] == "H2" and items[first + 1][2].startswith("Kishida in Washington")


def _marked(page: pikepdf.Page) -> list[tuple[str, str | None]]:
    """Every text-showing or XObject-drawing operator of the page with the marked content it is in: ("Artifact" or the
    tag with an MCID, or None when it is in neither)."""
    stack: list[tuple[str, bool]] = []
    found = []
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name in ("BMC", "BDC"):
            tag = str(operands[0])[1:]
            mcid = name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
            stack.append((tag, mcid))
        elif name == "EMC":
            stack.pop()
        elif name in ("Tj", "TJ", "'", '"', "Do"):
            where = None
            for tag, mcid in stack:
                if tag == "Artifact":
                    where = "Artifact"
                    break
                if mcid:
                    where = tag
            found.append((name, where))
    assert not stack, "unbalanced marked content"
    return found


def test_every_text_and_drawing_is_tagged_content_or_an_artifact(built):
    for name, path in built.items():
        with pikepdf.open(path) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                ops = _marked(page)
                assert ops and all(where is not None for _, where in ops), (name, n)
                assert any(where == "Artifact" for _, where in ops)  # the footer and page number


def test_page_numbers_and_footer_are_artifacts_not_content(default):
    text = " ".join(t for _, _, t in struct_text(default))
    printed = subprocess.run(["pdftotext", str(default), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"\b9\s*/\s*9\b", printed) and not re.search(r"\b9\s*/\s*9\b", text)
    assert "PISM Bulletin · " in printed and "PISM Bulletin · " not in text


def test_figures_carry_the_charts_alt_text_and_box(default):
    from deckgen.layout.brief import Figure, plan_brief
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting

    doc = deckgen.load(DEFAULT)
    plan, _ = plan_brief(doc.outline, typesetting(load_theme(), language=doc.outline.meta.language))
    alts = [b.alt for b in plan.blocks if isinstance(b, Figure)]
    with pikepdf.open(default) as pdf:
        figures = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]
        assert [str(f.Alt) for f in figures] == alts and len(alts) == 3
        for f in figures:
            assert len(f.A.BBox) == 4 and f.A.O == "/Layout"
            # the chart's form is drawn inside the figure's marked content
            page = pikepdf.Page(f.Pg)
            assert ("Do", "Figure") in _marked(page)
    items = struct_text(default)
    i = next(k for k, (_, r, _) in enumerate(items) if r == "Figure")
    assert [r for _, r, _ in items[i - 2 : i + 2]] == ["Div", "Caption", "Figure", "Table"]  # its data: below
    assert items[i - 1][2].startswith("Figure 1.")
    source = next(k for k in range(i + 1, len(items)) if items[k][0] == items[i][0] and items[k][1] == "P")
    assert items[source][2].startswith("Source:")  # the figure's last part


def test_links_are_link_elements_with_descriptions(default):
    doc = deckgen.load(DEFAULT).outline
    with pikepdf.open(default) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        links = [(page, a) for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
        assert len(links) > 20
        for page, annot in links:
            assert str(annot.Contents).strip()
            elem = parents[int(annot.StructParent)]
            assert elem.S == "/Link" and elem.K[0].Type == "/OBJR" and elem.K[0].Obj.objgen == annot.objgen
            assert page.obj.Tabs == "/S"
        contents = [str(a.Contents) for _, a in links]
    first = doc.sources[0]
    assert any(c.startswith("[1] ") and deckgen.inline.plain(first.title)[:30] in c for c in contents)  # a citation
    assert any(first.url in c for c in contents)  # the source's own URL, under the sources


def test_lists_tables_and_notes_have_their_structure(built):
    items = struct_text(built["elements"])
    roles = [r for _, r, _ in items]
    # a bulleted list item: LI > Lbl (the bullet) + LBody (the text)
    bullets = [i for i, r in enumerate(roles) if r == "LI" and roles[i + 1] == "Lbl"]
    assert len(bullets) > 5
    for i in bullets:
        assert roles[i + 2] == "LBody" and re.fullmatch(r"\u2022|\u2013|\d+\.", items[i + 1][2]) and items[i + 2][2]
    # a table: caption first, then a header row of TH, then rows of TD
    t = roles.index("Table")
    assert roles[t + 1 : t + 4] == ["Caption", "TR", "TH"]
    # footnotes are Note elements with an ID, in the paragraph that cites them
    with pikepdf.open(built["elements"]) as pdf:
        notes = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Note"]
        assert notes and all(str(n.ID).startswith("note-") for n in notes)
        assert len({str(n.ID) for n in notes}) == len(notes)
        assert all(n.P.S in ("/P", "/LBody", "/TD", "/Caption", "/H2", "/H3", "/Document") for n in notes)
        asides = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Aside"]
        assert asides and pdf.Root.StructTreeRoot.RoleMap.Aside == "/Div"  # a box; PDF 1.7 readers see a Div
        quotes = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/BlockQuote"]
        assert quotes


def test_fonts_have_clean_unicode_maps_and_unique_subset_tags(built):
    for name, path in built.items():
        with pikepdf.open(path) as pdf:
            fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
                     and o.get("/Subtype") in ("/TrueType", "/Type0")]
            assert len(fonts) >= 3
            tags: dict[str, set] = {}
            for font in fonts:
                tags.setdefault(str(font.BaseFont)[1:7], set()).add(str(font.BaseFont))
                cmap = font.ToUnicode.read_bytes().decode("latin-1")
                assert not re.search(r"<[0-9A-F]+>\s*<(0000|FEFF|FFFE)>", cmap, re.I), (name, str(font.BaseFont))
            assert all(len(v) == 1 for v in tags.values()), (name, tags)


def test_the_validator_fails_a_brief_whose_structure_is_removed(default):
    data = default.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root.StructTreeRoot
        out = io.BytesIO()
        pdf.save(out)
    assert not _validator().validate_pdf_bytes(out.getvalue(), profile="PDF_UA_1").is_compliant


def _render_modes(page: pikepdf.Page) -> list[tuple[str | None, int]]:
    """(the innermost tag with an MCID, or None; the text render mode) of each text-showing operator of the page."""
    stack: list[str | None] = []
    mode, found = 0, []
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name in ("BMC", "BDC"):
            mcid = name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
            stack.append(str(operands[0])[1:] if mcid else (stack[-1] if stack else None))
        elif name == "EMC":
            stack.pop()
        elif name == "BT":
            mode = 0
        elif name == "Tr":
            mode = int(operands[0])
        elif name in ("Tj", "TJ"):
            found.append((stack[-1] if stack else None, mode))
    return found


def test_each_chart_offers_its_data_as_a_hidden_tagged_table(default):
    from deckgen.layout.brief import Figure, plan_brief
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting

    doc = deckgen.load(DEFAULT)
    plan, _ = plan_brief(doc.outline, typesetting(load_theme(), language=doc.outline.meta.language))
    figures = [b for b in plan.blocks if isinstance(b, Figure)]
    items = struct_text(default)
    starts = [i for i, (_, r, _) in enumerate(items) if r == "Figure"]
    assert len(starts) == len(figures) == 3
    for fig, i in zip(figures, starts):
        depth = items[i][0]
        assert items[i + 1][1] == "Table" and items[i + 1][0] == depth  # beside the figure, after it
        assert items[i + 2][1:] == ("Caption", fig.data.caption)
        rows = []
        for d, role, text in items[i + 3 :]:
            if d <= depth:
                break
            if role == "TR":
                rows.append([])
            elif role in ("TH", "TD"):
                rows[-1].append(text)
        assert rows == [list(fig.data.header), *map(list, fig.data.rows)]
    with pikepdf.open(default) as pdf:
        modes = [m for page in pdf.pages for m in _render_modes(page)]
    cells = sum(1 for fig in figures for row in (fig.data.header, *fig.data.rows) for cell in row if cell)
    # every hidden cell and caption is drawn invisibly (a cell may take two runs: a fallback face)
    assert sum(1 for tag, mode in modes if tag in ("TH", "TD") and mode == 3) >= cells
    assert sum(1 for tag, mode in modes if tag == "Caption" and mode == 3) >= len(figures)
    assert not [m for m in modes if m[1] not in (0, 3)]
    # nothing else is invisible: the visible table's cells and every paragraph are drawn (mode 0)
    assert all(mode == 0 for tag, mode in modes if tag in ("P", "H1", "H2", "LBody", "Lbl"))
    assert sum(1 for tag, mode in modes if tag == "TD" and mode == 0) > 10  # the EDCA table, visible


def test_chart_data_none_leaves_the_figure_alone_and_annex_tags_visible_tables(tmp_path):
    text = DEFAULT.read_text(encoding="utf-8")
    assert "\nbrief:" not in text
    for option in ("none", "annex"):
        outline = tmp_path / f"{option}.yaml"
        outline.write_text(text + f"\nbrief:\n  chart_data: {option}\n", encoding="utf-8")
        deckgen.build(outline, tmp_path, formats=("pdf",))
    none, annex = struct_text(tmp_path / "none.pdf"), struct_text(tmp_path / "annex.pdf")
    for items in (none, annex):
        i = next(k for k, (_, r, _) in enumerate(items) if r == "Figure")
        assert items[i + 1][1] == "P"  # the source follows the chart: no hidden table
    assert sum(1 for _, r, _ in annex if r == "Table") == sum(1 for _, r, _ in none if r == "Table") + 3
    assert any(r == "H2" and t == "Chart data" for _, r, t in annex)
    for path in (tmp_path / "none.pdf", tmp_path / "annex.pdf"):
        assert _validator().validate_pdf(str(path), profile="PDF_UA_1").is_compliant


def test_the_hidden_data_sits_in_the_margin_and_never_mixes_with_the_charts_words(default):
    """Invisible, on the page, right of the text column beside its chart: text extraction keeps the chart's own words
    whole (the hidden row 'Japan 783.3' drawn over the chart would have read 'Ja783.3pan')."""
    import pdfplumber

    from deckgen.layout.brief import PageGeometry

    checked = False
    with pdfplumber.open(default) as doc:
        for page in doc.pages:
            column_right = page.width - PageGeometry.right
            tiny = [c for c in page.chars if c["size"] < 1.5]
            assert all(column_right < c["x0"] and c["x1"] < page.width for c in tiny)
            words = {w["text"] for w in page.extract_words()}
            if "Canada" in "".join(c["text"] for c in tiny):  # Figure 2's page: its bars' labels and values
                checked = True
                assert {"Japan", "Canada", "Germany", "783.3", "749.6"} <= words
                assert not [w for w in words if re.search(r"[A-Za-z]\d|\d[A-Za-z]", w)]  # nothing glued together
    assert checked
def test_a_text_left_untranslated_carries_its_own_language(tmp_path):
    """An audience reading Polish gets a section whose translation is missing: that heading, its intro and its first
    point are read as English (/Lang en-GB on their elements) in a brief whose /Lang is pl; the rest is Polish."""
    import yaml

    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    pl = data["translations"]["pl"]
    del pl["sections"]["visit"]
    del pl["points"]["p-visit"]
    outline = tmp_path / "partial.yaml"
    outline.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = deckgen.build(outline, tmp_path, formats=("pdf",), audiences=["ministerstwo"])
    assert any("not translated into 'pl'" in w.message for w in result.warnings)
    source = data["meta"]["language"]
    with pikepdf.open(tmp_path / "partial-ministerstwo.pdf") as pdf:
        assert str(pdf.Root.Lang) == "pl"
        tagged = {}
        for o in pdf.objects:
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem" and "/Lang" in o:
                tagged.setdefault(str(o.S), []).append(str(o.Lang))
    assert tagged.get("/H2") == [source]  # the one heading left in English
    assert source in tagged.get("/P", [])  # its intro and its first point
    assert all(v == [source] * len(v) for v in tagged.values())
    items = struct_text(tmp_path / "partial-ministerstwo.pdf")
    h2 = [t for _, r, t in items if r == "H2"]
    english = next(s for s in data["sections"] if s["id"] == "visit")["title"]
    assert english.replace("–", "") in [t.replace("–", "") for t in h2]
    assert _validator().validate_pdf(str(tmp_path / "partial-ministerstwo.pdf"), profile="PDF_UA_1").is_compliant
