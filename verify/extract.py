"""Main-text extraction from HTML with trafilatura, kept off the event loop.

trafilatura is CPU-bound and synchronous: run on the loop it would stall every concurrent
fetch, so pages go to a thread pool (or a process pool when asked for more than one process).
It is also slow to import, so it is imported only when a page is actually extracted.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from verify.models import Document

# A page larger than this is cut before extraction: trafilatura's time grows with the tree,
# and no article needs more than a few megabytes of markup.
MAX_HTML_CHARS = 5_000_000


def extract_html_sync(html: str, url: str) -> Document | None:
    """The page's main text and metadata, or None when it has no extractable text."""
    if not html or not html.strip():
        return None
    import trafilatura

    try:
        result: Any = trafilatura.bare_extraction(
            html[:MAX_HTML_CHARS],
            url=url,
            favor_precision=True,
            include_comments=False,
            with_metadata=True,
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
    return Document(
        url=url,
        text=text,
        title=_clean(result.get("title")),
        author=_clean(result.get("author")),
        published=_clean(result.get("date")),
        site_name=_clean(result.get("sitename")),
    )


def _warm_up() -> None:
    import trafilatura  # noqa: F401


def fork_is_safe() -> bool:
    """Whether a worker process can be forked now: on a POSIX system, with no other thread
    alive (a thread holding a lock at fork time would leave it locked in the child)."""
    return (
        sys.platform != "win32"
        and "fork" in multiprocessing.get_all_start_methods()
        and (threading.active_count() == 1)
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


class Extractor:
    """Runs extract_html_sync in a lazily started pool."""

    def __init__(self, *, processes: int | None = None) -> None:
        self._processes = processes
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            if self._processes is not None and self._processes > 1:
                # fork only while no other thread runs (a lock held at fork time would stay
                # locked in the child); otherwise spawn, which is slower to start but safe
                method = "fork" if fork_is_safe() else "spawn"
                self._executor = ProcessPoolExecutor(
                    max_workers=self._processes, mp_context=multiprocessing.get_context(method)
                )
            else:
                self._executor = ThreadPoolExecutor(
                    max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="verify-extract"
                )
        return self._executor

    def warm(self) -> None:
        """Start the pool now and load trafilatura in it, so it is ready by the first page.

        With fork, the workers are created here at once (before the caller starts threads)."""
        pool = self._pool()
        for _ in range(self._processes or 1):
            pool.submit(_warm_up)

    async def extract_html(self, html: str, url: str) -> Document | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), extract_html_sync, html, url)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
