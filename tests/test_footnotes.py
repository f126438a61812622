"""Footnotes: `^[text]` in place and `[^id]` citing the outline's `footnotes`; numbered per product in reading order;
the brief sets them at the foot of the page their marker lands on (or as endnotes), the deck as a raised marker and
"[n] text" in the slide's speaker notes."""
from __future__ import annotations

import io
import re

import briefgen
import pagecheck
import pdfplumber
import pytest
from conftest import MINI
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from deckgen.chartcache import ChartStore
from deckgen.errors import OutlineError
from deckgen.inline import Note, Run, links, note_refs, parse, plain
from deckgen.layout import brief as bp
from deckgen.layout.brief import plan_brief
from deckgen.layout.deck import plan_deck
from deckgen.layout.jsonable import to_data
from deckgen.layout.notes import cited, number
from deckgen.model import Outline
from deckgen.outline import load_outline
from deckgen.theme import load_theme
from deckgen.typeset import typesetting
from deckgen.writers.pdf import write_brief

EPOCH = 1713484800
EVIL = "x<y & AT&T <b>not bold</b>"


# ---------------------------------------------------------------- the markup


def test_inline_note_keeps_its_markup_and_leaves_the_text():
    runs = parse("Spending^[In **2024** prices; see [NATO](https://nato.int/x).] rose.")
    assert runs[0] == Run("Spending") and runs[-1] == Run(" rose.")
    note = runs[1]
    assert isinstance(note, Note) and note.text == "" and note.ref is None
    assert note.note == "In **2024** prices; see [NATO](https://nato.int/x)."
    assert plain("Spending^[In 2024 prices.] rose.") == "Spending rose."
    assert links("a^[see [x](https://a.org)]") == ["https://a.org"]  # links inside a note are checked too


def test_cited_note_and_escapes_and_unclosed_markers():
    runs = parse(r"GDP[^gdp] and \^[not a note] and ^[unclosed and [^1bad]")
    assert isinstance(runs[1], Note) and runs[1].ref == "gdp"
    assert plain(r"GDP[^gdp] and \^[not a note]") == "GDP and ^[not a note]"
    assert plain("a ^[unclosed and [^1bad]") == "a ^[unclosed and [^1bad]"
    assert note_refs("a[^x] ^[b [^y]] [^x]") == ["x", "y", "x"]


def test_brackets_inside_a_note_nest():
    runs = parse(r"a^[see [b](https://b.org) and \] and [c]]d")
    assert isinstance(runs[1], Note) and runs[1].note == r"see [b](https://b.org) and \] and [c]"
    assert runs[-1] == Run("d")


def test_a_note_in_bold_text_and_a_marker_is_never_merged():
    runs = parse("**a^[n]b**")
    assert [type(r).__name__ for r in runs] == ["Run", "Note", "Run"] and runs[0].bold and runs[1].bold


def test_many_unclosed_markers_parse_in_linear_time():
    import time

    t = time.perf_counter()
    parse("^[a " * 50_000)
    note_refs("^[" * 50_000 + "]" * 50_000)
    assert time.perf_counter() - t < 5


# ---------------------------------------------------------------- numbering


def test_numbering_in_reading_order_same_note_same_number():
    blocks = [bp.Paragraph(tuple(parse("body^[b] and [^x]")), "point", head=tuple(parse("Head^[a]."))),
              bp.Bullet(tuple(parse("again[^x] and ^[b] and [^nope]")), 1)]
    out, numbering = number(blocks, {"x": "The *x* note."})
    marks = [(m.text, "".join(r.text for r in m.body)) for m in cited(out)]
    assert marks == [("1", "a"), ("2", "b"), ("3", "The x note."), ("3", "The x note."), ("2", "b")]
    assert numbering.unknown == ["nope"]
    assert not any(isinstance(r, Note) and r.ref == "nope" for r in out[1].runs)  # an unknown marker drops out
    assert [f.number for f in numbering.notes] == [1, 2, 3]


def test_plans_without_notes_are_unchanged_data():
    """A plan with no footnote is the same JSON data as before (the golden files do not move)."""
    outline = load_outline(MINI).outline
    ctx = typesetting(load_theme())
    plan, _ = plan_brief(outline, ctx)
    assert '"Note"' not in str(to_data(plan)) and not any(isinstance(b, bp.Notes) for b in plan.blocks)


# ---------------------------------------------------------------- located errors


def _load(tmp_path, text: str):
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    return load_outline(path)


