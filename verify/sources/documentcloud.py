"""DocumentCloud documents: metadata from the API, full text from the asset server."""

from __future__ import annotations

import re
from dataclasses import replace

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Fetcher, Options, Page, Reference, RefStatus
from verify.sources.base import (
    JSON_ACCEPT,
    SiteResolver,
    body_text,
    endpoint,
    failure,
    iso_date,
    json_answer,
    json_or_none,
    note,
)

_DOC_URL = re.compile(
    r"^https?://(?:www\.|embed\.|beta\.)?documentcloud\.org/documents/"
    r"(\d+)(?:-([A-Za-z0-9_.%-]+?))?(?:\.html)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def document_id(url: str) -> tuple[str, str | None] | None:
    """(id, slug) of a DocumentCloud document URL; slug None when the URL has none."""
    m = _DOC_URL.match(url.strip())
    if not m:
        return None
    return m.group(1), m.group(2) or None


def api_url(doc_id: str, base: str = "https://api.www.documentcloud.org") -> str:
    return f"{base.rstrip('/')}/api/documents/{doc_id}/"


def _asset_base(asset_url: str) -> str:
    return asset_url if asset_url.endswith("/") else asset_url + "/"


def text_url(asset_url: str, doc_id: str, slug: str) -> str:
    return f"{_asset_base(asset_url)}documents/{doc_id}/{slug}.txt"


def text_json_url(asset_url: str, doc_id: str, slug: str) -> str:
    return f"{_asset_base(asset_url)}documents/{doc_id}/{slug}.txt.json"


API_BASE = "https://api.www.documentcloud.org"


class DocumentCloudResolver(SiteResolver[tuple[str, str | None]]):
    """DocumentCloud document URLs: the viewer page is a shell, so read the API and the text."""

    name = "documentcloud"
    not_ours = "not a DocumentCloud document URL"

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.api_base = endpoint(options, "documentcloud_api", API_BASE)

    def locate(self, url: str) -> tuple[str, str | None] | None:
        return document_id(url)

    async def read(
        self, reference: Reference, found: tuple[str, str | None], fetcher: Fetcher
    ) -> Document:
        doc_id, url_slug = found
        result = await fetcher.fetch(api_url(doc_id, self.api_base), accept=JSON_ACCEPT)
        if result.http_status in (401, 403):
            raise SourceError(ErrorKind.PRIVATE, "private document", http_status=result.http_status)
        if result.status is RefStatus.NOT_FOUND:
            raise SourceError(
                ErrorKind.NOT_FOUND,
                "DocumentCloud document not found",
                http_status=result.http_status,
            )
        meta = json_answer(result, "DocumentCloud API")
        if not isinstance(meta, dict):
            raise SourceError(ErrorKind.API_SHAPE, "DocumentCloud API answer is not a document")
        access = meta.get("access", "public")
        if access != "public":
            raise SourceError(
                ErrorKind.PRIVATE, f"private document (access: {access})", http_status=403
            )
        slug = _text(meta.get("slug")) or url_slug
        asset_url = _text(meta.get("asset_url"))
        if not slug or not asset_url:
            raise SourceError(
                ErrorKind.API_SHAPE, "DocumentCloud API answer has no slug or asset_url"
            )
        base = Document(
            url=reference.url,
            text="",
            via="documentcloud",
            final_url=_text(meta.get("canonical_url")),
            http_status=result.http_status,
            title=_text(meta.get("title")),
            published=iso_date(meta.get("created_at")),
            site_name="DocumentCloud",
        )
        # read even for --links-only: only the text says whether the document is readable
        # (a scan without OCR has metadata like any other), and both runs must agree
        text, pages = await self._text(fetcher, asset_url, str(meta.get("id") or doc_id), slug)
        if not text.strip():
            raise SourceError(
                ErrorKind.NO_TEXT,
                "DocumentCloud document has no text (not processed, or a scan without OCR)",
            )
        if self.options.links_only:
            return base
        return replace(base, text=text, pages=pages)

    async def _text(
        self, fetcher: Fetcher, asset_url: str, doc_id: str, slug: str
    ) -> tuple[str, tuple[Page, ...]]:
        # the JSON text keeps page numbers explicitly; the plain text marks pages with \f
        result = await fetcher.fetch(text_json_url(asset_url, doc_id, slug), accept=JSON_ACCEPT)
        if result.status is RefStatus.OK:
            pages = _json_pages(json_or_none(result))
            if pages is not None:
                return join_pages(pages)
            note("documentcloud: text JSON malformed, trying plain text")
        else:
            why = f"HTTP {result.http_status}" if result.http_status else result.error
            note(f"documentcloud: text JSON unavailable ({why}), trying plain text")
        result = await fetcher.fetch(text_url(asset_url, doc_id, slug), accept="text/plain")
        if result.status is not RefStatus.OK:
            raise failure(result, "DocumentCloud text")
        chunks = body_text(result).split("\f")
        return join_pages([(n, chunk) for n, chunk in enumerate(chunks, start=1)])


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _json_pages(data: object) -> list[tuple[int, str]] | None:
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        return None
    pages: list[tuple[int, str]] = []
    for position, item in enumerate(data["pages"]):
        if not isinstance(item, dict):
            return None
        number = item.get("page", position)
        contents = item.get("contents", "")
        if not isinstance(number, int) or not isinstance(contents, str):
            return None
        pages.append((number + 1, contents))  # DocumentCloud counts pages from 0
    return sorted(pages)


def join_pages(pages: list[tuple[int, str]]) -> tuple[str, tuple[Page, ...]]:
    """One text from numbered page texts, remembering where each page lies in it."""
    parts: list[str] = []
    spans: list[Page] = []
    offset = 0
    for number, raw in pages:
        text = raw.strip()
        if not text:
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
        parts.append(text)
        spans.append(Page(number=number, start=offset, end=offset + len(text)))
        offset += len(text)
    return "".join(parts), tuple(spans)
