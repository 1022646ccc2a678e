"""index.html in a real browser: headless Chromium driven by Playwright.

The page built from the bundled corpus is loaded from a file:// URL; every image must load,
nothing may overflow the viewport sideways, and the page's own embedded font must draw the
Chinese text (the test does not rely on a CJK font installed on the machine). A screenshot is
saved in the test's tmp folder, and in ``$LAWREPORTS_SCREENSHOT_DIR`` when that is set.

Without Chromium (``/usr/bin/chromium`` or ``$LAWREPORTS_CHROMIUM``) or Playwright the test is
skipped, except in CI (``CI=true``), where it fails: .ci/run installs both.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lawreports.cli import main
from lawreports.website import FONT_FAMILY

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("LAWREPORTS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _need(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright is not installed (pip install -e '.[dev]')")
    executable = _chromium()
    if executable is None:
        _need("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    assert main(["build", "--out", str(out), "--format", "csv", "--quiet"]) == 0
    return out


@pytest.mark.parametrize("width", [1280, 600])
def test_the_summary_page_renders_in_chromium(browser, site, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((site / "index.html").resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        images = page.evaluate("Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth])")
        assert len(images) == len(list((site / "figures").glob("*.png"))) == 8   # 6 of the corpus, 2 across years
        assert all(w and w > 0 for _, w in images), images
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"the page is {scroll}px wide in a {inner}px window"
        assert page.evaluate(f"document.fonts.check('16px \"{FONT_FAMILY}\"', '法治政府')")
        loaded = page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
        assert any(FONT_FAMILY in f for f in loaded), loaded
        # a report row links to its outline on the page
        href = page.evaluate("document.querySelector('#reports + .box a').getAttribute('href')")
        assert page.evaluate(f"!!document.getElementById('{href[1:]}')")
        shot = tmp_path / f"index-{width}.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        target = os.environ.get("LAWREPORTS_SCREENSHOT_DIR")
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(target) / shot.name)
    finally:
        page.close()


def test_a_hostile_title_shows_as_text_in_the_browser(browser, tmp_path, corpus):
    import lawreports
    from lawreports.website import write_index

    tables = {name: frame.copy() for name, frame in corpus.to_pandas()._tables.items()}
    tables["reports"].loc[0, "title"] = "<script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"
    path = write_index(lawreports.Corpus(tables), tmp_path, embed_font=False)
    page = browser.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        assert page.evaluate("window.pwned") is None
        assert "<script>window.pwned = 1</script>" in page.inner_text("body")
    finally:
        page.close()