def test_unknown_footnote_is_a_located_error_with_did_you_mean(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("Plain string point.", "Plain string point[^gpd].")
    text += "footnotes:\n  gdp: Gross domestic product.\n"
    with pytest.raises(OutlineError) as err:
        _load(tmp_path, text)
    (problem,) = err.value.problems
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "[^gpd]" in l)
    assert problem.line == line and "sections[first].points[1]" in problem.path
    assert "no footnote 'gpd'" in problem.message and "did you mean 'gdp'" in problem.message


def test_citing_a_footnote_when_none_is_defined_says_how(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("lead: >-\n  A short lead", "lead: >-\n  A short[^src] lead")
    with pytest.raises(OutlineError) as err:
        _load(tmp_path, text)
    (problem,) = err.value.problems
    assert problem.path == "lead" and "footnotes: {src: text}" in problem.message and "^[text]" in problem.message


def test_a_bad_link_inside_a_note_is_located(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("Plain string point.", "Plain^[see [x](javascript:alert)] point.")
    with pytest.raises(OutlineError) as err:
        _load(tmp_path, text)
    assert any("sections[first].points[1]" in p.path and "not allowed" in p.message for p in err.value.problems)


# ---------------------------------------------------------------- the brief


def _notes_outline(mode: str = "foot") -> Outline:
    """The long generated outline with notes in place (some of several lines), a shared note cited in two sections,
    notes with markup and with text that looks like markup."""
    data = briefgen.long_outline("en")
    data["footnotes"] = {"shared": "A note cited twice, with **bold** and a [link](https://example.org/note).",
                         "evil": EVIL}
    k = 0
    for si, section in enumerate(data["sections"]):
        for p in section.get("points", []):
            if not isinstance(p, dict) or not p.get("detail"):
                continue
            k += 1
            words = p["detail"].split(" ")
            cut = min(len(words), 6)
            if k % 2:
                long = " ".join(["the note goes on to explain its source and the method of the estimate"] * (1 + k % 3))
                note = f"^[Note {k}: {long}.]"
            else:
                note = "[^shared]" if k in (2, 8) else ("[^evil]" if k == 4 else f"^[Note {k}, *short*.]")
            p["detail"] = " ".join(words[:cut]) + note + " " + " ".join(words[cut:])
    data["brief"] = {"notes": mode}
    return Outline.model_validate(data)


@pytest.fixture(scope="module")
def foot():
    outline = _notes_outline("foot")
    ctx = typesetting(load_theme(), language="en")
    plan, warnings = plan_brief(outline, ctx)
    pdf = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)
    return outline, plan, pdf, warnings


def _expected(plan) -> dict[int, str]:
    return {m.number: "".join(r.text for r in m.body) for m in cited(plan.blocks)}


def _markers_and_notes(pdf: bytes, plan) -> list[tuple[set[int], dict[int, tuple[str, float]], float, float]]:
    """Per page: the numbers of the footnote markers (raised link numbers), the notes at the foot (number -> text,
    top), the lowest bottom of any other text in the text area, and the footer rule's top."""
    page_h = float(plan.page.height)
    rule_top = page_h - float(plan.page.footer_y) - 11
    note_size = float(load_theme().brief.note.size)
    body = float(plan.body_size)
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["top"] < rule_top - 1]
            marks = set()
            for a in page.annots:
                if a.get("uri"):
                    continue
                inside = [c for c in chars if a["x0"] - 0.5 <= (c["x0"] + c["x1"]) / 2 <= a["x1"] + 0.5
                          and a["top"] - 0.5 <= (c["top"] + c["bottom"]) / 2 <= a["bottom"] + 0.5]
                # (in a justified line reportlab's link box can reach into the word before the raised number)
                text = "".join(c["text"] for c in inside if c["size"] < body - 1.5 and c["text"].isdigit())
                if text:
                    marks.add(int(text))
            # the notes: lines of note-size text starting at the column's left edge, under the short rule
            small = [c for c in chars if abs(c["size"] - note_size) < 0.2 and c["x0"] >= float(plan.page.text_left) - 1]
            lines: dict[float, list] = {}
            for c in small:
                lines.setdefault(round(c["bottom"], 1), []).append(c)
            notes: dict[int, tuple[str, float]] = {}
            note_tops = []
            current = None
            rows = sorted(lines.items())
            lowest_other = max((c["bottom"] for c in chars if c not in small), default=0.0)
            for bottom, cs in rows:
                if bottom < lowest_other:
                    continue  # figure sources, key-figure sources: note-size text above the notes
                cs.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in cs)
                m = re.match(r"(\d+)(.*)", text)
                if m and cs[0]["x0"] < float(plan.page.text_left) + 2:
                    current = int(m.group(1))
                    notes[current] = (m.group(2), min(c["top"] for c in cs))
                    note_tops.append(min(c["top"] for c in cs))
                elif current is not None:
                    notes[current] = (notes[current][0] + " " + text, notes[current][1])
            out.append((marks, notes, lowest_other, rule_top))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_each_note_is_at_the_foot_of_the_page_its_marker_lands_on(foot):
    _, plan, pdf, warnings = foot
    assert not warnings
    expected = _expected(plan)
    pages = _markers_and_notes(pdf, plan)
    assert sum(1 for marks, *_ in pages if marks) >= 3, "the notes should spread over several pages"
    seen: set[int] = set()
    for n, (marks, notes, lowest, rule_top) in enumerate(pages, 1):
        assert marks == set(notes), f"page {n}: markers {sorted(marks)} but notes {sorted(notes)} at its foot"
        for k, (text, top) in notes.items():
            assert _squash(text) == _squash(expected[k]), f"page {n}: note {k} reads {text!r}"
            assert lowest < top < rule_top, f"page {n}: note {k} is not between the text and the footer"
        seen |= marks
    assert seen == set(expected)


