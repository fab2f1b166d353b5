"""HTTP semantics, apart from any client: what a response means for a reference.

Status mapping, redirects (each hop checked by the address guard before it is requested),
Retry-After, content type. Pure functions over an `Exchange` (one response as read off the
wire or out of an archive), shared by the live client (verify.http.client) and the WARC replay
(verify.http.warc), so a recorded run replays to the same results. No aiohttp here: a replay
never loads it.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus

import yarl

from verify.errors import ErrorKind, SourceError
from verify.http.netguard import check_url
from verify.http.urls import normalize_url
from verify.models import FetchResult, RefStatus

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The body we hand on is decoded, so headers describing the wire encoding would be lies.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class Exchange:
    """One response as read off the wire (or out of an archive), before any interpretation."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # without WIRE_HEADERS
    body: bytes
    truncated: bool = False  # the body went over the size cap and was cut there


def clean_headers(items: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in items if k.lower() not in WIRE_HEADERS)


def header_value(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    lname = name.lower()
    for k, v in headers:
        if k.lower() == lname:
            return v
    return None


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header, both lower case."""
    if not value:
        return None, None
    parts = value.split(";")
    media = parts[0].strip().lower() or None
    charset = None
    for param in parts[1:]:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media, charset


def reason_phrase(status: int, reason: str | None = None) -> str:
    if reason:
        return reason
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_kind(status: int) -> ErrorKind | None:
    """The kind of failure a final (non-redirect) HTTP status is; None for a success."""
    if 200 <= status < 300:
        return None
    if status in (404, 410):
        return ErrorKind.HTTP_GONE
    if status in (401, 403, 429):
        return ErrorKind.HTTP_DENIED
    return ErrorKind.HTTP_ERROR


def classify(status: int) -> RefStatus:
    """The reference status a final (non-redirect) HTTP status means."""
    kind = http_kind(status)
    return RefStatus.OK if kind is None else kind.status


def is_retryable_status(status: int) -> bool:
    # 501 and 505 describe the server, not its load: asking again cannot help
    return status in (408, 429) or (500 <= status < 600 and status not in (501, 505))


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def without_fragment(url: str) -> str:
    """`url` as sent to the server: the fragment never leaves the client."""
    return url.split("#", 1)[0]


def redirect_target(current: str, exchange: Exchange) -> str | None:
    """The absolute URL a redirect points to; None if `exchange` is not a redirect.

    Raises SourceError(BAD_REDIRECT) for a redirect that cannot be followed.
    """
    if exchange.status not in REDIRECT_STATUSES:
        return None
    location = header_value(exchange.headers, "location")
    if not location or not location.strip():
        raise SourceError(
            ErrorKind.BAD_REDIRECT,
            f"HTTP {exchange.status} redirect without a Location header",
            http_status=exchange.status,
        )
    try:
        target = yarl.URL(current).join(yarl.URL(location.strip()))
    except (ValueError, TypeError) as exc:
        raise SourceError(
            ErrorKind.BAD_REDIRECT,
            f"invalid redirect Location {one_line(location, 80)!r}",
            http_status=exchange.status,
        ) from exc
    return str(target.with_fragment(None))


def final_result(
    url: str, final_url: str, exchange: Exchange, redirects: tuple[str, ...], elapsed: float
) -> FetchResult:
    """The FetchResult for the last response of a fetch."""
    code = exchange.status
    status = classify(code)
    error = None
    if status is RefStatus.OK:
        if exchange.truncated:
            status = ErrorKind.TOO_LARGE.status
            error = f"body larger than {len(exchange.body)} bytes"
    elif code == 304:
        error = "HTTP 304 Not Modified, but there is no cached copy to reuse"
    else:
        error = one_line(f"HTTP {code} {exchange.reason}".strip())
    content_type, charset = parse_content_type(header_value(exchange.headers, "content-type"))
    return FetchResult(
        url=url,
        status=status,
        final_url=final_url,
        http_status=code,
        content_type=content_type,
        charset=charset,
        headers=exchange.headers,
        body=exchange.body,
        elapsed=elapsed,
        error=error,
        redirects=redirects,
    )


async def follow_redirects(
    url: str,
    exchange: Callable[[str], Awaitable[Exchange | FetchResult]],
    *,
    max_redirects: int,
    allow_private: bool,
    allow_hosts: Iterable[str] = (),
) -> FetchResult:
    """Walk from `url` through redirects, checking every hop before it is requested.

    `exchange(hop)` performs one request (with its retries) and returns the response, or a
    FetchResult for a failure that ends the walk.
    """
    started = time.monotonic()
    hops: list[str] = []
    seen = {normalize_url(url)}
    current = url
    allowed = tuple(allow_hosts)

    def ended(kind: ErrorKind, error: str, http_status: int | None = None) -> FetchResult:
        return FetchResult(
            url=url,
            status=kind.status,
            final_url=without_fragment(current),
            http_status=http_status,
            elapsed=time.monotonic() - started,
            error=error,
            redirects=tuple(hops),
        )

    while True:
        try:
            check_url(current, allow_private=allow_private, allow_hosts=allowed)
        except SourceError as exc:
            return ended(exc.kind, exc.message)
        outcome = await exchange(current)
        if isinstance(outcome, FetchResult):
            return replace(
                outcome,
                url=url,
                final_url=without_fragment(current),
                redirects=tuple(hops),
                elapsed=time.monotonic() - started,
            )
        try:
            target = redirect_target(current, outcome)
        except SourceError as exc:
            return ended(exc.kind, exc.message, outcome.status)
        if target is None:
            final_url = without_fragment(current)
            return final_result(url, final_url, outcome, tuple(hops), time.monotonic() - started)
        if normalize_url(target) in seen:
            return ended(ErrorKind.REDIRECT_LOOP, f"redirect loop back to {target}", outcome.status)
        if len(hops) >= max_redirects:
            return ended(
                ErrorKind.TOO_MANY_REDIRECTS,
                f"too many redirects (more than {max_redirects})",
                outcome.status,
            )
        seen.add(normalize_url(target))
        hops.append(target)
        current = target
