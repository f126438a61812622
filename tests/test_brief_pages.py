"""The brief's pagination, checked by tests/pagecheck.py: each rule fails on a small synthetic PDF that has its defect,
and real builds (the bundled outline, each of its audiences, long generated outlines) are checked for every rule."""
from __future__ import annotations

import io
import itertools
from types import SimpleNamespace

import briefgen
import pagecheck
import pytest
from conftest import DEFAULT, ROOT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# ---------------------------------------------------------------- a tiny typesetter for synthetic PDFs

A4 = (595.2756, 841.8898)
BODY, LEADING, DESCENT = 10.5, 14.5, 3.0
GEOMETRY = SimpleNamespace(top=56.0, bottom=64.0, text_left=150.0, text_right=430.0)  # ~66 characters a line
WIDE = SimpleNamespace(top=56.0, bottom=64.0, text_left=40.0, text_right=555.0)  # ~120 characters a line
REGULAR, BOLD = "PagecheckCarlito", "PagecheckCarlito-Bold"
WORDS = ("the alliance should coordinate defence spending and industrial policy with its partners in the region while "
         "keeping supply chains open to trusted suppliers and investing in research").split()
URL = "https://www.example.org/publications/policy-papers/2024/annual_review?lang=en&doc=17#page=3"


def _fonts() -> None:
    for name, face in ((REGULAR, "Regular"), (BOLD, "Bold")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(ROOT / "assets" / "fonts" / f"Carlito-{face}.ttf")))


class Synth:
    """Lines on a grid of LEADING rows per page: paragraphs (justified but for their last line), a blank row between
    blocks, headings, small lines; a paragraph that reaches the foot of the page goes on at the top of the next."""

    def __init__(self, geometry=GEOMETRY):
        _fonts()
        self.g = geometry
        self.buf = io.BytesIO()
        self.canvas = Canvas(self.buf, pagesize=A4)
        self.words = itertools.cycle(WORDS)
        area_bottom = A4[1] - geometry.bottom
        self.rows = int((area_bottom - DESCENT - geometry.top - BODY) // LEADING) + 1
        self.row = 0

    @property
    def width(self) -> float:
        return self.g.text_right - self.g.text_left

    def left(self) -> int:
        """Rows left on this page."""
        return self.rows - self.row

    def page(self) -> None:
        self.canvas.showPage()
        self.row = 0

    def gap(self) -> None:
        if self.row:
            self.row += 1

    def _draw(self, items: list[tuple[str, str, float]], justify: bool) -> None:
        if self.row >= self.rows:
            self.page()
        y = A4[1] - (self.g.top + BODY + self.row * LEADING)
        widths = [pdfmetrics.stringWidth(w, f, s) for w, f, s in items]
        space = (self.width - sum(widths)) / (len(items) - 1) if justify and len(items) > 1 else 0.226 * BODY
        x = self.g.text_left
        for (word, font, size), width in zip(items, widths):
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, y, word)
            x += width + space
        self.row += 1

    def _fill(self, share: float, first: list[tuple[str, str, float]] = ()) -> list[tuple[str, str, float]]:
        """Words for one line up to `share` of the measure, starting with `first`."""
        items = list(first)
        while True:
            word = next(self.words)
            trial = " ".join(w for w, _, _ in items + [(word, REGULAR, BODY)])
            if pdfmetrics.stringWidth(trial, REGULAR, BODY) > share * self.width:
                return items
            items.append((word, REGULAR, BODY))

    def para(self, lines: int, head: str | None = None, head_font: str = BOLD) -> None:
        self.gap()
        first = [(w, head_font, BODY) for w in head.split()] if head else []
        for i in range(lines):
            last = i == lines - 1
            self._draw(self._fill(0.55 if last else 1.0, first if i == 0 else ()), justify=not last)

    def heading(self, text: str) -> None:
        self.gap()
        self._draw([(w, BOLD, 14.0) for w in text.split()], justify=False)

    def small(self, *pieces: str) -> None:
        """Lines of 9 pt text (a references list): each piece on its own line."""
        self.gap()
        for piece in pieces:
            self._draw([(w, REGULAR, 9.0) for w in piece.split()], justify=False)

    def fill(self, rows_left: int) -> None:
        """Paragraphs until exactly `rows_left` rows are left on this page."""
        remaining = self.left() - rows_left
        while remaining >= 8:
            self.para(5)
            remaining = self.left() - rows_left
        if remaining:
            assert remaining >= 2 or not self.row and remaining >= 1, remaining
            self.para(remaining - (1 if self.row else 0))

    def pdf(self) -> bytes:
        self.canvas.save()
        return self.buf.getvalue()


