"""`deckgen import`: Word and Markdown documents become outlines that validate and build — the seed bulletin keeps
every heading and every link; a Word file made from it gives the same outline plus its list, table and picture;
what has no place is kept as a comment; bad input is one clear error."""
from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import docx
import pptx
import pytest
import yaml
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from markdown_it import MarkdownIt
from PIL import Image
from pypdf import PdfReader

import deckgen
from deckgen.cli import cli
from deckgen.importing.yamlout import dump

HERE = Path(__file__).parent
BULLETIN = HERE / "fixtures" / "import" / "us-japan-cooperation-2024.md"
README = HERE.parent / "README.md"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)\)")


def _import(src: Path, out: Path, **kw) -> dict:
    deckgen.import_document(src, out, **kw)
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def _png(width=320, height=200) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 60, 110)).save(buf, "PNG")
    return buf.getvalue()


def _built(outline: Path, out: Path) -> None:
    """Build deck and brief: no warning, and both files open."""
    result = deckgen.build(outline, out)
    assert result.warnings == [], [str(w) for w in result.warnings]
    assert len(pptx.Presentation(str(out / f"{outline.stem}.pptx")).slides) >= 3
    assert len(PdfReader(out / f"{outline.stem}.pdf").pages) >= 1


# --- the seed bulletin, as Markdown --------------------------------------------------------------------------------


def test_the_bulletin_keeps_every_heading_and_link(tmp_path):
    data = _import(BULLETIN, tmp_path / "bulletin.yaml")
    text = (tmp_path / "bulletin.yaml").read_text(encoding="utf-8")
    source = BULLETIN.read_text(encoding="utf-8")
    # the source, read on its own: headings, bold run-in heads, links
    headings = re.findall(r"^#{1,6} +(.+?) *$", source, re.MULTILINE)
    run_ins = [h.rstrip(".") if not h.endswith("U.S.") else h for h in re.findall(r"^\*\*(.+?)\*\*", source, re.MULTILINE)]
    links = LINK.findall(source)
    assert headings[0] == data["meta"]["title"]
    titles = [s["title"] for s in data["sections"]]
    for h in headings[1:]:  # the other heading, "PISM BULLETIN", is a page header inside a sentence: kept as a comment
        assert h in titles or re.search(rf"^ *# +{re.escape(h)}$", text, re.MULTILINE), h
    assert "# PISM BULLETIN" not in source.split("\n\n")[0] and "  #   PISM BULLETIN" in text
    assert titles == ["Introduction", *run_ins]  # no headings under the title: run-in heads open the sections
    assert [s["kind"] for s in data["sections"] if "kind" in s] == ["conclusions"]
    assert data["meta"]["authors"] == ["Oskar Pietrewicz", "Damian Wnukowski"]
    assert data["lead"].startswith("The first state visit of the Japanese prime minister")
    # every link a source: by address where it has one, by its text where it points nowhere ("#")
    sources = data["sources"]
    assert [s["id"] for s in sources] == [f"s{i}" for i in range(1, len(sources) + 1)]
    expected = list(dict.fromkeys(url if url.startswith("http") else " ".join(t.split()).lower() for t, url in links))
    assert [s.get("url") or s["title"].lower() for s in sources] == expected
    assert len(sources) == 14
    cited = [sid for s in data["sections"] for p in s["points"] for sid in p.get("sources", [])]
    assert sorted(cited, key=lambda x: int(x[1:])) == [s["id"] for s in sources]  # each cited by the point it is in
    # no sentence lost: every word of the body is in the outline, in order
    words = lambda t: re.findall(r"[A-Za-z0-9]+", t)
    body = [w for w in words(LINK.sub(r"\1", source)) if w not in ("PISM", "BULLETIN")]
    got = words(" ".join([data["meta"]["title"], " ".join(data["meta"]["authors"]), data["lead"]] + [
        " ".join([s["title"], *(f"{p['text']} {p.get('detail', '')}" for p in s["points"])]) for s in data["sections"]]))
    assert [w for w in got if w != "Introduction"] == body


