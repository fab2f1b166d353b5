"""Write the demo's HTML report and a screenshot of it for the README.

    python scripts/screenshot.py            # docs/demo-report.png (and demo-report.html)

The report is `make demo-html`'s; the picture is taken by headless Chromium (driven by
Selenium, as in the browser tests) from the file, after a click on a partial claim, so the
README shows what a reader sees after one click. Chromium resolves no
host name while it runs: the report makes no request, and neither may the browser.

Needs Debian's chromium, and a font with Chinese characters for the demo article (e.g. apt-get
install fonts-wqy-microhei), or the article's text comes out as boxes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", default=str(ROOT / "demo-report.html"))
    parser.add_argument("--png", default=str(ROOT / "docs" / "demo-report.png"))
    parser.add_argument("--size", default="1100,720", help="window width,height in pixels")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if browser is None or driver_path is None:
        print(
            "screenshot: needs chromium and chromedriver (apt-get install chromium "
            "chromium-driver)",
            file=sys.stderr,
        )
        return 2
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        print("screenshot: warning: no Chinese font; the demo's text will show as boxes")

    from verify import verify_article
    from verify.models import Options
    from verify.report import render

    # paths relative to the checkout, as `make demo-html` names them
    os.chdir(ROOT)
    report = verify_article(
        "fixtures/demo/article.md", Options(replay="fixtures/demo/sources.warc.gz", cache=False)
    )
    html_path = Path(args.html)
    html_path.write_text(render(report, "html"), encoding="utf-8")
    # the first partial claim: it shows a passage, found and missing words at once
    shown = next(r for r in report.articles[0].claims if r.verdict.value == "partial")
    png = Path(args.png)
    png.parent.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in args.size.split(","))
    with tempfile.TemporaryDirectory(prefix="verify-shot-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            driver.set_window_size(width, height)
            inner = driver.execute_script("return [innerWidth, innerHeight]")
            # the window's frame takes some of the size: make the page itself width x height
            driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
            driver.get(html_path.resolve().as_uri())
            driver.find_element(By.ID, f"c-0-{shown.claim.index}").click()
            driver.execute_script(
                "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})",
                f"c-0-{shown.claim.index}",
            )
            driver.save_screenshot(str(png))
        finally:
            driver.quit()
    print(f"{html_path}: {html_path.stat().st_size / 1024:.0f} KB")
    print(f"{png}: {png.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
