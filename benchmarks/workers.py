"""Extraction workers: verify's loop-fed forked workers against ProcessPoolExecutor.

Both extract the same generated pages with two warmed-up worker processes, the pages handed
over in bursts as a fetch would deliver them. Prints, per kind, the median wall time and the
CPU time of this process (the event loop's process, whose time the fetching needs), and
writes them as JSON with --json.

    .venv/bin/python benchmarks/workers.py --repeat 7
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadserver import make_page

from verify.sources.extract import _start_worker, extract_html_sync
from verify.workers import ForkedWorkers

Submit = Callable[[str, str], Awaitable[Any]]


async def _bursts(
    submit: Submit, pages: Sequence[tuple[str, str]], burst: int
) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    futures: list[Awaitable[Any]] = []
    for start in range(0, len(pages), burst):
        futures += [
            asyncio.ensure_future(submit(html, url)) for html, url in pages[start : start + burst]
        ]
        await asyncio.sleep(0.02)
    documents = await asyncio.gather(*futures)
    assert all(d is not None for d in documents)
    return time.perf_counter() - wall, time.process_time() - cpu


async def _with_executor(
    processes: int, pages: Sequence[tuple[str, str]], burst: int
) -> tuple[float, float]:
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, int) for _ in range(processes)))

        def submit(html: str, url: str) -> Awaitable[Any]:
            return loop.run_in_executor(pool, extract_html_sync, html, url)

        return await _bursts(submit, pages, burst)


async def _with_forked(
    processes: int, pages: Sequence[tuple[str, str]], burst: int
) -> tuple[float, float]:
    workers = ForkedWorkers(processes, extract_html_sync, setup=_start_worker)
    try:
        await asyncio.gather(*(workers.submit(*pages[0]) for _ in range(processes)))
        return await _bursts(workers.submit, pages, burst)
    finally:
        workers.close()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--burst", type=int, default=40, help="pages handed over at once")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    pages = [(make_page(f"p{i}").html(), f"http://127.0.0.2/ok/p{i}") for i in range(args.pages)]
    kinds = {"process_pool_executor": _with_executor, "forked_workers": _with_forked}
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    for _ in range(args.repeat):
        for name, run in kinds.items():  # alternated, so drift on the machine hits both
            runs[name].append(asyncio.run(run(args.processes, pages, args.burst)))
    figures = {
        name: {
            "wall_s": round(statistics.median(r[0] for r in values), 4),
            "parent_cpu_s": round(statistics.median(r[1] for r in values), 4),
        }
        for name, values in runs.items()
    }
    print(
        f"{args.pages} pages in bursts of {args.burst}, {args.processes} workers, "
        f"medians of {args.repeat}"
    )
    for name, f in figures.items():
        print(
            f"  {name:<24} wall {f['wall_s'] * 1000:7.1f} ms"
            f"   parent CPU {f['parent_cpu_s'] * 1000:6.1f} ms"
        )
    summary = {
        "pages": args.pages,
        "burst": args.burst,
        "processes": args.processes,
        "figures": figures,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()
