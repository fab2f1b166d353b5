"""verify: check that an article's sources are alive and say what the article claims.

Library first::

    from verify import Options, verify_article

    report = verify_article("post.md", Options(per_host=2))
    for ref in report.articles[0].references:
        print(ref.reference.id, ref.status)

`verify_article(path, options) -> Report`, or `await verify_article_async(...)`; several
files at once with `verify_paths`; `parse_article` gives the parsed article alone; `render`
and `report_to_dict` format a report as the command line does. Heavy modules (aiohttp,
trafilatura) load only when a run needs them, so `verify --version` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "ArticleReport",
    "ClaimResult",
    "Options",
    "RefStatus",
    "Report",
    "Source",
    "Thresholds",
    "Verdict",
    "__version__",
    "parse_article",
    "render",
    "report_to_dict",
    "verify_article",
    "verify_article_async",
    "verify_articles_async",
    "verify_paths",
    "verify_paths_async",
]

if TYPE_CHECKING:
    from verify.article.parse import parse_article
    from verify.models import (
        ArticleReport,
        ClaimResult,
        Options,
        RefStatus,
        Report,
        Source,
        Thresholds,
        Verdict,
    )
    from verify.pipeline import (
        verify_article,
        verify_article_async,
        verify_articles_async,
        verify_paths,
        verify_paths_async,
    )
    from verify.report import render, report_to_dict

# where each public name lives; each module is imported on first use only
_HOMES = {
    "parse_article": "verify.article.parse",
    "render": "verify.report",
    "report_to_dict": "verify.report",
    **dict.fromkeys(
        ("ArticleReport", "ClaimResult", "Options", "RefStatus", "Report", "Source"),
        "verify.models",
    ),
    **dict.fromkeys(("Thresholds", "Verdict"), "verify.models"),
    **dict.fromkeys((n for n in __all__ if n.startswith("verify_")), "verify.pipeline"),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'verify' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    # the public names, which load lazily and so are not in the module's namespace yet
    return sorted(__all__)
