"""How a run uses the CPU: the executor the command line creates and hands to the library.

Extraction (trafilatura) is CPU-bound and holds the GIL, so a large run extracts in worker
processes, one a usable CPU, while the event loop fetches; a small run, a run that only checks
links, one-CPU machines and daemonic processes (which may not have children) use threads.
Nothing here changes the process it runs in: the pool is an ordinary
`concurrent.futures` executor, shut down by whoever created it.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as _wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verify.models import Article, Options

# Below this many pages, starting worker processes costs more than extracting in threads.
PROCESS_POOL_MIN_PAGES = 32
# Threads for a run that extracts in this process: trafilatura holds the GIL, so more
# threads would only queue for it.
THREADS = 4


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's share), not the machine's count."""
    affinity = getattr(os, "sched_getaffinity", None)
    return (len(affinity(0)) if affinity else os.cpu_count()) or 1


def will_probably_fetch(options: Options) -> bool:
    """Not a replay, and no cache file yet that could answer the run."""
    if options.replay:
        return False
    if options.cache and not options.record:
        from verify.http.cache import FILENAME, default_directory

        directory = Path(options.cache_dir) if options.cache_dir else default_directory()
        if (directory / FILENAME).exists():
            return False
    return True


def pages_to_extract(articles: list[Article], options: Options) -> int:
    """How many pages a run over `articles` may extract: its distinct URLs, not excluded."""
    from verify.pipeline import exclusion_reason

    urls = {r.url for a in articles for r in a.references if r.id not in options.local_sources}
    local = sum(1 for a in articles for r in a.references if r.id in options.local_sources)
    return local + sum(1 for url in urls if exclusion_reason(url, options) is None)


def thread_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(
        max_workers=min(THREADS, usable_cpus()), thread_name_prefix="verify-extract"
    )


def start_method() -> str:
    """The start method a new pool should use: the one the program set, else the platform's
    default (spawn on macOS and Windows); fork only while no other thread runs (a lock held
    by another thread at fork time would stay locked in the child)."""
    import multiprocessing

    method = multiprocessing.get_start_method(allow_none=True)
    if method is None:  # asking without allow_none would fix the default for the process
        method = multiprocessing.get_all_start_methods()[0]
    if method == "fork" and threading.active_count() > 1:
        return "spawn"
    return method


def choose_executor(pages: int, options: Options) -> Executor:
    """The executor for a run that will extract about `pages` pages: worker processes where
    the CPUs and the page count make them pay and processes can be had, else threads."""
    import multiprocessing

    cores = usable_cpus()
    if (
        options.links_only
        or pages < PROCESS_POOL_MIN_PAGES
        or cores < 2
        or multiprocessing.current_process().daemon
        or not will_probably_fetch(options)
    ):
        return thread_pool()
    pool = IsolatingProcessPool(cores, method=start_method())
    try:
        pool.start()
    except OSError:  # no process to be had (a limit on processes or memory): threads, then
        pool.shutdown(wait=False, cancel_futures=True)
        return thread_pool()
    return pool


def start_worker() -> None:
    """A worker process's start: ^C left to the parent (it goes to the whole process group;
    the parent shuts the pool down), below the parent's priority (the parent's event loop is
    what keeps requests flowing; extraction is throughput work), and warmed up."""
    import signal

    from verify.sources.extract import warm_up

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(WORKER_NICENESS)
    except (OSError, AttributeError):  # not permitted, or not POSIX: the default priority
        pass
    warm_up()


WORKER_NICENESS = 10
# Calls handed to the pool at once, per worker (see IsolatingProcessPool).
PER_WORKER = 2


@dataclass
class _Call:
    future: Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


