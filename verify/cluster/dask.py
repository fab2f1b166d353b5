"""verify on a Dask cluster (`dask.distributed`, the optional extra `verify-sources[dask]`).

The run's shape is what keeps it polite across machines, with no coordination between them:

1. parse: one task per article; the parsed article stays on the worker that parsed it, and
   only its list of URLs to fetch comes back to the client;
2. the client deduplicates those URLs across the whole run (one fetch per URL) and groups
   them by host: every URL of one host goes to one fetch task, so the per-host limit that
   task's fetcher holds is the limit the host sees from the whole cluster;
3. fetch: one task per group of hosts fetches, resolves and extracts its pages where it
   fetched them, and keeps the sources (text included) on its worker;
4. judge: one task per article, sent to the worker that holds the article (its claims),
   takes the sources it cites from the fetch tasks' results and judges its claims;
5. the client yields each article's report as it arrives, and lets Dask forget it.

Configuration (the Options: limits, glossary, endpoints, thresholds) is an argument of every
task, so workers need nothing but verify installed. A worker that dies mid-run loses nothing:
the scheduler runs its tasks again elsewhere (from their inputs, parsing again where needed).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from verify.errors import ConfigError
from verify.models import Article, ArticleReport, Options, Reference, Source

INSTALL_HINT = "pip install 'verify-sources[dask]'"
# Fetch tasks per worker thread: enough that one slow host holds up only a small share of
# the run, few enough that each task's event loop has many requests to overlap.
PARTITIONS_PER_THREAD = 4
# A worker thread is mostly waiting on the network in a fetch task, so a worker runs
# several (they release the GIL while they wait).
LOCAL_THREADS_PER_WORKER = 4


class ClusterProgress(Protocol):
    """Told how many references the run will resolve, then how many each partition did, then
    of each article as its report arrives."""

    def start(self, total: int) -> None: ...

    def advanced(self, count: int) -> None: ...


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(f"--dask needs Dask: {INSTALL_HINT}") from None
    return distributed


@dataclass(frozen=True)
class ClusterSpec:
    """What --dask names: a LocalCluster of `workers` processes, or a scheduler's address."""

    address: str | None = None
    workers: int | None = None

    @classmethod
    def parse(cls, value: str) -> ClusterSpec:
        value = value.strip()
        if value == "local":
            return cls()
        if value.startswith("local:"):
            count = value.removeprefix("local:")
            if not count.isdigit() or int(count) < 1:
                raise ConfigError(f"--dask {value}: local:N needs a number of workers >= 1")
            return cls(workers=int(count))
        if "://" not in value or value.endswith("://"):
            raise ConfigError(
                f"--dask {value}: expected local, local:N or a scheduler address "
                "such as tcp://scheduler:8786"
            )
        return cls(address=value)


