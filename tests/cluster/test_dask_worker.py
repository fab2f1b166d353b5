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
from threadserver import Page, serve_pages

distributed = pytest.importorskip("distributed")

PAGES = 40
# Forty made-up lighthouses, each with the year it was first lit.
NAMES = [
    a + b
    for a in ("Gull", "Rook", "Tern", "Wren", "Kite", "Crow", "Swan", "Hern")
    for b in ("stone", "point", "ness", "head", "rock")
]


def _year(i: int) -> int:
    return 1820 + 3 * i


def _page(i: int) -> bytes:
    name = NAMES[i]
    paragraphs = [
        f"The lighthouse on {name} was first lit in {_year(i)}, after two winters of building "
        "on a ledge that the sea covered at every spring tide.",
        f"Its keepers rowed out from the village below {name} once a fortnight with oil, "
        "bread and letters, weather allowing, which it often did not.",
        "The lamp was converted to electricity much later, and the last keeper left when the "
        "light became automatic; the tower is now looked after by volunteers.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"<html><head><title>{name} light</title></head><body><article>{body}</article>"
    return (html + "</body></html>").encode()


@pytest.fixture
def article(tmp_path: Path) -> Iterator[Path]:
    """An article citing 40 pages: more than PROCESS_POOL_MIN_PAGES, so that outside a
    daemonic process the command line's choice would be worker processes (two CPUs or more)."""
    routes = {f"/lights/{i}": Page(_page(i)) for i in range(PAGES)}
    with serve_pages(routes) as served:
        lines = ["# Lighthouses of the coast", ""]
        lines += [
            f"The lighthouse on {NAMES[i]} was first lit in {_year(i)} [{i + 1}]."
            for i in range(PAGES)
        ]
        lines += ["", "## References", ""]
        lines += [f"{i + 1}. {served.base}/lights/{i}" for i in range(PAGES)]
        path = tmp_path / "lighthouses.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
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
