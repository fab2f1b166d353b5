"""Local copies: a reference read from a file the user saved (options.local_sources).

`--source KEY=PATH` keys: a reference id (`1`, `L2`, `changes` for `[changes]: url`), the
same scoped to one article (`posts/a.md:1`), or a URL (every reference to it).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePath

from verify.errors import ConfigError, ErrorKind, SourceError
from verify.models import Article, Document, Options, Reference
from verify.sources.base import decode_bytes
from verify.sources.extract import Extractor, extract_html_sync
from verify.sources.pdf import is_pdf, read_pdf
from verify.trust import outside_reason, roots_for

_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|p|div)[\s>]", re.I)


async def read_local(
    reference: Reference, path: str, *, options: Options, extractor: Extractor | None = None
) -> Document:
    """The text of the saved copy at `path` (PDF, HTML or plain text), via "local"."""
    file = Path(path).expanduser()
    why = outside_reason(file, roots_for(file.parent))
    if why:
        raise SourceError(ErrorKind.LOCAL_UNREADABLE, f"local copy not read: {path}: {why}")
    try:
        if not file.exists():
            raise SourceError(ErrorKind.LOCAL_UNREADABLE, f"local copy not found: {path}")
        if not file.is_file():
            raise SourceError(ErrorKind.LOCAL_UNREADABLE, f"local copy is not a file: {path}")
        if file.stat().st_size > options.max_bytes:
            raise SourceError(ErrorKind.TOO_LARGE, f"local copy is over {options.max_bytes} bytes")
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as e:
        raise SourceError(
            ErrorKind.LOCAL_UNREADABLE, f"local copy unreadable: {path}: {e.strerror}"
        ) from e
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
        raise SourceError(
            ErrorKind.UNSUPPORTED_TYPE, f"local copy is not text, HTML or PDF: {file}"
        )
    text = decode_bytes(data)
    if file.suffix.lower() in (".html", ".htm", ".xhtml") or _HTML_SNIFF.search(data[:4096]):
        if options.links_only:
            return Document(url=url, text="")
        if extractor is not None:
            document = await extractor.extract_html(text, url)
        else:
            document = await asyncio.to_thread(extract_html_sync, text, url)
        if document is None:
            raise SourceError(ErrorKind.NO_TEXT, f"no text could be extracted from {file}")
        return document
    if not text.strip():
        raise SourceError(ErrorKind.NO_TEXT, f"local copy is empty: {file}")
    return Document(url=url, text=text.strip())


# -- which saved file stands for which reference (--source) --------------------------------

_URL_KEY = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _key(key: str) -> tuple[str | None, str]:
    """(article path or None, reference id or URL) of a --source key: "ID", "PATH:ID", URL."""
    if _URL_KEY.match(key):
        return None, key
    scope, sep, ref_id = key.rpartition(":")
    if sep and scope and ref_id:
        return scope, ref_id
    return None, key


def _same_article(scope: str, path: str) -> bool:
    """Whether `scope` (as the user wrote it) names the article at `path`: the same file, or
    the last parts of its path (`post.md`, `posts/post.md`)."""
    want, have = PurePath(scope), PurePath(path)
    if want.parts and have.parts[-len(want.parts) :] == want.parts:
        return True
    try:
        return Path(scope).resolve() == Path(path).resolve()
    except OSError:
        return False


def local_copy(
    reference: Reference, article_path: str | None, sources: Mapping[str, str]
) -> str | None:
    """The saved file `--source` gives for this reference of the article at `article_path`:
    a key scoped to the article (`post.md:ID`) first, then the reference's URL, then its id
    alone; None when no key names it."""
    scoped = by_url = by_id = None
    for key, path in sources.items():
        scope, ref_id = _key(key)
        if scope is not None:
            same = article_path is not None and _same_article(scope, article_path)
            if scoped is None and ref_id == reference.id and same:
                scoped = path
        elif _URL_KEY.match(key):
            if by_url is None and reference.url == key:
                by_url = path
        elif by_id is None and ref_id == reference.id:
            by_id = path
    return scoped or by_url or by_id


def _ids(article: Article) -> str:
    ids = [r.id for r in (*article.references, *article.ignored_references)]
    shown = ", ".join(ids[:30]) + (f" and {len(ids) - 30} more" if len(ids) > 30 else "")
    return f"its references are {shown}" if ids else "it has no reference"


def check_local_sources(articles: Sequence[Article], sources: Mapping[str, str]) -> None:
    """ConfigError (exit 2) for a --source key that names no reference of the run, so a
    typo or a stale id is never silently ignored while the live page is fetched instead; and
    for an id that more than one article has, which must be scoped (`post.md:ID`) or given
    by URL. The message lists the ids the article does have."""
    for key, path in sources.items():
        option = f"--source {key}={path}"
        scope, ref_id = _key(key)
        if scope is None and _URL_KEY.match(key):
            if not any(
                r.url == key for a in articles for r in (*a.references, *a.ignored_references)
            ):
                raise ConfigError(f"{option}: no article cites this URL")
            continue
        if scope is not None:
            chosen = [a for a in articles if _same_article(scope, a.path)]
            if not chosen:
                names = ", ".join(a.path for a in articles[:10])
                raise ConfigError(f"{option}: {scope} is not an article of this run ({names})")
        else:
            chosen = list(articles)
        having = [a for a in chosen if ref_id in _all_ids(a)]
        if not having:
            if len(chosen) == 1:
                article = chosen[0]
                raise ConfigError(
                    f"{option}: {article.path} has no reference {ref_id}; {_ids(article)}"
                )
            raise ConfigError(
                f"{option}: no article of this run has a reference {ref_id} "
                "(scope it to one: PATH:ID, e.g. post.md:1)"
            )
        if scope is None and len(having) > 1:
            names = ", ".join(a.path for a in having[:5])
            raise ConfigError(
                f"{option}: {len(having)} articles have a reference {ref_id} ({names}); "
                f"say which: {having[0].path}:{ref_id}={path}, or give the URL instead of the id"
            )


def _all_ids(article: Article) -> set[str]:
    return {r.id for r in (*article.references, *article.ignored_references)}
