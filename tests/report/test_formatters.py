"""Formatters: golden files for every format, plus the properties each format promises.

Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 pytest
tests/report/test_formatters.py`, then read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import report_factory as factory
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from verify.errors import ConfigError
from verify.gates import DEAD_STATUSES, DEFAULT_FAIL_ON, GATES, failures
from verify.models import (
    Claim,
    ClaimResult,
    Conflict,
    Document,
    Evidence,
    Reference,
    RefStatus,
    Report,
    Source,
    Verdict,
)
from verify.report import FORMATS, render, report_to_dict
from verify.report.common import (
    archived_message,
    matched_window,
    next_step,
    reference_finding,
    shorten,
    snippet,
)
from verify.report.github import escape_data, escape_property
from verify.report.markdown import cell
from verify.report.sarif import RULES, artifact_uri

GOLDEN = Path(__file__).parent.parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# ---------------------------------------------------------------------------- golden files

CASES: dict[str, Callable[[], str]] = {
    "terminal-80.txt": lambda: render(factory.sample_report(), "terminal", color=False, width=80),
    "terminal-100.txt": lambda: render(factory.sample_report(), "terminal", color=False, width=100),
    "terminal-verbose-80.txt": lambda: render(
        factory.chinese_report(), "terminal", verbose=True, color=False, width=80
    ),
    "terminal-quiet.txt": lambda: render(
        factory.sample_report(), "terminal", quiet=True, color=False, width=80
    ),
    "report.json": lambda: render(factory.sample_report(), "json"),
    "report.jsonl": lambda: render(factory.sample_report(), "jsonl"),
    "report.md": lambda: render(factory.sample_report(), "markdown"),
    "github.txt": lambda: render(factory.sample_report(), "github"),
    "junit.xml": lambda: render(factory.sample_report(), "junit"),
    "report.sarif": lambda: render(factory.sample_report(), "sarif"),
    "report.html": lambda: render(factory.sample_report(), "html"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    actual = CASES[name]()
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


def test_every_format_has_a_golden_file() -> None:
    extensions = {
        "json": ".json",
        "jsonl": ".jsonl",
        "markdown": ".md",
        "github": "github.txt",
        "junit": ".xml",
        "sarif": ".sarif",
        "terminal": "terminal-",
        "html": ".html",
    }
    assert set(extensions) == set(FORMATS)
    for fmt, part in extensions.items():
        assert any(part in name for name in CASES), fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_deterministic(fmt: str) -> None:
    assert render(factory.sample_report(), fmt) == render(factory.sample_report(), fmt)


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown format 'yaml'"):
        render(factory.sample_report(), "yaml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_article_renders_in_every_format(fmt: str) -> None:
    assert isinstance(render(factory.empty_report(), fmt, color=False), str)


def test_jsonl_is_the_json_report_one_article_a_line_then_the_summary() -> None:
    report = factory.sample_report()
    whole = report_to_dict(report)
    lines = [json.loads(line) for line in render(report, "jsonl").splitlines()]
    assert lines[:-1] == whole["articles"]
    assert lines[-1] == {
        "schema": whole["schema"],
        "version": whole["version"],
        "articles": len(whole["articles"]),
        "summary": whole["summary"],
    }


# ---------------------------------------------------------------------------- JSON contract

NULLABLE_STR = (str, type(None))
NULLABLE_INT = (int, type(None))
REFERENCE_KEYS: dict[str, Any] = {
    "id": str,
    "url": str,
    "final_url": NULLABLE_STR,
    "status": str,
    "http_status": NULLABLE_INT,
    "title": NULLABLE_STR,
    "published": NULLABLE_STR,
    "chars": int,
    "via": str,
    "error": NULLABLE_STR,
    # added keys
    "host": str,
    "elapsed": (float, int),
    "from_cache": bool,
    "archived_url": NULLABLE_STR,
    "archived_at": NULLABLE_STR,
    "line": int,
    "kind": str,
}
CLAIM_KEYS: dict[str, Any] = {
    "index": int,
    "line": int,
    "text": str,
    "verdict": str,
    "score": (float, int),
    "references": list,
    "evidence": list,
    "checkable": bool,
    "ignored": bool,
    "note": NULLABLE_STR,
    "found": list,
    "missing": list,
}
EVIDENCE_KEYS: dict[str, Any] = {
    "reference": str,
    "text": str,
    "score": (float, int),
    "page": NULLABLE_INT,
    "start": int,
    "end": int,
}
SUMMARY_KEYS = [
    "claims",
    "supported",
    "partial",
    "unsupported",
    "unverifiable",
    "references",
    "references_ok",
    "not_checkable",
    "ignored",
    "references_archived",
]


def check_keys(obj: dict[str, Any], spec: dict[str, Any], where: str) -> None:
    missing = set(spec) - set(obj)
    assert not missing, f"{where}: missing {sorted(missing)}"
    for key, types in spec.items():
        value = obj[key]
        # bool is an int in Python; an int slot must not hold one
        assert not (isinstance(value, bool) and types in (int, NULLABLE_INT)), (where, key)
        assert isinstance(value, types), f"{where}.{key}: {value!r} is not {types}"


def check_summary(summary: dict[str, Any], where: str) -> None:
    for key in SUMMARY_KEYS:
        assert type(summary[key]) is int, f"{where}.{key}"


def check_contract(data: dict[str, Any]) -> None:
    """Every key of verify-report/1 present with its type."""
    assert data["schema"] == "verify-report/1"
    assert isinstance(data["version"], str)
    check_summary(data["summary"], "summary")
    for a, art in enumerate(data["articles"]):
        where = f"articles[{a}]"
        assert isinstance(art["path"], str)
        assert isinstance(art["title"], NULLABLE_STR)
        assert isinstance(art["language"], NULLABLE_STR)
        check_summary(art["summary"], where + ".summary")
        for i, ref in enumerate(art["references"]):
            check_keys(ref, REFERENCE_KEYS, f"{where}.references[{i}]")
            assert ref["status"] in {s.value for s in RefStatus}
        for i, claim in enumerate(art["claims"]):
            check_keys(claim, CLAIM_KEYS, f"{where}.claims[{i}]")
            assert claim["verdict"] in {v.value for v in Verdict}
            assert all(isinstance(r, str) for r in claim["references"])
            assert all(isinstance(r, str) for r in claim["found"] + claim["missing"])
            for j, ev in enumerate(claim["evidence"]):
                check_keys(ev, EVIDENCE_KEYS, f"{where}.claims[{i}].evidence[{j}]")


@pytest.mark.parametrize(
    "build",
    [factory.sample_report, factory.chinese_report, factory.clean_report, factory.empty_report],
)
def test_json_contract_keys_and_types(build: Callable[[], Report]) -> None:
    report = build()
    text = render(report, "json")
    data = json.loads(text)
    check_contract(data)
    assert data == report_to_dict(report)


def test_json_checker_catches_a_missing_key_and_a_wrong_type() -> None:
    data = report_to_dict(factory.sample_report())
    del data["articles"][0]["references"][0]["via"]
    with pytest.raises(AssertionError, match="via"):
        check_contract(data)
    data = report_to_dict(factory.sample_report())
    data["articles"][0]["claims"][0]["line"] = "8"
    with pytest.raises(AssertionError, match="line"):
        check_contract(data)


def test_json_keeps_chinese_as_written_and_indents() -> None:
    text = render(factory.chinese_report(), "json")
    assert "实验室" in text
    assert "\\u" not in text
    assert text.startswith('{\n  "schema"')


def test_json_values_follow_the_report() -> None:
    report = factory.sample_report()
    data = report_to_dict(report)
    zh, en = data["articles"]
    refs = {r["id"]: r for r in zh["references"]}
    # the document's title first, the link text when there is no document title
    assert refs["1"]["title"] == "Lumen Labs unveils Aster-2"
    assert refs["5"]["title"] == "Aster-2 系统卡"
    assert refs["1"]["published"] == "2024-08-05"
    assert refs["2"]["status"] == "archived"
    assert refs["2"]["archived_at"] == "2024-08-06T09:30:00Z"
    assert refs["2"]["via"] == "wayback"
    assert refs["3"]["chars"] == 0 and refs["3"]["http_status"] == 404
    assert refs["1"]["elapsed"] == 0.412  # rounded to 3 decimals
    # an ignored reference only the article knows about is still listed
    assert refs["7"]["status"] == "ignored"
    # and one the pipeline passed as an IGNORED source is listed once
    assert [r["id"] for r in en["references"]].count("L5") == 1
    claims = zh["claims"]
    assert claims[0]["score"] == 0.913
    assert claims[0]["evidence"][0]["score"] == 0.913
    assert claims[1]["evidence"][0]["page"] == 3
    # checked against: the evidence's references, else the claim's citations
    assert claims[0]["references"] == ["1"]
    assert claims[4]["references"] == ["3", "6"]
    assert claims[5]["checkable"] is False
    assert claims[6]["ignored"] is True
    assert claims[1]["missing"] == ["6 个百分点"]
    assert zh["summary"]["ignored"] == 1 and zh["summary"]["not_checkable"] == 1
    assert data["summary"]["claims"] == report.summary.claims
    assert data["summary"]["references_ok"] == report.summary.references_ok
    # the Chinese sample has one reference read from an archived copy
    assert zh["summary"]["references_archived"] == 1


# ---------------------------------------------------------------------------- text helpers


def test_shorten_cuts_cjk_by_cells_never_mid_character() -> None:
    text = "值得注意的是上下文窗口扩大了"
    for cells in range(1, 30):
        out = shorten(text, cells)
        assert cell_len(out) <= cells
        body = out.removesuffix("…")
        assert text.startswith(body)


def test_shorten_leaves_short_text_alone_but_folds_whitespace() -> None:
    assert shorten("a  b\nc", 10) == "a b c"
    assert shorten("abcdefghij", 5) == "abcd…"


def test_snippet_moves_highlights_into_the_excerpt() -> None:
    text = "Filler words come first, quite a lot of them,   and then\nthe matched phrase appears."
    start = text.index("matched phrase")
    excerpt, spans = snippet(text, [(start, start + len("matched phrase"))], 30)
    assert cell_len(excerpt) <= 30
    assert [excerpt[a:b] for a, b in spans] == ["matched phrase"]


@given(
    text=st.text(alphabet=st.sampled_from("ab 中文\n"), min_size=1, max_size=60),
    raw=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=3),
    cells=st.integers(1, 40),
)
def test_snippet_always_fits_and_spans_stay_inside(
    text: str, raw: list[tuple[int, int]], cells: int
) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in raw]
    excerpt, moved = snippet(text, spans, cells)
    assert cell_len(excerpt) <= cells
    for a, b in moved:
        assert 0 <= a < b <= len(excerpt)
        assert "…" not in excerpt[a:b]


# ---------------------------------------------------------------------------- terminal


def _stress_report() -> Report:
    """The sample report with a very long Chinese claim, host and title added."""
    art = factory.chinese_article_report()
    long_claim = dataclasses.replace(
        art.claims[0],
        claim=dataclasses.replace(art.claims[0].claim, text="这是一个非常长的中文句子，" * 12),
    )
    src = art.sources[0]
    long_ref = dataclasses.replace(
        src.reference, url="https://" + "sub." * 20 + "example.com/" + "x" * 150
    )
    doc = dataclasses.replace(src.document, title="标题" * 80)  # type: ignore[type-var]
    long_src = dataclasses.replace(src, reference=long_ref, document=doc)
    art = dataclasses.replace(
        art,
        claims=(long_claim, *art.claims[1:]),
        sources=(long_src, *art.sources[1:]),
    )
    return Report(articles=(art, factory.english_article_report()))


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("mode", ["normal", "verbose", "quiet"])
def test_terminal_fits_the_width(width: int, mode: str) -> None:
    for report in (factory.sample_report(), _stress_report()):
        out = render(
            report,
            "terminal",
            verbose=mode == "verbose",
            quiet=mode == "quiet",
            color=False,
            width=width,
        )
        for line in out.splitlines():
            assert cell_len(line) <= width, line


def test_terminal_without_colour_has_no_escape_codes() -> None:
    assert "\x1b" not in render(factory.sample_report(), "terminal", color=False)
    assert "\x1b" not in render(factory.sample_report(), "terminal", color=None)


def test_terminal_colours_verdicts_and_highlights_matched_words() -> None:
    out = render(factory.chinese_report(), "terminal", color=True, width=100)
    assert re.search(r"\x1b\[[0-9;]*31m\s*unsupported", out)  # red
    assert re.search(r"\x1b\[[0-9;]*32m\s*supported", out)  # green
    # the highlight sits on the matched words only
    assert re.search(r"\x1b\[1;4mAugust 5, 2024\x1b\[0m", out)
    # an unsupported claim quotes no passage: its closest one does not back it
    assert "Training took" not in out and "no passage found" in out


def test_terminal_tables_show_references_and_claims() -> None:
    out = render(factory.chinese_report(), "terminal", color=False, width=100)
    assert "archived 2024-08-06" in out
    assert "via wayback" in out
    assert "not_found" in out and "404" in out
    assert "news.example.com" in out
    assert "not checkable" in out and "ignored" in out
    assert "5 p3" in out  # evidence page
    assert "订阅我们的通讯" in out  # the ignored reference is listed


def test_terminal_prints_text_as_written_not_as_markup() -> None:
    art = factory.clean_report().articles[0]
    claim = dataclasses.replace(art.claims[0].claim, text="See [bold]this[/bold] and [1].")
    result = dataclasses.replace(art.claims[0], claim=claim)
    report = Report((dataclasses.replace(art, claims=(result,)),))
    out = render(report, "terminal", color=False)
    assert "[bold]this[/bold] and [1]." in out


def test_terminal_quiet_is_only_the_summary() -> None:
    out = render(factory.chinese_report(), "terminal", quiet=True, color=False)
    assert "Evidence" not in out and "Host" not in out
    assert out.splitlines()[0].startswith("6 claims: 3 supported")
    assert "Look first at" in out


def test_terminal_verbose_shows_timing_via_and_resolver_notes() -> None:
    plain = render(factory.chinese_report(), "terminal", color=False)
    verbose = render(factory.chinese_report(), "terminal", verbose=True, color=False)
    for text in ("0.412 s", "2.500 s, via documentcloud", "read the Wayback snapshot of 2024"):
        assert text in verbose
        assert text not in plain


def test_next_step_names_the_lines_to_look_at_first() -> None:
    line = next_step(factory.chinese_report())
    assert line.startswith("Look first at line 10 (unsupported), line 8 (partial)")
    assert "2 references could not be read" in line
    assert "--source ID=FILE" in line
    assert next_step(factory.clean_report()) == "All claims supported."
    final = render(factory.clean_report(), "terminal", color=False).rstrip().splitlines()[-1]
    assert final == "All claims supported."


def test_next_step_for_unreadable_references_only() -> None:
    art = factory.clean_report().articles[0]
    dead = dataclasses.replace(art.sources[0], status=RefStatus.NOT_FOUND, document=None)
    result = dataclasses.replace(art.claims[0], verdict=Verdict.SUPPORTED)
    report = Report((dataclasses.replace(art, sources=(dead,), claims=(result,)),))
    assert next_step(report) == (
        "1 reference could not be read: replace dead links or point to an archived copy."
    )


def test_next_step_in_several_articles_names_files() -> None:
    line = next_step(factory.sample_report())
    assert "posts/aster-zh.md:10 (unsupported)" in line
    assert "posts/ledger-review.md:7 (unsupported)" in line
    assert "and 4 more" in line


# ---------------------------------------------------------------------------- markdown


def _unescaped_pipes(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


def test_markdown_cell_escapes_pipes_newlines_and_markup() -> None:
    assert cell("a|b\nc") == "a\\|b<br>c"
    assert cell("<script>") == "&lt;script&gt;"
    assert cell("*not bold*") == "\\*not bold\\*"


def test_markdown_tables_keep_their_shape() -> None:
    out = render(factory.sample_report(), "markdown")
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert rows
    for row in rows:
        # 7 columns for references, 6 for claims: an escaped | never splits a cell
        assert _unescaped_pipes(row) in (8, 7), row
    assert "no acquisitions \\| per the 10-K" in out
    assert "42 subsidiaries,<br>" not in out  # the claim is shown on one line
    assert out.count("<details>") == out.count("</details>") == 4


def test_markdown_lists_each_unsupported_claim_with_file_and_line() -> None:
    out = render(factory.sample_report(), "markdown")
    assert "`posts/aster-zh.md:10`" in out
    assert "`posts/ledger-review.md:7`" in out
    assert out.splitlines()[2].startswith("❌ 11 claims")
    clean = render(factory.clean_report(), "markdown")
    assert "✅" in clean and "unsupported claim" not in clean


def test_markdown_bolds_the_matched_words() -> None:
    out = render(factory.chinese_report(), "markdown")
    assert "On **August 5, 2024**, **Lumen Labs** released **Aster-2**" in out


def test_markdown_says_what_to_fix_and_quotes_no_unrelated_passage() -> None:
    out = render(factory.sample_report(), "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| 10 | unsupported"))
    assert "<i>no passage found</i><br>found: Mira Okafor<br>missing: 3 周" in row
    assert "Training took" not in row
    partial = next(line for line in out.splitlines() if line.startswith("| 5 | partial"))
    assert partial.endswith("<br>found: 2025<br>missing: double |")
    # the list of unsupported claims carries the same detail
    assert "0.21): missing 40%, 100%" in out


# ---------------------------------------------------------------------------- GitHub


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_commands_for_claims_and_references() -> None:
    report = factory.sample_report()
    out = render(report, "github")
    lines = out.splitlines()
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,title=verify::.+$")
    assert all(pattern.match(line) for line in lines), lines
    errors = [line for line in lines if line.startswith("::error")]
    # what the default gates fail on: unsupported claims and dead references
    assert len(errors) == len(failing(report, DEFAULT_FAIL_ON))
    assert (
        "::error file=posts/aster-zh.md,line=10,title=verify::Unsupported claim: "
        "公司创始人 Mira Okafor 表示，训练只用了 3 周时间。 (best evidence [4] 0.24)"
    ) in lines
    # data escaping: the % in the claim
    assert "rose 40%25, 100%25 organically" in out
    # dead reference at the reference's own line, archived as a notice
    assert any(
        line.startswith("::error file=posts/aster-zh.md,line=32,") and "Dead reference [3]" in line
        for line in lines
    )
    assert any(line.startswith("::notice file=posts/aster-zh.md,line=31,") for line in lines)
    # nothing for ignored or not-checkable claims
    assert "这意味着什么" not in out and "时间线" not in out


def failing(report: Report, gates: tuple[str, ...]) -> list[tuple[str, int]]:
    """(path, line) of each claim and reference the gates count."""
    verdicts = {g for g in gates if g in ("unsupported", "partial", "unverifiable")}
    out = [
        (a.article.path, c.claim.line)
        for a in report.articles
        for c in a.claims
        if c.checkable and not c.claim.ignored and c.verdict.value in verdicts
    ]
    statuses = set(DEAD_STATUSES if "dead" in gates else ())
    statuses |= {RefStatus.BLOCKED} if "blocked" in gates else set()
    out += [
        (a.article.path, s.reference.line)
        for a in report.articles
        for s in a.sources
        if s.status in statuses
    ]
    return out


@pytest.mark.parametrize(
    "gates", [DEFAULT_FAIL_ON, ("partial",), ("blocked", "unverifiable"), ("dead",), ()]
)
def test_github_errors_are_what_fails_the_run_and_the_rest_warnings(
    gates: tuple[str, ...],
) -> None:
    report = factory.sample_report()
    lines = render(report, "github", fail_on=gates).splitlines()
    errors = sorted(
        (m.group(1), int(m.group(2)))
        for m in (re.match(r"^::error file=([^,]+),line=(\d+),", line) for line in lines)
        if m
    )
    assert errors == sorted(failing(report, gates))
    assert bool(errors) == bool(failures(report, gates))
    # what no gate counts is still said, as a warning
    assert len([line for line in lines if line.startswith("::warning")]) == (
        len(failing(report, GATES)) - len(errors)
    )


def test_github_escapes_the_file_property() -> None:
    art = factory.clean_report().articles[0]
    art = dataclasses.replace(art, article=dataclasses.replace(art.article, path="a,b:c.md"))
    result = dataclasses.replace(art.claims[0], verdict=Verdict.UNSUPPORTED, score=0.1)
    out = render(Report((dataclasses.replace(art, claims=(result,)),)), "github")
    assert out.startswith("::error file=a%2Cb%3Ac.md,line=2,title=verify::")


# ---------------------------------------------------------------------------- JUnit


def test_junit_cases_and_outcomes() -> None:
    report = factory.sample_report()
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["posts/aster-zh.md", "posts/ledger-review.md"]
    zh = suites[0]
    claims = [c for c in zh.findall("testcase") if c.get("classname") == "posts/aster-zh.md"]
    refs = [
        c for c in zh.findall("testcase") if c.get("classname") == "posts/aster-zh.md#references"
    ]
    assert len(claims) == 8 and len(refs) == 7
    by_line = {c.get("name", "").split(":")[0]: c for c in claims}
    assert by_line["line 10"].find("failure").get("type") == "unsupported"  # type: ignore[union-attr]
    assert by_line["line 14"].find("skipped") is not None
    assert by_line["line 16"].find("skipped") is not None
    assert by_line["line 18"].find("skipped") is not None
    partial = next(c for c in claims if "MMLU" in c.get("name", ""))
    assert partial.find("failure") is None
    assert "missing: 6 个百分点" in (partial.findtext("system-out") or "")
    failed_refs = {c.get("name", "").split("]")[0][1:]: c.find("failure") for c in refs}
    assert failed_refs["3"].get("type") == "not_found"  # type: ignore[union-attr]
    assert failed_refs["6"].get("type") == "blocked"  # type: ignore[union-attr]
    assert failed_refs["1"] is None and failed_refs["2"] is None
    # the counts agree with the cases
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped", "-1")) == sum(c.find("skipped") is not None for c in cases)


def test_junit_survives_characters_xml_cannot_hold() -> None:
    art = factory.clean_report().articles[0]
    claim = dataclasses.replace(art.claims[0].claim, text='Bad \x00\x07 <tag> & "q" ]]>')
    result = ClaimResult(claim, Verdict.UNSUPPORTED, 0.1)
    out = render(Report((dataclasses.replace(art, claims=(result,)),)), "junit")
    case = ET.fromstring(out).find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == 'line 2: Bad <tag> & "q" ]]>'


# ---------------------------------------------------------------------------- SARIF


def test_sarif_structure() -> None:
    report = factory.sample_report()
    data = json.loads(render(report, "sarif"))
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "verify"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    paths = {a.article.path for a in report.articles}
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["level"] == RULES[result["ruleId"]][0]
        assert result["message"]["text"]
        (loc,) = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] in paths
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
    counts: dict[str, int] = {}
    for result in run["results"]:
        counts[result["ruleId"]] = counts.get(result["ruleId"], 0) + 1
    assert counts["unsupported-claim"] == report.summary.unsupported
    assert counts["partial-claim"] == report.summary.partial
    assert counts["unverifiable-claim"] == report.summary.unverifiable
    assert counts["dead-reference"] == 2  # a 404 and a timeout
    assert counts["blocked-reference"] == 1
    assert counts["archived-reference"] == 1
    fingerprints = [r["partialFingerprints"]["verifyFinding/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_artifact_uri() -> None:
    assert artifact_uri("posts/a b.md") == "posts/a%20b.md"
    assert artifact_uri("posts\\win.md") == "posts/win.md"
    assert artifact_uri("/abs/a.md") == "file:///abs/a.md"
    assert artifact_uri("C:\\x\\a.md") == "file:///C:/x/a.md"


def test_formatters_read_only_evidence_they_are_given() -> None:
    # a claim with evidence that has no highlights and no page still renders everywhere
    art = factory.clean_report().articles[0]
    ev = Evidence("1", "plain passage", 0.5)
    result = ClaimResult(Claim(0, "Plain claim.", 2, ("1",)), Verdict.PARTIAL, 0.5, (ev,))
    report = Report((dataclasses.replace(art, claims=(result,)),))
    for fmt in FORMATS:
        assert "lain" in render(report, fmt, color=False)


def test_markdown_too_long_for_a_comment_keeps_the_problems() -> None:
    from verify.report.markdown import render_markdown

    report = factory.sample_report()
    full = render_markdown(report)
    problems = render_markdown(report, limit=len(full) - 1)
    assert len(problems) < len(full)
    assert "only problems are shown" in problems
    assert "Northfield's revenue grew" not in problems  # a supported claim's row is gone
    assert "organically" in problems  # the unsupported one stays
    bare = render_markdown(report, limit=len(problems) - 1)
    assert "<details>" not in bare and "`posts/ledger-review.md:7`" in bare
    tiny = render_markdown(report, limit=600)
    assert len(tiny) <= 600 and "cut to fit a comment" in tiny


def test_a_links_only_report_says_so_instead_of_finding_no_claims() -> None:
    full = factory.english_article_report()
    links = dataclasses.replace(full, claims=())
    report = dataclasses.replace(factory.sample_report(), articles=(links,))
    assert report.links_only and not factory.sample_report().links_only
    for fmt in ("terminal", "markdown"):
        text = render(report, fmt, color=False, width=100)
        assert "links only, claims not checked; " in text, fmt
        assert "No checkable claims" not in text and "0 claims" not in text, fmt
        full_text = render(dataclasses.replace(report, articles=(full,)), fmt, color=False)
        assert "links only" not in full_text, fmt
    terminal = render(report, "terminal", color=False, width=100)
    # no text was read, so no length is shown for a reference that answered
    ok_rows = [ln for ln in terminal.splitlines() if re.search(r"\bok\b", ln) and "200" in ln]
    assert ok_rows and all(ln.rstrip().endswith("-") for ln in ok_rows)
    readable = tuple(s for s in links.sources if s.status.readable)
    assert readable and len(readable) < len(links.sources)
    assert "could not be read" in next_step(report)
    all_read = dataclasses.replace(report, articles=(dataclasses.replace(links, sources=readable),))
    assert next_step(all_read) == "Every reference could be read."


def test_the_next_step_for_a_refused_private_address_is_not_the_paywall_hint() -> None:
    from verify.models import RefStatus

    art = factory.english_article_report()

    def with_unread(status: RefStatus, error: str) -> Report:
        sources = tuple(
            dataclasses.replace(s, status=status, error=error, document=None)
            for s in art.sources[:1]
        )
        return dataclasses.replace(
            factory.sample_report(), articles=(dataclasses.replace(art, sources=sources),)
        )

    refused = with_unread(RefStatus.BLOCKED, "refused to contact 10.0.0.5: private address")
    assert "refused unless --allow-private" in next_step(refused)
    assert "paywalled" not in next_step(refused)
    wall = with_unread(RefStatus.BLOCKED, "bot wall detected: Bloomberg robot check")
    assert "consider --source ID=FILE for paywalled pages" in next_step(wall)
    dead = with_unread(RefStatus.NOT_FOUND, "HTTP 404")
    assert "replace dead links" in next_step(dead)


def test_an_inline_links_words_are_quoted_where_the_page_gave_no_title() -> None:
    from verify.models import Document, Reference, Source
    from verify.report.common import shown_title

    inline = Reference("L1", "https://tides.example/", 3, "inline", "twice a year")
    listed = Reference("1", "https://tides.example/", 9, "list", "Tide tables, 2024")
    failed = Source(reference=inline, status=RefStatus.ERROR, error="HTTP 500")
    titled = Document(url=inline.url, text="The tide turns.", title="Tide tables")
    untitled = Document(url=inline.url, text="The tide turns.")
    # the link's words, not a title the page gave: quoted, so no one takes them for one
    assert shown_title(failed) == "“twice a year”"
    assert shown_title(Source(inline, RefStatus.OK, document=untitled)) == "“twice a year”"
    assert shown_title(Source(inline, RefStatus.OK, document=titled)) == "Tide tables"
    # a reference list's item text is the writer's title for the source: as written
    assert shown_title(Source(listed, RefStatus.ERROR, error="HTTP 500")) == "Tide tables, 2024"
    bare = dataclasses.replace(inline, title=None)  # a bare URL in the text
    assert shown_title(Source(bare, RefStatus.ERROR, error="HTTP 500")) == ""


def test_a_contradicted_claim_names_its_conflict_everywhere() -> None:
    art = factory.clean_report().articles[0]
    ev = Evidence("1", "The council approved the plan 7-2 on Tuesday.", 0.7)
    claim = Claim(0, "The council voted 9 to 0 for the plan.", 2, ("1",))
    conflict = Conflict("number", "9 to 0", "7-2")
    result = ClaimResult(claim, Verdict.UNSUPPORTED, 0.2, (ev,), conflict=conflict)
    report = Report((dataclasses.replace(art, claims=(result,)),))
    data = report_to_dict(report)
    (row,) = data["articles"][0]["claims"]
    assert row["verdict"] == "unsupported"  # the contract only adds
    assert row["conflict"] == {"kind": "number", "claim_text": "9 to 0", "source_text": "7-2"}
    for fmt in ("terminal", "markdown"):
        out = render(report, fmt, color=False, width=200)
        assert "contradicted" in out
        assert '"9 to 0"' in out and '"7-2"' in out
    # no conflict: the key is there and null, and nothing says contradicted
    plain = dataclasses.replace(result, conflict=None)
    report = Report((dataclasses.replace(art, claims=(plain,)),))
    assert report_to_dict(report)["articles"][0]["claims"][0]["conflict"] is None
    assert "contradicted" not in render(report, "markdown")


def test_terminal_claims_wrap_in_full_at_80_columns_and_say_what_to_fix() -> None:
    out = render(factory.english_report_only(), "terminal", color=False, width=80)
    words = out.split()
    for result in factory.english_article_report().claims:
        # every word of every claim is there: wrapped, never cut with an ellipsis
        for word in result.claim.text.split():
            assert word in words, word
    # the partial claim names what the source has and lacks
    assert re.search(r"found: 2025\s", out) and re.search(r"missing: double\s", out)
    assert "missing: 40%, 100%" in out
    assert "…" not in out.split("Claim and evidence", 1)[1].split("Look first", 1)[0]


def test_matched_window_keeps_the_sentences_that_match() -> None:
    text = "The weather was mild that week. Revenue grew 12% in 2023. Stores opened late."
    at = text.index("12%")
    ev = Evidence("1", text, 0.9, highlights=((at, at + 3),))
    window, spans = matched_window(ev)
    assert window == "Revenue grew 12% in 2023."
    assert [window[a:b] for a, b in spans] == ["12%"]
    # nothing marked: the passage as it is
    assert matched_window(dataclasses.replace(ev, highlights=()))[0] == text


def test_what_each_status_is_among_the_findings() -> None:
    expected = {
        RefStatus.OK: None,
        RefStatus.IGNORED: None,
        RefStatus.ARCHIVED: "archived",
        RefStatus.NOT_FOUND: "dead",
        RefStatus.UNREACHABLE: "dead",
        RefStatus.BLOCKED: "blocked",
        RefStatus.ERROR: "unreadable",
        RefStatus.TOO_LARGE: "unreadable",
        RefStatus.UNSUPPORTED: "unreadable",
        RefStatus.EMPTY: "unreadable",
    }
    assert set(expected) == set(RefStatus)
    ref = Reference("3", "https://a.example/p", 7)
    for status, finding in expected.items():
        assert reference_finding(Source(reference=ref, status=status)) == finding, status


def test_the_archived_message_names_the_snapshots_date_when_known() -> None:
    ref = Reference("3", "https://a.example/p", 7)
    doc = Document(url=ref.url, text="t", archived_at="2024-08-06T10:00:00Z")
    dated = Source(reference=ref, status=RefStatus.ARCHIVED, document=doc)
    undated = Source(reference=ref, status=RefStatus.ARCHIVED)
    said = "Reference [3] https://a.example/p was read from an archived copy"
    assert archived_message(dated) == said + " of 2024-08-06"
    assert archived_message(undated) == said
