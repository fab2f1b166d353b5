"""SARIF 2.1.0, for code scanning: one run, one result per finding, located at its line.

Levels follow the GitHub format: error for unsupported claims; warning for partial and
unverifiable claims and for references that could not be read; note for archived copies.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from verify import __version__
from verify.models import Report

# by the module's name: what a finding is and how it reads are common's, shared with the
# GitHub format, and each use says so
from verify.report import common

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/verify-sources/verify"

# id -> (default level, short description)
RULES: dict[str, tuple[str, str]] = {
    "unsupported-claim": ("error", "A claim its references do not support"),
    "partial-claim": ("warning", "A claim its references support only in part"),
    "unverifiable-claim": ("warning", "A claim none of whose references could be read"),
    "dead-reference": ("warning", "A reference that is gone (not found or unreachable)"),
    "blocked-reference": ("warning", "A reference the site refused to serve"),
    "unreadable-reference": ("warning", "A reference whose text could not be read"),
    "archived-reference": ("note", "A reference read from an archived copy"),
}
_RULE_INDEX = {rule: i for i, rule in enumerate(RULES)}
_CLAIM_RULES = {
    "unsupported": "unsupported-claim",
    "partial": "partial-claim",
    "unverifiable": "unverifiable-claim",
}


def artifact_uri(path: str) -> str:
    """A URI reference for an article path: relative paths stay relative, with / separators."""
    if PureWindowsPath(path).drive or PurePosixPath(path).is_absolute():
        posix = path.replace("\\", "/")
        return "file://" + ("" if posix.startswith("/") else "/") + quote(posix, safe="/:")
    return quote(path.replace("\\", "/"), safe="/")


def fingerprint(*parts: str) -> str:
    """Stable across runs and line moves, so code scanning matches a finding to its past self."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _result(rule: str, message: str, path: str, line: int, key: str) -> dict[str, Any]:
    return {
        "ruleId": rule,
        "ruleIndex": _RULE_INDEX[rule],
        "level": RULES[rule][0],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(path)},
                    "region": {"startLine": max(1, line)},
                }
            }
        ],
        "partialFingerprints": {"verifyFinding/v1": fingerprint(rule, path, key)},
    }


def report_to_sarif(report: Report) -> dict[str, Any]:
    results = []
    for art in report.articles:
        path = art.article.path
        for source in art.sources:
            finding = common.reference_finding(source)
            if finding is None:
                continue
            ref = source.reference
            if finding == "archived":
                message = common.archived_message(source)
            else:
                message = f"Reference [{ref.id}] {ref.url}: {common.reference_problem(source)}"
            results.append(_result(f"{finding}-reference", message, path, ref.line, ref.url))
        for r in art.claims:
            state = common.claim_state(r)
            if state not in _CLAIM_RULES:
                continue
            detail = common.evidence_phrase(r)
            if r.missing:
                detail += "; missing: " + ", ".join(r.missing)
            message = f"{state.capitalize()} claim: {common.one_line(r.claim.text)} ({detail})"
            results.append(_result(_CLAIM_RULES[state], message, path, r.claim.line, r.claim.text))
    driver: dict[str, Any] = {
        "name": "verify",
        "informationUri": INFORMATION_URI,
        "rules": [
            {
                "id": rule,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": level},
            }
            for rule, (level, text) in RULES.items()
        ],
    }
    driver["version"] = report.tool_version or __version__
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if report.notices:
        # how the run was set up, when the checkout itself set it (Report.notices)
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolConfigurationNotifications": [
                    {"level": "warning", "message": {"text": notice}} for notice in report.notices
                ],
            }
        ]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report) -> str:
    return json.dumps(report_to_sarif(report), ensure_ascii=False, indent=2) + "\n"