class IsolatingProcessPool(Executor):
    """A process pool in which a call that kills its worker (a segfault in a C parser, the
    memory limit) fails alone, with BrokenProcessPool, and the others still run.

    ProcessPoolExecutor fails every pending call when one worker dies, and refuses new ones.
    Here at most PER_WORKER calls a worker are handed to the pool at a time (the one it works
    on and the next, so it never waits between calls); when the pool breaks,
    a new one replaces it, and each call that was in the broken pool is run again alone, in
    a one-worker pool: the one that breaks that too is the culprit.
    """

    def __init__(
        self,
        max_workers: int,
        *,
        method: str | None = None,
        initializer: Callable[[], None] | None = start_worker,
    ) -> None:
        import multiprocessing

        self._workers = max(1, max_workers)
        self._method = method or start_method()
        context = multiprocessing.get_context(self._method)
        self._make = functools.partial(
            ProcessPoolExecutor, mp_context=context, initializer=initializer
        )
        # a replacement starts while other threads run (this pool's own): never by fork
        replacement = "spawn" if self._method == "fork" else self._method
        self._remake = functools.partial(
            ProcessPoolExecutor,
            mp_context=multiprocessing.get_context(replacement),
            initializer=initializer,
        )
        self._lock = threading.RLock()
        self._pool = self._make(max_workers=self._workers)
        self._running = 0  # calls handed to self._pool and not yet back
        self._waiting: deque[_Call] = deque()
        self._suspects: deque[_Call] = deque()  # calls that were in a pool that broke
        self._alone: ProcessPoolExecutor | None = None
        self._alone_busy = False
        self._shutdown = False

    def start(self) -> None:
        """Start every worker now (raising OSError where none can be had), so that a fork
        happens before the caller starts threads."""
        for _ in range(self._workers):
            self._pool.submit(int)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        call = _Call(Future(), fn, args, kwargs)
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._waiting.append(call)
            self._pump()
        return call.future

    def _pump(self) -> None:
        """Hand out what the pools have room for (the lock held)."""
        while self._running < PER_WORKER * self._workers and self._waiting:
            call = self._waiting.popleft()
            if call.future.set_running_or_notify_cancel():
                self._running += 1
                self._hand(call, self._pool, alone=False)
        while self._suspects and not self._alone_busy:
            if self._alone is None:
                self._alone = self._remake(max_workers=1)
            self._alone_busy = True
            self._hand(self._suspects.popleft(), self._alone, alone=True)

    def _hand(self, call: _Call, pool: ProcessPoolExecutor, *, alone: bool) -> None:
        try:
            inner = pool.submit(call.fn, *call.args, **call.kwargs)
        except BaseException as exc:  # a broken pool, or no process to be had
            self._after(call, pool, alone, exc, None)
            return
        inner.add_done_callback(functools.partial(self._back, call, pool, alone))

    def _back(
        self, call: _Call, pool: ProcessPoolExecutor, alone: bool, inner: Future[Any]
    ) -> None:
        with self._lock:
            if inner.cancelled():
                self._after(call, pool, alone, RuntimeError("the pool was shut down"), None)
            else:
                self._after(call, pool, alone, inner.exception(), inner)
            self._pump()

    def _after(
        self,
        call: _Call,
        pool: ProcessPoolExecutor,
        alone: bool,
        exc: BaseException | None,
        inner: Future[Any] | None,
    ) -> None:
        """One call is back from `pool` (the lock held): settle it, or run it again alone
        when the pool broke under it."""
        if alone:
            self._alone_busy = False
        else:
            self._running -= 1
        if isinstance(exc, BrokenProcessPool) and not self._shutdown:
            pool.shutdown(wait=False)
            if alone:  # it broke a pool of its own: it is the culprit
                self._alone = None
            else:
                if pool is self._pool:
                    self._pool = self._remake(max_workers=self._workers)
                self._suspects.append(call)
                return
        if exc is not None:
            call.future.set_exception(exc)
        elif inner is not None:
            call.future.set_result(inner.result())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                for call in self._waiting:
                    call.future.cancel()
                for call in self._suspects:  # already running: they fail instead
                    call.future.set_exception(RuntimeError("the pool was shut down"))
                self._waiting.clear()
                self._suspects.clear()
        if wait:
            while True:
                with self._lock:
                    left = [c.future for c in (*self._waiting, *self._suspects)]
                if not left:
                    break
                _wait(left)
        with self._lock:
            pools = [p for p in (self._pool, self._alone) if p is not None]
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


__all__ = [
    "IsolatingProcessPool",
    "choose_executor",
    "pages_to_extract",
    "start_method",
    "thread_pool",
    "usable_cpus",
    "will_probably_fetch",
]
