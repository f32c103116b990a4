"""Check a `resume-lint report` page in a real browser (Debian's chromium through playwright).

usage: report_browser.py REPORT.html DIAGNOSTICS.json SCREENSHOT.png

DIAGNOSTICS.json is `resume-lint --format json` over the same files (text formats only: the
quoted span is read from the file's bytes). Checks, each a failure with a reason:
  - the page loads from file:// with no console error, no page error and no request besides itself;
  - every diagnostic has its entry, and the highlighted pieces of its text, joined, are exactly the
    bytes the diagnostic's span covers (and are on screen);
  - clicking a highlight opens the explanation: its message, help and why;
  - a full-page screenshot is written.
Run by tests/report_browser.rs; never downloads a browser (`executable_path` is the system one).
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("RESUME_LINT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

failures = []


def fail(message):
    failures.append(message)


def main():
    report, diagnostics_json, screenshot = (Path(a).resolve() for a in sys.argv[1:4])
    output = json.loads(diagnostics_json.read_text())
    diagnostics = output["diagnostics"]
    url = report.as_uri()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 900},
        )
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: fail(f"page error: {e}"))
        page.on("request", lambda r: r.url != url and fail(f"the page requested {r.url}"))
        page.goto(url, wait_until="load")
        for m in console:
            fail(f"console {m.type}: {m.text}")

        sections = page.locator("section.file")
        by_path = {}
        for i in range(sections.count()):
            by_path[sections.nth(i).locator("h2 code").first.inner_text()] = sections.nth(i)

        entries = page.locator("li.finding")
        if entries.count() != len(diagnostics):
            fail(f"{entries.count()} findings on the page, {len(diagnostics)} in the JSON")

        sources = {}
        for d in diagnostics:
            path, rule = d["path"], d["rule"]
            start, end = d["start"]["byte"], d["end"]["byte"]
            where = f"{path}:{d['start']['line']}:{d['start']['column']} {rule}"
            section = by_path.get(path)
            if section is None:
                fail(f"{where}: no section for the file")
                continue
            if path not in sources:
                sources[path] = Path(path).read_bytes()
            quoted = sources[path][start:end].decode("utf-8").replace("\r\n", "\n")
            entry = section.locator(f'li.finding[data-rule="{rule}"][data-start="{start}"][data-end="{end}"]')
            if entry.count() != 1:
                fail(f"{where}: {entry.count()} entries on the page")
                continue
            ident = entry.get_attribute("id")
            pieces = section.locator(f'.doc .hl[data-d~="{ident}"]')
            shown = "".join(pieces.all_text_contents())
            if shown != quoted:
                fail(f"{where}: highlighted {shown!r}, the diagnostic quotes {quoted!r}")
                continue
            if pieces.count() == 0:
                fail(f"{where}: nothing highlighted")
                continue
            first = pieces.first
            if quoted and (first.bounding_box() or {}).get("width", 0) <= 0:
                fail(f"{where}: the highlight is not on screen")
            # A click shows the explanation: message, help and why, as the JSON has them.
            first.click()
            pop = page.locator("#pop")
            if not pop.is_visible():
                fail(f"{where}: clicking the highlight showed nothing")
                continue
            # textContent: the words as written (CSS capitalises a message's first letter on screen).
            text = " ".join(pop.text_content().split())
            for label, want in (("message", d["message"]), ("help", d["help"])):
                want = " ".join(want.replace("`", "").split())
                if want not in text:
                    fail(f"{where}: the explanation lacks the {label} {want!r}")
            if "Why it matters:" not in text:
                fail(f"{where}: the explanation lacks the why")
            page.keyboard.press("Escape")
            if pop.is_visible():
                fail(f"{where}: Escape did not close the explanation")

        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot), full_page=True)
        context.close()

    if failures:
        for f in failures:
            print(f"FAIL {f}")
        sys.exit(1)
    print(f"ok: {len(diagnostics)} highlights checked in {CHROMIUM}; screenshot {screenshot}")


if __name__ == "__main__":
    main()
