"""Forked workers fed by the event loop: answers, errors, deaths, cancellation, clean-up."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from verify.workers import ForkedWorkers, WorkerDied


def square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three is refused")
    return n


def die_on_negative(n: int) -> int:
    if n < 0:
        os._exit(9)
    time.sleep(0.01)
    return n


async def test_answers_come_back_to_their_callers_from_other_processes() -> None:
    workers = ForkedWorkers(2, square)
    try:
        answers = await asyncio.gather(*(workers.submit(n) for n in range(40)))
        # the loop's thread does all the feeding: no helper thread in this process
        assert threading.active_count() == 1
    finally:
        workers.close()
    assert [a[1] for a in answers] == [n * n for n in range(40)]
    pids = {a[0] for a in answers}
    assert len(pids) == 2 and os.getpid() not in pids


async def test_large_arguments_and_answers_pass_whole() -> None:
    workers = ForkedWorkers(1, str.upper)
    try:
        text = "abcdefgh" * 500_000  # 4 MB: many socket buffers in each direction
        assert await workers.submit(text) == text.upper()
    finally:
        workers.close()


async def test_an_exception_reaches_its_caller_and_the_worker_lives_on() -> None:
    workers = ForkedWorkers(1, fail_on_three)
    try:
        results = await asyncio.gather(
            *(workers.submit(n) for n in range(6)), return_exceptions=True
        )
        assert workers.alive == 1
    finally:
        workers.close()
    assert isinstance(results[3], ValueError) and "three is refused" in str(results[3])
    assert [r for i, r in enumerate(results) if i != 3] == [0, 1, 2, 4, 5]


async def test_a_dead_worker_fails_its_own_call_and_the_others_finish() -> None:
    workers = ForkedWorkers(2, die_on_negative)
    try:
        results = await asyncio.gather(
            *(workers.submit(n) for n in [*range(10), -1, *range(10, 20)]),
            return_exceptions=True,
        )
        assert workers.alive == 1
    finally:
        workers.close()
    assert isinstance(results[10], WorkerDied)
    assert [r for i, r in enumerate(results) if i != 10] == list(range(20))


async def test_with_every_worker_dead_calls_run_in_a_thread() -> None:
    workers = ForkedWorkers(1, die_on_negative)
    try:
        with pytest.raises(WorkerDied):
            await workers.submit(-1)
        assert workers.alive == 0
        assert await workers.submit(5) == 5
    finally:
        workers.close()


async def test_a_caller_that_gives_up_does_not_disturb_the_others() -> None:
    workers = ForkedWorkers(1, die_on_negative)
    try:
        calls = [asyncio.ensure_future(workers.submit(n)) for n in range(8)]
        await asyncio.sleep(0)
        calls[5].cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
    finally:
        workers.close()
    assert isinstance(results[5], asyncio.CancelledError)
    assert [r for i, r in enumerate(results) if i != 5] == [0, 1, 2, 3, 4, 6, 7]


async def test_close_ends_every_worker_and_refuses_new_calls() -> None:
    workers = ForkedWorkers(2, square)
    answers = await asyncio.gather(*(workers.submit(n) for n in range(8)))
    pids = {pid for pid, _ in answers}
    assert len(pids) == 2  # the first worker and the one it forked
    processes = [workers._process]
    workers.close()
    assert [p.exitcode for p in processes] == [0]  # ended on their own, not killed
    for pid in pids:  # and reaped: not even a zombie is left
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    with pytest.raises(RuntimeError):
        await workers.submit(3)


def test_close_without_a_loop_ever_running_ends_the_workers() -> None:
    workers = ForkedWorkers(2, square)
    processes = [workers._process]
    workers.close()
    assert [p.exitcode for p in processes] == [0]  # ended on their own, not killed


async def test_close_without_waiting_still_ends_and_reaps_every_worker() -> None:
    workers = ForkedWorkers(2, square)
    await workers.submit(2)
    processes = [workers._process]
    workers.close(wait=False)
    reapers = [t for t in threading.enumerate() if t.name == "verify-reap"]
    assert reapers
    for reaper in reapers:
        reaper.join(10)
    assert [p.exitcode for p in processes] == [0]
