"""Fetch references over HTTP: politely, within limits, and without ever raising for the network.

Every failure (DNS, refused connection, timeout, 5xx after retries, a hostile server) comes back
as a FetchResult whose status says what happened, because one bad source must never end a run.

The redirect walk and the status mapping are pure functions shared with the WARC replay
(verify.http.warc), so a recorded run replays to the same results.
"""

from __future__ import annotations

import asyncio
import base64
import codecs
import contextlib
import email.utils
import random
import re
import socket
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
import yarl
from aiohttp.abc import AbstractResolver
from aiohttp.http_exceptions import ContentEncodingError

from verify import __version__
from verify.errors import SourceError
from verify.http.netguard import BlockedResolutionError, GuardedResolver, check_url, normalize_url
from verify.models import Fetcher, FetchResult, Options, RefStatus
from verify.preload import certificates_pending

if TYPE_CHECKING:
    from verify.http.cache import Cache
    from verify.http.warc import WarcRecorder

DEFAULT_USER_AGENT = f"verify/{__version__} (+https://github.com/verify-sources/verify)"
DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The body we hand on is decoded, so headers describing the wire encoding would be lies.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
CHUNK_SIZE = 64 * 1024
MAX_HEADER_LINE = 32 * 1024

Sleep = Callable[[float], Awaitable[None]]


# -- pure helpers shared with the replay ---------------------------------------------------


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


def classify(status: int) -> RefStatus:
    """The reference status a final (non-redirect) HTTP status means."""
    if 200 <= status < 300:
        return RefStatus.OK
    if status in (404, 410):
        return RefStatus.NOT_FOUND
    if status in (401, 403, 429):
        return RefStatus.BLOCKED
    return RefStatus.ERROR


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

    Raises SourceError(ERROR) for a redirect that cannot be followed.
    """
    if exchange.status not in REDIRECT_STATUSES:
        return None
    location = header_value(exchange.headers, "location")
    if not location or not location.strip():
        raise SourceError(
            RefStatus.ERROR,
            f"HTTP {exchange.status} redirect without a Location header",
            http_status=exchange.status,
        )
    try:
        target = yarl.URL(current).join(yarl.URL(location.strip()))
    except (ValueError, TypeError) as exc:
        raise SourceError(
            RefStatus.ERROR,
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
            status = RefStatus.TOO_LARGE
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

    def ended(status: RefStatus, error: str, http_status: int | None = None) -> FetchResult:
        return FetchResult(
            url=url,
            status=status,
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
            return ended(exc.status, exc.message)
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
            return ended(exc.status, exc.message, outcome.status)
        if target is None:
            final_url = without_fragment(current)
            return final_result(url, final_url, outcome, tuple(hops), time.monotonic() - started)
        if normalize_url(target) in seen:
            return ended(RefStatus.ERROR, f"redirect loop back to {target}", outcome.status)
        if len(hops) >= max_redirects:
            return ended(
                RefStatus.ERROR, f"too many redirects (more than {max_redirects})", outcome.status
            )
        seen.add(normalize_url(target))
        hops.append(target)
        current = target


# -- decoding ------------------------------------------------------------------------------

# Labels browsers read as a wider encoding than their name says (WHATWG Encoding Standard).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
    "x-sjis": "shift_jis",
}
_SINGLE_BYTE = frozenset({"cp1252", "iso8859-1", "iso8859-15"})
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(body: bytes) -> str | None:
    """UTF-8 with a few bad bytes, decoded with replacements; None if it is not UTF-8 at all.

    Text in a legacy encoding fails UTF-8 on most of its non-ASCII bytes (about 60% for GBK,
    all of them for cp1252); a UTF-8 page with a few stray bytes fails on a small share.
    """
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    non_ascii = sum(1 for b in body if b >= 0x80)
    return text if non_ascii and bad / non_ascii <= 0.25 else None


def decode_body(result: FetchResult) -> str:
    """The body as text: a BOM, then the declared charset (header, then <meta>), then detection.

    A declared charset the body does not decode in (a GBK page labelled UTF-8) is ignored in
    favour of detection. Never raises; undecodable bytes become U+FFFD.
    """
    body = result.body
    if not body:
        return ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    meta = _META_CHARSET.search(body[:8192])
    declared = [result.charset, meta.group(1).decode("ascii", "replace") if meta else None]
    if _codec(declared[0] or declared[1]) in _SINGLE_BYTE and not body.isascii():
        # Servers label UTF-8 pages ISO-8859-1 by default, and a single-byte charset decodes
        # anything, so it cannot fail over. Legacy text is almost never valid UTF-8 by chance.
        text = _strict(body, "utf-8")
        if text is not None:
            return text
    for label in declared:
        text = _strict(body, _codec(label))
        if text is not None:
            return text
    if any(_codec(label) == "utf-8" for label in declared):
        text = _mostly_utf8(body)
        if text is not None:
            return text
    return _detect(body) or body.decode(_codec(result.charset) or "utf-8", errors="replace")


def _detect(body: bytes) -> str | None:
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    import charset_normalizer  # loaded only when a page's declared charset fails

    best = charset_normalizer.from_bytes(body[: 512 * 1024]).best()
    if best is None:
        return None
    return body.decode(best.encoding, errors="replace")


# -- the live fetcher ----------------------------------------------------------------------


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


class _EnvProxies:
    """The proxies the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), read once.

    aiohttp's trust_env looks them up again for every request, and ~/.netrc with them, each
    in a thread of its own: two thread hops per request. A link checker also has no business
    sending the user's netrc credentials to whatever hosts an article cites."""

    def __init__(self) -> None:
        self._proxies: dict[str, tuple[yarl.URL, dict[str, str] | None]] = {}
        for scheme, proxy in urllib.request.getproxies().items():
            if scheme not in ("http", "https"):
                continue
            with contextlib.suppress(ValueError):
                url = yarl.URL(proxy if "://" in proxy else f"http://{proxy}")
                headers = None
                if url.user is not None:
                    pair = f"{url.user}:{url.password or ''}".encode()
                    headers = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}
                    url = url.with_user(None)
                self._proxies[scheme] = (url, headers)
        self._bypass: dict[str, bool] = {}

    @property
    def hosts(self) -> tuple[str, ...]:
        """The proxies' hosts: often private, and contacted on purpose."""
        return tuple(
            (url.raw_host or "").lower() for url, _ in self._proxies.values() if url.raw_host
        )

    def for_url(self, url: str) -> tuple[yarl.URL | None, dict[str, str] | None]:
        """The proxy for `url` and the headers it wants (credentials), or (None, None)."""
        if not self._proxies:
            return None, None
        try:
            parsed = yarl.URL(url)
        except ValueError:
            return None, None
        found = self._proxies.get(parsed.scheme)
        host = parsed.raw_host or ""
        if found is None or not host:
            return None, None
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = bool(urllib.request.proxy_bypass(host))
        return (None, None) if bypass else found