def _check(pdf: bytes, geometry=GEOMETRY, **kw) -> pagecheck.Report:
    kw.setdefault("urls", [URL])
    kw.setdefault("runin_heads", ["Closer command ties matter for the alliance"])
    return pagecheck.check(pdf, geometry, body_size=BODY, **kw)


def _clean(s: Synth) -> None:
    """A two-page brief with none of the defects: a heading, a run-in head, a paragraph split 2 + 3 over the page
    break, a URL broken after '/'."""
    s.heading("Security and deterrence")
    s.para(4, head="Closer command ties")
    s.fill(3)
    s.para(5)  # two lines here, three on page 2
    s.heading("Sources")
    s.small("1. Annual review of policy. https://www.example.org/publications/policy-papers/",
            "2024/annual_review?lang=en&doc=17#page=3")


def _rules(report: pagecheck.Report) -> list[str]:
    return [v.rule for v in report.violations]


def test_a_clean_synthetic_brief_passes():
    s = Synth()
    _clean(s)
    report = _check(s.pdf())
    assert report.violations == [], report.summary()
    assert report.pages == 2
    assert report.leading == pytest.approx(LEADING, abs=0.1)
    assert 55 <= report.median_chars <= 80
    assert report.empty[0] < 0.05 and report.empty[1] > 0.5


def test_the_column_falls_back_to_the_margins():
    s = Synth()
    _clean(s)
    pdf = s.pdf()
    margins = SimpleNamespace(top=56.0, bottom=64.0, left=150.0, right=A4[0] - 430.0, width=A4[0])
    no_width = SimpleNamespace(top=56.0, bottom=64.0, left=150.0, right=A4[0] - 430.0)  # the page's width is used
    assert _check(pdf, margins) == _check(pdf) == _check(pdf, no_width)


def test_text_inside_a_figure_is_not_body_text():
    s = Synth()
    s.para(6)
    plain = _check(s.pdf(), urls=[], runin_heads=[])
    s = Synth()
    s.para(6)
    c = s.canvas
    c.beginForm("chart", 0, 0, 280, 200)  # a chart drawn as a Form XObject with body-size text in it
    c.setFont(REGULAR, BODY)
    for i in range(12):
        c.drawString(10, 185 - i * LEADING, f"Japan {2013 + i} spending and orders")  # ~30 characters a line
    c.endForm()
    c.saveState()
    c.translate(GEOMETRY.text_left, 300)
    c.doForm("chart")
    c.restoreState()
    report = _check(s.pdf(), urls=[], runin_heads=[])
    assert report.violations == [], report.summary()
    assert report.median_chars == plain.median_chars


def test_a_heading_as_the_last_line_of_a_page():
    s = Synth()
    s.fill(2)
    s.heading("Economic security")  # the blank row, then the heading on the page's last row
    s.para(5)
    report = _check(s.pdf(), urls=[], runin_heads=[])
    assert _rules(report) == ["heading-last"], report.summary()
    assert report.violations[0] == pagecheck.Violation(1, "heading-last", "Economic security")


def test_a_one_line_orphan():
    s = Synth()
    s.fill(2)
    s.para(4)  # one line at the foot of page 1, three on page 2
    report = _check(s.pdf(), urls=[], runin_heads=[])
    assert _rules(report) == ["orphan"], report.summary()
    assert report.violations[0].page == 1


def test_a_one_line_widow():
    s = Synth()
    s.fill(4)
    s.para(4)  # three lines on page 1, the last on page 2
    s.para(3)
    report = _check(s.pdf(), urls=[], runin_heads=[])
    assert _rules(report) == ["widow"], report.summary()
    assert report.violations[0].page == 2


