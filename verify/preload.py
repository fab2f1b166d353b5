"""Import the HTTP client ahead of need, in a thread.

aiohttp takes ~80 ms to import, a third of it loading CA certificates twice with the GIL
released. Started as soon as the options are known, that load overlaps the rest of the
start-up (asyncio, the parser, reading the articles) instead of delaying the first request.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from verify.models import Options

_lock = threading.Lock()
_thread: threading.Thread | None = None


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
