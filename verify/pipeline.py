"""The pipeline: articles -> references and claims -> sources -> evidence -> verdicts -> report.

I/O stays here and in the fetch/resolver modules; parsing and matching are pure functions.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

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
from verify.sources.cache import SourceCache

if TYPE_CHECKING:
    from concurrent.futures import Executor


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


class _SourceResolver:
    """Resolves each distinct URL once per run, consulting the cache of resolved sources."""

    def __init__(
        self,
        fetcher: Fetcher,
        store: SourceCache,
        options: Options,
        resolvers: Sequence[Any],
        progress: ProgressHook | None,
        stats: RunStats,
        cached: dict[str, Source],
    ) -> None:
        self.cached = cached
        self.fetcher = fetcher
        self.store = store
        self.options = options
        self.resolvers = resolvers
        self.progress = progress
        self.stats = stats
        self.tasks: dict[str, asyncio.Task[Source]] = {}
        self.started: list[asyncio.Future[Source]] = []

    async def cancel(self) -> None:
        """Stop every resolution still running and wait for them to end."""
        for task in self.started:
            task.cancel()
        await asyncio.gather(*self.started, return_exceptions=True)

    def submit_plan(
        self, plan: Sequence[Reference | Source], local: dict[int, str]
    ) -> list[Awaitable[Source] | None]:
        """A resolution for each Reference of an article's plan (None where the plan already
        holds its Source), with the saved file `local` names for it by its place."""
        return [
            self.submit(item, local.get(n)) if isinstance(item, Reference) else None
            for n, item in enumerate(plan)
        ]

    def submit(self, reference: Reference, local: str | None = None) -> Awaitable[Source]:
        # A local copy stands for one article's reference, so it never shares a URL's task.
        if local is not None:
            copy = asyncio.ensure_future(self._resolve(reference, cacheable=False, local=local))
            self.started.append(copy)
            return copy
        task = self.tasks.get(reference.url)
        if task is None:
            task = asyncio.ensure_future(self._resolve(reference, cacheable=True))
            self.tasks[reference.url] = task
            self.started.append(task)
        return task

    async def _resolve(
        self, reference: Reference, *, cacheable: bool, local: str | None = None
    ) -> Source:
        from verify.sources.resolvers import resolve_reference

        source = self.cached.get(reference.url) if cacheable else None
        if source is not None:
            self.stats.sources_from_cache += 1
        if source is None:
            source = await resolve_reference(
                reference, self.fetcher, resolvers=self.resolvers, options=self.options, local=local
            )
            if cacheable:
                self.store.keep(reference.url, source)
        if self.progress is not None:
            self.progress.advance(source)
        return source


def _ignored_source(reference: Reference, why: str) -> Source:
    return Source(reference=reference, status=RefStatus.IGNORED, via="none", error=why)


async def collect_sources(
    plan: Sequence[Reference | Source], futures: Sequence[Awaitable[Source] | None]
) -> list[Source]:
    """An article's sources in its plan's order: those settled while planning as they are,
    the others once their resolution ends."""
    sources: list[Source] = []
    for item, fut in zip(plan, futures, strict=True):
        if fut is None:
            assert isinstance(item, Source)
            sources.append(item)
        else:
            assert isinstance(item, Reference)
            # The same URL cited by two articles shares one resolution; each keeps its own
            # reference (id, line).
            sources.append(replace(await fut, reference=item))
    return sources


async def judge_as_sources_arrive(
    article: Article,
    plan: Sequence[Reference | Source],
    futures: Sequence[Awaitable[Source] | None],
    options: Options,
    prepared: Awaitable[dict[str, Any]],
    matching: Executor,
) -> ArticleReport:
    """An article's report: each claim judged in `matching` as soon as the sources it is
    checked against are in, while the others are still being fetched (so little is left to
    do when the last answer arrives). The report does not depend on the order the sources
    arrive in: each claim sees all of its own sources, and the evidence budget is applied
    afterwards, in claim order. `matching` should be one thread: judging is pure Python,
    and a second thread would only queue for the interpreter lock."""
    if options.links_only:
        return ArticleReport(
            article=article, sources=tuple(await collect_sources(plan, futures)), claims=()
        )
    by_id: dict[str, Awaitable[Source] | Source] = {}
    for item, fut in zip(plan, futures, strict=True):
        if isinstance(item, Source):
            by_id[item.reference.id] = item
        else:
            assert fut is not None
            by_id[item.id] = fut
    candidates = _candidates(article)
    loop = asyncio.get_running_loop()
    # built in the matching thread, as every import from verify.matching is: an import on
    # the event loop while that thread imports the same module would hold the loop, and the
    # requests it is sending, on Python's import lock until that import is done
    matcher: asyncio.Future[Any] = asyncio.ensure_future(_matcher_in(matching, options, prepared))

    async def documents_of(ids: Sequence[str]) -> dict[str, Document]:
        documents: dict[str, Document] = {}
        for ref_id in ids:
            item = by_id.get(ref_id)
            source = item if item is None or isinstance(item, Source) else await item
            if source is not None and source.document is not None:
                documents[ref_id] = source.document
        return documents

    async def judge(claim: Any) -> Any:
        ids = candidates[claim.index]
        documents = await documents_of(ids)
        return await loop.run_in_executor(matching, (await matcher).match, claim, documents, ids)

    judging = [asyncio.ensure_future(judge(c)) for c in article.claims]
    try:
        results = await asyncio.gather(*judging)
        sources = await collect_sources(plan, futures)
    except BaseException:
        for task in (*judging, matcher):
            task.cancel()
        await asyncio.gather(*judging, matcher, return_exceptions=True)
        raise
    # in the matching thread too, behind its imports (an article without claims gets here
    # while they may still be running)
    claims = await loop.run_in_executor(matching, _limit_evidence, results, _documents(sources))
    return ArticleReport(article=article, sources=tuple(sources), claims=tuple(claims))


async def _matcher_in(
    matching: Executor, options: Options, prepared: Awaitable[dict[str, Any]]
) -> Any:
    ready = await prepared
    return await asyncio.get_running_loop().run_in_executor(matching, _matcher, options, ready)


Plan = list[Reference | Source]


def plan_article(article: Article, options: Options) -> tuple[Plan, dict[int, str]]:
    """Each reference of `article`, in order: the Reference to resolve, or the Source it
    already is (excluded by configuration, or inside a verify-ignore comment); and the saved
    file `--source` names for a reference, by its place in the plan."""
    plan: Plan = []
    local: dict[int, str] = {}
    for ref in article.references:
        saved = None
        if options.local_sources:
            from verify.sources.local import local_copy

            saved = local_copy(ref, article.path, options.local_sources)
        why = exclusion_reason(ref.url, options)
        if saved is not None:
            local[len(plan)] = saved
            plan.append(ref)
        else:
            plan.append(_ignored_source(ref, why) if why else ref)
    plan.extend(
        _ignored_source(r, "inside a verify-ignore comment") for r in article.ignored_references
    )
    return plan, local


def prepare_in(
    matching: Executor, articles: Sequence[Article], options: Options
) -> asyncio.Future[dict[str, Any]]:
    """The claims' side of matching for `articles` (it needs no source), run in `matching`;
    nothing to prepare for --links-only."""
    if options.links_only:
        done: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        done.set_result({})
        return done
    return asyncio.wrap_future(matching.submit(_prepare, articles, options))


def _prepare(articles: Sequence[Article], options: Options) -> dict[str, Any]:
    from verify.matching.match import prepare_claims

    claims = [c for article in articles for c in article.claims]
    return prepare_claims(claims, glossary=options.glossary or None)


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


def judge_article(article: Article, sources: Sequence[Source], options: Options) -> ArticleReport:
    """An article's report once all its sources are in, its claims prepared and matched at
    once (none for --links-only): for a cluster's workers, which judge a whole article where
    it was parsed. CPU-bound and pure."""
    if options.links_only:
        return ArticleReport(article=article, sources=tuple(sources), claims=())
    documents = _documents(sources)
    matcher = _matcher(options, _prepare([article], options))
    candidates = _candidates(article)
    claims = [matcher.match(c, documents, candidates[c.index]) for c in article.claims]
    return ArticleReport(
        article=article, sources=tuple(sources), claims=tuple(_limit_evidence(claims, documents))
    )


def _limit_evidence(results: list[Any], documents: dict[str, Document]) -> list[Any]:
    from verify.matching.match import limit_evidence

    return limit_evidence(results, documents)


def _documents(sources: Sequence[Source]) -> dict[str, Document]:
    return {s.reference.id: s.document for s in sources if s.document is not None}


async def verify_articles_async(
    articles: Sequence[Article],
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    stats: RunStats | None = None,
    executor: Executor | None = None,
) -> Report:
    """Verify already-parsed articles. References shared between articles are fetched once.

    Pages are extracted in `executor` (which the caller owns: see verify.cli.executor for
    worker processes), or in the running loop's default thread pool when None. Claims are
    judged in a thread of the run's own, each as soon as its sources are in. Nothing about
    the process is changed."""
    from concurrent.futures import ThreadPoolExecutor

    from verify.http.fetch import LiveFetcher, open_fetcher
    from verify.sources.extract import Extractor
    from verify.sources.resolvers import default_resolvers

    options = options or Options()
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    if options.local_sources:
        from verify.sources.local import check_local_sources

        check_local_sources(articles, options.local_sources)
    planned = [plan_article(article, options) for article in articles]
    distinct = {
        item.url
        for plan, local in planned
        for n, item in enumerate(plan)
        if isinstance(item, Reference) and n not in local
    }
    matching = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-match")
    try:
        async with contextlib.AsyncExitStack() as stack:
            fetcher = await stack.enter_async_context(open_fetcher(options))
            store = SourceCache(
                fetcher.cache if isinstance(fetcher, LiveFetcher) else None, options
            )
            cached = store.fresh(distinct)
            resolvers = default_resolvers(options, Extractor(executor))
            runner = _SourceResolver(fetcher, store, options, resolvers, progress, stats, cached)
            if progress is not None:
                progress.start(len(distinct) + sum(len(local) for _, local in planned))
            pending = [runner.submit_plan(plan, local) for plan, local in planned]
            # Let the resolutions send their first requests, then prepare the claims' side
            # of matching (it needs no source) in the matching thread while they are out.
            await asyncio.sleep(0)
            prepared = prepare_in(matching, articles, options)
            judging = [
                asyncio.ensure_future(
                    judge_as_sources_arrive(article, plan, futures, options, prepared, matching)
                )
                for article, (plan, _), futures in zip(articles, planned, pending, strict=True)
            ]
            try:
                reports = [await j for j in judging]
            except BaseException:
                # a bug (or an interruption) ends the run: the other resolutions stop, and
                # their own exceptions are collected here rather than reported as lost
                for j in (*judging, prepared):
                    j.cancel()
                await asyncio.gather(*judging, prepared, return_exceptions=True)
                await runner.cancel()
                raise
            stats.requests = getattr(fetcher, "requests_sent", 0)
    finally:
        matching.shutdown(wait=False, cancel_futures=True)
    stats.seconds = time.perf_counter() - started
    return Report(articles=tuple(reports), tool_version=__version__)


async def verify_paths_async(
    paths: Iterable[str | Path],
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    stats: RunStats | None = None,
    executor: Executor | None = None,
) -> Report:
    """Parse and verify markdown files (each path a file). Raises InputError for bad input."""
    from verify.article.parse import parse_article

    articles = [parse_article(p) for p in paths]
    return await verify_articles_async(
        articles, options, progress=progress, stats=stats, executor=executor
    )


async def verify_article_async(
    path: str | Path,
    options: Options | None = None,
    *,
    progress: ProgressHook | None = None,
    executor: Executor | None = None,
) -> Report:
    """Verify one markdown article, inside a running event loop."""
    return await verify_paths_async([path], options, progress=progress, executor=executor)


def verify_paths(
    paths: Iterable[str | Path], options: Options | None = None, *, executor: Executor | None = None
) -> Report:
    """Verify several markdown files in one run: one Report, a reference shared between
    them fetched once."""
    return asyncio.run(verify_paths_async(paths, options, executor=executor))


def verify_article(
    path: str | Path, options: Options | None = None, *, executor: Executor | None = None
) -> Report:
    """Verify one markdown article: `verify.verify_article("post.md", Options())`."""
    return asyncio.run(verify_article_async(path, options, executor=executor))