def test_the_bulletin_builds_and_the_import_is_deterministic(tmp_path):
    out = tmp_path / "bulletin.yaml"
    deckgen.import_document(BULLETIN, out)
    first = out.read_bytes()
    assert first.startswith(b"# Imported by `deckgen import` from us-japan-cooperation-2024.md (Markdown).")
    _built(out, tmp_path / "build")
    deckgen.import_document(BULLETIN, out, force=True)
    assert out.read_bytes() == first


# --- a Word file made from the bulletin ----------------------------------------------------------------------------


def _hyperlink(paragraph, text: str, url: str, bold=False):
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    if bold:
        props = OxmlElement("w:rPr")
        props.append(OxmlElement("w:b"))
        run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _inline(paragraph, token) -> None:
    bold = italic = False
    href = None
    for child in token.children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "link_open":
            href = child.attrs["href"]
        elif child.type == "link_close":
            href = None
        elif child.type in ("text", "softbreak"):
            text = child.content if child.type == "text" else " "
            if href:
                _hyperlink(paragraph, text, href, bold)
            else:
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None


def make_docx(path: Path, markdown: str, extra: bool = True) -> None:
    """A Word document with the Markdown's headings, paragraphs (bold run-ins, links) — and, with `extra`, a section
    with a run-in point, a bulleted list, a captioned table, a picture with alt text and a real hyperlink."""
    d = docx.Document()
    d.core_properties.title = "What are the Regional and Global Consequences of U.S.-Japan Cooperation?"
    d.core_properties.author = "Oskar Pietrewicz; Damian Wnukowski"
    import datetime as dt
    d.core_properties.created = dt.datetime(2024, 4, 29, 9, 0)
    tokens = MarkdownIt("commonmark").parse(markdown)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            _inline(d.add_heading("", int(tok.tag[1:])), tokens[i + 1])
        elif tok.type == "paragraph_open":
            _inline(d.add_paragraph(), tokens[i + 1])
    if extra:
        d.add_heading("Sites and figures", 1)
        p = d.add_paragraph()
        p.add_run("EDCA sites.").bold = True
        p.add_run(" The Philippines opened four more sites to U.S. forces in 2023; see ")
        _hyperlink(p, "the joint statement", "https://www.whitehouse.gov/briefing-room/statements-releases/2024/04/11/joint-vision-statement/")
        p.add_run(".")
        d.add_paragraph("What the sites give the alliance:")
        d.add_paragraph("Access close to the Taiwan Strait", style="List Bullet")
        d.add_paragraph("Room for rotating U.S. forces", style="List Bullet")
        d.add_paragraph("Four of the nine sites are in northern Luzon", style="List Bullet 2")
        d.add_paragraph("Table 1. EDCA sites by year agreed")
        t = d.add_table(rows=3, cols=3)
        for r, row in enumerate([("Year", "Sites", "Where"), ("2016", "5", "Luzon, Palawan, Mindanao"), ("2023", "4", "Northern Luzon, Palawan")]):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
        d.add_paragraph().add_run().add_picture(io.BytesIO(_png()), width=Inches(3))
        d.inline_shapes[0]._inline.docPr.set("descr", "Map of the Philippines with the nine EDCA sites marked")
        d.add_paragraph("Figure 1. The EDCA sites")
    d.save(str(path))


