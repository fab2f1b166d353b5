"""Large runs on one machine: articles verified a window at a time, each report handed out
as soon as it is done.

`verify_paths_async` parses every article first and returns one Report at the end: right for
an article or a folder, not for an archive of thousands. Here articles are parsed as the run
goes, only a window's worth of references is in flight, each article's report is yielded as
soon as its claims are judged (and then belongs to the caller alone), and only a bounded
number of resolved sources is kept for later articles citing the same URL. Memory stays flat
in the number of articles.

A URL cited again after its source left that bound is resolved again: from the cache of
resolved sources when the run has one (the default), else with a new request. Within the
window, and for the last `RETAINED_SOURCES` URLs, each URL is fetched once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verify.models import Article, ArticleReport, Options, Reference, Source
from verify.pipeline import (
    ProgressHook,
    RunStats,
    _SourceResolver,
    judge_as_sources_arrive,
    plan_article,
    prepare_in,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

# References of the articles in progress before another article is started: several times
# the default global limit, so the network never waits on parsing or matching.
WINDOW_REFERENCES = 512
# Resolved sources (with their text) kept for later articles that cite the same URL.
RETAINED_SOURCES = 2048


class _RetainingResolver(_SourceResolver):
    """Resolves each URL once while it is among the last `retain` URLs asked for; an older
    one is forgotten (its text with it) once resolved."""

    def __init__(
        self,
        fetcher: Any,
        store: Any,
        options: Options,
        resolvers: Sequence[Any],
        progress: ProgressHook | None,
        stats: RunStats,
        retain: int,
    ) -> None:
        super().__init__(fetcher, store, options, resolvers, progress, stats, {})
        self.tasks: OrderedDict[str, asyncio.Future[Source]] = OrderedDict()  # type: ignore[assignment]
        self.retain = retain
        self._started_after_prune = 64

    def submit(self, reference: Reference, local: str | None = None) -> asyncio.Future[Source]:
        if local is not None:
            task = asyncio.ensure_future(self._resolve(reference, cacheable=False, local=local))
            self.started.append(task)
            return task
        url = reference.url
        task = self.tasks.get(url)
        if task is not None:
            self.tasks.move_to_end(url)
            return task
        self.cached.update(self.store.fresh([url]))
        task = asyncio.ensure_future(self._resolve(reference, cacheable=True))
        task.add_done_callback(lambda _: self.cached.pop(url, None))
        self.tasks[url] = task
        self.started.append(task)
        self._forget_oldest()
        return task

    def _forget_oldest(self) -> None:
        # only resolutions still running are kept for cancel(): the run may be long. Pruned
        # when the list has doubled, so a submit costs O(1) on average, not a scan.
        if len(self.started) >= 2 * self._started_after_prune:
            self.started = [t for t in self.started if not t.done()]
            self._started_after_prune = max(64, len(self.started))
        excess = len(self.tasks) - self.retain
        if excess <= 0:
            return
        # the oldest are nearly always resolved; one still in flight stays until it is, and
        # the walk stops as soon as enough are forgotten
        done: list[str] = []
        for url, task in self.tasks.items():
            if len(done) == excess:
                break
            if task.done():
                done.append(url)
        for url in done:
            del self.tasks[url]


async def _verify_one(
    article: Article, runner: _RetainingResolver, options: Options, matching: Executor
) -> ArticleReport:
    plan, local = plan_article(article, options)
    pending = runner.submit_plan(plan, local)
    prepared = prepare_in(matching, [article], options)
    return await judge_as_sources_arrive(article, plan, pending, options, prepared, matching)


async def stream_paths(
    paths: Iterable[str | Path],
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    stats: RunStats | None = None,
    executor: Executor | None = None,
    window: int = WINDOW_REFERENCES,
    retain: int = RETAINED_SOURCES,
) -> AsyncIterator[ArticleReport]:
    """Verify markdown files, yielding each article's report as it is done (in the order
    they finish, not the order given). `progress.advance` is told of each source resolved
    (`start` is never called: the total is not known ahead). Pages are extracted in
    `executor` when given (the caller owns it), else in threads. A file that cannot be read
    raises InputError when the run reaches it."""
    from concurrent.futures import ThreadPoolExecutor

    from verify.article.parse import parse_article
    from verify.http.fetch import LiveFetcher, open_fetcher
    from verify.sources.cache import SourceCache
    from verify.sources.extract import Extractor
    from verify.sources.resolvers import default_resolvers

    options = options or Options()
    stats = stats if stats is not None else RunStats()
    files = iter(paths)
    async with contextlib.AsyncExitStack() as stack:
        # claims are judged in one thread of the run's own: judging is pure Python, and more
        # threads would only queue for the interpreter lock, taking turns from the loop
        matching = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-match")
        stack.callback(matching.shutdown, wait=False, cancel_futures=True)
        fetcher = await stack.enter_async_context(open_fetcher(options))
        store = SourceCache(fetcher.cache if isinstance(fetcher, LiveFetcher) else None, options)
        extractor = Extractor(executor)
        stack.callback(extractor.close)
        resolvers = default_resolvers(options, extractor)
        runner = _RetainingResolver(fetcher, store, options, resolvers, progress, stats, retain)
        active: dict[asyncio.Task[ArticleReport], int] = {}  # task -> its references
        in_flight = 0
        more = True
        try:
            while more or active:
                while more and (not active or in_flight < window):
                    path = next(files, None)
                    if path is None:
                        more = False
                        break
                    article = parse_article(path)
                    weight = len(article.references) + len(article.ignored_references)
                    task = asyncio.ensure_future(_verify_one(article, runner, options, matching))
                    active[task] = weight
                    in_flight += weight
                if not active:
                    break
                done, _ = await asyncio.wait(active, return_when=asyncio.FIRST_COMPLETED)
                while done:
                    # taken out of `done` before it is handed over: a finished task holds its
                    # report, and the caller may drop it while the next one is yielded
                    task = done.pop()
                    in_flight -= active.pop(task)
                    report = task.result()
                    del task
                    stats.requests = getattr(fetcher, "requests_sent", 0)
                    yield report
        finally:
            for task in active:
                task.cancel()
            await asyncio.gather(*active, return_exceptions=True)
            await runner.cancel()
        stats.requests = getattr(fetcher, "requests_sent", 0)
