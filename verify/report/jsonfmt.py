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


def _conflict(conflict: Conflict | None) -> dict[str, str] | None:
    if conflict is None:
        return None
    return {
        "kind": conflict.kind,
        "claim_text": conflict.claim_text,
        "source_text": conflict.source_text,
    }


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {
        "reference": ev.reference,
        "text": ev.text,
        "score": round3(ev.score),
        "page": ev.page,
        "start": ev.start,
        "end": ev.end,
    }


def _summary(summary: Summary) -> dict[str, int]:
    return {
        "claims": summary.claims,
        "supported": summary.supported,
        "partial": summary.partial,
        "unsupported": summary.unsupported,
        "unverifiable": summary.unverifiable,
        "references": summary.references,
        "references_ok": summary.references_ok,
        "not_checkable": summary.not_checkable,
        "ignored": summary.ignored,
        "references_archived": summary.references_archived,
    }


# public names for the pieces, for formats that write one article at a time (JSON Lines)
article_to_dict = _article
summary_to_dict = _summary
