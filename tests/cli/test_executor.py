"""Which executor the command line hands the library, and the process pool it may use."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from verify.cli import executor as executor_module
from verify.cli.executor import (
    PROCESS_POOL_MIN_PAGES,
    IsolatingProcessPool,
    choose_executor,
    usable_cpus,
)
from verify.models import Options

needs_two_cpus = pytest.mark.skipif(usable_cpus() < 2, reason="processes only pay with two CPUs")

MANY = PROCESS_POOL_MIN_PAGES + 8


def test_small_runs_link_checks_and_replays_use_threads(tmp_path: Path) -> None:
    for pages, options in [
        (3, Options(cache=False)),
        (MANY, Options(cache=False, links_only=True)),
        (MANY, Options(cache=False, replay=str(tmp_path / "r.warc.gz"))),
    ]:
        chosen = choose_executor(pages, options)
        try:
            assert isinstance(chosen, ThreadPoolExecutor), (pages, options)
        finally:
            chosen.shutdown()


@needs_two_cpus
def test_a_large_run_extracts_in_one_process_a_cpu() -> None:
    chosen = choose_executor(MANY, Options(cache=False))
    try:
        assert isinstance(chosen, IsolatingProcessPool)
        pids = {chosen.submit(os.getpid).result(timeout=60) for _ in range(4 * usable_cpus())}
        assert os.getpid() not in pids and 1 <= len(pids) <= usable_cpus()
    finally:
        chosen.shutdown()


@needs_two_cpus
def test_no_process_to_be_had_means_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(IsolatingProcessPool, "start", refuse)
    chosen = choose_executor(MANY, Options(cache=False))
    try:
        assert isinstance(chosen, ThreadPoolExecutor)
    finally:
        chosen.shutdown()


@needs_two_cpus
def test_a_daemonic_process_uses_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing.process, "_current_process", _Daemonic())
    chosen = choose_executor(MANY, Options(cache=False))
    try:
        assert isinstance(chosen, ThreadPoolExecutor)
    finally:
        chosen.shutdown()


class _Daemonic:
    daemon = True


def test_fork_is_only_chosen_while_no_other_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import threading

    monkeypatch.setattr(multiprocessing, "get_start_method", lambda allow_none=False: "fork")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert executor_module.start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 3)
    assert executor_module.start_method() == "spawn"
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda allow_none=False: "spawn")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert executor_module.start_method() == "spawn"  # what the program set is kept


def _crash_on(n: int) -> int:
    if n < 0:
        os._exit(70)
    return n * n


def test_a_call_that_kills_its_worker_fails_alone() -> None:
    pool = IsolatingProcessPool(2, method="fork", initializer=None)
    try:
        futures = [pool.submit(_crash_on, n) for n in [*range(6), -1, *range(6, 12)]]
        results = [f.exception(timeout=120) or f.result() for f in futures]
        after = pool.submit(_crash_on, 5).result(timeout=120)
    finally:
        pool.shutdown()
    crashed = results.pop(6)
    assert isinstance(crashed, BrokenProcessPool)
    assert results == [n * n for n in range(12)]
    assert after == 25


def test_a_plain_process_pool_breaking_is_a_status_per_page() -> None:
    """A caller's own ProcessPoolExecutor works too; a crash fails its pages, not the run."""
    import asyncio

    from verify.errors import SourceError
    from verify.sources.extract import Extractor

    async def extract(pool: ProcessPoolExecutor) -> Any:
        return await Extractor(pool).extract_html("<p>x</p>", "http://127.0.0.1/")

    with ProcessPoolExecutor(1) as pool:
        pool.submit(_crash_on, -1).exception(timeout=60)  # broken now
        with pytest.raises(SourceError) as failed:
            asyncio.run(extract(pool))
    assert "crashed its worker" in str(failed.value)
