"""Audiences in their own language: the message catalogue, labels, Babel dates and numbers, translations by id and
the untranslated-text report — checked on what a reader of the built deck and brief sees."""
from __future__ import annotations

import datetime as dt
import re
import string
import subprocess

import pytest
import yaml
from click.testing import CliRunner
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

import deckgen
from conftest import DEFAULT, MINI
from deckgen.audience import tailor
from deckgen.cli import cli
from deckgen.errors import OutlineError
from deckgen.words import CATALOGUE, Words, culture, format_date, format_number

NBSP = "\u00a0"


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


# --- the catalogue -------------------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_english_and_polish_catalogues_are_complete_and_take_the_same_fields():
    assert set(CATALOGUE["en"]) == set(CATALOGUE["pl"])
    for key, en in CATALOGUE["en"].items():
        pl = CATALOGUE["pl"][key]
        assert en.strip() and pl.strip(), key
        assert _fields(en) == _fields(pl), key


def test_dates_and_numbers_come_from_cldr():
    day = dt.date(2024, 4, 19)
    assert format_date(day, "en") == "April 19, 2024"
    assert format_date(day, "en-GB") == "19 April 2024"
    assert format_date(day, "pl") == "19 kwietnia 2024"
    assert format_date(day, "de") == "19. April 2024"
    assert format_number(1234.5, 1, "en") == "1,234.5"
    assert format_number(1234.5, 1, "pl") == f"1{NBSP}234,5"
    assert format_number(1234.5, 1, "de") == "1.234,5"
    assert format_number(-0.04, 1, "pl") == "0,0"  # no "-0,0"
    assert format_number(-2.5, 1, "pl") == "-2,5"
    assert culture("pl") == "pl-PL" and culture("en-GB") == "en-GB" and culture("ja") == "ja-JP"


def test_a_language_without_a_catalogue_prints_english_words_but_its_own_dates():
    words = Words("de")
    assert words["agenda"] == "Agenda" and words.date(dt.date(2024, 4, 19)) == "19. April 2024"
    assert Words("pl", (("agenda", "Porządek obrad"),))["agenda"] == "Porządek obrad"


# --- the default outline's Polish audience, built once ------------------------------------------------------------


@pytest.fixture(scope="module")
def polish(tmp_path_factory):
    out = tmp_path_factory.mktemp("pl")
    result = deckgen.build(DEFAULT, out, audiences=["ministerstwo"])
    return out / "us-japan-2024-ministerstwo.pptx", out / "us-japan-2024-ministerstwo.pdf", result


def _english_only_words() -> set[str]:
    """The English catalogue's words that Polish prints otherwise (a Polish deck must show none of them)."""
    out = set()
    for key, en in CATALOGUE["en"].items():
        if en != CATALOGUE["pl"][key]:
            pieces = [w.strip(" ,;") for w in re.split(r"\{[a-z_]+\}", en)]
            # a label whole, or a phrase of a sentence template (two words or more: single words like "from" occur in
            # the English titles of sources, which stay as published)
            out.update(w for w in pieces if len(w.strip(" .:/()")) >= 4 and (w == en or " " in w))
    return out


def _deck_texts(path) -> list[str]:
    prs = Presentation(path)
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_chart:
                chart = shape.chart
                texts += list(chart.plots[0].categories) + [s.name for p in chart.plots for s in p.series]
            if shape.has_table:
                texts += [c.text for r in shape.table.rows for c in r.cells]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def test_the_polish_audience_builds_with_no_warning(polish):
    assert polish[2].warnings == []


