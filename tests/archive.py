"""A generated archive served by benchmarks/loadserver.py, for the streaming and cluster
tests: posts citing URLs over loopback hosts, and a report normalised for comparison."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from verify.models import ArticleReport, Options
from verify.report.jsonfmt import article_to_dict

ROOT = Path(__file__).resolve().parent.parent


def load_server_module() -> ModuleType:
    """benchmarks/loadserver.py (scripts, not a package), loaded once by its path."""
    if "loadserver" in sys.modules:
        return sys.modules["loadserver"]
    spec = importlib.util.spec_from_file_location("loadserver", ROOT / "benchmarks/loadserver.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadserver"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


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
