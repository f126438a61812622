"""Tailoring rules, each on a tiny outline."""
from __future__ import annotations

import pytest

from deckgen.audience import tailor
from deckgen.errors import OutlineError
from deckgen.outline import load_bytes

BASE = """\
meta: {title: Full title, subtitle: Sub, date: 2024-04-19, classification: Restricted}
lead: Full lead.
sections:
  - id: sec
    title: Security
    tags: [security]
    charts: [c-sec]
    points:
      - {id: p1, text: Key security point, key: true, detail: Long prose., points: [sub a]}
      - {text: Minor security point, tags: [detail-only]}
      - {text: Another key point, key: true}
  - id: eco
    title: Economy
    tags: [economy]
    charts: [c-eco]
    points: [Economy point one, Economy point two]
  - id: end
    title: Conclusions
    points: [Untagged conclusion]
key_figures:
  - {id: k1, value: "1", label: security figure, tags: [security]}
  - {id: k2, value: "2", label: economy figure, tags: [economy]}
charts:
  - {id: c-sec, kind: line, title: S, categories: [a, b], series: [{name: s, values: [1, 2]}], source: X, tags: [security]}
  - {id: c-eco, kind: bar, title: E, categories: [a, b], series: [{name: s, values: [1, 2]}], source: X, tags: [economy]}
audiences:
"""


def tailored(audience_yaml: str, name: str = "a"):
    doc = load_bytes((BASE + audience_yaml).encode(), "o.yaml")
    return doc.outline, tailor(doc.outline, name)


def test_exclude_drops_sections_charts_and_figures_by_tag():
    _, t = tailored("  a: {exclude: [economy]}\n")
    assert [s.id for s in t.sections] == ["sec", "end"]
    assert [c.id for c in t.charts] == ["c-sec"]
    assert [k.id for k in t.key_figures] == ["k1"]


def test_include_keeps_tagged_matches_and_untagged_items():
    _, t = tailored("  a: {include: [economy]}\n")
    assert [s.id for s in t.sections] == ["eco", "end"]
    assert [k.id for k in t.key_figures] == ["k2"]


def test_exclude_applies_to_points():
    _, t = tailored("  a: {exclude: [detail-only]}\n")
    assert [p.text for p in t.sections[0].points] == ["Key security point", "Another key point"]


def test_summary_keeps_key_points_up_to_max_and_drops_detail():
    _, t = tailored("  a: {depth: summary, max_points: 1}\n")
    sec = t.sections[0]
    assert [p.text for p in sec.points] == ["Key security point"]
    assert sec.points[0].detail is None and sec.points[0].points == []
    assert [p.text for p in t.sections[1].points] == ["Economy point one"]  # no key points: the first ones


def test_full_depth_keeps_everything():
    o, t = tailored("  a: {depth: full}\n")
    assert t == o.model_copy(update={"options": t.options})


def test_overrides_change_wording():
    _, t = tailored(
        "  a:\n    overrides:\n      title: Plain title\n      subtitle: Plain sub\n      lead: Plain lead.\n"
        "      sections: {eco: {title: Money}}\n      points: {p1: Plain point}\n"
    )
    assert (t.meta.title, t.meta.subtitle, t.lead) == ("Plain title", "Plain sub", "Plain lead.")
    assert t.sections[1].title == "Money"
    assert t.sections[0].points[0].text == "Plain point"


def test_first_moves_a_section_to_the_front():
    _, t = tailored("  a: {first: eco}\n")
    assert [s.id for s in t.sections] == ["eco", "sec", "end"]


def test_notes_sources_and_classification():
    _, t = tailored("  a: {speaker_notes: false, sources_slide: false, classification: ''}\n")
    assert t.options.speaker_notes is False and t.options.sources_slide is False
    assert t.meta.classification is None
    _, t = tailored("  a: {classification: Public}\n")
    assert t.meta.classification == "Public"
    _, t = tailored("  a: {}\n")
    assert t.meta.classification == "Restricted"


def test_tailoring_is_pure():
    o, _ = tailored("  a: {exclude: [economy], depth: summary}\n")
    before = o.model_dump()
    tailor(o, "a")
    assert o.model_dump() == before


@pytest.mark.parametrize(
    "audience, expected",
    [
        ("{exclude: [nosuchtag]}", "audiences.a.exclude[0]: no tag 'nosuchtag'"),
        ("{first: nosection}", "audiences.a.first: no section 'nosection'"),
        ("{overrides: {sections: {ecoo: {title: X}}}}", "audiences.a.overrides.sections.ecoo: no section 'ecoo' — did you mean 'eco'?"),
        ("{overrides: {points: {p2: X}}}", "audiences.a.overrides.points.p2: no point 'p2' — known: p1"),
    ],
)
def test_unknown_names_are_located_errors(audience, expected):
    with pytest.raises(OutlineError) as info:
        load_bytes((BASE + f"  a: {audience}\n").encode(), "o.yaml")
    assert any(expected in str(p) and str(p).startswith("o.yaml:") for p in info.value.problems), str(info.value)
