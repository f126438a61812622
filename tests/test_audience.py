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


# --- tables, images, quotes, boxes and comparison columns (issue 14) ------------------------------------------------

ELEMENTS = """\
meta: {title: T, date: 2024-04-19}
lead: L
sections:
  - id: sec
    title: Security
    tables: [t-sec, t-eco]
    images: [i-sec, i-eco]
    charts: [c-tab]
    quotes:
      - {text: We stand together., by: A, tags: [security]}
      - {text: Trade grows., by: B, tags: [economy]}
    boxes:
      - title: Key takeaway
        points: [{text: Deterrence holds, tags: [security]}, {text: Yen is weak, tags: [economy]}]
      - {title: Money box, text: Funds., tags: [economy]}
    points: [{text: A key point, key: true}, Another point]
  - id: cmp
    title: Before and after
    kind: comparison
    columns:
      - {title: Before, points: [Old], tags: [history]}
      - {title: After, points: [{text: New}, {text: Priced, tags: [economy]}]}
tables:
  - {id: t-sec, title: Sites, columns: [Site, Troops], rows: [[Misawa, "1000"]], tags: [security]}
  - {id: t-eco, title: Trade, columns: [Item, Value], rows: [[Cars, "5"]], tags: [economy]}
  - {id: t-unused, title: Unused, columns: [A, B], rows: [[a, "1"]]}
charts:
  - {id: c-tab, kind: column, title: From a table, from: t-eco, source: S, tags: [economy]}
images:
  - {id: i-sec, file: base.png, alt: A base, tags: [security]}
  - {id: i-eco, file: port.png, alt: A port, tags: [economy]}
audiences:
"""


@__import__("functools").lru_cache(maxsize=1)
def _pictures_dir():
    """A folder holding the two images ELEMENTS names (the loader reads image files, as it reads a logo)."""
    import tempfile
    from pathlib import Path

    from PIL import Image as PILImage

    folder = Path(tempfile.mkdtemp(prefix="deckgen-audience-"))
    for name in ("base.png", "port.png"):
        PILImage.new("RGB", (40, 30), (200, 100, 50)).save(folder / name)
    return folder


def tailored_elements(audience_yaml: str, name: str = "a"):
    doc = load_bytes((ELEMENTS + audience_yaml).encode(), "o.yaml", _pictures_dir())
    return doc.outline, tailor(doc.outline, name)


def test_exclude_drops_tables_images_quotes_and_boxes_and_prunes_section_ids():
    _, t = tailored_elements("  a: {exclude: [economy]}\n")
    assert [x.id for x in t.tables] == ["t-sec"] and [x.id for x in t.images] == ["i-sec"] and t.charts == []
    sec = t.sections[0]
    assert (sec.tables, sec.images, sec.charts) == (["t-sec"], ["i-sec"], [])
    assert [q.by for q in sec.quotes] == ["A"]
    assert [b.title for b in sec.boxes] == ["Key takeaway"]
    assert [p.text for p in sec.boxes[0].points] == ["Deterrence holds"]
    assert [p.text for p in t.sections[1].columns[1].points] == ["New"]


def test_include_keeps_tagged_matches_and_untagged_elements():
    _, t = tailored_elements("  a: {include: [economy]}\n")
    assert [x.id for x in t.tables] == ["t-eco"] and [x.id for x in t.images] == ["i-eco"]
    assert [c.id for c in t.charts] == ["c-tab"]
    assert t.charts[0].series[0].values == [5.0]  # the chart's data came from its table at load time
    sec = t.sections[0]
    assert [q.by for q in sec.quotes] == ["B"] and [b.title for b in sec.boxes] == ["Key takeaway", "Money box"]


def test_unshown_tables_and_images_are_dropped_like_charts():
    o, t = tailored_elements("  a: {}\n")
    assert [x.id for x in o.tables] == ["t-sec", "t-eco", "t-unused"]
    assert [x.id for x in t.tables] == ["t-sec", "t-eco"]


def test_a_comparison_left_with_one_column_shows_it_as_a_box():
    _, t = tailored_elements("  a: {exclude: [history]}\n")
    cmp = t.sections[1]
    assert cmp.columns == [] and cmp.kind == "auto"
    assert [(b.title, [p.text for p in b.points]) for b in cmp.boxes] == [("After", ["New", "Priced"])]
    _, t = tailored_elements("  a: {exclude: [economy]}\n")
    assert t.sections[1].kind == "comparison" and len(t.sections[1].columns) == 2


def test_summary_keeps_tables_images_quotes_and_boxes_as_it_keeps_charts():
    o, t = tailored_elements("  a: {depth: summary, max_points: 1}\n")
    sec, full = t.sections[0], o.sections[0]
    assert [p.text for p in sec.points] == ["A key point"]
    assert (sec.tables, sec.images, sec.charts, sec.quotes, sec.boxes) == (full.tables, full.images, full.charts, full.quotes, full.boxes)


def test_tags_on_new_elements_are_known_to_audiences():
    for tag in ("history", "security", "economy"):
        tailored_elements(f"  a: {{exclude: [{tag}]}}\n")  # no "no tag" error
    only_in_a_box = ELEMENTS.replace("{text: Yen is weak, tags: [economy]}", "{text: Yen is weak, tags: [fx]}")
    load_bytes((only_in_a_box + "  a: {exclude: [fx]}\n").encode(), "o.yaml", _pictures_dir())


def test_manifest_and_audience_table_list_tables_and_images(tmp_path):
    import json

    from PIL import Image as PILImage

    from deckgen import build
    from deckgen.outline import load_outline
    from deckgen.report import audience_table

    for name in ("base.png", "port.png"):
        PILImage.new("RGB", (40, 30), (200, 100, 50)).save(tmp_path / name)
    path = tmp_path / "o.yaml"
    path.write_text(ELEMENTS + "  sec: {exclude: [economy]}\n  eco: {include: [economy]}\n", encoding="utf-8")
    build(path, tmp_path / "out", formats=("pptx",), all_audiences=True)
    manifest = json.loads((tmp_path / "out" / "o.manifest.json").read_text(encoding="utf-8"))["audiences"]
    assert (manifest["sec"]["tables"], manifest["sec"]["images"]) == (["t-sec"], ["i-sec"])
    assert (manifest["eco"]["tables"], manifest["eco"]["images"], manifest["eco"]["charts"]) == (["t-eco"], ["i-eco"], ["c-tab"])
    names, rows = audience_table(load_outline(path))
    table = dict(rows)
    assert names == ["sec", "eco"]
    assert table["table t-sec"] == ["in", "out"] and table["table t-eco"] == ["out", "in"] and table["table t-unused"] == ["out", "out"]
    assert table["image i-sec"] == ["in", "out"] and table["image i-eco"] == ["out", "in"]