def test_a_word_file_gives_the_same_outline_plus_its_list_table_and_picture(tmp_path):
    markdown = BULLETIN.read_text(encoding="utf-8")
    make_docx(tmp_path / "bulletin.docx", markdown)
    from_md = _import(BULLETIN, tmp_path / "md.yaml")
    from_docx = _import(tmp_path / "bulletin.docx", tmp_path / "docx.yaml")
    meta = from_docx["meta"]
    assert (meta["title"], meta["authors"], str(meta["date"])) == (from_md["meta"]["title"], from_md["meta"]["authors"], "2024-04-29")
    assert from_docx["lead"] == from_md["lead"]
    assert from_docx["sections"][:-1] == from_md["sections"]  # same sections, points, citations
    assert from_docx["sources"][:-1] == from_md["sources"]
    extra = from_docx["sections"][-1]
    assert (extra["id"], extra["title"]) == ("sites-figures", "Sites and figures")
    run_in, listed = extra["points"]
    assert run_in["text"] == "EDCA sites"  # the bold run-in head; the rest is the detail, its link kept inline
    assert run_in["detail"].startswith("The Philippines opened four more sites to U.S. forces in 2023; see [the joint statement](https://www.whitehouse.gov/")
    assert run_in["sources"] == ["s15"] and from_docx["sources"][-1]["url"].startswith("https://www.whitehouse.gov/")
    assert listed == {"text": "What the sites give the alliance:", "points": [
        "Access close to the Taiwan Strait", "Room for rotating U.S. forces", "Four of the nine sites are in northern Luzon"]}
    (table,) = from_docx["tables"]
    assert table == {"id": "edca-sites-by-year-agreed", "title": "EDCA sites by year agreed", "columns": ["Year", "Sites", "Where"],
                     "rows": [["2016", "5", "Luzon, Palawan, Mindanao"], ["2023", "4", "Northern Luzon, Palawan"]]}
    (image,) = from_docx["images"]
    assert image["alt"] == "Map of the Philippines with the nine EDCA sites marked" and image["caption"] == "The EDCA sites"
    assert (tmp_path / image["file"]).read_bytes().startswith(b"\x89PNG") and image["file"].startswith("docx-images/")
    assert extra["tables"] == [table["id"]] and extra["images"] == [image["id"]]
    _built(tmp_path / "docx.yaml", tmp_path / "build")


# --- Markdown with a table, a picture and what has no place ----------------------------------------------------------

MARKDOWN = """\
# Współpraca Polski i Japonii

*Bezpieczeństwo, handel i inwestycje*

Anna Kowalska

29 kwietnia 2024

Pierwszy akapit to **streszczenie**: Polska i Japonia zacieśniają współpracę w dziedzinie bezpieczeństwa, a
rozmowy o [uzbrojeniu](https://www.gov.pl/web/obrona-narodowa) trwają.

## Handel i inwestycje

**Inwestycje rosną.** Japońskie firmy inwestują w Polsce coraz więcej; źródło: [PAIH](https://www.paih.gov.pl/).

| Rok | Inwestycje (mln USD) |
|-----|------:|
| 2022 | 1200 |
| 2023 | 1450.5 |

![Wykres inwestycji japońskich w Polsce w latach 2022–2023](chart.png)

```python
print("kod nie ma miejsca w konspekcie")
```

<div class="ad">reklama</div>

- Pierwszy punkt z listy
  - podpunkt: ważny
- Drugi punkt, *kursywą*, z [tym samym źródłem](https://www.paih.gov.pl/)
"""


def test_markdown_table_picture_and_unplaced_blocks(tmp_path):
    src = tmp_path / "doc" / "wspolpraca.md"
    src.parent.mkdir()
    src.write_text(MARKDOWN, encoding="utf-8")
    (src.parent / "chart.png").write_bytes(_png())
    out = tmp_path / "out" / "wspolpraca.yaml"
    data = _import(src, out)
    text = out.read_text(encoding="utf-8")
    meta = data["meta"]
    assert (meta["title"], meta["authors"], str(meta["date"]), meta["language"]) == ("Współpraca Polski i Japonii", ["Anna Kowalska"], "2024-04-29", "pl")
    assert meta["subtitle"] == "Bezpieczeństwo, handel i inwestycje"
    assert "title: Współpraca Polski i Japonii\n" in text  # UTF-8 as it is, no escapes
    assert data["lead"].startswith("Pierwszy akapit to **streszczenie**: Polska") and "[uzbrojeniu](https://www.gov.pl/web/obrona-narodowa)" in data["lead"]
    (sec,) = data["sections"]
    assert sec["id"] == "handel-inwestycje"
    assert [p["text"] for p in sec["points"]] == ["Inwestycje rosną", "Pierwszy punkt z listy", "Drugi punkt, *kursywą*, z [tym samym źródłem](https://www.paih.gov.pl/)"]
    assert sec["points"][1]["points"] == ["podpunkt: ważny"]
    assert sec["points"][0]["sources"] == sec["points"][2]["sources"] == ["s2"]  # one source per address
    assert [s["url"] for s in data["sources"]] == ["https://www.gov.pl/web/obrona-narodowa", "https://www.paih.gov.pl/"]
    (table,) = data["tables"]
    assert table["columns"] == ["Rok", "Inwestycje (mln USD)"] and table["rows"] == [["2022", "1200"], ["2023", "1450.5"]]
    (image,) = data["images"]
    assert image["alt"] == "Wykres inwestycji japońskich w Polsce w latach 2022–2023"
    assert (out.parent / image["file"]).read_bytes() == (src.parent / "chart.png").read_bytes()
    # the code block and the HTML block: kept, as comments, where they stood
    assert "    # kept from the document (a code block, line 23), not placed:\n    #   print(\"kod nie ma miejsca w konspekcie\")\n" in text
    assert "    # kept from the document (an HTML block, line 27), not placed:\n    #   <div class=\"ad\">reklama</div>\n" in text
    _built(out, tmp_path / "build")