def _host_key(url: str) -> str:
    try:
        parsed = yarl.URL(url)
        return f"{(parsed.raw_host or '').lower()}:{parsed.port}"
    except ValueError:
        return url


@dataclass(frozen=True)
class _Failure:
    status: RefStatus
    message: str
    retryable: bool


def describe_exception(
    exc: BaseException, *, timeout: float, connect_timeout: float | None = None
) -> _Failure:
    """What an exception from one request means for the reference, and whether to retry."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, BlockedResolutionError):
            return _Failure(RefStatus.BLOCKED, cause.message, False)
        cause = cause.__cause__
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        temporary = isinstance(exc.os_error, socket.gaierror) and (
            exc.os_error.errno == socket.EAI_AGAIN
        )
        reason = exc.os_error.strerror or str(exc.os_error)
        message = one_line(f"DNS lookup failed for {exc.host}: {reason}")
        return _Failure(RefStatus.UNREACHABLE, message, temporary)
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return _Failure(RefStatus.ERROR, one_line(f"TLS error: {exc}"), False)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        after = f" after {connect_timeout:g}s" if connect_timeout is not None else ""
        return _Failure(RefStatus.UNREACHABLE, f"connection timed out{after}", True)
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or str(exc.os_error)
        message = one_line(f"cannot connect to {exc.host}:{exc.port}: {reason}")
        return _Failure(RefStatus.UNREACHABLE, message, True)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return _Failure(RefStatus.UNREACHABLE, "the server closed the connection", True)
    if isinstance(exc, aiohttp.ClientPayloadError):
        if isinstance(exc.__cause__, ContentEncodingError):
            return _Failure(RefStatus.ERROR, "cannot decode the body: bad Content-Encoding", False)
        return _Failure(RefStatus.UNREACHABLE, "the connection broke while reading the body", True)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        message = one_line(f"the proxy refused: HTTP {exc.status} {exc.message}")
        return _Failure(RefStatus.ERROR, message, False)
    if isinstance(exc, aiohttp.ClientResponseError):
        # raised by the parser for a response that is not valid HTTP
        return _Failure(RefStatus.ERROR, one_line(f"malformed response: {exc.message}"), False)
    if isinstance(exc, aiohttp.InvalidURL):
        return _Failure(RefStatus.ERROR, one_line(f"invalid URL: {exc}"), False)
    if isinstance(exc, TimeoutError):
        return _Failure(RefStatus.UNREACHABLE, f"timed out after {timeout:g}s", False)
    if isinstance(exc, OSError):
        return _Failure(RefStatus.UNREACHABLE, one_line(f"connection error: {exc}"), True)
    if isinstance(exc, ValueError):
        return _Failure(RefStatus.ERROR, one_line(f"invalid URL: {exc}"), False)
    return _Failure(RefStatus.ERROR, one_line(f"{type(exc).__name__}: {exc}"), False)


class HttpFetcher:
    """The live fetcher: one aiohttp session, bounded concurrency, retries, manual redirects.

    Use as an async context manager. `allow_hosts` ("host" or "host:port") exempts exact hosts
    from the private-address guard; it exists for tests. `sleep` is what waits between
    retries, injectable so tests can see the delays without spending them.
    """

    def __init__(
        self,
        options: Options,
        *,
        cache: Cache | None = None,
        recorder: WarcRecorder | None = None,
        backoff: float = 0.5,
        resolver: AbstractResolver | None = None,
        sleep: Sleep = asyncio.sleep,
        allow_hosts: Iterable[str] = (),
    ) -> None:
        self.options = options
        self.user_agent = options.user_agent or DEFAULT_USER_AGENT
        self.requests_sent = 0
        self._cache = cache
        self._recorder = recorder
        self._backoff = max(0.0, backoff)
        self._resolver = resolver
        self._sleep = sleep
        self._allow_hosts = tuple(h.lower() for h in allow_hosts)
        self._session: aiohttp.ClientSession | None = None
        self._proxies = _EnvProxies()  # the environment as it is when the fetcher is made
        self._guard: GuardedResolver | None = None
        self._global: asyncio.Semaphore | None = None
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._tasks: dict[tuple[str, str | None], asyncio.Task[FetchResult]] = {}
        self._certificates: asyncio.Future[object] | None = None

    @property
    def warnings(self) -> list[str]:
        return list(self._cache.warnings) if self._cache is not None else []

    async def __aenter__(self) -> HttpFetcher:
        opts = self.options
        self._guard = GuardedResolver(
            self._resolver,
            allow_private=opts.allow_private,
            allow_hosts=(*self._allow_hosts, *self._proxies.hosts),
        )
        connector = aiohttp.TCPConnector(
            limit=max(1, opts.concurrency),
            limit_per_host=max(1, opts.per_host),
            resolver=self._guard,
        )
        # counted when the request really leaves, so refused and unconnectable ones are not
        counter = aiohttp.TraceConfig()
        counter.on_request_headers_sent.append(self._count_request)
        self._session = aiohttp.ClientSession(
            connector=connector,
            trace_configs=[counter],
            timeout=aiohttp.ClientTimeout(total=opts.timeout, sock_connect=opts.connect_timeout),
            headers={"User-Agent": self.user_agent},
            trust_env=False,  # proxies come from _EnvProxies, read once
            # real sites send Content-Security-Policy and cookie headers longer than aiohttp's
            # 8 KiB default; the header count limit (128) is kept
            max_line_size=MAX_HEADER_LINE,
            max_field_size=MAX_HEADER_LINE,
        )
        self._global = asyncio.Semaphore(max(1, opts.concurrency))
        return self

    async def _count_request(self, *_: object) -> None:
        self.requests_sent += 1

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pending = [t for t in self._tasks.values() if not t.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._guard is not None:
            await self._guard.close()
            self._guard = None

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        """Fetch `url` once per fetcher; concurrent callers of one URL share the request."""
        if self._session is None:
            raise RuntimeError("HttpFetcher must be used as an async context manager")
        key = (normalize_url(url), accept)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.create_task(self._fetch_once(url, accept))
            self._tasks[key] = task
        # shielded: one caller giving up must not cancel the fetch the others are waiting on
        result = await asyncio.shield(task)
        return result if result.url == url else replace(result, url=url)

    async def _fetch_once(self, url: str, accept: str | None) -> FetchResult:
        try:
            # While recording, every response must reach the archive, so the cache is skipped.
            if self._cache is not None and self._recorder is None:
                cached = self._cache.get(url)
                if cached is not None:
                    return cached
            result = await follow_redirects(
                url,
                lambda hop: self._exchange(hop, accept),
                max_redirects=self.options.max_redirects,
                allow_private=self.options.allow_private,
                allow_hosts=self._allow_hosts,
            )
            if self._cache is not None and result.status is RefStatus.OK:
                self._cache.put(result)
            return result
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must cost one reference, not the run
            return FetchResult(
                url=url,
                status=RefStatus.ERROR,
                error=one_line(f"internal error: {type(exc).__name__}: {exc}"),
            )

    def _host_semaphore(self, url: str) -> asyncio.Semaphore:
        key = _host_key(url)
        sem = self._per_host.get(key)
        if sem is None:
            sem = self._per_host[key] = asyncio.Semaphore(max(1, self.options.per_host))
        return sem

    async def _exchange(self, url: str, accept: str | None) -> Exchange | FetchResult:
        """One hop: a request and its retries, holding the host's slot throughout.

        The per-host slot is taken before the global one, so requests queued for a busy host
        do not hold global slots that other hosts could use; it is kept during retry waits so
        a host that asked us to slow down does not receive other requests meanwhile.
        """
        assert self._global is not None
        async with self._host_semaphore(url), self._global:
            attempt = 0
            while True:
                outcome, retry_after = await self._attempt(url, accept)
                if isinstance(outcome, _Failure):
                    retry = outcome.retryable
                else:
                    retry = is_retryable_status(outcome.status)
                if not retry or attempt >= self.options.retries:
                    break
                await self._sleep(self._delay(attempt, retry_after))
                attempt += 1
        if isinstance(outcome, _Failure):
            return FetchResult(url=url, status=outcome.status, error=outcome.message)
        return outcome

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.options.max_retry_after)
        # exponential with "equal jitter": at least half the step, so waits still grow
        step = self._backoff * (2**attempt)
        return min(step / 2 + random.uniform(0, step / 2), self.options.max_retry_after)

    async def _certificates_loaded(self) -> None:
        """Wait while the command line's start-up still loads the CA certificates
        (verify.preload); once for all the requests waiting on them."""
        pending = certificates_pending()
        if pending is None:
            return
        if self._certificates is None:
            self._certificates = asyncio.ensure_future(asyncio.to_thread(pending.wait))
        await asyncio.shield(self._certificates)

    async def _attempt(
        self, url: str, accept: str | None
    ) -> tuple[Exchange | _Failure, float | None]:
        assert self._session is not None
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        proxy, proxy_headers = self._proxies.for_url(url)
        if url[:5].lower() != "http:" or (proxy is not None and proxy.scheme != "http"):
            await self._certificates_loaded()  # TLS ahead, to the site or to the proxy
        if proxy_headers and not url.lower().startswith("https:"):
            # a plain-http request goes to the proxy itself, so it carries the credentials;
            # aiohttp sends proxy_headers only on the CONNECT of an https tunnel
            headers.update(proxy_headers)
            proxy_headers = None
        try:
            async with self._session.get(
                url,
                headers=headers,
                allow_redirects=False,
                proxy=proxy,
                proxy_headers=proxy_headers,
            ) as resp:
                body, truncated = await self._read_capped(resp)
                exchange = Exchange(
                    status=resp.status,
                    reason=reason_phrase(resp.status, resp.reason),
                    headers=clean_headers(resp.headers.items()),
                    body=body,
                    truncated=truncated,
                )
                sent: tuple[str, list[tuple[str, str]]] | None = None
                if self._recorder is not None:
                    # a recording may be committed to a repository: no credentials in it
                    sent = (
                        str(resp.url),
                        [
                            (k, v)
                            for k, v in resp.request_info.headers.items()
                            if k.lower() not in _SECRET_HEADERS
                        ],
                    )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failure = describe_exception(
                exc, timeout=self.options.timeout, connect_timeout=self.options.connect_timeout
            )
            return failure, None
        if self._recorder is not None and sent is not None:
            self._recorder.record(
                *sent,
                exchange.status,
                exchange.reason,
                list(exchange.headers),
                body,
                truncated=truncated,
            )
        wait = retry_after_seconds(header_value(exchange.headers, "retry-after"))
        return exchange, wait

    async def _read_capped(self, resp: aiohttp.ClientResponse) -> tuple[bytes, bool]:
        """The body, stopping at max_bytes of decoded data (so compression bombs stop too)."""
        limit = max(0, self.options.max_bytes)
        parts: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(CHUNK_SIZE):
            room = limit - size
            if len(chunk) > room:
                parts.append(chunk[:room])
                resp.close()  # drop the connection instead of draining an endless body
                return b"".join(parts), True
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts), False


@asynccontextmanager
async def open_fetcher(options: Options) -> AsyncIterator[Fetcher]:
    """The fetcher a run should use: a WARC replay, or the live client with cache and recorder."""
    from verify.http.warc import ReplayFetcher, WarcRecorder

    if options.replay:
        yield ReplayFetcher(
            options.replay,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            allow_private=options.allow_private,
        )
        return
    from verify.http.cache import Cache  # sqlite3: only for a run that caches

    cache = Cache(options.cache_dir, max_age=options.max_age) if options.cache else None
    recorder = None
    try:
        recorder = WarcRecorder(options.record) if options.record else None
        async with HttpFetcher(options, cache=cache, recorder=recorder) as fetcher:
            yield fetcher
    finally:
        if recorder is not None:
            recorder.close()
        if cache is not None:
            cache.close()
