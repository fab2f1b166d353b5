"""Full-fidelity dict forms of Source and Document, for the on-disk cache of resolved sources.

The report's JSON contract lives in verify.report.jsonfmt; this is the cache's private
format, so a re-run can skip fetching and extraction alike.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from verify.models import Document, Page, Reference, RefStatus, Source

FORMAT = 1


def source_to_dict(source: Source) -> dict[str, Any]:
    data = asdict(source)
    data["status"] = source.status.value
    data["format"] = FORMAT
    return data


def source_from_dict(data: dict[str, Any]) -> Source | None:
    """None when the data is not in this version's format (an old or damaged cache entry)."""
    try:
        if data.get("format") != FORMAT:
            return None
        doc = data.get("document")
        document = None
        if doc is not None:
            pages = tuple(Page(**p) for p in doc.pop("pages", ()))
            spans = doc.pop("sentences", None)
            sentences = tuple((int(s), int(e)) for s, e in spans) if spans is not None else None
            document = Document(**doc, pages=pages, sentences=sentences)
        from verify.sources.resolvers import clean_source

        # a cache directory's contents are as untrusted as the pages they came from
        return clean_source(
            Source(
                reference=Reference(**data["reference"]),
                status=RefStatus(data["status"]),
                via=data["via"],
                http_status=data["http_status"],
                final_url=data["final_url"],
                elapsed=data["elapsed"],
                error=data["error"],
                document=document,
                from_cache=True,
                notes=tuple(data.get("notes", ())),
            )
        )
    except (KeyError, TypeError, ValueError):
        return None
