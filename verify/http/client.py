"""The live HTTP client (aiohttp): polite, within limits, never raising for the network.

Every failure (DNS, refused connection, timeout, 5xx after retries, a hostile server) comes back
as a FetchResult whose status says what happened, because one bad source must never end a run.
What a response means (status mapping, redirects, Retry-After) is decided by
verify.http.semantics, which the WARC replay shares.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
import yarl
from aiohttp.abc import AbstractResolver
from aiohttp.http_exceptions import ContentEncodingError

from verify import __version__
from verify.errors import ErrorKind
from verify.http.proxies import EnvProxies
from verify.http.resolver import BlockedResolutionError, GuardedResolver
from verify.http.semantics import (
    Exchange,
    clean_headers,
    follow_redirects,
    header_value,
    is_retryable_status,
    one_line,
    reason_phrase,
    retry_after_seconds,
)
from verify.http.urls import normalize_url
from verify.models import FetchResult, Options, RefStatus

if TYPE_CHECKING:
    from verify.http.cache import Cache
    from verify.http.warc import WarcRecorder

DEFAULT_USER_AGENT = f"verify/{__version__} (+https://github.com/verify-sources/verify)"
DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5"
)
CHUNK_SIZE = 64 * 1024
MAX_HEADER_LINE = 32 * 1024

Sleep = Callable[[float], Awaitable[None]]


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def _host_key(url: str) -> str:
    try:
        parsed = yarl.URL(url)
        return f"{(parsed.raw_host or '').lower()}:{parsed.port}"
    except ValueError:
        return url


# What one request may raise that is the network's or the server's doing, not a bug: the
# client's own errors, the operating system's (refused, reset, TLS), timeouts, and yarl's
# ValueError for an address it cannot parse. describe_exception maps each to an ErrorKind.
EXPECTED = (aiohttp.ClientError, OSError, TimeoutError, ValueError)


@dataclass(frozen=True)
class _Failure:
    kind: ErrorKind
    message: str
    retryable: bool

    @property
    def status(self) -> RefStatus:
        return self.kind.status


def describe_exception(
    exc: BaseException, *, timeout: float, connect_timeout: float | None = None
) -> _Failure:
    """What an expected exception from one request (EXPECTED) means, and whether to retry."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, BlockedResolutionError):
            return _Failure(ErrorKind.REFUSED_ADDRESS, cause.message, False)
        cause = cause.__cause__
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        temporary = isinstance(exc.os_error, socket.gaierror) and (
            exc.os_error.errno == socket.EAI_AGAIN
        )
        reason = exc.os_error.strerror or str(exc.os_error)
        message = one_line(f"DNS lookup failed for {exc.host}: {reason}")
        return _Failure(ErrorKind.DNS, message, temporary)
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return _Failure(ErrorKind.TLS, one_line(f"TLS error: {exc}"), False)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        after = f" after {connect_timeout:g}s" if connect_timeout is not None else ""
        return _Failure(ErrorKind.CONNECT_TIMEOUT, f"connection timed out{after}", True)
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or str(exc.os_error)
        message = one_line(f"cannot connect to {exc.host}:{exc.port}: {reason}")
        return _Failure(ErrorKind.CONNECT, message, True)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return _Failure(ErrorKind.CONNECTION_LOST, "the server closed the connection", True)
    if isinstance(exc, aiohttp.ClientPayloadError):
        if isinstance(exc.__cause__, ContentEncodingError):
            message = "cannot decode the body: bad Content-Encoding"
            return _Failure(ErrorKind.BAD_ENCODING, message, False)
        message = "the connection broke while reading the body"
        return _Failure(ErrorKind.CONNECTION_LOST, message, True)
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        message = one_line(f"the proxy refused: HTTP {exc.status} {exc.message}")
        return _Failure(ErrorKind.PROXY, message, False)
    if isinstance(exc, aiohttp.ClientResponseError):
        # raised by the parser for a response that is not valid HTTP
        message = one_line(f"malformed response: {exc.message}")
        return _Failure(ErrorKind.MALFORMED_RESPONSE, message, False)
    if isinstance(exc, aiohttp.InvalidURL):
        return _Failure(ErrorKind.INVALID_URL, one_line(f"invalid URL: {exc}"), False)
    if isinstance(exc, TimeoutError):
        return _Failure(ErrorKind.TIMEOUT, f"timed out after {timeout:g}s", False)
    if isinstance(exc, OSError):
        return _Failure(ErrorKind.CONNECT, one_line(f"connection error: {exc}"), True)
    if isinstance(exc, ValueError):
        return _Failure(ErrorKind.INVALID_URL, one_line(f"invalid URL: {exc}"), False)
    return _Failure(ErrorKind.CLIENT, one_line(f"{type(exc).__name__}: {exc}"), False)


