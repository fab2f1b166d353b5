"""PDF text with pypdf, page by page, within limits that a hostile file cannot push past."""

from __future__ import annotations

import io
import logging
import time
from typing import Any

from verify.errors import ErrorKind, SourceError
from verify.models import Document, Page

MAX_PAGES = 2000
MAX_CHARS = 5_000_000
MAX_SECONDS = 60.0
PAGE_SEPARATOR = "\n\n"


def is_pdf(body: bytes, content_type: str | None = None) -> bool:
    """A PDF by its declared type or its %PDF- signature."""
    if content_type == "application/pdf":
        return True
    head = body[:1024]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-"):
        return True
    # the format allows junk before the signature within the first kilobyte; a page declared
    # as text merely mentioning "%PDF-" is not a PDF
    textual = (content_type or "").startswith("text/")
    return not textual and b"%PDF-" in head


def read_pdf(
    data: bytes,
    url: str,
    *,
    max_pages: int = MAX_PAGES,
    max_chars: int = MAX_CHARS,
    max_seconds: float = MAX_SECONDS,
) -> Document:
    """The PDF's text with 1-based page numbers. Raises SourceError when it cannot be read.

    Pages past max_pages, text past max_chars and pages after max_seconds are left out, so a
    PDF bomb costs bounded time and memory; pypdf's own limits cap each stream's
    decompression. CPU-bound: callers run it off the event loop.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    # pypdf logs every recoverable defect of a malformed file as a warning; the status and
    # message we return are what the user needs
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypt_empty(reader):
            raise SourceError(ErrorKind.PDF_ENCRYPTED, "PDF is encrypted (a password is needed)")
        count = len(reader.pages)
        parts: list[str] = []
        pages: list[Page] = []
        offset = 0
        deadline = time.monotonic() + max_seconds
        for index in range(min(count, max_pages)):
            if time.monotonic() > deadline:
                break
            text = _page_text(reader, index)
            if offset and text:
                parts.append(PAGE_SEPARATOR)
                offset += len(PAGE_SEPARATOR)
            text = text[: max(0, max_chars - offset)]
            parts.append(text)
            pages.append(Page(number=index + 1, start=offset, end=offset + len(text)))
            offset += len(text)
            if offset >= max_chars:
                break
        title = _title(reader)
    except SourceError:
        raise
    except (FileNotDecryptedError, DependencyError) as e:
        raise SourceError(
            ErrorKind.PDF_ENCRYPTED, f"PDF is encrypted and cannot be read: {e}"
        ) from e
    except _limit_error() as e:
        raise SourceError(
            ErrorKind.PDF_UNREADABLE,
            f"PDF exceeds safety limits (decompression bomb?): {_short(e)}",
        ) from e
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
        raise SourceError(ErrorKind.PDF_UNREADABLE, f"PDF could not be read: {_short(e)}") from e
    except (RecursionError, MemoryError) as e:
        raise SourceError(ErrorKind.PDF_UNREADABLE, "PDF is too complex to read safely") from e
    text = "".join(parts)
    if not text.strip():
        raise SourceError(ErrorKind.NO_TEXT, "PDF has no text layer (scanned?)")
    return Document(url=url, text=text, via="pdf", title=title, pages=tuple(pages))


def _limit_error() -> type[Exception] | tuple[()]:
    """pypdf's error for a stream past its safety limits; pypdf before 5 has none."""
    from pypdf import errors

    return getattr(errors, "LimitReachedError", ())


def _decrypt_empty(reader: Any) -> bool:
    # many PDFs are "encrypted" only with an empty user password, to restrict printing
    from pypdf.errors import PdfReadError

    try:
        return bool(reader.decrypt(""))
    except (PdfReadError, NotImplementedError, ValueError):
        return False


def _page_text(reader: Any, index: int) -> str:
    from pypdf.errors import PyPdfError

    try:
        text = reader.pages[index].extract_text()
    except _limit_error():
        raise  # a bomb: stop reading the file altogether
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        # one damaged page should not cost the rest of the document
        return ""
    return (text or "").replace("\x00", "").strip()


def _title(reader: Any) -> str | None:
    from pypdf.errors import PyPdfError

    try:
        meta = reader.metadata
        title = meta.title if meta else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # damaged metadata: the text is still worth reading
    return title.strip() if isinstance(title, str) and title.strip() else None


def _short(error: BaseException) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message[:200]
