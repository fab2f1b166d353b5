"""Start-up: the HTTP client imported ahead of need, extraction workers started early, and
the cyclic collector kept out of the way.

aiohttp takes ~110 ms to import: ~50 ms of Python, which needs the GIL, and ~60 ms loading
CA certificates into two SSL contexts, which does not. Started as soon as the options are
known, in a thread, with the rest of the start-up (the parser, reading the articles) waiting
until it reaches the certificates (`let_import_lead`): Python work of both threads is done
one at a time whatever the order, so the order that lets the certificate loading run beside
the parsing, rather than after it, gets the first request out soonest (14 ms on a 200-page
run).

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
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from verify.models import Options

if TYPE_CHECKING:
    from verify.extract import Extractor

_lock = threading.Lock()
_thread: threading.Thread | None = None
# Where aiohttp's import loads CA certificates: the body of this module creates its two
# module-level SSL contexts (tests/test_pipeline.py checks that it still does).
CERTIFICATES_MODULE = "aiohttp.connector"
_certificates = threading.Event()  # the import got as far as that module, or ended
_certificates_reached = False  # it got as far as that module
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


class _CertificatesWatch:
    """A meta path finder that finds nothing: it notices the import of one module."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        global _certificates_reached
        if name == CERTIFICATES_MODULE:
            _certificates_reached = True
            _certificates.set()


def _import_http_client() -> None:
    sys.meta_path.insert(0, _CertificatesWatch)  # type: ignore[arg-type]
    try:
        with contextlib.suppress(Exception):  # the import that matters raises it again
            import verify.fetch  # noqa: F401
    finally:
        _certificates.set()
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(_CertificatesWatch)  # type: ignore[arg-type]


# The longest the start-up waits on the import thread, should it never get as far as the
# certificates (a much slower machine, or an aiohttp that loads them elsewhere).
LEAD_WAIT = 0.25


def let_import_lead() -> None:
    """Wait, when the HTTP client is being imported, until that import reaches the
    certificate loading (or ends): the Python work before it and the caller's next steps
    would only take turns at the GIL."""
    if _thread is not None:
        _certificates.wait(LEAD_WAIT)


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