@contextlib.contextmanager
def connect(spec: ClusterSpec, *, dashboard: bool = True) -> Iterator[Any]:
    """A dask.distributed Client for `spec`: a new LocalCluster (closed on the way out), or
    the scheduler at its address. ConfigError when Dask is missing or the scheduler cannot
    be reached."""
    distributed = _distributed()
    if spec.address is not None:
        try:
            client = distributed.Client(spec.address, timeout="10s")
        except OSError as exc:
            raise ConfigError(f"--dask {spec.address}: cannot reach the scheduler: {exc}") from None
        with client:
            yield client
        return
    import logging

    from verify.cli.executor import usable_cpus

    cluster = distributed.LocalCluster(
        n_workers=spec.workers or usable_cpus(),
        threads_per_worker=LOCAL_THREADS_PER_WORKER,
        processes=True,
        dashboard_address=":0" if dashboard else None,
        # a worker closing mid-heartbeat as the run ends logs a traceback, not a problem
        silence_logs=logging.CRITICAL,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def dashboard_link(client: Any) -> str | None:
    """The dashboard's address, where the scheduler serves one. A LocalCluster's scheduler
    runs in this process: without bokeh it serves only a page asking for bokeh, so there is
    no dashboard to name (a remote scheduler's own packages cannot be seen from here)."""
    if getattr(client, "cluster", None) is not None and not _has_bokeh():
        return None
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:  # an old or unusual scheduler: no dashboard to name
        return None
    return client.dashboard_link if "dashboard" in services else None


# -- the tasks: module-level functions, so workers import them by name ------------------


def parse_task(path: str) -> Article:
    from verify.article.parse import parse_article

    return parse_article(path)


def to_fetch_task(article: Article, options: Options) -> list[Reference]:
    """The references of `article` that a fetch task resolves (not excluded, not ignored,
    not read from a local file)."""
    from verify.pipeline import plan_article

    plan, local = plan_article(article, options)
    return [item for n, item in enumerate(plan) if isinstance(item, Reference) and n not in local]


def partition_options(options: Options, index: int) -> Options:
    """A fetch task's options: --record writes one WARC a partition beside the named file
    (run.warc.gz -> run.part-0007.warc.gz), since tasks run in many processes at once."""
    if not options.record:
        return options
    path = Path(options.record)
    name = path.name
    stem, suffix = (
        (name[: -len(".warc.gz")], ".warc.gz")
        if name.endswith(".warc.gz")
        else (
            path.stem,
            path.suffix,
        )
    )
    return replace(options, record=str(path.with_name(f"{stem}.part-{index:04d}{suffix}")))


async def _resolve_all(
    references: Sequence[Reference], options: Options, local: Sequence[str | None] = ()
) -> list[Source]:
    """Each reference resolved (each URL once), `local[i]` the saved file standing for
    reference i where --source names one."""
    from verify.http.fetch import LiveFetcher, open_fetcher
    from verify.pipeline import RunStats, _SourceResolver
    from verify.sources.cache import SourceCache
    from verify.sources.extract import Extractor
    from verify.sources.resolvers import default_resolvers

    saved = list(local) or [None] * len(references)
    async with contextlib.AsyncExitStack() as stack:
        fetcher = await stack.enter_async_context(open_fetcher(options))
        store = SourceCache(fetcher.cache if isinstance(fetcher, LiveFetcher) else None, options)
        # a Dask worker may not start processes of its own: extraction runs in its threads
        extractor = Extractor()
        stack.callback(extractor.close)
        cached = store.fresh({r.url for r in references})
        resolvers = default_resolvers(options, extractor)
        runner = _SourceResolver(fetcher, store, options, resolvers, None, RunStats(), cached)
        futures = [runner.submit(r, f) for r, f in zip(references, saved, strict=True)]
        try:
            return list(await asyncio.gather(*futures))
        except BaseException:
            await runner.cancel()
            raise


def fetch_task(references: list[Reference], options: Options, index: int) -> dict[str, Source]:
    """Resolve every URL of a group of hosts (each once), extracting each page here.
    Keyed by URL; stays on the worker until the judging tasks have taken what they need."""
    sources = asyncio.run(_resolve_all(references, partition_options(options, index)))
    return {r.url: s for r, s in zip(references, sources, strict=True)}


def judge_task(article: Article, options: Options, *partitions: dict[str, Source]) -> ArticleReport:
    """One article's report from the fetch tasks' sources, judged where its claims are."""
    from verify.pipeline import judge_article, plan_article

    plan, local = plan_article(article, options)
    read_here: dict[int, Source] = {}
    if local:
        # files named by --source: read by the worker that judges (the path must be
        # readable there); no request is made, so nothing is recorded
        places = sorted(local)
        refs = [item for n in places if isinstance(item := plan[n], Reference)]
        saved = [local[n] for n in places]
        found = asyncio.run(_resolve_all(refs, replace(options, record=None), saved))
        read_here = dict(zip(places, found, strict=True))
    sources: list[Source] = []
    for n, item in enumerate(plan):
        if isinstance(item, Source):
            sources.append(item)
        elif n in read_here:
            sources.append(read_here[n])
        else:
            fetched = next(p[item.url] for p in partitions if item.url in p)
            sources.append(replace(fetched, reference=item))
    return judge_article(article, sources, options)


# -- the client's side ---------------------------------------------------------------------


def partition_hosts(urls_by_host: dict[str, list[Reference]], partitions: int) -> list[list[str]]:
    """Hosts grouped into at most `partitions` groups of about equal URL counts (largest host
    first into the lightest group); each host in exactly one group."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(partitions, len(urls_by_host))))]
    heap = [(0, i) for i in range(len(groups))]
    for host in sorted(urls_by_host, key=lambda h: (-len(urls_by_host[h]), h)):
        load, i = heapq.heappop(heap)
        groups[i].append(host)
        heapq.heappush(heap, (load + len(urls_by_host[host]), i))
    return [g for g in groups if g]


def _threads(client: Any) -> int:
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def run_on_cluster(
    client: Any,
    paths: Iterable[str | Path],
    options: Options,
    *,
    progress: ClusterProgress | None = None,
    partitions: int | None = None,
) -> Iterator[ArticleReport]:
    """Verify markdown files on the cluster behind `client`, yielding each article's report
    as it arrives (in the order they finish). Closing the generator early (or an exception,
    ^C included) cancels the cluster's remaining work. A file that cannot be read raises
    InputError, as it does on one machine."""
    import uuid

    distributed = _distributed()
    files = [str(p) for p in paths]
    run = uuid.uuid4().hex[:8]  # keys of this run's tasks, readable on the dashboard
    futures: list[Any] = []
    try:
        parsed = client.map(
            parse_task,
            files,
            pure=False,
            key=[f"verify-parse-{run}-{i}" for i in range(len(files))],
        )
        futures += parsed
        wanted = client.map(to_fetch_task, parsed, options=options, pure=False)
        futures += wanted
        index = {f.key: i for i, f in enumerate(wanted)}
        urls_of: list[set[str]] = [set() for _ in files]
        by_host: dict[str, dict[str, Reference]] = {}
        for fut in distributed.as_completed(wanted):
            i = index[fut.key]
            for ref in fut.result():
                urls_of[i].add(ref.url)
                by_host.setdefault(ref.host, {}).setdefault(ref.url, ref)
            fut.release()
        # every URL of one host in one fetch task: the per-host limit holds cluster-wide
        hosts = {h: list(refs.values()) for h, refs in by_host.items()}
        groups = partition_hosts(hosts, partitions or PARTITIONS_PER_THREAD * _threads(client))
        total = sum(len(refs) for refs in hosts.values())
        if progress is not None:
            progress.start(total)
        group_of: dict[str, int] = {}
        fetches = []
        sizes = {}
        for g, group in enumerate(groups):
            refs = [r for h in group for r in hosts[h]]
            for r in refs:
                group_of[r.url] = g
            fut = client.submit(
                fetch_task, refs, options, g, pure=False, retries=2, key=f"verify-fetch-{run}-{g}"
            )
            sizes[fut.key] = len(refs)
            fetches.append(fut)
        futures += fetches
        if progress is not None:

            def fetched(fut: Any) -> None:
                # a task cancelled by ^C is "done" too, but none of its references is resolved
                if fut.status == "finished":
                    progress.advanced(sizes[fut.key])

            for fut in fetches:
                fut.add_done_callback(fetched)
        # where the claims are: the worker that parsed each article, if it is still there
        holders = client.who_has(parsed)
        judges = []
        waiting = [0] * len(fetches)  # judging tasks still to take from each fetch task
        needs: dict[str, tuple[int, list[int]]] = {}
        for i, article in enumerate(parsed):
            needed = sorted({group_of[u] for u in urls_of[i]})
            for g in needed:
                waiting[g] += 1
            where = list(holders.get(article.key, ()))
            fut = client.submit(
                judge_task,
                article,
                options,
                *[fetches[g] for g in needed],
                pure=False,
                retries=2,
                workers=where or None,
                allow_other_workers=True,
                key=f"verify-judge-{run}-{i}",
            )
            needs[fut.key] = (i, needed)
            judges.append(fut)
        futures += judges
        del urls_of, hosts, by_host, group_of
        for fut in distributed.as_completed(judges):
            report = fut.result()
            # what only this article needed can go: its claims, and each fetch task's
            # sources once every article citing them is judged
            i, needed = needs.pop(fut.key)
            fut.release()
            parsed[i].release()
            for g in needed:
                waiting[g] -= 1
                if not waiting[g]:
                    fetches[g].release()
            yield report
    finally:
        # ^C, an error or a caller that stopped reading: the cluster's work for this run ends
        pending = [f for f in futures if not f.done()]
        if pending:
            with contextlib.suppress(Exception):
                client.cancel(pending)
        for fut in futures:
            with contextlib.suppress(Exception):
                fut.release()
