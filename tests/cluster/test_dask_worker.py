"""verify called as a library from inside a Dask worker: a task of someone else's cluster.

The worker is a daemonic process (the Nanny starts it so), which may not start processes of
its own; a run large enough for worker processes must then choose threads, and complete.
Every page is served on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages import HARBOURS, harbour_page, harbours_article
from threadserver import Page, serve_pages

distributed = pytest.importorskip("distributed")

PAGES = HARBOURS


@pytest.fixture
def article(tmp_path: Path) -> Iterator[Path]:
    """An article citing 40 pages: more than PROCESS_POOL_MIN_PAGES, so that outside a
    daemonic process the command line's choice would be worker processes (two CPUs or more)."""
    routes = {f"/harbour/{i}": Page(harbour_page(i).encode()) for i in range(PAGES)}
    with serve_pages(routes) as served:
        path = tmp_path / "harbours.md"
        path.write_text(harbours_article(served.base), encoding="utf-8")
        yield path


def verify_in_this_process(article: str) -> dict[str, Any]:
    """The task: the library called as a Dask user would, with the executor the command
    line would choose here. Module level, so the worker imports it by name."""
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    from verify.article.parse import parse_article
    from verify.cli.executor import choose_executor, pages_to_extract, usable_cpus
    from verify.models import Options
    from verify.pipeline import verify_paths

    options = Options(allow_private=True, cache=False, archive=False)
    pages = pages_to_extract([parse_article(article)], options)
    executor = choose_executor(pages, options)
    try:
        report = verify_paths([article], options, executor=executor)
    finally:
        executor.shutdown()
    [result] = report.articles
    return {
        "daemon": multiprocessing.current_process().daemon,
        "cpus": usable_cpus(),
        "pages": pages,
        "threads": isinstance(executor, ThreadPoolExecutor),
        "executor": type(executor).__name__,
        "statuses": [str(s.status) for s in result.references],
        "verdicts": [str(c.verdict) for c in result.claims],
    }


@pytest.mark.slow
def test_a_run_inside_a_daemonic_dask_worker_completes_on_threads(article: Path) -> None:
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        done = client.submit(verify_in_this_process, str(article), pure=False).result(timeout=300)

    assert done["daemon"] is True  # the case in question: a worker may not have children
    assert done["pages"] == PAGES
    assert done["threads"] is True, done["executor"]
    assert done["statuses"] == ["ok"] * PAGES
    assert len(done["verdicts"]) == PAGES
    # every source was read, so no claim is left without one
    assert "unverifiable" not in done["verdicts"], done["verdicts"]