def test_markers_count_up_in_reading_order_and_the_shared_note_keeps_its_number(foot):
    _, plan, _pdf, _ = foot
    marks = cited(plan.blocks)
    numbers = [m.number for m in marks]
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(firsts) + 1))
    shared = [m.number for m in marks if m.ref == "shared"]
    assert len(shared) == 2 and shared[0] == shared[1]


def test_markers_link_to_their_note(foot):
    """Each raised number links to its note: on its own page, or where a note cited again was first printed."""
    _, plan, pdf, _ = foot
    reader = PdfReader(io.BytesIO(pdf))
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages, 1)}
    first_page: dict[int, int] = {}
    for n, (_marks, notes, *_rest) in enumerate(_markers_and_notes(pdf, plan), 1):
        for k in notes:
            first_page.setdefault(k, n)
    body = float(plan.body_size)
    checked = set()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, (page, plumb) in enumerate(zip(reader.pages, doc.pages), 1):
            h = float(plumb.height)
            for a in page.get("/Annots") or []:
                a = a.get_object()
                if "/Dest" not in a:
                    continue
                x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
                digits = "".join(c["text"] for c in plumb.chars if c["size"] < body - 1.5 and c["text"].isdigit()
                                 and x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
                                 and h - y1 - 0.5 <= (c["top"] + c["bottom"]) / 2 <= h - y0 + 0.5)
                if not digits:
                    continue  # a citation of the sources
                k = int(digits)
                dest = a["/Dest"]
                assert page_of[dest[0].idnum] == first_page[k], f"page {i}: marker {k} links to another page"
                assert float(dest[3]) < float(plan.page.bottom) + 200, f"page {i}: marker {k} links above the notes"
                checked.add(k)
    assert checked == set(first_page)


def test_text_that_looks_like_markup_prints_as_written(foot):
    _, _, pdf, _ = foot
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert _squash(EVIL) in _squash(text)


def test_the_footnoted_brief_paginates_cleanly_and_deterministically(foot):
    outline, plan, pdf, _ = foot
    data = outline.model_dump(mode="json")
    report = pagecheck.check(pdf, plan.page, body_size=float(plan.body_size),
                             runin_heads=briefgen.runin_heads(data), urls=briefgen.urls(data))
    assert report.violations == [], "\n" + report.summary()
    ctx = typesetting(load_theme(), language="en")
    again, _ = plan_brief(outline, ctx)
    assert write_brief(again, ctx, EPOCH, ChartStore(ctx.theme).pdf) == pdf


def test_endnotes_come_before_the_sources_and_markers_link_there():
    outline = _notes_outline("end")
    ctx = typesetting(load_theme(), language="en")
    plan, _ = plan_brief(outline, ctx)
    kinds = [type(b).__name__ for b in plan.blocks]
    assert kinds.index("Notes") == kinds.index("References") - 1
    notes = next(b for b in plan.blocks if isinstance(b, bp.Notes))
    assert [n.number for n in notes.items] == list(range(1, len(notes.items) + 1))
    pdf = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    at = next(i for i, t in enumerate(pages) if "\nNotes\n" in f"\n{t}\n" or t.startswith("Notes"))
    assert "Note 1: the note goes on" in re.sub(r"\s+", " ", "".join(pages[at:]))
    # every marker's link leads to the notes' pages
    notes_pages = {reader.pages[i].indirect_reference.idnum for i in range(at, len(pages))}
    dests = [a.get_object()["/Dest"][0].idnum for p in reader.pages[:at] for a in (p.get("/Annots") or [])
             if "/Dest" in a.get_object()]
    assert sum(d in notes_pages for d in dests) >= len(notes.items)