def test_no_english_label_is_left_in_the_polish_deck_or_brief(polish):
    deck, brief, _ = polish
    english = _english_only_words()
    assert {"Agenda", "Key figures", "(cont.)", "Sources", "Thank you", "Source:", "Figure", "Table"} <= english | {"(cont.)"}
    deck_text = "\n".join(_deck_texts(deck))
    pdf_text = subprocess.run(["pdftotext", str(brief), "-"], capture_output=True, text=True, check=True).stdout
    for word in english:
        pattern = re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])")
        assert not pattern.search(deck_text), f"deck prints {word!r}"
        assert not pattern.search(pdf_text), f"brief prints {word!r}"
    for word in ("Plan prezentacji", "Kluczowe dane", "(cd.)", "Źródła", "Dziękujemy", "Źródło:"):
        assert word in deck_text, word
    for word in ("Wykres 1.", "Tabela 1.", "Źródło:", "Źródła", "KLUCZOWE DANE"):
        assert word in pdf_text, word


def test_polish_deck_prints_polish_text_dates_and_numbers_and_tags_its_runs(polish):
    deck, _, _ = polish
    prs = Presentation(deck)
    cover = prs.slides[0].shapes
    assert _norm(cover.title.text_frame.text) == "Jakie są regionalne i globalne konsekwencje współpracy USA i Japonii?"
    assert any("29 kwietnia 2024" in s.text_frame.text for s in cover if s.has_text_frame)
    assert prs.core_properties.language == "pl-PL"
    langs = {r.get("lang") for slide in prs.slides for r in slide._element.iter(qn("a:rPr")) if r.get("lang")}
    assert langs == {"pl-PL"}
    charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
    names = {ser.name for c in charts for p in c.plots for ser in p.series}
    assert "Cel: 2% PKB (2027 r.)" in names or any("PKB" in n for n in names)
    cats = {c for ch in charts for c in ch.plots[0].categories}
    assert "Niemcy" in cats and "Germany" not in cats  # chart categories by translation
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    header = [c.text for c in tables[0].rows[0].cells]
    assert header[0] == "Obiekt"


def test_polish_brief_says_lang_pl_and_prints_polish_numbers_and_page_labels(polish):
    _, brief, _ = polish
    reader = PdfReader(brief)
    assert str(reader.trailer["/Root"]["/Lang"]) == "pl"
    text = _norm(" ".join(p.extract_text() for p in reader.pages))
    assert "29 kwietnia 2024" in text and "April" not in text
    assert "13,9 mld USD" in text
    assert f"1 / {len(reader.pages)}" in text
    # the chart's own numbers: the value axis with a decimal comma (drawn by matplotlib as text)
    assert "2,5" in text and "0,5" in text


# --- labels ------------------------------------------------------------------------------------------------------


def _mini(tmp_path, edit) -> str:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_an_outline_overrides_a_label_and_an_audience_overrides_it_again(tmp_path):
    def edit(d):
        d["labels"] = {"agenda": "Plan", "thanks": "Questions?"}
        d["audiences"] = {"a": {"labels": {"agenda": "Order of business"}}, "b": {}}

    path = _mini(tmp_path, edit)
    deckgen.build(path, tmp_path / "out", audiences=["a", "b"])
    first = [_norm(s.shapes.title.text_frame.text) for s in Presentation(tmp_path / "out" / "mini-a.pptx").slides]
    second = [_norm(s.shapes.title.text_frame.text) for s in Presentation(tmp_path / "out" / "mini-b.pptx").slides]
    assert "Order of business" in first and "Plan" not in first
    assert "Plan" in second and "Questions?" in second and "Agenda" not in second


@pytest.mark.parametrize("labels, message", [
    ({"agendaa": "Plan"}, "labels.agendaa: no label 'agendaa' (deckgen prints no such word) — did you mean 'agenda'?"),
    ({"page": "Page {page} of {total}"}, "labels.page: label 'page' may use the fields {page}, {pages} only"),
])
def test_bad_labels_are_located_errors(tmp_path, labels, message):
    path = _mini(tmp_path, lambda d: d.update(labels=labels))
    with pytest.raises(OutlineError) as err:
        deckgen.load(path)
    assert message in str(err.value)


def test_a_language_without_a_catalogue_is_a_located_warning(tmp_path):
    path = _mini(tmp_path, lambda d: d["meta"].update(language="de"))
    doc = deckgen.load(path)
    assert [w.path for w in doc.warnings] == ["meta.language"]
    assert "no words in 'de'" in doc.warnings[0].message


