"""The default resolver: any http(s) page, read as HTML, PDF or plain text."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Fetcher, FetchResult, Options, Reference, RefStatus
from verify.sources.base import body_text, failure
from verify.sources.botwall import detect_wall, page_title
from verify.sources.extract import Extractor
from verify.sources.pdf import is_pdf, read_pdf

ACCEPT = "text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|p|div|article)[\s>]", re.I)

# What a page that stands in for a missing one says in its opening lines...
_NOT_FOUND_TEXT = re.compile(
    r"page (?:was )?not found"
    r"|\b404\b.{0,20}(?:error|not found|page)|(?:error|page)\W{0,3}404\b"
    r"|(?:page|article|story|post|content) (?:does not|doesn't|no longer) exists?"
    r"|(?:page|article|story|content) (?:is )?no longer available"
    r"|page you (?:requested|were looking for|are looking for|tried to reach)",
    re.I,
)
# ...and in its title (a headline may say "not found" about something else, so only forms
# that speak of the page itself count).
_NOT_FOUND_TITLE = re.compile(
    r"^\W*(?:404|410|not found)\b"
    r"|\b(?:error 404|404 error|404 not found|page not found)\b"
    r"|(?:page|article|story|content) (?:does not|doesn't|no longer) exists?"
    r"|(?:page|article|story|content) (?:is )?no longer available"
    r"|(?:can ?not|can't|could not|couldn't) find (?:that|this|the) page",
    re.I,
)
# A soft 404 is a short page; a real article that mentions "not found" is long.
_SOFT_404_MAX_WORDS = 150


def is_soft_404(title: str | None, text: str) -> bool:
    """A 200 page whose title or opening says the page does not exist."""
    if len(text.split()) > _SOFT_404_MAX_WORDS:
        return False
    return bool((title and _NOT_FOUND_TITLE.search(title)) or _NOT_FOUND_TEXT.search(text[:400]))


def sniff_type(result: FetchResult) -> str:
    """The media type to read the body as: the declared one, else what the bytes look like."""
    declared = (result.content_type or "").lower()
    if is_pdf(result.body, declared):
        return "application/pdf"
    if declared and declared not in ("application/octet-stream", "binary/octet-stream"):
        return declared
    head = result.body[:2048]
    if _HTML_SNIFF.search(head):
        return "text/html"
    if head and b"\x00" not in head and not declared:
        return "text/plain"
    return declared or "application/octet-stream"


class WebResolver:
    """Any http(s) URL: HTML through the extractor, PDF through pypdf, plain text as is."""

    name = "direct"

    def __init__(self, options: Options, extractor: Extractor) -> None:
        self.options = options
        self.extractor = extractor

    def matches(self, url: str) -> bool:
        return url.lower().startswith(("http://", "https://"))

    async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document:
        result = await fetcher.fetch(reference.url, accept=ACCEPT)
        return await self.read(result, reference.url)

    async def read(self, result: FetchResult, url: str) -> Document:
        """The Document in a fetched response, or the SourceError saying why there is none."""
        codes = {"http_status": result.http_status, "final_url": result.final_url}
        wall = detect_wall(result, None) if result.body else None
        if wall:
            raise SourceError(ErrorKind.BOT_WALL, f"bot wall detected: {wall}", **codes)
        if result.status is not RefStatus.OK:
            raise failure(result)
        kind = sniff_type(result)
        if kind == "application/pdf":
            return replace(await self._read_pdf(result, url), **codes)
        if kind in _HTML_TYPES:
            return replace(await self._read_html(result, url), **codes)
        if kind in _TEXT_TYPES:
            text = body_text(result).strip()
            if not text:
                raise SourceError(ErrorKind.NO_TEXT, "the page is empty", **codes)
            return Document(url=url, text=text, **codes)
        raise SourceError(ErrorKind.UNSUPPORTED_TYPE, f"cannot read content type {kind}", **codes)

    async def _read_pdf(self, result: FetchResult, url: str) -> Document:
        if self.options.links_only:
            return Document(url=url, text="", via="pdf")
        return await asyncio.to_thread(read_pdf, result.body, url)

    async def _read_html(self, result: FetchResult, url: str) -> Document:
        html = body_text(result)
        title = page_title(html)
        if self.options.links_only:
            # status only: the title is enough to spot a soft 404 without extraction
            if is_soft_404(title, ""):
                raise SourceError(ErrorKind.SOFT_404, "soft 404: the page says it does not exist")
            return Document(url=url, text="", title=title)
        document = await self.extractor.extract_html(html, url)
        text = document.text if document else ""
        if is_soft_404(title, text):
            raise SourceError(ErrorKind.SOFT_404, "soft 404: the page says it does not exist")
        wall = detect_wall(result, text)
        if wall:
            raise SourceError(ErrorKind.BOT_WALL, f"bot wall detected: {wall}")
        if document is None:
            raise SourceError(ErrorKind.NO_TEXT, "no text could be extracted from the page")
        return replace(document, url=url, via="direct", title=document.title or title)
