"""The pipeline: articles -> references and claims -> sources -> evidence -> verdicts -> report.

I/O stays here and in the fetch/resolver modules; parsing and matching are pure functions.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import re
import threading
import time
from collections.abc import Awaitable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from verify import __version__
from verify.models import (
    Article,
    ArticleReport,
    Document,
    Fetcher,
    Options,
    Reference,
    RefStatus,
    Report,
    Source,
)


class ProgressHook(Protocol):
    """Told how many references a run will resolve, then of each one as it completes."""

    def start(self, total: int) -> None: ...

    def advance(self, source: Source) -> None: ...


@dataclass
class RunStats:
    """What a run did, for benchmarks and --verbose."""

    requests: int = 0
    sources_from_cache: int = 0
    seconds: float = 0.0


def exclusion_reason(url: str, options: Options) -> str | None:
    """Why configuration says not to check this URL, or None."""
    host = Reference(id="", url=url, line=0).host
    for pattern in options.exclude:
        if re.search(pattern, url):
            return f"excluded by pattern {pattern!r}"
    for excluded in options.exclude_hosts:
        excluded = excluded.lower().lstrip(".")
        if host == excluded or host.endswith("." + excluded):
            return f"excluded host {excluded}"
    if options.include and not any(re.search(p, url) for p in options.include):
        return "not matched by any include pattern"
    return None


def _source_cache_key(url: str, options: Options) -> str:
    return f"{url}|archive={int(options.archive)}|links_only={int(options.links_only)}"


async def _open_fetcher(options: Options, stack: contextlib.AsyncExitStack) -> tuple[Any, Any]:
    """The fetcher for this run and the cache (None when not caching)."""
    if options.replay:
        from verify.http.warc import ReplayFetcher

        # a replayed run applies the same size cap the recorded run did; it contacts no
        # address, so a recording of pages on the user's own network (made with
        # --allow-private) replays without it: what is in the file was allowed when recorded
        replay = ReplayFetcher(
            options.replay,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            allow_private=True,
        )
        if hasattr(replay, "__aenter__"):
            await stack.enter_async_context(replay)
        return replay, None

    cache = None
    # A recording must hold every exchange, so it never reads from the cache.
    if options.cache and not options.record:
        from verify.http.cache import Cache

        cache = Cache(options.cache_dir, max_age=options.max_age)
        stack.callback(cache.close)
    recorder = None
    if options.record:
        from verify.http.warc import WarcRecorder

        recorder = WarcRecorder(options.record)
        stack.callback(recorder.close)
    return _LazyFetcher(options, cache, recorder, stack), cache


class _LazyFetcher:
    """Opens the HTTP client on the first request, so a run served wholly from the cache
    never loads aiohttp or opens a connection."""

    def __init__(
        self, options: Options, cache: Any, recorder: Any, stack: contextlib.AsyncExitStack
    ) -> None:
        self._args = (options, cache, recorder)
        self._stack = stack
        self._fetcher: Any = None
        self._lock = asyncio.Lock()
        self.in_flight = 0  # requests sent on the open client and not yet answered

    @property
    def requests_sent(self) -> int:
        return self._fetcher.requests_sent if self._fetcher is not None else 0

    async def fetch(self, url: str, *, accept: str | None = None) -> Any:
        if self._fetcher is None:
            async with self._lock:
                if self._fetcher is None:
                    from verify.http.client import HttpFetcher

                    options, cache, recorder = self._args
                    fetcher = HttpFetcher(options, cache=cache, recorder=recorder)
                    await self._stack.enter_async_context(fetcher)
                    self._fetcher = fetcher
        self.in_flight += 1
        try:
            return await self._fetcher.fetch(url, accept=accept)
        finally:
            self.in_flight -= 1


# How often the idle watch looks, and the share of that time the loop's thread may have
# spent on the CPU for the loop to count as waiting on the network.
IDLE_TICK = 0.005
IDLE_CPU_SHARE = 0.25


async def _watch_idle(fetcher: _LazyFetcher, idle: asyncio.Event) -> None:
    """Set `idle` once requests are out and the loop's thread has had almost nothing to do
    for one tick: the moment for CPU work that needs no source. (The first answer would be
    too late where every request goes out at once: they all come back together.)"""
    while not idle.is_set():
        cpu, wall = time.thread_time(), time.perf_counter()
        await asyncio.sleep(IDLE_TICK)
        busy = time.thread_time() - cpu
        if fetcher.in_flight and busy < IDLE_CPU_SHARE * (time.perf_counter() - wall):
            idle.set()


def _cached_sources(cache: Any, urls: Iterable[str], options: Options) -> dict[str, Source]:
    """Sources resolved by an earlier run, still fresh, keyed by URL."""
    if cache is None:
        return {}
    from verify.http.serialize import source_from_dict

    found: dict[str, Source] = {}
    for url in urls:
        # the cache keeps each entry's age itself; an expired entry reads as missing
        data = cache.get_json("source", _source_cache_key(url, options), max_age=options.max_age)
        source = source_from_dict(data) if isinstance(data, dict) else None
        if source is not None:
            found[url] = source
    return found


class _SourceResolver:
    """Resolves each distinct URL once per run, consulting the cache of resolved sources."""

    def __init__(
        self,
        fetcher: Fetcher,
        cache: Any,
        options: Options,
        resolvers: Sequence[Any],
        progress: ProgressHook | None,
        stats: RunStats,
        cached: dict[str, Source],
    ) -> None:
        self.cached = cached
        self.fetcher = fetcher
        self.cache = cache
        self.options = options
        self.resolvers = resolvers
        self.progress = progress
        self.stats = stats
        self.tasks: dict[str, asyncio.Task[Source]] = {}

    def submit(self, reference: Reference) -> Awaitable[Source]:
        # Local copies are per reference id, so they never share a URL's task.
        if reference.id in self.options.local_sources:
            return asyncio.ensure_future(self._resolve(reference, cacheable=False))
        task = self.tasks.get(reference.url)
        if task is None:
            task = asyncio.ensure_future(self._resolve(reference, cacheable=True))
            self.tasks[reference.url] = task
        return task

    async def _resolve(self, reference: Reference, *, cacheable: bool) -> Source:
        from verify.sources.resolvers import resolve_reference

        source = self.cached.get(reference.url) if cacheable else None
        if source is not None:
            self.stats.sources_from_cache += 1
        if source is None:
            source = await resolve_reference(
                reference, self.fetcher, resolvers=self.resolvers, options=self.options
            )
            if cacheable and self.cache is not None and source.status.readable:
                from verify.http.serialize import source_to_dict

                self.cache.put_json(
                    "source",
                    _source_cache_key(reference.url, self.options),
                    source_to_dict(source),
                )
        if self.progress is not None:
            self.progress.advance(source)
        return source


# Below this many pages, starting worker processes costs more than extracting in a thread.
PROCESS_POOL_MIN_PAGES = 32


def _extractor(pages: int, options: Options) -> Any:
    """Extraction in worker processes for a large run (trafilatura holds the GIL, so threads
    share one core with the event loop), or in the workers the command line started early
    (verify.preload); a thread for a small one."""
    from verify.preload import take_workers
    from verify.sources.extract import Extractor, fork_is_safe, usable_cpus

    early = take_workers()
    if early is not None:
        if pages and not options.links_only:
            return early  # warm already: worth using for a single page
        early.close(wait=False)
    cores = usable_cpus()
    if options.links_only or pages < PROCESS_POOL_MIN_PAGES:
        return Extractor()
    if cores > 1 and fork_is_safe():
        extractor = Extractor(processes=cores)
        with contextlib.suppress(OSError):  # no process to be had: a thread, then
            extractor.warm()
            return extractor
    return Extractor()


@contextlib.contextmanager
def _start_up_frozen() -> Iterator[None]:
    """Keep what is loaded so far (modules, the HTTP client: it lives as long as the run) out
    of the cyclic collector's way until the run ends (see verify.preload), and resume the
    collector if the command line paused it for start-up. Frozen before the pipeline forks
    workers, it also stays shared with them. Left alone when the host application froze
    objects itself."""
    from verify.preload import resume_collection

    if gc.get_freeze_count():
        resume_collection()
        yield
        return
    gc.freeze()
    resume_collection()
    try:
        yield
    finally:
        gc.unfreeze()


def _ignored_source(reference: Reference, why: str) -> Source:
    return Source(reference=reference, status=RefStatus.IGNORED, via="none", error=why)


async def _verify_articles(
    articles: Sequence[Article],
    options: Options,
    progress: ProgressHook | None,
    stats: RunStats,
    idle: asyncio.Event,
    preparing: asyncio.Future[dict[str, Any]] | None,
    preload: threading.Thread | None = None,
) -> list[tuple[Article, list[Source], _EarlyJudge | None]]:
    plans: list[tuple[Article, list[Reference | Source]]] = []
    to_fetch: list[Reference] = []
    for article in articles:
        plan: list[Reference | Source] = []
        for ref in article.references:
            why = exclusion_reason(ref.url, options)
            if why:
                plan.append(_ignored_source(ref, why))
            else:
                plan.append(ref)
                to_fetch.append(ref)
        plan.extend(
            _ignored_source(r, "inside a verify-ignore comment") for r in article.ignored_references
        )
        plans.append((article, plan))

    results: list[tuple[Article, list[Source], _EarlyJudge | None]] = []
    distinct = {r.url for r in to_fetch if r.id not in options.local_sources}
    async with contextlib.AsyncExitStack() as stack:
        fetcher, cache = await _open_fetcher(options, stack)
        if isinstance(fetcher, _LazyFetcher) and not options.links_only:
            watch = asyncio.ensure_future(_watch_idle(fetcher, idle))
            stack.callback(watch.cancel)
        cached = _cached_sources(cache, distinct, options)
        if preload is not None:
            # what else the run needs loads here while the import thread waits on its
            # CA certificates (no GIL), instead of after it
            from verify.sources.resolvers import load_resolvers

            load_resolvers()

            preload.join()
        stack.enter_context(_start_up_frozen())
        # Worker processes are forked before the fetcher or the progress bar start a thread.
        extractor = _extractor(len(distinct - cached.keys()), options)
        # the workers' exit need not hold up the matching that follows
        stack.callback(extractor.close, wait=False)
        from verify.sources.resolvers import default_resolvers

        runner = _SourceResolver(
            fetcher, cache, options, default_resolvers(options, extractor), progress, stats, cached
        )
        distinct_local = sum(1 for r in to_fetch if r.id in options.local_sources)
        if progress is not None:
            progress.start(len(distinct) + distinct_local)
        pending = [
            [runner.submit(item) if isinstance(item, Reference) else None for item in plan]
            for _, plan in plans
        ]
        judges: list[_EarlyJudge | None] = [None] * len(plans)
        if preparing is not None:
            judges = [
                _EarlyJudge(article, plan, futures, options, preparing)
                for (article, plan), futures in zip(plans, pending, strict=True)
            ]
        for (article, plan), futures, judge in zip(plans, pending, judges, strict=True):
            sources: list[Source] = []
            for item, fut in zip(plan, futures, strict=True):
                if fut is None:
                    assert isinstance(item, Source)
                    sources.append(item)
                else:
                    assert isinstance(item, Reference)
                    # The same URL cited by two articles shares one resolution; each keeps
                    # its own reference (id, line).
                    sources.append(replace(await fut, reference=item))
            if judge is not None:
                judge.close()
            results.append((article, sources, judge))
        stats.requests = getattr(fetcher, "requests_sent", 0)
    return results


def _prepare(articles: Sequence[Article], options: Options) -> dict[str, Any]:
    from verify.matching.match import prepare_claims

    claims = [c for article in articles for c in article.claims]
    return prepare_claims(claims, glossary=options.glossary or None)


async def _prepare_when_idle(
    articles: Sequence[Article], options: Options, idle: asyncio.Event
) -> dict[str, Any]:
    await idle.wait()
    # A thread, so the loop still answers responses; it waits for the GIL a few ms at most.
    return await asyncio.to_thread(_prepare, articles, options)


def _candidates(article: Article) -> dict[int, tuple[str, ...]]:
    ignored = {r.id for r in article.ignored_references}
    return {
        c.index: tuple(i for i in article.candidates(c) if i not in ignored) for c in article.claims
    }


def _matcher(options: Options, prepared: dict[str, Any]) -> Any:
    from verify.matching.match import ClaimMatcher

    return ClaimMatcher(
        thresholds=options.thresholds, glossary=options.glossary or None, prepared=prepared
    )


# How long the loop must have had no source arrive before the early judge works: answers
# come in bursts (a wave of requests sent together), and the requests that follow each answer
# should go out before any judging delays them.
JUDGE_QUIET = 0.005


class _EarlyJudge:
    """Judges each claim of one article on the event loop once the sources it is checked
    against are in (and the claims are prepared), in the quiet after a burst of answers
    while other sources are still being fetched: a claim costs well under a millisecond,
    and between waves the loop only waits. The claims left when the last source arrives
    are judged by `_match`, in a thread."""

    def __init__(
        self,
        article: Article,
        plan: Sequence[Reference | Source],
        futures: Sequence[Awaitable[Source] | None],
        options: Options,
        preparing: asyncio.Future[dict[str, Any]],
    ) -> None:
        self.options = options
        self.candidates = _candidates(article)
        self.results: dict[int, Any] = {}
        self.matcher: Any = None
        self._closed = False
        self._documents: dict[str, Document] = {}
        self._ready: list[Any] = []
        self._missing: dict[int, set[str]] = {}
        self._waiting_on: dict[str, list[Any]] = {}
        self._timer: asyncio.TimerHandle | None = None
        for claim in article.claims:
            needed = set(self.candidates[claim.index])
            if needed and claim.checkable and not claim.ignored:
                self._missing[claim.index] = needed
                for ref_id in needed:
                    self._waiting_on.setdefault(ref_id, []).append(claim)
        for item, fut in zip(plan, futures, strict=True):
            if isinstance(item, Source):
                self._arrived(item.reference.id, item.document)
            elif isinstance(fut, asyncio.Future):
                fut.add_done_callback(functools.partial(self._on_resolved, item.id))
        preparing.add_done_callback(self._on_prepared)

    def _on_resolved(self, ref_id: str, fut: asyncio.Future[Source]) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return  # the run fails where it awaits the same future
        self._arrived(ref_id, fut.result().document)

    def _arrived(self, ref_id: str, document: Document | None) -> None:
        if document is not None:
            self._documents[ref_id] = document
        for claim in self._waiting_on.pop(ref_id, ()):
            missing = self._missing[claim.index]
            missing.discard(ref_id)
            if not missing:
                self._ready.append(claim)
        if self._ready and self.matcher is not None and not self._closed:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = asyncio.get_running_loop().call_later(JUDGE_QUIET, self._judge_ready)

    def _on_prepared(self, fut: asyncio.Future[dict[str, Any]]) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return
        self.matcher = _matcher(self.options, fut.result())
        self._judge_ready()

    def _judge_ready(self) -> None:
        self._timer = None
        if self.matcher is None or self._closed:
            return
        ready, self._ready = self._ready, []
        for claim in ready:
            try:
                self.results[claim.index] = self.matcher.match(
                    claim, self._documents, self.candidates[claim.index]
                )
            except Exception:  # judged again at the end, where the error surfaces
                continue

    def close(self) -> None:
        """Every source is in: what is left is `_match`'s, off the loop."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _match(
    article: Article,
    sources: Sequence[Source],
    options: Options,
    prepared: dict[str, Any],
    judge: _EarlyJudge | None = None,
) -> ArticleReport:
    documents: dict[str, Document] = {
        s.reference.id: s.document for s in sources if s.document is not None
    }
    done = judge.results if judge is not None else {}
    matcher = (judge.matcher if judge is not None else None) or _matcher(options, prepared)
    candidates = judge.candidates if judge is not None else _candidates(article)
    claims = [
        done.get(c.index) or matcher.match(c, documents, candidates[c.index])
        for c in article.claims
    ]
    return ArticleReport(article=article, sources=tuple(sources), claims=tuple(claims))


