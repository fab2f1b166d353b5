"""The resolver protocol and the small helpers every resolver shares."""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

from verify.errors import ErrorKind, FetchFailedError, SourceError
from verify.models import Document, Fetcher, FetchResult, Options, Reference, RefStatus

JSON_ACCEPT = "application/json"
Found = TypeVar("Found")

# Resolvers narrate their decisions ("x: syndication 404, trying oEmbed") into the list that
# resolve_reference installs for the reference being resolved. A context variable keeps the
# Resolver protocol to one method while staying correct when many references resolve at once
# (each asyncio task sees its own list).
_notes: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "verify_resolver_notes", default=None
)


class Resolver(Protocol):
    name: str  # shown as the report's `via`

    def matches(self, url: str) -> bool: ...

    async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document: ...


class SiteResolver(Generic[Found]):
    """A resolver for one site, which reads what its addresses name (a post id, a document
    id) through the site's API: `locate` finds that in a URL, `read` reads it."""

    name: str
    # why resolve() refuses a URL that matches() would have (a hand-made registry's mistake)
    not_ours: str

    def __init__(self, options: Options) -> None:
        self.options = options

    def locate(self, url: str) -> Found | None:
        """What `url` names on this site; None when it is not one of the site's addresses."""
        raise NotImplementedError

    async def read(self, reference: Reference, found: Found, fetcher: Fetcher) -> Document:
        raise NotImplementedError

    def matches(self, url: str) -> bool:
        return self.locate(url) is not None

    async def resolve(self, reference: Reference, fetcher: Fetcher) -> Document:
        found = self.locate(reference.url)
        if found is None:
            raise SourceError(ErrorKind.NO_RESOLVER, self.not_ours)
        return await self.read(reference, found, fetcher)


def note(message: str) -> None:
    """Record a resolver decision for the reference being resolved (dropped when none is)."""
    notes = _notes.get()
    if notes is not None:
        notes.append(message)


def collect_notes() -> tuple[list[str], contextvars.Token[list[str] | None]]:
    notes: list[str] = []
    return notes, _notes.set(notes)


def release_notes(token: contextvars.Token[list[str] | None]) -> None:
    _notes.reset(token)


def endpoint(options: Options, key: str, default: str) -> str:
    endpoints: Mapping[str, str] = options.endpoints or {}
    return (endpoints.get(key) or default).rstrip("/")


def failure(result: FetchResult, what: str = "") -> SourceError:
    """The error for a fetch that did not succeed, keeping its status and HTTP code."""
    reason = result.error or (f"HTTP {result.http_status}" if result.http_status else "failed")
    return FetchFailedError(result, f"{what}: {reason}" if what else reason)


def body_text(result: FetchResult) -> str:
    """The body as text, by the fetch layer's charset rules (header, <meta>, detection)."""
    # imported here: the fetch layer loads aiohttp, which URL-builder users do not need
    from verify.http.decoding import decode_body

    return decode_body(result)


def decode_bytes(body: bytes) -> str:
    """Text of bytes with no declared charset (local files)."""
    return body_text(FetchResult(url="", status=RefStatus.OK, body=body))


def json_or_none(result: FetchResult) -> Any:
    """The body as JSON; None when it is not JSON (the caller has another way to try)."""
    try:
        return json.loads(body_text(result))
    except (ValueError, UnicodeDecodeError):
        return None


def json_answer(result: FetchResult, what: str) -> Any:
    """The JSON of a site API's answer: the fetch's own failure when there is no answer, a
    SourceError(API_SHAPE) that says which answer was malformed when it is not JSON."""
    if result.status is not RefStatus.OK:
        raise failure(result, what)
    try:
        return json.loads(body_text(result))
    except (ValueError, UnicodeDecodeError) as e:
        raise SourceError(
            ErrorKind.API_SHAPE,
            f"{what} answer is not valid JSON",
            http_status=result.http_status,
            final_url=result.final_url,
        ) from e


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD of an ISO-like timestamp string ("2024-08-06T02:30:00.000Z"), else None."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value.strip())
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None