def test_the_yaml_writer_quotes_what_needs_quoting_and_folds_long_text():
    import datetime as dt
    tricky = ["yes", "no", "null", "~", "2024", "1.10", "12:30", "a: b", "x #y", "*bold* first", "- dash", "[link](https://a.org) first",
              "\"quoted\"", "'single'", "100%", "@home", "ends with:", "Zażółć gęślą jaźń", "tab\there", "line\nbreak", " padded ", "",
              "word " * 40 + "end", "a  double  space " * 10, "#hash", "&anchor", "!tag", "%pct", "`tick`", "{brace}", "?q", ": c", "a,b"]
    data = {"meta": {"title": "T", "date": dt.date(2024, 4, 29), "authors": ["A, B", "C"]}, "lead": "x",
            "sections": [{"id": "s", "title": t, "points": [t, {"text": t, "points": [t]}]} for t in tricky]}
    text = dump(data, ["header line", "second: with colon # and hash"])
    assert yaml.safe_load(text) == data
    assert text.startswith("# header line\n# second: with colon # and hash\n")
    assert "title: Zażółć gęślą jaźń\n" in text and "title: >-\n" in text  # letters as they are; long text folded
    assert max(len(line) for line in text.splitlines() if "double" not in line) <= 100


# --- errors ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("missing.docx", None, "missing.docx:1:1: no such file — check the document's path"),
    ("notes.txt", b"text", "notes.txt:1:1: cannot import '.txt' files — deckgen imports .docx (Word), .odt (OpenDocument), .md (Markdown) and .html"),
    ("paper.rtf", b"{\\rtf1", "paper.rtf:1:1: .rtf files are not read directly — convert to .docx first (LibreOffice: soffice --headless --convert-to docx paper.rtf)"),
    ("broken.odt", b"PK\x03\x04 not a zip", "broken.odt:1:1: not a readable OpenDocument text"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "old.doc:1:1: .doc files are not read directly — convert to .docx first"),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive", "broken.docx:1:1: not a readable Word document"),
    ("fake.docx", b"just text", "fake.docx:1:1: not a readable Word document"),
    ("latin1.md", "Zażółć".encode("cp1250"), "latin1.md:1:1: the file is not UTF-8 text"),
])
def test_bad_input_is_one_clear_error(tmp_path, monkeypatch, name, content, message):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(cli, ["import", name, "-o", "out.yaml"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {message}"), result.output
    assert "Traceback" not in result.output and not (tmp_path / "out.yaml").exists()


def test_a_damaged_word_part_is_a_clear_error(tmp_path):
    import zipfile
    make_docx(tmp_path / "good.docx", "# Title\n\nLead.\n", extra=False)
    with zipfile.ZipFile(tmp_path / "good.docx") as zin, zipfile.ZipFile(tmp_path / "bad.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "bad.docx"), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.match(r"error: .*bad\.docx:1:1: (not a readable|the Word document is damaged)", result.output), result.output


def test_an_existing_outline_is_replaced_only_with_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(BULLETIN), "-o", "mine.yaml"])
    assert result.exit_code == 1 and "mine.yaml: the file exists — choose another name, or add --force to replace it" in result.output
    assert Path("mine.yaml").read_text(encoding="utf-8") == "mine\n"
    result = CliRunner().invoke(cli, ["import", str(BULLETIN), "-o", "mine.yaml", "--force"])
    assert result.exit_code == 0 and result.output.split() == ["mine.yaml"]
    result = CliRunner().invoke(cli, ["import", str(BULLETIN)])  # default: the document's name, here
    assert result.exit_code == 0 and result.output.split() == ["us-japan-cooperation-2024.yaml"]


# --- the README's walk-through ---------------------------------------------------------------------------------------


def test_the_readme_walk_through_runs(tmp_path, monkeypatch):
    """Run the commands of README's "From a Word file" block, in order, on a Word file made here."""
    section = README.read_text(encoding="utf-8").split("### From a Word file", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)
    lines = [line for line in block.splitlines() if line.startswith("deckgen ")]
    commands = [line.split("#", 1)[0].strip() for line in lines]
    said = {c: line.split("#", 1)[1].strip() for c, line in zip(commands, lines)}
    assert [c.split()[1] for c in commands] == ["import", "validate", "build"]
    monkeypatch.chdir(tmp_path)
    make_docx(tmp_path / "report.docx", BULLETIN.read_text(encoding="utf-8"))
    for command in commands:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        assert "[warning]" not in result.output, result.output
        if said[command].startswith("ok:"):
            assert result.output.strip() == said[command]  # what the README says it prints
    assert (tmp_path / "build" / "report.pptx").exists() and (tmp_path / "build" / "report.pdf").exists()
    assert (tmp_path / "report-images").is_dir()


# --- HTML ------------------------------------------------------------------------------------------------------------


def test_an_html_page_of_the_bulletin_gives_the_markdown_outline(tmp_path):
    body = MarkdownIt("commonmark").render(BULLETIN.read_text(encoding="utf-8"))
    page = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bulletin | PISM</title>' \
           f'<meta name="author" content="Oskar Pietrewicz, Damian Wnukowski"><meta name="date" content="2024-04-29">' \
           f'<script>var x = "<p>not text</p>";</script></head><body>{body}</body></html>'
    (tmp_path / "bulletin.html").write_text(page, encoding="utf-8")
    from_md = _import(BULLETIN, tmp_path / "md.yaml")
    from_html = _import(tmp_path / "bulletin.html", tmp_path / "html.yaml")
    assert from_html["meta"]["title"] == from_md["meta"]["title"]  # the page's <h1>/<h2> first, not its <title>
    assert (from_html["meta"]["language"], str(from_html["meta"]["date"])) == ("en", "2024-04-29")
    assert (from_html["lead"], from_html["sections"], from_html["sources"]) == (from_md["lead"], from_md["sections"], from_md["sources"])
    assert "#   - 1 script, style or embedded element skipped (not text of the page)" in (tmp_path / "html.yaml").read_text(encoding="utf-8")


def test_an_html_page_with_a_figure_a_table_and_a_pre_block(tmp_path):
    import base64
    png = base64.b64encode(_png()).decode()
    page = f"""<html><body><h1>Sites</h1><p>Lead with a <a href="https://example.org/a">link</a>.</p>
    <h2>Where</h2><p><b>Nine sites.</b> Four are new.</p>
    <ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul>
    <table><tr><th>Year</th><th>Sites</th></tr><tr><td>2016</td><td>5</td></tr></table>
    <figure><img src="data:image/png;base64,{png}" alt="A blue map"><figcaption>The sites</figcaption></figure>
    <pre>  code
  kept</pre></body></html>"""
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    data = _import(tmp_path / "p.html", tmp_path / "p.yaml")
    text = (tmp_path / "p.yaml").read_text(encoding="utf-8")
    (sec,) = data["sections"]
    assert sec["points"] == [{"text": "Nine sites", "detail": "Four are new."}, {"text": "One", "points": ["Nested"]}, {"text": "Two"}]
    assert data["tables"][0]["columns"] == ["Year", "Sites"] and data["tables"][0]["rows"] == [["2016", "5"]]
    assert data["images"][0]["alt"] == "A blue map" and data["images"][0]["caption"] == "The sites"
    assert (tmp_path / data["images"][0]["file"]).read_bytes() == _png()
    assert "    # kept from the document (a preformatted block, line 6), not placed:\n    #     code\n    #     kept\n" in text
    _built(tmp_path / "p.yaml", tmp_path / "build")


# --- OpenDocument ----------------------------------------------------------------------------------------------------


def make_odt(path: Path, markdown: str) -> None:
    """An OpenDocument text with the Markdown's headings and paragraphs (bold run-ins through an automatic style,
    links), then a section with a list, a table and a picture with its description."""
    import datetime as dt

    from odfdo import Document, Frame, Header, Link, List, Paragraph, Span, Style, Table

    d = Document("text")
    d.body.clear()
    d.insert_style(Style("text", name="B", bold=True), automatic=True)
    d.meta.set_title("What are the Regional and Global Consequences of U.S.-Japan Cooperation?")
    d.meta.set_initial_creator("Oskar Pietrewicz, Damian Wnukowski")
    d.meta.set_creation_date(dt.datetime(2024, 4, 29, 9, 0))
    tokens = MarkdownIt("commonmark").parse(markdown)
    for i, tok in enumerate(tokens):
        if tok.type not in ("heading_open", "paragraph_open"):
            continue
        el = Header(int(tok.tag[1:]), "") if tok.type == "heading_open" else Paragraph("")
        bold, href = False, None
        for child in tokens[i + 1].children:
            if child.type in ("strong_open", "strong_close"):
                bold = child.type == "strong_open"
            elif child.type == "link_open":
                href = child.attrs["href"]
            elif child.type == "link_close":
                href = None
            elif child.type in ("text", "softbreak"):
                text = child.content if child.type == "text" else " "
                el.append(Link(href, text=text) if href else Span(text, style="B") if bold else text)
        d.body.append(el)
    d.body.append(Header(1, "Sites and figures"))
    d.body.append(List(["Access close to the Taiwan Strait", "Room for rotating U.S. forces"]))
    table = Table("Sites", width=2, height=2)
    for cell, value in {"A1": "Year", "B1": "Sites", "A2": "2016", "B2": "5"}.items():
        table.set_value(cell, value)
    d.body.append(Paragraph("Table 1. EDCA sites by year agreed"))
    d.body.append(table)
    frame = Frame.image_frame(d.add_file(io.BytesIO(_png())), size=("8cm", "5cm"), anchor_type="as-char")
    frame.svg_description = "Map of the Philippines with the nine EDCA sites marked"
    picture = Paragraph("")
    picture.append(frame)
    d.body.append(picture)
    d.save(str(path))


def test_an_opendocument_text_gives_the_same_outline(tmp_path):
    make_odt(tmp_path / "bulletin.odt", BULLETIN.read_text(encoding="utf-8"))
    from_md = _import(BULLETIN, tmp_path / "md.yaml")
    from_odt = _import(tmp_path / "bulletin.odt", tmp_path / "odt.yaml")
    meta = from_odt["meta"]
    assert (meta["title"], meta["authors"], str(meta["date"])) == (from_md["meta"]["title"], from_md["meta"]["authors"], "2024-04-29")
    assert (from_odt["lead"], from_odt["sections"][:-1], from_odt["sources"]) == (from_md["lead"], from_md["sections"], from_md["sources"])
    extra = from_odt["sections"][-1]
    assert extra["points"] == [{"text": "Access close to the Taiwan Strait"}, {"text": "Room for rotating U.S. forces"}]
    assert from_odt["tables"][0] == {"id": "edca-sites-by-year-agreed", "title": "EDCA sites by year agreed", "columns": ["Year", "Sites"], "rows": [["2016", "5"]]}
    (image,) = from_odt["images"]
    assert image["alt"] == "Map of the Philippines with the nine EDCA sites marked"
    assert (tmp_path / image["file"]).read_bytes() == _png()
    _built(tmp_path / "odt.yaml", tmp_path / "build")


def test_pictures_a_build_could_not_use_become_comments(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text("# Pictures\n\nLead.\n\n## Maps\n\nText of the section.\n\n![A damaged map](cut.png)\n\n![An animation](anim.gif)\n\n"
                   "![A remote map](https://example.org/map.png)\n\n![A good map](good.png)\n", encoding="utf-8")
    (tmp_path / "cut.png").write_bytes(_png()[:60])
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "GIF")
    (tmp_path / "anim.gif").write_bytes(buf.getvalue())
    (tmp_path / "good.png").write_bytes(_png())
    data = _import(src, tmp_path / "out" / "doc.yaml")
    text = (tmp_path / "out" / "doc.yaml").read_text(encoding="utf-8")
    assert [i["alt"] for i in data["images"]] == ["A good map"] and data["sections"][0]["images"] == [data["images"][0]["id"]]
    assert sorted(p.name for p in (tmp_path / "out" / "doc-images").iterdir()) == [Path(data["images"][0]["file"]).name]
    assert "#   cut.png — A damaged map" not in text and "A damaged map" in text and "damaged" in text
    assert "not a PNG, JPEG or SVG picture:\n    #   anim.gif — An animation" in text
    assert "the file is not beside the document (or is a web address):\n    #   https://example.org/map.png — A remote map" in text
    _built(tmp_path / "out" / "doc.yaml", tmp_path / "build")
    result = CliRunner().invoke(cli, ["import", str(src), "-o", str(tmp_path / "out" / "doc2.yaml")])
    assert result.exit_code == 0, result.output
    (tmp_path / "out" / "doc.yaml").unlink()
    result = CliRunner().invoke(cli, ["import", str(src), "-o", str(tmp_path / "out" / "doc.yaml")])  # its pictures are there
    assert result.exit_code == 1 and "doc-images/" in result.output and "add --force" in result.output


def test_document_text_is_escaped_to_read_back_as_itself():
    """Text taken from a document (a title, a cell, a code span) reads back exactly, is never a link or a footnote."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from deckgen.importing.infer import _escape
    from deckgen.inline import links, note_refs, plain

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("ab *_[]()^\\:/#!`ął")), max_size=40))
    def check(text):
        escaped = _escape(text)
        assert plain(escaped) == text and links(escaped) == [] and note_refs(escaped) == [] and "](" not in escaped

    check()


def test_the_format_reference_itself_imports_and_builds(tmp_path):
    """docs/outline-format.md: dozens of headings, tables, code blocks and code spans full of markup and links."""
    source = HERE.parent / "docs" / "outline-format.md"
    deckgen.import_document(source, tmp_path / "format.yaml")
    text = (tmp_path / "format.yaml").read_text(encoding="utf-8")
    fences = sum(line.startswith("```") for line in source.read_text(encoding="utf-8").splitlines()) // 2
    assert text.count("(a code block, line") == fences  # each kept, none lost
    doc = deckgen.load(tmp_path / "format.yaml")
    assert len(doc.outline.sections) >= 30 and len(doc.outline.tables) >= 10
    result = deckgen.build(doc, tmp_path / "build")
    assert len(result.paths) == 2


def test_a_word_title_paragraph_wins_over_stale_properties(tmp_path):
    d = docx.Document()
    d.core_properties.title = "Document1"
    d.add_paragraph("Japan and the Philippines", style="Title")
    d.add_paragraph("A closer alliance", style="Subtitle")
    d.add_paragraph("The lead paragraph says what happened.")
    d.add_heading("Security", 1)
    d.add_paragraph("A first point.")
    d.save(str(tmp_path / "t.docx"))
    data = _import(tmp_path / "t.docx", tmp_path / "t.yaml")
    assert (data["meta"]["title"], data["meta"]["subtitle"], data["lead"]) == ("Japan and the Philippines", "A closer alliance", "The lead paragraph says what happened.")
    assert "#   - meta.title: the Title paragraph (the document properties say 'Document1')" in (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert [s["title"] for s in data["sections"]] == ["Security"]


def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    import zipfile
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for n in range(10_000):
            zf.writestr(f"word/media/{n}.bin", b"")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "bomb.docx"), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1 and "holds 10001 parts unpacking to 0 MB; the limits are 10000 parts and 500 MB" in result.output, result.output
