"""Make docs/img/serve.png: the default outline served, five saves timed (save → page updated), a title made too long so
the page lists its warning, the warning clicked, a screenshot taken in headless chromium.

Usage: python tools/serve_screenshot.py   (needs chromium and chromedriver: Debian's chromium, chromium-driver)"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import deckgen  # noqa: E402
from PIL import Image  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from test_serve import LONG  # noqa: E402


def main() -> None:
    text = (ROOT / "outlines" / "us-japan-2024.yaml").read_text(encoding="utf-8")
    out = ROOT / "docs" / "img" / "serve.png"
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the page shows the outline's path as given: a short one
        outline = Path("us-japan-2024.yaml")
        outline.write_text(text, encoding="utf-8")
        server = deckgen.serve(outline)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900", "--hide-scrollbars"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(server.url)

            def wait(js: str) -> None:
                for _ in range(500):
                    if driver.execute_script("return " + js):
                        return
                    time.sleep(0.02)
                raise SystemExit("timed out: " + js)

            wait("document.body.dataset.version === '1' && document.querySelectorAll('#slides svg').length > 0")
            from deckgen.preview import plan_for

            talks = next(s.number for s in plan_for(deckgen.load(outline)).plan.slides for p in getattr(s, "body", ())
                         if "Talks with President Biden" in "".join(r.text for r in p.runs))  # the edited point's slide
            deck, brief = [], []
            for k in range(6):
                new = (text.replace("title: The alliance as a hub for wider cooperation", f"title: {LONG}") if k == 5
                       else text.replace("Talks with President Biden", f"Talks with President Biden ({k})"))
                start = time.perf_counter()
                outline.write_text(new, encoding="utf-8")
                if k < 5:
                    wait(f"document.getElementById('slide-{talks}').innerHTML.includes('Biden ({k})')")
                    deck.append(time.perf_counter() - start)
                wait(f"document.body.dataset.version === '{k + 2}' && document.body.dataset.pending === 'false' && "
                     "[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 0)")
                if k < 5:
                    brief.append(time.perf_counter() - start)
                time.sleep(0.5)
            print("text edit, save → deck shown in the browser, ms:", " ".join(f"{s * 1000:.0f}" for s in deck))
            print("text edit, save → brief shown too, ms:", " ".join(f"{s * 1000:.0f}" for s in brief))
            wait("[...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 0)")
            driver.find_element("css selector", "#problems a").click()
            time.sleep(0.1)
            driver.execute_script("document.querySelectorAll('.flash').forEach(e => e.classList.remove('flash'))")
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
            server.close()
    image = Image.open(out).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
