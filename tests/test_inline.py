"""Inline markup: runs, escapes, links, forbidden characters."""
from __future__ import annotations

from deckgen.inline import XML_FORBIDDEN, Run, clean, links, parse, plain


def test_bold_italic_link_runs():
    assert parse("a **b** *c* [d](https://x.org/)") == [
        Run("a "), Run("b", bold=True), Run(" "), Run("c", italic=True), Run(" "), Run("d", url="https://x.org/"),
    ]


def test_nested_bold_inside_link_and_italic_inside_bold():
    assert parse("[**A**](https://x.org)") == [Run("A", bold=True, url="https://x.org")]
    assert parse("**a *b* c**") == [Run("a ", bold=True), Run("b", bold=True, italic=True), Run(" c", bold=True)]


def test_unmatched_markers_stay_literal():
    assert plain("5 * 3 = 15 and 2**3") == "5 * 3 = 15 and 2**3"
    assert plain("[not a link] (x)") == "[not a link] (x)"


def test_escaped_marker():
    assert parse(r"\*not italic\*") == [Run("*not italic*")]


def test_markup_like_text_is_just_text():
    assert plain("x<y & AT&T <b>bold</b> $5 and $10") == "x<y & AT&T <b>bold</b> $5 and $10"


def test_clean_strips_xml_forbidden_characters():
    assert clean("a\x00b\x07c\ufffed\ud800e\tf\ng") == "abcde\tf\ng"


def test_links_lists_targets():
    assert links("see [a](https://a.org) and [b](mailto:x@y.org)") == ["https://a.org", "mailto:x@y.org"]


def test_xml_forbidden_is_what_clean_removes():
    bad = "\x00\x01\x08\x0b\x0c\x0e\x1f\ud800\udfff\ufffe\uffff"
    assert XML_FORBIDDEN.findall(bad) == list(bad)
    assert clean("a" + bad + "\t\n\u00e9🙂") == "a\t\n\u00e9🙂"


def test_link_with_parentheses_or_spaces_stays_text():
    assert links("[x](javascript:alert(1))") == []
    assert plain("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert links("[x](https://a.org/b c)") == []