async def verify_articles_async(
    articles: Sequence[Article],
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    stats: RunStats | None = None,
    _preload: threading.Thread | None = None,
) -> Report:
    """Verify already-parsed articles. References shared between articles are fetched once."""
    options = options or Options()
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    idle = asyncio.Event()
    # The claims' side of matching runs while the sources are fetched, not after.
    preparing = (
        None
        if options.links_only
        else asyncio.ensure_future(_prepare_when_idle(articles, options, idle))
    )
    try:
        resolved = await _verify_articles(
            articles, options, progress, stats, idle, preparing, _preload
        )
    except BaseException:
        if preparing is not None:
            preparing.cancel()
        raise
    reports = []
    prepared: dict[str, Any] = {}
    if preparing is not None:
        idle.set()
        prepared = await preparing
    for article, sources, judge in resolved:
        if options.links_only:
            reports.append(ArticleReport(article=article, sources=tuple(sources), claims=()))
        else:
            # Matching is CPU-bound and pure; a thread keeps a host application's loop free.
            reports.append(
                await asyncio.to_thread(_match, article, sources, options, prepared, judge)
            )
    stats.seconds = time.perf_counter() - started
    return Report(articles=tuple(reports), tool_version=__version__)


async def verify_paths_async(
    paths: Iterable[str | Path],
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    stats: RunStats | None = None,
) -> Report:
    """Parse and verify markdown files (each path a file). Raises InputError for bad input."""
    from verify.preload import preload_http_client, take_parsed

    options = options or Options()
    paths = list(paths)
    preload = preload_http_client(options)
    try:
        # parsed ahead in another process by the command line (verify.preload), or here
        articles = take_parsed(paths)
        if articles is None:
            from verify.article.parse import parse_article

            articles = [parse_article(p) for p in paths]
    except BaseException:
        if preload is not None:
            preload.join()
        raise
    return await verify_articles_async(
        articles, options, progress=progress, stats=stats, _preload=preload
    )


async def verify_article_async(
    path: str | Path,
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
) -> Report:
    """Verify one markdown article, inside a running event loop."""
    return await verify_paths_async([path], options, progress=progress)


def verify_paths(paths: Iterable[str | Path], options: Options | None = None) -> Report:
    """Verify several markdown files in one run: one Report, a reference shared between
    them fetched once."""
    return asyncio.run(verify_paths_async(paths, options))


def verify_article(path: str | Path, options: Options | None = None) -> Report:
    """Verify one markdown article: `verify.verify_article("post.md", Options())`."""
    return asyncio.run(verify_article_async(path, options))
