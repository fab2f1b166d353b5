"""Main-text extraction from HTML with trafilatura, kept off the event loop.

trafilatura is CPU-bound and synchronous: run on the loop it would stall every concurrent
fetch, so pages go to the executor the caller hands in (worker processes or threads, see
verify.cli.executor), or to the event loop's default thread pool.
It is also slow to import, so it is imported only when a page is actually extracted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verify.errors import ErrorKind, SourceError
from verify.models import Document

if TYPE_CHECKING:
    from concurrent.futures import Executor

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
        # the one boundary kept wide: trafilatura and lxml raise a variety of errors on
        # hostile markup (not verify's bugs: nothing of verify's runs inside the call), and
        # a page that cannot be parsed simply has no extractable text (status empty)
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


def warm_up() -> None:
    """Extract one page, so that the first page a reader cares about is not the slow one."""
    extract_html_sync(_WARM_UP_PAGE, _WARM_UP_URL)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


class Extractor:
    """Runs extract_html_sync off the event loop, in `executor` (which the caller owns and
    shuts down), or in the running loop's default thread pool when None."""

    def __init__(self, executor: Executor | None = None) -> None:
        self._executor = executor

    async def extract_html(self, html: str, url: str) -> Document | None:
        import asyncio
        from concurrent.futures import BrokenExecutor

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, extract_html_sync, html, url)
        except BrokenExecutor:
            # a page that crashes lxml or exhausts memory costs itself, not the run
            raise SourceError(
                ErrorKind.WORKER_CRASHED,
                "extraction failed: the page crashed its worker process",
            ) from None

    def close(self) -> None:
        """Let go of the executor (its owner shuts it down)."""
        self._executor = None
