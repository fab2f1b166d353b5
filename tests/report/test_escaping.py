"""Every format escapes for its own syntax: what an article, a file name or a page says cannot
forge a heading or hide the rest of a pull-request comment, ping people, write into the
reviewer's terminal, or issue a workflow command."""

from __future__ import annotations

import json
import re
import xml.dom.minidom

import pytest

from verify.models import (
    Article,
    ArticleReport,
    Claim,
    ClaimResult,
    Document,
    Evidence,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)
from verify.report import render

# a clear screen, an OSC 52 clipboard write, an OSC 8 link, a C1 CSI, a bidi override
ESCAPES = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b]8;;http://127.0.0.1/\x1b\\\x9b31m\u202e"
FORGED = "\n\n## ✅ All claims supported\n\n<!--\n"
MENTIONS = "@octocat and @acme/security-team see #12 and acme/site#7"
TICKS = "a `` ` `` b ``` c"


def hostile_report() -> Report:
    path = f"posts/x{FORGED}{TICKS}{ESCAPES}::warning::forged.md"
    ref = Reference(id="1", url="http://127.0.0.1:9/page", line=3, title=f"Title {MENTIONS}")
    text = f"The page says {MENTIONS} {ESCAPES} {TICKS} {FORGED} ::error::x ##[error]y"
    doc = Document(url=ref.url, text=text, title=f"{MENTIONS}{ESCAPES}")
    claim = Claim(index=0, text=f"Claim {MENTIONS} {ESCAPES} {TICKS}{FORGED}", line=3)
    dead = Reference(id="2", url="http://127.0.0.1:9/gone", line=4)
    result = ClaimResult(
        claim=claim,
        verdict=Verdict.UNSUPPORTED,
        score=0.1,
        evidence=(Evidence(reference="1", text=text, score=0.1, end=len(text)),),
        note=f"note {ESCAPES}",
    )
    article = Article(
        path=path, text="", claims=(claim,), references=(ref, dead), title=f"T {ESCAPES}"
    )
    sources = (
        Source(reference=ref, status=RefStatus.OK, document=doc),
        Source(
            reference=dead,
            status=RefStatus.NOT_FOUND,
            http_status=404,
            error=f"HTTP 404 Not{ESCAPES}{FORGED}Found @octocat",
        ),
    )
    return Report(
        articles=(ArticleReport(article=article, sources=sources, claims=(result,)),),
        notices=(f"notice {FORGED}{ESCAPES}{MENTIONS}",),
    )


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_markdown_forges_no_heading_hides_nothing_and_pings_nobody() -> None:
    text = render(hostile_report(), "markdown")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all("All claims supported" not in h for h in headings)
    assert not CONTROL.search(text)
    # every code span is closed where it opened: stripping them leaves no backtick
    # (a <details> line is an HTML block: GitHub shows its backticks as written)
    markdown = "\n".join(t for t in text.splitlines() if not t.startswith("<details>"))
    outside_code = re.sub(r"(`+)(.*?)\1", "", markdown)
    assert "`" not in outside_code.replace("\\`", "")
    # no comment can open outside a code span (inside one, "<!--" is shown as written)
    assert "<!--" not in outside_code
    # no mention or issue reference GitHub would act on
    assert not re.search(r"(?<![\w@])@[A-Za-z0-9]", outside_code)
    assert not re.search(r"(?<!&)#\d", outside_code)
    # the marker line the Action puts first is the only HTML comment there will be
    assert text.count("<details>") == text.count("</details>")


def test_terminal_keeps_only_its_own_colours() -> None:
    for color in (False, True):
        text = render(hostile_report(), "terminal", color=color, verbose=True, width=100)
        stripped = re.sub(r"\x1b\[[0-9;]*m", "", text)
        assert not CONTROL.search(stripped), repr(stripped[:200])
        if color:
            assert "\x1b[" in text  # rich's colours stay
        assert not any(line.lstrip().startswith("::") for line in text.splitlines())
        assert "##[" not in text


def test_github_commands_are_one_per_line_and_carry_no_escape() -> None:
    text = render(hostile_report(), "github")
    for line in text.splitlines():
        assert re.match(r"^::(error|warning|notice) [^:]*::", line), line
    assert not CONTROL.search(text)


@pytest.mark.parametrize("fmt", ["junit", "sarif", "json"])
def test_machine_formats_stay_well_formed(fmt: str) -> None:
    text = render(hostile_report(), fmt)
    if fmt == "junit":
        xml.dom.minidom.parseString(text.encode("utf-8"))
    else:
        json.loads(text)
    assert "\x1b" not in text


def test_a_lone_surrogate_anywhere_is_written_as_a_replacement() -> None:
    report = hostile_report()
    art = report.articles[0]
    bad = Article(path="posts/\udcff.md", text="", claims=art.article.claims, references=())
    report = Report(articles=(ArticleReport(article=bad, sources=(), claims=art.claims),))
    for fmt in ("terminal", "json", "markdown", "github", "junit", "sarif"):
        render(report, fmt).encode("utf-8")  # no UnicodeEncodeError


@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown", "junit", "sarif"])
def test_no_format_but_githubs_holds_a_workflow_command(fmt: str) -> None:
    text = render(hostile_report(), fmt)
    assert "##[" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())


def test_json_keeps_the_text_as_it_was() -> None:
    # "##[" is written as "#\\u0023[": the same string once decoded
    report = json.loads(render(hostile_report(), "json"))
    evidence = report["articles"][0]["claims"][0]["evidence"][0]["text"]
    assert "##[error]y" in evidence


def test_notices_are_in_the_html_report_escaped() -> None:
    text = render(hostile_report(), "html")
    assert "notice" in text and "<!--\n" not in text.split("<body", 1)[-1][:5000]


def test_machine_formats_carry_the_notices() -> None:
    report = hostile_report()
    sarif = json.loads(render(report, "sarif"))
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    assert [n["message"]["text"] for n in notes] == list(report.notices)
    junit = xml.dom.minidom.parseString(render(report, "junit").encode("utf-8"))
    values = [p.getAttribute("value") for p in junit.getElementsByTagName("property")]
    assert values and all(v.startswith("notice") for v in values)
