"""The JSON report: the `verify-report/1` contract.

Keys are only ever added, never renamed or removed, so scripts written against an older
report keep working. Nothing time-dependent goes in, so the same run gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from verify import __version__
from verify.models import (
    ArticleReport,
    ClaimResult,
    Conflict,
    Evidence,
    Report,
    Source,
    Summary,
)
from verify.report.common import (
    all_sources,
    checked_against,
    reference_title,
    round3,
)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON contract `verify-report/1` (README), as plain dicts and lists."""
    return {
        "schema": report.schema,
        "version": report.tool_version or __version__,
        "articles": [_article(a) for a in report.articles],
        "summary": _summary(report.summary),
        "notices": list(report.notices),
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


def _article(art: ArticleReport) -> dict[str, Any]:
    return {
        "path": art.article.path,
        "title": art.article.title,
        "language": art.article.language,
        "references": [_reference(s) for s in all_sources(art)],
        "claims": [_claim(c) for c in art.claims],
        "summary": _summary(art.summary),
    }


def _reference(source: Source) -> dict[str, Any]:
    ref = source.reference
    doc = source.document
    final_url = source.final_url or (doc.final_url if doc else None)
    return {
        "id": ref.id,
        "url": ref.url,
        "final_url": final_url,
        "status": source.status.value,
        "http_status": source.http_status,
        "title": reference_title(source),
        "published": doc.published if doc else None,
        "chars": source.chars,
        "via": source.via,
        "error": source.error,
        "host": ref.host,
        "elapsed": round3(source.elapsed),
        "from_cache": source.from_cache,
        "archived_url": doc.archived_url if doc else None,
        "archived_at": doc.archived_at if doc else None,
        "line": ref.line,
        "kind": ref.kind,
    }


def _claim(result: ClaimResult) -> dict[str, Any]:
    claim = result.claim
    return {
        "index": claim.index,
        "line": claim.line,
        "text": claim.text,
        "verdict": result.verdict.value,
        "score": round3(result.score),
        "references": checked_against(result),
        "evidence": [_evidence(e) for e in result.evidence],
        "checkable": result.checkable,
        "ignored": claim.ignored,
        "note": result.note,
        "found": list(result.found),
        "missing": list(result.missing),
        "conflict": _conflict(result.conflict),
    }


# Where a record's keys are its attributes' names, the keys in the contract's order (a key
# is added at the end, never moved): the order, not the dataclass's, decides the JSON's.
_CONFLICT_KEYS = ("kind", "claim_text", "source_text")
_EVIDENCE_KEYS = ("reference", "text", "score", "page", "start", "end")
_SUMMARY_KEYS = (
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
)


def _attributes(value: object, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: getattr(value, key) for key in keys}


def _conflict(conflict: Conflict | None) -> dict[str, str] | None:
    return None if conflict is None else _attributes(conflict, _CONFLICT_KEYS)


def _evidence(ev: Evidence) -> dict[str, Any]:
    # a score is rounded, in its place among the keys
    return {**_attributes(ev, _EVIDENCE_KEYS), "score": round3(ev.score)}


def _summary(summary: Summary) -> dict[str, int]:
    return _attributes(summary, _SUMMARY_KEYS)


# public names for the pieces, for formats that write one article at a time (JSON Lines)
article_to_dict = _article
summary_to_dict = _summary
