"""`deckgen serve` in a real browser: Debian's chromium, headless, driven through chromedriver (WebDriver)."""
from __future__ import annotations

import os

import shutil
import time
import urllib.request

import pytest
from click.testing import CliRunner

import deckgen
from conftest import DEFAULT
from deckgen.cli import cli

LONG = ("The alliance as a hub for wider cooperation across the Indo-Pacific and far beyond it in Europe, the Atlantic "
        "and the Arctic with many partners and many more partners joining every single year of this long decade of change")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait(driver, script: str, timeout: float = 10.0):
    """Poll a JavaScript expression until it is truthy; its value."""
    end = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return {script}")
        if value or time.monotonic() > end:
            assert value, f"timed out waiting for: {script}"
            return value
        time.sleep(0.02)


def _save(path, text: str) -> None:
    """Save like most editors do: the new text written beside the file, then renamed over it (a reader never sees a
    half-written file; one written in place can be read empty for a moment, and the page then shows that error until
    the next poll a fraction of a second later)."""
    tmp = path.with_name(path.name + ".saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.mark.slow
def test_live_page_updates_on_save_keeps_scroll_and_links_problems(tmp_path, browser):
    outline = tmp_path / "live.yaml"
    text = DEFAULT.read_text(encoding="utf-8")
    _save(outline, text)
    built = deckgen.build(outline, tmp_path / "whole", write=False).products  # what the page must show
    n_slides = next(p["slides"] for p in built if p["format"] == "pptx")
    n_pages = next(p["pages"] for p in built if p["format"] == "pdf")
    from deckgen.preview import plan_for

    plan = plan_for(deckgen.load(outline)).plan  # where the edited point and the retitled section are
    talks = next(s.number for s in plan.slides for p in getattr(s, "body", ()) if "Talks with President Biden" in
                 "".join(r.text for r in p.runs))
    alliance = next(s.number for s in plan.slides if s.loc == ("sections", 3))
    server = deckgen.serve(outline)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        browser.get(server.url)
        _wait(browser, "document.body.dataset.version === '1' && document.body.dataset.pending === 'false' && "
                       f"document.querySelectorAll('#slides .slide svg').length === {n_slides}")
        assert len(browser.find_elements("css selector", "#pages .page img")) == n_pages
        _wait(browser, "[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 0)")
        assert browser.find_element("id", "status").text.startswith("built in ")
        assert browser.find_elements("css selector", "#problems li") == []

        # scroll the deck half-way down, then edit a point and a section title (a title too long: a warning)
        browser.execute_script("document.getElementById('deck').scrollTop = 2400")
        top = browser.execute_script("return document.getElementById('deck').scrollTop")
        assert top > 2000
        edited = text.replace("text: Talks with President Biden and a speech to both houses of Congress",
                              "text: Talks with President Biden, edited live in the browser test")
        edited = edited.replace("title: The alliance as a hub for wider cooperation", f"title: {LONG}")
        before = [img.get_attribute("src") for img in browser.find_elements("css selector", "#pages img")]
        saved = time.perf_counter()
        _save(outline, edited)
        _wait(browser, "document.body.dataset.version === '2' && "
                       f"document.getElementById('slide-{talks}').innerHTML.includes('edited live in the browser test')", timeout=5)
        deck_latency = time.perf_counter() - saved
        _wait(browser, "document.body.dataset.version === '2' && document.body.dataset.pending === 'false' && "
                       "[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 0)", timeout=5)
        latency = time.perf_counter() - saved
        # the deck shows the edit first, then the brief; both within about a second of the save
        assert deck_latency < 0.8 and latency < 1.5, (deck_latency, latency)
        after = [img.get_attribute("src") for img in browser.find_elements("css selector", "#pages img")]
        assert after != before  # the brief's changed pages have new pictures
        shown = browser.find_element("id", f"slide-{talks}").get_attribute("innerHTML")
        assert "Talks with President Biden, edited live in the browser test" in shown
        assert "a speech to both houses" not in shown
        assert browser.execute_script("return document.getElementById('deck').scrollTop") == top  # scroll kept
        items = browser.find_elements("css selector", "#problems li.warning")
        assert [li.text for li in items] == [
            f"{outline}:189:5: sections[multilateral]: the slide title needs more than 2 lines — shorten it [warning]"]
        link = items[0].find_element("css selector", "a")
        assert (link.get_attribute("data-slide"), link.get_attribute("data-page")) == (str(alliance), "4")
        link.click()
        # the slide the warning concerns is now at the top of the deck column, its page at the top of the brief's
        deck_top = browser.execute_script("return document.getElementById('deck').getBoundingClientRect().top")
        slide_top = browser.execute_script(f"return document.getElementById('slide-{alliance}').getBoundingClientRect().top")
        assert abs(slide_top - deck_top) < 20
        page_top = browser.execute_script("return document.getElementById('page-4').getBoundingClientRect().top")
        assert abs(page_top - deck_top) < 20
        browser.save_screenshot(str(tmp_path / "serve.png"))
        assert (tmp_path / "serve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # a broken outline: its located error on the page, the last good build still shown
        _save(outline, edited.replace("  title: What Are the Regional", "  titel: What Are the Regional", 1))
        _wait(browser, "document.body.dataset.version === '3'", timeout=5)
        errors = [li.text for li in browser.find_elements("css selector", "#problems li.error")]
        assert any(e.startswith(f"{outline}:6:3: meta.titel: unknown key 'titel'") for e in errors), errors
        assert browser.find_element("id", "status").text.startswith("not rebuilt: ")
        assert len(browser.find_elements("css selector", "#slides .slide svg")) == n_slides

        # fixed again, then another audience from the switcher
        _save(outline, text)
        _wait(browser, "document.body.dataset.version === '4' && document.querySelectorAll('#problems li').length === 0", timeout=5)
        from selenium.webdriver.support.ui import Select

        Select(browser.find_element("id", "audience")).select_by_value("defence")
        _wait(browser, "document.body.dataset.audience === 'defence'")
        counts = deckgen.build(outline, tmp_path / "build", audiences=["defence"]).products
        slides = next(p["slides"] for p in counts if p["format"] == "pptx")
        pages = next(p["pages"] for p in counts if p["format"] == "pdf")
        assert len(browser.find_elements("css selector", "#slides .slide svg")) == slides
        assert len(browser.find_elements("css selector", "#pages .page img")) == pages
    finally:
        server.close()


def test_serves_only_this_machine_and_missing_outline_fails(tmp_path):
    outline = tmp_path / "o.yaml"
    shutil.copy(DEFAULT, outline)
    server = deckgen.serve(outline)
    try:
        assert server.httpd.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(server.url + "state", timeout=10) as r:
            assert r.headers["Content-Type"] == "application/json"
        with urllib.request.urlopen(server.url + "events", timeout=10) as r:
            assert r.readline() == b"retry: 500\n"
    finally:
        server.close()
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'none.yaml'}:1:1: no such file — check the outline's path\n"


def test_an_edit_redraws_only_the_pages_it_changed(tmp_path):
    """Incremental: the deck is re-planned and drawn again, but only the brief pages whose content changed are
    rasterised again; a chart edit changes the chart's slide and its page."""
    from deckgen.serve import Session

    outline = tmp_path / "o.yaml"
    text = DEFAULT.read_text(encoding="utf-8")
    _save(outline, text)
    session = Session(outline)
    assert session.poll()
    first = session.current(None)
    assert first.rendered_pages == len(first.pages) == 9
    text = text.replace("Common values underpin the format", "Shared values underpin the format")
    _save(outline, text)
    assert session.poll()
    second = session.current(None)
    changed_slides = [i + 1 for i, (a, b) in enumerate(zip(first.slides, second.slides)) if a != b]
    changed_pages = [i + 1 for i, (a, b) in enumerate(zip(first.pages, second.pages)) if a != b]
    from deckgen.preview import plan_for

    plan = plan_for(deckgen.load(outline)).plan  # the slides the two edits are on
    shown = {s.number: "".join(r.text for p in getattr(s, "body", ()) for r in p.runs) for s in plan.slides}
    common = next(n for n, t in shown.items() if "Shared values underpin the format" in t)
    fdi = next(s.number for s in plan.slides if getattr(getattr(s, "chart", None), "chart_id", "") == "japan-fdi")
    assert changed_slides == [common]
    assert 1 <= second.rendered_pages <= 2 and len(changed_pages) == second.rendered_pages
    assert second.timings["deck"] < second.timings["brief"]
    # a chart's data: its slide and the page holding its figure
    _save(outline, text.replace("values: [783.3, 749.6", "values: [801.2, 749.6"))
    assert session.poll()
    third = session.current(None)
    assert [i + 1 for i, (a, b) in enumerate(zip(second.slides, third.slides)) if a != b] == [fdi]
    assert "801.2" in third.slides[fdi - 1]
    assert third.rendered_pages == 1
