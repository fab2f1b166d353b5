"""Open the fetcher a run uses: a WARC replay, or the live client with its cache and recorder.

This is the one place a fetcher is made. Only a request loads the client (and with it
aiohttp): a replay reads the archive through the same HTTP semantics
(verify.http.semantics) without it, and a run served wholly from the cache never opens it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from verify.models import Fetcher, FetchResult, Options

if TYPE_CHECKING:
    from verify.http.cache import Cache
    from verify.http.client import HttpFetcher
    from verify.http.warc import WarcRecorder

__all__ = ["LiveFetcher", "open_fetcher"]


class LiveFetcher:
    """The live fetcher: opens the HTTP client (verify.http.client) on the first request.

    `cache` is the run's cache (None when not caching), for the caller's own entries too.
    """

    def __init__(
        self, options: Options, *, cache: Cache | None = None, recorder: WarcRecorder | None = None
    ) -> None:
        self.options = options
        self.cache = cache
        self._recorder = recorder
        self._client: HttpFetcher | None = None
        self._opening = asyncio.Lock()

    @property
    def requests_sent(self) -> int:
        return self._client.requests_sent if self._client is not None else 0

    async def fetch(self, url: str, *, accept: str | None = None) -> FetchResult:
        if self._client is None:
            async with self._opening:
                if self._client is None:
                    from verify.http.client import HttpFetcher

                    client = HttpFetcher(self.options, cache=self.cache, recorder=self._recorder)
                    await client.__aenter__()
                    self._client = client
        return await self._client.fetch(url, accept=accept)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.__aexit__(None, None, None)


@asynccontextmanager
async def open_fetcher(options: Options) -> AsyncIterator[Fetcher]:
    """The fetcher a run should use: a WARC replay, or the live client with cache and
    recorder (a LiveFetcher). A recording run reads nothing from the cache, so the archive
    holds every exchange."""
    if options.replay:
        from verify.http.warc import ReplayFetcher  # warcio (and fsspec, ~35 ms): only here

        # a replayed run applies the same size cap the recorded run did; it contacts no
        # address, so a recording of pages on the user's own network (made with
        # --allow-private) replays without it: what is in the file was allowed when recorded
        yield ReplayFetcher(
            options.replay,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            allow_private=True,
        )
        return
    cache = None
    if options.cache:
        from verify.http.cache import Cache, cache_scope  # sqlite3: only for a run that caches

        cache = Cache(options.cache_dir, max_age=options.max_age, scope=cache_scope(options))
    recorder = None
    try:
        if options.record:
            from verify.http.warc import WarcRecorder

            recorder = WarcRecorder(options.record)
        live = LiveFetcher(options, cache=cache, recorder=recorder)
        try:
            yield live
        finally:
            await live.aclose()
    finally:
        if recorder is not None:
            recorder.close()
        if cache is not None:
            cache.close()
