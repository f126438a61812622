"""The loader: YAML traps, located errors, all problems at once."""
from __future__ import annotations

import pytest

from conftest import MINI
from deckgen.errors import OutlineError
from deckgen.outline import load_bytes, load_outline

HEAD = "meta:\n  title: T\n  date: 2024-04-19\nlead: L\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(OutlineError) as info:
        load_bytes(text.encode("utf-8"), "o.yaml")
    return [str(p) for p in info.value.problems]


def test_mini_outline_loads_with_every_part():
    o = load_outline(MINI).outline
    assert [s.id for s in o.sections] == ["first", "second", "conclusions"]
    assert [c.id for c in o.charts] == ["spend", "bases", "fdi"]
    assert o.charts[0].series[0].values == [1.0, 1.1, 1.2, 1.6, 1.8]
    assert o.charts[0].categories[0] == "2021"  # plain 2021 is a category label, not a number
    assert o.sections[0].points[1].text == "Plain string point."
    assert o.sections[0].points[0].points[0].text == "A sub-point"
    assert o.meta.date.isoformat() == "2024-04-19"


@pytest.mark.parametrize("word", ["NO", "yes", "off", "on", "12:30", "1.10", "017", "~x", "null-ish", "2024-01-01"])
def test_yaml_1_1_traps_stay_text(word):
    doc = load_bytes(f"{HEAD}sections:\n  - id: a\n    title: {word}\n    points: [{word}]\n".encode(), "o.yaml")
    section = doc.outline.sections[0]
    assert section.title == word
    assert section.points[0].text == word


def test_duplicate_key_names_both_lines():
    (err,) = errors_of(f"{HEAD}lead: again\nsections: [{{id: a, title: A}}]\n")
    assert err == "o.yaml:5:1: lead: duplicate key 'lead' (first on line 4) — keep one of them"


def test_python_tags_are_refused():
    errs = errors_of(f"{HEAD}sections: !!python/object/apply:os.system ['echo hi']\n")
    assert any("YAML tag '!!python/object/apply:os.system' is not allowed" in e for e in errs)


def test_aliases_are_refused():
    errs = errors_of(f"{HEAD}sections:\n  - &s {{id: a, title: A}}\n  - *s\n")
    assert any("anchors and aliases" in e for e in errs)


def test_unknown_key_suggests_nearest():
    errs = errors_of("meta:\n  titel: T\n  date: 2024-04-19\nlead: L\nsections: [{id: a, title: A}]\n")
    assert "o.yaml:2:3: meta.titel: unknown key 'titel' — did you mean 'title'?" in errs


def test_all_errors_at_once_with_paths_by_id():
    text = (
        f"{HEAD}sections:\n  - id: geo\n    title: G\n    points:\n      - text: ok\n      - text: [not, text]\n"
        "charts:\n  - id: c1\n    kind: pie\n    title: C\n    categories: [a, b]\n    source: S\n"
        "    series: [{name: s, values: [1, '12%']}]\n"
    )
    errs = errors_of(text)
    assert any(e.startswith("o.yaml:10:15: sections[geo].points[1].text: expected text, got a list") for e in errs)
    assert any("charts[c1].kind: 'pie' is not allowed — use one of line, column, bar" in e for e in errs)
    assert any("charts[c1].series[s].values[1]: '12%' is not a number" in e for e in errs)
    assert len(errs) == 3


def test_cross_references_are_checked():
    text = (
        f"{HEAD}sections:\n  - id: a\n    title: A\n    charts: [nope]\n    points: [{{text: x, sources: [s9]}}]\n"
        "  - id: a\n    title: B\n"
        "audiences:\n  pub: {exclude: [missing-tag], first: b}\n"
    )
    errs = errors_of(text)
    assert any("sections[a].charts[0]: no chart 'nope'" in e for e in errs)
    assert any("sections[a].points[0].sources[0]: no source 's9'" in e for e in errs)
    assert any("id 'a' is already used by sections[0]" in e for e in errs)
    assert any("audiences.pub.exclude[0]: no tag 'missing-tag'" in e for e in errs)
    assert any("audiences.pub.first: no section 'b'" in e for e in errs)


