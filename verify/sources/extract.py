"""Main-text extraction from HTML with trafilatura, kept off the event loop.

trafilatura is CPU-bound and synchronous: run on the loop it would stall every concurrent
fetch, so pages go to a thread pool, or to worker processes when asked for them.
It is also slow to import, so it is imported only when a page is actually extracted.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from verify.errors import SourceError
from verify.models import Document, RefStatus

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Executor

    from verify.workers import ForkedWorkers

# asyncio, multiprocessing and concurrent.futures (30 ms) are imported where they are used:
# the command line forks the workers before it starts loading the HTTP client, and whatever
# it imports first delays that.

# A page larger than this is cut before extraction: trafilatura's time grows with the tree,
# and no article needs more than a few megabytes of markup.
MAX_HTML_CHARS = 5_000_000


def extract_html_sync(html: str, url: str) -> Document | None:
    """The page's main text and metadata, or None when it has no extractable text."""
    if not html or not html.strip():
        return None
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        result: Any = trafilatura.bare_extraction(
            html[:MAX_HTML_CHARS],
            url=url,
            favor_precision=True,
            include_comments=False,
            with_metadata=True,
            # The date comes from the page's metadata, markup and address. htmldate's
            # extensive search of the body text for anything date-like cost 40% of the
            # extraction time (benchmarks/links.py pages), and news pages declare their date.
            date_extraction_params=set_date_params(False),
        )
    except Exception:
        # trafilatura and lxml raise a variety of errors on hostile markup; a page that
        # cannot be parsed simply has no extractable text
        return None
    if not result:
        return None
    if not isinstance(result, dict):  # trafilatura 2 returns a Document object
        result = result.as_dict()
    text = (result.get("text") or "").strip()
    if not text:
        return None
    from verify.article.sentences import sentence_spans

    return Document(
        url=url,
        text=text,
        sentences=sentence_spans(text),
        title=_clean(result.get("title")),
        author=_clean(result.get("author")),
        published=_clean(result.get("date")),
        site_name=_clean(result.get("sitename")),
    )


# A page to extract once at start-up: the first extraction in a process is the slow one
# (trafilatura compiles patterns lazily, and metadata extraction loads the public-suffix
# list, 16,000 lines, for the first address its shortcut cannot parse: a short domain such
# as x.com, or a host with a port). The page is long enough for the main extractor alone;
# a shorter one would also load justext's stop lists, which cost 0.2 s and most runs never
# need.
_WARM_UP_PARAGRAPHS = (
    "This paragraph exists only to be read once when a worker starts, so that the first page"
    " a reader cares about is not the slow one.",
    "It says nothing of interest, but the extractor needs a body of text to work on, and a"
    " short page would send it down a different path.",
    "So there are several paragraphs here, each long enough to count as the main text of an"
    " ordinary news article with a headline and a date.",
    "The last one closes the article before a footer, which the extractor is expected to drop"
    " along with the navigation links above the headline.",
)
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title>"
    '<meta property="article:published_time" content="2024-01-02T03:04:05Z"></head>'
    "<body><nav><a href='/'>Home</a></nav><article><h1>Warm-up</h1>"
    + "".join(f"<p>{p}</p>" for p in _WARM_UP_PARAGRAPHS)
    + "</article><footer>Footer</footer></body></html>"
)
_WARM_UP_URL = "http://localhost:8080/2024/01/02/warm-up.html"


def _warm_up() -> None:
    extract_html_sync(_WARM_UP_PAGE, _WARM_UP_URL)


WORKER_NICENESS = 10


def _start_worker(first: Callable[[], None] | None = None) -> None:
    """A worker process's start: `first` (a job for the parent, done at its priority), then
    below the parent's priority (the parent's event loop is what keeps requests flowing;
    extraction is throughput work), the collector on, and warmed up."""
    if first is not None:
        first()
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    # the command line pauses the collector for its start-up, and forks the workers then
    gc.enable()
    _warm_up()


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's share), not the machine's count."""
    affinity = getattr(os, "sched_getaffinity", None)
    return (len(affinity(0)) if affinity else os.cpu_count()) or 1


def fork_is_safe() -> bool:
    """Whether a worker process can be forked now: on a POSIX system, with no other thread
    alive (a thread holding a lock at fork time would leave it locked in the child)."""
    return sys.platform != "win32" and hasattr(os, "fork") and (threading.active_count() == 1)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


class Extractor:
    """Runs extract_html_sync off the event loop: in `processes` worker processes, or in
    threads when None. `first` is a job for the first forked worker to do before it sets up
    (see verify.preload); it is not run at all where the workers are not forked."""

    def __init__(
        self, *, processes: int | None = None, first: Callable[[], None] | None = None
    ) -> None:
        self._processes = processes
        self._first = first
        self._executor: Executor | None = None
        self._workers: ForkedWorkers | None = None

    def _start(self) -> None:
        if self._executor is not None or self._workers is not None:
            return
        if self._processes is not None and self._processes >= 1:
            if fork_is_safe():
                from verify.workers import ForkedWorkers

                self._workers = ForkedWorkers(
                    self._processes,
                    extract_html_sync,
                    setup=functools.partial(_start_worker, self._first),
                )
            else:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                # fork only while no other thread runs (a lock held at fork time would stay
                # locked in the child); otherwise spawn, which is slower to start but safe
                self._executor = ProcessPoolExecutor(
                    max_workers=self._processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                )
                for _ in range(self._processes):
                    self._executor.submit(int)  # start every worker now, as fork does
        else:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(
                max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="verify-extract"
            )

    def warm(self) -> None:
        """Start the workers now and load trafilatura in them, so they are ready by the first
        page. Worker processes are forked here at once (call it before starting threads)."""
        self._start()

    async def extract_html(self, html: str, url: str) -> Document | None:
        self._start()
        if self._workers is not None:
            from verify.workers import WorkerDied

            try:
                result: Document | None = await self._workers.submit(html, url)
            except WorkerDied:
                # a page that crashes lxml or exhausts memory costs itself, not the run
                raise SourceError(
                    RefStatus.ERROR, "extraction failed: the page crashed its worker process"
                ) from None
            return result
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, extract_html_sync, html, url)

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers; with `wait=False`, worker processes are reaped in a thread."""
        if self._workers is not None:
            self._workers.close(wait=wait)
            self._workers = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
