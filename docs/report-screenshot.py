"""Remake docs/report.png: the report on the weak fixture resume, one finding opened.

    cargo run --release -- report fixtures/markdown/resume-weak.md -o target/report.html
    python docs/report-screenshot.py target/report.html docs/report.png

Needs playwright (pip) and Debian's chromium; never downloads a browser. With pillow installed
the PNG is cut to 256 colours (a third of the size).
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# The finding opened in the picture: "Helped with the recommendation model".
OPEN = "ml-ownership/hedged-ml-claim"

html, png = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
    browser = p.chromium.launch_persistent_context(
        profile, executable_path="/usr/bin/chromium", headless=True, args=ARGS,
        viewport={"width": 1360, "height": 1320})
    page = browser.new_page()
    page.goto(Path(html).resolve().as_uri())
    entry = page.locator(f'li.finding[data-rule="{OPEN}"]').first.get_attribute("id")
    page.locator(f'.doc .hl[data-d~="{entry}"]').first.click()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=png)
    browser.close()

try:
    from PIL import Image
except ImportError:
    sys.exit(0)
Image.open(png).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(png, optimize=True)
