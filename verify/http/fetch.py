"""Open the fetcher a run uses: a WARC replay, or the live client with its cache and recorder.

Only a live run loads the client (and with it aiohttp); a replay reads the archive through
the same HTTP semantics (verify.http.semantics) without it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from verify.http.warc import ReplayFetcher, WarcRecorder
from verify.models import Fetcher, Options

__all__ = ["open_fetcher"]


@asynccontextmanager
async def open_fetcher(options: Options) -> AsyncIterator[Fetcher]:
    """The fetcher a run should use: a WARC replay, or the live client with cache and recorder."""
    if options.replay:
        yield ReplayFetcher(
            options.replay,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            allow_private=options.allow_private,
        )
        return
    from verify.http.cache import Cache  # sqlite3: only for a run that caches
    from verify.http.client import HttpFetcher

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
