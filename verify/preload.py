"""Start-up: the HTTP client imported ahead of need, and the cyclic collector kept out of it.

aiohttp takes ~80 ms to import, a third of it loading CA certificates twice with the GIL
released. Started as soon as the options are known, that load overlaps the rest of the
start-up (asyncio, the parser, reading the articles) instead of delaying the first request.

Start-up allocates ~100,000 objects that live as long as the run (modules, the HTTP client)
and almost no garbage; each collection on the way traversed them, 10-15 ms in all before the
first request. The command line pauses the collector; the pipeline freezes what start-up
loaded (`gc.freeze`) and resumes it.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from pathlib import Path

from verify.models import Options

_lock = threading.Lock()
_thread: threading.Thread | None = None
_paused = False


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
