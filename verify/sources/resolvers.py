"""Site resolvers: turn a reference into readable text, site by site.

resolve_reference is the one entry point: it picks the resolver for a URL (local copy, X,
DocumentCloud, a Wayback link, else the plain web page), and when the live page is walled or
dead, looks for an archived copy. Every expected outcome is a Source with a status: a
SourceError a resolver raises becomes one here (see verify.errors); anything else is a bug.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from verify.errors import REFUSED, BlockedAddressError, ErrorKind, SourceError
from verify.models import Document, Fetcher, FetchResult, Options, Reference, RefStatus, Source
from verify.sources.base import Resolver, collect_notes, note, release_notes

if TYPE_CHECKING:
    from verify.sources.extract import Extractor
    from verify.sources.wayback import WaybackResolver

__all__ = ["Resolver", "default_resolvers", "resolve_reference"]


def default_resolvers(options: Options, extractor: Extractor) -> list[Resolver]:
    """The registry, in order: the first resolver whose matches() accepts a URL handles it."""
    from verify.sources.documentcloud import DocumentCloudResolver
    from verify.sources.wayback import WaybackResolver
    from verify.sources.web import WebResolver
    from verify.sources.x import XResolver

    web = WebResolver(options, extractor)
    # the web page comes last: it matches every http(s) URL
    return [XResolver(options), DocumentCloudResolver(options), WaybackResolver(options, web), web]


class _RecordingFetcher:
    """Passes fetches through, remembering them for the Source's HTTP status and cache flag."""

    def __init__(self, inner: Fetcher) -> None:
        self.inner = inner
        self.results: list[FetchResult] = []

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        result = await self.inner.fetch(url, accept=accept)
        self.results.append(result)
        return result

    @property
    def first(self) -> FetchResult | None:
        return self.results[0] if self.results else None

    @property
    def from_cache(self) -> bool:
        return bool(self.results) and all(r.from_cache for r in self.results)


async def resolve_reference(
    reference: Reference,
    fetcher: Fetcher,
    *,
    resolvers: Sequence[Resolver],
    options: Options,
    local: str | None = None,
) -> Source:
    """What became of one reference. Raises only for a bug (and cancellation).

    `local`: the saved file that stands for it (the pipeline picks it per article); else
    options.local_sources is consulted by the reference's id and URL."""
    started = time.perf_counter()
    notes, token = collect_notes()
    recorder = _RecordingFetcher(fetcher)
    if local is None:
        from verify.sources.local import local_copy

        local = local_copy(reference, None, options.local_sources)
    try:
        # expected failures come back as a Source with a status (SourceError, below); any
        # other exception is a bug, and ends the run (exit 3), not this reference alone
        source = await _resolve(reference, recorder, resolvers, options, local)
    finally:
        release_notes(token)
    if options.links_only:
        source = replace(source, document=None)
    return clean_source(
        replace(
            source,
            elapsed=time.perf_counter() - started,
            from_cache=recorder.from_cache,
            notes=(*source.notes, *notes),
        )
    )


def clean_source(source: Source) -> Source:
    """The source with every text a page, a server or a file gave cleaned (verify.untrusted):
    the one place fetched text enters a run, so nothing past it meets a control character or
    a lone surrogate."""
    from verify.untrusted import clean, clean_optional

    doc = source.document
    if doc is not None:
        doc = replace(
            doc,
            text=clean(doc.text),
            title=clean_optional(doc.title),
            author=clean_optional(doc.author),
            published=clean_optional(doc.published),
            site_name=clean_optional(doc.site_name),
            final_url=clean_optional(doc.final_url),
            archived_url=clean_optional(doc.archived_url),
            archived_at=clean_optional(doc.archived_at),
        )
    return replace(
        source,
        document=doc,
        error=clean_optional(source.error),
        final_url=clean_optional(source.final_url),
        notes=tuple(clean(n) for n in source.notes),
    )


async def _resolve(
    reference: Reference,
    fetcher: _RecordingFetcher,
    resolvers: Sequence[Resolver],
    options: Options,
    local: str | None,
) -> Source:
    if local is not None:
        return await _resolve_local(reference, local, resolvers, options)
    scheme = reference.url.split(":", 1)[0].lower() if ":" in reference.url else ""
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        return Source(
            reference=reference,
            status=ErrorKind.NOT_WEB_ADDRESS.status,
            via="none",
            error=f"not a web address ({shown}): never fetched",
        )
    try:
        urlsplit(reference.url)  # what every resolver's matches() parses first
    except ValueError as e:  # e.g. an unclosed IPv6 bracket
        return Source(
            reference=reference,
            status=ErrorKind.INVALID_URL.status,
            via="none",
            error=f"invalid URL: {e}: never fetched",
        )
    resolver = next((r for r in resolvers if r.matches(reference.url)), None)
    if resolver is None:
        return Source(
            reference=reference,
            status=ErrorKind.NO_RESOLVER.status,
            via="none",
            error="no resolver handles this URL",
        )
    try:
        document = await resolver.resolve(reference, fetcher)
    except SourceError as e:
        first = fetcher.first
        failed = Source(
            reference=reference,
            status=e.status,
            via=resolver.name,
            http_status=e.http_status or (first.http_status if first else None),
            final_url=e.final_url or (first.final_url if first else None),
            error=e.message,
        )
        return await _archive_fallback(failed, resolver, fetcher, resolvers, options)
    return _readable(reference, document, RefStatus.OK, fetcher)


