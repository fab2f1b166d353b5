"""verify: check that an article's sources are alive and say what the article claims.

Library first: `verify_article(path, options) -> Report`, or `await verify_article_async(...)`.
Heavy modules (aiohttp, trafilatura) load only when a run needs them, so `verify --version`
stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "parse_article",
    "verify_article",
    "verify_article_async",
    "verify_articles_async",
    "verify_paths",
    "verify_paths_async",
]

if TYPE_CHECKING:
    from verify.article.parse import parse_article
    from verify.pipeline import (
        verify_article,
        verify_article_async,
        verify_articles_async,
        verify_paths,
        verify_paths_async,
    )


def __getattr__(name: str) -> Any:
    if name in __all__ and name.startswith("verify_"):
        from verify import pipeline

        return getattr(pipeline, name)
    if name == "parse_article":
        from verify.article.parse import parse_article

        return parse_article
    raise AttributeError(name)
