"""JUnit XML, for CI dashboards: one test suite per article, one test case per claim.

How verdicts map (chosen to match the default gate, which fails on unsupported claims and
dead references, while keeping everything else visible):

- supported: a passing case.
- unsupported: <failure type="unsupported">.
- partial: a passing case whose <system-out> says what was missing. A partial claim does
  not fail a run by default, so it must not turn a dashboard red; the note keeps it findable.
- unverifiable, not checkable, ignored: <skipped> with the reason.

References are test cases too (classname "<path>#references"): a reference that could not
be read is a <failure type="<status>">, an ignored one is <skipped>, an archived one passes
with a <system-out> note naming the snapshot.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from verify.models import ArticleReport, ClaimResult, RefStatus, Report, Source
from verify.report.common import (
    all_sources,
    claim_state,
    evidence_phrase,
    is_unreadable,
    one_line,
    reference_problem,
    round3,
    shorten,
    status_label,
    xml_safe,
)

NAME_CELLS = 80


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name="verify")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for art in report.articles:
        suite = _suite(art)
        if report.notices:
            # how the run was set up, when the checkout itself set it (Report.notices)
            properties = ET.Element("properties")
            for notice in report.notices:
                _el(properties, "property", name="verify.notice", value=notice)
            suite.insert(0, properties)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text:
        el.text = xml_safe(text)
    return el


def _suite(art: ArticleReport) -> ET.Element:
    path = art.article.path
    suite = ET.Element("testsuite", name=xml_safe(path))
    failures = skipped = tests = 0
    for result in art.claims:
        outcome = _claim_case(suite, path, result)
        tests += 1
        failures += outcome == "failure"
        skipped += outcome == "skipped"
    for source in all_sources(art):
        outcome = _reference_case(suite, path, source)
        tests += 1
        failures += outcome == "failure"
        skipped += outcome == "skipped"
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def _claim_case(suite: ET.Element, path: str, result: ClaimResult) -> str:
    claim = result.claim
    name = f"line {claim.line}: {shorten(xml_safe(claim.text), NAME_CELLS)}"
    case = _el(suite, "testcase", name=name, classname=path)
    state = claim_state(result)
    detail = f"{one_line(claim.text)}\n{path}:{claim.line}\n{evidence_phrase(result)}"
    if result.missing:
        detail += "\nmissing: " + ", ".join(result.missing)
    if state == "unsupported":
        _el(
            case,
            "failure",
            detail,
            message=f"unsupported ({evidence_phrase(result)})",
            type="unsupported",
        )
        return "failure"
    if state in ("unverifiable", "not_checkable", "ignored"):
        reason = state.replace("_", " ") + (f": {result.note}" if result.note else "")
        _el(case, "skipped", message=reason)
        return "skipped"
    if state == "partial":
        _el(case, "system-out", f"partial support\n{detail}")
    return "passed"


def _reference_case(suite: ET.Element, path: str, source: Source) -> str:
    ref = source.reference
    case = _el(
        suite,
        "testcase",
        name=f"[{ref.id}] {ref.url}",
        classname=f"{path}#references",
        time=f"{round3(source.elapsed):.3f}",
    )
    if source.status is RefStatus.IGNORED:
        _el(case, "skipped", message="ignored" + (f": {source.error}" if source.error else ""))
        return "skipped"
    if is_unreadable(source):
        problem = reference_problem(source)
        _el(
            case,
            "failure",
            f"{ref.url}\n{path}:{ref.line}",
            message=problem,
            type=source.status.value,
        )
        return "failure"
    if source.status is RefStatus.ARCHIVED and source.document is not None:
        snapshot = source.document.archived_url or ""
        _el(case, "system-out", f"{status_label(source)} via {source.via} {snapshot}".strip())
    return "passed"