# ---------------------------------------------------------------- the deck


def test_deck_marker_is_raised_and_the_note_is_in_the_speaker_notes(tmp_path):
    from deckgen.build import build

    text = MINI.read_text(encoding="utf-8")
    text = text.replace("      - Plain string point.", "      - Plain string point.^[An inline note, *italic*.]")
    text = text.replace("Economy point with", "Economy point[^gdp] with")
    text += f"footnotes:\n  gdp: 'Gross domestic product {EVIL}.'\n"
    (tmp_path / "o.yaml").write_text(text, encoding="utf-8")
    build(tmp_path / "o.yaml", tmp_path / "out", formats=("pptx",))
    deck = Presentation(str(next((tmp_path / "out").glob("*.pptx"))))
    found = {}
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for p in shape.text_frame.paragraphs:
                for r in p.runs:
                    rpr = r._r.find(qn("a:rPr"))
                    if rpr is not None and rpr.get("baseline") == "30000":
                        found[r.text] = (p.text, slide.notes_slide.notes_text_frame.text)
    assert set(found) == {"1", "2"}
    assert found["1"][0] == "Plain string point.1" and "[1] An inline note, italic." in found["1"][1]
    assert found["2"][0].startswith("Economy point2 with") and f"[2] Gross domestic product {EVIL}." in found["2"][1]


def test_deck_plan_numbers_its_own_markers_and_reads_notes_out_in_speaker_notes():
    data = load_outline(MINI).outline.model_dump(mode="json")
    data["lead"] = "A lead^[only in the speaker notes] here."
    data["sections"][0]["points"][1] = "Point two^[Deck note]."
    outline = Outline.model_validate(data)
    plan, warnings = plan_deck(outline, typesetting(load_theme()))
    assert not warnings
    assert plan.slides[0].notes == "A lead (only in the speaker notes) here."
    marks = [(s.number, m.text) for s in plan.slides for m in cited(s)]
    assert marks == [(4, "1")] and plan.slides[3].notes.endswith("[1] Deck note")


def test_a_run_in_head_takes_its_full_stop_before_a_note_at_its_end():
    data = load_outline(MINI).outline.model_dump(mode="json")
    data["sections"][0]["points"][0]["text"] = "A point with a note^[The note.]"
    plan, _ = plan_brief(Outline.model_validate(data), typesetting(load_theme()))
    head = next(b.head for b in plan.blocks if isinstance(b, bp.Paragraph) and b.head)
    assert [r.text for r in head] == ["A point with a note.", "1"] and isinstance(head[1], Note)


def test_the_documented_example_loads_and_numbers(tmp_path):
    from conftest import ROOT

    doc = (ROOT / "docs" / "outline-format.md").read_text(encoding="utf-8")
    example = doc.split("### Footnotes", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    head = "meta: {title: T, date: 2024-04-19}\n"
    outline = _load(tmp_path, head + example).outline
    plan, warnings = plan_brief(outline, typesetting(load_theme()))
    assert not warnings
    assert [(m.text, m.ref) for m in cited(plan.blocks)] == [("1", "gdp"), ("2", None), ("1", "gdp")]


def test_endnotes_heading_in_the_outline_language_and_no_notes_no_list():
    data = load_outline(MINI).outline.model_dump(mode="json")
    data["brief"] = {"notes": "end"}
    plan, _ = plan_brief(Outline.model_validate(data), typesetting(load_theme()))
    assert not any(isinstance(b, bp.Notes) for b in plan.blocks)  # nothing cited: no empty "Notes"
    data["meta"]["language"] = "pl"
    data["lead"] = "Wstęp^[Przypis.]"
    plan, _ = plan_brief(Outline.model_validate(data), typesetting(load_theme()))
    notes = next(b for b in plan.blocks if isinstance(b, bp.Notes))
    assert notes.heading == "Przypisy" and [r.text for r in notes.items[0].body] == ["Przypis."]
