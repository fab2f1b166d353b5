"""Local copies: a reference read from a file the user saved (options.local_sources)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path

from verify.errors import SourceError
from verify.models import Document, Options, Reference, RefStatus
from verify.sources.base import decode_bytes
from verify.sources.extract import Extractor, extract_html_sync
from verify.sources.pdf import is_pdf, read_pdf

_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|p|div)[\s>]", re.I)


async def read_local(
    reference: Reference, path: str, *, options: Options, extractor: Extractor | None = None
) -> Document:
    """The text of the saved copy at `path` (PDF, HTML or plain text), via "local"."""
    file = Path(path).expanduser()
    try:
        if not file.exists():
            raise SourceError(RefStatus.ERROR, f"local copy not found: {path}")
        if not file.is_file():
            raise SourceError(RefStatus.ERROR, f"local copy is not a file: {path}")
        if file.stat().st_size > options.max_bytes:
            raise SourceError(RefStatus.TOO_LARGE, f"local copy is over {options.max_bytes} bytes")
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as e:
        raise SourceError(RefStatus.ERROR, f"local copy unreadable: {path}: {e.strerror}") from e
    document = await _read(data, reference.url, file, options, extractor)
    return replace(document, url=reference.url, via="local", final_url=str(file))


async def _read(
    data: bytes, url: str, file: Path, options: Options, extractor: Extractor | None
) -> Document:
    if is_pdf(data):
        if options.links_only:
            return Document(url=url, text="")
        return await asyncio.to_thread(read_pdf, data, url)
    if b"\x00" in data[:4096]:
        raise SourceError(RefStatus.UNSUPPORTED, f"local copy is not text, HTML or PDF: {file}")
    text = decode_bytes(data)
    if file.suffix.lower() in (".html", ".htm", ".xhtml") or _HTML_SNIFF.search(data[:4096]):
        if options.links_only:
            return Document(url=url, text="")
        if extractor is not None:
            document = await extractor.extract_html(text, url)
        else:
            document = await asyncio.to_thread(extract_html_sync, text, url)
        if document is None:
            raise SourceError(RefStatus.EMPTY, f"no text could be extracted from {file}")
        return document
    if not text.strip():
        raise SourceError(RefStatus.EMPTY, f"local copy is empty: {file}")
    return Document(url=url, text=text.strip())