# --- translations by id ------------------------------------------------------------------------------------------


def _translated(tmp_path, translation: dict, audience: dict | None = None) -> str:
    def edit(d):
        d["translations"] = {"pl": translation}
        d["audiences"] = {"pl": {"language": "pl", **(audience or {})}}
    return _mini(tmp_path, edit)


def test_translations_reach_every_kind_of_text(tmp_path):
    base = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    section, point = next((s, p) for s in base["sections"] for p in s["points"] if isinstance(p, dict) and p.get("id"))
    chart = base["charts"][0]
    tr = {
        "meta": {"title": "Tytuł po polsku"},
        "lead": "Lead po polsku.",
        "sections": {section["id"]: {"title": "Sekcja po polsku"}},
        "points": {point["id"]: {"text": "Punkt po polsku"}},
        "charts": {chart["id"]: {"title": "Wykres po polsku", "series": {chart["series"][0]["name"]: "Seria po polsku"}}},
    }
    o = tailor(deckgen.load(_translated(tmp_path, tr)).outline, "pl")
    assert o.meta.title == "Tytuł po polsku" and o.lead == "Lead po polsku." and o.meta.language == "pl"
    s = next(s for s in o.sections if s.id == section["id"])
    assert s.title == "Sekcja po polsku"
    assert next(p for p in s.points if p.id == point["id"]).text == "Punkt po polsku"
    c = next(c for c in o.charts if c.id == chart["id"])
    assert c.title == "Wykres po polsku" and c.series[0].name == "Seria po polsku"


def test_check_lists_each_untranslated_text_located_and_strict_fails(tmp_path):
    path = _translated(tmp_path, {"meta": {"title": "Tytuł"}})
    result = CliRunner().invoke(cli, ["check", path])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "not translated into 'pl'" in line]
    assert lines, result.output
    assert not any("meta.title" in line for line in lines)  # translated
    lead = next(line for line in lines if ": lead: " in line)
    assert re.match(r".*mini\.yaml:\d+:\d+: lead: not translated into 'pl' \(audience pl\) — add translations\.pl\.lead", lead)
    assert any("charts[fdi].categories[0]: not translated into 'pl' (audience pl) — add "
               "translations.pl.charts.fdi.categories['Japan']" in line for line in lines), lines
    strict = CliRunner().invoke(cli, ["check", "--strict", path])
    assert strict.exit_code == 1 and "not translated into 'pl'" in strict.output


def test_the_default_outline_leaves_nothing_untranslated_for_its_polish_audience():
    assert [w for w in deckgen.check(DEFAULT) if "not translated" in w.message] == []


@pytest.mark.parametrize("translation, message", [
    ({"points": {"nope": "x"}}, "translations.pl.points.nope: no point 'nope'"),
    ({"sections": {"nope": "x"}}, "translations.pl.sections.nope: no section 'nope'"),
    ({"charts": {"nope": {"title": "x"}}}, "translations.pl.charts.nope: no chart 'nope'"),
])
def test_translation_ids_must_exist(tmp_path, translation, message):
    with pytest.raises(OutlineError) as err:
        deckgen.load(_translated(tmp_path, translation))
    assert message in str(err.value)


def test_series_and_sub_points_are_checked_against_the_outline(tmp_path):
    base = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    chart = base["charts"][0]
    point = next(p for s in base["sections"] for p in s["points"] if isinstance(p, dict) and p.get("id"))
    tr = {"charts": {chart["id"]: {"series": {"No such series": "x"}}},
          "points": {point["id"]: {"points": ["a"] * (len(point.get("points", [])) + 1)}}}
    with pytest.raises(OutlineError) as err:
        deckgen.load(_translated(tmp_path, tr))
    text = str(err.value)
    assert f"translations.pl.charts.{chart['id']}.series.No such series: no series 'No such series'" in text
    assert f"translations.pl.points.{point['id']}.points: " in text and "give one per sub-point, in order" in text