def test_a_half_empty_page():
    s = Synth()
    s.heading("Background")
    s.para(8)
    s.para(8)
    s.page()
    s.para(6)
    report = _check(s.pdf(), urls=[], runin_heads=[])
    assert _rules(report) == ["empty"], report.summary()
    assert report.violations[0].page == 1 and report.empty[0] > 0.5


def test_lines_of_120_characters():
    s = Synth(WIDE)
    for _ in range(4):
        s.para(5)
    report = _check(s.pdf(), WIDE, urls=[], runin_heads=[])
    assert _rules(report) == ["measure"], report.summary()
    assert 110 <= report.median_chars <= 130


def test_a_url_broken_after_ht():
    s = Synth()
    s.para(4)
    s.small("1. Annual review of policy. ht", URL.removeprefix("ht"))
    report = _check(s.pdf(), runin_heads=[])
    assert _rules(report) == ["url-break"], report.summary()
    assert report.violations[0].text.startswith("ht | tps://")


def test_a_url_that_is_not_there():
    s = Synth()
    s.para(4)
    report = _check(s.pdf(), runin_heads=[])
    assert _rules(report) == ["url-missing"], report.summary()


def test_a_runin_head_in_regular_weight():
    s = Synth()
    s.para(4, head="Closer command ties", head_font=REGULAR)
    report = _check(s.pdf(), urls=[])
    assert _rules(report) == ["runin-missing"], report.summary()
    assert report.violations[0].text == "Closer command ties"


def test_the_command_line_prints_the_summary(tmp_path, capsys):
    s = Synth()
    _clean(s)
    path = tmp_path / "clean.pdf"
    path.write_bytes(s.pdf())
    args = [str(path), "--text-left", "150", "--text-right", "430", "--url", URL]
    assert pagecheck.main(args) == 0
    out = capsys.readouterr().out
    assert "2 pages" in out and "0 violations" in out


def test_generated_outlines_are_valid_and_deterministic():
    from deckgen.model import Outline, check

    for language in ("en", "pl"):
        data = briefgen.long_outline(language)
        assert data == briefgen.long_outline(language)
        assert data != briefgen.long_outline(language, seed=2)
        outline = Outline.model_validate(data)
        assert check(outline) == []
        assert 9 <= len(outline.sections) <= 10 and len(outline.charts) == 8 and len(outline.sources) == 20
        assert len(outline.key_figures) == 7
        kinds = [s.kind for s in outline.sections]
        assert {"quote", "conclusions", "recommendations"} <= set(kinds)
        assert max(len(c.categories) for c in outline.charts) == 17
        assert len(briefgen.urls(data)) == 20 and briefgen.runin_heads(data)
    assert set("ąćęłńóśźż") <= set(str(briefgen.long_outline("pl")))


# ---------------------------------------------------------------- real builds

EPOCH = 1713484800


def _default():
    from deckgen.outline import load_outline

    return load_outline(DEFAULT).outline


def _outline(case: str):
    """The Outline of a test case: the bundled outline, one of its audiences ("us-japan:NAME"), a generated one."""
    from deckgen.audience import tailor
    from deckgen.model import Outline

    if case.startswith("long-"):
        return Outline.model_validate(briefgen.long_outline(case.removeprefix("long-")))
    outline = _default()
    return tailor(outline, case.split(":")[1]) if ":" in case else outline


CASES = ["us-japan", *(f"us-japan:{name}" for name in _default().audiences), "long-en", "long-pl"]


@pytest.fixture(scope="module", params=CASES)
def built(request):
    """One build per case per session: the report of the checker on the brief."""
    from deckgen.chartcache import ChartStore
    from deckgen.layout.brief import plan_brief
    from deckgen.theme import load_theme
    from deckgen.typeset import typesetting
    from deckgen.writers.pdf import write_brief

    outline = _outline(request.param)
    ctx = typesetting(load_theme(), language=outline.meta.language)
    plan, _ = plan_brief(outline, ctx)
    pdf = write_brief(plan, ctx, EPOCH, ChartStore(ctx.theme).pdf)
    data = outline.model_dump(mode="json")
    return pagecheck.check(pdf, plan.page, body_size=float(plan.body_size),
                           runin_heads=briefgen.runin_heads(data), urls=briefgen.urls(data))


def test_the_brief_paginates_cleanly(built):
    assert built.violations == [], "\n" + built.summary()
