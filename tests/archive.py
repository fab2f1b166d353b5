"""A generated archive served by benchmarks/loadserver.py, for the streaming and cluster
tests: posts citing URLs over loopback hosts, and a report normalised for comparison."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from benchtools import benchmark_module

from verify.models import ArticleReport, Options
from verify.report.jsonfmt import article_to_dict


def load_server_module() -> ModuleType:
    """benchmarks/loadserver.py (scripts, not a package), loaded once by its path."""
    return benchmark_module("loadserver")


def options_for(server: Any, **kw: Any) -> Options:
    values: dict[str, Any] = {
        "allow_private": True,
        "cache": False,
        "timeout": 3.0,
        "endpoints": server.endpoints(),
    }
    values.update(kw)
    return Options(**values)


def comparable(articles: list[ArticleReport]) -> list[dict[str, Any]]:
    """The JSON of each article, sorted by path, without what differs from run to run
    (timings, and whether an answer came from the cache)."""
    out = []
    for art in sorted(articles, key=lambda a: a.article.path):
        data = article_to_dict(art)
        for ref in data["references"]:
            ref.pop("elapsed")
            ref.pop("from_cache")
        out.append(data)
    return out
