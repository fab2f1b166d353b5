"""GitHub Actions workflow commands, so findings show up as annotations on the PR diff.

error: what fails the run, i.e. what a gate in `fail_on` counts (by default unsupported
claims and dead references). warning: the other findings: partial and unverifiable claims,
references that could not be read (dead, blocked or otherwise). notice: references read from
an archived copy. Claims that are ignored or not checkable, and references read live, say
nothing.
"""

from __future__ import annotations

from verify.gates import DEAD_STATUSES, DEFAULT_FAIL_ON, effective_fail_on
from verify.models import Report
from verify.report.common import (
    archived_message,
    claim_state,
    evidence_phrase,
    one_line,
    reference_finding,
    reference_problem,
)
from verify.untrusted import clean

TITLE = "verify"


def escape_data(text: str) -> str:
    """The message part of a workflow command (GitHub's escapeData), with no control
    character left for the log's terminal to act on."""
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value such as file= or title= (GitHub's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, path: str, line: int, message: str) -> str:
    props = ",".join(
        f"{k}={escape_property(v)}"
        for k, v in (("file", path), ("line", str(line)), ("title", TITLE))
    )
    return f"::{level} {props}::{escape_data(message)}"


_CLAIM_MESSAGES = {
    "unsupported": "Unsupported claim",
    "partial": "Partially supported claim",
    "unverifiable": "Unverifiable claim",
}


def render_github(report: Report, fail_on: tuple[str, ...] | None = None) -> str:
    """The annotations; `fail_on` (default: the default gates) decides error or warning."""
    gates = effective_fail_on(report, DEFAULT_FAIL_ON if fail_on is None else tuple(fail_on))

    def level(gate: str) -> str:
        return "error" if gate in gates else "warning"

    lines = [f"::warning title={TITLE}::{escape_data(one_line(n))}" for n in report.notices]
    for art in report.articles:
        path = art.article.path
        for source in art.sources:
            ref = source.reference
            finding = reference_finding(source)
            if finding == "archived":
                message = archived_message(source)
                doc = source.document
                if doc is not None and doc.archived_url:
                    message += f": {doc.archived_url}"
                lines.append(command("notice", path, ref.line, message))
            elif finding is not None:
                kind = finding.capitalize()
                message = f"{kind} reference [{ref.id}] {ref.url}: {reference_problem(source)}"
                gate = "dead" if source.status in DEAD_STATUSES else "blocked"
                lines.append(command(level(gate), path, ref.line, message))
        for result in art.claims:
            state = claim_state(result)
            if state not in _CLAIM_MESSAGES:
                continue
            label = _CLAIM_MESSAGES[state]
            detail = evidence_phrase(result)
            if state == "partial" and result.missing:
                detail += "; missing: " + ", ".join(result.missing)
            elif state == "unverifiable" and result.evidence and result.note:
                detail += f"; {result.note}"
            message = f"{label}: {one_line(result.claim.text)} ({detail})"
            lines.append(command(level(state), path, result.claim.line, message))
    return "".join(line + "\n" for line in lines)
