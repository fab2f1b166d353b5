"""Large runs on one machine (verify.streaming): each report handed out as its article is
done, the same reports as the one-shot run, the per-host limit held, nothing held back."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from archive import comparable, load_server_module, options_for

from verify.models import ArticleReport, RefStatus
from verify.pipeline import RunStats, verify_paths_async
from verify.streaming import stream_paths

loadserver = load_server_module()


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with loadserver.LoadServer(4, latency_ms=(5, 20), slow_seconds=10) as s:
        yield s


def _archive(server: Any, tmp_path: Path, articles: int, refs: int, **kw: Any) -> list[Path]:
    loadserver.make_archive(tmp_path / "posts", server.bases, articles, refs, seed=3, **kw)
    return sorted((tmp_path / "posts").glob("*.md"))


async def _stream(files: list[Path], options: Any, **kw: Any) -> list[ArticleReport]:
    return [report async for report in stream_paths(files, options, **kw)]


async def test_streamed_reports_equal_the_one_shot_report(server: Any, tmp_path: Path) -> None:
    files = _archive(server, tmp_path, 12, 5, shared=2, popular=3, failure_rate=0.15)
    options = options_for(server)

    whole = await verify_paths_async(files, options)
    server.reset()
    # a window smaller than one article's references and a retention of a few sources:
    # every article still gets every source
    streamed = await _stream(files, options, window=3, retain=2)

    assert len(streamed) == len(files)
    assert comparable(streamed) == comparable(list(whole.articles))
    statuses = {s.status for a in streamed for s in a.sources}
    assert RefStatus.OK in statuses and len(statuses) > 1


async def test_each_url_is_fetched_once_and_the_per_host_limit_holds(
    server: Any, tmp_path: Path
) -> None:
    files = _archive(server, tmp_path, 20, 4, shared=2, popular=2)
    options = options_for(server, per_host=2)
    server.reset()
    stats = RunStats()

    streamed = await _stream(files, options, stats=stats)

    cited = {s.reference.url for a in streamed for s in a.sources}
    counts = server.stats()
    assert counts["requests"] == len(cited) == stats.requests
    assert 0 < counts["peak_per_host"] <= 2


async def test_the_stream_keeps_no_report_it_has_handed_out(server: Any, tmp_path: Path) -> None:
    files = _archive(server, tmp_path, 30, 3, shared=1, popular=5)
    options = options_for(server)
    handed: list[weakref.ref[ArticleReport]] = []
    alive_midway: list[int] | None = None
    async for report in stream_paths(files, options, window=6, retain=4):
        handed.append(weakref.ref(report))
        del report
        if len(handed) == 25:
            gc.collect()
            # while the run goes on: the caller kept none, so none but the one just handed
            # out (the stream's frame still names it) may be alive
            alive_midway = [i for i, r in enumerate(handed[:-1]) if r() is not None]
    assert len(handed) == 30
    assert alive_midway == []
