"""The HTML report in a real browser: headless Chromium driven by Selenium through Debian's
chromedriver (see README, "Browser tests", for why this pair).

Each test opens a report from a file:// URL, as a reader would, and clicks, types and reads
what appears. Chromium is told to resolve no host name at all, so neither the report nor the
browser itself can reach any site. Without Chromium and chromedriver the tests skip, saying
so; with VERIFY_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead, so CI cannot pass them
by skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import html_cases
import pytest
import report_factory as factory

from verify.models import Report
from verify.report import render


class By:
    """Selenium's locator names (selenium.webdriver.common.by.By). Selenium itself, a large
    import, is loaded only when a browser test runs, not whenever the suite is collected."""

    CSS_SELECTOR = "css selector"
    ID = "id"
    TAG_NAME = "tag name"


ESCAPE = "\ue00c"  # selenium.webdriver.common.keys.Keys.ESCAPE

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
MISSING = (
    "no headless browser: install Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver) and the dev extra (selenium); "
    "or set VERIFY_CHROMIUM and VERIFY_CHROMEDRIVER"
)


def _find(env: str, names: tuple[str, ...]) -> str | None:
    if os.environ.get(env):
        return os.environ[env] if Path(os.environ[env]).is_file() else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("VERIFY_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # the dev extra is not installed
        _unavailable(MISSING)
    binary = _find("VERIFY_CHROMIUM", BROWSERS)
    driver_path = _find("VERIFY_CHROMEDRIVER", DRIVERS)
    if binary is None or driver_path is None:
        _unavailable(MISSING)
    profile = tempfile.mkdtemp(prefix="verify-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
        # no host name resolves: nothing the page or the browser tries can leave the machine
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        # a driver path given: Selenium Manager (which would download a driver) is not run
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except WebDriverException as exc:
        _unavailable(f"Chromium did not start: {exc.msg}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def demo() -> Report:
    return html_cases.demo_report()


def open_report(driver: Any, report: Report, folder: Path, name: str = "report.html") -> str:
    path = folder / name
    path.write_text(render(report, "html"), encoding="utf-8")
    driver.get(path.as_uri())
    driver.get_log("browser")  # a clean slate for the test's own checks
    return path.as_uri()


def visible_panels(driver: Any) -> list[Any]:
    return [e for e in driver.find_elements(By.CSS_SELECTOR, "section.ev") if e.is_displayed()]


def test_the_demo_renders_and_its_time_is_reported(
    browser: Any, demo: Report, tmp_path: Path
) -> None:
    path = tmp_path / "demo.html"
    path.write_text(render(demo, "html"), encoding="utf-8")
    browser.get(path.as_uri())
    timing = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "const p = performance.getEntriesByName('first-contentful-paint')[0];"
        "return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
        " paint: p ? p.startTime : null};"
    )
    print(
        f"\ndemo report ({path.stat().st_size / 1024:.0f} KB) in Chromium: DOM ready "
        f"{timing['dom']:.0f} ms, loaded {timing['load']:.0f} ms, first paint "
        + (f"{timing['paint']:.0f} ms" if timing["paint"] is not None else "not reported")
    )
    # the policy let the report's own style and script in, and nothing complained
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert browser.find_element(By.ID, "next").is_displayed()
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('mark.claim.s-unsupported'))"
        ".backgroundColor"
    )
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet applied


def test_clicking_a_claim_shows_its_passage_words_and_fragment_link(
    browser: Any, demo: Report, tmp_path: Path
) -> None:
    open_report(browser, demo, tmp_path)
    assert visible_panels(browser) == []
    # a partial claim: it has a passage, found words and missing words
    result = next(r for r in demo.articles[0].claims if r.verdict.value == "partial")
    key = f"0-{result.claim.index}"
    mark = browser.find_element(By.CSS_SELECTOR, f'mark.claim[data-claim="{key}"]')
    mark.click()
    panels = visible_panels(browser)
    assert [p.get_attribute("id") for p in panels] == [f"ev-{key}"]
    panel = panels[0]
    ev = result.evidence[0]
    passage = panel.find_element(By.CSS_SELECTOR, ".passage blockquote")
    assert " ".join(passage.text.split()) == " ".join(ev.text.split())
    highlighted = [m.text for m in passage.find_elements(By.TAG_NAME, "mark")]
    assert highlighted == [ev.text[a:b] for a, b in sorted(ev.highlights)]
    found = [li.text.lstrip("✓ ") for li in panel.find_elements(By.CSS_SELECTOR, "li.found")]
    missing = [li.text.lstrip("✗ ") for li in panel.find_elements(By.CSS_SELECTOR, "li.missing")]
    assert found == list(result.found) and missing == list(result.missing)
    link = panel.find_element(By.CSS_SELECTOR, "a.open").get_attribute("href")
    base, spec = link.split("#:~:text=")
    source = next(s for s in demo.articles[0].sources if s.reference.id == ev.reference)
    expected = (source.document.archived_url if source.document else None) or source.final_url
    assert base == (expected or source.reference.url).split("#")[0]
    start = unquote(spec.split(",")[0])
    assert start and start in " ".join(ev.text.split())
    # the claim is shown as marked, its symbol pressed
    badge = browser.find_element(By.ID, f"c-{key}")
    assert badge.get_attribute("aria-expanded") == "true"
    assert "active" in mark.get_attribute("class")
    # its symbol, clicked (which focuses it first), keeps it open; the close button shuts it
    badge.click()
    assert [p.get_attribute("id") for p in visible_panels(browser)] == [f"ev-{key}"]
    panel.find_element(By.CSS_SELECTOR, "button.close").click()
    assert visible_panels(browser) == []
    assert badge.get_attribute("aria-expanded") == "false"


def test_keyboard_moves_through_the_problems_and_escape_closes(
    browser: Any, demo: Report, tmp_path: Path
) -> None:
    open_report(browser, demo, tmp_path)
    body = browser.find_element(By.TAG_NAME, "body")
    order = [
        b.get_attribute("data-claim")
        for b in browser.find_elements(By.CSS_SELECTOR, "button.badge")
        if any(f"s-{s}" in b.get_attribute("class") for s in ("partial", "unsupported"))
    ]
    assert len(order) >= 2
    body.send_keys("n")
    assert [p.get_attribute("id") for p in visible_panels(browser)] == [f"ev-{order[0]}"]
    browser.switch_to.active_element.send_keys("n")
    assert [p.get_attribute("id") for p in visible_panels(browser)] == [f"ev-{order[1]}"]
    assert browser.switch_to.active_element.get_attribute("id") == f"c-{order[1]}"
    browser.switch_to.active_element.send_keys(ESCAPE)
    assert visible_panels(browser) == []
    # tabbing onto a claim's symbol opens its evidence too
    first = browser.find_element(By.CSS_SELECTOR, "button.badge")
    browser.execute_script("arguments[0].focus()", first)
    assert [p.get_attribute("id") for p in visible_panels(browser)] == [
        "ev-" + first.get_attribute("data-claim")
    ]


def test_show_only_problems_hides_the_supported_paragraphs(
    browser: Any, demo: Report, tmp_path: Path
) -> None:
    open_report(browser, demo, tmp_path)
    supported = [
        f"0-{r.claim.index}" for r in demo.articles[0].claims if r.verdict.value == "supported"
    ]
    problems = [
        f"0-{r.claim.index}"
        for r in demo.articles[0].claims
        if r.checkable and r.verdict.value in ("partial", "unsupported")
    ]

    def shown(key: str) -> bool:
        return bool(browser.find_element(By.ID, f"c-{key}").is_displayed())

    assert all(shown(k) for k in supported + problems)
    browser.find_element(By.ID, "only").click()
    assert all(shown(k) for k in problems)
    assert not any(shown(k) for k in supported)


def test_the_look_first_list_opens_the_claim(browser: Any, demo: Report, tmp_path: Path) -> None:
    open_report(browser, demo, tmp_path)
    first = browser.find_element(By.CSS_SELECTOR, ".first a[data-open]")
    key = first.get_attribute("data-open")
    first.click()
    assert [p.get_attribute("id") for p in visible_panels(browser)] == [f"ev-{key}"]


def test_hostile_content_runs_nothing(browser: Any, tmp_path: Path) -> None:
    report = html_cases.hostile_report()
    open_report(browser, report, tmp_path)
    for mark in browser.find_elements(By.CSS_SELECTOR, "mark.claim"):
        mark.click()
    assert browser.execute_script("return window.__pwned === undefined")
    # no element came out of the strings: the page's own markup only
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1
    assert len(browser.find_elements(By.TAG_NAME, "svg")) == 1  # the summary bar
    body = browser.find_element(By.TAG_NAME, "body").text
    assert html_cases.IMG in body
    # the report's own script did run under the policy: clicking opened the evidence
    assert visible_panels(browser)


def test_several_articles_have_a_table_of_contents(browser: Any, tmp_path: Path) -> None:
    report = factory.sample_report()
    open_report(browser, report, tmp_path)
    links = browser.find_elements(By.CSS_SELECTOR, "nav.toc a")
    assert [a.text for a in links] == [a.article.title for a in report.articles]
    links[1].click()
    assert browser.execute_script("return location.hash") == "#art-1"


def test_on_a_phone_the_evidence_opens_below_the_text(
    browser: Any, demo: Report, tmp_path: Path
) -> None:
    browser.set_window_size(390, 844)
    try:
        open_report(browser, demo, tmp_path)
        width, inner, height = browser.execute_script(
            "return [document.documentElement.scrollWidth, innerWidth, innerHeight]"
        )
        assert inner < 600  # the window did narrow to a phone's width
        assert width <= inner  # nothing forces sideways scrolling
        badge = browser.find_element(By.CSS_SELECTOR, "button.badge.s-unsupported")
        badge.click()
        key = badge.get_attribute("data-claim")
        assert [p.get_attribute("id") for p in visible_panels(browser)] == [f"ev-{key}"]
        panel = browser.find_element(By.ID, "panel")
        assert panel.is_displayed()
        rect = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom];", panel
        )
        assert rect[0] > height / 3 and rect[1] <= height + 1
    finally:
        browser.set_window_size(1280, 900)


def test_accessibility_axe_finds_no_violation(browser: Any, demo: Report, tmp_path: Path) -> None:
    try:
        from axe_selenium_python import Axe
    except ImportError:
        _unavailable("axe-selenium-python (the dev extra) is not installed")
    for name, report in (("demo", demo), ("several", factory.sample_report())):
        open_report(browser, report, tmp_path, f"{name}.html")
        # one claim's evidence open, so the panel's contents are checked too
        browser.find_element(By.CSS_SELECTOR, "button.badge.s-partial").click()
        axe = Axe(browser)
        axe.inject()
        results = axe.run()
        violations = results["violations"]
        passed = {rule["id"] for rule in results["passes"]}
        # the checks the issue names did run, on something, and passed
        assert {"color-contrast", "button-name", "label", "html-has-lang"} <= passed
        print(f"\naxe-core on the {name} report: {len(results['passes'])} rules pass")
        assert violations == [], json.dumps(
            [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in violations], indent=1
        )
