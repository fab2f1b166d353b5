"""Resolved sources kept between runs: a fresh one stands in for fetching and extracting.

Entries live in the run's HTTP cache (verify.http.cache) under their own namespace, keyed by
URL and the options that change what a resolution gives (archive lookups, links only).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from verify.models import Options, Source

if TYPE_CHECKING:
    from verify.http.cache import Cache

NAMESPACE = "source"


class SourceCache:
    """What earlier runs resolved. With no cache, or while recording (a recording must hold
    every exchange), nothing is read."""

    def __init__(self, cache: Cache | None, options: Options) -> None:
        self.cache = cache
        self.options = options

    def _key(self, url: str) -> str:
        options = self.options
        return f"{url}|archive={int(options.archive)}|links_only={int(options.links_only)}"

    def fresh(self, urls: Iterable[str]) -> dict[str, Source]:
        """Sources resolved by an earlier run, still fresh, keyed by URL."""
        if self.cache is None or self.options.record:
            return {}
        from verify.http.serialize import source_from_dict

        found: dict[str, Source] = {}
        for url in urls:
            started = time.perf_counter()
            # the cache keeps each entry's age itself; an expired entry reads as missing
            data = self.cache.get_json(NAMESPACE, self._key(url), max_age=self.options.max_age)
            source = source_from_dict(data) if isinstance(data, dict) else None
            if source is not None:
                # the time this run took to have it (the cache's read), not the first fetch's
                found[url] = replace(source, elapsed=time.perf_counter() - started)
        return found

    def keep(self, url: str, source: Source) -> None:
        """Store a readable source (a failure is fetched again next time)."""
        if self.cache is None or not source.status.readable:
            return
        from verify.http.serialize import source_to_dict

        self.cache.put_json(NAMESPACE, self._key(url), source_to_dict(source))