@pytest.mark.parametrize(
    "values, expected",
    [
        ("[1, 2, 3]", "has 3 values but the chart has 2 categories"),
        ("[1, .nan]", "'.nan' is not a number"),
        ("[1, nan]", "is not a finite number"),
        ("[1, null]", "is not a number"),
        ("['1,000', 2]", "'1,000' is not a number"),
        ("[1, yes]", "'yes' is not a number"),
        ("[]", "must not be empty"),
        ("[0, 0]", "every value is zero"),
    ],
)
def test_chart_data_errors(values, expected):
    text = (
        f"{HEAD}sections: [{{id: a, title: A}}]\ncharts:\n  - id: c\n    kind: column\n    title: C\n"
        f"    categories: [x, y]\n    source: S\n    series: [{{name: s, values: {values}}}]\n"
    )
    errs = errors_of(text)
    assert any(expected in e and "charts[c]" in e for e in errs), errs


def test_duplicate_categories_and_negative_stacked():
    text = (
        f"{HEAD}sections: [{{id: a, title: A}}]\ncharts:\n  - id: c\n    kind: column\n    stacked: true\n    title: C\n"
        "    categories: [x, x]\n    source: S\n    series: [{name: s, values: [1, 2]}]\n"
        "  - id: d\n    kind: column\n    stacked: true\n    title: D\n"
        "    categories: [x, y]\n    source: S\n    series: [{name: s, values: [1, -2]}]\n"
    )
    errs = errors_of(text)
    assert any("charts[c].categories: category 'x' appears twice" in e for e in errs)
    assert any("charts[d].series[s].values[1]: a stacked chart cannot show negative values" in e for e in errs)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://"])
def test_bad_links_are_errors(url):
    errs = errors_of(f"{HEAD}sections: [{{id: a, title: A}}]\nsources: [{{title: T, url: '{url}'}}]\n")
    assert any("sources[0].url" in e for e in errs), errs


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "o.yaml:1:1: the outline is empty"),
        ("# only a comment\n", "o.yaml:1:1: the outline is empty"),
        ("- a\n- b\n", "must be a mapping of keys"),
        ("a: 1\n---\nb: 2\n", "remove the '---' separators"),
        ("a: 1\n\tb: 2\n", "indent with spaces, not tabs"),
        ("a: b: c\n", "o.yaml:1:5: YAML syntax: mapping values are not allowed"),
        ("a: 'x\n", "a quote is not closed"),
        ("meta:\n  title: T\n  date: 2027-13-45\nlead: L\nsections: [{id: a, title: A}]\n", "o.yaml:3:9: meta.date: '2027-13-45' is not a valid date"),
    ],
)
def test_broken_yaml(text, expected):
    errs = errors_of(text)
    assert any(expected in e for e in errs), errs


def test_non_utf8_names_the_line():
    with pytest.raises(OutlineError) as info:
        load_bytes(HEAD.encode() + b"sections: [{id: a, title: \xff}]\n", "o.yaml")
    assert str(info.value).startswith("o.yaml:5:")
    assert "not UTF-8" in str(info.value)


def test_bom_is_accepted():
    doc = load_bytes(("\ufeff" + HEAD + "sections: [{id: a, title: A}]\n").encode(), "o.yaml")
    assert doc.outline.meta.title == "T"


def test_missing_required_fields():
    errs = errors_of("meta:\n  date: 2024-04-19\nsections: [{id: a}]\n")
    assert any("meta.title: 'title' is required" in e for e in errs)
    assert any(e.startswith("o.yaml:") and "lead: 'lead' is required" in e for e in errs)
    assert any("sections[a].title: 'title' is required" in e for e in errs)


@pytest.mark.parametrize("value", ["~", "null", ""])
def test_plain_null_means_absent_but_quoted_null_is_text(value):
    doc = load_bytes(f"meta:\n  title: T\n  subtitle: {value}\n  date: 2024-04-19\nlead: L\nsections: [{{id: a, title: A}}]\n".encode(), "o.yaml")
    assert doc.outline.meta.subtitle is None
    quoted = load_bytes(f"meta:\n  title: T\n  subtitle: '~'\n  date: 2024-04-19\nlead: L\nsections: [{{id: a, title: A}}]\n".encode(), "o.yaml")
    assert quoted.outline.meta.subtitle == "~"
