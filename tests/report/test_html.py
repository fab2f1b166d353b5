"""The HTML report, read as text: escaping, the Content-Security-Policy, claims placed in the
article, and nothing of the JSON report left out. The browser tests (test_html_browser.py)
open it in Chromium."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import json
import re
from functools import cache
from html.parser import HTMLParser

import html_cases
import pytest
import report_factory as factory

from verify.models import (
    Article,
    ArticleReport,
    Claim,
    ClaimResult,
    Conflict,
    Evidence,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)
from verify.report import render
from verify.report.html import render_html


@cache
def demo() -> Report:
    return html_cases.demo_report()


class _Collect(HTMLParser):
    """Every element with its attributes, and the text of the inline <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in].append(data)
        else:
            self.text.append(data)


def parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    p.close()
    return p


def csp_of(doc: _Collect) -> dict[str, list[str]]:
    metas = [a for t, a in doc.elements if t == "meta" and a.get("http-equiv")]
    assert len(metas) == 1
    policy: dict[str, list[str]] = {}
    for part in (metas[0]["content"] or "").split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_policy_allows_exactly_the_inline_style_and_script() -> None:
    doc = parse(render_html(factory.sample_report()))
    policy = csp_of(doc)
    assert policy["default-src"] == ["'none'"]
    assert len(doc.raw["style"]) == 1 and len(doc.raw["script"]) == 1
    assert policy["style-src"] == [sha(doc.raw["style"][0])]
    assert policy["script-src"] == [sha(doc.raw["script"][0])]
    assert "unsafe-inline" not in str(policy)
    # the policy comes before anything it governs
    tags = [t for t, _ in doc.elements]
    assert tags.index("meta") < tags.index("style") < tags.index("script")


def test_nothing_is_loaded_from_elsewhere_and_no_element_has_a_handler() -> None:
    for report in (factory.sample_report(), html_cases.hostile_report()):
        doc = parse(render_html(report))
        for tag, attrs in doc.elements:
            assert tag not in ("img", "iframe", "object", "embed", "link", "base", "form"), tag
            assert "src" not in attrs and "style" not in attrs, (tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            href = attrs.get("href")
            if href is not None:
                assert href.startswith(("#", "http://", "https://")), href


def test_hostile_strings_are_shown_as_text() -> None:
    page = render_html(html_cases.hostile_report())
    doc = parse(page)
    # one script element (the report's own), whatever the article and the page held
    assert [t for t, _ in doc.elements].count("script") == 1
    assert "window.__pwned" not in doc.raw["script"][0]
    text = "".join(doc.text)
    # every try is on the page, as text a reader can see
    for needle in (html_cases.SCRIPT, html_cases.IMG, html_cases.SVG):
        assert needle in text
    assert "javascript:" not in "".join(str(a.get("href")) for _, a in doc.elements)
    assert 'onclick="window' not in page.replace("&quot;", '"').split("<body", 1)[0]


def test_claims_are_marked_in_the_article_where_they_were_written() -> None:
    page = render_html(demo())
    doc = parse(page)
    marked = {a["data-claim"] for t, a in doc.elements if t == "mark" and "data-claim" in a}
    badges = {a["data-claim"] for t, a in doc.elements if t == "button" and "data-claim" in a}
    keys = {f"0-{r.claim.index}" for r in demo().articles[0].claims}
    assert marked == keys and badges == keys
    # the demo's sentences are all in its prose: none is left to the list after the article
    assert "Sentences not placed" not in page


def test_a_contradicted_claim_shows_both_sides() -> None:
    claim = Claim(0, "The jury voted 9 to 0 to convict.", 1, ("1",))
    passage = "The jury voted 7-2 to convict after a week."
    ev = Evidence("1", passage, 0.3, 0, len(passage), None, ((0, 14),))
    result = ClaimResult(
        claim, Verdict.UNSUPPORTED, 0.3, (ev,), conflict=Conflict("number", "9 to 0", "7-2")
    )
    ref = Reference("1", "https://news.example.com/jury", 3)
    article = Article(
        "jury.md", claim.text + " [1]\n\n[1]: https://news.example.com/jury\n", (claim,), (ref,)
    )
    report = Report((ArticleReport(article, (Source(ref, RefStatus.OK),), (result,)),))
    doc = parse(render_html(report))
    classes = [a.get("class") or "" for t, a in doc.elements if t == "mark"]
    assert "claim s-contradicted" in classes and "clash" in classes
    text = "".join(doc.text)
    assert "contradicted" in text
    assert "The article says9 to 0" in text and "The source says7-2" in text
    # without the conflict the same claim is plainly unsupported
    plain = dataclasses.replace(result, conflict=None)
    page = render_html(Report((ArticleReport(article, (Source(ref, RefStatus.OK),), (plain,)),)))
    assert "s-contradicted" not in page.split("</style>", 1)[1].split("<script>", 1)[0]


def test_the_demo_report_is_small() -> None:
    size = len(render_html(demo()).encode())
    print(f"demo HTML report: {size / 1024:.1f} KB")
    assert size < 300 * 1024


def test_every_claim_and_reference_of_the_json_report_is_in_the_html() -> None:
    for report in (demo(), factory.sample_report(), html_cases.hostile_report()):
        data = json.loads(render(report, "json"))
        page = render_html(report)
        text = html.unescape(re.sub(r"\s+", " ", "".join(parse(page).text)))
        ids = {a.get("id") for _, a in parse(page).elements}
        for number, art in enumerate(data["articles"]):
            for claim in art["claims"]:
                key = f"{number}-{claim['index']}"
                assert f"ev-{key}" in ids and f"c-{key}" in ids, claim["text"]
                assert re.sub(r"\s+", " ", claim["text"]).strip() in text
                for ev in claim["evidence"][:3]:
                    assert re.sub(r"\s+", " ", ev["text"]).strip() in text
                for word in claim["found"] + claim["missing"]:
                    assert word in text
            for ref in art["references"]:
                assert f"ref-{number}-{ref['id']}" in ids
                assert ref["url"] in text


@pytest.mark.parametrize(
    "build", [factory.sample_report, factory.empty_report, html_cases.hostile_report]
)
def test_the_page_is_well_formed(build: object) -> None:
    page = render_html(build())  # type: ignore[operator]
    doc = parse(page)
    ids = [a["id"] for _, a in doc.elements if a.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for _, attrs in doc.elements:
        for attr in ("aria-controls", "aria-labelledby"):
            if attrs.get(attr):
                assert attrs[attr] in ids, attrs


def test_the_style_and_script_files_are_declared_package_data() -> None:
    # an install that is not editable carries only the files pyproject.toml names
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    declared = config["tool"]["setuptools"]["package-data"]["verify.report"]
    assets = sorted(p.name for p in (root / "verify" / "report").iterdir() if p.suffix != ".py")
    assert [a for a in assets if a != "__pycache__"] == sorted(declared)