class HttpFetcher:
    """The live fetcher: one aiohttp session, bounded concurrency, retries, manual redirects.

    Use as an async context manager. `allow_hosts` ("host" or "host:port") exempts exact hosts
    from the private-address guard; it exists for tests. `sleep` is what waits between
    retries, injectable so tests can see the delays without spending them.
    """

    MEMO = 512

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
        self._proxies = EnvProxies()  # the environment as it is when the fetcher is made
        self._guard: GuardedResolver | None = None
        self._global: asyncio.Semaphore | None = None
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._tasks: dict[tuple[str, str | None], asyncio.Task[FetchResult]] = {}
        self._proxy_checks: dict[str, asyncio.Future[str | None]] = {}
        # answers kept for a later caller of the same URL, oldest first, at most MEMO of them
        # (bodies included: a run over a whole archive must not keep every page it read)
        self._answered: dict[tuple[str, str | None], None] = {}

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
            trust_env=False,  # proxies come from EnvProxies, read once
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
        """Fetch `url` once per fetcher (while it is among the last MEMO answered); concurrent
        callers of one URL share the request."""
        if self._session is None:
            raise RuntimeError("HttpFetcher must be used as an async context manager")
        key = (normalize_url(url), accept)
        task = self._tasks.get(key)
        if task is None:
            task = asyncio.create_task(self._fetch_once(url, accept))
            self._tasks[key] = task
            task.add_done_callback(lambda _: self._remember(key))
        # shielded: one caller giving up must not cancel the fetch the others are waiting on
        result = await asyncio.shield(task)
        return result if result.url == url else replace(result, url=url)

    def _remember(self, key: tuple[str, str | None]) -> None:
        self._answered[key] = None
        while len(self._answered) > self.MEMO:
            oldest = next(iter(self._answered))
            del self._answered[oldest]
            self._tasks.pop(oldest, None)

    async def _fetch_once(self, url: str, accept: str | None) -> FetchResult:
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

    async def _proxy_refusal(self, url: str) -> str | None:
        """GuardedResolver.refusal for the URL's host, asked once per host and port."""
        assert self._guard is not None
        try:
            parsed = yarl.URL(url)
        except ValueError:
            return None
        host, port = parsed.raw_host or "", parsed.port or 0
        key = f"{host.lower()}:{port}"
        task = self._proxy_checks.get(key)
        if task is None:
            task = self._proxy_checks[key] = asyncio.ensure_future(self._guard.refusal(host, port))
        return await asyncio.shield(task)

    async def _attempt(
        self, url: str, accept: str | None
    ) -> tuple[Exchange | _Failure, float | None]:
        assert self._session is not None
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        proxy, proxy_headers = self._proxies.for_url(url)
        if proxy is not None:
            refused = await self._proxy_refusal(url)
            if refused is not None:
                return _Failure(ErrorKind.REFUSED_ADDRESS, refused, False), None
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
        except EXPECTED as exc:  # anything else is a bug, and propagates
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