def _readable(
    reference: Reference, document: Document, status: RefStatus, fetcher: _RecordingFetcher
) -> Source:
    first = fetcher.first
    return Source(
        reference=reference,
        status=status,
        via=document.via,
        http_status=document.http_status or (first.http_status if first else None),
        final_url=document.final_url or (first.final_url if first else None),
        document=document,
    )


async def _resolve_local(
    reference: Reference, path: str, resolvers: Sequence[Resolver], options: Options
) -> Source:
    from verify.sources.local import read_local

    try:
        document = await read_local(
            reference, path, options=options, extractor=_extractor(resolvers)
        )
    except SourceError as e:
        return Source(reference=reference, status=e.status, via="local", error=e.message)
    note(f"local: read {path}")
    return Source(
        reference=reference,
        status=RefStatus.OK,
        via="local",
        final_url=document.final_url,
        document=document,
    )


async def _archive_fallback(
    failed: Source,
    resolver: Resolver,
    fetcher: _RecordingFetcher,
    resolvers: Sequence[Resolver],
    options: Options,
) -> Source:
    """For a walled or dead page, the archived copy; otherwise `failed` as it is."""
    walled = failed.status is RefStatus.BLOCKED
    if not options.archive or not (walled or failed.status.dead) or resolver.name == "wayback":
        return failed
    url = failed.reference.url
    if _private_host(url) or (failed.error or "").startswith(REFUSED):
        # never tell the archive about addresses on the user's own network, in any
        # spelling, whether or not this run may contact them (--allow-private)
        return failed
    archive = _wayback(resolvers, options)
    if archive is None:
        return failed
    note(f"{resolver.name}: {failed.error}; looking for an archived copy")
    try:
        snapshot = await archive.lookup(url, fetcher)
    except SourceError as e:
        note(f"wayback: lookup failed: {e.message}")
        return replace(failed, error=f"{failed.error}; archive lookup failed ({e.message})")
    if snapshot is None:
        note("wayback: no archived copy")
        return replace(failed, error=f"{failed.error}; no archived copy found")
    date = snapshot.archived_at
    note(f"wayback: archived copy of {date} at {snapshot.url}")
    if options.links_only and not walled:
        return replace(failed, error=f"{failed.error} — dead; archived copy of {date} available")
    # a walled page is read through its snapshot even for --links-only (without extraction
    # there): a snapshot that is itself a wall is rejected, as in a full run
    try:
        document = await archive.read(snapshot, url, fetcher)
    except SourceError as e:
        note(f"wayback: {e.message}")
        return replace(failed, error=f"{failed.error}; {e.message}")
    if walled:
        return replace(
            failed,
            status=RefStatus.ARCHIVED,
            via="wayback",
            document=document,
            error=f"{failed.error}; archived copy of {date} used",
        )
    return replace(
        failed,
        via="wayback",
        document=document,
        error=f"{failed.error} — dead; archived copy of {date} used",
    )


def _wayback(resolvers: Sequence[Resolver], options: Options) -> WaybackResolver | None:
    from verify.sources.wayback import WaybackResolver
    from verify.sources.web import WebResolver

    for r in resolvers:
        if isinstance(r, WaybackResolver):
            return r
    # a hand-made registry without the archive still gets it, built on its web resolver
    web = next((r for r in resolvers if isinstance(r, WebResolver)), None)
    return WaybackResolver(options, web) if web is not None else None


def _extractor(resolvers: Sequence[Resolver]) -> Extractor | None:
    from verify.sources.web import WebResolver

    web = next((r for r in resolvers if isinstance(r, WebResolver)), None)
    return web.extractor if web is not None else None


def _private_host(url: str) -> bool:
    """Whether `url` names a machine of the local network: the fetch guard's rules (every
    address spelling, names of the local network) applied as if nothing were allowed."""
    from verify.http.netguard import check_url

    try:
        check_url(url, allow_private=False)
    except BlockedAddressError:
        return True
    except SourceError:
        return False
    return False
