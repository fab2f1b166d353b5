"""Start-up: the HTTP client imported ahead of need, extraction workers started early, and
the cyclic collector kept out of the way.

aiohttp takes ~80 ms to import, a third of it loading CA certificates twice with the GIL
released. Started as soon as the options are known, that load overlaps the rest of the
start-up (asyncio, the parser, reading the articles) instead of delaying the first request.

Start-up allocates ~100,000 objects that live as long as the run (modules, the HTTP client)
and almost no garbage; each collection on the way traversed them, 10-15 ms in all before the
first request. The command line pauses the collector; the pipeline freezes what start-up
loaded (`gc.freeze`) and resumes it.

Each extraction worker spends ~0.15 s of CPU loading and warming up trafilatura. Forked by
the command line before any thread starts, they do it on the other cores while this process
starts, and are ready when the first pages arrive rather than 0.1-0.2 s later.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from verify.models import Options

if TYPE_CHECKING:
    from verify.extract import Extractor

_lock = threading.Lock()
_thread: threading.Thread | None = None
_paused = False
_workers: Extractor | None = None


def pause_collection() -> None:
    """No cyclic collection until `resume_collection`: for a program's start-up."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Undo `pause_collection` (nothing when it did not disable the collector)."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False


def _import_http_client() -> None:
    with contextlib.suppress(Exception):  # the import that matters raises it again
        import verify.fetch  # noqa: F401


def will_probably_fetch(options: Options) -> bool:
    """Not a replay, and no cache file yet that could answer the run."""
    if options.replay:
        return False
    if options.cache and not options.record:
        from verify.cache import FILENAME, default_directory

        directory = Path(options.cache_dir) if options.cache_dir else default_directory()
        if (directory / FILENAME).exists():
            return False
    return True


def preload_http_client(options: Options) -> threading.Thread | None:
    """The thread importing the HTTP client, started on the first call, when the run will
    probably fetch; None otherwise. Join it before forking worker processes."""
    global _thread
    if not will_probably_fetch(options):
        return None
    with _lock:
        if _thread is None:
            _thread = threading.Thread(
                target=_import_http_client, name="verify-import", daemon=True
            )
            _thread.start()
        return _thread


def start_workers(options: Options) -> None:
    """Fork the extraction workers now, for a run that will probably fetch and extract, on a
    machine with more than one CPU. Call it before starting any thread; the pipeline takes
    them (`take_workers`)."""
    global _workers
    if _workers is not None or options.links_only or not will_probably_fetch(options):
        return
    from verify.extract import Extractor, fork_is_safe, usable_cpus

    cores = usable_cpus()
    if cores > 1 and fork_is_safe():
        _workers = Extractor(processes=cores)
        _workers.warm()


def take_workers() -> Extractor | None:
    """The workers `start_workers` started, handed over once; None when there are none."""
    global _workers
    workers, _workers = _workers, None
    return workers


def stop_workers() -> None:
    """Stop workers that were started and never taken (a run that ended early)."""
    workers = take_workers()
    if workers is not None:
        workers.close()
